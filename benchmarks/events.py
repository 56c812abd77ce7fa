"""Event typing, placing and dating on ../shared/eval/events/events_dev.jsonl, plus speed.

Usage: python benchmarks/events.py [--limit N] [--lgl N] [--gazetteer PATH] [--errors SOURCE]
       python benchmarks/events.py --e2e [--corpus dev,acled,precision|all] [--errors]
                                   [--workdir DIR [--reuse]] [--no-classifier]

The grouping and duplicate figures of event identity come from the end-to-end section:
``python benchmarks/events.py --e2e --corpus dev,acled --no-classifier`` prints the
duplicate share on the 80 development gold articles (the ``duplicates`` column of the
``dev`` table) and the share of multi-source groups joining distinct ACLED notes (notes
of different gold days, or gold places over 25 km apart; each note is one event run as
its own document through ``geomap run``, which groups across them). The default mode
ends with a pointer to it.

With ``--e2e``: the end-to-end section alone (see ``benchmarks/news_e2e.py``): ``geomap
run`` on the 80 development articles of ``news_events_dev.jsonl`` (``dev``), on the ACLED
development notes (``acled``) and on the project's own precision set
``benchmarks/precision/news_precision.jsonl`` (``precision``), scored against their gold
events; ``--errors`` then lists unmatched predicted events and missed gold events.
Default corpora: dev,acled.

Without it:

Prints one table: ACLED event-type accuracy and sub-event macro-F1 (ACLED notes
and CASE 2021 snippets separately), PLOVER category accuracy, event place
within 25 km / 161 km of ACLED's coordinates where ACLED's geo_precision is 1,
date exact-match and time-precision agreement, the Halterman right-place
share (over the sentences that have a gold place; the chosen place counts
when it overlaps a gold span whose offsets hold its name, or when one name
contains the other), and the time events and dates add to a run on LGL
documents.
Skips (exit 0) when the data is absent. The records are read, never copied.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
DEV = EVAL / "events" / "events_dev.jsonl"
LGL = EVAL / "lgl.jsonl"
NEWS_GOLD = EVAL / "events" / "news_events_dev.jsonl"
PRECISION = Path(__file__).resolve().parent / "precision" / "news_precision.jsonl"


def macro_f1(gold: list[str], pred: list[str]) -> float:
    """Macro-F1 over the labels seen in gold or predictions (sklearn's default)."""
    labels = set(gold) | set(pred)
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=False):
        if g == p:
            tp[g] += 1
        else:
            fp[p] += 1
            fn[g] += 1
    f1s = []
    for lab in labels:
        p = tp[lab] / (tp[lab] + fp[lab]) if tp[lab] + fp[lab] else 0.0
        r = tp[lab] / (tp[lab] + fn[lab]) if tp[lab] + fn[lab] else 0.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return sum(f1s) / len(f1s) if f1s else 0.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, help="records per source")
    ap.add_argument("--lgl", type=int, default=150, help="LGL documents for the speed row")
    ap.add_argument("--gazetteer")
    ap.add_argument("--errors", nargs="?", const="e2e",
                    help="print the errors of this source (acled, case, plover, halterman, "
                         "place, date); with --e2e, no value: the end-to-end errors")
    ap.add_argument("--e2e", action="store_true",
                    help="only the end-to-end section: geomap run on whole articles")
    ap.add_argument("--corpus", default="dev,acled",
                    help="end-to-end corpora: dev, acled, precision, comma-separated, or all")
    ap.add_argument("--workdir", help="keep the end-to-end inputs and outputs here")
    ap.add_argument("--reuse", action="store_true",
                    help="with --workdir: rescore the events.geojson already there")
    ap.add_argument("--no-classifier", action="store_true",
                    help="with --e2e: skip the in-process classifier-only ACLED figure")
    args = ap.parse_args()
    if args.e2e:
        return e2e(args)
    if not DEV.exists():
        print(f"skipped: {DEV} not found")
        return 0
    from gazetteer import fold, haversine_km, open_gazetteer
    from geomap.dates import sentence_dates
    from geomap.events import classify, detect_events, main_event, place_of_trigger
    from geomap.pipeline import find_places_many as extract_many
    from geomap.recognise import load_pipeline
    from geomap.records import Document, PartialDate
    from geomap.resolve import resolve
    from geomap.taxonomy import acled_codes, plover_codes

    gaz = open_gazetteer(args.gazetteer)
    nlp = load_pipeline("en")
    per: Counter[str] = Counter()
    records = []
    for line in DEV.open(encoding="utf-8"):
        r = json.loads(line)
        if args.limit and per[r["source"]] >= args.limit:
            continue
        per[r["source"]] += 1
        records.append(r)
    docs = [Document(r["id"], r["text"], lang=r["lang"],
                     date=PartialDate.parse(r["doc_date"]) if r["doc_date"] else None)
            for r in records]
    t0 = time.perf_counter()
    parsed = extract_many(docs, nlp, gaz, "en", batch_size=64)
    t_parse = time.perf_counter() - t0

    rows: dict[str, list] = defaultdict(list)
    errors: list[str] = []
    t_events = 0.0
    for rec, p in zip(records, parsed, strict=False):
        src = rec["source"]
        places = resolve(p.mentions, gaz, lang=p.lang)
        t1 = time.perf_counter()
        mentions = classify(p)
        main = main_event(mentions)
        events = detect_events(p, places, sentence_dates(p), mentions=mentions)
        t_events += time.perf_counter() - t1
        ev_main = main_event(events)
        if src.startswith("acled") or src == "case2021_task2":
            kind = "acled" if src.startswith("acled") else "case"
            pred_type, pred_sub = acled_codes(main.type, main.subtype) if main else ("", "")
            gold_type = rec["event_type"]
            if gold_type.startswith("Non-ACLED"):
                gold_type = gold_sub = "Non-ACLED"
            else:
                gold_sub = rec["sub_event_type"]
            if not pred_type:
                pred_type = pred_sub = "Non-ACLED"
            rows[kind + "_type"].append(pred_type == gold_type)
            rows[kind + "_sub"].append((gold_sub, pred_sub))
            if args.errors == kind and pred_sub != gold_sub:
                errors.append(f"{gold_type}/{gold_sub} <- {pred_type}/{pred_sub} "
                              f"[{main.trigger if main else ''}] {rec['text'][:300]}")
        if src.startswith("acled"):
            if rec["geo_precision"] == 1:
                if ev_main is None:
                    km = float("inf")
                else:
                    km = haversine_km(ev_main.lat, ev_main.lon, rec["lat"], rec["lon"])
                rows["p25"].append(km <= 25)
                rows["p161"].append(km <= 161)
                if args.errors == "place" and km > 25:
                    errors.append(f"{km:.0f} km: {ev_main.place.name if ev_main else None} "
                                  f"({ev_main.reason if ev_main else ''}) gold "
                                  f"{rec['location']} / {rec['admin1']}: {rec['text'][:250]}")
            d = ev_main.date if ev_main else None
            gold = rec["date"]
            ok = d is not None and d.start is not None and str(d.start) == gold == str(d.end)
            rows["date"].append(ok)
            rows["tp"].append(d is not None and d.time_precision == rec["time_precision"])
            if args.errors == "date" and not ok:
                errors.append(f"{gold} <- {d.start if d else None}..{d.end if d else None} "
                              f"({d.reason if d else ''}): {rec['text'][:200]}")
        elif src == "plover_gsr":
            gold = rec["event_type"].removeprefix("PLOVER:")
            pred = plover_codes(main.type, main.subtype)[0] if main else ""
            rows["plover"].append(pred == gold)
            if args.errors == "plover" and pred != gold:
                errors.append(f"{gold} <- {pred or '-'} [{main.trigger if main else ''}] "
                              f"{rec['text'][:250]}")
        elif src == "halterman_event_location":
            span = rec["extra"]["event_trigger_char"]
            if not span:  # no trigger offset: the trigger word's first occurrence
                at = rec["text"].find(rec["extra"].get("event_trigger") or "\0")
                span = (max(at, 0), max(at, 0) + 1)
            start, end = span
            choice = place_of_trigger(p, places, start)
            spans = rec["extra"]["location_spans"]
            if not spans:  # no gold place to compare with: not scored
                continue
            ok = False
            if choice is not None:
                m = choice[0]
                # Many gold offsets do not match the text: trust an offset only where
                # it holds the gold name, else compare names ("Diyala province" holds
                # the gold "Diyala").
                ok = any(m.start < e and s < m.end for s, e, t in spans
                         if rec["text"][s:e] == t) or any(
                    fold(t) in fold(m.text) or fold(m.text) in fold(t) for _, _, t in spans)
            rows["halterman"].append(ok)
            if args.errors == "halterman" and not ok:
                got = f"{choice[0].text} ({choice[2]})" if choice else None
                errors.append(f"gold {[t for _, _, t in spans]} <- {got} "
                              f"[{rec['text'][start:end]}] {rec['text'][:250]}")

    def mean(xs: list) -> float:
        return sum(xs) / len(xs) if xs else float("nan")

    def f1(pairs: list) -> float:
        return macro_f1([g for g, _ in pairs], [p for _, p in pairs])

    speed = _speed(args.lgl, gaz, nlp) if args.lgl and LGL.exists() else None
    table = [
        ("ACLED notes: event type accuracy", mean(rows["acled_type"]), ">= 0.85",
         len(rows["acled_type"])),
        ("ACLED notes: sub-event macro-F1", f1(rows["acled_sub"]), ">= 0.65",
         len(rows["acled_sub"])),
        ("ACLED notes: place within 25 km (geo_precision 1)", mean(rows["p25"]), ">= 0.75",
         len(rows["p25"])),
        ("ACLED notes: place within 161 km (geo_precision 1)", mean(rows["p161"]), ">= 0.90",
         len(rows["p161"])),
        ("ACLED notes: date exact match", mean(rows["date"]), ">= 0.97", len(rows["date"])),
        ("ACLED notes: time-precision agreement", mean(rows["tp"]), "", len(rows["tp"])),
        ("CASE 2021: event type accuracy", mean(rows["case_type"]), ">= 0.75",
         len(rows["case_type"])),
        ("CASE 2021: sub-event macro-F1", f1(rows["case_sub"]), "", len(rows["case_sub"])),
        ("PLOVER: category accuracy", mean(rows["plover"]), ">= 0.60", len(rows["plover"])),
        ("Halterman: right event place", mean(rows["halterman"]), ">= 0.75",
         len(rows["halterman"])),
    ]
    if speed is not None:
        table.append((f"LGL ({speed[2]} docs): time events+dates add to a run", speed[0],
                      "<= 0.20", speed[2]))
    print(f"{'metric':<56}{'value':>8}  {'goal':<8}{'n':>6}")
    print("-" * 80)
    for name, val, goal, n in table:
        print(f"{name:<56}{val:>8.3f}  {goal:<8}{n:>6}")
    print(f"(dev set: parse {t_parse:.1f} s, events+dates {t_events:.1f} s"
          + (f"; LGL run {speed[1]:.1f} s" if speed else "") + ")")
    for e in errors:
        print(e)
    print("(event identity, duplicates and cross-source grouping: "
          "python benchmarks/events.py --e2e --corpus dev,acled --no-classifier)")
    return 0


def e2e(args: argparse.Namespace) -> int:
    """The end-to-end section: ``geomap run`` on whole articles, scored against gold.

    Inputs and outputs go to ``--workdir`` when given, else to a temporary directory
    removed at the end.
    """
    if args.workdir:
        return _e2e(args, Path(args.workdir))
    with tempfile.TemporaryDirectory(prefix="geomap_e2e_") as tmp:
        return _e2e(args, Path(tmp))


def _e2e(args: argparse.Namespace, workdir: Path) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import news_e2e as ne

    corpora = {"dev", "acled", "precision"} if args.corpus == "all" else {
        c.strip() for c in args.corpus.split(",") if c.strip()}
    unknown = corpora - {"dev", "acled", "precision"}
    if unknown:
        print(f"unknown corpus {', '.join(sorted(unknown))}; options are: dev, acled, "
              "precision, all")
        return 2
    reuse = bool(args.reuse and args.workdir)
    show_errors = args.errors == "e2e"
    print(f"end to end: python -m geomap run <corpus>.jsonl -o {workdir}/<corpus>")
    if "dev" in corpora:
        if not NEWS_GOLD.exists():
            print(f"dev: skipped, {NEWS_GOLD} not found")
        else:
            gold = ne.load_jsonl(NEWS_GOLD)
            articles = ne.dev_articles(gold, EVAL)
            geojson, wall = ne.run_geomap(articles, workdir, "dev", args.gazetteer, reuse=reuse)
            result = ne.score(gold, ne.load_predictions(geojson))
            print(f"\n== development articles ({result.docs}: "
                  f"{sum(g['corpus'] == 'lgl' for g in gold)} LGL, "
                  f"{sum(g['corpus'] == 'geovirus' for g in gold)} GeoVirus), "
                  f"{len(result.preds)} events for {len(result.gold)} gold; run {wall:.0f} s")
            _print_result(ne, result, show_errors)
    if "precision" in corpora:
        gold = ne.load_jsonl(PRECISION)
        articles = [{"id": g["id"], "text": g["text"], "lang": g["lang"],
                     **({"date": g["pub_date"]} if g.get("pub_date") else {})} for g in gold]
        geojson, wall = ne.run_geomap(articles, workdir, "precision", args.gazetteer,
                                      reuse=reuse)
        result = ne.score(gold, ne.load_predictions(geojson))
        print(f"\n== precision set ({result.docs} paragraphs: "
              f"{sum(g['lang'] == 'fr' for g in gold)} fr, "
              f"{sum(g['lang'] == 'en' for g in gold)} en), {len(result.preds)} events for "
              f"{len(result.gold)} gold; run {wall:.0f} s")
        info = {g["id"]: g for g in gold}
        for label, key in (("language", "lang"), ("case", "case")):
            print()
            for line in ne.table(result, key_pred=lambda p, k=key: info[p.doc_id][k],
                                 key_gold=lambda doc, g, k=key: info[doc][k], label=label):
                print(line)
        for lang in ("en", "fr"):
            sub = ne.Score(preds=[p for p in result.preds if info[p.doc_id]["lang"] == lang],
                           gold=[x for x in result.gold if info[x[0]]["lang"] == lang])
            print(f"\n-- {lang}")
            _print_result(ne, sub, False)
        print(f"\n{'case':<20}{'lang':<5}{'paras':>6}{'no gold':>8}{'events':>7}"
              f"{'wrong':>6}{'wrong/para':>11}{'clean paras':>12}")
        groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for g in gold:
            groups[(g["case"], g["lang"])].append(g)
            groups[("all", g["lang"])].append(g)
        for (case, lang), gs in sorted(groups.items(), key=lambda kv: (kv[0][0] == "all",
                                                                       kv[0])):
            ids = {g["id"] for g in gs}
            ps = [p for p in result.preds if p.doc_id in ids]
            bad = [p for p in ps if p.outcome != "matched"]
            clean = sum(all(p.outcome == "matched" for p in ps if p.doc_id == i) for i in ids)
            print(f"{case:<20}{lang:<5}{len(gs):>6}{sum(not g['events'] for g in gs):>8}"
                  f"{len(ps):>7}{len(bad):>6}{len(bad) / len(gs):>11.2f}"
                  f"{clean:>7}/{len(gs):<4}")
        empty = [g for g in gold if not g["events"]]
        false_in_empty = sum(p.doc_id in {g["id"] for g in empty} for p in result.preds)
        wrong = {p.doc_id for p in result.preds if p.outcome != "matched"}
        print(f"\nparagraphs without events: {len(empty)}, events written for them: "
              f"{false_in_empty}; paragraphs with no wrong event: "
              f"{sum(g['id'] not in wrong for g in gold)}/{len(gold)}")
        if show_errors:
            for line in ne.error_lines(result):
                print(line)
    if "acled" in corpora:
        notes = [json.loads(line) for line in DEV.open(encoding="utf-8")] if DEV.exists() else []
        notes = [r for r in notes if r["source"].startswith("acled")]
        if args.limit:
            notes = notes[:args.limit]
        if not notes:
            print(f"acled: skipped, {DEV} not found")
        else:
            articles = [{"id": r["id"], "text": r["text"], "lang": r["lang"],
                         **({"date": r["doc_date"]} if r["doc_date"] else {})} for r in notes]
            geojson, wall = ne.run_geomap(articles, workdir, "acled", args.gazetteer, reuse=reuse)
            from geomap.taxonomy import ACLED_ORDER

            print(f"\n== ACLED development notes; run {wall:.0f} s")
            for line in ne.acled_e2e(notes, ne.load_predictions(geojson), ACLED_ORDER):
                print(line)
            for line in ne.acled_grouping(notes, geojson):
                print(line)
            first = ne.acled_e2e(notes, ne.load_predictions(geojson, all_sources=False),
                                 ACLED_ORDER)[0]
            print("counting an event grouped across notes only in its first note: "
                  + first.split(": ", 1)[1])
            for line in _far_off(notes, ne.load_predictions(geojson), show_errors):
                print(line)
            if not args.no_classifier:
                print(f"classifier alone (main_event of classify, in process): "
                      f"{_classifier_acled(notes, args.gazetteer)}")
    return 0


def _far_off(notes: list[dict], predictions: dict, show: bool,
             km: float = 1000.0) -> list[str]:
    """Share of the events written for ACLED notes more than ``km`` from the note's place.

    Every event with a point counts once per note it is told in; events without a
    point are counted apart. With ``show`` each far-off event is listed (note id, km,
    the place geomap chose and its country, the gold location and country, the note).
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import news_e2e as ne

    placed = far = unplaced = 0
    cases: list[tuple[float, str]] = []
    for note in notes:
        if note.get("lat") is None or note.get("lon") is None:
            continue
        for p in predictions.get(str(note["id"]), []):
            if p.lat is None or p.lon is None:
                unplaced += 1
                continue
            placed += 1
            d = ne.haversine_km(p.lat, p.lon, float(note["lat"]), float(note["lon"]))
            if d > km:
                far += 1
                cases.append((d, f"  far {d:>6.0f} km  {note['id']}: {p.place!r} ({p.country}) "
                                 f"for {note.get('location')!r} ({note.get('country')}); "
                                 f"{' '.join(note['text'].split())[:200]}"))
    lines = [f"far-off events (> {km:.0f} km from the note's place): "
             f"{far}/{placed} = {far / placed if placed else 0.0:.3f} of events with a point "
             f"({unplaced} events without a point)"]
    if show:
        lines += [c for _, c in sorted(cases, key=lambda c: -c[0])]
    return lines


def _print_result(ne, result, show_errors: bool) -> None:
    for line in ne.table(result):
        print(line)
    print()
    for line in ne.confidence_table(result):
        print(line)
    if show_errors:
        for line in ne.error_lines(result):
            print(line)


def _classifier_acled(notes: list[dict], gazetteer: str | None) -> str:
    """ACLED type accuracy of the classifier's main event, as the section above scores it."""
    try:
        from gazetteer import open_gazetteer
        from geomap.events import classify, main_event
        from geomap.pipeline import find_places_many as extract_many
        from geomap.recognise import load_pipeline
        from geomap.records import Document, PartialDate
        from geomap.taxonomy import acled_codes
    except ImportError as err:  # the event code is being refactored: say so, go on
        return f"n/a ({err})"
    gaz = open_gazetteer(gazetteer)
    docs = [Document(r["id"], r["text"], lang=r["lang"],
                     date=PartialDate.parse(r["doc_date"]) if r["doc_date"] else None)
            for r in notes]
    ok = 0
    for rec, p in zip(notes, extract_many(docs, load_pipeline("en"), gaz, "en", batch_size=64),
                      strict=False):
        main = main_event(classify(p))
        ok += bool(main) and acled_codes(main.type, main.subtype)[0] == rec["event_type"]
    return f"{ok / len(notes):.3f} ({len(notes)} notes)"


def _speed(n: int, gaz, nlp) -> tuple[float, float, int]:
    """Share of a run (parse, resolve, events) spent in events and dates, on LGL."""
    from geomap.dates import sentence_dates
    from geomap.documents import read_documents
    from geomap.events import detect_events
    from geomap.pipeline import find_places_many as extract_many
    from geomap.resolve import resolve

    docs = []
    for line in LGL.open(encoding="utf-8"):
        r = json.loads(line)
        docs.append(r)
        if len(docs) >= n:
            break
    tmp = Path("/tmp/geomap_bench_lgl.jsonl")
    tmp.write_text("".join(json.dumps({"id": str(d["id"]), "text": d["text"], "lang": "en"})
                           + "\n" for d in docs), encoding="utf-8")
    documents = list(read_documents([tmp]))
    t0 = time.perf_counter()
    parsed = extract_many(documents, nlp, gaz, "en")
    resolved = [resolve(p.mentions, gaz, lang="en") for p in parsed]
    t1 = time.perf_counter()
    for p, places in zip(parsed, resolved, strict=False):
        detect_events(p, places, sentence_dates(p))
    t2 = time.perf_counter()
    return (t2 - t1) / (t1 - t0), t2 - t0, len(documents)


if __name__ == "__main__":
    sys.exit(main())
