"""Resolve mentions to gazetteer places, using the whole document as context.

Ranking starts from the gazetteer's own score (name match, language,
population, feature type) and adds what the document says: the countries it
names (explicitly or by demonyms), the other places it names (spatial
coherence), and parent hints ("Paris, Texas", "région russe de Koursk").
A mention that matches nothing well is left unresolved rather than guessed.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .records import Alternative, Mention, Place

if TYPE_CHECKING:
    from gazetteer import Candidate, Gazetteer

__all__ = ["resolve", "ResolveOptions", "place_from_candidate", "haversine_km"]

_KIND_FEATURE = {"country": "PCLI", "admin1": "ADM1", "admin2": "ADM2", "continent": "CONT"}


@dataclass(frozen=True, slots=True)
class ResolveOptions:
    """Weights of the context features and the abstention threshold."""

    country_bonus: float = 0.25
    near_bonus: float = 0.15
    near_km: float = 400.0
    parent_bonus: float = 0.4
    min_score: float = 0.2
    candidates: int = 12


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres.

    >>> round(haversine_km(48.8566, 2.3522, 51.5074, -0.1278))
    344
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(a)))


def place_from_candidate(
    cand: Candidate, confidence: float, reason: str, alternatives: Sequence[Candidate] = ()
) -> Place:
    """Build a :class:`Place` from a gazetteer candidate."""
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


def _query(mention: Mention) -> tuple[str, frozenset[str] | None]:
    hints = mention.hints
    if mention.kind == "region" and hints.core:
        return hints.core, frozenset({hints.level or "admin1", "admin1", "admin2", "region"})
    return mention.text, None


def _candidates(
    mention: Mention, gazetteer: Gazetteer, lang: str | None, opts: ResolveOptions
) -> list[Candidate]:
    name, kinds = _query(mention)
    country = mention.hints.country
    found = gazetteer.search(name, lang=lang, country=country, kinds=kinds, limit=opts.candidates)
    if not found and mention.kind == "region":
        # "région de Koursk": the gazetteer maps the pattern itself (city → its admin-1).
        found = gazetteer.search(mention.text, lang=lang, country=country,
                                 limit=opts.candidates)
        if not found and country:
            found = gazetteer.search(mention.text, lang=lang, limit=opts.candidates)
    if not found and country:
        found = gazetteer.search(name, lang=lang, limit=opts.candidates)
    return found


def resolve(
    mentions: Sequence[Mention],
    gazetteer: Gazetteer,
    *,
    lang: str | None = None,
    options: ResolveOptions | None = None,
) -> list[Place | None]:
    """Resolve each mention of one document to a place, or ``None``.

    Parameters
    ----------
    mentions : sequence of Mention
        All mentions of one document (context comes from all of them).
    gazetteer : gazetteer.Gazetteer
        The local gazetteer.
    lang : str, optional
        The document's language, preferring names tagged with it.
    options : ResolveOptions, optional
        Feature weights.

    Returns
    -------
    list of Place or None
        Aligned with ``mentions``.
    """
    opts = options or ResolveOptions()
    cands: list[list[Candidate]] = []
    for m in mentions:
        if m.kind == "demonym" and m.hints.country:
            c = gazetteer.country(m.hints.country)
            cands.append([c] if c else [])
        else:
            cands.append(_candidates(m, gazetteer, lang, opts))

    # Context from the first pass: countries named (by name or demonym) and
    # the confident first choices.
    countries: Counter[str] = Counter()
    anchors: list[Candidate] = []
    for m, cs in zip(mentions, cands):
        if not cs:
            continue
        top = cs[0]
        if top.kind == "country" and top.country_code:
            countries[top.country_code] += 2
        elif m.hints.country:
            countries[m.hints.country] += 2
        if top.country_code and (len(cs) == 1 or cs[0].score - cs[1].score > 0.15):
            countries[top.country_code] += 1
            if top.kind not in {"country", "continent"}:
                anchors.append(top)

    places: list[Place | None] = []
    for m, cs in zip(mentions, cands):
        if not cs:
            places.append(None)
            continue
        if m.kind == "demonym":
            places.append(place_from_candidate(
                cs[0], 0.9, f"demonym '{m.text}' → {cs[0].name} ({cs[0].country_code})"))
            continue
        parent_ok = _parent_filter(m, gazetteer, lang)
        scored: list[tuple[float, str, Candidate]] = []
        total = sum(countries.values()) or 1
        for c in cs:
            score = float(c.score)
            why = [c.reason or f"name match {c.score:.2f}"]
            if c.country_code and countries.get(c.country_code):
                bonus = opts.country_bonus * min(1.0, countries[c.country_code] / total * 2)
                score += bonus
                why.append(f"document names {c.country_code}")
            near = [a for a in anchors if a.geonameid != c.geonameid
                    and haversine_km(a.lat, a.lon, c.lat, c.lon) < opts.near_km]
            if near:
                score += opts.near_bonus
                why.append(f"near {near[0].name}")
            if parent_ok is not None and parent_ok(c):
                score += opts.parent_bonus
                why.append(f"inside '{m.hints.parent}'")
            scored.append((score, "; ".join(why), c))
        scored.sort(key=lambda t: -t[0])
        best_score, why, best = scored[0]
        if best_score < opts.min_score:
            places.append(None)
            continue
        runner = scored[1][0] if len(scored) > 1 else 0.0
        margin = best_score - runner
        confidence = min(1.0, 0.5 * min(1.0, best_score) + 0.5 * min(1.0, margin * 2 + 0.3))
        places.append(place_from_candidate(best, confidence, why, [s[2] for s in scored[1:]]))
    return places


def _parent_filter(m: Mention, gazetteer: Gazetteer, lang: str | None):  # type: ignore[no-untyped-def]
    """A predicate "candidate lies in the parent the text names", or None."""
    parent = m.hints.parent
    if not parent or m.kind == "region":
        return None
    found = gazetteer.search(parent, lang=lang, kinds={"country", "admin1", "admin2"}, limit=3)
    if not found:
        return None
    p = found[0]
    if p.kind == "country":
        return lambda c: c.country_code == p.country_code
    return lambda c: c.country_code == p.country_code and c.admin1 == p.admin1
