"""The CLI contract: outputs, filters, and one-line errors on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geomap.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _run(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def _one_line_error(err: str, *needles: str) -> None:
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("Error: ") and "Traceback" not in err
    for n in needles:
        assert n in lines[0], (n, lines[0])


@pytest.fixture()
def gaz_args(default_gazetteer_path):
    return ["--gazetteer", str(default_gazetteer_path)]


def test_run_writes_geojson_and_map(tmp_path, gaz_args, capsys):
    src = EXAMPLES / "kherson-withdrawal-2022-11.en.txt"
    code, _, err = _run([*gaz_args, "run", str(src), "-o", str(tmp_path)], capsys)
    assert code == 0, err
    fc = json.loads((tmp_path / "events.geojson").read_text())
    assert fc["type"] == "FeatureCollection" and fc["features"]
    html = (tmp_path / "map.html").read_text()
    assert "Kherson" in html
    # Filters apply to the GeoJSON as to the map.
    out2 = tmp_path / "filtered"
    code, _, err = _run([*gaz_args, "run", str(src), "-o", str(out2), "--types", "armed_clash"],
                        capsys)
    assert code == 0, err
    kept = json.loads((out2 / "events.geojson").read_text())["features"]
    assert all(f["properties"]["event_type"] == "armed_clash" for f in kept)
    code, _, err = _run([*gaz_args, "run", str(src), "-o", str(out2), "--from", "2023-01"],
                        capsys)
    assert code == 0 and json.loads((out2 / "events.geojson").read_text())["features"] == []


def test_run_reads_jsonl_and_stdin(tmp_path, gaz_args, capsys, monkeypatch):
    data = tmp_path / "docs.jsonl"
    data.write_text(json.dumps({"id": "a", "text": "Police arrested ten protesters in Minsk.",
                                "date": "2024-05-02", "lang": "en"}) + "\n", encoding="utf-8")
    code, _, err = _run([*gaz_args, "run", str(data), "-o", str(tmp_path / "o")], capsys)
    assert code == 0, err
    feats = json.loads((tmp_path / "o" / "events.geojson").read_text())["features"]
    assert {f["properties"]["place"] for f in feats} == {"Minsk"}
    import io
    monkeypatch.setattr("sys.stdin", io.StringIO("Des manifestants se sont rassemblés à Lyon."))
    code, _, err = _run([*gaz_args, "run", "-", "--lang", "fr", "-o", str(tmp_path / "s")],
                        capsys)
    assert code == 0, err
    feats = json.loads((tmp_path / "s" / "events.geojson").read_text())["features"]
    assert any(f["properties"]["place"] == "Lyon" for f in feats)


@pytest.mark.parametrize("content,needle", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    ("Le président a visité Besançon.".encode("cp1252"), "UTF-8"),
])
def test_bad_text_files_fail_in_one_line(tmp_path, gaz_args, capsys, content, needle):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    out = tmp_path / "out"
    out.mkdir()
    (out / "events.geojson").write_text("previous")
    code, _, err = _run([*gaz_args, "run", str(bad), "-o", str(out), "--on-error", "raise"],
                        capsys)
    assert code == 1
    _one_line_error(err, "bad.txt", needle)
    assert (out / "events.geojson").read_text() == "previous"  # nothing lost or half-written


def test_malformed_json_line_is_named(tmp_path, gaz_args, capsys):
    bad = tmp_path / "c.jsonl"
    bad.write_text('{"id": "1", "text": "Kyiv"}\n{"id": 2, "text": \n', encoding="utf-8")
    code, _, err = _run([*gaz_args, "run", str(bad), "-o", str(tmp_path), "--on-error", "raise"],
                        capsys)
    assert code == 1
    _one_line_error(err, "c.jsonl", "line 2")


@pytest.mark.parametrize("args,needles", [
    (["--lang", "de"], ["'de'", "auto", "en", "fr"]),
    (["--from", "2025-05", "--to", "2025-04"], ["--from", "after"]),
    (["--types", "riots"], ["riots", "riot"]),
    (["--from", "2025-13"], ["2025-13"]),
])
def test_bad_options_fail_in_one_line(tmp_path, gaz_args, capsys, args, needles):
    src = EXAMPLES / "tbilisi-protests-2023-03.en.txt"
    code, _, err = _run([*gaz_args, "run", str(src), "-o", str(tmp_path / "x"), *args], capsys)
    assert code == 1
    _one_line_error(err, *needles)
    assert not (tmp_path / "x" / "events.geojson").exists()


def test_missing_gazetteer_names_the_build_command(tmp_path, capsys):
    src = EXAMPLES / "tbilisi-protests-2023-03.en.txt"
    code, _, err = _run(["--gazetteer", str(tmp_path / "none.sqlite"), "run", str(src), "-o",
                         str(tmp_path)], capsys)
    assert code == 1
    _one_line_error(err, "none.sqlite", "geomap gazetteer build")


def test_debug_shows_the_traceback(tmp_path):
    from geomap.errors import GeomapError

    with pytest.raises(GeomapError):
        main(["--debug", "--gazetteer", str(tmp_path / "none.sqlite"), "run",
              str(EXAMPLES / "tbilisi-protests-2023-03.en.txt"), "-o", str(tmp_path)])


def test_map_and_export_commands(tmp_path, gaz_args, capsys):
    code, _, err = _run([*gaz_args, "run", str(EXAMPLES), "-o", str(tmp_path)], capsys)
    assert code == 0, err
    events = tmp_path / "events.geojson"
    code, out, err = _run([*gaz_args, "map", str(events), "-o", str(tmp_path / "m.html"),
                           "--types", "protest"], capsys)
    assert code == 0, err
    assert (tmp_path / "m.html").stat().st_size > 1000
    code, out, err = _run(["export", str(events), "--format", "csv", "-o",
                           str(tmp_path / "e.csv")], capsys)
    assert code == 0, err
    assert (tmp_path / "e.csv").read_text().startswith("event_date")
    code, out, err = _run(["export", str(events), "--format", "shp"], capsys)
    assert code == 1
    _one_line_error(err, "shp", "gpkg")


def test_geoparse_output(tmp_path, gaz_args, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "x", "text": "Troops left Kherson for Mykolaiv and Zzqxland.",
                               "lang": "en"}) + "\n", encoding="utf-8")
    code, _, err = _run([*gaz_args, "geoparse", str(src), "-o", str(tmp_path / "o.jsonl")],
                        capsys)
    assert code == 0, err
    rec = json.loads((tmp_path / "o.jsonl").read_text())
    assert rec["id"] == "x"
    by_text = {t["text"]: t for t in rec["toponyms"]}
    assert by_text["Kherson"]["country_code"] == "UA"
    assert abs(by_text["Kherson"]["lat"] - 46.64) < 0.2
    assert set(by_text["Kherson"]) >= {"start", "end", "text", "lat", "lon", "geonameid",
                                       "country_code", "feature_code", "confidence"}


def test_single_bad_file_fails_even_when_skipping(tmp_path, gaz_args, capsys):
    bad = tmp_path / "empty.txt"
    bad.write_text("   \n")
    code, _, err = _run([*gaz_args, "run", str(bad), "-o", str(tmp_path / "o")], capsys)
    assert code == 1
    _one_line_error(err, "empty.txt", "empty")
    assert not (tmp_path / "o" / "events.geojson").exists()
