"""``gazetteer build --countries``: GeoNames per-country dumps from a loopback mirror.

The base of these builds is the tiny fixture dump (``--geonames``), so a build
takes about a second; the packaged-data base is exercised by
``test_default_build_with_country`` (opt-in: ``GEOMAP_SLOW_TESTS=1``, ~1-2 min).
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from gazetteer_fixtures import FIXTURE_DUMP
from loopback import Loopback, Route, closed_port_url, serve

from gazetteer import open_gazetteer
from gazetteer.download import GazetteerDownloadError, build_countries, parse_countries
from geomap.cli import main

COUNTRY = Path(__file__).resolve().parent / "fixtures" / "geonames-country"
ROBOTYNE = (47.44778, 35.83556)
KLISHCHIIVKA = (48.53611, 37.96556)


def make_mirror(root: Path) -> Path:
    """A directory with GeoNames' layout: UA.zip and alternatenames/UA.zip."""
    (root / "alternatenames").mkdir(parents=True, exist_ok=True)
    for rel in ("UA", "alternatenames/UA"):
        with zipfile.ZipFile(root / f"{rel}.zip", "w", zipfile.ZIP_DEFLATED) as zf:
            zf.write(COUNTRY / f"{rel}.txt", "UA.txt")
    return root


@pytest.fixture()
def mirror(tmp_path: Path) -> Path:
    return make_mirror(tmp_path / "mirror")


@pytest.fixture()
def web(mirror: Path) -> Iterator[Loopback]:
    for server in serve():
        for rel in ("UA.zip", "alternatenames/UA.zip"):
            server.routes[f"/dump/{rel}"] = Route((mirror / rel).read_bytes(),
                                                  content_type="application/zip",
                                                  headers={"Last-Modified":
                                                           "Mon, 01 Dec 2025 02:00:00 GMT"})
        yield server


def test_build_adds_villages_with_names_and_meta(web: Loopback, mirror: Path,
                                                 tmp_path: Path) -> None:
    out = build_countries("ua", tmp_path / "gaz.sqlite", mirror=web.url("/dump/"),
                          geonames=FIXTURE_DUMP)
    with open_gazetteer(out) as gaz:
        best = gaz.search("Robotyne", limit=1)[0]
        assert (best.lat, best.lon, best.country_code) == (*ROBOTYNE, "UA")
        assert gaz.search("Кліщіївка", lang="uk", limit=1)[0].name == "Klishchiivka"
        assert gaz.search("Klichtchiïvka", lang="fr", limit=1)[0].geonameid == 15000002
        ukraine = gaz.search("Ukraine", kinds=["country"], limit=1)[0]
        assert ukraine.geonameid == 690791  # the base's own row, not replaced
        assert gaz.search("Kyiv", limit=1)[0].geonameid == 703448  # the base is all there
        meta = gaz.meta()
    assert meta["countries"] == "UA"
    assert json.loads(meta["country_places_added"]) == {"city": 3}  # Krynky, and two villages
    assert json.loads(meta["country_malformed_rows"]) == {"places": 1}
    records = {r["file"]: r for r in json.loads(meta["downloads"])}
    assert set(records) == {"UA.zip", "alternatenames/UA.zip"}
    for rel, rec in records.items():
        data = (mirror / rel).read_bytes()
        assert rec["size"] == len(data)
        assert rec["sha256"] == hashlib.sha256(data).hexdigest()
        assert rec["source"] == web.url(f"/dump/{rel}")
        assert rec["date"] == "Mon, 01 Dec 2025 02:00:00 GMT"
    # A second build reuses the finished downloads.
    before = len(web.requests)
    build_countries("UA", tmp_path / "gaz2.sqlite", mirror=web.url("/dump/"),
                    geonames=FIXTURE_DUMP, download_dir=tmp_path / "geonames")
    assert len(web.requests) == before


def test_directory_mirror(mirror: Path, tmp_path: Path) -> None:
    out = build_countries(["UA"], tmp_path / "gaz.sqlite", mirror=mirror, geonames=FIXTURE_DUMP)
    with open_gazetteer(out) as gaz:
        assert gaz.search("Klishchiivka", limit=1)[0].lat == KLISHCHIIVKA[0]
        assert json.loads(gaz.meta()["downloads"])[0]["source"] == str(mirror / "UA.zip")


def test_resumes_a_partial_download(web: Loopback, mirror: Path, tmp_path: Path) -> None:
    data = (mirror / "UA.zip").read_bytes()
    part = tmp_path / "geonames" / "UA.zip.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(data[: len(data) // 2])
    build_countries("UA", tmp_path / "gaz.sqlite", mirror=web.url("/dump/"),
                    geonames=FIXTURE_DUMP)
    asked = [h.get("Range") for _, p, h in web.requests if p == "/dump/UA.zip"]
    assert asked == [f"bytes={len(data) // 2}-"]
    assert (tmp_path / "geonames" / "UA.zip").read_bytes() == data
    assert not part.exists()


def test_dropped_connection_resumes_in_the_same_run(web: Loopback, mirror: Path,
                                                    tmp_path: Path) -> None:
    data = (mirror / "alternatenames" / "UA.zip").read_bytes()
    web.routes["/dump/alternatenames/UA.zip"].truncate_once = len(data) // 3
    build_countries("UA", tmp_path / "gaz.sqlite", mirror=web.url("/dump/"),
                    geonames=FIXTURE_DUMP)
    asked = [h.get("Range") for _, p, h in web.requests if p == "/dump/alternatenames/UA.zip"]
    assert asked == [None, f"bytes={len(data) // 3}-"]
    assert (tmp_path / "geonames" / "alternatenames" / "UA.zip").read_bytes() == data


def test_mirror_without_the_country(web: Loopback, mirror: Path, tmp_path: Path) -> None:
    target = tmp_path / "gaz.sqlite"
    target.write_bytes(b"previous database")
    with pytest.raises(GazetteerDownloadError, match=r"has no .*/dump/SD.zip, .*"
                                                     r"/dump/alternatenames/SD.zip \(HTTP 404\)"):
        build_countries("UA,SD", target, mirror=web.url("/dump/"), geonames=FIXTURE_DUMP)
    with pytest.raises(GazetteerDownloadError, match=r"mirror .* has no .*SD.zip"):
        build_countries("SD", target, mirror=mirror, geonames=FIXTURE_DUMP)
    assert target.read_bytes() == b"previous database"  # nothing half-written
    assert not list(tmp_path.glob(".gaz.sqlite.*"))


def test_no_network_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "gaz.sqlite"
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(target))
    code = main(["gazetteer", "build", "--geonames", str(FIXTURE_DUMP), "--countries", "UA",
                 "--mirror", closed_port_url() + "/dump/"])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert err.startswith("Error: cannot download http://127.0.0.1:") and "UA.zip" in err
    assert "no network connection" in err and "\n" not in err
    assert not target.exists()


def test_cli_countries_with_env_and_option(web: Loopback, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    by_env = tmp_path / "env.sqlite"
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(by_env))
    assert main(["gazetteer", "build", "--geonames", str(FIXTURE_DUMP), "--countries", "UA",
                 "--mirror", web.url("/dump/")]) == 0
    assert "Added from UA: city 3" in capsys.readouterr().out
    by_option = tmp_path / "opt.sqlite"
    assert main(["--gazetteer", str(by_option), "gazetteer", "build", "--geonames",
                 str(FIXTURE_DUMP), "--countries", "UA", "--mirror", web.url("/dump/")]) == 0
    for path in (by_env, by_option):
        with open_gazetteer(path) as gaz:
            assert gaz.search("Robotyne", limit=1)[0].geonameid == 15000001
    assert main(["gazetteer", "build", "--countries", "Ukraine"]) == 1
    assert "'Ukraine' is not an ISO 3166-1 alpha-2 code" in capsys.readouterr().err


def test_parse_countries() -> None:
    assert parse_countries(["sd", "UA", "sd"]) == ["SD", "UA"]
    with pytest.raises(GazetteerDownloadError, match="no country code given"):
        parse_countries(" , ")


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("GEOMAP_SLOW_TESTS"),
                    reason="builds the packaged gazetteer (~1-2 min, 500 MB); "
                           "set GEOMAP_SLOW_TESTS=1")
def test_default_build_with_country(mirror: Path, tmp_path: Path) -> None:
    out = build_countries("UA", tmp_path / "gaz.sqlite", mirror=mirror)
    with open_gazetteer(out) as gaz:
        assert (gaz.search("Robotyne", limit=1)[0].lat, gaz.search("Robotyne")[0].lon) \
            == ROBOTYNE
        assert gaz.search("Krynky", limit=1)[0].population == 991  # the packaged row kept
        meta = gaz.meta()
        assert json.loads(meta["counts"])["city"] > 200_000
    assert json.loads(meta["country_places_added"]) == {"city": 2}
