"""How likely a detected event is real: a small logistic model over parse and context evidence.

Detection keeps every event its rules accept; this model says how far to
trust each one. Its evidence is what a reader weighs: the type (a ``said``
is a statement far less often than an ``arrested`` is an arrest), where the
trigger stands (the lede or a quotation, a verb or a noun), whether the
sentence names the place and the date itself or they were carried over,
whether the event has actors, and how often the article tells its type
again. The weights are fitted on hand-coded whole articles (an event is
right when a coder found an event of its family at its place) by
``benchmarks/train_event_scorer.py`` and shipped in
``geomap/data/event_scorer.json``; the probability is the event's confidence.

>>> model = default_model()
>>> 0.0 < model.probability({"bias": 1.0}) < 1.0
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .._io import read_model_json
from ..errors import InvalidRecord
from ..records import DateResolution, Place, Sentence, Token
from ..taxonomy import EVENT_TYPES, FAMILIES, family_of
from .speech import _quoted

__all__ = ["FEATURES", "PLACE_ROUTES", "EventModel", "default_model", "event_features",
           "load_model"]

#: How detection found an event's place: the trigger's own argument, a region
#: an anaphor points back to ("this region"), a place the sentence names outside
#: the clause, one carried over from before, the document's main place, or its
#: country.
PLACE_ROUTES = ("direct", "anaphor", "anchor", "fallback", "focus", "country")

#: The evidence, in the order of the weight vector; ``family=`` and ``type=`` are
#: one-hot (a type's weight says how it differs from its family's).
FEATURES: tuple[str, ...] = (
    "bias",
    *(f"family={f}" for f in FAMILIES),
    *(f"type={t}" for t in EVENT_TYPES),
    *(f"place={r}" for r in PLACE_ROUTES),
    "place_confidence", "place_country", "place_admin", "stand_in",
    "date_own", "date_unresolved",
    "verb", "noun", "root", "infinitive", "gerund", "past", "embedded", "subject", "object",
    "quoted", "lede", "position",
    "actors", "same_type", "others_in_sentence", "length", "fr",
)


#: Dependencies of a clause embedded in another ("asked him to resign", "after
#: meeting friends"), in the universal and spaCy's English labels.
_EMBEDDED = frozenset({"ccomp", "xcomp", "advcl", "acl", "acl:relcl", "relcl", "csubj",
                       "pcomp"})


def _in_quote(sentence: Sentence, trigger: Token) -> bool:
    return any(a <= trigger.idx < b for a, b in _quoted(sentence))


def _deps(sentence: Sentence, trigger: Token) -> set[str]:
    return {t.dep.split(":")[0] for t in sentence.tokens
            if t.head == trigger.i and t is not trigger}


def event_features(etype: str, sentence: Sentence, trigger: Token, place: Place, route: str,
                   date: DateResolution, *, stand_in: bool, actors: int, same_type: int,
                   others: int, lang: str) -> dict[str, float]:
    """Return the evidence for one detected event, by feature name.

    Parameters
    ----------
    etype : str
        The event type.
    sentence, trigger : Sentence, Token
        Where it is told.
    place : Place
        Its place.
    route : str
        How detection found the place, one of :data:`PLACE_ROUTES`.
    date : DateResolution
        Its date.
    stand_in : bool
        The place stands in for one the gazetteer lacks.
    actors : int
        How many actors it names.
    same_type : int
        How many sentences of the document tell an event of this type.
    others : int
        How many other events the sentence tells.
    lang : str
        The document's language.

    Returns
    -------
    dict of str to float
        Only the features that are not zero.
    """
    level = place.level
    deps = _deps(sentence, trigger)
    out = {
        "bias": 1.0,
        f"family={family_of(etype)}": 1.0,
        f"type={etype}": 1.0,
        f"place={route}": 1.0,
        "place_confidence": place.confidence,
        "place_country": float(level == "country"),
        "place_admin": float(level in ("admin1", "admin2", "region")),
        "stand_in": float(stand_in),
        "date_own": float(bool(date.text)),
        "date_unresolved": float(date.date_type == "unresolved"),
        "verb": float(trigger.pos in ("VERB", "AUX")),
        "noun": float(trigger.pos in ("NOUN", "PROPN")),
        "root": float(trigger.dep == "ROOT"),
        "infinitive": float("VerbForm=Inf" in trigger.morph),
        "gerund": float("VerbForm=Ger" in trigger.morph),
        "past": float("Tense=Past" in trigger.morph),
        "embedded": float(trigger.dep in _EMBEDDED),
        "subject": float(bool(deps & {"nsubj", "nsubjpass", "agent"})),
        "object": float(bool(deps & {"obj", "dobj"})),
        "quoted": float(_in_quote(sentence, trigger)),
        "lede": float(sentence.index <= 1),
        "position": math.log1p(sentence.index),
        "actors": float(actors > 0),
        "same_type": math.log(max(1, same_type)),
        "others_in_sentence": float(min(others, 3)),
        "length": math.log1p(len(sentence.tokens)) - 3.0,
        "fr": float(lang == "fr"),
    }
    return {k: v for k, v in out.items() if v}


@dataclass(frozen=True, slots=True)
class EventModel:
    """A logistic model of an event being real.

    Attributes
    ----------
    weights : mapping of str to float
        One weight per feature name of :data:`FEATURES`; a missing one is zero.
    fitted_on : tuple of str
        The corpora it was fitted on.
    """

    weights: Mapping[str, float]
    fitted_on: tuple[str, ...] = field(default=())

    def probability(self, features: Mapping[str, float]) -> float:
        """Return the probability that the event with this evidence is real."""
        z = sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_dict(self) -> dict[str, object]:
        """The JSON form :func:`load_model` reads."""
        return {"model": "logistic", "weights": {k: round(float(v), 4)
                                                 for k, v in self.weights.items()},
                "fitted_on": list(self.fitted_on)}


def load_model(path: str | Path | None = None) -> EventModel:
    """Load an event model: the file at ``path``, or the one the package ships.

    Parameters
    ----------
    path : str or Path, optional
        A JSON file written by ``benchmarks/train_event_scorer.py``.

    Returns
    -------
    EventModel

    Raises
    ------
    InvalidRecord
        The file is not JSON or not an event model, or names a feature that is not
        one of :data:`FEATURES`.
    """
    data, source = read_model_json(path, "data/event_scorer.json", "an event model")
    try:
        if data.get("model") != "logistic":
            raise ValueError(f"model {data.get('model')!r} is not 'logistic'")
        weights = {str(k): float(v) for k, v in dict(data["weights"]).items()}
        fitted = tuple(str(x) for x in data.get("fitted_on") or ())
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise InvalidRecord(f"{source}: not an event model ({err}); expected "
                            '{"model": "logistic", "weights": {feature: weight}}') from err
    unknown = sorted(set(weights) - set(FEATURES))
    if unknown:
        raise InvalidRecord(f"{source}: unknown features {', '.join(unknown)}; "
                            f"valid: {', '.join(FEATURES)}")
    return EventModel(weights, fitted)


@lru_cache(maxsize=1)
def default_model() -> EventModel:
    """The event model the package ships (loaded once per process)."""
    return load_model()
