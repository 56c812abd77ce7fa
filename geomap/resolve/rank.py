"""Ranking: score each mention's candidates with the whole document as context.

A conditional logit over each mention's candidates; its features are the
gazetteer's own score, population and feature type, and what the rest of the
document says (its countries and admin-1 areas, explicit or by demonyms, the
distance to its other places, parent hints). The weights are learnt by
``benchmarks/train_ranker.py``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gazetteer import fold, haversine_km

from ..records import Mention
from .chains import parent_filter
from .protocol import GazetteerLike

if TYPE_CHECKING:
    from gazetteer import Candidate

__all__ = ["FEATURES", "WEIGHTS", "Scored", "county_of", "nesting", "rank",
           "town_over_its_area"]

#: One ranked reading: probability, one-line reason, the candidate.
Scored = tuple[float, str, "Candidate"]

#: Weights of the candidate features, learnt by ``benchmarks/train_ranker.py``
#: (a conditional logit over each mention's candidates) on LGL and GeoVirus.
FEATURES = ("gazetteer", "population", "country", "admin1", "admin2", "region", "primary",
            "doc_country", "named_country", "doc_admin1", "named_admin1", "near",
            "near_50", "parent", "most_populous")
WEIGHTS: dict[str, float] = {
    "gazetteer": 1.706, "population": 3.437, "country": 1.686, "admin1": 1.531,
    "admin2": -0.299, "region": 0.16, "primary": 2.171, "doc_country": 1.55,
    "named_country": 0.891, "doc_admin1": 2.161, "named_admin1": 1.973, "near": 1.907,
    "near_50": 1.756, "parent": 0.812, "most_populous": 0.761,
}


@dataclass
class _Context:
    """What the rest of the document says: its countries, admin-1 areas and points."""

    countries: Counter[str]
    named_countries: set[str]
    admin1s: Counter[tuple[str, str]]
    named_admin1s: set[tuple[str, str]]
    points: list[tuple[float, float]]


def _context(picks: Sequence[tuple[str, Candidate, bool]]) -> _Context:
    ctx = _Context(Counter(), set(), Counter(), set(), [])
    for _, c, explicit in picks:
        if not c.country_code:
            continue
        ctx.countries[c.country_code] += 1
        if c.kind == "country":
            ctx.named_countries.add(c.country_code)
            continue
        if c.admin1:
            ctx.admin1s[(c.country_code, c.admin1)] += 1
            if c.kind == "admin1" and explicit:
                ctx.named_admin1s.add((c.country_code, c.admin1))
        if c.kind in {"city", "admin2"}:
            ctx.points.append((c.lat, c.lon))
    return ctx


def _features(c: Candidate, cs: Sequence[Candidate], ctx: _Context,
              parent_ok: Callable[[Candidate], bool] | None) -> dict[str, float]:
    """Compute the ranking features of candidate ``c`` among ``cs`` in the document context."""
    total = sum(ctx.countries.values())
    a1_total = sum(ctx.admin1s.values())
    a1 = (c.country_code or "", c.admin1 or "")
    dmin = min((haversine_km(c.lat, c.lon, la, lo) for la, lo in ctx.points), default=None)
    pop = max(0, int(c.population or 0))
    return {
        "gazetteer": float(c.score),
        "population": math.log10(pop + 1) / 10,
        "country": float(c.kind in {"country", "continent"}),
        "admin1": float(c.kind == "admin1"),
        "admin2": float(c.kind == "admin2"),
        "region": float(c.kind == "region"),
        "primary": float(fold(c.matched_name or c.name) == fold(c.name)),
        "doc_country": ctx.countries.get(c.country_code or "", 0) / total if total else 0.0,
        "named_country": float((c.country_code or "") in ctx.named_countries),
        "doc_admin1": (ctx.admin1s.get(a1, 0) if c.admin1 else sum(
            v for (cc, _), v in ctx.admin1s.items() if cc == c.country_code
        ) if c.kind == "country" else 0) / a1_total if a1_total else 0.0,
        "named_admin1": float(a1 in ctx.named_admin1s and c.kind != "admin1"),
        "near": 0.0 if dmin is None else 1.0 - math.log1p(dmin) / math.log1p(20000.0),
        "near_50": float(dmin is not None and dmin < 50.0),
        "parent": float(parent_ok is not None and bool(parent_ok(c))),
        "most_populous": float(pop > 0 and pop >= max(int(x.population or 0) for x in cs)),
    }


def county_of(c: Candidate) -> tuple[str, str, str] | None:
    """The county of a town or a county reading, as codes; None without them."""
    if c.kind in {"city", "admin2"} and c.country_code and c.admin1 and c.admin2:
        return (c.country_code, c.admin1, c.admin2)
    return None


def nesting(keys: Sequence[str], cands: Sequence[Sequence[Candidate]],
            counties_named: Sequence[bool]) -> dict[str, frozenset[tuple[str, str, str]]]:
    """Per mention name, the counties where one of its readings and another name's nest.

    "A Paris man ... Henry County General Sessions Court": of the many Parises
    and Henry Counties, Paris, Tennessee lies in Henry County, Tennessee, so
    each is the other's parent evidence. A town and a county nest; two towns
    or two counties do not, and a county only when the text names it as one
    ("Henry County", "le comté de Henry"): "Bristol" alone is not Bristol County.

    Parameters
    ----------
    keys : sequence of str
        Each mention's folded name.
    cands : sequence of sequence of Candidate
        Each mention's candidates.
    counties_named : sequence of bool
        Whether each mention names a county as one (its type word says so).

    Returns
    -------
    dict of str to frozenset of (str, str, str)
        Country, admin-1 and admin-2 codes; empty when nothing nests.
    """
    Reading = tuple[str, str, str, str]  # country, admin-1, admin-2 codes and folded name
    towns: dict[str, set[Reading]] = {}
    counties: dict[str, set[Reading]] = {}
    for k, cs, county in zip(keys, cands, counties_named, strict=True):
        for c in cs:
            key = county_of(c)
            if key is not None and (c.kind == "city" or county):
                (towns if c.kind == "city" else counties).setdefault(k, set()).add(
                    (*key, fold(c.name)))
    out: dict[str, frozenset[tuple[str, str, str]]] = {}
    for k in set(keys):
        # Another name's readings; "Paris City Hall" read as the département of Paris
        # is Paris again, not a county it lies in: the two names must differ.
        other_towns = set().union(*(v for n, v in towns.items() if n != k))
        other_counties = set().union(*(v for n, v in counties.items() if n != k))
        found = {p[:3] for p in towns.get(k, set()) for q in other_counties
                 if p[:3] == q[:3] and p[3] != q[3]}
        found |= {p[:3] for p in counties.get(k, set()) for q in other_towns
                  if p[:3] == q[:3] and p[3] != q[3]}
        out[k] = frozenset(found)
    return out


def rank(
    mentions: Sequence[Mention],
    cands: Sequence[Sequence[Candidate]],
    as_demonym: Sequence[bool],
    gazetteer: GazetteerLike,
    lang: str,
    weights: dict[str, float] | None = None,
    trace: list[list[tuple[dict[str, float], Candidate]]] | None = None,
) -> list[list[Scored]]:
    """Score every candidate of every mention in two passes.

    The first pass reads the context from each mention's best gazetteer
    candidate, the second from the first pass's choices. A mention never
    votes for itself: votes from mentions with the same name are left out, so
    ten "Georgia" do not outvote one "Atlanta".

    Parameters
    ----------
    mentions : sequence of Mention
        All mentions of one document.
    cands : sequence of sequence of Candidate
        Each mention's candidates.
    as_demonym : sequence of bool
        Whether each mention reads as a demonym (its country, not ranked).
    gazetteer : GazetteerLike
    lang : str
    weights : dict, optional
        Feature weights (default :data:`WEIGHTS`).
    trace : list, optional
        Filled with each mention's ``(features, candidate)`` pairs of the second pass.

    Returns
    -------
    list of list of Scored
        Per mention, its candidates best first.
    """
    w = weights or WEIGHTS
    keys = [fold(m.text) for m in mentions]
    parents = [parent_filter(m, gazetteer, lang) for m in mentions]
    picks: list[tuple[str, Candidate, bool] | None] = [
        (k, cs[0], m.kind != "demonym") if cs else None
        for k, m, cs in zip(keys, mentions, cands, strict=True)]
    out: list[list[Scored]] = []
    for round_ in range(2):
        out = []
        contexts: dict[str, _Context] = {}
        for k, m, cs, dem, parent_ok in zip(keys, mentions, cands, as_demonym, parents,
                                             strict=True):
            if not cs or dem:
                out.append([(1.0, "", c) for c in cs])
                if trace is not None and round_ == 1:
                    trace.append([])
                continue
            if k not in contexts:
                contexts[k] = _context([p for p in picks if p is not None and p[0] != k])
            ctx = contexts[k]
            raw = []
            for c in cs:
                f = _features(c, cs, ctx, parent_ok)
                raw.append((sum(w.get(n, 0.0) * v for n, v in f.items()), f, c))
            if trace is not None and round_ == 1:
                trace.append([(f, c) for _, f, c in raw])
            top = max(r[0] for r in raw)
            z = sum(math.exp(r[0] - top) for r in raw)
            scored: list[Scored] = []
            for v, f, c in sorted(raw, key=lambda r: -r[0]):
                scored.append((math.exp(v - top) / z, _why(c, f, m), c))
            out.append(scored)
        picks = [(k, sc[0][2], m.kind != "demonym") if sc else None
                 for k, m, sc in zip(keys, mentions, out, strict=True)]
    return out


def _why(c: Candidate, f: dict[str, float], m: Mention) -> str:
    why = [c.reason or f"name match {c.score:.2f}"]
    if f["doc_country"] >= 0.3:
        why.append(f"document names {c.country_code}")
    if f["doc_admin1"] >= 0.3 or f["named_admin1"]:
        why.append(f"document names places in {c.country_code}-{c.admin1}")
    if f["near_50"]:
        why.append("near the document's other places")
    if f["parent"]:
        why.append(f"inside '{m.hints.parent}'")
    return "; ".join(why)


def town_over_its_area(scored: list[Scored]) -> list[Scored]:
    """Put the town first: a bare town name means the town, not the province named after it.

    "Kharkiv" matches both the city and Kharkivska oblast (through a short form
    of the oblast's name); without a region word ("oblast", "région de") the
    text names the city. An area reached by its own full name ("New York",
    "Georgia") is left alone, unless a national capital has that very name
    ("Washington") and the document's other places do not make the area far
    likelier (the capital's probability at least 1/50 of the area's).

    Parameters
    ----------
    scored : list of Scored
        One mention's ranked candidates.

    Returns
    -------
    list of Scored
        Reordered when the town (or the capital) should come first.
    """
    if not scored:
        return scored
    prob, why, top = scored[0]
    if top.kind == "admin1":
        # "Washington": the capital rather than the state of the same name.
        for k, (p2, why2, c) in enumerate(scored[1:], 1):
            if (c.feature_code == "PPLC" and c.country_code == top.country_code
                    and fold(c.name) == fold(top.name) and p2 >= prob / 50):
                capital = (max(prob, p2), f"{why2}; the capital, not the {top.kind} of that name",
                           c)
                return [capital] + [s for j, s in enumerate(scored) if j != k]
    if top.kind not in {"admin1", "admin2"} or fold(top.matched_name or "") == fold(top.name):
        return scored
    for k, (p2, why2, c) in enumerate(scored[1:], 1):
        if (c.kind == "city" and c.country_code == top.country_code and c.admin1 == top.admin1
                and fold(c.matched_name or c.name) == fold(top.matched_name or top.name)):
            town = (max(prob, p2), f"{why2}; the town, not the {top.kind} named after it", c)
            return [town] + [s for j, s in enumerate(scored) if j != k]
    return scored
