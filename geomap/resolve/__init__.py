"""Resolve: mentions to gazetteer places, with the whole document as context.

The stage that owns the gazetteer. :func:`recall` settles what recognition
proposed and adds every gazetteer-backed mention (known names, datelines,
names a parent chain vouches for); :func:`resolve` ranks each mention's
candidates (:mod:`.rank`) and picks one, or none: a mention that matches
nothing well is left unresolved rather than guessed.

Modules: :mod:`.protocol` (the gazetteer as geomap uses it), :mod:`.rules`
(``geomap/lang/<code>/resolve.json``), :mod:`.chains` (parent chains and
their scope), :mod:`.recall`, :mod:`.candidates`, :mod:`.rank`,
:mod:`.plausible` (no reading far from the document's places and countries
without evidence of its own).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gazetteer import fold

from ..records import Alternative, Mention, Place
from .calibration import PlaceCalibration, calibrate_places, default_calibration
from .candidates import ADMIN_KINDS, candidates, country_first, feature_candidates, place_core
from .chains import (
    PROMINENT_POPULATION,
    Scope,
    chain_name,
    chain_scope,
    expand_abbreviation,
    parent_filter,
    parent_hints,
    parent_is_province,
    type_word_core,
)
from .plausible import FAR_KM, Choice, evidence, is_partial, plausible_choices
from .protocol import GazetteerLike
from .rank import FEATURES, WEIGHTS, Scored, county_of, nesting, rank, town_over_its_area
from .recall import KNOWN_NAME_POPULATION, STRONG_POPULATION, lexicon, recall
from .rules import ResolutionRules, resolution_rules

if TYPE_CHECKING:
    from gazetteer import Candidate

__all__ = [
    "resolve", "ResolveOptions", "place_from_candidate", "gather", "GazetteerLike",
    "recall", "lexicon", "parent_hints", "parent_filter", "chain_scope", "chain_name",
    "Scope", "type_word_core", "expand_abbreviation", "place_core", "candidates", "rank",
    "town_over_its_area", "FEATURES", "WEIGHTS", "Scored", "ADMIN_KINDS",
    "STRONG_POPULATION", "KNOWN_NAME_POPULATION", "ResolutionRules", "resolution_rules",
    "feature_candidates", "country_first", "FAR_KM", "Choice", "evidence", "is_partial",
    "plausible_choices",
]

_KIND_FEATURE = {"country": "PCLI", "admin1": "ADM1", "admin2": "ADM2", "continent": "CONT"}


@dataclass(frozen=True, slots=True)
class ResolveOptions:
    """Weights of the context features, the abstention threshold and the confidence map.

    ``calibration`` turns the ranker's probability into a calibrated confidence
    (:mod:`.calibration`); ``None`` keeps the raw probability (to fit a new map).
    """

    country_bonus: float = 0.25
    near_bonus: float = 0.15
    near_km: float = 400.0
    parent_bonus: float = 0.4
    min_score: float = 0.2
    candidates: int = 20
    calibration: PlaceCalibration | None = field(default_factory=default_calibration)


def place_from_candidate(
    cand: Candidate, confidence: float, reason: str, alternatives: Sequence[Candidate] = ()
) -> Place:
    """Build a :class:`~geomap.records.Place` from a gazetteer candidate.

    Parameters
    ----------
    cand : gazetteer.Candidate
        The chosen reading.
    confidence : float
        Clipped to 0..1.
    reason : str
        One line saying why.
    alternatives : sequence of Candidate
        The runners-up (the first three are kept).

    Returns
    -------
    Place
    """
    feature = cand.feature_code or _KIND_FEATURE.get(cand.kind, "PPL")
    return Place(
        geonameid=int(cand.geonameid),
        name=cand.name,
        lat=float(cand.lat),
        lon=float(cand.lon),
        feature=feature,
        country=cand.country_code,
        admin1=cand.admin1,
        population=int(cand.population or 0),
        confidence=max(0.0, min(1.0, confidence)),
        reason=reason,
        alternatives=tuple(
            Alternative(int(a.geonameid), a.name, a.country_code, round(float(a.score), 3))
            for a in alternatives[:3]
        ),
    )


def resolve(
    mentions: Sequence[Mention],
    gazetteer: GazetteerLike,
    *,
    lang: str,
    options: ResolveOptions | None = None,
) -> list[Place | None]:
    """Resolve each mention of one document to a place, or ``None``.

    Parameters
    ----------
    mentions : sequence of Mention
        All mentions of one document (context comes from all of them).
    gazetteer : GazetteerLike
        The local gazetteer.
    lang : str
        The document's language, preferring names tagged with it.
    options : ResolveOptions, optional
        Feature weights.

    Returns
    -------
    list of Place or None
        Aligned with ``mentions``.
    """
    opts = options or ResolveOptions()
    cands, as_demonym = gather(mentions, gazetteer, lang, opts)
    ranked = rank(mentions, cands, as_demonym, gazetteer, lang)
    keys = [fold(m.text) for m in mentions]
    nests = nesting(keys, cands, [m.hints.level == "admin2" for m in mentions])
    choices: list[Choice] = []
    unknown: set[str] = set()  # names the text places where the gazetteer has none of them
    for m, key, cs, dem, scored in zip(mentions, keys, cands, as_demonym, ranked, strict=True):
        if not cs:
            choices.append(Choice(m, (), None))
            continue
        if dem:
            what = "demonym" if m.kind == "demonym" or not m.hints.country else "initialism"
            choices.append(Choice(m, [(0.9, f"{what} '{m.text}' → {cs[0].name} "
                                       f"({cs[0].country_code})", cs[0])], 0, fixed=True))
            continue
        if m.kind != "region" and m.hints.level not in {"admin1", "admin2"}:
            # Named with its type ("Kharkiv and Donetsk regions"), an area is the area.
            scored = town_over_its_area(scored)
        best = scored[0][2]
        if best.score < opts.min_score:
            choices.append(Choice(m, scored, None))  # nothing matches well: abstain
            continue
        inside = parent_filter(m, gazetteer, lang)
        nest = nests[key]
        if (inside is None and nest and county_of(best) not in nest
                and m.kind != "demonym" and best.kind in {"city", "admin2"}):
            # "a Paris man ... Henry County court": the Paris in the Henry County the
            # document names, and that county, over a namesake elsewhere.
            scored = _first_where(scored, _in_counties(nest),
                                  "in a county the document names with it") or scored
            best = scored[0][2]
        if inside is not None and not inside(best) and best.kind in {"city", "admin2"}:
            # "X, A" / "X (A, B)": a namesake elsewhere is not X; the best reading
            # inside, or (the text being plain about it) none.
            moved = _first_where(scored, inside, f"inside '{m.hints.parent}', as the text says")
            # "Vodyane, Donetsk": no Vodyane in the province of Donetsk is known,
            # and a village of the name in another province of that country is not
            # it (a list of two, "Moscow, Kyiv", names two prominent towns, and
            # "Sulphur Springs, Greenville" no province; a reading in another
            # country says the parent was misread, not the place).
            if moved is None and (inside.strict or (
                    best.country_code == inside.country
                    and best.population < PROMINENT_POPULATION
                    and parent_is_province(m, gazetteer, lang, inside.country))):
                choices.append(Choice(m, scored, None))
                unknown.add(key)
                continue
            scored = moved or scored
        choices.append(Choice(m, scored, 0))
    # One name, one place in a document: "near Vodyane, Donetsk", then "near
    # Vodyane" is that unknown village again, not a namesake the gazetteer knows.
    choices = [Choice(ch.mention, ch.scored, None)
               if key in unknown and ch.pick is not None and not ch.mention.hints.parent
               and not ch.fixed else ch
               for ch, key in zip(choices, keys, strict=True)]
    places: list[Place | None] = []
    for ch, note in plausible_choices(choices, gazetteer, lang):
        if ch.pick is None:
            places.append(None)
            continue
        prob, why, best = ch.scored[ch.pick]
        if ch.fixed:
            prob = 0.9
        why = f"{why}; {note}" if note else why
        rest = [s[2] for i, s in enumerate(ch.scored) if i != ch.pick]
        places.append(place_from_candidate(best, prob, why, rest))
    return calibrate_places(mentions, places, opts.calibration)


def _in_counties(counties: frozenset[tuple[str, str, str]]) -> Callable[[Candidate], bool]:
    """Whether a reading lies in one of ``counties`` (see :func:`.rank.nesting`)."""
    return lambda c: county_of(c) in counties


def _first_where(scored: Sequence[Scored], keep: Callable[[Candidate], bool], note: str
                 ) -> list[Scored] | None:
    """``scored`` with its best other reading that ``keep`` accepts first, its reason noted.

    ``None`` when no reading after the first is accepted.
    """
    found = next((sc for sc in scored[1:] if keep(sc[2])), None)
    if found is None:
        return None
    prob, why, c = found
    return [(prob, f"{why}; {note}", c)] + [sc for sc in scored if sc is not found]


def gather(
    mentions: Sequence[Mention], gazetteer: GazetteerLike, lang: str, opts: ResolveOptions
) -> tuple[list[list[Candidate]], list[bool]]:
    """Candidates of every mention, and whether each one reads as a demonym.

    Parameters
    ----------
    mentions : sequence of Mention
    gazetteer : GazetteerLike
    lang : str
    opts : ResolveOptions

    Returns
    -------
    tuple
        ``(candidates per mention, demonym flag per mention)``.
    """
    cands: list[list[Candidate]] = []
    demonyms = gazetteer.demonyms(lang) if lang else {}
    as_demonym: list[bool] = []
    for m in mentions:
        country = m.hints.country if m.kind == "demonym" else None
        if m.hints.level == "feature":
            found = feature_candidates(m, gazetteer, lang, opts.candidates)
        else:
            found = [] if country else candidates(m, gazetteer, lang, opts.candidates)
        if found and m.kind == "toponym" and not m.hints.parent:
            found = country_first(m, found)
        if not found and m.kind != "region":
            # A span given as a toponym that is a demonym ("American", gold spans), or
            # an initialism the pack knows ("UAE"): the country it names.
            country = country or demonyms.get(fold(m.text)) or m.hints.country
        if country and not found:
            c = gazetteer.country(country)
            found = [c] if c else []
        cands.append(found)
        as_demonym.append(bool(country) and bool(found) and found[0].kind == "country"
                          and (m.kind == "demonym" or not found[0].score))
    return cands, as_demonym
