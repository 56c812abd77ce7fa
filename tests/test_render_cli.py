"""``geomap map``: the offline, tile-less and flow options, through the CLI's entry point."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from geomap.cli import main
from geomap.export import write_geojson
from geomap.records import DateResolution, Event, Place, Source

ROOT = Path(__file__).resolve().parents[1]


def _day(iso: str) -> DateResolution:
    d = dt.date.fromisoformat(iso)
    return DateResolution(d, d, "day", "exact")


KURSK_OBLAST = Place(538555, "Kursk Oblast", 51.5, 36.0, "ADM1", "RU")
KYIV = Place(703448, "Kyiv", 50.4547, 30.5238, "PPLC", "UA")
SRC = Source("afp-1", "Troops in Kursk", "https://example.org/news/1")
EVENTS = [
    Event("troop_deployment", KURSK_OBLAST, _day("2025-04-26"),
          "North Korean troops were deployed in the Kursk region.", trigger="deployed",
          place_text="Kursk region", actors=("North Korea (KP)",), geo_precision=2, source=SRC),
    Event("armed_clash", KURSK_OBLAST, _day("2024-08-06"),
          "Ukrainian troops clashed with Russian forces in the Kursk region.", trigger="clashed",
          place_text="Kursk region", actors=("Ukraine (UA)", "Russia (RU)"), source=SRC),
    Event("protest", KYIV, _day("2024-03-01"), "People protested in Kyiv.", trigger="protested",
          source=SRC),
]


@pytest.fixture()
def events_file(tmp_path: Path) -> Path:
    return write_geojson(EVENTS, tmp_path / "events.geojson")


Result = tuple[int, str, str]


def _map(args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Result:
    # a gazetteer that does not exist: country shapes come from countryinfo, no build
    code = main(["--gazetteer", str(tmp_path / "no-gazetteer.sqlite"), "map", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _payload(page: str) -> dict[str, Any]:
    m = re.search(r'<script type="application/json" id="[^"]+_data">(.*?)</script>', page, re.S)
    assert m, "payload missing"
    return json.loads(m.group(1))


def test_map_offline_tiles_none_is_self_contained(events_file: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "offline.html"
    code, stdout, err = _map([str(events_file), "-o", str(out), "--offline", "--tiles", "none"],
                             tmp_path, capsys)
    assert code == 0, err
    assert f"3 events → {out}" in stdout
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # nothing is fetched: no script, stylesheet or image from anywhere
    assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="', page)
    assert "tile.openstreetmap.org" not in page
    assert "L.markerClusterGroup" in page and "L.heatLayer" in page
    data = _payload(page)
    assert len(data["outline"]["features"]) > 150  # the outline basemap
    assert len(data["events"]["t"]) == 3
    assert data["flows"] is None  # not asked for


def test_map_flows_and_filters(events_file: Path, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "flows.html"
    code, stdout, err = _map([str(events_file), "-o", str(out), "--flows", "--tiles", "none",
                              "--from", "2024-06-01", "--title", "Kursk"], tmp_path, capsys)
    assert code == 0, err
    assert "2 events" in stdout  # the March protest is filtered out
    page = out.read_text(encoding="utf-8")
    assert "<title>Kursk</title>" in page
    data = _payload(page)
    s = data["strings"]
    assert sorted(s[c] for c in data["flows"]["homes"]["cc"]) == ["KP", "UA"]
    assert len(data["flows"]["e"]) == 2


def test_map_offline_implies_tiles_none(events_file: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "offline.html"
    code, _, err = _map([str(events_file), "-o", str(out), "--offline"], tmp_path, capsys)
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" not in page
    assert len(_payload(page)["outline"]["features"]) > 150


def test_map_offline_with_a_tile_server_is_one_error_line(
        events_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _map([str(events_file), "-o", str(tmp_path / "x.html"), "--offline",
                         "--tiles", "OpenStreetMap"], tmp_path, capsys)
    assert code == 1
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert "--tiles none" in lines[0]
    assert not (tmp_path / "x.html").exists()


def test_map_help_lists_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["map", "--help"]) == 0
    text = capsys.readouterr().out
    for option in ("--offline", "--flows", "--tiles", "--from", "--types"):
        assert option in text


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


@pytest.mark.browser
def test_an_installed_wheel_draws_an_offline_map_with_every_request_blocked(
        events_file: Path, tmp_path: Path) -> None:
    """Built wheel → fresh venv in a temp dir (no checkout on its path) → ``geomap map
    --offline`` → Chromium with every network request cut: markers drawn, nothing asked."""
    if not CHROMIUM.exists():
        pytest.skip("headless Chromium missing: apt-get install -y chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    # the sources a wheel is built from, copied so the build leaves the checkout alone
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for package in ("geomap", "gazetteer"):
        shutil.copytree(ROOT / package, src / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
          "--no-index", "-q", "-w", str(tmp_path / "wheels"), str(src)], tmp_path)
    (wheel,) = (tmp_path / "wheels").glob("geomap-*.whl")
    # a fresh venv; its dependencies (spaCy, folium...) are read from this interpreter's
    # site-packages through a .pth line, so nothing is downloaded or reinstalled
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    python = venv / "bin" / "python"
    purelib = Path(_run([str(python), "-c", "import sysconfig; "
                         "print(sysconfig.get_paths()['purelib'])"], tmp_path).strip())
    deps = [p for p in map(Path, sys.path) if p.name == "site-packages" and p.is_dir()]
    (purelib / "geomap-test-deps.pth").write_text("\n".join(map(str, deps)) + "\n")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
          "--no-index", "-q", str(wheel)], tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GEOMAP_ASSETS")}
    where = _run([str(python), "-c", "import geomap; print(geomap.__file__)"], tmp_path, env)
    assert Path(where.strip()).is_relative_to(venv), where  # the installed copy, not ours
    out = tmp_path / "offline.html"
    _run([str(venv / "bin" / "geomap"), "--gazetteer", str(tmp_path / "none.sqlite"), "map",
          str(events_file), "--offline", "-o", str(out)], tmp_path, env)

    requested: list[str] = []
    errors: list[str] = []

    def block(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            requested.append(url)
            route.abort()

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.route("**/*", block)
            page.goto(out.as_uri())
            page.wait_for_function(
                "document.documentElement.getAttribute('data-geomap-ready') === '1'",
                timeout=15000)
            state = page.evaluate("Object.values(window.geomapMaps)[0].state()")
            assert state["visibleEvents"] == len(EVENTS)
            page.wait_for_timeout(500)
            assert page.locator(".gm-pin").count() + page.locator(".gm-cluster").count() >= 1
            assert page.locator(".leaflet-gmBase-pane path").count() > 150  # the outline map
            font = page.evaluate("""async () => {
              await document.fonts.load('900 12px "Font Awesome 6 Free"');
              return Array.from(document.fonts).some(
                f => f.family.includes('Font Awesome 6 Free') && f.status === 'loaded');
            }""")
            assert font, "Font Awesome did not load from the page"
        finally:
            browser.close()
    assert requested == []
    assert errors == []


# -- bad input: one line, nothing written ------------------------------------------------


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), err
    return lines[0]


def test_unknown_names_language_is_one_line(events_file: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _map([str(events_file), "-o", str(tmp_path / "x.html"), "--names", "xx"],
                        tmp_path, capsys)
    assert code == 1
    line = _one_error_line(err)
    assert "'xx'" in line and "en, fr" in line
    assert not (tmp_path / "x.html").exists()
    code = main(["export", str(events_file), "--format", "csv", "-o", str(tmp_path / "x.csv"),
                 "--names", "klingon"])
    assert code == 1 and "'klingon'" in _one_error_line(capsys.readouterr().err)
    assert not (tmp_path / "x.csv").exists()


def test_output_directory_that_cannot_be_created_is_one_line(
        events_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    code, _, err = _map([str(events_file), "-o", str(blocker / "sub" / "map.html")],
                        tmp_path, capsys)
    assert code == 1
    line = _one_error_line(err)
    assert str(blocker / "sub") in line and "-o" in line
    code = main(["export", str(events_file), "--format", "gpkg", "-o",
                 str(blocker / "sub" / "e.gpkg")])
    assert code == 1 and "cannot be created" in _one_error_line(capsys.readouterr().err)
    code = main(["run", str(events_file), "-o", str(blocker / "out")])
    assert code == 1 and "cannot be created" in _one_error_line(capsys.readouterr().err)
    assert blocker.read_text() == "not a directory"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "events.geojson"]


def test_a_geojson_without_events_is_one_line(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    empty = write_geojson([], tmp_path / "empty.geojson")
    code, _, err = _map([str(empty), "-o", str(tmp_path / "m.html")], tmp_path, capsys)
    assert code == 1
    assert "holds no events" in _one_error_line(err) and str(empty) in err
    assert not (tmp_path / "m.html").exists()


def test_export_names_countries_in_the_chosen_language(events_file: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    import csv

    out = tmp_path / "e.csv"
    assert main(["--gazetteer", str(tmp_path / "none.sqlite"), "export", str(events_file),
                 "--format", "csv", "-o", str(out), "--names", "fr"]) == 0
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["country"] for r in rows] == ["Russie", "Russie", "Ukraine"]
    assert [r["iso3"] for r in rows] == ["RUS", "RUS", "UKR"]
    assert rows[0]["admin1"] == "Kursk Oblast"  # the place is the admin-1 area


def test_map_names_countries_and_keeps_document_names_searchable(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kp = Place(1873107, "North Korea", 40.0, 127.0, "PCLI", "KP")
    evs = [*EVENTS, Event("statement", kp, _day("2025-04-28"), "La Corée du Nord a confirmé.",
                          place_text="Corée du Nord", source=SRC)]
    events = write_geojson(evs, tmp_path / "kp.geojson")
    for names, expected in (("en", "North Korea"), ("fr", "Corée du Nord")):
        out = tmp_path / f"{names}.html"
        code, _, err = _map([str(events), "-o", str(out), "--tiles", "none", "--names", names],
                            tmp_path, capsys)
        assert code == 0, err
        data = _payload(out.read_text(encoding="utf-8"))
        s, places = data["strings"], data["places"]
        k = places["id"].index(kp.geonameid)
        assert s[places["name"][k]] == expected
        assert data["countries"]["RU"] == ("Russia" if names == "en" else "Russie")
    # the English map still finds "Corée du Nord", the name the document used
    assert [s[a] for a in places["alt"][k]] == ["North Korea"]
    en = _payload((tmp_path / "en.html").read_text(encoding="utf-8"))
    k = en["places"]["id"].index(kp.geonameid)
    assert [en["strings"][a] for a in en["places"]["alt"][k]] == ["Corée du Nord"]
    oblast = en["places"]["id"].index(KURSK_OBLAST.geonameid)
    assert [en["strings"][a] for a in en["places"]["alt"][oblast]] == ["Kursk region"]
