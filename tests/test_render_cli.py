"""``geomap map``: the offline, tile-less and flow options, through the CLI's entry point."""

from __future__ import annotations

import datetime as dt
import json
import re
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
