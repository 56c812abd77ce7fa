"""Rules for one corpus, measured: each rule on and off, on every development corpus.

Usage: python benchmarks/corpus_rules.py [--limit N] [--corpus FILE]... [--gazetteer PATH]

Each corpus is parsed by spaCy once; then recognition, recall and resolution
run once with the shipped packs and once per rule with that rule flipped (an
Encyclopédie rule of the opt-in ``fr-hist`` pack switched on; a US local-news
container word switched off if shipped, on if removed). Prints one row per
rule and corpus: exact and overlap F1 of recognition, acc@161 and end-to-end
acc@161, with and without the rule. Skips (exit 0) when ../shared/eval is absent.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
CORPORA = ["lgl.jsonl", "geovirus.jsonl", "wiktor_1000.jsonl", "geoedda_fr.jsonl",
           "newseye_fr.jsonl"]

Change = dict[tuple[str, str], Callable[[Any], Any]]


def _add(*words: str) -> Callable[[Any], Any]:
    return lambda v: [*v, *(w for w in words if w not in v)]


def _drop(*words: str) -> Callable[[Any], Any]:
    return lambda v: [w for w in v if w not in words]


#: (rule, corpus it came from, languages it applies to, shipped on?, the flip)
RULES: list[tuple[str, str, tuple[str, ...], bool, Change]] = [
    ("électeur, palatinat, marquisat before 'de X'", "GeoEDdA", ("fr",), False,
     {("recognise", "of_place_words"): _add("palatinat", "marquisat", "électeur")}),
    ("'&' as a coordinator", "GeoEDdA", ("fr",), False,
     {("recognise", "entity_coordinators"): _add("&"),
      ("resolve", "known_name_coordinators"): _add("&"),
      ("resolve", "next_name_coordinators"): _add("&")}),
    ("coordinates in degrees ('lat. 49') are no name", "GeoEDdA", ("fr", "en"), False,
     {("recognise", "abbreviation_before_digit"): lambda v: True}),
    ("figure letters ('E G I') are no name", "GeoEDdA", ("fr", "en"), False,
     {("recognise", "drop_figure_letters"): lambda v: True}),
    ("the whole fr-hist pack (--lang-pack fr-hist)", "GeoEDdA", ("fr",), False,
     {("recognise", "of_place_words"): _add("palatinat", "marquisat", "électeur"),
      ("recognise", "entity_coordinators"): _add("&"),
      ("resolve", "known_name_coordinators"): _add("&"),
      ("resolve", "next_name_coordinators"): _add("&"),
      ("recognise", "abbreviation_before_digit"): lambda v: True,
      ("recognise", "drop_figure_letters"): lambda v: True}),
    ("'Water District' container word", "LGL", ("en",), False,
     {("resolve", "container_words"): _add(r"Water\s+District")}),
    ("'School District' container word", "LGL", ("en",), True,
     {("resolve", "container_words"): _drop(r"School\s+District")}),
    ("'Twp' container word", "LGL", ("en",), False,
     {("resolve", "container_words"): _add(r"Twp\.?")}),
]


def _install(change: Change) -> None:
    """Lay ``change`` over the packs (a measuring device, not an API)."""
    import geomap.recognise.rules as rec_rules
    import geomap.resolve.rules as res_rules
    from geomap.lang.overlay import merged_section

    def patched(lang: str, section: str, packs: tuple[str, ...] = ()) -> dict[str, Any]:
        data = dict(merged_section(lang, section, packs))
        for (sec, key), flip in change.items():
            if sec == section:
                data[key] = flip(data[key])
        return data

    rec_rules.merged_section = patched  # type: ignore[assignment]
    res_rules.merged_section = patched  # type: ignore[assignment]
    rec_rules.recognition_rules.cache_clear()
    res_rules.resolution_rules.cache_clear()


def _score(name: str, items: list[Any], gaz: Any, lang: str) -> dict[str, float]:
    from geomap.evaluate import EvalReport, Span, score
    from geomap.recognise import recognise_doc
    from geomap.resolve import lexicon, recall, resolve

    report = EvalReport(name)
    lex = lexicon(gaz, lang)
    for doc, spacy_doc, gold in items:
        parsed = recall(recognise_doc(doc, spacy_doc, lang, lex), gaz)
        places = resolve(parsed.mentions, gaz, lang=lang)
        score(report, gold, [Span(m.start, m.end, p.lat if p else None, p.lon if p else None)
                             for m, p in zip(parsed.mentions, places, strict=True)
                             if m.kind != "demonym"])
    d = report.as_dict()
    return {k: d[k] for k in ("exact_f1", "overlap_f1", "acc161", "end_to_end_acc161")}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int)
    ap.add_argument("--corpus", action="append", help="only these corpus files")
    ap.add_argument("--gazetteer")
    args = ap.parse_args()
    if not EVAL.is_dir():
        print(f"skipped: {EVAL} not found")
        return 0
    from gazetteer import open_gazetteer
    from geomap.evaluate import read_corpus
    from geomap.recognise import load_pipeline

    gaz = open_gazetteer(args.gazetteer)
    head = (f"{'rule':<48}{'from':>9}  {'corpus':<12}{'F1 exact':>14}{'F1 overlap':>14}"
            f"{'acc@161':>14}{'e2e@161':>14}")
    print("each figure: rule off -> rule on")
    print(head)
    print("-" * len(head))
    for name in args.corpus or CORPORA:
        path = EVAL / name
        if not path.exists():
            continue
        t0 = time.perf_counter()
        pairs = list(itertools.islice(read_corpus(path), args.limit))
        lang = pairs[0][0].lang or "en"
        nlp = load_pipeline(lang)
        docs = list(nlp.pipe((d.text for d, _ in pairs), batch_size=16))
        items = [(d, sd, g) for (d, g), sd in zip(pairs, docs, strict=True)]
        _install({})
        base = _score(path.stem, items, gaz, lang)
        for rule, origin, langs, shipped_on, change in RULES:
            if lang not in langs:
                continue
            _install(change)
            flipped = _score(path.stem, items, gaz, lang)
            off, on = (flipped, base) if shipped_on else (base, flipped)
            cells = "".join(f"{off[k]:>7.3f}->{on[k]:.3f}" for k in
                            ("exact_f1", "overlap_f1", "acc161", "end_to_end_acc161"))
            print(f"{rule:<48}{origin:>9}  {path.stem:<12}{cells}", flush=True)
        _install({})
        print(f"  ({path.stem}: {len(items)} docs, {time.perf_counter() - t0:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
