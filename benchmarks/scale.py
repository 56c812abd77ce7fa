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

With ``--memory 1000,10000,30000``: the client's memory curve instead. For each
size, a corpus of that many short synthetic briefs (one or two sentences the
script writes itself from templates: a type, a town, a day, in English or
French) runs in a fresh process as ``geomap run`` does it (``run_corpus`` on
``--workers`` local processes, then ``events.geojson`` and ``events.csv``
streamed from the store), and the script prints that process's peak resident
memory (``VmHWM``), the growth against the smallest size, and whether it
stays within 10%. The map is left out: one HTML page holds every event it
shows.

    nice -n 10 .venv/bin/python benchmarks/scale.py --memory 1000,10000,30000 [--workers 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
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

try:
    from geomap.engine.worker import peak_rss_mb
except ImportError:  # main before the engine split
    from geomap.engine import _peak_rss_mb as peak_rss_mb

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


_TOWNS = [("Kharkiv", "Kharkiv"), ("Lyon", "Lyon"), ("Kherson", "Kherson"),
          ("Marseille", "Marseille"), ("Tbilisi", "Tbilissi"), ("Odesa", "Odessa"),
          ("Nantes", "Nantes"), ("Dnipro", "Dnipro"), ("Bordeaux", "Bordeaux"),
          ("Lille", "Lille"), ("Zaporizhzhia", "Zaporijjia"), ("Toulouse", "Toulouse"),
          ("Beirut", "Beyrouth"), ("Aleppo", "Alep"), ("Mosul", "Mossoul"), ("Sanaa", "Sanaa")]
_EN = ["Protesters marched through {town} on {date}.",
       "Artillery shelled {town} on {date}, local officials said.",
       "Police arrested a man in {town} on {date}.",
       "Troops clashed with fighters near {town} on {date}."]
_FR = ["Des manifestants ont défilé à {town} le {date}.",
       "L'artillerie a bombardé {town} le {date}, selon les autorités locales.",
       "La police a arrêté un homme à {town} le {date}.",
       "Des soldats ont affronté des combattants près de {town} le {date}."]
_MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
_MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre"]


def build_briefs(path: Path, n_docs: int, seed: int = 5) -> None:
    """Write ``n_docs`` one- or two-sentence briefs written from the templates above."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n_docs):
            lang = rng.choice(("en", "fr"))
            # Three months of 2024: enough days for distinct events, few enough to group some.
            when = dt.date(2024, 3, 1) + dt.timedelta(days=rng.randrange(92))
            year, month, day = when.year, when.month, when.day
            sents = []
            for _ in range(rng.randint(1, 2)):
                en, fr = rng.choice(_TOWNS)
                if lang == "en":
                    date = f"{day} {_MONTHS_EN[month - 1]} {year}"
                    sents.append(rng.choice(_EN).format(town=en, date=date))
                else:
                    date = f"{day} {_MONTHS_FR[month - 1]} {year}"
                    sents.append(rng.choice(_FR).format(town=fr, date=date))
            out.write(json.dumps({"id": f"b{i}", "text": " ".join(sents), "lang": lang,
                                  "date": f"{year}-{month:02d}-{day:02d}"},
                                 ensure_ascii=False) + "\n")


def client_run(corpus: Path, out: Path, workers: int, version: str) -> dict:
    """One run as ``geomap run`` does it, outputs streamed; this process's peak memory."""
    from geomap.export import write_csv, write_geojson

    t0 = time.perf_counter()
    result = run_corpus([corpus], out, workers=workers, on_error="skip", version=version,
                        force=True)
    # main before the streaming store held every event in result.events: measure it the same way
    stream = getattr(result, "iter_events", None)
    write_geojson(stream() if stream else result.events, out / "events.geojson")
    write_csv(stream() if stream else result.events, out / "events.csv")
    s = result.summary
    return {"documents": s.read, "events": s.events, "grouped": s.grouped_events,
            "wall_s": round(time.perf_counter() - t0, 1), "client_peak_rss_mb": peak_rss_mb()}


def memory_curve(sizes: list[int], work: Path, workers: int) -> int:
    """Each size in a fresh process; print the client's peak memory and its growth."""
    import subprocess

    from gazetteer import open_gazetteer

    version = pipeline_version(open_gazetteer())
    rows = []
    for n in sizes:
        corpus = work / f"briefs-{n}.jsonl"
        build_briefs(corpus, n)
        cmd = [sys.executable, __file__, "--client-run", str(corpus), str(work / f"out-{n}"),
               "--workers", str(workers), "--version", version]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print(proc.stderr[-2000:])
            return 1
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(json.dumps(row), flush=True)
    base = rows[0]["client_peak_rss_mb"]
    print(f"\n{'documents':>10} {'events':>8} {'grouped':>8} {'wall s':>8} {'client peak MB':>15}"
          f" {'growth':>8}")
    for r in rows:
        growth = (r["client_peak_rss_mb"] - base) / base if base else 0.0
        print(f"{r['documents']:>10} {r['events']:>8} {r['grouped']:>8} {r['wall_s']:>8} "
              f"{r['client_peak_rss_mb']:>15.1f} {growth:>+8.1%}")
    last = (rows[-1]["client_peak_rss_mb"] - base) / base if base else 0.0
    print(f"client peak memory from {rows[0]['documents']} to {rows[-1]['documents']} documents: "
          f"{last:+.1%} ({'flat' if last <= 0.10 else 'NOT flat'}: goal within +10%)")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--small", type=int, default=2_000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/geomap-scale"))
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--memory", help="the client's memory curve at these sizes (1000,10000)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--client-run", nargs=2, metavar=("CORPUS", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument("--version", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.client_run:
        print(json.dumps(client_run(Path(args.client_run[0]), Path(args.client_run[1]),
                                    args.workers, args.version)))
        return 0
    if args.memory:
        args.work.mkdir(parents=True, exist_ok=True)
        return memory_curve([int(n) for n in args.memory.split(",")], args.work, args.workers)
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
