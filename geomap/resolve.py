"""Resolve mentions to gazetteer places, using the whole document as context.

Ranking starts from the gazetteer's own score (name match, language,
population, feature type) and adds what the document says: the countries it
names (explicitly or by demonyms), the other places it names (spatial
coherence), and parent hints ("Paris, Texas", "région russe de Koursk").
A mention that matches nothing well is left unresolved rather than guessed.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

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
    candidates: int = 20


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


_ADMIN_KINDS = frozenset({"country", "admin1", "admin2", "region"})


def _glued(mention: Mention) -> bool:
    """Whether the mention's core is its text less a type word ("Lahore city" → "Lahore")."""
    core, text = mention.hints.core, mention.text
    return bool(mention.kind == "toponym" and core and fold(core) != fold(text)
                and (text.startswith(core) or text.endswith(core))
                and not any(ch in text for ch in ",()"))


def _query(mention: Mention) -> tuple[str, frozenset[str] | None]:
    hints = mention.hints
    if mention.kind == "region" and hints.core:
        return hints.core, frozenset({hints.level or "admin1", "admin1", "admin2", "region"})
    if hints.core and not _glued(mention):
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
    level = mention.hints.level
    found: list[Candidate] = []
    parent = (mention.hints.parent or "").split(",")[0].strip()
    if mention.kind == "toponym" and parent and fold(parent) == fold(name):
        # "Oaxaca, Oaxaca", "Bamako (Bamako)": the town named after its area.
        found = gazetteer.search(name, lang=lang, country=country, kinds=frozenset({"city"}),
                                 limit=opts.candidates)
    elif mention.kind == "toponym" and level in {"admin1", "admin2"} and not _glued(mention):
        # A piece of a parent chain ("X (A, B)"), or a name with a type word: the
        # admin area of that name before a town of the same name.
        found = gazetteer.search(name, lang=lang, country=country, kinds=_ADMIN_KINDS,
                                 limit=opts.candidates)
    if not found:
        found = gazetteer.search(name, lang=lang, country=country, kinds=kinds,
                                 limit=opts.candidates)
    if not found and mention.kind == "region":
        # "région de Koursk": the gazetteer maps the pattern itself (city → its admin-1).
        found = gazetteer.search(mention.text, lang=lang, country=country,
                                 limit=opts.candidates)
        if not found and country:
            found = gazetteer.search(mention.text, lang=lang, limit=opts.candidates)
    if not found and country:
        found = gazetteer.search(name, lang=lang, limit=opts.candidates)
    if not found and _glued(mention):
        # "Lahore city", "Saladin province": the bare name, at the level the word says.
        bare = mention.hints.core or ""
        if level in {"admin1", "admin2"}:
            found = gazetteer.search(bare, lang=lang, country=country, kinds=_ADMIN_KINDS,
                                     limit=opts.candidates)
        if not found:
            found = gazetteer.search(bare, lang=lang, country=country, limit=opts.candidates)
        name = bare
    core = place_core(name)
    if not found and mention.kind == "region" and mention.hints.core:
        # "Durayhimi district": the name without its region word, an area first.
        head, _, word = mention.hints.core.rpartition(" ")
        if head and word[:1].islower():
            found = gazetteer.search(head, lang=lang, country=country, kinds=_ADMIN_KINDS,
                                     limit=opts.candidates) or gazetteer.search(
                head, lang=lang, country=country, limit=opts.candidates)
            name = head
        core = place_core(mention.hints.core) or _hyphen_head(name)
    elif mention.kind == "region":
        core = None
    for _ in range(3):  # "West Virginia Democratic Party" → "Virginia Democratic Party" → ...
        if found or not core:
            break
        found = gazetteer.search(core, lang=lang, country=country, limit=opts.candidates)
        core = place_core(core)
    if not found and _hyphen_head(name):
        # "Mogadishu-Karan": a quarter written after its city, the city.
        found = gazetteer.search(_hyphen_head(name) or "", lang=lang, country=country,
                                 kinds=frozenset({"city"}), limit=opts.candidates)
    inside = _parent_filter(mention, gazetteer, lang) if found else None
    if inside is not None and not country and not any(inside(c) for c in found):
        # "Santa Rosa, Canelones": a common name's namesakes may crowd out the one
        # inside the parent; look there too.
        kinds = frozenset({"city", "admin2"}) if _town_first(mention, name) else kinds
        more = [c for c in gazetteer.search(name, lang=lang, country=inside.country,
                                            kinds=kinds, limit=opts.candidates)
                if inside(c)]
        found = more + found
    return found


def _town_first(mention: Mention, name: str) -> bool:
    parent = (mention.hints.parent or "").split(",")[0].strip()
    return mention.kind == "toponym" and bool(parent) and fold(parent) == fold(name)


def _hyphen_head(name: str) -> str | None:
    """"Mogadishu-Karan" → "Mogadishu": a capitalised head before a capitalised tail."""
    head, sep, tail = name.partition("-")
    if sep and len(head) > 2 and head[:1].isupper() and tail[:1].isupper() and " " not in head:
        return head
    return None


_DIRECTION = re.compile(
    r"^(?:(?:North|South|East|West|Central|Northern|Southern|Eastern|Western|"
    r"Northeast|Northwest|Southeast|Southwest|North-East|North-West|South-East|South-West|"
    r"Upper|Lower|Greater|Downtown|Metro|Nord|Sud|Est|Ouest)\s+)(?P<core>\S.*)$")
_CONTAINER_WORDS = re.compile(
    r"^(?P<core>.+?)\s+(?:(?:International\s+)?Airport|Civic\s+Center|Town\s+Hall|City\s+Hall|"
    r"City\s+Council|Village|Township|Twp\.?|State|Metro(?:politan)?\s+Area|Area|Region|"
    r"Water\s+District|School\s+District|Downtown|Harbor|Harbour|Port)\b.*$")
_TOWN_OF = re.compile(r"^(?:Town|City|Village|Township|Borough|Port)\s+of\s+(?P<core>\S.*)$")


def place_core(name: str) -> str | None:
    """The place inside a longer name, to resolve it when the whole is unknown.

    A direction or an extent before it ("North Texas", "Greater Manchester"),
    a facility or a body after it ("Vancouver International Airport", "Mount
    Pleasant Town Hall"), "Town of Groton", or the first of a hyphenated pair
    ("Paris-Henry County"). ``None`` when nothing can be taken off.

    >>> place_core("Northeast Georgia"), place_core("Vancouver International Airport")
    ('Georgia', 'Vancouver')
    >>> place_core("Town of Groton"), place_core("Paris-Henry County"), place_core("Kyiv")
    ('Groton', 'Paris', None)
    """
    for rx in (_DIRECTION, _TOWN_OF, _CONTAINER_WORDS):
        m = rx.match(name)
        if m and m.group("core").strip():
            return m.group("core").strip()
    head = _hyphen_head(name)
    return head if head and " " in name.partition("-")[2] else None


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
    cands, as_demonym = _gather(mentions, gazetteer, lang, opts)
    ranked = _rank(mentions, cands, as_demonym, gazetteer, lang, opts)
    places: list[Place | None] = []
    for m, cs, dem, scored in zip(mentions, cands, as_demonym, ranked, strict=True):
        if not cs:
            places.append(None)
            continue
        if dem:
            places.append(place_from_candidate(
                cs[0], 0.9, f"demonym '{m.text}' → {cs[0].name} ({cs[0].country_code})"))
            continue
        if m.kind != "region":
            scored = _town_over_its_area(scored)
        prob, why, best = scored[0]
        if best.score < opts.min_score:
            places.append(None)  # nothing matches well: abstain rather than guess
            continue
        inside = _parent_filter(m, gazetteer, lang)
        if inside is not None and not inside(best) and best.kind in {"city", "admin2"}:
            # "X, A" / "X (A, B)": a namesake elsewhere is not X; the best reading
            # inside, or (the text being plain about it) none.
            within = [s for s in scored[1:] if inside(s[2])]
            if not within and inside.strict:
                places.append(None)
                continue
            if not within:
                places.append(place_from_candidate(best, prob, why, [s[2] for s in scored[1:]]))
                continue
            prob, why, best = within[0]
            why = f"{why}; inside '{m.hints.parent}', as the text says"
            scored = [within[0]] + [s for s in scored if s is not within[0]]
        places.append(place_from_candidate(best, prob, why, [s[2] for s in scored[1:]]))
    return places


def _gather(
    mentions: Sequence[Mention], gazetteer: Gazetteer, lang: str | None, opts: ResolveOptions
) -> tuple[list[list[Candidate]], list[bool]]:
    """Candidates of every mention, and whether each one reads as a demonym."""
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

    return cands, as_demonym


def _town_over_its_area(scored: list[tuple[float, str, Candidate]]
                        ) -> list[tuple[float, str, Candidate]]:
    """A bare town name means the town, not the province named after it.

    "Kharkiv" matches both the city and Kharkivska oblast (through a short form
    of the oblast's name); without a region word ("oblast", "région de") the
    text names the city. An area reached by its own full name ("New York",
    "Georgia") is left alone, unless a national capital has that very name
    ("Washington") and the document's other places do not make the area far
    likelier (the capital's probability at least 1/50 of the area's).
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


def _features(c: Candidate, cs: Sequence[Candidate], ctx: _Context, parent_ok: Any
              ) -> dict[str, float]:
    """The ranking features of candidate ``c`` among ``cs`` given the document context."""
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


def _rank(
    mentions: Sequence[Mention],
    cands: Sequence[Sequence[Candidate]],
    as_demonym: Sequence[bool],
    gazetteer: Gazetteer,
    lang: str | None,
    opts: ResolveOptions,
    weights: dict[str, float] | None = None,
    trace: list[list[tuple[dict[str, float], Candidate]]] | None = None,
) -> list[list[tuple[float, str, Candidate]]]:
    """Score every candidate of every mention in two passes.

    The first pass reads the context from each mention's best gazetteer
    candidate, the second from the first pass's choices. A mention never
    votes for itself: votes from mentions with the same name are left out, so
    ten "Georgia" do not outvote one "Atlanta".
    """
    w = weights or WEIGHTS
    keys = [fold(m.text) for m in mentions]
    parents = [_parent_filter(m, gazetteer, lang) for m in mentions]
    picks: list[tuple[str, Candidate, bool] | None] = [
        (k, cs[0], m.kind != "demonym") if cs else None
        for k, m, cs in zip(keys, mentions, cands, strict=True)]
    out: list[list[tuple[float, str, Candidate]]] = []
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
            scored = []
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


@dataclass(frozen=True)
class _Inside:
    """Predicate "candidate lies in the parent the text names" (country, admin-1).

    ``strict``: a chain of two or more pieces, each inside the next ("X (A
    district, B province)"): the text says plainly where X is, so a namesake
    outside is no reading of X at all.
    """

    country: str
    admin1: str | None
    strict: bool

    def __call__(self, c: Candidate) -> bool:
        return c.country_code == self.country and (self.admin1 is None
                                                    or c.admin1 == self.admin1)


@functools.lru_cache(maxsize=4096)  # asked for while gathering, ranking and choosing
def _parent_filter(m: Mention, gazetteer: Gazetteer, lang: str | None) -> _Inside | None:
    """A predicate "candidate lies in the parent the text names", or None.

    The parent hint is a chain, innermost first ("Chikun, Kaduna"). Each
    piece is looked up among countries and admin areas, outermost first, each
    inner one inside the outer; the deepest country or admin-1 reached is the
    parent. A piece found only outside the outer ones makes the chain a list
    ("Paris, London, Berlin"): then only the first piece is the parent.
    """
    parent = m.hints.parent
    if not parent:
        return None
    pieces = [p.strip() for p in parent.split(",") if p.strip()]
    scope: tuple[str, str | None] | None = None
    nested = len(pieces) > 1
    for piece in reversed(pieces):
        found = gazetteer.search(piece, lang=lang, kinds={"country", "admin1", "admin2"},
                                 limit=5) or gazetteer.search(piece, lang=lang, kinds={"city"},
                                                              limit=5)
        if scope is not None and found:
            inside = [f for f in found if f.country_code == scope[0]
                      and (scope[1] is None or f.admin1 == scope[1])]
            if not inside:
                return _parent_filter(_first_parent(m, pieces[0]), gazetteer, lang) \
                    if len(pieces) > 1 else None
            found = inside
        if not found or not found[0].country_code:
            nested = False
            continue
        # A country or province before a district of the same name ("Durango").
        p = min(found, key=lambda f: (f.kind == "admin2" or f.kind == "city", -f.score))
        scope = (p.country_code or "", None if p.kind == "country" else p.admin1)
    if scope is None:
        return None
    # "Durango, Durango": a town named after its province is no list of two places.
    same = fold(pieces[0]) == fold(m.hints.core or m.text)
    return _Inside(scope[0], scope[1], nested or same)


def _first_parent(m: Mention, piece: str) -> Mention:
    return Mention(m.start, m.end, m.text, m.kind, m.sentence,
                   replace(m.hints, parent=piece))
