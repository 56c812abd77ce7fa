"""Geoparsing metrics, as defined in the literature (Gritta et al. 2018).

Recognition: precision, recall and F1 on spans, exact and overlapping.
Resolution on matched toponyms: accuracy within 161 km (acc@161), mean and
median error in km, and the AUC of the log-error curve (lower is better).
End to end: acc@161 over all gold toponyms with coordinates, a missed one
counting as a miss.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gazetteer import haversine_km

from .errors import MalformedJSONLine, UnknownOption, options_message
from .records import Document, Mention, Place
from .resolve import parent_hints, resolve

if TYPE_CHECKING:
    from .pipeline import Pipeline

__all__ = ["Span", "EvalReport", "Bin", "score", "match", "reliability", "calibration_error",
           "evaluate", "read_corpus", "predicted_span", "reliability_table", "SPAN_MODES",
           "MAX_KM", "HIT_KM"]

SPAN_MODES = ("predicted", "gold")
#: Half the Earth's circumference: the largest possible error, used for AUC and misses.
MAX_KM = 20039.0
#: A resolved toponym within this distance of the gold point is right (acc@161).
HIT_KM = 161.0


@dataclass(frozen=True, slots=True)
class Span:
    """A toponym span with its coordinates (``None`` when unresolved or unknown).

    ``confidence`` is the predicted place's confidence (``None`` for gold spans
    and unresolved predictions).
    """

    start: int
    end: int
    lat: float | None = None
    lon: float | None = None
    confidence: float | None = None

    def overlaps(self, other: Span) -> bool:
        """Whether the two spans share a character."""
        return self.start < other.end and other.start < self.end


@dataclass
class EvalReport:
    """The metrics of one corpus run."""

    corpus: str
    documents: int = 0
    gold: int = 0
    predicted: int = 0
    exact_tp: int = 0
    overlap_tp: int = 0
    errors_km: list[float] = field(default_factory=list)
    gold_with_coords: int = 0
    end_to_end_hits: int = 0
    #: ``(confidence, within 161 km)`` of each matched, resolved toponym with gold coordinates.
    outcomes: list[tuple[float, bool]] = field(default_factory=list)

    @staticmethod
    def _prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def exact(self) -> tuple[float, float, float]:
        """Precision, recall and F1 of recognition, spans matching exactly."""
        return self._prf(self.exact_tp, self.predicted, self.gold)

    @property
    def overlap(self) -> tuple[float, float, float]:
        """Precision, recall and F1 of recognition, spans overlapping."""
        return self._prf(self.overlap_tp, self.predicted, self.gold)

    @property
    def acc161(self) -> float:
        """Share of the matched toponyms resolved within 161 km."""
        e = self.errors_km
        return sum(1 for x in e if x <= HIT_KM) / len(e) if e else 0.0

    @property
    def mean_km(self) -> float:
        """Mean error of the matched toponyms, in km."""
        return statistics.fmean(self.errors_km) if self.errors_km else 0.0

    @property
    def median_km(self) -> float:
        """Median error of the matched toponyms, in km."""
        return statistics.median(self.errors_km) if self.errors_km else 0.0

    @property
    def auc(self) -> float:
        """Area under the curve of sorted log errors, scaled to [0, 1] (lower is better)."""
        e = sorted(self.errors_km)
        if not e:
            return 0.0
        logs = [math.log(x + 1) / math.log(MAX_KM + 1) for x in e]
        if len(logs) == 1:
            return logs[0]
        area = sum((a + b) / 2 for a, b in zip(logs, logs[1:], strict=False))
        return area / (len(logs) - 1)

    @property
    def end_to_end(self) -> float:
        """Share of the gold toponyms with coordinates found and resolved within 161 km."""
        return self.end_to_end_hits / self.gold_with_coords if self.gold_with_coords else 0.0

    def reliability(self, bins: int = 10) -> list[Bin]:
        """The reliability table of the resolved toponyms (see :func:`reliability`)."""
        return reliability(self.outcomes, bins)

    @property
    def ece(self) -> float:
        """Expected calibration error of the place confidences (see :func:`calibration_error`)."""
        return calibration_error(self.outcomes)

    def as_dict(self) -> dict[str, Any]:
        """Every metric by name (counts, P/R/F1, acc@161, km errors, AUC, end to end, ECE)."""
        out = asdict(self)
        out.pop("errors_km")
        out.pop("outcomes")
        ep, er, ef = self.exact
        op, orr, of = self.overlap
        out.update(exact_p=ep, exact_r=er, exact_f1=ef, overlap_p=op, overlap_r=orr,
                   overlap_f1=of, resolved=len(self.errors_km), acc161=self.acc161,
                   mean_km=self.mean_km, median_km=self.median_km, auc=self.auc,
                   end_to_end_acc161=self.end_to_end, ece=self.ece,
                   reliability=[asdict(b) for b in self.reliability()])
        return out


@dataclass(frozen=True, slots=True)
class Bin:
    """One row of a reliability table: confidences in ``[low, high)``."""

    low: float
    high: float
    count: int
    confidence: float
    accuracy: float


def reliability(outcomes: Iterable[tuple[float, bool]], bins: int = 10) -> list[Bin]:
    """Bin ``(confidence, correct)`` pairs into equal-width confidence bins.

    Parameters
    ----------
    outcomes : iterable of (float, bool)
        A confidence in [0, 1] and whether that prediction was right.
    bins : int
        The number of equal-width bins (the last one includes 1.0).

    Returns
    -------
    list of Bin
        Every bin, empty ones with count 0, mean confidence and accuracy 0.

    Examples
    --------
    >>> [(b.count, b.confidence, b.accuracy) for b in reliability(
    ...     [(0.05, False), (0.95, True), (1.0, False)], bins=2)]
    [(1, 0.05, 0.0), (2, 0.975, 0.5)]
    """
    counts, confs, hits = [0] * bins, [0.0] * bins, [0] * bins
    for conf, ok in outcomes:
        k = min(bins - 1, max(0, int(conf * bins)))
        counts[k] += 1
        confs[k] += conf
        hits[k] += int(ok)
    return [Bin(k / bins, (k + 1) / bins, n, confs[k] / n if n else 0.0,
                hits[k] / n if n else 0.0) for k, n in enumerate(counts)]


def calibration_error(outcomes: Iterable[tuple[float, bool]], bins: int = 10) -> float:
    """Expected calibration error: the count-weighted mean of |confidence - accuracy| per bin.

    Parameters
    ----------
    outcomes : iterable of (float, bool)
    bins : int

    Returns
    -------
    float
        0 when every bin's mean confidence equals its share of right predictions
        (and for no predictions at all).

    Examples
    --------
    >>> round(calibration_error([(0.9, True), (0.9, False), (0.2, False)], bins=10), 3)
    0.333
    """
    table = reliability(outcomes, bins)
    total = sum(b.count for b in table)
    return sum(b.count * abs(b.confidence - b.accuracy) for b in table) / total if total else 0.0


def reliability_table(report: EvalReport, bins: int = 10) -> str:
    """The reliability table of a report as text, one line per bin, then the ECE.

    Each line: the confidence bin, how many resolved toponyms fall in it, their
    mean confidence, and the share of them within 161 km of the gold point.

    >>> r = EvalReport("toy", outcomes=[(0.95, True), (0.92, True), (0.31, False)])
    >>> print(reliability_table(r, bins=2))
    confidence      n   mean conf  within 161 km
    0.0-0.5         1       0.310          0.000
    0.5-1.0         2       0.935          1.000
    ECE 0.147
    """
    lines = [f"{'confidence':<12}{'n':>5}{'mean conf':>12}{'within 161 km':>15}"]
    for b in report.reliability(bins):
        label = f"{b.low:.1f}-{b.high:.1f}"
        if b.count:
            lines.append(f"{label:<12}{b.count:>5}{b.confidence:>12.3f}{b.accuracy:>15.3f}")
        else:
            lines.append(f"{label:<12}{0:>5}{'-':>12}{'-':>15}")
    lines.append(f"ECE {calibration_error(report.outcomes, bins):.3f}")
    return "\n".join(lines)


def match(gold: Sequence[Span], predicted: Sequence[Span]) -> list[int | None]:
    """Pair each gold span with a predicted one: the exact span, else the first overlapping.

    Each prediction is used at most once, gold spans taking theirs in order.

    Returns
    -------
    list of int or None
        Per gold span, the index of its prediction in ``predicted``, or ``None``.

    Examples
    --------
    >>> match([Span(0, 5), Span(10, 15), Span(20, 25)], [Span(11, 15), Span(0, 5)])
    [1, 0, None]
    """
    used: set[int] = set()
    out: list[int | None] = []
    exact = {(p.start, p.end): k for k, p in reversed(list(enumerate(predicted)))}
    for g in gold:
        found = exact.get((g.start, g.end))
        if found is not None and found in used:
            found = next((k for k, p in enumerate(predicted)
                          if k not in used and (p.start, p.end) == (g.start, g.end)), None)
        if found is None:
            found = next((k for k, p in enumerate(predicted) if k not in used and p.overlaps(g)),
                         None)
        if found is not None:
            used.add(found)
        out.append(found)
    return out


def score(report: EvalReport, gold: Sequence[Span], predicted: Sequence[Span]) -> None:
    """Add one document's gold and predicted spans to ``report``.

    >>> r = EvalReport("toy")
    >>> score(r, [Span(0, 5, 48.85, 2.35), Span(10, 15, 51.5, -0.12)],
    ...       [Span(0, 5, 48.86, 2.35, 0.9), Span(11, 15, 40.0, -3.7, 0.6)])
    >>> r.exact_tp, r.overlap_tp, r.acc161, r.end_to_end, r.outcomes
    (1, 2, 0.5, 0.5, [(0.9, True), (0.6, False)])
    """
    report.documents += 1
    report.gold += len(gold)
    report.predicted += len(predicted)
    exact = {(s.start, s.end) for s in predicted}
    report.exact_tp += sum(1 for g in gold if (g.start, g.end) in exact)
    for g, k in zip(gold, match(gold, predicted), strict=True):
        if g.lat is not None:
            report.gold_with_coords += 1
        if k is None:
            continue
        report.overlap_tp += 1
        p = predicted[k]
        if g.lat is None or g.lon is None:
            continue
        if p.lat is None or p.lon is None:
            err = MAX_KM
        else:
            err = haversine_km(g.lat, g.lon, p.lat, p.lon)
            if p.confidence is not None:
                report.outcomes.append((p.confidence, err <= HIT_KM))
        report.errors_km.append(err)
        if err <= HIT_KM:
            report.end_to_end_hits += 1


def predicted_span(start: int, end: int, place: Place | None) -> Span:
    """The span of a prediction: its place's coordinates and confidence, or none.

    >>> predicted_span(0, 5, None)
    Span(start=0, end=5, lat=None, lon=None, confidence=None)
    """
    if place is None:
        return Span(start, end)
    return Span(start, end, place.lat, place.lon, place.confidence)


def read_corpus(path: str | Path) -> Iterator[tuple[Document, list[Span]]]:
    """Read an evaluation corpus (``../shared/eval`` format) as documents and gold spans."""
    path = Path(path)
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                doc = Document(str(rec["id"]), rec["text"], lang=rec.get("lang"))
                gold = [Span(int(t["start"]), int(t["end"]), t.get("lat"), t.get("lon"))
                        for t in rec.get("toponyms") or ()]
            except (ValueError, KeyError, TypeError) as err:
                raise MalformedJSONLine(
                    f"{path.name} line {n}: not a corpus record ({err}); expected "
                    '{"id", "text", "toponyms": [{"start", "end", "lat", "lon"}]}') from err
            yield doc, gold


def evaluate(
    corpus: str | Path | Iterable[tuple[Document, list[Span]]],
    pipeline: Pipeline,
    *,
    spans: str = "predicted",
    demonyms: bool = False,
    limit: int | None = None,
    name: str | None = None,
) -> EvalReport:
    """Run the pipeline over a corpus and score it.

    ``spans="gold"`` resolves the gold spans (to compare with published
    gold-span figures); ``"predicted"`` recognises from raw text.
    """
    if spans not in SPAN_MODES:
        raise UnknownOption(options_message("span mode", spans, SPAN_MODES))
    label = name or (Path(corpus).stem if isinstance(corpus, (str, Path)) else "corpus")
    items = read_corpus(corpus) if isinstance(corpus, (str, Path)) else corpus
    report = EvalReport(label)
    docs: list[tuple[Document, list[Span]]] = []
    for k, item in enumerate(items):
        if limit is not None and k >= limit:
            break
        docs.append(item)
    gold_by_id = {d.id: g for d, g in docs}
    if spans == "gold":
        for _doc, gold, places in _resolve_gold(docs, pipeline):
            pred = [predicted_span(g.start, g.end, p) for g, p in zip(gold, places, strict=True)]
            score(report, gold, pred)
        return report
    for result in pipeline.process_many(d for d, _ in docs):
        pred = [predicted_span(m.start, m.end, p)
                for m, p in zip(result.mentions, result.places, strict=True)
                if demonyms or m.kind != "demonym"]
        score(report, gold_by_id[result.document.id], pred)
    return report


def _resolve_gold(docs: Sequence[tuple[Document, list[Span]]], pipeline: Pipeline
                  ) -> Iterator[tuple[Document, list[Span], list[Place | None]]]:
    """Resolve the gold spans of each document, with the document as context.

    As in the published gold-span evaluations, the resolver sees the whole
    text: the places geomap recognises itself that overlap no gold span are
    resolved alongside the gold ones (and then dropped), so that a lone gold
    "Madison County" still knows the article names Iowa.
    """
    from .pipeline import find_places_many
    from .recognise import load_pipeline

    by_lang: dict[str, list[tuple[Document, list[Span]]]] = {}
    for doc, gold in docs:
        by_lang.setdefault(pipeline.language_of(doc), []).append((doc, gold))
    for lang, items in by_lang.items():
        nlp = load_pipeline(lang, places_only=True) if pipeline.places_only else load_pipeline(lang)
        parsed = find_places_many([d for d, _ in items], nlp,
                                  pipeline.gazetteer, lang, packs=pipeline.packs)
        for (doc, gold), p in zip(items, parsed, strict=True):
            gold = [g for g in gold if g.end > g.start]
            given = [Mention(g.start, g.end, doc.text[g.start:g.end]) for g in gold]
            context = [m for m in p.mentions
                       if not any(m.start < g.end and g.start < m.end for g in gold)]
            mentions = parent_hints(doc.text, sorted(given + context, key=lambda m: m.start),
                                    lang, pipeline.packs)
            places = resolve(mentions, pipeline.gazetteer, lang=lang)
            at = {(m.start, m.end): pl for m, pl in zip(mentions, places, strict=True)}
            yield doc, gold, [at.get((g.start, g.end)) for g in gold]
