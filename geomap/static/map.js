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
  var dmin = D.dmin === null ? 0 : D.dmin, dmax = D.dmax === null ? 0 : D.dmax;
  var lo = dmin, hi = dmax, undatedOn = true;
  var placeCount = new Int32Array(nP), placeTypes = new Int32Array(nP * Math.max(nT, 1));
  var typeCount = new Int32Array(nT), typeTotal = new Int32Array(nT);
  for (i = 0; i < nE; i++) typeTotal[ET[i]]++;
  var visibleEvents = 0, visiblePlaces = 0;

  // ---- histogram bins: days, weeks (from Monday), months or years, at most ~120 bars ----
  var span = dmax - dmin + 1, histUnit = "day", edges = [];
  if (span > 120) histUnit = span <= 7 * 120 ? "week" : span <= 31 * 120 ? "month" : "year";
  (function () {
    var d;
    if (histUnit === "day" || histUnit === "week") {
      var step = histUnit === "day" ? 1 : 7;
      d = histUnit === "day" ? dmin : dmin - (((dmin + 3) % 7) + 7) % 7;  // day 0 is a Thursday
      for (; d <= dmax; d += step) edges.push(d);
      edges.push(d);
    } else {
      var x = new Date(dmin * DAY), y = x.getUTCFullYear();
      var m = histUnit === "month" ? x.getUTCMonth() : 0;
      do {
        d = Math.round(Date.UTC(y, m, 1) / DAY);
        edges.push(d);
        if (histUnit === "month") { m++; if (m === 12) { m = 0; y++; } } else y++;
      } while (d <= dmax);
    }
  })();
  var nBins = edges.length - 1, binOf = new Int32Array(span), histCount = new Int32Array(nBins);
  for (var b0 = 0, dd = 0; dd < span; dd++) {
    while (edges[b0 + 1] <= dmin + dd) b0++;
    binOf[dd] = b0;
  }

  function passes(i) {
    var s = ES[i];
    if (s === NODATE) return undatedOn;
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
    iconCreateFunction: function (c) {
      var n = 0, ms = c.getAllChildMarkers();
      for (var j = 0; j < ms.length; j++) n += ms[j].options.gmCount || 0;
      var div = el("div"); div.appendChild(el("span", null, n));
      return L.divIcon({ html: div, className: "gm-cluster", iconSize: L.point(40, 40) });
    }
  });
  var countries = L.featureGroup();
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
    E.src[i].forEach(function (s) { box.appendChild(sourceNode(s)); });
    return box;
  }
  var POPUP_LIMIT = 30;
  function popup(p) {
    return function () {
      var box = el("div", "gm-popup");
      var lvl = D.levels[P.level[p]], cc = S[P.cc[p]];
      box.appendChild(el("h4", null, S[P.name[p]]));
      var sub = el("div", "gm-meta", (cc ? cc + " · " : "") + lvl + " · GeoNames " + P.id[p]);
      box.appendChild(sub);
      var shown = 0, hidden = 0;
      for (var j = pStart[p]; j < pStart[p + 1]; j++) {
        var ev = pEvents[j];
        if (!active[ET[ev]] || !passes(ev)) continue;
        if (shown < POPUP_LIMIT) { box.appendChild(eventNode(ev)); shown++; } else hidden++;
      }
      box.insertBefore(el("div", "gm-meta", plural(shown + hidden, "event") + " shown"),
                       sub.nextSibling);
      if (hidden) {
        box.appendChild(el("div", "gm-more", "… and " + hidden + " more (narrow the date range)"));
      }
      return box;
    };
  }

  for (p = 0; p < nP; p++) {
    var geom = D.shapes[String(p)];
    if (geom) {
      var shape = L.geoJSON(geom, { style: { weight: 1.5, color: "#333", fillOpacity: 0.3 } });
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
    placeCount.fill(0); placeTypes.fill(0); typeCount.fill(0);
    var i, p, t;
    visibleEvents = 0; visiblePlaces = 0;
    histCount.fill(0);
    for (i = 0; i < nE; i++) {
      if (ES[i] !== NODATE && active[ET[i]]) histCount[binOf[ES[i] - dmin]]++;
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
        shapes[p].setStyle({ fillColor: c, color: c });
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

  // ---- date-range control: a histogram, two handles over one track, play ----
  var dateInputs = null, playTimer = null, playBin = 0, playWidth = 1;
  // One frame of playback: a window of playWidth bins starting at bin playBin.
  function playFrame() {
    var last = playBin + playWidth >= nBins;
    api.setRange(Math.max(dmin, edges[playBin]),
                 Math.min(dmax, edges[Math.min(nBins, playBin + playWidth)] - 1));
    if (last) { api.pause(); return; }
    playBin++;
    // a frame stays up long enough to be seen, and longer on maps slow to redraw
    playTimer = setTimeout(playFrame, Math.max(700, 3 * applyCost));
    if (paintRange) paintRange();
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
        hist.title = "events per " + histUnit;
        hist.setAttribute("data-unit", histUnit);
        for (var k = 0; k < nBins; k++) {
          var bar = el("div", "gm-bar"), x0 = Math.max(0, edges[k] - dmin) / span,
              x1 = Math.min(span, edges[k + 1] - dmin) / span;
          bar.style.left = (x0 * 100) + "%";
          bar.style.width = "calc(" + ((x1 - x0) * 100) + "% - 1px)";
          bar.gmBin = k;
          L.DomEvent.on(bar, "click", function (e) {
            var k2 = e.currentTarget.gmBin;
            api.pause();
            api.setRange(Math.max(dmin, edges[k2]), Math.min(dmax, edges[k2 + 1] - 1));
          });
          bars.push(bar);
          hist.appendChild(bar);
        }
        box.appendChild(hist);
        var range = el("div", "gm-range"), track = el("div", "gm-track"), sel = el("div", "gm-sel");
        track.appendChild(sel); range.appendChild(track);
        function mk(cls, v) {
          var inp = el("input", cls);
          inp.type = "range"; inp.min = dmin; inp.max = dmax; inp.step = 1; inp.value = v;
          inp.setAttribute("aria-label", cls === "gm-lo" ? "from date" : "to date");
          range.appendChild(inp);
          return inp;
        }
        var inLo = mk("gm-lo", dmin), inHi = mk("gm-hi", dmax);
        dateInputs = [inLo, inHi];
        function paint() {
          var w = Math.max(1, dmax - dmin);
          sel.style.left = ((lo - dmin) / w * 100) + "%";
          sel.style.width = ((hi - lo) / w * 100) + "%";
          a.textContent = iso(lo); b.textContent = iso(hi);
          var top = 1;
          for (var k = 0; k < nBins; k++) if (histCount[k] > top) top = histCount[k];
          for (k = 0; k < nBins; k++) {
            var n = histCount[k], bar = bars[k];
            bar.style.height = (n ? Math.max(4, n / top * 100) : 0) + "%";
            bar.setAttribute("data-count", n);
            bar.title = iso(Math.max(dmin, edges[k])) + (histUnit === "day" ? "" : " – " +
              iso(Math.min(dmax, edges[k + 1] - 1))) + ": " + plural(n, "event");
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
          lo = vLo; hi = vHi; paint(); schedule(dragging);
        }
        ["input", "change"].forEach(function (ev) {
          L.DomEvent.on(inLo, ev, onInput);
          L.DomEvent.on(inHi, ev, onInput);
        });
        box.appendChild(range);
        var opts = el("div", "gm-opts");
        if (nUndated) {
          var lab = el("label"), cb = el("input", "gm-undated");
          cb.type = "checkbox"; cb.checked = true;
          L.DomEvent.on(cb, "change", function () { undatedOn = cb.checked; schedule(); });
          lab.appendChild(cb);
          lab.appendChild(document.createTextNode(" undated (" + nUndated + ")"));
          opts.appendChild(lab);
        } else opts.appendChild(el("span"));
        var buttons = el("span");
        var playButton = el("button", "gm-play", "▶ play"); playButton.type = "button";
        playButton.title = "Step through time, one " + histUnit + " at a time";
        L.DomEvent.on(playButton, "click", function () {
          if (playTimer !== null) api.pause(); else api.play();
        });
        buttons.appendChild(playButton);
        var reset = el("button", "gm-reset", "all dates"); reset.type = "button";
        L.DomEvent.on(reset, "click", function () { api.pause(); api.setRange(null, null); });
        buttons.appendChild(reset);
        opts.appendChild(buttons);
        box.appendChild(opts);
        paintRange = paint;
        paint();
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
    for (p = 0; p < nP; p++) {
      var nm = S[P.name[p]] + (S[P.cc[p]] ? " (" + S[P.cc[p]] + ")" : "");
      if (seen[nm]) nm += " #" + P.id[p];
      seen[nm] = true;
      var ll = L.latLng(P.lat[p], P.lon[p]); ll.gmPlace = p;
      records[nm] = ll;
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

  // ---- a small API (tests, benchmarks, other scripts) ----
  var api = {
    version: 0, ready: false, map: map, cluster: cluster, heat: heat,
    countries: countries, layerControl: layerControl, typeLayers: typeLayers, flows: flowLayer,
    get settled() { return isSettled && !pending; },
    setRange: function (from, to) {
      function parse(v, dflt) {
        if (v === null || v === undefined) return dflt;
        if (typeof v === "number") return v;
        return Math.round(Date.parse(v + "T00:00:00Z") / DAY);
      }
      lo = Math.max(dmin, parse(from, dmin)); hi = Math.min(dmax, parse(to, dmax));
      if (lo > hi) lo = hi;
      if (dateInputs) { dateInputs[0].value = lo; dateInputs[1].value = hi; }
      apply();
      return api.state();
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
      if (lo <= dmin && hi >= dmax) { playBin = 0; playWidth = 1; }
      else {
        playBin = binOf[lo - dmin];
        playWidth = Math.max(1, binOf[hi - dmin] - playBin + 1);
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
        return iso(Math.max(dmin, d)); }), counts: counts };
    },
    state: function () {
      var counts = {}, places = [];
      T.forEach(function (t, k) { counts[t.key] = typeCount[k]; });
      var pc = [];
      for (var q = 0; q < nP; q++) {
        if (placeCount[q]) { places.push(P.id[q]); pc.push(placeCount[q]); }
      }
      return {
        from: nE && D.dmin !== null ? iso(lo) : null, to: nE && D.dmin !== null ? iso(hi) : null,
        active: T.filter(function (t, k) { return active[k]; }).map(function (t) { return t.key; }),
        typeCounts: counts, visibleEvents: visibleEvents, visiblePlaces: places,
        placeCounts: pc, flowLines: flowLayer && map.hasLayer(flowLayer) ? flowLines : 0,
        flowPairs: flowLayer && map.hasLayer(flowLayer) ? flowPairs : 0
      };
    }
  };
  map.geomap = api;
  window.geomapMaps = window.geomapMaps || {};
  window.geomapMaps[dataId.replace(/_data$/, "")] = api;

  apply();
  timings.ready = now() - timings.start;
  api.timings = timings;
  api.ready = true;
  map.fire("geomap:ready");
  document.documentElement.setAttribute("data-geomap-ready", "1");
};
