"""geomap.export: GeoJSON round trips, RFC 7946 shape, GIS formats, atomic writes."""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
from pathlib import Path

import geopandas
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.errors import GeomapError, InputError, InvalidCoordinate, InvalidRecord, UnknownOption
from geomap.export import (
    CSV_COLUMNS,
    FORMATS,
    PROPERTIES,
    csv_text,
    event_properties,
    from_geojson,
    read_geojson,
    to_geodataframe,
    to_geojson,
    write_export,
    write_geojson,
)
from geomap.records import Alternative, DateResolution, Event, Place, Source
from geomap.taxonomy import EVENT_TYPES

# -- hand-built events ---------------------------------------------------------------

KURSK = Place(538560, "Kursk", 51.7373, 36.1873, "PPLA", "RU", "41", 440052, 0.92,
              "name match, coherent with RU",
              (Alternative(4255466, "Kursk", "US", 0.1),))
KURSK_OBLAST = Place(538555, "Kursk Oblast", 51.5, 36.0, "ADM1", "RU", "41", 0, 0.8,
                     "region pattern")
RUSSIA = Place(2017370, "Russia", 60.0, 100.0, "PCLI", "RU", None, 140702000)
JUNE = DateResolution(dt.date(2024, 6, 1), dt.date(2024, 6, 30), "month", "exact",
                      "en juin 2024", "juin 2024")
UNRESOLVED = DateResolution(None, None, "day", "unresolved", "no date in sentence")


def make_events() -> list[Event]:
    return [
        Event("territory_change", KURSK_OBLAST, JUNE,
              "Les troupes nord-coréennes ont aidé à reprendre la région russe de Koursk.",
              trigger="reprendre", subtype="regained", actors=("Corée du Nord", "Russie"),
              geo_precision=2, confidence=0.81, reason="same clause",
              source=Source("afp-1", "Koursk", "https://example.org/afp-1"),
              place_text="région russe de Koursk"),
        Event("armed_clash", KURSK, UNRESOLVED, "Fighting near Kursk, «again»; 1\"2\n3.",
              actors=(), confidence=0.5,
              source=Source("b", None, None),
              sources=(Source("b", None, None), Source("c", "Other", "https://example.org/c"))),
        Event("statement", RUSSIA, JUNE, "Russia said so.", status="negated",
              source=Source("d", "Titre é", None)),
    ]


# -- hypothesis strategies -----------------------------------------------------------

# GeoPackage (SQLite C strings) cannot hold NUL; the reader refuses NUL in documents.
text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=30)
opt_text = st.none() | text
coord6 = st.decimals(min_value=-90, max_value=90, places=6)
lats = coord6.map(float)
lons = st.decimals(min_value=-180, max_value=180, places=6).map(float)
unit = st.floats(0.0, 1.0, allow_nan=False)
features = st.sampled_from(["PPL", "PPLA", "PPLC", "ADM1", "ADM2", "PCLI", "RGN", "SEA", ""])
places = st.builds(
    Place,
    geonameid=st.integers(1, 2**40),
    name=text,
    lat=lats,
    lon=lons,
    feature=features,
    country=st.none() | st.sampled_from(["RU", "UA", "FR", "KP"]),
    admin1=opt_text,
    population=st.integers(0, 2**40),
    confidence=unit,
    reason=text,
)
sources = st.builds(Source, doc_id=text.filter(bool), title=opt_text, url=opt_text)


@st.composite
def date_resolutions(draw: st.DrawFn) -> DateResolution:
    granularity = draw(st.sampled_from(["day", "week", "month", "quarter", "year"]))
    date_type = draw(st.sampled_from(["exact", "approximate", "range", "unresolved"]))
    if draw(st.booleans()):
        start = draw(st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)))
        end = start + dt.timedelta(days=draw(st.integers(0, 400)))
    else:
        start = end = None
    return DateResolution(start, end, granularity, date_type, draw(text), draw(text))


events_strategy = st.builds(
    Event,
    type=st.sampled_from(sorted(EVENT_TYPES)),
    place=places,
    date=date_resolutions(),
    sentence=text,
    trigger=text,
    subtype=text,
    actors=st.lists(text, max_size=3).map(tuple),
    geo_precision=st.sampled_from([1, 2, 3]),
    confidence=unit,
    reason=text,
    source=sources,
    sources=st.lists(sources, max_size=3).map(tuple),
    status=st.sampled_from(["fact", "negated", "hypothetical", "future"]),
    place_text=text,
)


def strip_alternatives(event: Event) -> Event:
    from dataclasses import replace

    return replace(event, place=replace(event.place, alternatives=()))


# -- GeoJSON --------------------------------------------------------------------------


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(events_strategy, max_size=4))
def test_geojson_round_trip_is_exact(events: list[Event]) -> None:
    fc = to_geojson(events)
    # Through real JSON text, as a file would carry it.
    assert from_geojson(json.loads(json.dumps(fc))) == events


@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(events_strategy)
def test_rfc7946_point_is_lon_lat_within_range(event: Event) -> None:
    fc = to_geojson([event])
    assert fc["type"] == "FeatureCollection"
    assert "crs" not in fc  # RFC 7946 §4: no crs member, WGS 84 implied
    (feature,) = fc["features"]
    assert feature["type"] == "Feature"
    geometry = feature["geometry"]
    assert geometry["type"] == "Point"
    lon, lat = geometry["coordinates"]
    assert (lon, lat) == (event.lon, event.lat)
    assert -180 <= lon <= 180 and -90 <= lat <= 90
    assert "lat" not in feature["properties"] and "lon" not in feature["properties"]


def test_coordinates_order_and_rounding() -> None:
    place = Place(1, "Somewhere", 10.123456789, -20.987654321, "PPL", "FR")
    ev = Event("protest", place, JUNE, "x")
    (feature,) = to_geojson([ev])["features"]
    assert feature["geometry"]["coordinates"] == [-20.987654, 10.123457]


def test_properties_are_flat_and_complete() -> None:
    ev = make_events()[0]
    props = event_properties(ev)
    assert tuple(props) == PROPERTIES
    assert props["event_type"] == "territory_change"
    assert props["date_start"] == "2024-06-01" and props["date_end"] == "2024-06-30"
    assert props["time_precision"] == 3 and props["geo_precision"] == 2
    assert props["plover_resolution"] == 2
    assert props["actors"] == ["Corée du Nord", "Russie"]
    assert props["sources"] == []
    assert props["acled_event_type"] == "Battles"
    assert props["plover_event"] == "ASSAULT" and props["cameo"] == "192"
    assert props["place_text"] == "région russe de Koursk"
    for value in props.values():
        assert not isinstance(value, dict)
    grouped = event_properties(make_events()[1])
    assert grouped["sources"][1] == {"doc_id": "c", "title": "Other",
                                     "url": "https://example.org/c", "sentence": "",
                                     "published": None}
    assert (props["event_id"], props["mentions"], props["first_reported"]) == ("", 1, None)
    assert grouped["date_start"] is None and grouped["date_end"] is None


def test_from_geojson_drops_alternatives() -> None:
    events = make_events()
    back = from_geojson(to_geojson(events))
    assert back[1].place.alternatives == ()
    assert back == [strip_alternatives(e) for e in events]


def test_write_read_geojson(tmp_path: Path) -> None:
    events = make_events()
    out = write_geojson(events, tmp_path / "sub" / "events.geojson")
    assert out == tmp_path / "sub" / "events.geojson"
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data == to_geojson(events)
    assert read_geojson(out) == [strip_alternatives(e) for e in events]
    assert "Koursk" in out.read_text(encoding="utf-8")  # UTF-8, not \u escapes
    assert list(tmp_path.joinpath("sub").iterdir()) == [out]


def test_write_geojson_empty(tmp_path: Path) -> None:
    out = write_geojson([], tmp_path / "e.geojson")
    assert json.loads(out.read_text()) == {"type": "FeatureCollection", "features": []}
    assert read_geojson(out) == []


def test_geopandas_reads_our_geojson(tmp_path: Path) -> None:
    out = write_geojson(make_events(), tmp_path / "e.geojson")
    gdf = geopandas.read_file(out)
    assert len(gdf) == 3
    assert gdf.geometry[0].x == pytest.approx(36.0) and gdf.geometry[0].y == pytest.approx(51.5)


# -- bad GeoJSON files ------------------------------------------------------------------


def _feature_collection(**changes: object) -> dict:
    fc = to_geojson(make_events()[:2])
    feature = fc["features"][1]
    for key, value in changes.items():
        if key == "geometry":
            feature["geometry"] = value
        elif value is None:
            feature["properties"].pop(key)
        else:
            feature["properties"][key] = value
    return fc


@pytest.mark.parametrize(
    ("content", "error", "needle"),
    [
        ("{not json", InputError, "is not valid JSON"),
        ("", InputError, "is not valid JSON"),
        ("[1, 2]", InputError, "not a GeoJSON FeatureCollection"),
        ('{"type": "Feature"}', InputError, "not a GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection"}', InputError, "no 'features' list"),
    ],
)
def test_bad_geojson_files(tmp_path: Path, content: str, error: type, needle: str) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(error) as info:
        read_geojson(path)
    assert needle in str(info.value)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    ("changes", "error", "needle"),
    [
        ({"geometry": None}, InvalidRecord, "must be a Point"),
        ({"geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}},
         InvalidRecord, "'LineString' geometry"),
        ({"geometry": {"type": "Point", "coordinates": ["a", 1]}}, InvalidRecord, "[lon, lat]"),
        ({"geometry": {"type": "Point", "coordinates": [10.0, 95.0]}},
         InvalidCoordinate, "latitude 95.0"),
        ({"event_type": "riots"}, InvalidRecord, "unknown event type 'riots'"),
        ({"sentence": None}, InvalidRecord, "no property 'sentence'"),
        ({"geonameid": "x"}, InvalidRecord, "'geonameid'"),
        ({"date_start": "2024-13-01"}, GeomapError, "date_start"),
        ({"actors": "a; b"}, InvalidRecord, "'actors'"),
        ({"sources": [1]}, InvalidRecord, "'sources'"),
        ({"confidence": 2.0}, InvalidRecord, "confidence"),
    ],
)
def test_bad_feature_names_file_and_index(tmp_path: Path, changes: dict, error: type,
                                          needle: str) -> None:
    path = tmp_path / "events.geojson"
    path.write_text(json.dumps(_feature_collection(**changes)), encoding="utf-8")
    with pytest.raises(error) as info:
        read_geojson(path)
    message = str(info.value)
    assert f"{path} feature 1" in message
    assert needle in message


def test_missing_geojson_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_geojson(tmp_path / "nope.geojson")


def test_not_a_feature() -> None:
    with pytest.raises(InvalidRecord, match="feature 0 is not a GeoJSON Feature"):
        from_geojson({"type": "FeatureCollection", "features": [[1, 2]]})


# -- GeoDataFrame and GIS formats ----------------------------------------------------------


def test_to_geodataframe() -> None:
    gdf = to_geodataframe(make_events())
    assert gdf.crs.to_epsg() == 4326
    assert list(gdf.columns) == [*PROPERTIES, "geometry"]
    assert len(gdf) == 3
    assert json.loads(gdf.loc[0, "actors"]) == ["Corée du Nord", "Russie"]
    assert gdf.loc[0, "date_start"] == dt.date(2024, 6, 1)
    assert gdf.loc[0, "date_end"] == dt.date(2024, 6, 30)
    assert gdf["date_start"].isna().tolist() == [False, True, False]
    assert json.loads(gdf.loc[1, "sources"])[1]["doc_id"] == "c"
    assert (gdf.geometry[0].x, gdf.geometry[0].y) == (36.0, 51.5)


def test_to_geodataframe_empty() -> None:
    gdf = to_geodataframe([])
    assert len(gdf) == 0 and gdf.crs.to_epsg() == 4326
    assert list(gdf.columns) == [*PROPERTIES, "geometry"]


def _normalise(value: object) -> object:
    """pandas NA/NaN and None compare equal; numpy scalars as Python values."""
    if value is None:
        return None
    import pandas as pd

    if value is pd.NaT:
        return None
    if hasattr(value, "to_pydatetime"):  # a Timestamp read back from a Date field
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        assert value.time() == dt.time(0), value
        return value.date()
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value.item() if hasattr(value, "item") else value


def _assert_same_frame(read: geopandas.GeoDataFrame, expected: geopandas.GeoDataFrame) -> None:
    assert len(read) == len(expected)
    assert read.crs.to_epsg() == 4326
    for column in PROPERTIES:
        assert column in read.columns, column
        got = [_normalise(v) for v in read[column]]
        want = [_normalise(v) for v in expected[column]]
        assert got == want, column
    assert [(g.x, g.y) for g in read.geometry] == [(g.x, g.y) for g in expected.geometry]


def test_gpkg_round_trip(tmp_path: Path) -> None:
    events = make_events()
    out = write_export(events, tmp_path / "events.gpkg", "gpkg")
    import pyogrio

    layers = pyogrio.list_layers(out)
    assert [layer[0] for layer in layers] == ["events"]
    assert layers[0][1] == "Point"
    read = geopandas.read_file(out, layer="events")
    _assert_same_frame(read, to_geodataframe(events))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.gpkg"]


def test_parquet_round_trip(tmp_path: Path) -> None:
    events = make_events()
    out = write_export(events, tmp_path / "events.parquet", "parquet")
    read = geopandas.read_parquet(out)
    _assert_same_frame(read, to_geodataframe(events))
    import pyarrow.parquet as pq

    meta = json.loads(pq.read_schema(out).metadata[b"geo"])
    assert meta["primary_column"] == "geometry"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.parquet"]


@pytest.mark.parametrize("fmt", ["gpkg", "parquet", "csv", "geojson"])
def test_empty_exports(tmp_path: Path, fmt: str) -> None:
    out = write_export([], tmp_path / f"e.{fmt}", fmt)
    assert out.exists()


def test_csv_columns_and_rows(tmp_path: Path) -> None:
    events = make_events()
    names = {("RU", "41"): "Kursk Oblast"}
    out = write_export(events, tmp_path / "events.csv", "CSV",
                       admin_names=lambda cc, code: names.get((cc, code)))
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS
    # ACLED's columns, in ACLED's order, come first
    acled = ("event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1",
             "actor2", "iso", "country", "admin1", "location", "latitude", "longitude",
             "geo_precision", "source", "notes")
    assert CSV_COLUMNS[:len(acled)] == acled
    assert len(rows) == 3
    first = rows[0]
    assert (first["event_date"], first["year"], first["date_end"]) == (
        "2024-06-01", "2024", "2024-06-30")
    assert (first["granularity"], first["date_type"]) == ("month", "exact")
    assert first["event_type"] == "Battles"
    assert first["sub_event_type"] == "Government regains territory"
    assert (first["actor1"], first["actor2"]) == ("Corée du Nord", "Russie")
    assert (first["iso"], first["iso3"], first["country"], first["country_code"]) == (
        "643", "RUS", "Russia", "RU")
    assert (first["admin1"], first["admin1_code"], first["location"]) == (
        "Kursk Oblast", "41", "Kursk Oblast")
    assert (first["geonameid"], float(first["place_confidence"])) == ("538555", 0.8)
    assert (float(first["latitude"]), float(first["longitude"])) == (51.5, 36.0)
    assert first["WKT"] == "POINT (36.0 51.5)"
    assert (first["geo_precision"], first["time_precision"]) == ("2", "3")
    assert (first["source"], first["source_url"]) == ("Koursk", "https://example.org/afp-1")
    assert first["notes"] == events[0].sentence
    assert (first["geomap_type"], float(first["confidence"])) == ("territory_change", 0.81)
    second = rows[1]
    assert second["notes"] == events[1].sentence  # quotes, semicolons and newlines survive
    assert second["event_date"] == "" and second["year"] == "" and second["actor1"] == ""
    assert second["date_type"] == "unresolved"
    assert second["admin1"] == "Kursk Oblast"  # a city: its admin-1 area by name
    assert second["source"] == "b; Other" and second["source_url"] == "https://example.org/c"
    assert rows[2]["admin1"] == ""  # a country has no admin-1 area


def _no_gdal_warnings(caplog: pytest.LogCaptureFixture, recwarn: pytest.WarningsRecorder) -> None:
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert logged == []
    assert [str(w.message) for w in recwarn] == []


def test_gpkg_fields_read_back_typed(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                     recwarn: pytest.WarningsRecorder) -> None:
    import sqlite3

    import pyogrio

    caplog.set_level(logging.DEBUG)
    out = write_export(make_events(), tmp_path / "events.gpkg", "gpkg")
    info = pyogrio.read_info(out, layer="events")
    types = dict(zip(info["fields"], info["ogr_types"], strict=True))
    assert info["geometry_type"] == "Point" and info["features"] == 3
    assert types["date_start"] == types["date_end"] == "OFTDate"
    for col in ("time_precision", "geo_precision", "plover_resolution", "geonameid",
                "population"):
        assert types[col] in ("OFTInteger", "OFTInteger64"), col
    for col in ("confidence", "place_confidence"):
        assert types[col] == "OFTReal", col
    for col in ("actors", "sources", "event_type", "sentence"):
        assert types[col] == "OFTString", col
    frame = pyogrio.read_dataframe(out, layer="events")
    assert json.loads(frame.loc[0, "actors"]) == ["Corée du Nord", "Russie"]
    assert json.loads(frame.loc[1, "sources"])[1]["url"] == "https://example.org/c"
    assert frame.loc[0, "date_start"].date() == dt.date(2024, 6, 1)
    assert frame["date_start"].isna().tolist() == [False, True, False]
    # GeoPackage 1.2 or later (GDAL writes 1.4): read by current GDAL without warnings
    with sqlite3.connect(out) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # "GPKG"
        assert db.execute("PRAGMA user_version").fetchone()[0] >= 10200
    _no_gdal_warnings(caplog, recwarn)


def test_parquet_columns_read_back_typed(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                         recwarn: pytest.WarningsRecorder) -> None:
    import pyarrow.parquet as pq

    caplog.set_level(logging.DEBUG)
    out = write_export(make_events(), tmp_path / "events.parquet", "parquet")
    schema = pq.read_schema(out)
    assert str(schema.field("date_start").type) == "date32[day]"
    assert str(schema.field("geonameid").type) == "int64"
    assert str(schema.field("confidence").type) == "double"
    assert str(schema.field("actors").type) in ("string", "large_string")
    # pyogrio's bundled GDAL has no Parquet driver (it needs libduckdb): read back with
    # geopandas, which reads GeoParquet's geometry metadata
    frame = geopandas.read_parquet(out)
    assert frame.crs.to_epsg() == 4326 and list(frame.geom_type) == ["Point"] * 3
    assert frame.loc[0, "date_start"] == dt.date(2024, 6, 1)
    assert json.loads(frame.loc[0, "actors"]) == ["Corée du Nord", "Russie"]
    assert str(frame["geonameid"].dtype) == "int64"
    _no_gdal_warnings(caplog, recwarn)


def test_csv_is_read_by_gdal_with_a_point_geometry(tmp_path: Path,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    import pyogrio

    caplog.set_level(logging.DEBUG)
    out = write_export(make_events(), tmp_path / "events.csv", "csv")
    frame = pyogrio.read_dataframe(out, AUTODETECT_TYPE="YES")
    assert [(g.geom_type, g.x, g.y) for g in frame.geometry] == [
        ("Point", e.lon, e.lat) for e in make_events()]
    info = pyogrio.read_info(out, AUTODETECT_TYPE="YES")
    types = dict(zip(info["fields"], info["ogr_types"], strict=True))
    assert types["event_date"] == types["date_end"] == "OFTDate"
    assert types["latitude"] == types["longitude"] == types["confidence"] == "OFTReal"
    assert types["geonameid"] in ("OFTInteger", "OFTInteger64")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_unknown_format_lists_options(tmp_path: Path) -> None:
    with pytest.raises(UnknownOption) as info:
        write_export(make_events(), tmp_path / "x.shp", "shp")
    assert all(fmt in str(info.value) for fmt in FORMATS)
    assert not (tmp_path / "x.shp").exists()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                   HealthCheck.function_scoped_fixture])
@given(st.lists(events_strategy, min_size=1, max_size=3))
def test_gpkg_parquet_csv_same_rows_as_events(tmp_path: Path, events: list[Event]) -> None:
    expected = to_geodataframe(events)
    _assert_same_frame(geopandas.read_file(write_export(events, tmp_path / "h.gpkg", "gpkg")),
                       expected)
    _assert_same_frame(geopandas.read_parquet(
        write_export(events, tmp_path / "h.parquet", "parquet")), expected)
    with open(write_export(events, tmp_path / "h.csv", "csv"), encoding="utf-8",
              newline="") as handle:
        rows = list(csv.DictReader(handle))
    # a spreadsheet would run "=..." as a formula: such text starts with a quote
    assert [r["notes"] for r in rows] == [csv_text(e.sentence) for e in events]
    assert [(float(r["latitude"]), float(r["longitude"])) for r in rows] == [
        (e.lat, e.lon) for e in events]


# -- atomicity ------------------------------------------------------------------


def _failing_events():
    yield from make_events()[:2]
    raise RuntimeError("boom in the middle of the write")


@pytest.mark.parametrize("fmt", FORMATS)
def test_failed_write_leaves_existing_file_untouched(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"events.{fmt}"
    target.write_bytes(b"previous content")
    with pytest.raises(RuntimeError, match="boom"):
        write_export(_failing_events(), target, fmt)
    assert target.read_bytes() == b"previous content"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.mark.parametrize("fmt", ["gpkg", "parquet"])
def test_failure_inside_gis_writer_leaves_file_untouched(tmp_path: Path, fmt: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / f"events.{fmt}"
    target.write_bytes(b"previous content")

    def broken(first: object, second: object, *args: object, **kwargs: object) -> None:
        # write_arrow(table, path, ...) or GeoDataFrame.to_parquet(self, path, ...)
        Path(str(second)).write_bytes(b"half a file")
        raise OSError("disk full")

    import pyogrio

    if fmt == "gpkg":
        monkeypatch.setattr(pyogrio, "write_arrow", broken)
    else:
        monkeypatch.setattr(geopandas.GeoDataFrame, "to_parquet", broken)
    with pytest.raises(OSError, match="disk full"):
        write_export(make_events(), target, fmt)
    assert target.read_bytes() == b"previous content"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_export_and_back_through_geojson_file(tmp_path: Path) -> None:
    events = [strip_alternatives(e) for e in make_events()]
    path = write_export(events, tmp_path / "a.geojson", "geojson")
    again = write_export(read_geojson(path), tmp_path / "b.geojson", "geojson")
    assert again.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_identity_fields_survive_geojson_and_tables(tmp_path: Path) -> None:
    """event_id, every telling, the sources' sentences and first_reported round-trip."""
    import datetime as dt

    from geomap.group import group_events
    from geomap.identity import identify
    from geomap.records import DateResolution, PartialDate, Source
    from geomap.testing import place

    day = DateResolution(dt.date(2025, 4, 26), dt.date(2025, 4, 26), "day", "exact")
    kursk = place("Kursk", 51.73, 36.19, country="RU", admin1="41", geonameid=538560)
    told = [Event("territory_change", kursk, day, s, t,
                  source=Source(doc, published=PartialDate(2025, 4, d)))
            for doc, d, s, t in (("a", 27, "Troops retook Kursk.", "retook"),
                                 ("a", 27, "The retaking of Kursk was hailed.", "retaking"),
                                 ("b", 26, "Kursk was retaken on Saturday.", "retaken"))]
    events = group_events(identify(told[:2]) + identify(told[2:]))
    (one,) = events
    assert one.mention_count == 2 and one.first_reported == PartialDate(2025, 4, 26)
    back = from_geojson(to_geojson(events))
    assert back == events
    props = event_properties(one)
    assert (props["event_id"], props["mentions"], props["first_reported"]) == (
        one.event_id, 2, "2025-04-26")
    assert [s["sentence"] for s in props["sources"]] == [
        "Troops retook Kursk.", "Kursk was retaken on Saturday."]
    gdf = to_geodataframe(events)
    assert gdf.loc[0, "event_id"] == one.event_id and int(gdf.loc[0, "mentions"]) == 2
