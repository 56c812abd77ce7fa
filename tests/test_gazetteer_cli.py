"""``geomap gazetteer`` through click's runner, mounted under a root group that carries the
global ``--gazetteer`` option as the main CLI does."""

from __future__ import annotations

import json
from pathlib import Path

import click
import gazetteer_fixtures as gf
import pytest
from click.testing import CliRunner
from gazetteer_fixtures import FIXTURE_DUMP

from geomap.cli_gazetteer import gazetteer as gazetteer_group

tiny_path = gf.tiny_path  # the shared fixture, used by name below



@click.group()
@click.option("--gazetteer", type=click.Path(path_type=Path))
def root(gazetteer: Path | None) -> None:
    """Stand-in for geomap's main group."""


root.add_command(gazetteer_group)


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(root, list(args), catch_exceptions=True)


def test_lookup_json(tiny_path: Path) -> None:
    res = run("--gazetteer", str(tiny_path), "gazetteer", "lookup", "Paris", "--country", "US",
              "--json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert rows[0]["geonameid"] == 4717560 and rows[0]["reason"]


def test_lookup_table_and_kinds(tiny_path: Path) -> None:
    res = run("--gazetteer", str(tiny_path), "gazetteer", "lookup", "Kursk", "--kind", "admin1",
              "--limit", "5")
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert [ln.split("\t")[1] for ln in lines] == ["538555"]
    assert lines[0].split("\t")[3] == "admin1"
    res = run("--gazetteer", str(tiny_path), "gazetteer", "lookup", "Atlantis")
    assert res.exit_code == 0 and "no place named 'Atlantis'" in res.output


def test_info(tiny_path: Path) -> None:
    res = run("--gazetteer", str(tiny_path), "gazetteer", "info")
    assert res.exit_code == 0, res.output
    assert "schema_version: 1" in res.output and "malformed_rows: 3" in res.output


def test_build_geonames_and_custom(tmp_path: Path) -> None:
    custom = tmp_path / "mine.csv"
    custom.write_text("name,lat,lon,country\nBase Alpha,47.1,37.5,UA\n", encoding="utf-8")
    out = tmp_path / "built.sqlite"
    res = run("gazetteer", "build", "--geonames", str(FIXTURE_DUMP), "--custom", str(custom),
              "--output", str(out))
    assert res.exit_code == 0, res.output
    assert f"Wrote {out}" in res.output and "city 9" in res.output
    res = run("--gazetteer", str(out), "gazetteer", "lookup", "Base Alpha", "--json")
    assert json.loads(res.output)[0]["geonameid"] >= 1_000_000_000


def test_errors_propagate_as_geomap_errors(tmp_path: Path) -> None:
    from gazetteer.errors import CustomPlacesError, GazetteerNotFound

    res = run("--gazetteer", str(tmp_path / "none.sqlite"), "gazetteer", "info")
    assert isinstance(res.exception, GazetteerNotFound)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lat,lon\n,1,2\n", encoding="utf-8")
    res = run("gazetteer", "build", "--geonames", str(FIXTURE_DUMP), "--custom", str(bad),
              "--output", str(tmp_path / "x.sqlite"))
    assert isinstance(res.exception, CustomPlacesError)
    assert not (tmp_path / "x.sqlite").exists()


def test_global_option_is_the_build_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "via-root.sqlite"
    res = run("--gazetteer", str(target), "gazetteer", "build", "--geonames", str(FIXTURE_DUMP))
    assert res.exit_code == 0, res.output
    assert target.is_file()
