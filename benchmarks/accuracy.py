"""Geoparsing accuracy on every corpus in ../shared/eval, from raw text, plus speed.

Usage: python benchmarks/accuracy.py [--limit N] [--spans predicted|gold] [--demonyms]
                                     [--gazetteer PATH] [--corpus FILE]... [--workers N]
                                     [--lang-pack PACK]...
Prints one table row per corpus. Skips (exit 0) when ../shared/eval is absent.

Speed, side by side in the same run: ``docs/s`` and ``total s`` are what
``geomap geoparse`` runs (recognition and resolution, the places-only spaCy
pipeline: ``geomap.Pipeline(places_only=True)``); ``NER s`` is the time
spaCy's own full pipeline takes on the same texts (``nlp.pipe`` with every
component, measured first, so the run after it starts with warm caches);
``ratio`` is ``total s / NER s`` (geoparse's time over spaCy's own; the
target is at most 1.25); ``beyond`` is the share of the total spent outside
spaCy's full pipeline's time.

``ECE`` is the expected calibration error of the place confidences (10
equal-width bins; see ``geomap eval`` for the table).

``--workers N`` (predicted spans) also runs each corpus over N worker
processes, each with its own models, and prints that run's documents per
second: once the workers are up (``docs/s warm``) and including their start
(``docs/s cold``). Its accuracy is the same as the one-process row.
"""

from __future__ import annotations

import argparse
import itertools
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
    ap.add_argument("--demonyms", action="store_true",
                    help="count demonyms as toponyms (LGL annotates them)")
    ap.add_argument("--workers", type=int, default=0,
                    help="also time the corpus over this many worker processes")
    ap.add_argument("--lang-pack", action="append", default=[],
                    help="opt-in language pack (fr-hist)")
    args = ap.parse_args()
    if not EVAL.is_dir():
        print(f"skipped: {EVAL} not found")
        return 0
    from gazetteer import open_gazetteer
    from geomap.evaluate import evaluate, read_corpus
    from geomap.pipeline import Pipeline
    from geomap.recognise import load_pipeline

    pipe = Pipeline(open_gazetteer(args.gazetteer), packs=args.lang_pack, places_only=True)
    head = (f"{'corpus':<18}{'docs':>6}{'gold':>7}{'F1 exact':>10}{'F1 overlap':>11}"
            f"{'P ovl':>7}{'R ovl':>7}{'acc@161':>9}{'mean km':>9}{'median':>8}{'AUC':>7}"
            f"{'e2e@161':>9}{'ECE':>7}{'docs/s':>8}{'NER s':>7}{'total s':>8}{'ratio':>7}"
            f"{'beyond':>7}")
    print(f"spans: {args.spans}" + ("; demonyms counted as toponyms" if args.demonyms else ""))
    print(head)
    print("-" * len(head))
    for name in args.corpus or CORPORA:
        path = EVAL / name
        if not path.exists():
            continue
        docs = [d for d, _ in itertools.islice(read_corpus(path), args.limit)]
        ner = 0.0
        if args.spans == "predicted":
            lang = pipe.language_of(docs[0])
            nlp = load_pipeline(lang)
            t0 = time.perf_counter()
            for _ in nlp.pipe((d.text for d in docs), batch_size=16):
                pass
            ner = time.perf_counter() - t0
            load_pipeline(lang, places_only=True)  # loaded before the clock starts, as nlp was
        t0 = time.perf_counter()
        rep = evaluate(path, pipe, spans=args.spans, limit=args.limit, demonyms=args.demonyms)
        dt = time.perf_counter() - t0
        d = rep.as_dict()
        print(f"{rep.corpus:<18}{rep.documents:>6}{rep.gold:>7}{d['exact_f1']:>10.3f}"
              f"{d['overlap_f1']:>11.3f}{d['overlap_p']:>7.3f}{d['overlap_r']:>7.3f}"
              f"{d['acc161']:>9.3f}{d['mean_km']:>9.0f}{d['median_km']:>8.0f}{d['auc']:>7.3f}"
              f"{d['end_to_end_acc161']:>9.3f}{d['ece']:>7.3f}{rep.documents / dt:>8.1f}"
              f"{ner:>7.1f}{dt:>8.1f}{(dt / ner) if ner else float('nan'):>7.2f}"
              f"{(1 - ner / dt) if ner else float('nan'):>7.0%}", flush=True)
        if args.workers and args.spans == "predicted":
            warm, cold, same = _parallel(docs, args.workers, args.gazetteer, args.demonyms,
                                         d["end_to_end_acc161"], path)
            print(f"  {args.workers} workers: {warm:.1f} docs/s warm, {cold:.1f} docs/s cold"
                  f"{'' if same else ' (ACCURACY DIFFERS)'}", flush=True)
    return 0


_PIPE = None


def _init(gazetteer: str | None, lang: str) -> None:
    global _PIPE
    from gazetteer import open_gazetteer
    from geomap.pipeline import Pipeline
    from geomap.recognise import load_pipeline

    _PIPE = Pipeline(open_gazetteer(gazetteer), places_only=True)
    load_pipeline(lang, places_only=True)


def _ready(_: int) -> bool:
    return _PIPE is not None


def _work(docs: list, demonyms: bool) -> list:  # type: ignore[type-arg]
    from geomap.evaluate import predicted_span

    assert _PIPE is not None
    return [(r.document.id, [predicted_span(m.start, m.end, p)
                             for m, p in zip(r.mentions, r.places, strict=True)
                             if demonyms or m.kind != "demonym"])
            for r in _PIPE.process_many(docs)]


def _parallel(docs: list, workers: int, gazetteer: str | None, demonyms: bool,  # type: ignore[type-arg]
              e2e: float, path: Path) -> tuple[float, float, bool]:
    """Documents per second over ``workers`` processes (warm, cold) and whether the
    end-to-end accuracy matches the one-process run."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from geomap.evaluate import EvalReport, read_corpus, score

    gold = {d.id: g for d, g in read_corpus(path)}
    lang = docs[0].lang or "en"
    t0 = time.perf_counter()
    ctx = multiprocessing.get_context("spawn")  # fresh workers that load their own models
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init,
                             initargs=(gazetteer, lang)) as pool:
        list(pool.map(_ready, range(workers * 4)))  # every worker has loaded its models
        t1 = time.perf_counter()
        chunks = [docs[i:i + 16] for i in range(0, len(docs), 16)]
        results = [r for part in pool.map(_work, chunks, [demonyms] * len(chunks)) for r in part]
        t2 = time.perf_counter()
    report = EvalReport(path.stem)
    for doc_id, pred in results:
        score(report, gold[doc_id], pred)
    same = abs(report.as_dict()["end_to_end_acc161"] - e2e) < 1e-9
    return len(docs) / (t2 - t1), len(docs) / (t2 - t0), same


if __name__ == "__main__":
    sys.exit(main())
