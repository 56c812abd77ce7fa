"""Events as CSV with ACLED's columns, which spreadsheets and GDAL (QGIS, ``ogr2ogr``) read.

Coordinates come from :func:`geomap.export.geojson.position` (the one ``[lon,
lat]`` flip), and document text is made safe for spreadsheets
(:func:`csv_text`). The file is written atomically.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .._io import atomic_path
from ..records import Event
from ..taxonomy import acled_codes
from .geojson import event_position, wkt_point

__all__ = ["CSV_COLUMNS", "AdminNames", "csv_text", "write_csv"]

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


#: ``admin_names(country_code, admin1_code)`` → the admin-1 area's display name, or None.
AdminNames = Callable[[str, str], "str | None"]


def _csv_row(event: Event, admin_names: AdminNames | None, names: str) -> dict[str, Any]:
    from ..names import country_codes, country_name

    acled = acled_codes(event.type, event.subtype)
    sources = event.all_sources
    lon, lat = event_position(event)
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
