"""Fit the event scorer (geomap/data/event_scorer.json) on the development gold articles.

Runs the pipeline in process, with the learned confidence off, on the 80 hand-coded
development articles (60 LGL, 20 GeoVirus: ../shared/eval/events/news_events_dev.jsonl),
labels each event with the end-to-end scorer of ``news_e2e.py`` (a real event of its
family at its place, or not), and fits a logistic model with L2 regularisation in NumPy.
Before writing, it checks across corpora: fit on LGL and score GeoVirus, and the reverse,
and on the project's own French and English precision set, none of which the final fit
sees but the development articles.

    PYTHONPATH=. python benchmarks/train_event_scorer.py [--write] [--l2 1.0]

Deterministic: the same data give the same weights.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import news_e2e as ne  # noqa: E402

EVAL = HERE.parents[1] / "shared" / "eval"
GOLD = EVAL / "events" / "news_events_dev.jsonl"
PRECISION = HERE / "precision" / "news_precision.jsonl"
OUT = HERE.parent / "geomap" / "data" / "event_scorer.json"


def _rows(articles: Sequence[dict], gold: Sequence[dict]) -> tuple[list, list, list]:
    """Features, labels and the article's corpus of every event geomap finds."""
    from gazetteer import open_gazetteer
    from geomap import Pipeline
    from geomap.confidence import event_features
    from geomap.records import Document, PartialDate

    gold_by_id = {str(g["id"]): g for g in gold}
    pipe = Pipeline(open_gazetteer(), learned_confidence=False)
    docs = [Document(str(a["id"]), a["text"], lang=a.get("lang"),
                     date=PartialDate.parse(a["date"]) if a.get("date") else None,
                     title=a.get("title")) for a in articles]
    xs, ys, corpus = [], [], []
    for result in pipe.process_many(docs):
        events = result.events
        preds = [ne.Pred(doc_id=result.document.id, type=e.type, trigger=e.trigger,
                         sentence=e.sentence, lat=e.place.lat, lon=e.place.lon,
                         country=e.place.country, place=e.place.name,
                         date_start=str(e.date.start) if e.date.start else None,
                         date_end=str(e.date.end) if e.date.end else None,
                         confidence=e.confidence, status=e.status, acled_event_type="",
                         order=k) for k, e in enumerate(events)]
        g = gold_by_id[result.document.id]
        ne.score_article(g["events"], preds)
        for e, p in zip(events, preds, strict=True):
            xs.append(event_features(e, result.document, events))
            ys.append(1.0 if p.outcome == "matched" else 0.0)
            corpus.append(g.get("lang") if g.get("case") else g.get("corpus") or "")
    return xs, ys, corpus


def fit(x: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """Logistic regression by Newton's method (L2 on the weights, not the bias)."""
    n, d = x.shape
    a = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    reg = np.full(d + 1, l2)
    reg[-1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(a @ w, -30, 30)))
        grad = a.T @ (p - y) + reg * w
        hess = (a * (p * (1 - p))[:, None]).T @ a + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def _prob(x: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x @ w + b, -30, 30)))


def report(name: str, p: np.ndarray, y: np.ndarray) -> str:
    """AUC, expected calibration error and what a 0.5 threshold keeps, in one line."""
    pos, neg = p[y == 1], p[y == 0]
    auc = float(np.mean([(pp > neg).mean() + 0.5 * (pp == neg).mean() for pp in pos])) \
        if len(pos) and len(neg) else float("nan")
    bins = np.clip((p * 10).astype(int), 0, 9)
    ece = sum(abs(p[bins == k].mean() - y[bins == k].mean()) * (bins == k).sum()
              for k in range(10) if (bins == k).any()) / len(p)
    keep = p >= 0.5
    kept_right = (keep & (y == 1)).sum() / max(1, (y == 1).sum())
    dropped_wrong = (~keep & (y == 0)).sum() / max(1, (y == 0).sum())
    prec = (keep & (y == 1)).sum() / max(1, keep.sum())
    return (f"{name:<34} n={len(y):>5} right={int(y.sum()):>4} AUC={auc:.3f} ECE={ece:.3f} "
            f"mean p right={pos.mean() if len(pos) else 0:.2f} wrong={neg.mean():.2f} | "
            f">=0.5 keeps {kept_right:.2f} of right, drops {dropped_wrong:.2f} of wrong, "
            f"precision {prec:.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help=f"write {OUT}")
    ap.add_argument("--l2", type=float, default=1.0)
    args = ap.parse_args()
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found")
        return 0
    from geomap.confidence import feature_names

    gold = ne.load_jsonl(GOLD)
    x, y, corpus = _rows(ne.dev_articles(gold, EVAL), gold)
    prec_gold = ne.load_jsonl(PRECISION)
    px, py, plang = _rows([{"id": g["id"], "text": g["text"], "lang": g["lang"],
                            "date": g.get("pub_date")} for g in prec_gold], prec_gold)
    X, Y, C = np.array(x), np.array(y), np.array(corpus)
    PX, PY, PL = np.array(px), np.array(py), np.array(plang)
    print("rule confidence as it is:")
    print(report("  dev (all)", X[:, 0], Y))
    print(report("  precision set", PX[:, 0], PY))
    print(f"cross-corpus (L2 {args.l2}):")
    for train, test in (("lgl", "geovirus"), ("geovirus", "lgl")):
        w, b = fit(X[C == train], Y[C == train], args.l2)
        print(report(f"  fit {train}, score {test}", _prob(X[C == test], w, b), Y[C == test]))
    w, b = fit(X, Y, args.l2)
    print(report("  fit dev, score dev (in sample)", _prob(X, w, b), Y))
    for lang in ("en", "fr"):
        m = PL == lang
        print(report(f"  fit dev, score precision {lang}", _prob(PX[m], w, b), PY[m]))
    names = feature_names()
    for n, v in sorted(zip(names, w, strict=True), key=lambda t: -abs(t[1]))[:12]:
        print(f"    {n:<22}{v:+.3f}")
    if args.write:
        OUT.write_text(json.dumps({
            "_about": "Logistic weights of geomap.confidence's event scorer, fitted by "
                      "benchmarks/train_event_scorer.py on the 80 development gold articles "
                      f"({len(Y)} events, {int(Y.sum())} right); L2 {args.l2}.",
            "names": list(names), "weights": [round(float(v), 6) for v in w],
            "bias": round(b, 6)}, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
