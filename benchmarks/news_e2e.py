"""End-to-end event scoring: what ``geomap run`` writes, against hand-coded gold events.

Runs geomap exactly as a user does (``python -m geomap run ARTICLES.jsonl -o DIR``, in a
subprocess) and reads the ``events.geojson`` it writes. It imports nothing from geomap's
event code, so it keeps working while that code is refactored.

Gold: one JSON object per article, the fields of ``news_events_dev.jsonl`` (coding rules in
``../shared/eval/events/NEWS_EVENTS_GUIDE.md``): ``id``, ``pub_date``, ``events`` with
``type``, ``lat``, ``lon``, ``country``, ``place_precision``, ``date_start``, ``date_end``.
The project's own precision set (``benchmarks/precision/news_precision.jsonl``) adds
``text``, ``lang`` and ``case`` to each line.

Scoring (the guide's): per article, predictions are taken by confidence (highest first,
then the order geomap wrote them); a prediction matches a not yet matched gold event of
the same article when their types share a family and the predicted place fits the gold
precision (point 50 km, admin2 100 km, admin1 250 km, country: same country, none: any);
among several gold events that fit, the one of the same type first, then the nearest.
A prediction that fits only gold events already matched is a duplicate; any other is
unmatched. Events grouped across articles (one feature with several ``sources``) count
once in each source article, with the grouped feature's type, place, date and confidence.

- family precision: matched predictions / predictions;
- exact-type precision: matched predictions of the gold event's type / predictions;
- recall: matched gold events / gold events;
- duplicate share: duplicates / predictions;
- date agreement (matched events): the predicted start and end equal the gold ones, a
  gold event without a date agreeing only with a prediction without one; the lenient
  figure also takes a predicted range that overlaps the gold one;
- place distance (matched events with gold coordinates): median km, share within
  25 km and 161 km.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

FAMILIES: dict[str, tuple[str, ...]] = {
    "battle": ("armed_clash", "territory_change"),
    "attack": ("remote_violence", "violence_against_civilians"),
    "unrest": ("protest", "riot"),
    "security": ("arrest", "coercion", "investigation", "sanction"),
    "military": ("troop_deployment", "military_aid"),
    "cooperation": ("agreement", "meeting", "cooperation", "aid", "concession", "support"),
    "verbal": ("statement", "accusation", "demand", "rejection", "threat"),
    "other": ("other",),
}
FAMILY_OF = {t: fam for fam, types in FAMILIES.items() for t in types}
FIT_KM = {"point": 50.0, "admin2": 100.0, "admin1": 250.0}
CONFIDENCE_BINS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0001)


def family(event_type: str) -> str:
    """The guide's family of an event type; an unknown type is its own family."""
    return FAMILY_OF.get(event_type, event_type)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@dataclass(slots=True)
class Pred:
    """One predicted event of one article, as read from events.geojson."""

    doc_id: str
    type: str
    trigger: str
    sentence: str
    lat: float | None
    lon: float | None
    country: str | None
    place: str | None
    date_start: str | None
    date_end: str | None
    confidence: float
    status: str
    acled_event_type: str
    order: int
    outcome: str = ""  # matched | duplicate | unmatched
    gold: dict | None = None
    km: float | None = None


@dataclass(slots=True)
class Score:
    """Counts of one scoring run; rows are keyed by type, by case and by language."""

    preds: list[Pred] = field(default_factory=list)
    gold: list[tuple[str, dict, Pred | None]] = field(default_factory=list)  # doc, event, match
    docs: int = 0


def run_geomap(articles: Sequence[dict], workdir: Path, name: str,
               gazetteer: str | None = None, extra: Sequence[str] = (),
               reuse: bool = False) -> tuple[Path, float]:
    """Write ``articles`` as JSON lines and run ``python -m geomap run`` on them.

    Returns the events.geojson path and the wall time of the run. With ``reuse`` an
    events.geojson already in the output directory is read instead.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    src = workdir / f"{name}.jsonl"
    out = workdir / name
    geojson = out / "events.geojson"
    if reuse and geojson.exists():
        return geojson, 0.0
    src.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles),
                   encoding="utf-8")
    cmd = [sys.executable, "-m", "geomap"]
    if gazetteer:
        cmd += ["--gazetteer", gazetteer]
    cmd += ["run", str(src), "-o", str(out), "--force", *extra]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy(),
                          check=False)
    wall = time.perf_counter() - t0
    (workdir / f"{name}.log").write_text(proc.stderr, encoding="utf-8")
    if proc.returncode != 0:
        raise SystemExit(f"geomap run failed on {src} (exit {proc.returncode}):\n"
                         + proc.stderr[-3000:])
    return geojson, wall


def load_predictions(geojson: Path, all_sources: bool = True) -> dict[str, list[Pred]]:
    """Predicted events per article id; a grouped event counts in each of its sources.

    With ``all_sources`` false a grouped event counts only in the article of its
    ``doc_id`` (the first source), as a reader of the map's markers would see it.
    """
    data = json.loads(geojson.read_text(encoding="utf-8"))
    per: dict[str, list[Pred]] = defaultdict(list)
    for k, feat in enumerate(data.get("features", [])):
        p = feat["properties"]
        geom = feat.get("geometry") or {}
        lon, lat = (geom.get("coordinates") or (None, None))[:2] if geom.get(
            "type") == "Point" else (None, None)
        doc_ids = [s["doc_id"] for s in p.get("sources") or []] if all_sources else []
        doc_ids = doc_ids or [p["doc_id"]]
        for doc_id in dict.fromkeys(str(d) for d in doc_ids):
            per[doc_id].append(Pred(
                doc_id=doc_id, type=p["event_type"], trigger=p.get("trigger") or "",
                sentence=p.get("sentence") or "", lat=lat, lon=lon,
                country=p.get("country"), place=p.get("place"),
                date_start=p.get("date_start"), date_end=p.get("date_end"),
                confidence=float(p.get("confidence") or 0.0), status=p.get("status") or "",
                acled_event_type=p.get("acled_event_type") or "", order=k))
    return per


def place_fits(pred: Pred, gold: dict) -> tuple[bool, float | None]:
    """Whether the predicted place fits the gold place's precision, and the distance."""
    prec = gold.get("place_precision") or "none"
    km = None
    if pred.lat is not None and gold.get("lat") is not None:
        km = haversine_km(pred.lat, pred.lon, gold["lat"], gold["lon"])  # type: ignore[arg-type]
    if prec == "none":
        return True, km
    if prec == "country":
        if not gold.get("country"):
            return True, km
        return (pred.country or "").upper() == gold["country"].upper(), km
    return km is not None and km <= FIT_KM.get(prec, 50.0), km


def date_agrees(pred: Pred, gold: dict, lenient: bool = False) -> bool:
    """The guide's date agreement between a matched prediction and its gold event."""
    gs, ge = gold.get("date_start"), gold.get("date_end") or gold.get("date_start")
    ps, pe = pred.date_start, pred.date_end or pred.date_start
    if not gs:
        return not ps
    if not ps:
        return False
    if (ps, pe) == (gs, ge):
        return True
    return lenient and ps <= ge and gs <= pe  # type: ignore[operator]


def score_article(gold_events: Sequence[dict], preds: Sequence[Pred]) -> list[Pred | None]:
    """Match one article's predictions to its gold events; return each gold event's match."""
    matched: list[Pred | None] = [None] * len(gold_events)
    for pred in sorted(preds, key=lambda x: (-x.confidence, x.order)):
        best: tuple[tuple[bool, float], int, float | None] | None = None
        fits_any = False
        for i, g in enumerate(gold_events):
            if family(g["type"]) != family(pred.type):
                continue
            ok, km = place_fits(pred, g)
            if not ok:
                continue
            fits_any = True
            if matched[i] is not None:
                continue
            key = (g["type"] != pred.type, km if km is not None else 0.0)
            if best is None or key < best[0]:
                best = (key, i, km)
        if best is not None:
            _, i, km = best
            matched[i] = pred
            pred.outcome, pred.gold, pred.km = "matched", gold_events[i], km
        else:
            pred.outcome = "duplicate" if fits_any else "unmatched"
    return matched


def score(gold_docs: Iterable[dict], predictions: dict[str, list[Pred]]) -> Score:
    """Score every gold article against its predictions."""
    result = Score()
    for doc in gold_docs:
        doc_id = str(doc["id"])
        preds = predictions.get(doc_id, [])
        matches = score_article(doc["events"], preds)
        result.docs += 1
        result.preds.extend(preds)
        result.gold.extend((doc_id, g, m) for g, m in zip(doc["events"], matches, strict=True))
    return result


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "  - "


def _km_stats(kms: list[float]) -> tuple[str, str, str]:
    if not kms:
        return "   -", "  - ", "  - "
    s = sorted(kms)
    mid = len(s) // 2
    med = s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2
    return (f"{med:4.0f}", _ratio(sum(k <= 25 for k in s), len(s)),
            _ratio(sum(k <= 161 for k in s), len(s)))


def table(result: Score, key_pred: object = None, key_gold: object = None,
          label: str = "type") -> list[str]:
    """Rows per key (type by default) and overall of one scoring run."""
    kp = key_pred or (lambda p: p.type)
    kg = key_gold or (lambda doc, g: g["type"])
    preds: dict[str, list[Pred]] = defaultdict(list)
    golds: dict[str, list[tuple[dict, Pred | None]]] = defaultdict(list)
    for p in result.preds:
        preds[kp(p)].append(p)  # type: ignore[operator]
    for doc, g, m in result.gold:
        golds[kg(doc, g)].append((g, m))  # type: ignore[operator]
    head = (f"{label:<27}{'pred':>5}{'famP':>6}{'exactP':>7}{'dup':>6}{'gold':>6}{'recall':>7}"
            f"{'dates':>6}{'dates~':>7}{'medkm':>6}{'<25':>6}{'<161':>6}")
    lines = [f"(pred, famP, exactP, dup: by predicted {label}; gold, recall, dates, dates~ "
             f"(lenient), medkm, <25, <161 km: by gold {label}, over matched gold events)",
             head, "-" * len(head)]
    keys = sorted(set(preds) | set(golds), key=lambda k: (-len(preds.get(k, [])), k))

    def row(name: str, ps: list[Pred], gs: list[tuple[dict, Pred | None]]) -> str:
        m = [p for p in ps if p.outcome == "matched"]
        exact = sum(p.gold is not None and p.gold["type"] == p.type for p in m)
        dups = sum(p.outcome == "duplicate" for p in ps)
        hit = [(g, x) for g, x in gs if x is not None]
        dates = sum(date_agrees(x, g) for g, x in hit)
        dates_l = sum(date_agrees(x, g, lenient=True) for g, x in hit)
        kms = [x.km for g, x in hit if x.km is not None and g.get("lat") is not None]
        med, w25, w161 = _km_stats(kms)  # type: ignore[arg-type]
        return (f"{name:<27}{len(ps):>5}{_ratio(len(m), len(ps)):>6}"
                f"{_ratio(exact, len(ps)):>7}{_ratio(dups, len(ps)):>6}{len(gs):>6}"
                f"{_ratio(len(hit), len(gs)):>7}{_ratio(dates, len(hit)):>6}"
                f"{_ratio(dates_l, len(hit)):>7}{med:>6}{w25:>6}{w161:>6}")

    for k in keys:
        lines.append(row(k, preds.get(k, []), golds.get(k, [])))
    lines.append("-" * len(head))
    lines.append(row("all", result.preds, [(g, m) for _, g, m in result.gold]))
    return lines


def confidence_table(result: Score, threshold: float = 0.5) -> list[str]:
    """Matched vs other events per confidence bin, and what a threshold keeps and drops."""
    lines = [f"{'confidence':<12}{'events':>7}{'matched':>8}{'dup':>6}{'unmatched':>10}"
             f"{'share right':>12}"]
    for lo, hi in zip(CONFIDENCE_BINS, CONFIDENCE_BINS[1:], strict=False):
        ps = [p for p in result.preds if lo <= p.confidence < hi]
        m = sum(p.outcome == "matched" for p in ps)
        d = sum(p.outcome == "duplicate" for p in ps)
        hi_s = "1.0" if hi > 1 else f"{hi:.1f}"
        lines.append(f"[{lo:.1f}, {hi_s}){'':<2}{len(ps):>7}{m:>8}{d:>6}{len(ps) - m - d:>10}"
                     f"{_ratio(m, len(ps)):>12}")
    right = [p for p in result.preds if p.outcome == "matched"]
    wrong = [p for p in result.preds if p.outcome != "matched"]
    keep = sum(p.confidence >= threshold for p in right)
    drop = sum(p.confidence < threshold for p in wrong)
    mean_r = sum(p.confidence for p in right) / len(right) if right else float("nan")
    mean_w = sum(p.confidence for p in wrong) / len(wrong) if wrong else float("nan")
    lines.append(f"--min-confidence {threshold}: keeps {keep}/{len(right)} right events "
                 f"({_ratio(keep, len(right))}), drops {drop}/{len(wrong)} wrong ones "
                 f"({_ratio(drop, len(wrong))}; wrong = unmatched or duplicate); "
                 f"mean confidence right {mean_r:.3f}, wrong {mean_w:.3f}")
    return lines


def error_lines(result: Score, limit: int | None = None) -> list[str]:
    """Unmatched and duplicate predictions, then missed gold events, for developers."""
    out = ["unmatched predicted events (outcome type [trigger] conf place: sentence):"]
    bad = [p for p in result.preds if p.outcome != "matched"]
    for p in bad[:limit]:
        out.append(f"  {p.doc_id} {p.outcome[:3]} {p.type} [{p.trigger}] {p.confidence:.2f} "
                   f"{p.place or '-'}: {' '.join(p.sentence.split())[:220]}")
    out.append("missed gold events (doc type place precision date: sentence):")
    for doc, g, m in result.gold:
        if m is None:
            out.append(f"  {doc} {g['type']} {g.get('place') or '-'} "
                       f"{g.get('place_precision')} {g.get('date_start') or '-'}: "
                       f"{' '.join((g.get('sentence') or '').split())[:220]}")
    return out


def acled_e2e(notes: Sequence[dict], predictions: dict[str, list[Pred]],
              acled_order: Sequence[str]) -> list[str]:
    """Share of ACLED notes whose main output event has the gold ACLED event type."""
    rank = {t: i for i, t in enumerate(acled_order)}
    n = len(notes)
    none = main_ok = conf_ok = any_ok = 0
    by_gold: dict[str, list[bool]] = defaultdict(list)
    for note in notes:
        ps = predictions.get(str(note["id"]), [])
        if not ps:
            none += 1
            by_gold[note["event_type"]].append(False)
            continue
        # geomap.events.main_event on Event records: facts first, then ACLED's order,
        # then the order geomap wrote them.
        main = min(ps, key=lambda p: (p.status != "fact", rank.get(p.type, len(rank)),
                                      p.order))
        top = min(ps, key=lambda p: (-p.confidence, p.order))
        ok = main.acled_event_type == note["event_type"]
        main_ok += ok
        conf_ok += top.acled_event_type == note["event_type"]
        any_ok += any(p.acled_event_type == note["event_type"] for p in ps)
        by_gold[note["event_type"]].append(ok)
    lines = [f"ACLED notes end to end ({n}): main event's ACLED type "
             f"{_ratio(main_ok, n)} (main_event's order: facts, then ACLED's order); "
             f"highest-confidence event's {_ratio(conf_ok, n)}; any event's {_ratio(any_ok, n)}; "
             f"notes with no event {_ratio(none, n)} ({none}); events per note "
             f"{sum(len(v) for v in predictions.values()) / n:.2f}"]
    for t, oks in sorted(by_gold.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"  {t:<30} {len(oks):>5} notes, main type right {_ratio(sum(oks), len(oks))}")
    return lines


def acled_grouping(notes: Sequence[dict], geojson: Path, km: float = 25.0) -> list[str]:
    """Share of multi-source groups that join distinct ACLED events.

    Each ACLED note is a distinct event, so a feature whose ``sources`` hold two or
    more notes is a group across documents; it joins distinct gold events when two
    of its notes have different gold days, or gold places more than ``km`` apart.
    """
    gold = {str(n["id"]): n for n in notes}
    data = json.loads(geojson.read_text(encoding="utf-8"))
    groups = bad_day = bad_place = bad = distinct = bad_distinct = 0
    examples: list[str] = []
    for feat in data.get("features", []):
        p = feat["properties"]
        ids = list(dict.fromkeys(str(s["doc_id"]) for s in p.get("sources") or []))
        recs = [gold[i] for i in ids if i in gold]
        if len(recs) < 2:
            continue
        groups += 1
        days = {r["date"] for r in recs}
        far = max((haversine_km(a["lat"], a["lon"], b["lat"], b["lon"])
                   for k, a in enumerate(recs) for b in recs[k + 1:]), default=0.0)
        day_wrong, place_wrong = len(days) > 1, far > km
        if len({r["text"] for r in recs}) == len(recs):
            distinct += 1
            bad_distinct += day_wrong or place_wrong
        bad_day += day_wrong
        bad_place += place_wrong
        if day_wrong or place_wrong:
            bad += 1
            if len(examples) < 5:
                examples.append(f"    {p['event_type']} at {p.get('place')} "
                                f"({p.get('date_start')}..{p.get('date_end')}): "
                                f"{len(recs)} notes, days {sorted(days)}, {far:.0f} km apart")
    share = bad / groups if groups else 0.0
    share_distinct = bad_distinct / distinct if distinct else 0.0
    return [f"ACLED multi-source groups: {groups}; joining distinct gold events {share:.3f} "
            f"({bad}: {bad_day} of different days, {bad_place} of places over {km:.0f} km "
            "apart; goal <= 0.05)",
            f"  of the {distinct} groups whose notes all differ in text (ACLED repeats a note "
            f"word for word for each place it names): {share_distinct:.3f} ({bad_distinct})",
            *examples]


def dev_articles(gold: list[dict], eval_dir: Path) -> list[dict]:
    """The development articles as a user feeds them: id, text, lang, title, date.

    Their texts are in ``lgl.jsonl`` and ``geovirus.jsonl`` of ``eval_dir``; the
    publication date is the gold's ``pub_date``.
    """
    dates = {str(g["id"]): g.get("pub_date") for g in gold}
    articles = []
    for path in (eval_dir / "lgl.jsonl", eval_dir / "geovirus.jsonl"):
        for line in path.open(encoding="utf-8"):
            r = json.loads(line)
            if str(r["id"]) in dates:
                a = {"id": str(r["id"]), "text": r["text"], "lang": r.get("lang") or "en"}
                if (r.get("meta") or {}).get("title"):
                    a["title"] = r["meta"]["title"]
                if dates[str(r["id"])]:
                    a["date"] = dates[str(r["id"])]
                articles.append(a)
    return articles


def load_jsonl(path: Path) -> list[dict]:
    """Records of a JSON-lines file."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
