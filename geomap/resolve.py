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

from gazetteer import fold

from .records import Alternative, Mention, Place

if TYPE_CHECKING:
    from gazetteer import Candidate, Gazetteer

__all__ = ["resolve", "ResolveOptions", "place_from_candidate", "haversine_km",
           "US_STATE_ABBREVIATIONS", "expand_abbreviation"]

_KIND_FEATURE = {"country": "PCLI", "admin1": "ADM1", "admin2": "ADM2", "continent": "CONT"}

#: US state abbreviations as news copy writes them (AP style, with their
#: periods) and as postal codes; the gazetteer itself only knows the dotted
#: forms that cannot be read as a word ("W.Va.", "Ga."), so "Ind." or "Pa."
#: are expanded here, where the period is still visible.
US_STATE_ABBREVIATIONS: dict[str, str] = {
    "Ala.": "Alabama", "Ariz.": "Arizona", "Ark.": "Arkansas", "Calif.": "California",
    "Cal.": "California", "Colo.": "Colorado", "Conn.": "Connecticut", "Del.": "Delaware",
    "Fla.": "Florida", "Ga.": "Georgia", "Ill.": "Illinois", "Ind.": "Indiana",
    "Kan.": "Kansas", "Kans.": "Kansas", "Ky.": "Kentucky", "La.": "Louisiana",
    "Md.": "Maryland", "Mass.": "Massachusetts", "Mich.": "Michigan", "Minn.": "Minnesota",
    "Miss.": "Mississippi", "Mo.": "Missouri", "Mont.": "Montana", "Neb.": "Nebraska",
    "Nebr.": "Nebraska", "Nev.": "Nevada", "N.H.": "New Hampshire", "N.J.": "New Jersey",
    "N.M.": "New Mexico", "N.Y.": "New York", "N.C.": "North Carolina",
    "N.D.": "North Dakota", "Okla.": "Oklahoma", "Ore.": "Oregon", "Oreg.": "Oregon",
    "Pa.": "Pennsylvania", "Penn.": "Pennsylvania", "R.I.": "Rhode Island",
    "S.C.": "South Carolina", "S.D.": "South Dakota", "Tenn.": "Tennessee", "Tex.": "Texas",
    "Vt.": "Vermont", "Va.": "Virginia", "Wash.": "Washington", "W.Va.": "West Virginia",
    "W.V.": "West Virginia", "Wis.": "Wisconsin", "Wisc.": "Wisconsin", "Wyo.": "Wyoming",
    "D.C.": "District of Columbia",
}
_POSTAL = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
    "WY": "Wyoming", "DC": "District of Columbia",
}
_ABBREV_KEYS = {k.replace(" ", ""): v for k, v in US_STATE_ABBREVIATIONS.items()}


def expand_abbreviation(text: str, *, postal: bool = False) -> str | None:
    """The US state a dotted abbreviation (or, with ``postal``, a postal code) names.

    >>> expand_abbreviation("W. Va."), expand_abbreviation("Ind."), expand_abbreviation("Ind")
    ('West Virginia', 'Indiana', None)
    >>> expand_abbreviation("OH", postal=True)
    'Ohio'
    """
    key = text.replace(" ", "")
    if key in _ABBREV_KEYS:
        return _ABBREV_KEYS[key]
    return _POSTAL.get(key) if postal else None


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
    if hints.core:
        return hints.core, None
    state = expand_abbreviation(mention.text)
    if state:
        return state, frozenset({"admin1"})
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
    demonyms = gazetteer.demonyms(lang) if lang else {}
    as_demonym: list[bool] = []
    for m in mentions:
        country = m.hints.country if m.kind == "demonym" else None
        found = [] if country else _candidates(m, gazetteer, lang, opts)
        if not found and m.kind != "region":
            # A span given as a toponym that is a demonym ("American", gold spans):
            # the country it names.
            country = country or demonyms.get(fold(m.text))
        if country and not found:
            c = gazetteer.country(country)
            found = [c] if c else []
        cands.append(found)
        as_demonym.append(bool(country) and bool(found) and found[0].kind == "country"
                          and (m.kind == "demonym" or not found[0].score))

    # Context from the first pass: countries named (by name or demonym) and
    # the confident first choices.
    countries: Counter[str] = Counter()
    anchors: list[Candidate] = []
    for m, cs in zip(mentions, cands, strict=True):
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
    for m, cs, dem in zip(mentions, cands, as_demonym, strict=True):
        if not cs:
            places.append(None)
            continue
        if dem:
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
