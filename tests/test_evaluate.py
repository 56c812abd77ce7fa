"""The geoparsing metrics, pinned on tiny hand-made cases."""

from __future__ import annotations

import json
import math

import pytest

from geomap.errors import UnknownOption
from geomap.evaluate import MAX_KM, EvalReport, Span, evaluate, read_corpus, score

PARIS = (48.8566, 2.3522)
LONDON = (51.5074, -0.1278)  # 344 km from Paris
VERSAILLES = (48.8049, 2.1204)  # 18 km from Paris


def test_exact_and_overlap_precision_recall_f1():
    r = EvalReport("toy")
    gold = [Span(0, 5), Span(10, 20), Span(30, 35)]
    pred = [Span(0, 5), Span(12, 20), Span(40, 45), Span(50, 55)]
    score(r, gold, pred)
    assert (r.gold, r.predicted, r.exact_tp, r.overlap_tp) == (3, 4, 1, 2)
    p, rec, f1 = r.exact
    assert (p, rec) == (1 / 4, 1 / 3) and f1 == pytest.approx(2 * p * rec / (p + rec))
    p, rec, f1 = r.overlap
    assert (p, rec) == (2 / 4, 2 / 3) and f1 == pytest.approx(4 / 7)


def test_one_prediction_matches_one_gold_only():
    r = EvalReport("toy")
    score(r, [Span(0, 5), Span(6, 10)], [Span(0, 10)])  # one long span over two gold ones
    assert r.overlap_tp == 1 and r.overlap == (1.0, 0.5, pytest.approx(2 / 3))


def test_exact_match_is_preferred_over_an_earlier_overlap():
    r = EvalReport("toy")
    score(r, [Span(5, 10, *PARIS)], [Span(0, 7, *LONDON), Span(5, 10, *PARIS)])
    assert r.errors_km == [0.0]


def test_acc161_mean_median_and_end_to_end():
    r = EvalReport("toy")
    gold = [Span(0, 5, *PARIS), Span(10, 15, *PARIS), Span(20, 25, *PARIS), Span(30, 35, *PARIS),
            Span(40, 45)]  # the last has no coordinates: not in resolution nor end-to-end
    pred = [Span(0, 5, *PARIS), Span(10, 15, *VERSAILLES), Span(20, 25, *LONDON),
            Span(40, 45, *LONDON)]  # gold 30..35 is missed
    score(r, gold, pred)
    assert len(r.errors_km) == 3
    assert r.acc161 == pytest.approx(2 / 3)
    assert r.median_km == pytest.approx(18, abs=1)
    assert r.mean_km == pytest.approx((0 + 18 + 344) / 3, abs=1)
    assert r.gold_with_coords == 4 and r.end_to_end_hits == 2 and r.end_to_end == 0.5


def test_unresolved_match_counts_as_the_largest_error():
    r = EvalReport("toy")
    score(r, [Span(0, 5, *PARIS)], [Span(0, 5)])
    assert r.errors_km == [MAX_KM] and r.acc161 == 0.0 and r.end_to_end == 0.0


def test_auc_of_the_log_error_curve():
    r = EvalReport("toy")
    assert r.auc == 0.0  # nothing resolved
    r.errors_km = [0.0, 0.0]
    assert r.auc == 0.0  # perfect
    r.errors_km = [MAX_KM, MAX_KM]
    assert r.auc == pytest.approx(1.0)  # worst
    r.errors_km = [0.0, MAX_KM]
    assert r.auc == pytest.approx(0.5)  # trapezoid between the two
    r.errors_km = [100.0]
    assert r.auc == pytest.approx(math.log(101) / math.log(MAX_KM + 1))


def test_empty_report_and_dict():
    d = EvalReport("none").as_dict()
    assert d["overlap_f1"] == 0.0 and d["acc161"] == 0.0 and d["end_to_end_acc161"] == 0.0
    assert "errors_km" not in d


def test_read_corpus_and_bad_span_mode(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": 1, "text": "Paris.", "lang": "en", "toponyms": [
        {"start": 0, "end": 5, "name": "Paris", "lat": PARIS[0], "lon": PARIS[1]}]}) + "\n",
        encoding="utf-8")
    [(doc, gold)] = list(read_corpus(path))
    assert doc.id == "1" and gold == [Span(0, 5, *PARIS)]
    with pytest.raises(UnknownOption, match="options are: predicted, gold"):
        evaluate(path, None, spans="oracle")  # type: ignore[arg-type]


def test_evaluate_gold_spans_use_the_document_as_context(tmp_path, default_gazetteer_path):
    from gazetteer import open_gazetteer
    from geomap.pipeline import Pipeline

    text = "Officers in Paris, Texas arrested two men near Dallas."
    paris = text.index("Paris")
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": "a", "text": text, "lang": "en", "toponyms": [
        {"start": paris, "end": paris + 5, "lat": 33.66, "lon": -95.56}]}) + "\n",
        encoding="utf-8")
    pipe = Pipeline(open_gazetteer(default_gazetteer_path))
    gold = evaluate(path, pipe, spans="gold")
    assert gold.gold == gold.predicted == 1 and gold.acc161 == 1.0
    pred = evaluate(path, pipe)
    assert pred.overlap_tp == 1 and pred.predicted >= 3 and pred.end_to_end == 1.0
