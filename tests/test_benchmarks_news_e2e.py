"""The end-to-end event scorer (benchmarks/news_e2e.py) and the precision set it scores."""

from __future__ import annotations

import ast
import importlib.util
import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
PRECISION = BENCH / "precision" / "news_precision.jsonl"
CASES = {"generic", "word_sense", "name_modifier", "speech_act", "date_source",
         "place_description", "modal_negated", "idiom", "retelling", "two_events",
         "old_event", "no_event"}
PRECISIONS = {"point", "admin2", "admin1", "country", "none"}


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


ne = _load("news_e2e")


def _geojson(tmp_path: Path, features: list[dict]) -> Path:
    feats = []
    for f in features:
        props = {"event_type": f["type"], "trigger": f.get("trigger", "x"),
                 "sentence": f.get("sentence", "s"), "country": f.get("country"),
                 "place": f.get("place"), "date_start": f.get("date"), "date_end": f.get("date"),
                 "confidence": f.get("conf", 0.5), "status": "fact",
                 "acled_event_type": f.get("acled", ""), "doc_id": f["doc"],
                 "sources": f.get("sources", [])}
        geom = {"type": "Point", "coordinates": [f["lon"], f["lat"]]} if "lat" in f else None
        feats.append({"type": "Feature", "geometry": geom, "properties": props})
    path = tmp_path / "events.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    return path


def _gold(etype: str, lat: float | None, lon: float | None, precision: str = "point",
          country: str | None = "FR", date: str | None = "2025-03-10") -> dict:
    return {"type": etype, "lat": lat, "lon": lon, "country": country,
            "place_precision": precision, "date_start": date, "date_end": date}


def test_family_match_exact_type_duplicate_and_miss(tmp_path: Path) -> None:
    lyon = (45.75, 4.85)
    gold = [{"id": "a", "events": [_gold("arrest", *lyon), _gold("protest", *lyon)]}]
    preds = ne.load_predictions(_geojson(tmp_path, [
        # coercion shares arrest's family: matched, but not the exact type
        {"doc": "a", "type": "coercion", "lat": 45.76, "lon": 4.84, "conf": 0.9},
        # a second security event at the same place: a duplicate
        {"doc": "a", "type": "arrest", "lat": 45.74, "lon": 4.86, "conf": 0.8},
        # the right family but Paris, 390 km away: unmatched
        {"doc": "a", "type": "protest", "lat": 48.85, "lon": 2.35, "conf": 0.7},
    ]))
    result = ne.score(gold, preds)
    outcomes = [p.outcome for p in sorted(result.preds, key=lambda p: -p.confidence)]
    assert outcomes == ["matched", "duplicate", "unmatched"]
    assert [m is not None for _, _, m in result.gold] == [True, False]
    all_row = ne.table(result)[-1].split()
    assert all_row[:7] == ["all", "3", "0.33", "0.00", "0.33", "2", "0.50"]


def test_same_type_is_preferred_and_grouped_events_count_in_each_source(
        tmp_path: Path) -> None:
    paris = (48.85, 2.35)
    gold = [{"id": "a", "events": [_gold("statement", None, None, "none", None),
                                   _gold("accusation", None, None, "none", None)]},
            {"id": "b", "events": [_gold("accusation", *paris)]}]
    preds = ne.load_predictions(_geojson(tmp_path, [
        {"doc": "a", "type": "accusation", "lat": paris[0], "lon": paris[1],
         "sources": [{"doc_id": "a"}, {"doc_id": "b"}]},
    ]))
    assert sorted(preds) == ["a", "b"]
    result = ne.score(gold, preds)
    matched = {doc: m for doc, g, m in result.gold if m is not None}
    assert set(matched) == {"a", "b"}
    assert all(p.gold is not None and p.gold["type"] == "accusation" for p in result.preds)


def test_place_precision_and_dates() -> None:
    pred = ne.Pred("a", "arrest", "", "", 45.0, 4.0, "FR", "x", "2025-03-10", "2025-03-10",
                   0.5, "fact", "", 0)
    assert ne.place_fits(pred, _gold("arrest", 46.5, 4.0, "admin1"))[0]  # 167 km
    assert not ne.place_fits(pred, _gold("arrest", 46.5, 4.0, "admin2"))[0]
    assert ne.place_fits(pred, _gold("arrest", 10.0, 10.0, "country", "FR"))[0]
    assert not ne.place_fits(pred, _gold("arrest", 10.0, 10.0, "country", "ML"))[0]
    assert ne.place_fits(pred, _gold("arrest", None, None, "none", None))[0]
    assert ne.date_agrees(pred, _gold("arrest", 0, 0, date="2025-03-10"))
    assert not ne.date_agrees(pred, _gold("arrest", 0, 0, date="2025-03-11"))
    assert not ne.date_agrees(pred, _gold("arrest", 0, 0, date=None))
    month = {"date_start": "2025-03-01", "date_end": "2025-03-31"}
    assert not ne.date_agrees(pred, month)
    assert ne.date_agrees(pred, month, lenient=True)


def test_acled_main_event_follows_acled_order(tmp_path: Path) -> None:
    notes = [{"id": "n1", "event_type": "Battles"}, {"id": "n2", "event_type": "Protests"},
             {"id": "n3", "event_type": "Riots"}]
    preds = ne.load_predictions(_geojson(tmp_path, [
        {"doc": "n1", "type": "statement", "conf": 0.9},
        {"doc": "n1", "type": "armed_clash", "acled": "Battles", "conf": 0.2},
        {"doc": "n2", "type": "riot", "acled": "Riots"},
    ]))
    line = ne.acled_e2e(notes, preds, ["armed_clash", "riot", "protest", "statement"])[0]
    assert "main event's ACLED type 0.33" in line
    assert "highest-confidence event's 0.00" in line
    assert "notes with no event 0.33 (1)" in line


def test_precision_set_is_complete_and_consistent() -> None:
    rows = [json.loads(line) for line in PRECISION.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 80
    langs = [r["lang"] for r in rows]
    assert abs(langs.count("fr") - langs.count("en")) <= 10
    assert {r["case"] for r in rows} == CASES
    assert {(r["case"], r["lang"]) for r in rows} == {(c, lang) for c in CASES
                                                      for lang in ("en", "fr")}
    assert len({r["id"] for r in rows}) == len(rows)
    assert sum(not r["events"] for r in rows) >= 10
    for r in rows:
        for e in r["events"]:
            assert e["type"] in ne.FAMILY_OF, e
            assert e["place_precision"] in PRECISIONS
            assert e["sentence"] and e["sentence"] in r["text"]
            if e["place_precision"] != "none":
                assert e["place_text"] in r["text"]
                assert -90 <= e["lat"] <= 90 and -180 <= e["lon"] <= 180
            if e["date_start"]:
                assert e["date_start"] <= e["date_end"] <= r["pub_date"]


def test_scorer_imports_nothing_of_geomap() -> None:
    # It reads what `geomap run` writes, so the event code can change under it.
    tree = ast.parse((BENCH / "news_e2e.py").read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom)}
    assert "json" in imported
    assert not imported & {"geomap", "gazetteer", "spacy"}
