"""End to end: the Python API on written examples, and the seed story when ../shared is here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import geomap
from geomap.export import to_geojson

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def kherson(default_gazetteer_path):
    return geomap.run([EXAMPLES / "kherson-withdrawal-2022-11.en.txt"],
                      gazetteer=default_gazetteer_path)


def test_example_article_end_to_end(kherson):
    fc = to_geojson(kherson)
    feats = fc["features"]
    by_type: dict[str, list[dict]] = {}
    for f in feats:
        by_type.setdefault(f["properties"]["event_type"], []).append(f)
    # Ukrainian troops entering Kherson after the Russian withdrawal: at Kherson, on the 11th.
    tc = by_type["territory_change"][0]
    lon, lat = tc["geometry"]["coordinates"]
    assert tc["properties"]["place"] == "Kherson"
    assert abs(lat - 46.64) < 0.1 and abs(lon - 32.61) < 0.1
    assert tc["properties"]["date_start"] == "2022-11-11"
    assert tc["properties"]["granularity"] == "day"
    assert tc["properties"]["country"] == "UA"
    # Shelling of named villages later that day.
    rv = by_type["remote_violence"][0]["properties"]
    assert rv["place"] in {"Bilozerka", "Chornobaivka"} and rv["date_start"] == "2022-11-11"
    # The occupation since March 2022 is a range ending on the document date.
    occupied = [f["properties"] for f in by_type["territory_change"]
                if f["properties"]["date_start"] == "2022-03-01"]
    assert occupied and occupied[0]["date_end"] == "2022-11-11"


def test_python_api_mixes_text_and_paths(default_gazetteer_path):
    events = geomap.run(
        ["Des manifestants se sont rassemblés samedi à Marseille contre la guerre.",
         EXAMPLES / "tbilisi-protests-2023-03.en.txt"],
        gazetteer=default_gazetteer_path)
    assert isinstance(events, geomap.EventCollection)
    places = {e.place.name for e in events if e.type == "protest"}
    assert {"Marseille", "Tbilisi"} <= places
    gdf = events.to_geodataframe()
    assert len(gdf) == len(events) and gdf.crs.to_epsg() == 4326
    only = events.filter(start="2023-03-01", end="2023-03-31", types=["protest"])
    assert only and all(e.type == "protest" and e.date.start >= dt.date(2023, 3, 1)
                        for e in only)
    m = events.to_map()
    assert type(m).__name__ == "Map"


def _seed_table(events):
    return [(e.type, e.place.name, e.place.country, e.date.start, e.date.granularity)
            for e in events]


def test_seed_story(shared_dir, default_gazetteer_path):
    """The French AFP story that started the project (read from ../shared, never copied)."""
    seed = shared_dir / "seed" / "afp-kursk-2025-04.fr.txt"
    pipe = geomap.Pipeline(__import__("gazetteer").open_gazetteer(default_gazetteer_path))
    docs = list(__import__("geomap.documents", fromlist=["x"]).read_documents([seed]))
    assert docs[0].date == geomap.PartialDate(2025, 4)
    assert not docs[0].text.lstrip().startswith("date")
    result = pipe.process(docs[0])
    pairs = zip(result.mentions, result.places, strict=True)
    resolved = {m.text: p for m, p in pairs if p is not None}
    assert resolved["Koursk"].geonameid == 538560
    assert abs(resolved["Koursk"].lat - 51.73) < 0.1 and abs(resolved["Koursk"].lon - 36.19) < 0.1
    assert resolved["région russe de Koursk"].geonameid == 538555
    assert resolved["Moscou"].geonameid == 524901
    assert resolved["Kiev"].geonameid == 703448
    assert resolved["Pyongyang"].geonameid == 1871859
    countries = {p.country for p in resolved.values() if p.level == "country"}
    assert {"KP", "RU", "UA"} <= countries
    events = result.events
    types = {e.type for e in events}
    wanted = {"troop_deployment", "agreement", "statement", "accusation"}
    assert wanted <= types, _seed_table(events)
    assert types & {"armed_clash", "territory_change"}
    for e in events:
        # Nothing is dated to an invented day: the document date is a month.
        assert e.date.granularity != "day", _seed_table(events)
    agreement = [e for e in events if e.type == "agreement"][0]
    assert agreement.date.start == dt.date(2024, 6, 1)
    assert agreement.date.granularity == "month"
    tc = [e for e in events if e.type == "territory_change"]
    assert any(e.place.geonameid in {538555, 538560} for e in tc), _seed_table(events)
    dep = [e for e in events if e.type == "troop_deployment"]
    assert any(e.place.country == "RU" for e in dep), _seed_table(events)
    # Identity: about ten happenings, the retaking and the occupation once each, and
    # no two events with the same type, place and date.
    assert 6 <= len(events) <= 12, _seed_table(events)
    april = [e for e in tc if e.date.start == dt.date(2025, 4, 1)]
    since = [e for e in tc if e.date.start == dt.date(2024, 8, 1)]
    assert len(april) == 1 and april[0].mention_count >= 3, _seed_table(events)
    assert len(since) == 1, _seed_table(events)
    assert 1 <= len(dep) <= 2 and len([e for e in events if e.type == "agreement"]) == 1
    keys = [(e.type, e.place.geonameid, e.date.start) for e in events]
    assert len(keys) == len(set(keys)), _seed_table(events)
