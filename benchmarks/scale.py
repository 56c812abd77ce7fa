"""Corpus-scale benchmark: documents/s on 1 and 2 workers (local and Dask), memory, resume.

Builds a corpus of news briefs (3-6 sentences each, default 20,000 documents)
from the project's example articles and the evaluation texts in
../shared/eval (read at run time, never copied into the repository; the
corpus is written to a scratch directory), then prints:

- documents/s with 1 and 2 workers, local processes and a Dask LocalCluster,
  on the first ``--small`` documents, and the scaling efficiency
  (rate on 2 workers / (2 × rate on 1)); "steady" rates count from the first
  finished batch to the last, so they leave out starting workers and loading models;
- peak memory (RSS) per worker on ``--small`` and on all documents, and
  whether it stays flat;
- the time to resume a finished run (every document found in the store).

    .venv/bin/python benchmarks/scale.py [--docs 20000] [--small 2000] [--work DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import sys
import time
from pathlib import Path

from geomap.engine import BatchResult, pipeline_version, run_corpus
from geomap.worker import peak_rss_mb

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EVAL = ROOT.parent / "shared" / "eval"
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«\"])")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.split(" ".join(text.split())) if 25 <= len(s.strip()) <= 400]


def build_corpus(path: Path, n_docs: int, seed: int = 11) -> dict[str, int]:
    """Write ``n_docs`` JSON lines of briefs made of sentences from the examples and eval texts."""
    pools: dict[str, list[str]] = {"en": [], "fr": []}
    for f in sorted(EXAMPLES.glob("*.txt")):
        lang = "fr" if f.name.endswith(".fr.txt") else "en"
        body = "\n".join(line for line in f.read_text(encoding="utf-8").splitlines()
                         if not re.match(r"^\s*(date|title|url|lang)\b", line, re.I))
        pools[lang].extend(_sentences(body))
    if EVAL.is_dir():
        for f in sorted(list(EVAL.glob("*.jsonl")) + list(EVAL.glob("events/*.jsonl"))):
            with f.open(encoding="utf-8") as handle:
                for line in handle:
                    rec = json.loads(line)
                    lang = rec.get("lang") if rec.get("lang") in pools else "en"
                    pools[lang].extend(_sentences(rec.get("text") or ""))
    rng = random.Random(seed)
    langs = [lang for lang in ("en", "fr") if pools[lang]]
    weights = [len(pools[lang]) for lang in langs]
    with path.open("w", encoding="utf-8") as out:
        for i in range(n_docs):
            lang = rng.choices(langs, weights)[0]
            k = rng.randint(3, 6)
            start = rng.randrange(len(pools[lang]))
            text = " ".join(pools[lang][(start + j) % len(pools[lang])] for j in range(k))
            date = f"{rng.randint(2022, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            out.write(json.dumps({"id": f"brief-{i}", "text": text, "lang": lang, "date": date},
                                 ensure_ascii=False) + "\n")
    return {lang: len(pool) for lang, pool in pools.items()}


def head(src: Path, dst: Path, n: int) -> Path:
    with src.open(encoding="utf-8") as a, dst.open("w", encoding="utf-8") as b:
        for i, line in enumerate(a):
            if i >= n:
                break
            b.write(line)
    return dst


def one_run(corpus: Path, out: Path, engine: str, workers: int, version: str,
            fresh: bool = True) -> dict:
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    stamps: list[tuple[float, int]] = []

    def on_batch(res: BatchResult) -> None:
        stamps.append((time.perf_counter(), len(res.outcomes)))

    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    result = run_corpus([corpus], out, engine=engine, workers=workers, on_error="skip",
                        progress=sys.stderr, log_interval=30.0, on_batch=on_batch,
                        version=version)
    wall = time.perf_counter() - t0
    s = result.summary
    steady = 0.0
    if len(stamps) > 2:
        docs = sum(n for _, n in stamps[1:])
        steady = docs / max(stamps[-1][0] - stamps[0][0], 1e-9)
    peaks = sorted(s.worker_peak_rss_mb.values())
    return {
        "engine": engine, "workers": workers, "documents": s.read, "processed": s.processed,
        "from_store": s.from_store, "skipped": len(s.skipped), "events": s.events,
        "wall_s": round(wall, 2), "docs_per_s": round(s.processed / wall, 2) if wall else 0,
        "steady_docs_per_s": round(steady, 2),
        "worker_peak_rss_mb": [round(p) for p in peaks],
        "driver_peak_rss_mb": round(peak_rss_mb()),
        "load_before_after": [round(load0, 2), round(os.getloadavg()[0], 2)],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--small", type=int, default=2_000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/geomap-scale"))
    ap.add_argument("--skip-dask", action="store_true")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    corpus = args.work / "corpus.jsonl"
    t = time.perf_counter()
    pools = build_corpus(corpus, args.docs)
    small = head(corpus, args.work / "small.jsonl", args.small)
    size = corpus.stat().st_size
    print(f"corpus: {args.docs} documents, {size / 1e6:.1f} MB "
          f"(sentence pools: {pools}), built in {time.perf_counter() - t:.1f} s", flush=True)
    with gzip.open(args.work / "corpus.jsonl.gz", "wb") as gz:  # for reruns by hand
        gz.write(corpus.read_bytes())

    from gazetteer import open_gazetteer

    # Pinned: other work in the tree must not turn the resume into a rerun.
    version = pipeline_version(open_gazetteer())
    runs = []
    configs = [("local", 1), ("local", 2)] + ([] if args.skip_dask else [("dask", 1), ("dask", 2)])
    for engine, workers in configs:
        r = one_run(small, args.work / f"out-{engine}-{workers}", engine, workers, version)
        runs.append(r)
        print(json.dumps(r), flush=True)
    big = one_run(corpus, args.work / "out-big", "local", 2, version)
    print(json.dumps(big), flush=True)
    resume = one_run(corpus, args.work / "out-big", "local", 2, version, fresh=False)
    print(json.dumps(resume), flush=True)

    print()
    print(f"{'engine':8} {'workers':>7} {'docs':>6} {'wall s':>8} {'docs/s':>8} "
          f"{'steady/s':>9} {'peak MB/worker':>16}")
    for r in [*runs, big]:
        print(f"{r['engine']:8} {r['workers']:>7} {r['documents']:>6} {r['wall_s']:>8} "
              f"{r['docs_per_s']:>8} {r['steady_docs_per_s']:>9} "
              f"{'/'.join(map(str, r['worker_peak_rss_mb'])):>16}   load "
              f"{r['load_before_after']}")
    by = {(r["engine"], r["workers"]): r for r in runs}
    for engine in ("local", "dask"):
        if (engine, 1) in by and (engine, 2) in by:
            one, two = by[(engine, 1)], by[(engine, 2)]
            eff = two["docs_per_s"] / (2 * one["docs_per_s"]) if one["docs_per_s"] else 0
            eff_s = (two["steady_docs_per_s"] / (2 * one["steady_docs_per_s"])
                     if one["steady_docs_per_s"] else 0)
            print(f"scaling efficiency {engine}: {eff:.2f} (wall), {eff_s:.2f} (steady)")
    p_small = max(by[("local", 2)]["worker_peak_rss_mb"], default=0)
    p_big = max(big["worker_peak_rss_mb"], default=0)
    growth = (p_big - p_small) / p_small if p_small else 0.0
    print(f"peak worker memory: {p_small} MB on {args.small} docs, {p_big} MB on {args.docs} docs "
          f"({growth:+.1%}): {'flat' if abs(growth) <= 0.10 else 'NOT flat'}")
    print(f"resume of a finished run ({resume['from_store']} documents from the store): "
          f"{resume['wall_s']} s")
    (args.work / "results.json").write_text(json.dumps(
        {"runs": runs, "big": big, "resume": resume}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
