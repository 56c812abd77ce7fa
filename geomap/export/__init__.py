"""The export stage: events out to GeoJSON, GeoPackage, GeoParquet and CSV, and back.

- :mod:`.geojson`: the flat properties of an event, GeoJSON (RFC 7946) written
  and read back, and :func:`position`, the one place in geomap where
  coordinates are written ``[lon, lat]`` (everywhere else records carry
  ``lat``/``lon`` fields);
- :mod:`.csv_file`: CSV with ACLED's columns;
- this module: GeoPackage and GeoParquet through one GeoDataFrame, and
  :func:`write_export`, which writes any of the four formats.

Every file is written atomically: a failed write leaves an existing file untouched.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UnknownOption
from ..errors import options_message as _options_message
from ..records import Event
from .csv_file import CSV_COLUMNS, AdminNames, csv_text, write_csv
from .geojson import (
    COORD_DECIMALS,
    DATE_PROPS,
    FLOAT_PROPS,
    INT_PROPS,
    JSON_PROPS,
    PROPERTIES,
    event_position,
    event_properties,
    from_geojson,
    position,
    read_geojson,
    to_geojson,
    wkt_point,
    write_geojson,
)

if TYPE_CHECKING:
    import geopandas

__all__ = [
    "FORMATS",
    "PROPERTIES",
    "CSV_COLUMNS",
    "LAYER",
    "COORD_DECIMALS",
    "AdminNames",
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


# -- tables -----------------------------------------------------------------------


def _table_row(event: Event) -> dict[str, Any]:
    """Flat properties for GIS tables: dates as dates, lists as JSON text."""
    props = event_properties(event)
    for key in JSON_PROPS:
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
    for col in INT_PROPS:
        frame[col] = frame[col].astype("int64")
    for col in FLOAT_PROPS:
        frame[col] = frame[col].astype("float64")
    for col in DATE_PROPS:
        frame[col] = pd.array(list(frame[col]), dtype=pd.ArrowDtype(pa.date32()))
    for col in PROPERTIES:
        if col in INT_PROPS or col in FLOAT_PROPS or col in DATE_PROPS:
            continue
        if frame[col].dtype == object:
            # An all-null column would otherwise be typed "null" in Parquet (GDAL skips it).
            frame[col] = frame[col].astype("string")
    coords = [event_position(e) for e in events]
    geometry = shapely.points([c[0] for c in coords], [c[1] for c in coords]) if coords else []
    return geopandas.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


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
        from ..names import check_names_language

        return write_csv(events, path, admin_names=admin_names,
                         names=check_names_language(names))
    gdf = to_geodataframe(events)
    with _atomic_suffixed(path) as tmp:
        if key == "gpkg":
            _write_gpkg(gdf, tmp)
        else:
            gdf.to_parquet(tmp, index=False)
    return Path(path)
