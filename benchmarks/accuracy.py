"""Geoparsing accuracy on every corpus in ../shared/eval, from raw text, plus speed.

Usage: python benchmarks/accuracy.py [--limit N] [--spans predicted|gold] [--gazetteer PATH]
Prints one table row per corpus. Skips (exit 0) when ../shared/eval is absent.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
CORPORA = ["lgl.jsonl", "geovirus.jsonl", "wiktor_1000.jsonl", "geoedda_fr.jsonl"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int)
    ap.add_argument("--spans", default="predicted", choices=["predicted", "gold"])
    ap.add_argument("--gazetteer")
    ap.add_argument("--corpus", action="append", help="only these corpus files")
    args = ap.parse_args()
    if not EVAL.is_dir():
        print(f"skipped: {EVAL} not found")
        return 0
    from gazetteer import open_gazetteer

    from geomap.evaluate import evaluate
    from geomap.pipeline import Pipeline

    pipe = Pipeline(open_gazetteer(args.gazetteer))
    head = (f"{'corpus':<18}{'docs':>6}{'gold':>7}{'F1 exact':>10}{'F1 overlap':>11}"
            f"{'P ovl':>7}{'R ovl':>7}{'acc@161':>9}{'mean km':>9}{'median':>8}{'AUC':>7}"
            f"{'e2e@161':>9}{'docs/s':>8}")
    print(f"spans: {args.spans}")
    print(head)
    print("-" * len(head))
    for name in args.corpus or CORPORA:
        path = EVAL / name
        if not path.exists():
            continue
        t0 = time.perf_counter()
        rep = evaluate(path, pipe, spans=args.spans, limit=args.limit)
        dt = time.perf_counter() - t0
        d = rep.as_dict()
        print(f"{rep.corpus:<18}{rep.documents:>6}{rep.gold:>7}{d['exact_f1']:>10.3f}"
              f"{d['overlap_f1']:>11.3f}{d['overlap_p']:>7.3f}{d['overlap_r']:>7.3f}"
              f"{d['acc161']:>9.3f}{d['mean_km']:>9.0f}{d['median_km']:>8.0f}{d['auc']:>7.3f}"
              f"{d['end_to_end_acc161']:>9.3f}{rep.documents / dt:>8.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
