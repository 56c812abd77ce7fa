"""Calibrated place confidence: the ranker's probability mapped to the chance of being right.

The ranker's softmax (:mod:`.rank`) orders a mention's candidates well but
its top probability is not the chance that the chosen place is the right one
(a lone candidate gets 1.0 whatever it is). :class:`PlaceCalibration` maps it,
with a few facts about the mention and the place, to the share of such
places that lie within 161 km of the truth on the development corpora: a
logistic map, increasing in the raw probability, whose coefficients are
stored in ``geomap/data/place_calibration.json`` and refitted by
``benchmarks/fit_place_calibration.py``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from .._io import read_model_json
from ..errors import InvalidRecord
from ..records import Mention, Place

__all__ = ["PlaceCalibration", "CALIBRATION_FEATURES", "SLOPE_GROUPS", "calibration_features",
           "slope_group", "raw_logit",
           "load_calibration", "default_calibration", "calibrate_places"]

#: The features of the map besides the raw probability, in the order of the data file.
CALIBRATION_FEATURES = ("lone", "demonym", "country", "admin", "parent", "population")
#: The groups with a slope of their own (see :func:`slope_group`).
SLOPE_GROUPS = ("other", "country", "admin")

_COUNTRY_FEATURES = frozenset({"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR", "CONT"})
_EPS = 1e-4


def raw_logit(p: float) -> float:
    """The logit of a probability, clipped away from 0 and 1 (a lone candidate's 1.0).

    >>> round(raw_logit(0.5), 3), round(raw_logit(1.0), 2)
    (0.0, 9.21)
    """
    p = min(1.0 - _EPS, max(_EPS, p))
    return math.log(p / (1.0 - p))


def calibration_features(mention: Mention, place: Place) -> dict[str, float]:
    """The facts the calibration reads besides the raw probability.

    Parameters
    ----------
    mention : Mention
        The mention as resolved.
    place : Place
        Its place, with the ranker's raw probability as confidence.

    Returns
    -------
    dict
        One value per name of :data:`CALIBRATION_FEATURES`: ``lone`` (the only
        candidate: its probability of 1.0 says nothing), ``demonym``,
        ``country`` (a country or continent), ``admin`` (an admin area or a
        region), ``parent`` (inside the parent the text names) and
        ``population`` (log10 of the population over 10).
    """
    feature = place.feature
    return {
        "lone": float(not place.alternatives),
        "demonym": float(mention.kind == "demonym"),
        "country": float(feature in _COUNTRY_FEATURES),
        "admin": float(feature.startswith("ADM") or feature in {"RGN", "RGNE", "AREA"}
                       or mention.kind == "region"),
        "parent": float("inside '" in place.reason),
        "population": math.log10(max(0, place.population) + 1) / 10,
    }


def slope_group(features: Mapping[str, float]) -> str:
    """Which slope of the map applies: ``"country"``, ``"admin"`` or ``"other"``."""
    if features.get("country"):
        return "country"
    return "admin" if features.get("admin") else "other"


@dataclass(frozen=True, slots=True)
class PlaceCalibration:
    """A logistic map from the ranker's raw probability to a calibrated confidence.

    ``confidence = sigmoid(slope[g] * logit(raw) + intercept + sum(weights[f] * x_f))``
    where ``g`` is the place's :func:`slope_group` and the logit counts 0 for
    a lone candidate (whose 1.0 says nothing; its ``lone`` weight speaks).
    Every slope is at least 0, so that, everything else equal, a higher raw
    probability never gets a lower confidence.

    Attributes
    ----------
    slopes : mapping of str to float
        Weight of the raw probability's logit per name of :data:`SLOPE_GROUPS`.
    intercept : float
    weights : mapping of str to float
        Per name of :data:`CALIBRATION_FEATURES`.
    fitted_on : tuple of str
        The corpora it was fitted on (for the record).

    Examples
    --------
    >>> c = PlaceCalibration({"other": 1.0}, 0.0, {})
    >>> round(c.confidence(0.8, {}), 3)
    0.8
    """

    slopes: Mapping[str, float]
    intercept: float
    weights: Mapping[str, float] = field(default_factory=dict)
    fitted_on: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Refuse a decreasing map and groups or features it does not know."""
        for group, slope in self.slopes.items():
            if not slope >= 0:
                raise InvalidRecord(f"place calibration slope {slope} of '{group}' is negative; "
                                    "the map must increase with the raw probability")
        for what, names, known in (("slope groups", self.slopes, SLOPE_GROUPS),
                                   ("features", self.weights, CALIBRATION_FEATURES)):
            unknown = sorted(set(names) - set(known))
            if unknown:
                raise InvalidRecord(f"place calibration {what} {unknown} are unknown; options "
                                    f"are: {', '.join(known)}")

    def confidence(self, raw: float, features: Mapping[str, float]) -> float:
        """The calibrated confidence of a place with raw probability ``raw``.

        Parameters
        ----------
        raw : float
            The ranker's probability, in [0, 1].
        features : mapping of str to float
            See :func:`calibration_features` (missing ones count 0).

        Returns
        -------
        float
            In (0, 1).
        """
        lg = 0.0 if features.get("lone") else raw_logit(raw)
        z = self.slopes.get(slope_group(features), 0.0) * lg + self.intercept + sum(
            w * features.get(name, 0.0) for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def as_dict(self) -> dict[str, Any]:
        """The map as the data file stores it."""
        return {"model": "logistic",
                "slopes": {g: self.slopes.get(g, 0.0) for g in SLOPE_GROUPS},
                "intercept": self.intercept,
                "weights": {n: self.weights.get(n, 0.0) for n in CALIBRATION_FEATURES},
                "fitted_on": list(self.fitted_on)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "calibration") -> PlaceCalibration:
        """Read a map written by :meth:`as_dict`.

        Raises
        ------
        InvalidRecord
            When ``data`` is not such a map; the message names ``source``.
        """
        try:
            if data.get("model") != "logistic":
                raise ValueError(f"model {data.get('model')!r} is not 'logistic'")
            return cls({str(k): float(v) for k, v in dict(data["slopes"]).items()},
                       float(data["intercept"]),
                       {str(k): float(v) for k, v in dict(data.get("weights") or {}).items()},
                       tuple(str(x) for x in data.get("fitted_on") or ()))
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise InvalidRecord(f"{source}: not a place calibration ({err}); expected "
                                '{"model": "logistic", "slopes", "intercept", "weights"}') from err


def load_calibration(path: str | Path | None = None) -> PlaceCalibration:
    """Load a calibration map: the file at ``path``, or the one the package ships.

    Parameters
    ----------
    path : str or Path, optional
        A JSON file written by ``benchmarks/fit_place_calibration.py``.

    Returns
    -------
    PlaceCalibration
    """
    data, source = read_model_json(path, "data/place_calibration.json")
    return PlaceCalibration.from_dict(data, source)


@lru_cache(maxsize=1)
def default_calibration() -> PlaceCalibration:
    """The calibration map the package ships (loaded once per process)."""
    return load_calibration()


def calibrate_places(mentions: Sequence[Mention], places: Sequence[Place | None],
                     calibration: PlaceCalibration | None) -> list[Place | None]:
    """Replace each place's raw probability by its calibrated confidence.

    The reason gains what the place won over: its runner-up, or that it was
    the only candidate.

    Parameters
    ----------
    mentions : sequence of Mention
    places : sequence of Place or None
        Aligned with ``mentions``, confidences as the ranker gave them.
    calibration : PlaceCalibration or None
        ``None`` keeps the raw probabilities (to fit a new map).

    Returns
    -------
    list of Place or None
    """
    if calibration is None:
        return list(places)
    out: list[Place | None] = []
    for m, p in zip(mentions, places, strict=True):
        if p is None:
            out.append(None)
            continue
        conf = round(calibration.confidence(p.confidence, calibration_features(m, p)), 4)
        out.append(replace(p, confidence=conf, reason=p.reason + _rivals(m, p)))
    return out


def _rivals(mention: Mention, place: Place) -> str:
    """What the place won over, for its reason: the runner-up, or no rival at all."""
    if mention.kind == "demonym":
        return ""
    if not place.alternatives:
        return "; the only candidate"
    best = place.alternatives[0]
    return f"; ahead of {best.name} ({best.country or '?'})"
