"""Event confidence that means something: a small learned model over each event's evidence.

Detection gives every event a rule confidence, which barely separates real
events from false ones on whole articles. This stage scores each event of a
document with a logistic model over what the record and its document show:
the type's family, how often the happening is told, where in the article,
whether the sentence is a quotation, how the place and the date were found,
the rule confidence. The weights are data (``geomap/data/event_scorer.json``),
fitted on hand-coded gold events of development articles by
``benchmarks/train_event_scorer.py``, so the score is the estimated chance
that the event is a real one of its family at its place.

>>> from geomap.confidence import feature_names
>>> "told_log" in feature_names()
True
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from .errors import InvalidRecord
from .records import Document, Event
from .taxonomy import FAMILIES, family_of

__all__ = ["EventScorer", "feature_names", "event_features", "load_scorer", "score_events"]

_LEVELS = ("point", "admin2", "region", "admin1", "country")
_QUOTES = re.compile(r"[\"“”«»]")
#: Words of a place choice's reason that say the place was not found with the event
#: (these reasons are geomap's own English, not the document's language).
_FALLBACK = re.compile(r"no place of its own|for want of|fallback|the document's country|"
                       r"told just before|stands in", re.I)


def feature_names() -> tuple[str, ...]:
    """The names of the features, in the order of :func:`event_features`."""
    return (
        "rule_confidence", "told_log", "position", "lede", "quoted", "fallback_place",
        "place_confidence", *(f"level_{lv}" for lv in _LEVELS), "dated", "date_own",
        "date_day", "uncertain", "actors", "coded_actor", "doc_events_log",
        "same_family_log", "sentence_words_log", *(f"family_{f}" for f in FAMILIES),
        "statement",
    )


def event_features(event: Event, document: Document, events: Sequence[Event]
                   ) -> tuple[float, ...]:
    """The evidence of one event of a document, as numbers.

    Parameters
    ----------
    event : Event
        One event of ``events``.
    document : Document
        The document that tells it.
    events : sequence of Event
        Every event of the document (after identity).

    Returns
    -------
    tuple of float
        Aligned with :func:`feature_names`.
    """
    text = document.text
    at = text.find(event.sentence) if event.sentence else -1
    position = at / max(1, len(text)) if at >= 0 else 1.0
    family = family_of(event.type)
    families = Counter(family_of(e.type) for e in events)
    told = event.mention_count
    level = event.place.level
    return (
        event.confidence,
        math.log(told),
        position,
        1.0 if at >= 0 and at < 400 else 0.0,
        1.0 if _QUOTES.search(event.sentence) else 0.0,
        1.0 if _FALLBACK.search(event.reason) else 0.0,
        event.place.confidence,
        *(1.0 if level == lv else 0.0 for lv in _LEVELS),
        1.0 if event.date.start is not None else 0.0,
        1.0 if event.date.text else 0.0,
        1.0 if event.date.granularity == "day" and event.date.start is not None else 0.0,
        0.0 if event.status == "fact" else 1.0,
        1.0 if event.actors else 0.0,
        1.0 if any(":" in a for a in event.actors) else 0.0,
        math.log(len(events)),
        math.log(families[family]),
        math.log(1 + len(event.sentence.split())),
        *(1.0 if family == f else 0.0 for f in FAMILIES),
        1.0 if event.type == "statement" else 0.0,
    )


@dataclass(frozen=True, slots=True)
class EventScorer:
    """A logistic model over :func:`event_features`.

    Attributes
    ----------
    names : tuple of str
        The features it was fitted on, in order.
    weights : tuple of float
        One per feature.
    bias : float
    """

    names: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float

    def __post_init__(self) -> None:
        if self.names != feature_names() or len(self.weights) != len(self.names):
            raise InvalidRecord("the event scorer's features are not this geomap's; retrain "
                                "it with benchmarks/train_event_scorer.py")

    def probability(self, features: Sequence[float]) -> float:
        """The chance that an event with these features is real (0..1)."""
        z = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=1)
def load_scorer() -> EventScorer:
    """The shipped scorer, read once from ``geomap/data/event_scorer.json``."""
    data = json.loads(resources.files("geomap").joinpath("data", "event_scorer.json")
                      .read_text(encoding="utf-8"))
    return EventScorer(tuple(data["names"]), tuple(data["weights"]), float(data["bias"]))


def score_events(events: Sequence[Event], document: Document,
                 scorer: EventScorer | None = None) -> list[Event]:
    """The events of one document with their learned confidence.

    Parameters
    ----------
    events : sequence of Event
        Every event of the document, after identity.
    document : Document
    scorer : EventScorer, optional
        Defaults to the shipped one (:func:`load_scorer`).

    Returns
    -------
    list of Event
        The same events, each with ``confidence`` the model's probability and the
        rule confidence kept in its reason.
    """
    model = scorer or load_scorer()
    out = []
    for e in events:
        p = round(model.probability(event_features(e, document, events)), 4)
        out.append(replace(e, confidence=p,
                           reason=f"{e.reason}; confidence {p:.2f} learned (rule "
                                  f"{e.confidence:.2f})"))
    return out
