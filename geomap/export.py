"""Events out to GeoJSON (RFC 7946) and, through geopandas, GeoPackage, GeoParquet and CSV.

This module is the only place in geomap where coordinates are written
``[lon, lat]``: everywhere else records carry ``lat``/``lon`` fields.

Every event becomes one Point feature with flat properties (see
:data:`PROPERTIES`); :func:`from_geojson` is the exact inverse of
:func:`to_geojson` for coordinates given to 6 decimals (place alternatives are
not exported and come back empty). Every file is written atomically: a failed
write leaves an existing file untouched.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._io import atomic_path
from .errors import GeomapError, InputError, InvalidDate, InvalidRecord, UnknownOption
from .errors import options_message as _options_message
from .records import DateResolution, Event, PartialDate, Place, Source, Telling
from .taxonomy import EVENT_TYPES, acled_codes, plover_codes

if TYPE_CHECKING:
    import geopandas

__all__ = [
    "FORMATS",
    "PROPERTIES",
    "CSV_COLUMNS",
    "LAYER",
    "COORD_DECIMALS",
    "event_properties",
    "position",
    "wkt_point",
    "csv_text",
    "to_geojson",
    "from_geojson",
    "write_geojson",
    "read_geojson",
    "to_geodataframe",
    "write_csv",
    "write_export",
]

#: Formats :func:`write_export` writes.
FORMATS: tuple[str, ...] = ("geojson", "gpkg", "parquet", "csv")
#: Layer name inside GeoPackage files.
LAYER = "events"
#: Decimals kept in coordinates (6 decimals ≈ 0.1 m).
COORD_DECIMALS = 6

#: The flat properties of one event, in column order.
PROPERTIES: tuple[str, ...] = (
    "event_type", "subtype", "date_start", "date_end", "granularity", "date_type",
    "date_text", "date_reason", "time_precision", "geo_precision", "plover_resolution",
    "place", "place_text", "geonameid", "country", "admin1", "feature", "population",
    "place_confidence", "place_reason", "actors", "trigger", "sentence", "confidence",
    "reason", "status", "doc_id", "url", "title", "sources", "event_id", "mentions",
    "first_reported", "tellings", "acled_event_type", "acled_sub_event_type", "plover_event",
    "plover_mode", "cameo",
)
_INT_PROPS = ("time_precision", "geo_precision", "plover_resolution", "geonameid", "population",
              "mentions")
_FLOAT_PROPS = ("place_confidence", "confidence")

#: CSV columns: ACLED's export columns that apply, with ACLED's names and in ACLED's order
#: (``iso`` is the numeric ISO 3166 code, ``country`` and ``admin1`` are names), then
#: geomap's own: the date's end, granularity and type, the place's GeoNames id, confidence
#: and codes, the country's ISO alpha-3, the source URLs, geomap's type and confidence, and
#: the point as ``WKT`` (which GDAL's CSV driver reads as the geometry).
CSV_COLUMNS: tuple[str, ...] = (
    "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1",
    "actor2", "iso", "country", "admin1", "location", "latitude", "longitude",
    "geo_precision", "source", "notes",
    "date_end", "granularity", "date_type", "geonameid", "place_confidence", "iso3",
    "country_code", "admin1_code", "source_url", "geomap_type", "confidence", "event_id",
    "mentions", "first_reported", "WKT",
)
_DATE_PROPS = ("date_start", "date_end")
_JSON_PROPS = ("actors", "sources", "tellings")


class _FeatureError(GeomapError):
    """Internal marker; never escapes this module."""


def position(lat: float, lon: float) -> list[float]:
    """The GeoJSON position of a point: ``[lon, lat]``, rounded.

    The one place where geomap turns its ``lat``/``lon`` into the ``[lon, lat]`` order
    of RFC 7946 §3.1.1 (and of WKT's x y); every writer, the map's "Export selection"
    included, takes its coordinates from here.

    Examples
    --------
    >>> position(51.73, 36.19)
    [36.19, 51.73]
    """
    return [round(lon, COORD_DECIMALS), round(lat, COORD_DECIMALS)]


def wkt_point(lat: float, lon: float) -> str:
    """The WKT of a point, which GDAL reads as the geometry of a CSV row.

    Examples
    --------
    >>> wkt_point(51.73, 36.19)
    'POINT (36.19 51.73)'
    """
    x, y = position(lat, lon)
    return f"POINT ({x!r} {y!r})"


def _lon_lat(event: Event) -> list[float]:
    return position(event.lat, event.lon)


#: Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """A document's text made safe for a spreadsheet: a formula-like start is quoted.

    Examples
    --------
    >>> csv_text("=1+2"), csv_text("-5 dead"), csv_text("Kyiv")
    ("'=1+2", "'-5 dead", 'Kyiv')
    """
    return "'" + value if value.startswith(_FORMULA_START) else value


def _source_dict(source: Source) -> dict[str, str | None]:
    return {"doc_id": source.doc_id, "title": source.title, "url": source.url,
            "sentence": source.sentence,
            "published": str(source.published) if source.published else None}


def event_properties(event: Event) -> dict[str, Any]:
    """The flat properties of one event (no coordinates: those are the geometry).

    Parameters
    ----------
    event : Event

    Returns
    -------
    dict
        Keys in :data:`PROPERTIES` order; dates as ISO strings or None;
        ``actors`` a list of names; ``sources`` the grouped sources as a list of
        ``{"doc_id", "title", "url"}`` (empty when the event was told by one
        document: ``doc_id``, ``title`` and ``url`` always hold the first
        source); ACLED, PLOVER and CAMEO codes from :mod:`geomap.taxonomy`.

    Examples
    --------
    >>> import datetime as dt
    >>> from geomap.records import DateResolution, Event, Place, Source
    >>> place = Place(524901, "Moscow", 55.75222, 37.61556, "PPLC", "RU", "48", 10381222)
    >>> when = DateResolution(dt.date(2024, 6, 1), dt.date(2024, 6, 30), "month", "exact")
    >>> ev = Event("protest", place, when, "Protesters gathered in Moscow.",
    ...            source=Source("a1", "Moscow", "https://example.org/a1"))
    >>> props = event_properties(ev)
    >>> props["date_start"], props["time_precision"], props["acled_event_type"], props["cameo"]
    ('2024-06-01', 3, 'Protests', '14')
    """
    etype = EVENT_TYPES[event.type]
    acled = acled_codes(event.type, event.subtype)
    plover = plover_codes(event.type, event.subtype)
    place, date, source = event.place, event.date, event.source
    return {
        "event_type": event.type,
        "subtype": event.subtype,
        "date_start": date.start.isoformat() if date.start else None,
        "date_end": date.end.isoformat() if date.end else None,
        "granularity": date.granularity,
        "date_type": date.date_type,
        "date_text": date.text,
        "date_reason": date.reason,
        "time_precision": event.time_precision,
        "geo_precision": event.geo_precision,
        "plover_resolution": event.plover_resolution,
        "place": place.name,
        "place_text": event.place_text,
        "geonameid": place.geonameid,
        "country": place.country,
        "admin1": place.admin1,
        "feature": place.feature,
        "population": place.population,
        "place_confidence": place.confidence,
        "place_reason": place.reason,
        "actors": list(event.actors),
        "trigger": event.trigger,
        "sentence": event.sentence,
        "confidence": event.confidence,
        "reason": event.reason,
        "status": event.status,
        "doc_id": source.doc_id,
        "url": source.url,
        "title": source.title,
        "sources": [_source_dict(s) for s in event.sources],
        "event_id": event.event_id,
        "mentions": event.mention_count,
        "first_reported": str(event.first_reported) if event.first_reported else None,
        "tellings": [{"doc_id": t.doc_id, "sentence": t.sentence, "trigger": t.trigger,
                      "start": t.start, "end": t.end, "reason": t.reason}
                     for t in event.tellings],
        "acled_event_type": acled[0],
        "acled_sub_event_type": acled[1],
        "plover_event": plover[0],
        "plover_mode": plover[1],
        "cameo": etype.cameo,
    }


def _feature(event: Event) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": _lon_lat(event)},
        "properties": event_properties(event),
    }


def to_geojson(events: Iterable[Event]) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection with one Point feature per event.

    Parameters
    ----------
    events : iterable of Event

    Returns
    -------
    dict
        ``{"type": "FeatureCollection", "features": [...]}``; each geometry's
        coordinates are ``[lon, lat]`` rounded to 6 decimals.

    Examples
    --------
    >>> import datetime as dt
    >>> from geomap.records import DateResolution, Event, Place
    >>> kursk = Place(538560, "Kursk", 51.7373, 36.1873, "PPLA", "RU", "41")
    >>> when = DateResolution(None, None, "day", "unresolved")
    >>> fc = to_geojson([Event("armed_clash", kursk, when, "Fighting near Kursk.")])
    >>> fc["type"], fc["features"][0]["geometry"]
    ('FeatureCollection', {'type': 'Point', 'coordinates': [36.1873, 51.7373]})
    >>> from_geojson(fc)[0].place.name
    'Kursk'
    """
    return {"type": "FeatureCollection", "features": [_feature(e) for e in events]}


# -- reading back ---------------------------------------------------------------


def _prop(props: dict[str, Any], key: str, default: Any = ...) -> Any:
    if key in props:
        return props[key]
    if default is ...:
        raise _FeatureError(f"has no property '{key}'")
    return default


def _str(props: dict[str, Any], key: str, default: Any = ...) -> str:
    value = _prop(props, key, default)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _FeatureError(f"property '{key}' is {value!r}: must be a string")
    return value


def _opt_str(props: dict[str, Any], key: str) -> str | None:
    value = _prop(props, key, None)
    if value is not None and not isinstance(value, str):
        raise _FeatureError(f"property '{key}' is {value!r}: must be a string or null")
    return value


def _int(props: dict[str, Any], key: str, default: Any = ...) -> int:
    value = _prop(props, key, default)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _FeatureError(f"property '{key}' is {value!r}: must be an integer")
    return value


def _float(props: dict[str, Any], key: str, default: Any = ...) -> float:
    value = _prop(props, key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _FeatureError(f"property '{key}' is {value!r}: must be a number")
    return float(value)


def _date(props: dict[str, Any], key: str) -> dt.date | None:
    value = _prop(props, key, None)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _FeatureError(f"property '{key}' is {value!r}: must be an ISO date or null")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as err:
        raise InvalidDate(f"property '{key}' is '{value}': not an ISO date (YYYY-MM-DD)") from err


def _point(geometry: Any) -> tuple[float, float]:
    """``(lat, lon)`` from a GeoJSON Point geometry."""
    if not isinstance(geometry, dict):
        raise _FeatureError(f"has geometry {geometry!r}: must be a Point")
    if geometry.get("type") != "Point":
        raise _FeatureError(f"has a {geometry.get('type')!r} geometry: geomap events are Points")
    coords = geometry.get("coordinates")
    if (not isinstance(coords, (list, tuple)) or len(coords) < 2
            or not all(isinstance(c, (int, float)) and not isinstance(c, bool)
                       for c in coords[:2])
            or not all(math.isfinite(c) for c in coords[:2])):
        raise _FeatureError(f"has Point coordinates {coords!r}: must be [lon, lat] numbers")
    lon, lat = float(coords[0]), float(coords[1])
    return lat, lon


def _sources(value: Any) -> tuple[Source, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _FeatureError(f"property 'sources' is {value!r}: must be a list")
    out = []
    for item in value:
        if not isinstance(item, dict):
            raise _FeatureError(f"property 'sources' holds {item!r}: must be objects")
        published = _opt_str(item, "published")
        out.append(Source(_str(item, "doc_id"), _opt_str(item, "title"), _opt_str(item, "url"),
                          _str(item, "sentence", ""),
                          PartialDate.parse(published) if published else None))
    return tuple(out)


def _tellings(value: Any) -> tuple[Telling, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
        raise _FeatureError(f"property 'tellings' is {value!r}: must be a list of objects")
    return tuple(Telling(_str(t, "doc_id"), _str(t, "sentence", ""), _str(t, "trigger", ""),
                         _int(t, "start", -1), _int(t, "end", -1), _str(t, "reason", ""))
                 for t in value)


def _partial(props: dict[str, Any], key: str) -> PartialDate | None:
    value = _opt_str(props, key)
    if not value:
        return None
    try:
        return PartialDate.parse(value)
    except GeomapError as err:
        raise _FeatureError(f"property '{key}' is {value!r}: {err}") from None


def _actors(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise _FeatureError(f"property 'actors' is {value!r}: must be a list of strings")
    return tuple(value)


def _event_from_feature(feature: Any) -> Event:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _FeatureError("is not a GeoJSON Feature object")
    props = feature.get("properties")
    if not isinstance(props, dict):
        raise _FeatureError("has no properties object")
    lat, lon = _point(feature.get("geometry"))
    place = Place(
        geonameid=_int(props, "geonameid"),
        name=_str(props, "place"),
        lat=lat,
        lon=lon,
        feature=_str(props, "feature", ""),
        country=_opt_str(props, "country"),
        admin1=_opt_str(props, "admin1"),
        population=_int(props, "population", 0),
        confidence=_float(props, "place_confidence", 1.0),
        reason=_str(props, "place_reason", ""),
    )
    sources = _sources(props.get("sources"))
    date = DateResolution(
        start=_date(props, "date_start"),
        end=_date(props, "date_end"),
        granularity=_str(props, "granularity"),
        date_type=_str(props, "date_type"),
        reason=_str(props, "date_reason", ""),
        text=_str(props, "date_text", ""),
    )
    return Event(
        type=_str(props, "event_type"),
        place=place,
        date=date,
        sentence=_str(props, "sentence"),
        trigger=_str(props, "trigger", ""),
        subtype=_str(props, "subtype", ""),
        actors=_actors(props.get("actors")),
        geo_precision=_int(props, "geo_precision", 1),
        confidence=_float(props, "confidence", 1.0),
        reason=_str(props, "reason", ""),
        source=Source(_str(props, "doc_id", "unknown") or "unknown",
                      _opt_str(props, "title"), _opt_str(props, "url"),
                      published=sources[0].published if sources else _partial(
                          props, "first_reported")),
        sources=sources,
        status=_str(props, "status", "fact"),
        place_text=_str(props, "place_text", ""),
        event_id=_str(props, "event_id", ""),
        tellings=_tellings(props.get("tellings")),
    )


def _events_from(data: Any, where: str) -> list[Event]:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        kind = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise InputError(f"{where} is not a GeoJSON FeatureCollection (got {kind!r}); "
                         "give the events.geojson that geomap wrote")
    features = data.get("features")
    if not isinstance(features, list):
        raise InputError(f"{where} has no 'features' list; give a GeoJSON FeatureCollection")
    events = []
    for index, feature in enumerate(features):
        try:
            events.append(_event_from_feature(feature))
        except _FeatureError as err:
            raise InvalidRecord(f"{where} feature {index} {err}; fix or remove the feature") \
                from None
        except GeomapError as err:
            raise type(err)(f"{where} feature {index}: {err}; fix or remove the feature") from err
    return events


def from_geojson(data: dict[str, Any]) -> list[Event]:
    """Events from a FeatureCollection written by :func:`to_geojson` (its exact inverse).

    Parameters
    ----------
    data : dict
        A parsed GeoJSON FeatureCollection.

    Returns
    -------
    list of Event
        Places come back without alternatives; derived properties
        (precisions, taxonomy codes) are recomputed, not read.

    Raises
    ------
    InputError
        When ``data`` is not a FeatureCollection.
    InvalidRecord, InvalidCoordinate, InvalidDate
        For a feature that does not make an event; the message gives its index.

    Examples
    --------
    >>> from_geojson({"type": "FeatureCollection", "features": [{"type": "Feature"}]})
    Traceback (most recent call last):
    ...
    geomap.errors.InvalidRecord: GeoJSON feature 0 has no properties object; fix or remove ...
    """
    return _events_from(data, "GeoJSON")


def read_geojson(path: str | os.PathLike[str]) -> list[Event]:
    """Read events from a GeoJSON file written by :func:`write_geojson`.

    Raises
    ------
    InputError
        When the file is missing, unreadable, not JSON or not a FeatureCollection.
    InvalidRecord, InvalidCoordinate, InvalidDate
        For a bad feature; the message names the file and the feature index.
    """
    name = str(path)
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError as err:
        raise InputError(f"{name} does not exist; give the events.geojson that geomap wrote") \
            from err
    except UnicodeDecodeError as err:
        raise InputError(f"{name} is not UTF-8 text; give a GeoJSON file") from err
    except json.JSONDecodeError as err:
        raise InputError(f"{name} is not valid JSON (line {err.lineno}: {err.msg}); "
                         "give a GeoJSON file or write it again") from err
    except RecursionError as err:
        raise InputError(f"{name} is not valid JSON (nested too deeply)") from err
    except OSError as err:
        raise InputError(f"{name} cannot be read ({err.strerror or err}); check the path") \
            from err
    return _events_from(data, name)


def write_geojson(events: Iterable[Event], path: str | os.PathLike[str]) -> Path:
    """Write events as an RFC 7946 FeatureCollection, atomically; return the path.

    Features are streamed to a temporary file beside ``path`` that replaces it
    only once complete.
    """
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as out:
        out.write('{"type": "FeatureCollection", "features": [')
        for i, event in enumerate(events):
            out.write(",\n" if i else "\n")
            out.write(json.dumps(_feature(event), ensure_ascii=False, allow_nan=False))
        out.write("\n]}\n")
    return Path(path)


# -- tables -----------------------------------------------------------------------


def _table_row(event: Event) -> dict[str, Any]:
    """Flat properties for GIS tables: dates as dates, lists as JSON text."""
    props = event_properties(event)
    for key in _JSON_PROPS:
        props[key] = json.dumps(props[key], ensure_ascii=False)
    props["date_start"], props["date_end"] = event.date.start, event.date.end
    return props


def to_geodataframe(events: Iterable[Event]) -> geopandas.GeoDataFrame:
    """A GeoDataFrame in EPSG:4326, one row per event, the flat properties as columns.

    ``date_start`` and ``date_end`` are dates (Arrow ``date32``, null when
    unresolved), counts and codes are integers, confidences floats, and the
    lists ``actors``, ``sources`` and ``tellings`` JSON text, so the frame writes as it is to
    GeoPackage (Date fields) and GeoParquet (``date32`` columns).

    Examples
    --------
    >>> import datetime as dt
    >>> from geomap.records import DateResolution, Event, Place
    >>> kyiv = Place(703448, "Kyiv", 50.45466, 30.5238, "PPLC", "UA")
    >>> when = DateResolution(dt.date(2025, 4, 7), dt.date(2025, 4, 7), "day", "exact")
    >>> gdf = to_geodataframe([Event("remote_violence", kyiv, when, "Kyiv was shelled.",
    ...                              actors=("Russia", "Ukraine"))])
    >>> gdf.crs.to_epsg(), gdf.loc[0, "actors"], gdf.geometry[0].x
    (4326, '["Russia", "Ukraine"]', 30.5238)
    >>> gdf.loc[0, "date_start"]
    datetime.date(2025, 4, 7)
    """
    import geopandas
    import pandas as pd
    import pyarrow as pa
    import shapely

    events = list(events)
    rows = [_table_row(e) for e in events]
    frame = pd.DataFrame(rows, columns=list(PROPERTIES))
    for col in _INT_PROPS:
        frame[col] = frame[col].astype("int64")
    for col in _FLOAT_PROPS:
        frame[col] = frame[col].astype("float64")
    for col in _DATE_PROPS:
        frame[col] = pd.array(list(frame[col]), dtype=pd.ArrowDtype(pa.date32()))
    for col in PROPERTIES:
        if col in _INT_PROPS or col in _FLOAT_PROPS or col in _DATE_PROPS:
            continue
        if frame[col].dtype == object:
            # An all-null column would otherwise be typed "null" in Parquet (GDAL skips it).
            frame[col] = frame[col].astype("string")
    coords = [_lon_lat(e) for e in events]
    geometry = shapely.points([c[0] for c in coords], [c[1] for c in coords]) if coords else []
    return geopandas.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


#: ``admin_names(country_code, admin1_code)`` → the admin-1 area's display name, or None.
AdminNames = Callable[[str, str], "str | None"]


def _csv_row(event: Event, admin_names: AdminNames | None, names: str) -> dict[str, Any]:
    from .names import country_codes, country_name

    acled = acled_codes(event.type, event.subtype)
    sources = event.all_sources
    lon, lat = _lon_lat(event)
    place, date = event.place, event.date
    cc = (place.country or "").upper()
    iso3, numeric = country_codes(cc) if cc else ("", "")
    admin1 = place.name if place.level == "admin1" else ""
    if cc and place.admin1 and admin_names is not None:
        admin1 = admin_names(cc, place.admin1) or admin1
    country = (country_name(cc, names) or cc) if cc else ""
    location = {"admin1": admin1, "country": country}.get(place.level) or place.name
    text = csv_text
    return {
        "event_date": date.start.isoformat() if date.start else "",
        "year": date.start.year if date.start else "",
        "time_precision": event.time_precision,
        "event_type": acled[0],
        "sub_event_type": acled[1],
        "actor1": text(event.actors[0]) if event.actors else "",
        "actor2": text("; ".join(event.actors[1:])),
        "iso": numeric,
        "country": country,
        "admin1": text(admin1),
        "location": text(location),
        "latitude": repr(lat),
        "longitude": repr(lon),
        "geo_precision": event.geo_precision,
        "source": text("; ".join(s.title or s.doc_id for s in sources)),
        "notes": text(event.sentence),
        "date_end": date.end.isoformat() if date.end else "",
        "granularity": date.granularity,
        "date_type": date.date_type,
        "geonameid": place.geonameid,
        "place_confidence": repr(place.confidence),
        "iso3": iso3,
        "country_code": cc,
        "admin1_code": place.admin1 or "",
        "source_url": text("; ".join(s.url for s in sources if s.url)),
        "geomap_type": event.type,
        "confidence": repr(event.confidence),
        "event_id": event.event_id,
        "mentions": str(event.mention_count),
        "first_reported": str(event.first_reported) if event.first_reported else "",
        "WKT": wkt_point(event.lat, event.lon),
    }


def write_csv(events: Iterable[Event], path: str | os.PathLike[str], *,
              admin_names: AdminNames | None = None, names: str = "en") -> Path:
    """Write events as CSV with ACLED's columns (:data:`CSV_COLUMNS`), atomically.

    ``actor1`` is the first actor, ``actor2`` the others joined by "; ";
    ``source`` and ``source_url`` list every source of a grouped event;
    ``country`` is the country's CLDR name in ``names`` (English by default;
    see :data:`geomap.names.NAME_LANGUAGES`), ``admin1`` the admin-1 area's name
    from ``admin_names`` (for instance the gazetteer's), or the place's own name
    when the place is an admin-1 area. ``location`` is the place's name, shown as
    ``country`` or ``admin1`` is when the place is that country or area. The
    ``WKT`` point is what GDAL (QGIS, ``ogr2ogr``) reads as the geometry.
    """
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS))
        writer.writeheader()
        for event in events:
            writer.writerow(_csv_row(event, admin_names, names))
    return Path(path)


def _write_gpkg(gdf: geopandas.GeoDataFrame, path: Path) -> None:
    """GeoPackage through Arrow, so ``date32`` columns become GDAL Date fields.

    (Written from pandas, dates would be text and Arrow-backed columns are refused.)
    """
    import pyarrow as pa
    import pyogrio

    table = pa.table(gdf.to_arrow(index=False, geometry_encoding="WKB"))
    pyogrio.write_arrow(table, path, layer=LAYER, driver="GPKG", geometry_name="geometry",
                        geometry_type="Point", crs="EPSG:4326")


@contextlib.contextmanager
def _atomic_suffixed(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Like :func:`geomap._io.atomic_path`, but the temporary file keeps ``path``'s suffix.

    GDAL picks drivers and sidecar files (``-journal``, ``-wal``) by name, so
    the file is written inside a private temporary directory beside ``path``.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_dir = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        tmp = tmp_dir / ("events" + target.suffix)
        yield tmp
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)


def write_export(events: Iterable[Event], path: str | os.PathLike[str], fmt: str, *,
                 admin_names: AdminNames | None = None, names: str = "en") -> Path:
    """Write events to ``path`` as GeoJSON, GeoPackage, GeoParquet or CSV, atomically.

    Parameters
    ----------
    events : iterable of Event
    path : str or path
        The file to write; its directory is created if needed. An existing
        file is replaced only once the new one is complete.
    fmt : {"geojson", "gpkg", "parquet", "csv"}
        GeoPackage has one layer, ``events``, with Date fields for the dates;
        GeoParquet follows the GeoParquet spec (geopandas and QGIS open both
        as they are); CSV has ACLED's columns (:data:`CSV_COLUMNS`).
    admin_names : callable, optional
        ``admin_names(country_code, admin1_code)`` → the admin-1 area's name,
        for the CSV's ``admin1`` column.
    names : str, default "en"
        Language of the CSV's country names (see :data:`geomap.names.NAME_LANGUAGES`).

    Returns
    -------
    Path

    Raises
    ------
    UnknownOption
        For a format outside :data:`FORMATS`.

    Examples
    --------
    >>> write_export([], "out.shp", "shp")
    Traceback (most recent call last):
    ...
    geomap.errors.UnknownOption: unknown export format 'shp'; options are: geojson, gpkg, ...
    """
    key = fmt.strip().lower() if isinstance(fmt, str) else fmt
    if key not in FORMATS:
        raise UnknownOption(_options_message("export format", fmt, FORMATS))
    if key == "geojson":
        return write_geojson(events, path)
    if key == "csv":
        from .names import check_names_language

        return write_csv(events, path, admin_names=admin_names,
                         names=check_names_language(names))
    gdf = to_geodataframe(events)
    with _atomic_suffixed(path) as tmp:
        if key == "gpkg":
            _write_gpkg(gdf, tmp)
        else:
            gdf.to_parquet(tmp, index=False)
    return Path(path)
