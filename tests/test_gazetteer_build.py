"""Building from GeoNames dumps (the tiny fixture), custom places, interrupted builds, and
every way opening a database can fail."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import gazetteer_fixtures as gf
import pytest
from gazetteer_fixtures import FIXTURE_DUMP, copy_dump

from gazetteer import Gazetteer, build_geonames, default_path, load_custom, open_gazetteer
from gazetteer.errors import (
    CustomPlacesError,
    GazetteerBuildError,
    GazetteerCorrupt,
    GazetteerError,
    GazetteerNotFound,
    GazetteerSchemaError,
    GeomapError,
)

tiny = gf.tiny  # the shared fixture, used by name below
tiny_path = gf.tiny_path  # the shared fixture, used by name below



def top(g: Gazetteer, name: str, **kw: object) -> int:
    found = g.search(name, **kw)  # type: ignore[arg-type]
    assert found, f"nothing for {name!r}"
    return found[0].geonameid


# -- the GeoNames import --------------------------------------------------------


def test_meta_counts_and_malformed_rows(tiny: Gazetteer) -> None:
    meta = tiny.meta()
    assert meta["builder"] == "geonames"
    assert meta["malformed_rows"] == "3"
    assert json.loads(meta["malformed_by_file"]) == {"alternate_names": 1, "places": 2}
    counts = json.loads(meta["counts"])
    assert counts["city"] == 8 and counts["admin1"] == 8 and counts["admin2"] == 2
    assert counts["country"] == 5 and counts["continent"] == 1
    assert "CC BY 4.0" in meta["attribution"]


def test_unkept_features_and_skipped_languages(tiny: Gazetteer) -> None:
    assert tiny.search("Monaco Hotel") == []  # S/HTL is not a place we keep
    assert not tiny.has_name("iev")  # iata code row
    assert not tiny.has_name("101000")  # postal code row
    assert not tiny.has_name(fold_("https://en.wikipedia.org/wiki/Kursk"))
    assert tiny.search("Ghost place") == []  # alternate name of an absent id


def fold_(s: str) -> str:
    from gazetteer import fold

    return fold(s)


@pytest.mark.parametrize(
    ("name", "kw", "expected"),
    [
        ("Paris", {}, 2988507),
        ("Paris", {"country": "US"}, 4717560),
        ("Moscou", {"lang": "fr"}, 524901),
        ("Moscow", {}, 524901),
        ("Moscow", {"country": "US"}, 5601538),
        ("Kiev", {}, 703448),
        ("Київ", {"lang": "uk"}, 703448),
        ("Kursk", {}, 538560),
        ("Kurs'k", {}, 538560),
        ("Koursk", {"lang": "fr"}, 538560),
        ("Donetsk", {}, 709717),
        ("oblast de Donetsk", {"lang": "fr"}, 709716),
        ("région de Donetsk", {"lang": "fr"}, 709716),
        ("Donetsk Oblast", {"lang": "en"}, 709716),
        ("région de Koursk", {"lang": "fr"}, 538555),
        ("Kursk region", {}, 538555),
        ("comté de Lamar", {"lang": "fr"}, 4705086),
        ("Lamar County", {}, 4705086),
        ("Texas", {}, 4736286),
        ("Tejas", {"lang": "es"}, 4736286),
        ("la Russie", {"lang": "fr"}, 2017370),
        ("Pyongyang", {}, 1871859),
    ],
)
def test_search_on_fixture(tiny: Gazetteer, name: str, kw: dict[str, str], expected: int) -> None:
    assert top(tiny, name, **kw) == expected


def test_language_tag_preference(tiny: Gazetteer) -> None:
    fr = tiny.search("Koursk", lang="fr")[0]
    de = tiny.search("Koursk", lang="de")[0]
    neutral = tiny.search("Koursk")[0]
    assert fr.name_lang == "fr" and fr.matched_name == "Koursk"
    assert fr.score > neutral.score > de.score
    assert "'Koursk' (fr)" in fr.reason and "448,733" in fr.reason


def test_kinds_and_country_filters(tiny: Gazetteer) -> None:
    # admin1CodesASCII names the oblast "Kursk": only reachable as an admin1 (or ranked 2nd).
    assert [c.geonameid for c in tiny.search("Kursk", kinds=["admin1"])] == [538555]
    assert [c.geonameid for c in tiny.search("Kursk")] == [538560, 538555]
    assert tiny.search("Kursk Oblast", kinds=["admin1"])[0].geonameid == 538555
    assert {c.country_code for c in tiny.search("Paris", limit=10)} == {"FR", "US"}
    assert tiny.search("Paris", country="RU") == []
    # A region word only reads as a region when that kind is allowed.
    assert tiny.search("région de Koursk", kinds=["city"]) == []


def test_admin_without_region_word_yields_to_the_town(tiny: Gazetteer) -> None:
    found = tiny.search("Pyongyang")
    assert [c.kind for c in found[:2]] == ["city", "admin1"]
    assert "a town inside has this name" in found[1].reason


def test_reverse_on_fixture(tiny: Gazetteer) -> None:
    res = tiny.reverse(46.7, -117.0)
    assert res.place is not None and res.place.geonameid == 5601538
    assert res.admin1 is not None and res.admin1.name == "Idaho"
    assert res.country is not None and res.country.country_code == "US"
    assert res.country.admin1 is None  # GeoNames "00" is not an admin code
    far = tiny.reverse(-60.0, -150.0)  # nothing near: still the nearest place
    assert far.place is not None


def test_zipped_dumps(tmp_path: Path, tiny: Gazetteer) -> None:
    d = copy_dump(tmp_path / "dump")
    for stem in ("allCountries", "alternateNamesV2"):
        with zipfile.ZipFile(d / f"{stem}.zip", "w", zipfile.ZIP_DEFLATED) as zf:
            zf.write(d / f"{stem}.txt", f"{stem}.txt")
        (d / f"{stem}.txt").unlink()
    with open_gazetteer(build_geonames(d, tmp_path / "z.sqlite")) as g:
        assert json.loads(g.meta()["counts"]) == json.loads(tiny.meta()["counts"])
        assert g.search("Koursk", lang="fr")[0].name_lang == "fr"


def test_per_country_dumps(tmp_path: Path) -> None:
    d = tmp_path / "dump"
    d.mkdir()
    for name in ("admin1CodesASCII.txt", "admin2Codes.txt", "countryInfo.txt",
                 "alternateNamesV2.txt"):
        shutil.copy(FIXTURE_DUMP / name, d / name)
    by_cc: dict[str, list[str]] = {}
    for line in (FIXTURE_DUMP / "allCountries.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 19 and parts[8] in ("FR", "RU"):
            by_cc.setdefault(parts[8], []).append(line)
    (d / "FR.txt").write_text("\n".join(by_cc["FR"]) + "\n", encoding="utf-8")
    with zipfile.ZipFile(d / "RU.zip", "w") as zf:
        zf.writestr("RU.txt", "\n".join(by_cc["RU"]) + "\n")
    with open_gazetteer(build_geonames(d, tmp_path / "cc.sqlite")) as g:
        assert top(g, "Moscou", lang="fr") == 524901
        assert g.search("Moscow", country="US") == []
        assert g.country("FR") is not None and g.country("US") is None


def test_build_geonames_rejects_missing_or_empty_dir(tmp_path: Path) -> None:
    with pytest.raises(GazetteerBuildError, match="no GeoNames directory"):
        build_geonames(tmp_path / "nope", tmp_path / "x.sqlite")
    (tmp_path / "empty").mkdir()
    with pytest.raises(GazetteerBuildError, match="allCountries.zip"):
        build_geonames(tmp_path / "empty", tmp_path / "x.sqlite")
    assert not (tmp_path / "x.sqlite").exists()


# -- custom places ----------------------------------------------------------------

CSV_OK = """name,alternate_names,lat,lon,country,kind,population
Paris,Parizh|Parys,48.5,35.1,UA,city,120
Base Alpha,FOB Alpha,47.1,37.5,UA,city,
Korenevo,Korenevo village,51.62,36.02,RU,city,5000
"""


def test_custom_csv_precedence(tmp_path: Path) -> None:
    csv_path = tmp_path / "mine.csv"
    csv_path.write_text(CSV_OK, encoding="utf-8")
    with open_gazetteer(build_geonames(FIXTURE_DUMP, tmp_path / "c.sqlite",
                                       custom=[csv_path])) as g:
        best = g.search("Paris")[0]
        assert best.geonameid >= 1_000_000_000 and best.country_code == "UA"
        assert "custom" in best.reason and best.score <= 1.0
        assert g.search("Paris")[1].geonameid == 2988507
        assert g.search("FOB Alpha")[0].name == "Base Alpha"
        # Custom towns take the admin codes of the nearest GeoNames town in their country.
        near_kursk = g.search("Paris", country="UA")[0]
        assert near_kursk.admin1 is None  # no Ukrainian town within reach in the tiny dump
        assert g.meta()["custom_places"] == "3"
        korenevo = g.search("Korenevo")[0]
        assert (korenevo.country_code, korenevo.admin1) == ("RU", "41")
        # A small town does not stand for its oblast: not named alike, not its biggest town.
        assert g.search("région de Korenevo", lang="fr") == []


def test_custom_geojson(tmp_path: Path) -> None:
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [37.55, 47.95]},
         "properties": {"name": "Krasnohorivka", "alternate_names": ["Krasnogorovka"],
                        "country": "ua", "kind": "city", "population": 16000}},
    ]}
    p = tmp_path / "front.geojson"
    p.write_text(json.dumps(doc), encoding="utf-8")
    with open_gazetteer(build_geonames(FIXTURE_DUMP, tmp_path / "g.sqlite", custom=[p])) as g:
        c = g.search("Krasnogorovka")[0]
        assert (c.name, c.country_code, c.lat, c.lon) == ("Krasnohorivka", "UA", 47.95, 37.55)


@pytest.mark.parametrize(
    ("text", "where", "field"),
    [
        ("name,lat,lon\nOK,1,2\nBad,95,2\n", "row 3", "'lat'"),
        ("name,lat,lon\n,1,2\n", "row 2", "'name'"),
        ("name,lat,lon\nX,1,east\n", "row 2", "'lon'"),
        ("name,lat,lon,kind\nX,1,2,town\n", "row 2", "'kind'"),
        ("name,lat,lon,country\nX,1,2,France\n", "row 2", "'country'"),
        ("name,lat\nX,1\n", "missing column", "lon"),
    ],
)
def test_custom_bad_csv_rows(tmp_path: Path, text: str, where: str, field: str) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(CustomPlacesError) as info:
        load_custom([p])
    msg = str(info.value)
    assert "bad.csv" in msg and where in msg and field in msg
    assert isinstance(info.value, ValueError) and isinstance(info.value, GeomapError)


def test_custom_bad_geojson(tmp_path: Path) -> None:
    p = tmp_path / "bad.geojson"
    p.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
         "properties": {"name": "X"}}]}), encoding="utf-8")
    with pytest.raises(CustomPlacesError, match=r"bad.geojson: feature 1: field 'geometry'"):
        load_custom([p])
    p.write_text("{not json", encoding="utf-8")
    with pytest.raises(CustomPlacesError, match="not valid JSON"):
        load_custom([p])
    with pytest.raises(CustomPlacesError, match="cannot read"):
        load_custom([tmp_path / "absent.csv"])


def test_interrupted_build_keeps_the_old_database(tmp_path: Path) -> None:
    target = tmp_path / "gaz.sqlite"
    build_geonames(FIXTURE_DUMP, target)
    before = target.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lat,lon\nNowhere,123,0\n", encoding="utf-8")
    with pytest.raises(CustomPlacesError, match="row 2"):
        build_geonames(FIXTURE_DUMP, target, custom=[bad])
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "gaz.sqlite"]
    with open_gazetteer(target) as g:
        assert top(g, "Koursk") == 538560


# -- opening: every failure has its class and a one-line message ---------------------


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite"
    with pytest.raises(GazetteerNotFound) as info:
        open_gazetteer(missing)
    msg = str(info.value)
    assert str(missing) in msg and "`geomap gazetteer build`" in msg and "\n" not in msg
    assert isinstance(info.value, FileNotFoundError)


def test_corrupt_file(tmp_path: Path) -> None:
    p = tmp_path / "junk.sqlite"
    p.write_bytes(b"this is not a database at all " * 200)
    with pytest.raises(GazetteerCorrupt, match="junk.sqlite.*not a geomap gazetteer"):
        Gazetteer(p)


def test_foreign_sqlite(tmp_path: Path) -> None:
    p = tmp_path / "other.sqlite"
    with sqlite3.connect(p) as conn:
        conn.execute("CREATE TABLE places (x)")
    with pytest.raises(GazetteerCorrupt, match="other.sqlite is an SQLite database but not"):
        open_gazetteer(p)


def test_old_schema_version(tmp_path: Path, tiny_path: Path) -> None:
    p = tmp_path / "old.sqlite"
    shutil.copy(tiny_path, p)
    with sqlite3.connect(p) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    conn.close()
    with pytest.raises(GazetteerSchemaError) as info:
        open_gazetteer(p)
    msg = str(info.value)
    assert "version 0" in msg and "`geomap gazetteer build`" in msg
    assert isinstance(info.value, GazetteerError) and isinstance(info.value, ValueError)


def test_default_path_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                            tiny_path: Path) -> None:
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(tiny_path))
    assert default_path() == tiny_path
    with open_gazetteer() as g:
        assert g.path == tiny_path
    monkeypatch.delenv("GEOMAP_GAZETTEER")
    p = default_path()
    assert p.name == "gazetteer.sqlite" and "geomap" in p.parts[-2].lower()


def test_threads_share_one_gazetteer(tiny: Gazetteer) -> None:
    from concurrent.futures import ThreadPoolExecutor

    names = ["Paris", "Koursk", "Kiev", "Moscou", "Texas"] * 40
    with ThreadPoolExecutor(4) as pool:
        ids = list(pool.map(lambda n: tiny.search(n)[0].geonameid, names))
    assert ids[:5] == [2988507, 538560, 703448, 524901, 4736286]
    assert ids == ids[:5] * 40


def test_reverse_is_the_true_nearest(tiny: Gazetteer) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from gazetteer import haversine_km

    towns = tiny._query("SELECT geonameid, lat, lon FROM places WHERE kind = 'city'")

    @settings(max_examples=300, deadline=None)
    @given(st.floats(-89.9, 89.9), st.floats(-179.9, 179.9))
    def check(lat: float, lon: float) -> None:
        res = tiny.reverse(lat, lon)
        assert res.place is not None
        want = min(haversine_km(lat, lon, t[1], t[2]) for t in towns)
        got = haversine_km(lat, lon, res.place.lat, res.place.lon)
        assert got == pytest.approx(want, rel=1e-9), (lat, lon, res.place.name)

    check()
