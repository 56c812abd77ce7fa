"""Learn the candidate-ranking weights of :mod:`geomap.resolve` on LGL and GeoVirus.

Usage: python benchmarks/train_ranker.py [--train lgl,geovirus] [--test geovirus]

A conditional logit (softmax over each gold toponym's candidates, every
candidate within 161 km of the gold point a right answer), fitted by
gradient descent with an L2 penalty, on the gold spans of the training
corpora. Prints the weights as a Python dict to paste into
``geomap.resolve.WEIGHTS`` and acc@161 of the learnt weights on every
corpus named, so a held-out check (train on LGL, test on GeoVirus) is one
command. Only LGL and GeoVirus may be used for training (the other corpora
are held back).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


def _groups(name: str, gaz, weights):  # type: ignore[no-untyped-def]
    from gazetteer import haversine_km
    from geomap.records import Mention
    from geomap.resolve import FEATURES, ResolveOptions, gather, parent_hints, rank

    opts = ResolveOptions()
    out = []
    for line in (EVAL / f"{name}.jsonl").open(encoding="utf-8"):
        rec = json.loads(line)
        gold = [t for t in rec["toponyms"] if t["end"] > t["start"]]
        lang = rec.get("lang") or "en"
        ms = parent_hints(rec["text"], [
            Mention(t["start"], t["end"], rec["text"][t["start"]:t["end"]]) for t in gold], lang)
        cands, dem = gather(ms, gaz, lang, opts)
        trace: list = []
        rank(ms, cands, dem, gaz, lang, weights, trace)
        for t, tr in zip(gold, trace, strict=True):
            if t.get("lat") is None or not tr:
                continue
            x = np.array([[f[n] for n in FEATURES] for f, _ in tr])
            y = np.array([haversine_km(t["lat"], t["lon"], c.lat, c.lon) <= 161 for _, c in tr])
            out.append((x, y))
    return out


def fit(groups, l2: float = 1e-3, steps: int = 600, lr: float = 0.5):  # type: ignore[no-untyped-def]
    """Fit the conditional logit; returns the weight vector."""
    k = groups[0][0].shape[1]
    w = np.zeros(k)
    train = [(x, y) for x, y in groups if y.any() and not y.all()]
    for _ in range(steps):
        grad = l2 * w
        for x, y in train:
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            q = p * y / (p * y).sum()
            grad += (x.T @ (p - q)) / len(train)
        w -= lr * grad
    return w


def accuracy(groups, w) -> float:  # type: ignore[no-untyped-def]
    hits = sum(bool(y[int(np.argmax(x @ w))]) for x, y in groups)
    return hits / len(groups) if groups else 0.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", default="lgl,geovirus")
    ap.add_argument("--test", default="lgl,geovirus")
    args = ap.parse_args()
    if not EVAL.is_dir():
        print(f"skipped: {EVAL} not found")
        return 0
    from gazetteer import open_gazetteer
    from geomap.resolve import FEATURES, WEIGHTS

    gaz = open_gazetteer()
    weights = dict(WEIGHTS)
    for it in range(2):  # the context depends on the weights: refit once on refreshed context
        names = set(args.train.split(",") + args.test.split(","))
        data = {n: _groups(n, gaz, weights) for n in names}
        train = [g for n in args.train.split(",") for g in data[n]]
        w = fit(train)
        weights = {n: round(float(v), 3) for n, v in zip(FEATURES, w, strict=True)}
        for n in args.test.split(","):
            print(f"round {it}: {n} acc@161 (candidates reached) {accuracy(data[n], w):.3f}")
    print("WEIGHTS = " + json.dumps(weights, indent=4))
    return 0


if __name__ == "__main__":
    sys.exit(main())
