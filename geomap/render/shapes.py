"""Country shapes for the map: outlines, centroids and where a country actor comes from.

Shapes come from the caller (the gazetteer's ``country_shape``) or, for codes it lacks,
from the countryinfo package's data files.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["countryinfo_shapes", "countryinfo_capitals", "shape_for", "outline", "centroid",
           "COUNTRY_ACTOR", "actor_country", "home_of", "unwrap_antimeridian"]


def countryinfo_shapes() -> dict[str, dict[str, Any]]:
    """ISO alpha-2 code → GeoJSON geometry, read from the countryinfo package's data files."""
    return _countryinfo()[0]


def countryinfo_capitals() -> dict[str, tuple[float, float]]:
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


def shape_for(code: str | None, country_shapes: Callable[[str], Any] | None) -> Any:
    """Return the outline of country ``code``: the gazetteer's, else countryinfo's, else None."""
    if not code:
        return None
    geometry = None
    if country_shapes is not None:
        geometry = country_shapes(code)
        if geometry is not None and hasattr(geometry, "__geo_interface__"):
            geometry = geometry.__geo_interface__
    if geometry is None:
        geometry = countryinfo_shapes().get(code.upper())
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


def outline(country_shapes: Callable[[str], Any] | None) -> dict[str, Any]:
    """Return every country's outline as one GeoJSON FeatureCollection (the offline basemap)."""
    features = []
    for code in sorted(countryinfo_shapes()):
        geometry = shape_for(code, country_shapes)
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


def centroid(geometry: Any) -> tuple[float, float] | None:
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
COUNTRY_ACTOR = re.compile(r"^(?P<name>.*\S)\s*\((?P<cc>[A-Z]{2})\)$")
# ACLED's actor names: "Military Forces of Russia (2000-)", "Protesters (Ukraine)".
_ACLED_OF = re.compile(r"\bof\s+(?P<name>[^()]+?)\s*(?:\(|$)")
_ACLED_PAREN = re.compile(r"\((?P<name>[^()]+)\)")


def actor_country(actor: str) -> tuple[str, str] | None:
    """``(country name, ISO code)`` of an actor that names its country, or None.

    Two forms count: the event linker's ``"North Korea (KP)"`` and ACLED's actor
    names (``"Military Forces of Russia (2000-)"``, ``"Protesters (Ukraine)"``), whose
    country is a CLDR country name.

    Examples
    --------
    >>> actor_country("North Korea (KP)"), actor_country("Military Forces of Russia (2000-)")
    (('North Korea', 'KP'), ('Russia', 'RU'))
    >>> actor_country("Protesters (Ukraine)"), actor_country("Kim Jong Un")
    (('Ukraine', 'UA'), None)
    """
    from ..names import country_code

    m = COUNTRY_ACTOR.match(actor)
    if m is not None:
        return m.group("name"), m.group("cc")
    for pattern in (_ACLED_OF, _ACLED_PAREN):
        for found in pattern.finditer(actor):
            name = found.group("name").strip()
            code = country_code(name)
            if code is not None:
                return name, code
    return None


def home_of(
    code: str,
    homes: Mapping[str, Sequence[float]] | None,
    country_shapes: Callable[[str], Any] | None,
) -> tuple[float, float] | None:
    """Return where an actor of country ``code`` comes from.

    ``homes`` first, else the capital, else the centroid of the country's shape.
    """
    if homes is not None and code in homes:
        lat, lon = (float(v) for v in homes[code])
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return (lat, lon)
    capital = countryinfo_capitals().get(code)
    if capital is not None:
        return capital
    return centroid(shape_for(code, country_shapes))


def _polygon_lon(polygon: Any) -> float | None:
    ring = polygon[0] if polygon else []
    return sum(pt[0] for pt in ring) / len(ring) if ring else None


def _shift(value: Any, dx: float) -> Any:
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], (int, float)):
        return [value[0] + dx, *value[1:]]
    return [_shift(v, dx) for v in value]


def unwrap_antimeridian(geometry: Any) -> Any:
    """A country's polygons moved next to each other across the antimeridian.

    GeoJSON splits a country that crosses 180° (Russia's Chukotka, the Aleutians,
    Fiji) into parts at opposite edges of the map, so its outline's bounding box
    spans the whole world. Each part more than 180° of longitude from the largest
    part is shifted by 360° to its side (Leaflet draws longitudes past ±180), so
    the outline is drawn, and zoomed to, in one piece.

    Examples
    --------
    >>> sq = lambda x0, x1: [[[x0, 60], [x1, 60], [x1, 70], [x0, 70], [x0, 60]]]
    >>> g = unwrap_antimeridian({"type": "MultiPolygon",
    ...                          "coordinates": [sq(30, 179.9), sq(-180, -170)]})
    >>> [min(p[0] for p in poly[0]) for poly in g["coordinates"]]
    [30, 180.0]
    """
    if not isinstance(geometry, dict) or geometry.get("type") != "MultiPolygon":
        return geometry
    polygons = geometry.get("coordinates") or []
    if len(polygons) < 2:
        return geometry
    main = max(polygons, key=lambda poly: abs(_ring_area(poly[0] if poly else [])))
    centre = _polygon_lon(main)
    if centre is None:
        return geometry
    out = []
    for polygon in polygons:
        lon = _polygon_lon(polygon)
        if lon is not None and abs(lon - centre) > 180:
            polygon = _shift(polygon, 360.0 if lon < centre else -360.0)
        out.append(polygon)
    return {"type": "MultiPolygon", "coordinates": out}


def _ring_area(ring: Any) -> float:
    pairs = zip(ring, ring[1:], strict=False)
    return float(sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in pairs)) / 2
