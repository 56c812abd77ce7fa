"""Interactive HTML maps of events, drawn with folium and a little JavaScript.

The event data is embedded **once** in the page as JSON; a small script builds
one marker per place (with its event count), the per-type layers, clusters,
the heat layer, country shapes, the legend and the date-range control on the
client side. That keeps a 100,000-event map to one compact payload instead of
one Python ``folium.Marker`` (and one block of generated JavaScript) per event.

Everything that comes from a document (sentences, titles, URLs, actors, place
names) is data: it is embedded as escaped JSON and put into the page with DOM
APIs (``textContent``), never as HTML; links are only made for ``http`` and
``https`` URLs.

``offline=True`` inlines every script, stylesheet, font and image the page
needs, from local copies installed with ``npm ci --prefix tests/browser``
(or a ``node_modules`` directory named by ``GEOMAP_ASSETS``), so the file
works with no network at all (together with ``tiles="none"``).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import html
import json
import mimetypes
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import folium.plugins
from branca.element import CssLink, Element, Figure, JavascriptLink
from folium.elements import JSCSSMixin
from folium.template import Template

from ._io import atomic_write_text
from .errors import AssetsNotFound, UnknownOption, options_message
from .records import DATE_TYPES, GRANULARITIES, Event
from .taxonomy import EVENT_TYPES

__all__ = ["render_map", "save_map", "TILES"]

#: Accepted ``tiles`` values; ``"none"`` draws an outline basemap of country shapes instead.
TILES: tuple[str, ...] = ("OpenStreetMap", "CartoDB positron", "CartoDB dark_matter", "none")

GEONAMES_ATTRIBUTION = "Place data © GeoNames, CC BY 4.0"
_OUTLINE_ATTRIBUTION = "Country outlines: Natural Earth (via countryinfo)"

_LEVELS = ("point", "admin2", "admin1", "region", "country")
_STATUSES = ("fact", "negated", "hypothetical", "future")
_EPOCH = dt.date(1970, 1, 1)
_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})$")
_ICON = re.compile(r"^[a-z0-9-]{1,40}$")
# Font Awesome 4 names used by the taxonomy that Font Awesome 6 (folium's) dropped.
_ICON_ALIASES = {"handshake-o": "handshake", "warning": "triangle-exclamation"}


# --------------------------------------------------------------------------------------
# Local copies of the CDN assets (for offline maps and for the browser tests)
# --------------------------------------------------------------------------------------

# Assets the renderer adds on top of folium's defaults (same CDNs folium's plugins use).
_MARKERCLUSTER = "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0"
_HEAT_JS = (
    "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/"
    "leaflet_heat.min.js"
)
_MINIMAP = "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1"
_SEARCH = "https://cdn.jsdelivr.net/npm/leaflet-search@2.9.7/dist"

_JSDELIVR_NPM = re.compile(r"^https?://cdn\.jsdelivr\.net/npm/+((?:@[^/@]+/)?[^/@]+)@[^/]+/(.+)$")
_CDNJS = re.compile(r"^https?://cdnjs\.cloudflare\.com/ajax/libs/([^/]+)/[^/]+/(.+)$")
_CDNJS_PACKAGES = {
    "Leaflet.awesome-markers": "leaflet.awesome-markers/dist",
    "leaflet.markercluster": "leaflet.markercluster/dist",
    "leaflet-minimap": "leaflet-minimap/dist",
}
_FIXED_URLS = {
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
}
_FOLIUM_TEMPLATES = re.compile(
    r"^https?://cdn\.jsdelivr\.net/gh/python-visualization/folium(?:@[^/]+)?/folium/templates/(.+)$"
)
# folium links these two stylesheets from places npm does not mirror; geomap's maps do not
# use them (glyphicons, rotated awesome-markers), so offline maps leave them out.
_OPTIONAL_URLS = (
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css",
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/"
    "leaflet.awesome.rotate.min.css",
)
_INSTALL_HINT = (
    "install them with `npm ci --prefix tests/browser` (from a geomap checkout), "
    "or set GEOMAP_ASSETS to a node_modules directory holding the packages of "
    "tests/browser/package.json"
)


def _asset_roots() -> list[Path]:
    """Candidate ``node_modules`` directories, in the order they are tried."""
    roots: list[Path] = []
    env = os.environ.get("GEOMAP_ASSETS")
    if env:
        base = Path(env).expanduser()
        roots.append(base / "node_modules" if (base / "node_modules").is_dir() else base)
    here = Path(__file__).resolve().parent.parent
    for base in (here, Path.cwd()):
        candidate = base / "tests" / "browser" / "node_modules"
        if candidate not in roots:
            roots.append(candidate)
    return roots


def _find_assets_root() -> Path | None:
    for root in _asset_roots():
        if (root / "leaflet" / "dist" / "leaflet.js").is_file():
            return root
    return None


def _variants(rel: str) -> list[str]:
    """``x.min.js`` may be published as ``x.js`` on npm, and the other way round."""
    out = [rel]
    m = re.match(r"^(.*?)(\.min)?(\.(?:js|css))$", rel)
    if m:
        out.append(m.group(1) + m.group(3) if m.group(2) else m.group(1) + ".min" + m.group(3))
    return out


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _local_asset(url: str, root: Path | None = None) -> Path | None:
    """Map a CDN ``url`` that folium or geomap loads to its local copy, or ``None``.

    ``root`` is a ``node_modules`` directory (default: the first one found). The
    heat-map script comes from the folium package itself (it ships a patched copy).
    """
    url = url.split("#", 1)[0].split("?", 1)[0]
    m = _FOLIUM_TEMPLATES.match(url)
    if m:
        shipped = Path(folium.__file__).resolve().parent / "templates" / m.group(1)
        if shipped.is_file():
            return shipped
        if m.group(1) == "leaflet_heat.min.js":
            url = "https://cdn.jsdelivr.net/npm/leaflet.heat@0.2.0/dist/leaflet-heat.js"
    root = root if root is not None else _find_assets_root()
    if root is None:
        return None
    rel: str | None = _FIXED_URLS.get(url)
    if rel is None:
        m = _JSDELIVR_NPM.match(url)
        if m:
            rel = f"{m.group(1)}/{m.group(2)}"
    if rel is None:
        m = _CDNJS.match(url)
        if m and m.group(1) in _CDNJS_PACKAGES:
            rel = f"{_CDNJS_PACKAGES[m.group(1)]}/{m.group(2)}"
    if rel is None:
        return None
    for candidate in _variants(rel):
        path = root / candidate
        if path.is_file() and _inside(path, root):
            return path
    return None


_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")
_TTF_FALLBACK = re.compile(r",\s*url\([^)]*\.ttf\)\s*format\([\"']truetype[\"']\)")


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or {
        ".woff2": "font/woff2",
        ".woff": "font/woff",
        ".ttf": "font/ttf",
        ".svg": "image/svg+xml",
    }.get(path.suffix, "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_css(path: Path) -> str:
    """A stylesheet with every relative ``url()`` replaced by a data URI."""
    css = _TTF_FALLBACK.sub("", path.read_text(encoding="utf-8"))

    def replace(m: re.Match[str]) -> str:
        ref = m.group(2).strip()
        if ref.startswith(("data:", "#", "http:", "https:", "//")):
            return m.group(0)
        target = (path.parent / ref.split("#", 1)[0].split("?", 1)[0]).resolve()
        if not target.is_file():
            return m.group(0)
        return f'url("{_data_uri(target)}")'

    css = _CSS_URL.sub(replace, css)
    return "<style>\n" + css.replace("</", "<\\/") + "\n</style>"


def _inline_js(path: Path) -> str:
    code = path.read_text(encoding="utf-8")
    # Neither sequence occurs in the pinned assets; escaped anyway so a script can never
    # end early or switch the HTML parser into its "escaped" state.
    code = code.replace("</script", "<\\/script").replace("<!--", "<\\!--")
    return "<script>\n" + code + "\n</script>"


class _OfflineFigure(Figure):
    """A Figure whose header links are swapped for the inlined files when rendered."""

    def render(self, **kwargs: Any) -> str:
        for child in self._children.values():
            child.render(**kwargs)
        root = _find_assets_root()
        if root is None:
            raise AssetsNotFound(f"offline map: no local JS/CSS assets found; {_INSTALL_HINT}")
        for name, child in list(self.header._children.items()):
            if not isinstance(child, (JavascriptLink, CssLink)):
                continue
            url = child.url
            if url in _OPTIONAL_URLS:
                self.header._children[name] = Element(f"<!-- {name}: omitted offline -->")
                continue
            path = _local_asset(url, root)
            if path is None:
                raise AssetsNotFound(
                    f"offline map: no local copy of {url} under {root}; {_INSTALL_HINT}"
                )
            inline = _inline_js(path) if isinstance(child, JavascriptLink) else _inline_css(path)
            self.header._children[name] = Element(inline)
        return str(self._template.render(this=self, kwargs=kwargs))


# --------------------------------------------------------------------------------------
# Country shapes
# --------------------------------------------------------------------------------------


def _countryinfo_shapes() -> dict[str, dict[str, Any]]:
    """ISO alpha-2 code → GeoJSON geometry, read from the countryinfo package's data files."""
    return _countryinfo()[0]


def _countryinfo_capitals() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 code → the capital's ``(lat, lon)``, from the countryinfo package."""
    return _countryinfo()[1]


@functools.lru_cache(maxsize=1)
def _countryinfo() -> tuple[dict[str, dict[str, Any]], dict[str, tuple[float, float]]]:
    try:
        import countryinfo
    except ImportError:  # pragma: no cover - a declared dependency
        return {}, {}
    shapes: dict[str, dict[str, Any]] = {}
    capitals: dict[str, tuple[float, float]] = {}
    data = Path(countryinfo.__file__).resolve().parent / "data"
    for file in sorted(data.glob("*.json")):
        try:
            info = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        code = (info.get("ISO") or {}).get("alpha2")
        geo = info.get("geoJSON") or {}
        geometry = None
        if geo.get("type") == "FeatureCollection" and geo.get("features"):
            geometry = geo["features"][0].get("geometry")
        elif geo.get("type") == "Feature":
            geometry = geo.get("geometry")
        elif geo.get("type") in ("Polygon", "MultiPolygon"):
            geometry = geo
        if code and geometry and geometry.get("type") in ("Polygon", "MultiPolygon"):
            shapes[str(code).upper()] = geometry
        latlng = info.get("capital_latlng")
        if code and isinstance(latlng, list) and len(latlng) == 2:
            try:
                lat, lon = float(latlng[0]), float(latlng[1])
            except (TypeError, ValueError):
                continue
            if -90 <= lat <= 90 and -180 <= lon <= 180:
                capitals[str(code).upper()] = (lat, lon)
    return shapes, capitals


def _shape_for(code: str | None, country_shapes: Callable[[str], Any] | None) -> Any:
    if not code:
        return None
    geometry = None
    if country_shapes is not None:
        geometry = country_shapes(code)
        if geometry is not None and hasattr(geometry, "__geo_interface__"):
            geometry = geometry.__geo_interface__
    if geometry is None:
        geometry = _countryinfo_shapes().get(code.upper())
    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    if not isinstance(geometry, dict) or "type" not in geometry:
        return None
    return geometry


def _round_coords(value: Any, ndigits: int) -> Any:
    if isinstance(value, float):
        return round(value, ndigits)
    if isinstance(value, (list, tuple)):
        return [_round_coords(v, ndigits) for v in value]
    return value


def _outline(country_shapes: Callable[[str], Any] | None) -> dict[str, Any]:
    features = []
    for code in sorted(_countryinfo_shapes()):
        geometry = _shape_for(code, country_shapes)
        if geometry is None:
            continue
        features.append({
            "type": "Feature",
            "properties": {},
            "geometry": {
                "type": geometry["type"],
                "coordinates": _round_coords(geometry.get("coordinates", []), 3),
            },
        })
    return {"type": "FeatureCollection", "features": features}


def _centroid(geometry: Any) -> tuple[float, float] | None:
    """``(lat, lon)`` of the area centroid of a geometry's largest polygon (outer ring).

    The largest polygon, not the whole multipolygon, so a country with far islands (or
    one that crosses the antimeridian) gets a point on its mainland.
    """
    if not isinstance(geometry, dict):
        return None
    coords = geometry.get("coordinates") or []
    polygons = [coords] if geometry.get("type") == "Polygon" else (
        coords if geometry.get("type") == "MultiPolygon" else [])
    best: tuple[float, float, float] | None = None
    for polygon in polygons:
        if not polygon or len(polygon[0]) < 3:
            continue
        ring = polygon[0]
        area2 = cx = cy = 0.0
        for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            area2 += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if area2 == 0:
            continue
        cand = (abs(area2), cy / (3 * area2), cx / (3 * area2))
        if best is None or cand[0] > best[0]:
            best = cand
    return None if best is None else (best[1], best[2])


#: An actor that names a country, as the event linker writes demonyms: "North Korea (KP)".
_COUNTRY_ACTOR = re.compile(r"^(?P<name>.*\S)\s*\((?P<cc>[A-Z]{2})\)$")


def _home(
    code: str,
    homes: Mapping[str, Sequence[float]] | None,
    country_shapes: Callable[[str], Any] | None,
) -> tuple[float, float] | None:
    """Where an actor of country ``code`` comes from: ``homes``, else the capital, else
    the centroid of the country's shape."""
    if homes is not None and code in homes:
        lat, lon = (float(v) for v in homes[code])
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return (lat, lon)
    capital = _countryinfo_capitals().get(code)
    if capital is not None:
        return capital
    return _centroid(_shape_for(code, country_shapes))


def _flows(
    events: Sequence[Event],
    strings: _Strings,
    homes: Mapping[str, Sequence[float]] | None,
    country_shapes: Callable[[str], Any] | None,
) -> dict[str, Any]:
    """Columns of the flow lines: each event with a country actor from another country."""
    table: dict[str, int] = {}
    cols: dict[str, list[Any]] = {"cc": [], "name": [], "lat": [], "lon": []}
    ev: list[int] = []
    home: list[int] = []
    for i, event in enumerate(events):
        drawn: set[int] = set()
        for actor in event.actors:
            m = _COUNTRY_ACTOR.match(actor)
            if m is None or m.group("cc") == (event.place.country or "").upper():
                continue  # not a country, or at home: no line to draw
            cc = m.group("cc")
            h = table.get(cc)
            if h is None:
                where = _home(cc, homes, country_shapes)
                if where is None:
                    table[cc] = -1
                    continue
                h = table[cc] = len(cols["cc"])
                cols["cc"].append(strings(cc))
                cols["name"].append(strings(m.group("name")))
                cols["lat"].append(round(where[0], 4))
                cols["lon"].append(round(where[1], 4))
            if h >= 0 and h not in drawn:
                drawn.add(h)
                ev.append(i)
                home.append(h)
    return {"homes": cols, "e": ev, "h": home}


# --------------------------------------------------------------------------------------
# The embedded payload
# --------------------------------------------------------------------------------------


def _utf16(text: str, index: int) -> int:
    """JavaScript string offsets count UTF-16 code units, Python's count code points."""
    return len(text[:index].encode("utf-16-le")) // 2


def _find_span(sentence: str, needle: str, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    needle = needle.strip()
    if not needle:
        return None
    low, target = sentence.casefold(), needle.casefold()
    if len(low) != len(sentence):  # casefold changed lengths (ß → ss): match exactly
        low, target = sentence, needle
    start = 0
    while True:
        i = low.find(target, start)
        if i < 0:
            return None
        span = (i, i + len(target))
        # whole words only: "Paris" is not marked inside "parisien"
        whole = (i == 0 or not sentence[i - 1].isalnum()) and (
            span[1] == len(sentence) or not sentence[span[1]].isalnum())
        if whole and all(span[1] <= a or span[0] >= b for a, b in taken):
            return span
        start = i + 1


def _marks(event: Event) -> list[int]:
    """``[start, end, kind, ...]`` in UTF-16 units; kind 0 = trigger, 1 = place."""
    sentence = event.sentence or ""
    taken: list[tuple[int, int]] = []
    out: list[int] = []
    candidates = [(event.trigger, 0), (event.place_text or event.place.name, 1)]
    if event.place_text and event.place_text != event.place.name:
        candidates.append((event.place.name, 1))
    for needle, kind in candidates:
        if kind == 1 and any(k == 1 for k in out[2::3]):
            continue
        span = _find_span(sentence, needle or "", taken)
        if span is None:
            continue
        taken.append(span)
        out += [_utf16(sentence, span[0]), _utf16(sentence, span[1]), kind]
    return out


def _safe_url(url: str | None) -> str:
    """The URL if it is an absolute http(s) URL, else ``""`` (the JS re-checks)."""
    if not url:
        return ""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    return url.strip() if re.match(r"^https?://", cleaned, re.IGNORECASE) else ""


def _day(value: dt.date | None) -> int | None:
    return None if value is None else (value - _EPOCH).days


class _Strings:
    """A table of distinct strings: each text is embedded once and referred to by index."""

    def __init__(self) -> None:
        self.items: list[str] = [""]
        self._index: dict[str, int] = {"": 0}

    def __call__(self, text: str | None) -> int:
        text = "" if text is None else str(text)
        i = self._index.get(text)
        if i is None:
            i = self._index[text] = len(self.items)
            self.items.append(text)
        return i


def _type_style(name: str) -> dict[str, str]:
    et = EVENT_TYPES[name]
    colour = et.colour if _COLOUR.match(et.colour or "") else "#777777"
    icon = _ICON_ALIASES.get(et.icon, et.icon)
    icon = icon if _ICON.match(icon or "") else "circle"
    return {"key": name, "label": et.label or name, "colour": colour, "icon": icon}


def _payload(
    events: Sequence[Event],
    country_shapes: Callable[[str], Any] | None,
    title: str | None,
    outline: dict[str, Any] | None,
    attribution: list[str],
    flows: bool = False,
    homes: Mapping[str, Sequence[float]] | None = None,
) -> dict[str, Any]:
    present = {e.type for e in events}
    type_names = [name for name in EVENT_TYPES if name in present]
    type_index = {name: i for i, name in enumerate(type_names)}
    strings = _Strings()
    places: dict[int, int] = {}
    place_cols: dict[str, list[Any]] = {k: [] for k in ("id", "name", "lat", "lon", "level", "cc")}
    shapes: dict[str, Any] = {}
    sources: dict[tuple[str, str, str, str], int] = {}
    cols: dict[str, list[Any]] = {
        k: [] for k in ("t", "p", "s", "e", "g", "d", "tp", "gp", "c", "r", "x", "k", "a",
                        "sub", "st", "src", "trg", "dx", "dr")
    }
    level_index = {lv: i for i, lv in enumerate(_LEVELS)}
    for event in events:
        place = event.place
        p = places.get(place.geonameid)
        if p is None:
            p = places[place.geonameid] = len(place_cols["id"])
            place_cols["id"].append(place.geonameid)
            place_cols["name"].append(strings(place.name))
            place_cols["lat"].append(round(float(place.lat), 5))
            place_cols["lon"].append(round(float(place.lon), 5))
            place_cols["level"].append(level_index.get(place.level, 0))
            place_cols["cc"].append(strings(place.country or ""))
            if place.level == "country":
                geometry = _shape_for(place.country, country_shapes)
                if geometry is not None:
                    shapes[str(p)] = geometry
        src_ids = []
        for source in event.all_sources:
            key = (source.doc_id, source.title or "", source.url or "", _safe_url(source.url))
            s = sources.get(key)
            if s is None:
                s = sources[key] = len(sources)
            src_ids.append(s)
        date = event.date
        cols["t"].append(type_index[event.type])
        cols["p"].append(p)
        cols["s"].append(_day(date.start))
        cols["e"].append(_day(date.end))
        cols["g"].append(GRANULARITIES.index(date.granularity))
        cols["d"].append(DATE_TYPES.index(date.date_type))
        cols["tp"].append(event.time_precision)
        cols["gp"].append(event.geo_precision)
        cols["c"].append(round(float(event.confidence), 3))
        cols["r"].append(strings(event.reason))
        cols["x"].append(strings(event.sentence))
        cols["k"].append(_marks(event))
        cols["a"].append([strings(a) for a in event.actors])
        cols["sub"].append(strings(event.subtype))
        cols["st"].append(_STATUSES.index(event.status) if event.status in _STATUSES else 0)
        cols["src"].append(src_ids)
        cols["trg"].append(strings(event.trigger))
        cols["dx"].append(strings(date.text))
        cols["dr"].append(strings(date.reason))
    flow_cols = _flows(events, strings, homes, country_shapes) if flows else None
    source_rows = [
        [strings(doc_id), strings(title_), strings(url), strings(safe)]
        for (doc_id, title_, url, safe) in sources
    ]
    days = [d for d in cols["s"] if d is not None] + [d for d in cols["e"] if d is not None]
    return {
        "title": title or "",
        "types": [_type_style(name) for name in type_names],
        "levels": list(_LEVELS),
        "granularities": list(GRANULARITIES),
        "dateTypes": list(DATE_TYPES),
        "statuses": list(_STATUSES),
        "strings": strings.items,
        "places": place_cols,
        "shapes": shapes,
        "sources": source_rows,
        "events": cols,
        "dmin": min(days) if days else None,
        "dmax": max(days) if days else None,
        "outline": outline,
        "flows": flow_cols,
        "attribution": attribution,
        "bounds": _bounds(events),
    }


def _json_for_html(data: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    Escaping every ``<``, ``>`` and ``&`` (a superset of escaping ``</``) means no
    text can close the script element or open an HTML comment in it.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# --------------------------------------------------------------------------------------
# The folium element
# --------------------------------------------------------------------------------------

_CSS = """
.gm-icon { background: none; border: none; }
.gm-pin { position: relative; width: 28px; height: 28px; border-radius: 50%;
  border: 2px solid #fff; box-shadow: 0 0 0 1px rgba(0,0,0,.45), 0 1px 4px rgba(0,0,0,.4);
  color: #fff; display: flex; align-items: center; justify-content: center;
  font-size: 13px; box-sizing: border-box; }
.gm-pin.gm-area { border: 2px dashed #222; box-shadow: 0 0 0 3px rgba(255,255,255,.75); }
.gm-pin.gm-country { border: 2px dotted #222; border-radius: 4px; }
.gm-pin b { position: absolute; top: -9px; right: -12px; min-width: 16px; padding: 0 3px;
  height: 16px; line-height: 16px; border-radius: 8px; background: #222; color: #fff;
  font: bold 10px/16px sans-serif; text-align: center; }
.gm-ring { position: absolute; inset: -6px; border-radius: 50%; z-index: -1; }
.gm-cluster div { width: 34px; height: 34px; margin: 3px; border-radius: 17px;
  background: rgba(40,40,40,.75); color: #fff; display: flex; align-items: center;
  justify-content: center; font: bold 12px sans-serif; }
.gm-cluster { background: rgba(40,40,40,.25); border-radius: 20px; }
.gm-panel { background: rgba(255,255,255,.94); padding: 6px 9px; border-radius: 5px;
  box-shadow: 0 1px 5px rgba(0,0,0,.4); font: 12px/1.45 "Helvetica Neue", Arial, sans-serif;
  color: #222; }
.gm-legend { max-height: 45vh; overflow-y: auto; min-width: 170px; }
.gm-legend h4, .gm-date h4 { margin: 0 0 4px; font-size: 13px; }
.gm-legend .gm-row { display: flex; align-items: center; gap: 6px; cursor: pointer;
  user-select: none; }
.gm-legend .gm-row.gm-off { opacity: .4; text-decoration: line-through; }
.gm-sw { display: inline-flex; width: 18px; height: 18px; border-radius: 50%; color: #fff;
  align-items: center; justify-content: center; font-size: 10px; flex: none; }
.gm-legend .gm-count { margin-left: auto; font-variant-numeric: tabular-nums; padding-left: 8px; }
.gm-legend .gm-key { margin-top: 5px; padding-top: 4px; border-top: 1px solid #ddd; color: #444; }
.gm-legend .gm-key span { display: inline-block; width: 11px; height: 11px; margin-right: 4px;
  vertical-align: -1px; border: 2px solid #333; border-radius: 50%; }
.gm-legend .gm-key .gm-k-area { border-style: dashed; }
.gm-legend .gm-key .gm-k-country { border-style: dotted; border-radius: 2px;
  background: rgba(0,0,0,.15); }
.gm-legend .gm-key .gm-k-flow { border: none; border-top: 3px dashed #555; border-radius: 0;
  width: 16px; height: 0; vertical-align: 3px; }
.gm-legend .gm-total { margin-top: 3px; color: #444; }
path.gm-flow { stroke-dasharray: 9 6; animation: gm-flow 1.2s linear infinite;
  stroke-linecap: round; }
@keyframes gm-flow { to { stroke-dashoffset: -15; } }
@media (prefers-reduced-motion: reduce) { path.gm-flow { animation: none; } }
.gm-date { width: 250px; }
.gm-date .gm-dates { display: flex; justify-content: space-between;
  font-variant-numeric: tabular-nums; }
.gm-hist { position: relative; height: 38px; margin: 4px 7px 0; border-bottom: 1px solid #bbb; }
.gm-hist .gm-bar { position: absolute; bottom: 0; min-width: 1px; background: #c4cfdf;
  cursor: pointer; }
.gm-hist .gm-bar.gm-in { background: #2a6fdb; }
.gm-hist .gm-bar:hover { background: #f0a020; }
.gm-range { position: relative; height: 22px; margin: 2px 0; }
.gm-range .gm-track { position: absolute; left: 7px; right: 7px; top: 9px; height: 4px;
  background: #ccc; border-radius: 2px; }
.gm-range .gm-sel { position: absolute; top: 0; height: 4px; background: #2a6fdb;
  border-radius: 2px; }
.gm-range input[type=range] { position: absolute; left: 0; top: 0; width: 100%; height: 22px;
  margin: 0; background: transparent; pointer-events: none; -webkit-appearance: none;
  appearance: none; }
.gm-range input[type=range]::-webkit-slider-runnable-track { background: transparent;
  height: 22px; }
.gm-range input[type=range]::-webkit-slider-thumb { -webkit-appearance: none;
  pointer-events: auto; width: 14px; height: 14px; margin-top: 4px; border-radius: 50%;
  background: #fff; border: 2px solid #2a6fdb; cursor: pointer; }
.gm-range input[type=range]::-moz-range-thumb { pointer-events: auto; width: 12px;
  height: 12px; border-radius: 50%; background: #fff; border: 2px solid #2a6fdb;
  cursor: pointer; }
.gm-range input[type=range]::-moz-range-track { background: transparent; }
.gm-date .gm-opts { display: flex; justify-content: space-between; align-items: center; }
.gm-date button { font-size: 11px; padding: 0 6px; margin-left: 4px; }
.gm-title { font: bold 15px "Helvetica Neue", Arial, sans-serif; }
.gm-popup { max-height: 340px; overflow-y: auto; font: 12px/1.4 "Helvetica Neue", Arial,
  sans-serif; }
.gm-popup h4 { margin: 0 0 4px; font-size: 14px; }
.gm-popup .gm-ev { border-top: 1px solid #ddd; padding: 5px 0; }
.gm-popup .gm-type { font-weight: bold; }
.gm-popup .gm-sentence { margin: 3px 0; }
.gm-popup mark { background: #ffe066; padding: 0 1px; }
.gm-popup mark.gm-mark-place { background: #b9e3ff; }
.gm-popup .gm-meta { color: #555; }
.gm-popup .gm-more { color: #555; font-style: italic; }
.leaflet-control-layers .gm-sw { width: 14px; height: 14px; font-size: 8px;
  vertical-align: -2px; margin-right: 3px; }
.gm-nomap { background: #dfe9f0; }
.search-tip { white-space: nowrap; }
"""

# The client side: plain ES5-compatible JavaScript, no templating inside (the payload and
# names are passed as arguments), so document text never meets an HTML parser.
_JS = r"""
(function (map, dataId, tileLayer, tileName) {
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
})
"""


class _EventMap(JSCSSMixin):
    """The payload (once, as JSON) and the script that draws it on its parent map."""

    _template = Template(
        """
{% macro header(this, kwargs) %}
<style>{{ this.css }}</style>
{% endmacro %}
{% macro html(this, kwargs) %}
<script type="application/json" id="{{ this.get_name() }}_data">{{ this.data_json }}</script>
{% endmacro %}
{% macro script(this, kwargs) %}
{{ this.js }}({{ this._parent.get_name() }}, {{ (this.get_name() ~ '_data')|tojson }},
  {{ this.tile_var }}, {{ this.tile_name|tojson }});
{% endmacro %}
"""
    )

    default_js = [
        ("leaflet_markercluster", f"{_MARKERCLUSTER}/leaflet.markercluster.js"),
        ("leaflet_heat", _HEAT_JS),
        ("leaflet_minimap", f"{_MINIMAP}/Control.MiniMap.js"),
        ("leaflet_search", f"{_SEARCH}/leaflet-search.min.js"),
    ]
    default_css = [
        ("leaflet_markercluster_css", f"{_MARKERCLUSTER}/MarkerCluster.css"),
        ("leaflet_markercluster_default_css", f"{_MARKERCLUSTER}/MarkerCluster.Default.css"),
        ("leaflet_minimap_css", f"{_MINIMAP}/Control.MiniMap.css"),
        ("leaflet_search_css", f"{_SEARCH}/leaflet-search.min.css"),
    ]

    def __init__(self, payload: dict[str, Any], tile_layer: folium.TileLayer | None,
                 tile_name: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "GeomapEvents"
        self.payload = payload
        self.data_json = _json_for_html(payload)
        self.css = _CSS
        self.js = _JS.strip()
        self.tile_var = tile_layer.get_name() if tile_layer is not None else "null"
        self.tile_name = tile_name


def _bounds(events: Iterable[Event]) -> list[list[float]] | None:
    lats = [e.place.lat for e in events]
    if not lats:
        return None
    lons = [e.place.lon for e in events]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def render_map(
    events: Sequence[Event],
    *,
    tiles: str = "OpenStreetMap",
    title: str | None = None,
    country_shapes: Callable[[str], dict[str, Any] | None] | None = None,
    offline: bool = False,
    flows: bool = False,
    homes: Mapping[str, Sequence[float]] | None = None,
) -> folium.Map:
    """Draw events on an interactive folium map.

    One marker per place (grouped by GeoNames id) shows how many events happened
    there; its popup lists them with the sentence (trigger and place marked),
    dates, precisions, confidence and source. Each event type present is a
    toggleable layer with its colour and icon; a legend counts the events; a
    two-handle date control over a histogram of events (by day, week, month or
    year) filters every layer at once, and its play button steps through time.
    Country-level events
    are drawn on the country's shape, region-level places get a dashed ring.
    The map also has clustering, a heat layer, place search, full screen, a
    minimap and a scale.

    Parameters
    ----------
    events : sequence of Event
        The events to draw (already filtered by the caller).
    tiles : str, default "OpenStreetMap"
        One of :data:`TILES`. ``"none"`` draws no tiles but an outline basemap
        of country shapes, so the map shows something without a network.
    title : str, optional
        A title shown on the map and as the page title.
    country_shapes : callable, optional
        ``country_shapes("RU")`` returns a GeoJSON geometry dict (or ``None``);
        shapes it lacks come from the countryinfo package.
    offline : bool, default False
        Inline every script, stylesheet and font from local copies (see the
        module docstring), making one self-contained file. Also draws the
        outline basemap under the tiles, which shows where tiles cannot load.
    flows : bool, default False
        Add a "Flows" layer (in the layer control) of lines from an actor's
        home country to the event's place, e.g. North Korean troops → Kursk.
        Actors that name a country, as ``"North Korea (KP)"`` (demonyms), count;
        actors of the place's own country draw no line. The lines follow the
        date and type filters.
    homes : mapping, optional
        ISO code → ``(lat, lon)`` of an actor's home. Codes it lacks get their
        capital (from countryinfo), else the centroid of the country's shape.

    Returns
    -------
    folium.Map
        Save it with :func:`save_map`.

    Raises
    ------
    UnknownOption
        If ``tiles`` is not one of :data:`TILES`.
    AssetsNotFound
        If ``offline`` is true and the local asset copies are not installed.

    Examples
    --------
    >>> import datetime as dt
    >>> from geomap.records import DateResolution, Event, Place
    >>> kursk = Place(554234, "Kursk", 51.73, 36.19, "PPLA", "RU")
    >>> day = DateResolution(dt.date(2024, 8, 6), dt.date(2024, 8, 6), "day", "exact")
    >>> m = render_map([Event("armed_clash", kursk, day, "Fighting in Kursk.")])
    >>> "Armed clash" in m.get_root().render()
    True
    >>> render_map([], tiles="Stamen")
    Traceback (most recent call last):
    ...
    geomap.errors.UnknownOption: unknown tiles 'Stamen'; options are: OpenStreetMap, ...
    """
    if tiles not in TILES:
        raise UnknownOption(options_message("tiles", tiles, TILES))
    if offline and _find_assets_root() is None:
        raise AssetsNotFound(
            "offline=True needs local copies of the map's JS/CSS, none found in "
            + ", ".join(str(r) for r in _asset_roots())
            + f"; {_INSTALL_HINT}"
        )
    events = list(events)
    m = folium.Map(
        location=[20.0, 10.0],
        zoom_start=2,
        tiles=None if tiles == "none" else tiles,
        control_scale=True,
        world_copy_jump=True,
    )
    if offline:
        figure = _OfflineFigure()
        figure.add_child(m)
    root = m.get_root()
    if title and isinstance(root, Figure):
        root.header.add_child(
            Element(f"<title>{html.escape(title)}</title>"), name="geomap_title"
        )
    tile_layer = next((c for c in m._children.values() if isinstance(c, folium.TileLayer)), None)
    attribution = [GEONAMES_ATTRIBUTION]
    outline = None
    if tiles == "none" or offline:
        outline = _outline(country_shapes)
        attribution.append(_OUTLINE_ATTRIBUTION)
    payload = _payload(events, country_shapes, title, outline, attribution, flows, homes)
    folium.plugins.Fullscreen(position="topleft").add_to(m)  # type: ignore[no-untyped-call]
    _EventMap(payload, tile_layer, tiles).add_to(m)
    return m


def save_map(m: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write the map as one HTML file, atomically, and return its path.

    Parameters
    ----------
    m : folium.Map
        A map from :func:`render_map` (any folium map works).
    path : str or path-like
        Where to write; parent directories are created.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = save_map(render_map([]), pathlib.Path(tempfile.mkdtemp()) / "map.html")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    return atomic_write_text(path, m.get_root().render())
