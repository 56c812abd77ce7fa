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

__all__ = ["Span", "EvalReport", "score", "evaluate", "read_corpus", "SPAN_MODES", "MAX_KM"]

SPAN_MODES = ("predicted", "gold")
#: Half the Earth's circumference: the largest possible error, used for AUC and misses.
MAX_KM = 20039.0


@dataclass(frozen=True, slots=True)
class Span:
    """A toponym span with its coordinates (``None`` when unresolved or unknown)."""

    start: int
    end: int
    lat: float | None = None
    lon: float | None = None

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
        return sum(1 for x in e if x <= 161.0) / len(e) if e else 0.0

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

    def as_dict(self) -> dict[str, Any]:
        """Every metric by name (counts, P/R/F1, acc@161, km errors, AUC, end to end)."""
        out = asdict(self)
        out.pop("errors_km")
        ep, er, ef = self.exact
        op, orr, of = self.overlap
        out.update(exact_p=ep, exact_r=er, exact_f1=ef, overlap_p=op, overlap_r=orr,
                   overlap_f1=of, resolved=len(self.errors_km), acc161=self.acc161,
                   mean_km=self.mean_km, median_km=self.median_km, auc=self.auc,
                   end_to_end_acc161=self.end_to_end)
        return out


def score(report: EvalReport, gold: Sequence[Span], predicted: Sequence[Span]) -> None:
    """Add one document's gold and predicted spans to ``report``.

    >>> r = EvalReport("toy")
    >>> score(r, [Span(0, 5, 48.85, 2.35), Span(10, 15, 51.5, -0.12)],
    ...       [Span(0, 5, 48.86, 2.35), Span(11, 15, 40.0, -3.7)])
    >>> r.exact_tp, r.overlap_tp, r.acc161, r.end_to_end
    (1, 2, 0.5, 0.5)
    """
    report.documents += 1
    report.gold += len(gold)
    report.predicted += len(predicted)
    exact = {(s.start, s.end) for s in predicted}
    report.exact_tp += sum(1 for g in gold if (g.start, g.end) in exact)
    used: set[int] = set()
    for g in gold:
        if g.lat is not None:
            report.gold_with_coords += 1
        match = None
        # Prefer the exact span, then the first overlapping unused prediction.
        for k, p in enumerate(predicted):
            if k not in used and (p.start, p.end) == (g.start, g.end):
                match = k
                break
        if match is None:
            match = next((k for k, p in enumerate(predicted) if k not in used and p.overlaps(g)),
                         None)
        if match is None:
            continue
        used.add(match)
        report.overlap_tp += 1
        p = predicted[match]
        if g.lat is None or g.lon is None:
            continue
        if p.lat is None or p.lon is None:
            err = MAX_KM
        else:
            err = haversine_km(g.lat, g.lon, p.lat, p.lon)
        report.errors_km.append(err)
        if err <= 161.0:
            report.end_to_end_hits += 1


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
            pred = [Span(g.start, g.end, p.lat if p else None, p.lon if p else None)
                    for g, p in zip(gold, places, strict=True)]
            score(report, gold, pred)
        return report
    for result in pipeline.process_many(d for d, _ in docs):
        pred = [Span(m.start, m.end, p.lat if p else None, p.lon if p else None)
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
        parsed = find_places_many([d for d, _ in items], load_pipeline(lang),
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
