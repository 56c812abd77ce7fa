"""Fit the event model of :mod:`geomap.events.score` on hand-coded whole articles.

Usage::

    python benchmarks/train_event_scorer.py [--train lgl,geovirus] [--test precision]
                                            [--l2 1.0] [--write]

Every event detection writes for an article (before the retellings are
joined) is one row: its evidence (:func:`geomap.events.score.event_features`)
and whether it is right, that is whether the article's gold has an event of
its family whose place it fits (the end-to-end scoring's rule,
``benchmarks/news_e2e.py``; a retelling of a right event is right). An L2
logistic regression is fitted by Newton's method on the training corpora and
checked on every corpus named: mean confidence against the share right,
the expected calibration error, the ranking (AUC), and what
``--min-confidence 0.5`` keeps and drops. Fit on one source, check on another:
``--train lgl --test geovirus,precision``. ``--write`` stores the model fitted on
``--train`` in ``geomap/data/event_scorer.json``.

Corpora: ``lgl`` and ``geovirus`` (the 60 and 20 development articles of
``../shared/eval/events/news_events_dev.jsonl``), ``precision`` (the project's own
French and English set, ``benchmarks/precision/news_precision.jsonl``) and ``acled``
(the ACLED development notes of ``events_dev.jsonl``: an event is right when it has the
note's ACLED event type and its place fits the note's geo_precision). Each training
corpus weighs the same in the fit, however many events it has.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import news_e2e as ne  # noqa: E402

EVAL = HERE.parents[1] / "shared" / "eval"
GOLD = EVAL / "events" / "news_events_dev.jsonl"
NOTES = EVAL / "events" / "events_dev.jsonl"
PRECISION = HERE / "precision" / "news_precision.jsonl"
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)


def articles_of(corpus: str) -> tuple[list[dict], dict[str, list[dict]]]:
    """The articles of a corpus as geomap reads them, and their gold events by id."""
    if corpus == "precision":
        gold = ne.load_jsonl(PRECISION)
        arts = [{"id": g["id"], "text": g["text"], "lang": g["lang"],
                 **({"date": g["pub_date"]} if g.get("pub_date") else {})} for g in gold]
    elif corpus in ("lgl", "geovirus"):
        gold = [g for g in ne.load_jsonl(GOLD) if g["corpus"] == corpus]
        arts = ne.dev_articles(gold, EVAL)
    elif corpus == "acled":
        notes = [r for r in ne.load_jsonl(NOTES) if r["source"].startswith("acled")]
        arts = [{"id": r["id"], "text": r["text"], "lang": r.get("lang") or "en",
                 **({"date": r["doc_date"]} if r.get("doc_date") else {})} for r in notes]
        # One gold event per note: its ACLED type, at its point (ACLED's geo_precision 1)
        # or in its admin area or country.
        prec = {1: "point", 2: "admin2", 3: "admin1"}
        gold = [{"id": r["id"], "events": [{
            "acled": r["event_type"], "lat": r.get("lat"), "lon": r.get("lon"),
            "country": None, "place_precision": prec.get(r.get("geo_precision") or 0, "none")
            if r.get("lat") is not None else "none"}]} for r in notes]
    else:
        raise SystemExit(f"unknown corpus {corpus!r}; valid: lgl, geovirus, precision, acled")
    return arts, {str(g["id"]): g["events"] for g in gold}


def rows_of(corpus: str, gaz) -> list[tuple[dict[str, float], bool, str]]:  # type: ignore[no-untyped-def]
    """(evidence, right, doc id) for every event detection writes on a corpus."""
    from geomap.dates import sentence_dates
    from geomap.documents import read_documents
    from geomap.events import detect_events
    from geomap.pipeline import find_places_many
    from geomap.recognise import load_pipeline
    from geomap.resolve import resolve
    from geomap.taxonomy import acled_codes

    arts, gold = articles_of(corpus)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{corpus}.jsonl"
        src.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in arts),
                       encoding="utf-8")
        docs = list(read_documents([src]))
    rows: list[tuple[dict[str, float], bool, str]] = []
    for lang in sorted({d.lang or "en" for d in docs}):
        mine = [d for d in docs if (d.lang or "en") == lang]
        for parsed in find_places_many(mine, load_pipeline(lang), gaz, lang):
            places = resolve(parsed.mentions, gaz, lang=lang)
            explain: list = []
            detect_events(parsed, places, sentence_dates(parsed), explain=explain)
            events = gold.get(parsed.document.id, [])
            for event, evidence in explain:
                pred = ne.Pred(parsed.document.id, event.type, event.trigger, event.sentence,
                               event.place.lat, event.place.lon, event.place.country, None,
                               None, None, 0.0, event.status, "", 0)
                right = any((acled_codes(event.type, event.subtype)[0] == g["acled"]
                             if "acled" in g else ne.family(g["type"]) == ne.family(event.type))
                            and ne.place_fits(pred, g)[0] for g in events)
                rows.append((evidence, right, parsed.document.id))
    return rows


def design(rows, names: list[str]) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """The feature matrix and the labels."""
    x = np.array([[ev.get(n, 0.0) for n in names] for ev, _, _ in rows])
    y = np.array([float(ok) for _, ok, _ in rows])
    return x, y


def fit(x: np.ndarray, y: np.ndarray, names: list[str], l2: float,
        sw: np.ndarray | None = None) -> np.ndarray:  # type: ignore[type-arg]
    """L2-penalised logistic regression by Newton's method (the bias unpenalised).

    ``sw`` weighs the rows (each training corpus weighs the same in all).
    """
    sw = np.ones(len(y)) if sw is None else sw
    pen = np.full(x.shape[1], l2)
    pen[names.index("bias")] = 0.0
    w = np.zeros(x.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (sw * (p - y)) + pen * w
        hess = (x * (sw * p * (1 - p))[:, None]).T @ x + np.diag(pen) + 1e-6 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def auc(p: np.ndarray, y: np.ndarray) -> float:  # type: ignore[type-arg]
    """The chance that a right event scores above a wrong one."""
    pos, neg = p[y == 1], p[y == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    return float((pos[:, None] > neg[None, :]).mean()
                  + 0.5 * (pos[:, None] == neg[None, :]).mean())


def report(name: str, p: np.ndarray, y: np.ndarray) -> list[str]:  # type: ignore[type-arg]
    """Reliability table, ECE, AUC and the 0.5 cut of one corpus."""
    lines = [f"{name}: {len(y)} events, {int(y.sum())} right ({y.mean():.2f}); "
             f"AUC {auc(p, y):.3f}"]
    ece = 0.0
    for lo, hi in zip(BINS, BINS[1:], strict=False):
        sel = (p >= lo) & (p < hi)
        if sel.any():
            ece += sel.sum() / len(p) * abs(p[sel].mean() - y[sel].mean())
            lines.append(f"  [{lo:.1f}, {min(hi, 1.0):.1f})  {int(sel.sum()):>4} events  "
                         f"mean confidence {p[sel].mean():.2f}  right {y[sel].mean():.2f}")
    keep = p >= 0.5
    right, wrong = y == 1, y == 0
    lines.append(f"  ECE {ece:.3f}; --min-confidence 0.5 keeps "
                 f"{int((keep & right).sum())}/{int(right.sum())} right, drops "
                 f"{int((~keep & wrong).sum())}/{int(wrong.sum())} wrong; mean right "
                 f"{p[right].mean():.2f}, wrong {p[wrong].mean():.2f}")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", default="lgl,geovirus")
    ap.add_argument("--test", default="precision")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--gazetteer")
    ap.add_argument("--write", action="store_true",
                    help="store the model in geomap/data/event_scorer.json")
    args = ap.parse_args()
    from gazetteer import open_gazetteer
    from geomap.events.score import FEATURES, EventModel

    gaz = open_gazetteer(args.gazetteer)
    train, test = args.train.split(","), [c for c in args.test.split(",") if c]
    data = {c: rows_of(c, gaz) for c in dict.fromkeys(train + test)}
    names = list(FEATURES)
    x, y = design([r for c in train for r in data[c]], names)
    # Each training corpus weighs as much as the mean corpus, however many events it has.
    sw = np.concatenate([np.full(len(data[c]), len(y) / (len(train) * len(data[c])))
                         for c in train])
    w = fit(x, y, names, args.l2, sw)
    model = EventModel({n: float(v) for n, v in zip(names, w, strict=True) if abs(v) > 1e-4},
                       tuple(train))
    print(f"fitted on {', '.join(train)} ({len(y)} events), L2 {args.l2}")
    for n, v in sorted(zip(names, w, strict=True), key=lambda kv: -abs(kv[1])):
        if abs(v) > 1e-3:
            print(f"  {n:<32} {v:+.3f}")
    for c in dict.fromkeys(train + test):
        xc, yc = design(data[c], names)
        p = np.array([model.probability(ev) for ev, _, _ in data[c]])
        print("\n".join(report(f"{c} ({'fitted' if c in train else 'held out'})", p, yc)))
    if args.write:
        out = HERE.parent / "geomap" / "data" / "event_scorer.json"
        tmp = out.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
        tmp.replace(out)
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
