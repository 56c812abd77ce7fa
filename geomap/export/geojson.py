"""GeoJSON (RFC 7946) events: the flat properties of an event, and the one ``[lon, lat]`` flip.

This module is the only place in geomap where coordinates are written
``[lon, lat]`` (:func:`position`): everywhere else records carry ``lat``/``lon``
fields, and every writer (the tables, the CSV, the map's "Export selection")
takes its coordinates from here.

Every event becomes one Point feature with flat properties (see
:data:`PROPERTIES`); :func:`from_geojson` is the exact inverse of
:func:`to_geojson` for coordinates given to 6 decimals (place alternatives are
not exported and come back empty). The file is written atomically: a failed
write leaves an existing file untouched.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .._io import atomic_path
from ..errors import GeomapError, InputError, InvalidDate, InvalidRecord
from ..records import DateResolution, Event, PartialDate, Place, Source, Telling
from ..taxonomy import EVENT_TYPES, acled_codes, plover_codes

__all__ = ["PROPERTIES", "COORD_DECIMALS", "INT_PROPS", "FLOAT_PROPS", "DATE_PROPS", "JSON_PROPS",
           "event_properties", "event_position", "position", "wkt_point", "to_geojson",
           "from_geojson", "write_geojson", "read_geojson"]

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
#: The properties that are counts or codes (integers in the tables).
INT_PROPS = ("time_precision", "geo_precision", "plover_resolution", "geonameid", "population",
             "mentions")
#: The properties that are confidences (floats in the tables).
FLOAT_PROPS = ("place_confidence", "confidence")
#: The properties that are dates (Date fields in the tables).
DATE_PROPS = ("date_start", "date_end")
#: The properties that are lists (JSON text in the tables).
JSON_PROPS = ("actors", "sources", "tellings")



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


def event_position(event: Event) -> list[float]:
    """The GeoJSON position of an event's place (see :func:`position`)."""
    return position(event.lat, event.lon)


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
        "geometry": {"type": "Point", "coordinates": event_position(event)},
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
