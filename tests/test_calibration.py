"""Calibrated place confidence: the map, its data file, the ECE and the reliability table."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from geomap.cli import main
from geomap.errors import InvalidRecord
from geomap.evaluate import EvalReport, calibration_error, reliability, reliability_table
from geomap.records import Mention
from geomap.resolve import ResolveOptions, resolve
from geomap.resolve.calibration import (
    CALIBRATION_FEATURES,
    PlaceCalibration,
    calibrate_places,
    calibration_features,
    default_calibration,
    load_calibration,
)
from geomap.testing import place

DATA = Path(__file__).resolve().parents[1] / "geomap" / "data" / "place_calibration.json"


def test_the_shipped_map_is_loaded_from_the_package_data_file():
    stored = json.loads(DATA.read_text(encoding="utf-8"))
    cal = default_calibration()
    assert cal.as_dict() == stored
    assert set(stored["weights"]) == set(CALIBRATION_FEATURES)
    # A real fit, not the identity placeholder: it was fitted on named corpora.
    assert cal.fitted_on and cal.weights


def test_the_shipped_map_increases_with_the_raw_probability():
    cal = default_calibration()
    raws = [k / 50 for k in range(51)]
    for flags in itertools.product((0.0, 1.0), repeat=5):
        for pop in (0.0, 0.4, 0.7):
            feats = dict(zip(CALIBRATION_FEATURES, (*flags, pop), strict=True))
            confs = [cal.confidence(r, feats) for r in raws]
            assert all(a <= b for a, b in itertools.pairwise(confs)), feats
            assert all(0.0 < c < 1.0 for c in confs)
    # And it does change the raw probability (the identity would pass the above).
    assert any(abs(cal.confidence(r, {}) - r) > 0.02 for r in raws)


def test_a_map_from_a_file_is_applied_as_written(tmp_path):
    path = tmp_path / "cal.json"
    path.write_text(json.dumps({"model": "logistic", "slopes": {"other": 0.5, "country": 2.0},
                                "intercept": -1.0, "weights": {"lone": 2.0}}), encoding="utf-8")
    cal = load_calibration(path)
    # A lone candidate: its logit counts 0; sigmoid(-1 + 2) = sigmoid(1).
    assert cal.confidence(1.0, {"lone": 1.0}) == pytest.approx(0.7310586, abs=1e-6)
    # sigmoid(0.5 * logit(0.8) - 1) for a town, sigmoid(2 * logit(0.8) - 1) for a country.
    assert cal.confidence(0.8, {}) == pytest.approx(0.4239, abs=1e-4)
    assert cal.confidence(0.8, {"country": 1.0}) == pytest.approx(0.8548, abs=1e-4)


def test_a_decreasing_or_malformed_map_is_refused(tmp_path):
    with pytest.raises(InvalidRecord, match="'admin' is negative"):
        PlaceCalibration({"other": 1.0, "admin": -0.1}, 0.0)
    with pytest.raises(InvalidRecord, match="unknown.*options are"):
        PlaceCalibration({"other": 1.0}, 0.0, {"colour": 1.0})
    with pytest.raises(InvalidRecord, match="slope groups.*unknown"):
        PlaceCalibration({"town": 1.0}, 0.0)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"model": "isotonic", "slope": 1}), encoding="utf-8")
    with pytest.raises(InvalidRecord, match="bad.json"):
        load_calibration(bad)
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidRecord, match="bad.json.*not JSON"):
        load_calibration(bad)


def test_features_read_the_mention_and_the_place():
    town = place("Kherson", 46.6, 32.6, feature="PPLA", country="UA", population=280000)
    f = calibration_features(Mention(0, 7, "Kherson"), town)
    assert (f["lone"], f["demonym"], f["country"], f["admin"]) == (1.0, 0.0, 0.0, 0.0)
    assert f["population"] == pytest.approx(0.5447, abs=1e-3)
    land = place("Ukraine", 49.0, 32.0, feature="PCLI", country="UA")
    g = calibration_features(Mention(0, 9, "ukrainien", kind="demonym"), land)
    assert (g["demonym"], g["country"], g["admin"]) == (1.0, 1.0, 0.0)


def test_resolve_gives_the_calibrated_confidence(gaz):
    gz = gaz
    ms = [Mention(0, 5, "Paris"), Mention(20, 24, "Lyon"), Mention(40, 49, "Marseille")]
    off = ResolveOptions(calibration=None)
    raw = resolve(ms, gz, lang="en", options=off)
    got = resolve(ms, gz, lang="en")
    cal = default_calibration()
    assert [p.geonameid for p in got if p] == [p.geonameid for p in raw if p]
    for m, r, p in zip(ms, raw, got, strict=True):
        assert r is not None and p is not None
        feats = calibration_features(m, r)
        assert p.confidence == pytest.approx(cal.confidence(r.confidence, feats), abs=1e-4)
        assert p.confidence != r.confidence
    assert calibrate_places(ms, raw, None) == raw
    # The reason names what decided it, the runner-up included.
    paris = got[0]
    assert paris is not None and paris.country == "FR"
    assert paris.reason.startswith(raw[0].reason) and "; ahead of Paris (" in paris.reason


def test_ece_of_a_hand_made_set():
    # Bin 0.9-1.0: 0.95 and 0.95, one right -> |0.95 - 0.5| = 0.45, weight 2.
    # Bin 0.2-0.3: 0.25, wrong -> 0.25, weight 1.  Bin 0.6-0.7: 0.6 right -> 0.4, weight 1.
    outcomes = [(0.95, True), (0.95, False), (0.25, False), (0.6, True)]
    assert calibration_error(outcomes) == pytest.approx((2 * 0.45 + 0.25 + 0.4) / 4)
    table = reliability(outcomes)
    assert [b.count for b in table] == [0, 0, 1, 0, 0, 0, 1, 0, 0, 2]
    assert table[9].confidence == pytest.approx(0.95) and table[9].accuracy == 0.5
    # Perfectly calibrated: 8 right of 10 at 0.8.
    assert calibration_error([(0.8, True)] * 8 + [(0.8, False)] * 2) == pytest.approx(0.0)
    assert calibration_error([]) == 0.0
    text = reliability_table(EvalReport("x", outcomes=outcomes))
    last = text.splitlines()[-1].split()
    assert last[0] == "ECE" and float(last[1]) == pytest.approx(0.3875, abs=6e-4)
    assert "0.9-1.0 2 0.950 0.500".split() in [line.split() for line in text.splitlines()]


def test_geomap_eval_prints_the_reliability_table(tmp_path, default_gazetteer_path, capsys):
    text = ("Floods hit Lyon on Monday. Rescue teams came from Marseille and Grenoble, "
            "and the mayor of Lyon asked Paris for help.")
    tops = []
    for name, lat, lon in (("Lyon", 45.76, 4.84), ("Marseille", 43.30, 5.37),
                           ("Grenoble", 45.19, 5.72), ("Paris", 48.85, 2.35)):
        start = text.index(name)
        tops.append({"start": start, "end": start + len(name), "name": name,
                     "lat": lat, "lon": lon})
    corpus = tmp_path / "tiny.jsonl"
    corpus.write_text(json.dumps({"id": "t1", "text": text, "lang": "en", "toponyms": tops})
                      + "\n", encoding="utf-8")
    code = main(["--gazetteer", str(default_gazetteer_path), "eval", str(corpus)])
    out = capsys.readouterr().out
    assert code == 0, out
    lines = out.splitlines()
    at = next(k for k, line in enumerate(lines) if line.startswith("reliability"))
    assert "n=4" in lines[at]
    assert lines[at + 1].split() == ["confidence", "n", "mean", "conf", "within", "161", "km"]
    rows = [line.split() for line in lines[at + 2: at + 12]]
    assert [r[0] for r in rows] == [f"{k / 10:.1f}-{(k + 1) / 10:.1f}" for k in range(10)]
    assert sum(int(r[1]) for r in rows) == 4
    assert lines[at + 12].startswith("ECE ")
    ece = float(lines[at + 12].split()[1])
    assert 0.0 <= ece <= 1.0
