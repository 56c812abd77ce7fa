/* geomap's map: draws the embedded events on a folium/Leaflet map.
 *
 * Plain ES5-compatible JavaScript, no templating inside: the payload and names are passed as
 * arguments, so document text never meets an HTML parser. Loaded by geomap.render, which
 * inlines this file into the page and calls geomapDraw(map, dataId, tileLayer, tileName).
 */
window.geomapDraw = function (map, dataId, tileLayer, tileName) {
  "use strict";
  var now = function () { return window.performance ? performance.now() : Date.now(); };
  var timings = { start: now() };
  var D = JSON.parse(document.getElementById(dataId).textContent);
  timings.parse = now() - timings.start;
  var S = D.strings, T = D.types, P = D.places, E = D.events;
  var nT = T.length, nP = P.lat.length, nE = E.t.length;
  var NODATE = -2147483648, DAY = 86400000;
  var COLOUR = /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})$/, ICON = /^[a-z0-9-]{1,40}$/;
  T.forEach(function (t) {
    if (!COLOUR.test(t.colour)) t.colour = "#777777";
    if (!ICON.test(t.icon)) t.icon = "circle";
  });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return "&#" + c.charCodeAt(0) + ";";
    });
  }
  function safeUrl(u) {
    if (!u) return null;
    try {
      var x = new URL(u);
      return (x.protocol === "http:" || x.protocol === "https:") ? x.href : null;
    } catch (err) { return null; }
  }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function iso(d) { return new Date(d * DAY).toISOString().slice(0, 10); }

  // ---- columns → typed arrays; events grouped by place (sorted by date) ----
  var ET = Uint8Array.from(E.t), EP = Int32Array.from(E.p);
  var ES = new Int32Array(nE), EE = new Int32Array(nE), nUndated = 0;
  for (var i = 0; i < nE; i++) {
    if (E.s[i] === null) { ES[i] = NODATE; EE[i] = NODATE; nUndated++; }
    else { ES[i] = E.s[i]; EE[i] = E.e[i]; }
  }
  var pStart = new Int32Array(nP + 1);
  for (i = 0; i < nE; i++) pStart[EP[i] + 1]++;
  for (i = 0; i < nP; i++) pStart[i + 1] += pStart[i];
  var fill = pStart.slice(0, nP), pEvents = new Int32Array(nE);
  for (i = 0; i < nE; i++) pEvents[fill[EP[i]]++] = i;
  for (var p = 0; p < nP; p++) {
    if (pStart[p + 1] - pStart[p] > 1) {
      var part = Array.prototype.slice.call(pEvents.subarray(pStart[p], pStart[p + 1]));
      part.sort(function (a, b) { return ES[a] - ES[b] || a - b; });
      pEvents.set(part, pStart[p]);
    }
  }

  timings.index = now() - timings.start;

  // ---- filter state ----
  var active = []; for (i = 0; i < nT; i++) active.push(true);
  // The slider spans the 1st-99th percentile of the start days (D.clip); events before or
  // after it sit in an "earlier" / "later" notch at either end, so a few dates decades away
  // do not squeeze the events' months into a few pixels.
  var clip = D.clip || [D.dmin === null ? 0 : D.dmin, D.dmax === null ? 0 : D.dmax];
  var dmin = clip[0], dmax = Math.max(clip[0], clip[1]);
  var earlier = D.dmin !== null && D.dmin < dmin, later = false;
  for (i = 0; i < nE && !later; i++) if (ES[i] !== NODATE && EE[i] > dmax) later = true;
  var LO_END = earlier ? -Infinity : dmin, HI_END = later ? Infinity : dmax;
  var lo = LO_END, hi = HI_END, undatedOn = false, dateFiltering = false;
  var placeCount = new Int32Array(nP), placeTypes = new Int32Array(nP * Math.max(nT, 1));
  var typeCount = new Int32Array(nT), typeTotal = new Int32Array(nT);
  for (i = 0; i < nE; i++) typeTotal[ET[i]]++;
  var visibleEvents = 0, visiblePlaces = 0;

  // ---- in-page filters: country, actor, sub-event type, confidence ----
  var countryCodes = [], countryIndex = {};
  for (p = 0; p < nP; p++) {
    var code = S[P.cc[p]];
    if (!(code in countryIndex)) { countryIndex[code] = countryCodes.length; countryCodes.push(code); }
  }
  var ECC = new Int32Array(nE), ESUB = Int32Array.from(E.sub), ECONF = Float64Array.from(E.c);
  for (i = 0; i < nE; i++) ECC[i] = countryIndex[S[P.cc[EP[i]]]];
  var allowCountry = null, allowActor = null, allowSub = null, minConf = 0;
  function countryLabel(code) {
    return code ? ((D.countries && D.countries[code]) || code) : "no country";
  }
  function extra(i) {
    if (ECONF[i] < minConf - 1e-9) return false;
    if (allowCountry && !allowCountry[ECC[i]]) return false;
    if (allowSub && !allowSub[ESUB[i]]) return false;
    if (allowActor) {
      var a = E.a[i];
      for (var j = 0; j < a.length; j++) if (allowActor[a[j]]) return true;
      return false;
    }
    return true;
  }

  // ---- histogram bins over the view (the clipped span, or a zoomed part of it) ----
  var unitChoice = "auto", histUnit = "day", edges = [], nBins = 0, binOf = null, histCount = null;
  var vmin = dmin, vmax = dmax, span = 1;
  function buildBins() {
    span = vmax - vmin + 1;
    histUnit = unitChoice;
    if (histUnit === "auto") {
      histUnit = "day";
      if (span > 120) histUnit = span <= 7 * 120 ? "week" : span <= 31 * 120 ? "month" : "year";
    }
    edges = [];
    var d;
    if (histUnit === "day" || histUnit === "week") {
      var step = histUnit === "day" ? 1 : 7;
      d = histUnit === "day" ? vmin : vmin - (((vmin + 3) % 7) + 7) % 7;  // day 0 is a Thursday
      for (; d <= vmax; d += step) edges.push(d);
      edges.push(d);
    } else {
      var x = new Date(vmin * DAY), y = x.getUTCFullYear();
      var m = histUnit === "month" ? x.getUTCMonth() : 0;
      do {
        d = Math.round(Date.UTC(y, m, 1) / DAY);
        edges.push(d);
        if (histUnit === "month") { m++; if (m === 12) { m = 0; y++; } } else y++;
      } while (d <= vmax);
    }
    nBins = edges.length - 1; binOf = new Int32Array(span); histCount = new Int32Array(nBins);
    for (var b0 = 0, dd = 0; dd < span; dd++) {
      while (edges[b0 + 1] <= vmin + dd) b0++;
      binOf[dd] = b0;
    }
  }
  buildBins();

  function passes(i) {
    if (!extra(i)) return false;
    var s = ES[i];
    // undated events have no place on a timeline: a date filter hides them unless asked
    if (s === NODATE) return undatedOn || !dateFiltering;
    return s <= hi && EE[i] >= lo;
  }

  // ---- layers ----
  if (D.outline) {
    map.createPane("gmBase");
    map.getPane("gmBase").style.zIndex = 150;
    L.geoJSON(D.outline, {
      pane: "gmBase", interactive: false,
      style: { color: "#8a8a8a", weight: 0.7, fillColor: "#f4f1ea", fillOpacity: 1 }
    }).addTo(map);
    if (!tileLayer) map.getContainer().classList.add("gm-nomap");
  }
  // markercluster needs a finite maxZoom, which a map without tiles lacks
  if (!isFinite(map.getMaxZoom())) map.setMaxZoom(18);
  // the initial view, without animation, before anything is clustered
  if (D.bounds) map.fitBounds(D.bounds, { paddingTopLeft: [60, 60], paddingBottomRight: [230, 60],
                                     maxZoom: 8, animate: false });
  var cluster = L.markerClusterGroup({
    // clustering stops at street level: each zoom level clustered costs time on every
    // filter change (30-40% less with 14 than with all 19 levels); coincident places
    // still spiderfy from zoom 13
    showCoverageOnHover: false, maxClusterRadius: 45, spiderfyOnMaxZoom: true,
    disableClusteringAtZoom: 14,
    // a cluster is coloured by its events' types: the ring shows their shares, the
    // centre the commonest type
    iconCreateFunction: function (c) {
      var n = 0, ms = c.getAllChildMarkers(), per = new Int32Array(nT), best = 0;
      for (var j = 0; j < ms.length; j++) {
        n += ms[j].options.gmCount || 0;
        var base = ms[j].options.gmPlace * nT;
        for (var t = 0; t < nT; t++) per[t] += placeTypes[base + t];
      }
      var parts = [], acc = 0, total = 0;
      for (t = 0; t < nT; t++) { total += per[t]; if (per[t] > per[best]) best = t; }
      for (t = 0; t < nT && total; t++) {
        if (!per[t]) continue;
        parts.push(T[t].colour + " " + (acc / total * 360).toFixed(1) + "deg " +
                   ((acc + per[t]) / total * 360).toFixed(1) + "deg");
        acc += per[t];
      }
      var ring = el("div", "gm-cl");
      ring.style.background = parts.length > 1 ? "conic-gradient(" + parts.join(",") + ")" :
        (nT ? T[best].colour : "#555");
      var centre = el("span", null, n);
      if (nT) { centre.style.background = T[best].colour; ring.setAttribute("data-type", T[best].key); }
      ring.appendChild(centre);
      return L.divIcon({ html: ring, className: "gm-cluster", iconSize: L.point(40, 40) });
    }
  });
  var countries = L.featureGroup();
  // the country fill is a layer of its own in the layer control, so it can be switched off
  var FILL = 0.3, fillOn = true, fillLayer = L.layerGroup();
  var heat = L.heatLayer([], { radius: 22, blur: 18, maxZoom: 9, minOpacity: 0.35, max: 1 });
  var markers = new Array(nP), shapes = new Array(nP);

  function dominant(p) {
    var best = 0, bestN = -1, base = p * nT;
    for (var t = 0; t < nT; t++) {
      if (placeTypes[base + t] > bestN) { bestN = placeTypes[base + t]; best = t; }
    }
    return best;
  }
  function ringStyle(p, n) {
    var base = p * nT, parts = [], acc = 0, kinds = 0;
    for (var t = 0; t < nT; t++) {
      var c = placeTypes[base + t];
      if (!c) continue;
      kinds++;
      var a0 = acc / n * 100, a1 = (acc + c) / n * 100; acc += c;
      parts.push(T[t].colour + " " + a0.toFixed(2) + "% " + a1.toFixed(2) + "%");
    }
    return kinds > 1 ? "conic-gradient(" + parts.join(",") + ")" : "";
  }
  function pinIcon(p, n) {
    var t = T[dominant(p)], lvl = D.levels[P.level[p]];
    var kind = lvl === "point" ? "gm-point" : lvl === "country" ? "gm-country" : "gm-area";
    var ring = ringStyle(p, n);
    var html = '<div class="gm-pin ' + kind + '" style="background:' + t.colour + '">' +
      (ring ? '<span class="gm-ring" style="background:' + ring + '"></span>' : "") +
      '<i class="fa-solid fa-' + t.icon + '"></i><b>' + (n | 0) + "</b></div>";
    return L.divIcon({ html: html, className: "gm-icon gm-place-" + p, iconSize: [28, 28],
                       iconAnchor: [14, 14], popupAnchor: [0, -14], tooltipAnchor: [14, 0] });
  }
  function tooltip(p) {
    return function () {
      var d = el("div");
      d.appendChild(el("b", null, S[P.name[p]]));
      d.appendChild(document.createTextNode(" · " + plural(placeCount[p], "event")));
      return d;
    };
  }

  // ---- popups, built with DOM APIs only ----
  function sentenceNode(i) {
    var text = S[E.x[i]], k = E.k[i], spans = [], node = el("div", "gm-sentence");
    for (var j = 0; j + 2 < k.length; j += 3) spans.push([k[j], k[j + 1], k[j + 2]]);
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var pos = 0;
    spans.forEach(function (s) {
      if (s[0] < pos || s[1] > text.length) return;
      node.appendChild(document.createTextNode(text.slice(pos, s[0])));
      var m = el("mark", s[2] ? "gm-mark-place" : "gm-mark-trigger", text.slice(s[0], s[1]));
      m.title = s[2] ? "place" : "trigger";
      node.appendChild(m);
      pos = s[1];
    });
    node.appendChild(document.createTextNode(text.slice(pos)));
    return node;
  }
  function line(parent, label, value) {
    if (value === "" || value === null || value === undefined) return;
    var d = el("div", "gm-meta");
    d.appendChild(el("b", null, label + ": "));
    d.appendChild(document.createTextNode(String(value)));
    parent.appendChild(d);
  }
  function sourceNode(s) {
    var row = D.sources[s], title = S[row[1]], url = S[row[2]], safe = safeUrl(S[row[3]]);
    var d = el("div", "gm-meta gm-source");
    d.appendChild(el("b", null, "Source: "));
    if (safe) {
      var a = el("a", null, title || safe);
      a.href = safe; a.target = "_blank"; a.rel = "noopener noreferrer nofollow";
      d.appendChild(a);
    } else {
      d.appendChild(document.createTextNode(title || S[row[0]]));
      if (url) d.appendChild(el("span", "gm-url", " (" + url + ")"));
    }
    if (title || safe) d.appendChild(el("span", "gm-doc", " [" + S[row[0]] + "]"));
    return d;
  }
  function eventNode(i) {
    var t = T[ET[i]], box = el("div", "gm-ev");
    var head = el("div", "gm-type");
    var sw = el("span", "gm-sw"); sw.style.background = t.colour;
    var ic = el("i", "fa-solid fa-" + t.icon); sw.appendChild(ic);
    head.appendChild(sw);
    var subtype = S[E.sub[i]];
    head.appendChild(document.createTextNode(" " + t.label + (subtype ? " · " + subtype : "")));
    if (E.st[i]) head.appendChild(el("span", "gm-status", " (" + D.statuses[E.st[i]] + ")"));
    box.appendChild(head);
    var when = ES[i] === NODATE ? "undated" :
      (ES[i] === EE[i] ? iso(ES[i]) : iso(ES[i]) + " – " + iso(EE[i]));
    var g = D.granularities[E.g[i]], dtp = D.dateTypes[E.d[i]];
    var said = S[E.dx[i]];
    line(box, "Date", when + " (" + g + ", " + dtp + ")" + (said ? " from “" + said + "”" : ""));
    box.appendChild(sentenceNode(i));
    if (E.a[i].length) line(box, "Actors", E.a[i].map(function (a) { return S[a]; }).join(", "));
    line(box, "Precision", "geo " + E.gp[i] + " · time " + E.tp[i]);
    line(box, "Confidence", E.c[i].toFixed(2) + (S[E.r[i]] ? " — " + S[E.r[i]] : ""));
    var told = E.m[i], nSrc = E.src[i].length;
    if (told > 1 || nSrc > 1) {
      var again = el("details", "gm-told");
      again.appendChild(el("summary", null, "told " + plural(told, "time") + " in " +
                                            plural(nSrc, "source")));
      E.tl[i].forEach(function (x) { again.appendChild(el("div", "gm-retelling", S[x])); });
      box.appendChild(again);
    }
    E.src[i].forEach(function (s) { box.appendChild(sourceNode(s)); });
    return box;
  }
  // Every event the filters keep at the place, newest first (undated last), a page at a time.
  var POPUP_PAGE = 20;
  function popup(p) {
    return function () {
      var box = el("div", "gm-popup");
      var lvl = D.levels[P.level[p]], cc = S[P.cc[p]];
      box.appendChild(el("h4", null, S[P.name[p]]));
      box.appendChild(el("div", "gm-meta", (cc ? countryLabel(cc) + " · " : "") + lvl +
                         " · GeoNames " + P.id[p]));
      var list = [];
      for (var j = pStart[p + 1] - 1; j >= pStart[p]; j--) {
        var ev = pEvents[j];
        if (active[ET[ev]] && passes(ev)) list.push(ev);
      }
      var pages = Math.max(1, Math.ceil(list.length / POPUP_PAGE)), page = 0;
      var counter = el("div", "gm-meta gm-count-line"), items = el("div", "gm-events");
      var nav = el("div", "gm-pager");
      var prev = el("button", "gm-newer", "‹ newer"), next = el("button", "gm-older", "older ›");
      prev.type = next.type = "button";
      nav.appendChild(prev); nav.appendChild(next);
      function render() {
        items.textContent = "";
        var a = page * POPUP_PAGE, b = Math.min(list.length, a + POPUP_PAGE);
        for (var k = a; k < b; k++) items.appendChild(eventNode(list[k]));
        counter.textContent = plural(list.length, "event") +
          (pages > 1 ? " · " + (a + 1) + "–" + b + " (page " + (page + 1) + " of " + pages + ")"
                     : "");
        prev.disabled = page === 0; next.disabled = page >= pages - 1;
        nav.style.display = pages > 1 ? "" : "none";
        items.scrollTop = 0;
      }
      L.DomEvent.on(prev, "click", function (e) {
        L.DomEvent.stop(e); if (page > 0) { page--; render(); } });
      L.DomEvent.on(next, "click", function (e) {
        L.DomEvent.stop(e); if (page < pages - 1) { page++; render(); } });
      box.appendChild(counter); box.appendChild(nav); box.appendChild(items);
      render();
      return box;
    };
  }

  for (p = 0; p < nP; p++) {
    var geom = D.shapes[String(p)];
    if (geom) {
      var shape = L.geoJSON(geom, { style: { weight: 1.5, color: "#333", fillOpacity: FILL } });
      shape.bindPopup(popup(p), { maxWidth: 420 });
      shape.bindTooltip(tooltip(p), { sticky: true });
      shape.gmPlace = p;
      shapes[p] = shape;
    } else {
      var mk = L.marker([P.lat[p], P.lon[p]], { icon: pinIcon(p, 0), gmCount: 0, gmPlace: p });
      mk.bindPopup(popup(p), { maxWidth: 420 });
      mk.bindTooltip(tooltip(p), { direction: "right" });
      markers[p] = mk;
    }
  }

  timings.markers = now() - timings.start;

  // ---- flow lines: an actor's home country → the event's place ----
  var flowLayer = null, flowLines = 0, flowPairs = 0, flowNote = null, FLOW_LIMIT = 300;
  var FH = null, FE = null, FHI = null, nF = 0;
  if (D.flows) {
    FH = D.flows.homes; FE = Int32Array.from(D.flows.e); FHI = Int32Array.from(D.flows.h);
    nF = FE.length;
    flowLayer = L.featureGroup();
  }
  // a bent line (quadratic Bézier in lat/lon), so flows between the same places in
  // opposite directions do not overlap
  function arc(a, b) {
    var dy = b[0] - a[0], dx = b[1] - a[1];
    var c = [(a[0] + b[0]) / 2 + dx * 0.2, (a[1] + b[1]) / 2 - dy * 0.2], pts = [];
    for (var s = 0; s <= 24; s++) {
      var u = s / 24, v = 1 - u;
      pts.push([v * v * a[0] + 2 * u * v * c[0] + u * u * b[0],
                v * v * a[1] + 2 * u * v * c[1] + u * u * b[1]]);
    }
    return pts;
  }
  function drawFlows() {
    flowLayer.clearLayers();
    var agg = {}, keys = [], homesUsed = {}, f, k;
    for (f = 0; f < nF; f++) {
      var i = FE[f];
      if (!active[ET[i]] || !passes(i)) continue;
      var key = FHI[f] * nP + EP[i], a = agg[key];
      if (!a) {
        a = agg[key] = { h: FHI[f], p: EP[i], n: 0, t: new Int32Array(nT) };
        keys.push(key);
      }
      a.n++; a.t[ET[i]]++;
    }
    flowPairs = keys.length;
    // thousands of lines are unreadable and slow to redraw: the heaviest ones only
    if (keys.length > FLOW_LIMIT) {
      keys.sort(function (x, y) { return agg[y].n - agg[x].n || x - y; });
      keys.length = FLOW_LIMIT;
    }
    keys.forEach(function (key) {
      var a = agg[key], best = 0;
      for (k = 1; k < nT; k++) if (a.t[k] > a.t[best]) best = k;
      var line = L.polyline(arc([FH.lat[a.h], FH.lon[a.h]], [P.lat[a.p], P.lon[a.p]]), {
        color: T[best].colour, weight: 2 + 1.5 * Math.log(a.n) / Math.LN2, opacity: 0.85,
        className: "gm-flow" });
      line.bindTooltip(function () {
        var d = el("div");
        d.appendChild(el("b", null, S[FH.name[a.h]]));
        d.appendChild(document.createTextNode(" → " + S[P.name[a.p]] + " · " +
                                              plural(a.n, "event")));
        return d;
      }, { sticky: true });
      line.on("click", function () { api.openPlace(a.p); });
      flowLayer.addLayer(line);
      homesUsed[a.h] = true;
    });
    Object.keys(homesUsed).forEach(function (h) {
      var dot = L.circleMarker([FH.lat[h], FH.lon[h]], { radius: 5, color: "#333", weight: 1.5,
        fillColor: "#fff", fillOpacity: 1, className: "gm-flow-home" });
      dot.bindTooltip(function () {
        return el("span", null, S[FH.name[h]] + " (" + S[FH.cc[h]] + ")");
      });
      flowLayer.addLayer(dot);
    });
    flowLines = keys.length;
    if (flowNote) {
      flowNote.textContent = flowPairs > flowLines ?
        " (the " + flowLines + " largest of " + flowPairs + ")" : "";
    }
  }

  // ---- apply the filters to every layer ----
  var legendRows = [], totalNode = null, paintRange = null;
  var clustered = 0, applyCost = 0, isSettled = false, settleTimer = null;
  var pending = false, pendingFull = false;
  var shownCount = new Int32Array(nP), shownTypes = new Int32Array(nP * Math.max(nT, 1));

  function count() {
    dateFiltering = lo > LO_END || hi < HI_END || playTimer !== null;
    placeCount.fill(0); placeTypes.fill(0); typeCount.fill(0);
    var i, p, t;
    visibleEvents = 0; visiblePlaces = 0;
    histCount.fill(0);
    for (i = 0; i < nE; i++) {
      var s0 = ES[i];
      if (s0 !== NODATE && s0 >= vmin && s0 <= vmax && active[ET[i]] && extra(i)) {
        histCount[binOf[s0 - vmin]]++;
      }
      if (!passes(i)) continue;
      t = ET[i]; typeCount[t]++;
      if (!active[t]) continue;
      p = EP[i]; placeCount[p]++; placeTypes[p * nT + t]++; visibleEvents++;
    }
    for (p = 0; p < nP; p++) if (placeCount[p]) visiblePlaces++;
  }
  function unchanged(p) {
    if (placeCount[p] !== shownCount[p]) return false;
    for (var b = p * nT, t = 0; t < nT; t++) {
      if (placeTypes[b + t] !== shownTypes[b + t]) return false;
    }
    return true;
  }
  function draw() {
    var add = [], remove = [], refresh = [], heatPts = [], maxN = 1, p;
    for (p = 0; p < nP; p++) if (placeCount[p] > maxN) maxN = placeCount[p];
    var scale = Math.log(1 + maxN);
    for (p = 0; p < nP; p++) {
      var n = placeCount[p];
      if (n) heatPts.push([P.lat[p], P.lon[p], Math.max(0.15, Math.log(1 + n) / scale)]);
      if (unchanged(p)) continue;
      var was = shownCount[p] > 0;
      shownCount[p] = n;
      shownTypes.set(placeTypes.subarray(p * nT, p * nT + nT), p * nT);
      if (markers[p]) {
        var m = markers[p];
        if (!n) { remove.push(m); continue; }
        m.options.gmCount = n;
        m.setIcon(pinIcon(p, n));
        if (was) refresh.push(m); else add.push(m);
      } else if (shapes[p]) {
        if (!n) { countries.removeLayer(shapes[p]); continue; }
        var c = T[dominant(p)].colour;
        shapes[p].setStyle({ fillColor: c, color: c, fillOpacity: fillOn ? FILL : 0 });
        if (!was) countries.addLayer(shapes[p]);
      }
    }
    var changed = remove.length + refresh.length, tc = now();
    if (changed > 1000 && changed > clustered / 4) {
      // markercluster's bulk removal and refresh are slow on big sets; a rebuild is not
      var all = [];
      for (p = 0; p < nP; p++) if (markers[p] && placeCount[p]) all.push(markers[p]);
      cluster.clearLayers();
      cluster.addLayers(all);
      clustered = all.length;
    } else {
      if (remove.length) cluster.removeLayers(remove);
      if (add.length) cluster.addLayers(add);
      if (refresh.length) cluster.refreshClusters(refresh);
      clustered += add.length - remove.length;
    }
    timings.clusterOps = now() - tc;
    heat.setLatLngs(heatPts);
    if (flowLayer && map.hasLayer(flowLayer)) drawFlows();
  }
  function show(settled) {
    legendRows.forEach(function (r, t) {
      var all = typeTotal[t];
      r.count.textContent = typeCount[t] + (typeCount[t] !== all ? " / " + all : "");
      r.row.setAttribute("data-count", typeCount[t]);
      r.row.classList.toggle("gm-off", !active[t]);
    });
    if (totalNode) {
      totalNode.textContent = visibleEvents + " of " + plural(nE, "event") + " at " +
        plural(visiblePlaces, "place") + (settled ? "" : " …");
    }
    if (paintRange) paintRange();
  }
  // Counting is cheap; redrawing markers and clusters is not (≈0.5 s for 100,000 events).
  // While a handle is dragged on a big map, the legend follows at once and the markers
  // catch up when the handle rests or is released.
  function apply(light) {
    var t0 = now();
    count();
    var t1 = now();
    if (!light) draw();
    var t2 = now();
    show(!light);
    if (!light) {
      applyCost = t2 - t1;
      timings.lastApply = { filter: t1 - t0, draw: t2 - t1, clusters: timings.clusterOps,
                            total: now() - t0 };
      if (!timings.firstApply) timings.firstApply = timings.lastApply;
      api.version++;
      isSettled = true;
      map.fire("geomap:filtered", { visibleEvents: visibleEvents, visiblePlaces: visiblePlaces });
    }
  }
  function schedule(dragging) {
    clearTimeout(settleTimer);
    var light = dragging && applyCost > 60;
    isSettled = false;
    pendingFull = pendingFull || !light;
    if (light) settleTimer = setTimeout(function () { schedule(false); }, 200);
    if (pending) return;
    pending = true;
    (window.requestAnimationFrame || setTimeout)(function () {
      pending = false;
      var full = pendingFull;
      pendingFull = false;
      apply(!full);
    });
  }

  // ---- per-type layers in the layer control (toggling them re-filters) ----
  var overlays = {}, typeLayers = [];
  T.forEach(function (t, k) {
    var g = L.layerGroup();
    g.gmType = k;
    g.on("add", function () { active[k] = true; schedule(); });
    g.on("remove", function () { active[k] = false; schedule(); });
    typeLayers.push(g);
    var label = '<span class="gm-sw" style="background:' + t.colour + '"><i class="fa-solid fa-' +
      t.icon + '"></i></span><span class="gm-layer-label" data-type="' + escapeHtml(t.key) + '">' +
      escapeHtml(t.label) + "</span>";
    overlays[label] = g;
    g.addTo(map);
  });
  cluster.addTo(map);
  countries.addTo(map);
  overlays['<span class="gm-layer-label" data-type="heat">Heat map</span>'] = heat;
  if (Object.keys(D.shapes).length) {
    fillLayer.on("add remove", function (e) {
      fillOn = e.type === "add";
      shapes.forEach(function (sh) { if (sh) sh.setStyle({ fillOpacity: fillOn ? FILL : 0 }); });
      writeHash();
    });
    fillLayer.addTo(map);
    overlays['<span class="gm-layer-label" data-type="fill">Country fill</span>'] = fillLayer;
  }
  if (flowLayer) {
    flowLayer.on("add", drawFlows);
    flowLayer.addTo(map);
    overlays['<span class="gm-layer-label" data-type="flows">Flows</span>'] = flowLayer;
  }
  var base = {};
  if (tileLayer) base[escapeHtml(tileName)] = tileLayer;
  var layerControl = L.control.layers(base, overlays, { collapsed: false, position: "topright" });
  layerControl.addTo(map);

  // ---- legend ----
  var Legend = L.Control.extend({
    options: { position: "bottomright" },
    onAdd: function () {
      var box = el("div", "gm-panel gm-legend leaflet-control");
      box.appendChild(el("h4", null, "Event types"));
      if (!nT) box.appendChild(el("div", null, "No events"));
      T.forEach(function (t, k) {
        var row = el("div", "gm-row");
        row.setAttribute("data-type", t.key);
        var sw = el("span", "gm-sw"); sw.style.background = t.colour;
        sw.appendChild(el("i", "fa-solid fa-" + t.icon));
        row.appendChild(sw);
        row.appendChild(el("span", "gm-label", t.label));
        var count = el("span", "gm-count", typeTotal[k]);
        row.appendChild(count);
        row.title = "Show or hide " + t.label;
        L.DomEvent.on(row, "click", function () {
          if (map.hasLayer(typeLayers[k])) map.removeLayer(typeLayers[k]);
          else map.addLayer(typeLayers[k]);
        });
        legendRows.push({ row: row, count: count });
        box.appendChild(row);
      });
      var key = el("div", "gm-key");
      var kinds = [["", "place"], ["gm-k-area", "region / admin area"],
                   ["gm-k-country", "country"]];
      if (nF) kinds.push(["gm-k-flow", "flow: actor's home → place"]);
      kinds.forEach(function (k2) {
        var d = el("div");
        d.appendChild(el("span", k2[0]));
        d.appendChild(document.createTextNode(k2[1]));
        key.appendChild(d);
        if (k2[0] === "gm-k-flow") {
          flowNote = el("span", "gm-flow-note");
          d.appendChild(flowNote);
        }
      });
      box.appendChild(key);
      totalNode = el("div", "gm-total");
      box.appendChild(totalNode);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    }
  });
  new Legend().addTo(map);

  // ---- date-range control: a histogram, two handles over one track, zoom, step, play ----
  var dateInputs = null, playTimer = null, playBin = 0, playWidth = 1, playSpeed = 700;
  var playWindow = 1, renderBars = null, undatedBox = null, playControls = null;
  function dayLabel(d) {
    return d === -Infinity ? "earlier" : d === Infinity ? "later" : iso(d);
  }
  // One frame of playback: a window of playWidth bins starting at bin playBin.
  function playFrame() {
    var last = playBin + playWidth >= nBins;
    lo = Math.max(vmin, edges[playBin]);
    hi = Math.min(vmax, edges[Math.min(nBins, playBin + playWidth)] - 1);
    if (dateInputs) { dateInputs[0].value = lo; dateInputs[1].value = hi; }
    apply();
    if (last) { api.pause(); return; }
    playBin++;
    // a frame stays up as long as the user asked, and longer on maps slow to redraw
    playTimer = setTimeout(playFrame, Math.max(playSpeed, 3 * applyCost));
    if (paintRange) paintRange();
  }
  function setView(from, to) {
    vmin = Math.max(dmin, Math.min(from, dmax)); vmax = Math.min(dmax, Math.max(to, vmin));
    buildBins();
    if (renderBars) renderBars();
  }
  if (D.dmin !== null) {
    var DateControl = L.Control.extend({
      options: { position: "bottomleft" },
      onAdd: function () {
        var box = el("div", "gm-panel gm-date leaflet-control");
        box.appendChild(el("h4", null, "Dates"));
        var labels = el("div", "gm-dates");
        var a = el("span", "gm-from"), b = el("span", "gm-to");
        labels.appendChild(a); labels.appendChild(b);
        box.appendChild(labels);
        var hist = el("div", "gm-hist"), bars = [];
        box.appendChild(hist);
        var range = el("div", "gm-range"), track = el("div", "gm-track"), sel = el("div", "gm-sel");
        track.appendChild(sel); range.appendChild(track);
        function mk(cls) {
          var inp = el("input", cls);
          inp.type = "range"; inp.step = 1;
          inp.setAttribute("aria-label", cls === "gm-lo" ? "from date" : "to date");
          range.appendChild(inp);
          return inp;
        }
        var inLo = mk("gm-lo"), inHi = mk("gm-hi");
        dateInputs = [inLo, inHi];
        // the handles' extreme notches stand for "earlier" / "later" when the view is the
        // whole span and events lie beyond it
        function loNotch() { return earlier && vmin === dmin; }
        function hiNotch() { return later && vmax === dmax; }
        function toInput(d, isLo) {
          if (d === -Infinity) return vmin - 1;
          if (d === Infinity) return vmax + 1;
          return Math.max(vmin - (isLo && loNotch() ? 1 : 0), Math.min(vmax + (hiNotch() ? 1 : 0), d));
        }
        function fromInput(v) {
          if (v < vmin) return -Infinity;
          if (v > vmax) return Infinity;
          return v;
        }
        renderBars = function () {
          hist.textContent = ""; bars = [];
          hist.title = "events per " + histUnit;
          hist.setAttribute("data-unit", histUnit);
          for (var k = 0; k < nBins; k++) {
            var bar = el("div", "gm-bar"), x0 = Math.max(0, edges[k] - vmin) / span,
                x1 = Math.min(span, edges[k + 1] - vmin) / span;
            bar.style.left = (x0 * 100) + "%";
            bar.style.width = "calc(" + ((x1 - x0) * 100) + "% - 1px)";
            bar.gmBin = k;
            L.DomEvent.on(bar, "click", function (e) {
              var k2 = e.currentTarget.gmBin;
              api.pause();
              api.setRange(Math.max(vmin, edges[k2]), Math.min(vmax, edges[k2 + 1] - 1));
            });
            bars.push(bar);
            hist.appendChild(bar);
          }
          [inLo, inHi].forEach(function (inp) {
            inp.min = vmin - (loNotch() ? 1 : 0); inp.max = vmax + (hiNotch() ? 1 : 0);
          });
          inLo.value = toInput(lo, true); inHi.value = toInput(hi, false);
          unitSelect.value = unitChoice;
          if (paintRange) paintRange();
        };
        function paint() {
          var l0 = +inLo.min, w = Math.max(1, +inLo.max - l0);
          var pLo = (+inLo.value - l0) / w, pHi = (+inHi.value - l0) / w;
          sel.style.left = (pLo * 100) + "%";
          sel.style.width = ((pHi - pLo) * 100) + "%";
          a.textContent = dayLabel(lo); b.textContent = dayLabel(hi);
          var top = 1;
          for (var k = 0; k < nBins; k++) if (histCount[k] > top) top = histCount[k];
          for (k = 0; k < nBins && k < bars.length; k++) {
            var n = histCount[k], bar = bars[k];
            bar.style.height = (n ? Math.max(4, n / top * 100) : 0) + "%";
            bar.setAttribute("data-count", n);
            bar.title = iso(Math.max(vmin, edges[k])) + (histUnit === "day" ? "" : " – " +
              iso(Math.min(vmax, edges[k + 1] - 1))) + ": " + plural(n, "event");
            bar.classList.toggle("gm-in", edges[k] <= hi && edges[k + 1] - 1 >= lo);
          }
          playButton.textContent = playTimer !== null ? "❚❚ pause" : "▶ play";
        }
        function onInput(e) {
          var dragging = e.type === "input";
          var vLo = +inLo.value, vHi = +inHi.value;
          if (vLo > vHi) {
            if (e.target === inLo) { vLo = vHi; inLo.value = vLo; }
            else { vHi = vLo; inHi.value = vHi; }
          }
          // the handle last moved stays on top, so two handles at one end can still part
          inLo.style.zIndex = e.target === inLo ? 3 : 2;
          inHi.style.zIndex = e.target === inHi ? 3 : 2;
          if (playTimer !== null) api.pause();
          lo = fromInput(vLo); hi = fromInput(vHi);
          if (lo === Infinity) lo = vmax;
          if (hi === -Infinity) hi = vmin;
          paint(); schedule(dragging);
        }
        ["input", "change"].forEach(function (ev) {
          L.DomEvent.on(inLo, ev, onInput);
          L.DomEvent.on(inHi, ev, onInput);
        });
        box.appendChild(range);
        function row(cls) { var r = el("div", "gm-opts " + cls); box.appendChild(r); return r; }
        function select(cls, label, options, value) {
          var lab = el("label", cls), sel2 = el("select");
          lab.appendChild(document.createTextNode(label + " "));
          options.forEach(function (o) {
            var opt = el("option", null, o[1]); opt.value = o[0]; sel2.appendChild(opt);
          });
          sel2.value = value;
          lab.appendChild(sel2);
          return lab;
        }
        // step (the histogram's bins and playback's steps), zoom
        var r1 = row("gm-row-step");
        var unitLabel = select("gm-unit", "step", [["auto", "auto"], ["day", "day"],
                               ["week", "week"], ["month", "month"], ["year", "year"]], "auto");
        var unitSelect = unitLabel.querySelector("select");
        L.DomEvent.on(unitSelect, "change", function () { api.setUnit(unitSelect.value); });
        r1.appendChild(unitLabel);
        var zb = el("span");
        var zoomIn = el("button", "gm-zoom", "zoom"); zoomIn.type = "button";
        zoomIn.title = "Spread the selected dates over the whole slider";
        L.DomEvent.on(zoomIn, "click", function () { api.zoom(); });
        var zoomOut = el("button", "gm-unzoom", "unzoom"); zoomOut.type = "button";
        L.DomEvent.on(zoomOut, "click", function () { api.unzoom(); });
        zb.appendChild(zoomIn); zb.appendChild(zoomOut);
        r1.appendChild(zb);
        // playback: window and speed
        var r2 = row("gm-row-play");
        var win = el("label", "gm-window"), winIn = el("input");
        winIn.type = "number"; winIn.min = 1; winIn.max = 999; winIn.value = playWindow;
        winIn.setAttribute("aria-label", "playback window in steps");
        win.appendChild(document.createTextNode("window "));
        win.appendChild(winIn);
        L.DomEvent.on(winIn, "change", function () {
          api.setPlayback({ window: Math.max(1, Math.round(+winIn.value) || 1) });
        });
        r2.appendChild(win);
        var speed = select("gm-speed", "speed", [["1400", "slow"], ["700", "normal"],
                           ["350", "fast"], ["150", "fastest"]], String(playSpeed));
        var speedSelect = speed.querySelector("select");
        L.DomEvent.on(speedSelect, "change", function () {
          api.setPlayback({ speed: +speedSelect.value });
        });
        r2.appendChild(speed);
        var opts = row("gm-row-main");
        if (nUndated) {
          var lab = el("label"), cb = el("input", "gm-undated");
          cb.type = "checkbox"; cb.checked = undatedOn;
          lab.title = "Undated events are hidden while dates are filtered; tick to keep them";
          L.DomEvent.on(cb, "change", function () { undatedOn = cb.checked; schedule(); });
          lab.appendChild(cb);
          lab.appendChild(document.createTextNode(" undated (" + nUndated + ")"));
          opts.appendChild(lab);
          undatedBox = cb;
        } else opts.appendChild(el("span"));
        var buttons = el("span");
        var playButton = el("button", "gm-play", "▶ play"); playButton.type = "button";
        playButton.title = "Step through time, one step at a time";
        L.DomEvent.on(playButton, "click", function () {
          if (playTimer !== null) api.pause(); else api.play();
        });
        buttons.appendChild(playButton);
        var reset = el("button", "gm-reset", "all dates"); reset.type = "button";
        L.DomEvent.on(reset, "click", function () { api.pause(); api.setRange(null, null); });
        buttons.appendChild(reset);
        opts.appendChild(buttons);
        playControls = { window: winIn, speed: speedSelect };
        paintRange = paint;
        renderBars();
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    new DateControl().addTo(map);
  }

  // ---- title, search, minimap, attribution ----
  if (D.title) {
    var Title = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () { return el("div", "gm-panel gm-title leaflet-control", D.title); }
    });
    new Title().addTo(map);
  }
  if (L.Control.Search) {
    var records = {}, seen = {};
    // a place is found by any of its names: its own, and the ones documents used
    var addRecord = function (label, p2) {
      if (seen[label]) label += " #" + P.id[p2];
      seen[label] = true;
      var ll = L.latLng(P.lat[p2], P.lon[p2]); ll.gmPlace = p2;
      records[label] = ll;
    };
    for (p = 0; p < nP; p++) {
      var nm = S[P.name[p]] + (S[P.cc[p]] ? " (" + S[P.cc[p]] + ")" : "");
      addRecord(nm, p);
      (P.alt ? P.alt[p] : []).forEach(function (a) { addRecord(S[a] + " → " + nm, p); });
    }
    var search = new L.Control.Search({
      position: "topleft", initial: false, marker: false, zoom: 9, tooltipLimit: 25,
      textPlaceholder: "Search place…", textErr: "Place not found",
      sourceData: function (text, cb) { cb(records); return { abort: function () {} }; },
      formatData: function (d) { return d; },
      buildTip: function (text) { return el("li", null, text); },
      moveToLocation: function (latlng) { api.openPlace(latlng.gmPlace); }
    });
    map.addControl(search);
  }
  if (L.Control.MiniMap) {
    var miniLayer = null;
    if (tileLayer) {
      miniLayer = L.tileLayer(tileLayer._url, {
        subdomains: tileLayer.options.subdomains, maxZoom: 13 });
    } else if (D.outline) {
      miniLayer = L.geoJSON(D.outline, { interactive: false, style: {
        color: "#777", weight: 0.5, fillColor: "#eee", fillOpacity: 1 } });
    }
    if (miniLayer) {
      new L.Control.MiniMap(miniLayer, { toggleDisplay: true, position: "bottomright",
                                         width: 130, height: 110, zoomLevelOffset: -5 }).addTo(map);
    }
  }
  (D.attribution || []).forEach(function (a) {
    if (map.attributionControl) map.attributionControl.addAttribution(escapeHtml(a));
  });

  // ---- filters panel: country, actor, sub-event type, confidence; export the selection ----
  var filterUI = null;
  (function () {
    function tally(keyOf) {
      var n = {};
      for (var i2 = 0; i2 < nE; i2++) {
        var ks = keyOf(i2);
        for (var j = 0; j < ks.length; j++) n[ks[j]] = (n[ks[j]] || 0) + 1;
      }
      return Object.keys(n).map(function (k) { return [k, n[k]]; })
        .sort(function (x, y) { return y[1] - x[1] || (x[0] < y[0] ? -1 : 1); });
    }
    var countryTally = tally(function (i2) { return [ECC[i2]]; });
    var actorTally = tally(function (i2) { return E.a[i2]; }).slice(0, 500);
    var subTally = tally(function (i2) { return E.sub[i2] ? [E.sub[i2]] : []; });
    var Filters = L.Control.extend({
      // under search on the left: the right column holds the layers, legend and minimap
      options: { position: "topleft" },
      onAdd: function () {
        var box = el("details", "gm-panel gm-filters leaflet-control");
        box.appendChild(el("summary", null, "Filters & export"));
        var body = el("div", "gm-filter-body");
        box.appendChild(body);
        function multi(cls, label, rows, text) {
          var lab = el("label", "gm-f " + cls);
          lab.appendChild(el("div", null, label));
          var sel = el("select");
          sel.multiple = true; sel.size = Math.min(4, Math.max(2, rows.length));
          rows.forEach(function (r) {
            var o = el("option", null, text(r[0]) + " (" + r[1] + ")");
            o.value = r[0]; sel.appendChild(o);
          });
          lab.appendChild(sel);
          body.appendChild(lab);
          L.DomEvent.on(sel, "change", readFilters);
          return sel;
        }
        var cSel = multi("gm-f-country", "Country", countryTally,
                         function (k) { return countryLabel(countryCodes[+k]); });
        var aSel = multi("gm-f-actor", "Actor", actorTally, function (k) { return S[+k]; });
        var sSel = multi("gm-f-sub", "Sub-event type", subTally, function (k) { return S[+k]; });
        var confLab = el("label", "gm-f gm-f-conf"), conf = el("input"), confOut = el("span");
        conf.type = "range"; conf.min = 0; conf.max = 1; conf.step = 0.05; conf.value = 0;
        confLab.appendChild(el("div", null, "Minimum confidence "));
        confLab.firstChild.appendChild(confOut);
        confLab.appendChild(conf);
        body.appendChild(confLab);
        L.DomEvent.on(conf, "input", readFilters);
        var btns = el("div", "gm-f-buttons");
        [["gm-clear", "clear", function () { api.setFilters({}); }],
         ["gm-export-geojson", "⤓ GeoJSON", function () { api.download("geojson"); }],
         ["gm-export-csv", "⤓ CSV", function () { api.download("csv"); }]].forEach(function (b) {
          var btn = el("button", b[0], b[1]); btn.type = "button";
          if (b[0] !== "gm-clear") btn.title = "Export selection: the events the filters keep";
          L.DomEvent.on(btn, "click", b[2]);
          btns.appendChild(btn);
        });
        body.appendChild(btns);
        function picked(sel) {
          var out = [];
          for (var k = 0; k < sel.options.length; k++) {
            if (sel.options[k].selected) out.push(sel.options[k].value);
          }
          return out;
        }
        function readFilters() {
          api.setFilters({
            country: picked(cSel).map(function (k) { return countryCodes[+k]; }),
            actor: picked(aSel).map(function (k) { return S[+k]; }),
            subtype: picked(sSel).map(function (k) { return S[+k]; }),
            minConfidence: +conf.value
          }, true);
        }
        filterUI = {
          show: function (f) {
            function mark(sel, values, key) {
              for (var k = 0; k < sel.options.length; k++) {
                sel.options[k].selected = values.indexOf(key(sel.options[k].value)) >= 0;
              }
            }
            mark(cSel, f.country, function (v) { return countryCodes[+v]; });
            mark(aSel, f.actor, function (v) { return S[+v]; });
            mark(sSel, f.subtype, function (v) { return S[+v]; });
            conf.value = f.minConfidence;
            confOut.textContent = (+f.minConfidence).toFixed(2);
          }
        };
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    new Filters().addTo(map);
  })();

  // ---- the selection as GeoJSON or CSV ----
  function eventRecord(i) {
    var p = EP[i], src = E.src[i].map(function (s) {
      var row = D.sources[s];
      return { doc_id: S[row[0]], title: S[row[1]] || null, url: S[row[2]] || null };
    });
    return {
      event_type: T[ET[i]].key, subtype: S[E.sub[i]], status: D.statuses[E.st[i]],
      date_start: ES[i] === NODATE ? null : iso(ES[i]),
      date_end: ES[i] === NODATE ? null : iso(EE[i]),
      granularity: D.granularities[E.g[i]], date_type: D.dateTypes[E.d[i]],
      time_precision: E.tp[i], geo_precision: E.gp[i],
      place: S[P.name[p]], geonameid: P.id[p], country: S[P.cc[p]] || null,
      xy: P.xy[p],
      actors: E.a[i].map(function (a) { return S[a]; }), trigger: S[E.trg[i]],
      sentence: S[E.x[i]], confidence: E.c[i], reason: S[E.r[i]], sources: src
    };
  }
  function selection() {
    var out = [];
    for (var i2 = 0; i2 < nE; i2++) if (active[ET[i2]] && passes(i2)) out.push(i2);
    return out;
  }
  function toGeoJSON(ids) {
    return JSON.stringify({ type: "FeatureCollection", features: ids.map(function (i2) {
      var r = eventRecord(i2), xy = r.xy;
      delete r.xy;  // the page's xy is the GeoJSON writer's [lon, lat], used as it is
      return { type: "Feature", geometry: { type: "Point", coordinates: xy }, properties: r };
    }) });
  }
  var CSV_COLUMNS = ["event_date", "date_end", "granularity", "date_type", "geomap_type",
                     "sub_event_type", "actor1", "actor2", "country", "country_code", "location",
                     "geonameid", "latitude", "longitude", "geo_precision", "time_precision",
                     "confidence", "notes", "source", "source_url", "WKT"];
  // A text cell that a spreadsheet would run as a formula starts with a quote instead.
  var FORMULA = /^[=+\-@\t\r]/;
  function csvCell(v) {
    var t = v === null || v === undefined ? "" : String(v);
    if (typeof v === "string" && FORMULA.test(t)) t = "'" + t;
    return /[",\r\n]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
  }
  function toCSV(ids) {
    var lines = [CSV_COLUMNS.join(",")];
    ids.forEach(function (i2) {
      var r = eventRecord(i2);
      lines.push([r.date_start, r.date_end, r.granularity, r.date_type, r.event_type, r.subtype,
                  r.actors[0] || "", r.actors.slice(1).join("; "),
                  r.country ? countryLabel(r.country) : "", r.country, r.place, r.geonameid,
                  r.xy[1], r.xy[0], r.geo_precision, r.time_precision, r.confidence, r.sentence,
                  r.sources.map(function (s) { return s.title || s.doc_id; }).join("; "),
                  r.sources.map(function (s) { return s.url || ""; }).filter(Boolean).join("; "),
                  P.wkt[EP[i2]]].map(csvCell).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  // ---- the view in the URL fragment: a link reopens the same filters and position ----
  // `known` is the fragment last read or written here. Any other fragment is a new link
  // whose "hashchange" is on its way: a pending write of the old view must not replace it.
  var hashTimer = null, restoring = false, known = null;
  function viewHash() {
    var c = map.getCenter(), parts = ["z=" + map.getZoom() + "/" + c.lat.toFixed(4) + "/" +
                                      c.lng.toFixed(4)];
    function list(name, values) {
      if (values.length) parts.push(name + "=" + values.map(encodeURIComponent).join("|"));
    }
    if (D.dmin !== null && lo > LO_END) parts.push("from=" + iso(lo));
    if (D.dmin !== null && hi < HI_END) parts.push("to=" + iso(hi));
    list("off", T.filter(function (t, k) { return !active[k]; }).map(function (t) { return t.key; }));
    var f = api.filters();
    list("cc", f.country); list("actor", f.actor); list("sub", f.subtype);
    if (f.minConfidence) parts.push("conf=" + f.minConfidence);
    if (undatedOn) parts.push("undated=1");
    if (unitChoice !== "auto") parts.push("step=" + unitChoice);
    if (vmin !== dmin || vmax !== dmax) parts.push("view=" + iso(vmin) + "/" + iso(vmax));
    return parts.join("&");
  }
  function writeHash() {
    if (restoring || !api || !api.ready) return;
    clearTimeout(hashTimer);
    hashTimer = setTimeout(function () {
      if (known !== null && location.hash !== known) return;
      var h = "#" + viewHash();
      if (location.hash !== h && history.replaceState) history.replaceState(null, "", h);
      known = location.hash;
    }, 150);
  }
  function readHash() {
    known = location.hash;
    var h = (location.hash || "").replace(/^#/, "");
    if (!h) return false;
    var q = {};
    h.split("&").forEach(function (kv) {
      var k = kv.indexOf("=");
      if (k > 0) q[kv.slice(0, k)] = kv.slice(k + 1);
    });
    function list(name) {
      return q[name] ? q[name].split("|").map(function (v) {
        try { return decodeURIComponent(v); } catch (err) { return v; }
      }) : [];
    }
    restoring = true;
    try {
      var off = list("off");
      T.forEach(function (t, k) {
        var on = off.indexOf(t.key) < 0;
        if (!on && map.hasLayer(typeLayers[k])) map.removeLayer(typeLayers[k]);
        else if (on && !map.hasLayer(typeLayers[k])) map.addLayer(typeLayers[k]);
      });
      if (q.step) api.setUnit(q.step);
      if (q.view) { var v = q.view.split("/"); api.zoom(v[0], v[1]); }
      undatedOn = q.undated === "1";
      if (undatedBox) undatedBox.checked = undatedOn;
      api.setFilters({ country: list("cc"), actor: list("actor"), subtype: list("sub"),
                       minConfidence: q.conf ? +q.conf : 0 }, true);
      api.setRange(q.from || null, q.to || null);
      if (q.z) {
        var z = q.z.split("/").map(Number);
        if (z.length === 3 && z.every(isFinite)) map.setView([z[1], z[2]], z[0], { animate: false });
      }
    } finally { restoring = false; }
    return true;
  }
  map.on("moveend", writeHash);
  map.on("geomap:filtered", writeHash);
  // A link to this page with another view (pasted, or followed from the page itself) is
  // that view: read it, and drop a write of the old view still pending.
  window.addEventListener("hashchange", function () {
    clearTimeout(hashTimer);
    if (api && api.ready && readHash()) apply();
  });

  // ---- a small API (tests, benchmarks, other scripts) ----
  function parseDay(v, dflt) {
    if (v === null || v === undefined || v === "") return dflt;
    if (typeof v === "number") return v;
    if (v === "earlier") return -Infinity;
    if (v === "later") return Infinity;
    var d = Math.round(Date.parse(v + "T00:00:00Z") / DAY);
    return isFinite(d) ? d : dflt;
  }
  var api = {
    version: 0, ready: false, map: map, cluster: cluster, heat: heat,
    countries: countries, layerControl: layerControl, typeLayers: typeLayers, flows: flowLayer,
    fill: fillLayer,
    get settled() { return isSettled && !pending; },
    setRange: function (from, to) {
      lo = Math.max(LO_END, parseDay(from, LO_END)); hi = Math.min(HI_END, parseDay(to, HI_END));
      if (lo > hi) lo = hi;
      if (lo === Infinity) lo = dmax;
      if (hi === -Infinity) hi = dmin;
      if (renderBars) renderBars(); else if (dateInputs) { dateInputs[0].value = lo; dateInputs[1].value = hi; }
      apply();
      return api.state();
    },
    setUnit: function (unit) {
      if (["auto", "day", "week", "month", "year"].indexOf(unit) < 0) return;
      unitChoice = unit; buildBins();
      if (renderBars) renderBars();
      apply();
    },
    zoom: function (from, to) {
      var a = parseDay(from, lo), b = parseDay(to, hi);
      setView(isFinite(a) ? a : dmin, isFinite(b) ? b : dmax);
      apply();
    },
    unzoom: function () { setView(dmin, dmax); apply(); },
    view: function () { return { from: iso(vmin), to: iso(vmax), unit: histUnit }; },
    setPlayback: function (o) {
      if (o.window) playWindow = Math.max(1, Math.round(o.window));
      if (o.speed) playSpeed = Math.max(50, +o.speed);
      if (playControls) { playControls.window.value = playWindow; playControls.speed.value = String(playSpeed); }
      return { window: playWindow, speed: playSpeed };
    },
    setFilters: function (f, fromUI) {
      f = f || {};
      var cc = f.country || [], actor = f.actor || [], sub = f.subtype || [];
      allowCountry = null; allowActor = null; allowSub = null;
      if (cc.length) {
        allowCountry = new Uint8Array(countryCodes.length);
        cc.forEach(function (c) { if (c in countryIndex) allowCountry[countryIndex[c]] = 1; });
      }
      function allow(names) {
        var a = new Uint8Array(S.length), want = {};
        names.forEach(function (n) { want[n] = true; });
        for (var k = 0; k < S.length; k++) if (want[S[k]]) a[k] = 1;
        return a;
      }
      if (actor.length) allowActor = allow(actor);
      if (sub.length) allowSub = allow(sub);
      minConf = +f.minConfidence || 0;
      filterState = { country: cc.slice(), actor: actor.slice(), subtype: sub.slice(),
                      minConfidence: minConf };
      if (filterUI) filterUI.show(filterState);
      if (fromUI) schedule(); else apply();
      return api.state();
    },
    filters: function () { return filterState; },
    selection: function () { return selection().map(eventRecord); },
    exportSelection: function (fmt) {
      return fmt === "csv" ? toCSV(selection()) : toGeoJSON(selection());
    },
    download: function (fmt) {
      var text = api.exportSelection(fmt), link = el("a");
      var blob = new Blob([text], { type: fmt === "csv" ? "text/csv" : "application/geo+json" });
      link.href = URL.createObjectURL(blob);
      link.download = "geomap-selection." + (fmt === "csv" ? "csv" : "geojson");
      document.body.appendChild(link); link.click(); document.body.removeChild(link);
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    },
    viewHash: viewHash,
    setFill: function (on) {
      if (on && !map.hasLayer(fillLayer)) map.addLayer(fillLayer);
      if (!on && map.hasLayer(fillLayer)) map.removeLayer(fillLayer);
    },
    openPlace: function (p) {
      if (markers[p]) {
        if (!cluster.hasLayer(markers[p])) { map.setView(markers[p].getLatLng(), 9); return; }
        cluster.zoomToShowLayer(markers[p], function () { markers[p].openPopup(); });
      } else if (shapes[p]) {
        map.fitBounds(shapes[p].getBounds());
        if (countries.hasLayer(shapes[p])) shapes[p].openPopup(L.latLng(P.lat[p], P.lon[p]));
      }
    },
    placeIndex: function (geonameid) { return P.id.indexOf(geonameid); },
    get playing() { return playTimer !== null; },
    play: function () {
      if (D.dmin === null || playTimer !== null) return;
      playWidth = playWindow;
      if (lo <= vmin && hi >= vmax) playBin = 0;
      else {
        playBin = binOf[Math.max(vmin, Math.min(vmax, lo)) - vmin];
        if (playBin + playWidth >= nBins) playBin = 0;  // at the end: start again
      }
      playTimer = -1;
      playFrame();
    },
    pause: function () {
      if (playTimer !== null) { clearTimeout(playTimer); playTimer = null; }
      if (paintRange) paintRange();
    },
    histogram: function () {
      var counts = Array.prototype.slice.call(histCount);
      return { unit: histUnit, starts: edges.slice(0, nBins).map(function (d) {
        return iso(Math.max(vmin, d)); }), counts: counts,
        slider: D.dmin === null ? null : [iso(dmin), iso(dmax)], earlier: earlier, later: later };
    },
    state: function () {
      var counts = {}, places = [];
      T.forEach(function (t, k) { counts[t.key] = typeCount[k]; });
      var pc = [];
      for (var q = 0; q < nP; q++) {
        if (placeCount[q]) { places.push(P.id[q]); pc.push(placeCount[q]); }
      }
      var dated = nE && D.dmin !== null;
      return {
        from: dated ? dayLabel(lo) : null, to: dated ? dayLabel(hi) : null,
        active: T.filter(function (t, k) { return active[k]; }).map(function (t) { return t.key; }),
        typeCounts: counts, visibleEvents: visibleEvents, visiblePlaces: places,
        placeCounts: pc, flowLines: flowLayer && map.hasLayer(flowLayer) ? flowLines : 0,
        flowPairs: flowLayer && map.hasLayer(flowLayer) ? flowPairs : 0,
        filters: filterState, undated: undatedOn, fill: fillOn
      };
    }
  };
  var filterState = { country: [], actor: [], subtype: [], minConfidence: 0 };
  map.geomap = api;
  window.geomapMaps = window.geomapMaps || {};
  window.geomapMaps[dataId.replace(/_data$/, "")] = api;

  readHash();
  apply();
  timings.ready = now() - timings.start;
  api.timings = timings;
  api.ready = true;
  writeHash();
  map.fire("geomap:ready");
  document.documentElement.setAttribute("data-geomap-ready", "1");
};
