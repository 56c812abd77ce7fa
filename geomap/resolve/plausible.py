"""Plausibility: no point on the wrong continent without evidence for it.

The ranker weighs context, but a lone namesake abroad (a village of the
same name in another country, a tail of a hyphenated name, a word cut out
of a longer name) can still win. After ranking, each chosen reading is
checked against the rest of the document: a reading more than
:data:`FAR_KM` from every other place and outside every country the
document names or implies (a demonym names people, not a place, so it
implies none) needs positive evidence of its own (a parent
named with it, a country or well-known region by its exact name, a
populous town by its own name, a demonym, a pattern's country); otherwise
the best reading in the document's context is taken, or none: no point is
better than a point on the wrong continent.

A partial match (the candidate's name is not the name the mention asked
for: a hyphen's head, a place inside a longer name) never leaves the
document's countries, whatever its population.

A populous town read through another name than its own ("Hanover" for
Hannover) stands on its population alone: in a document whose other places
lie elsewhere, a town of that very name among them wins ("Hanover" with
"Bethel, Vt." is Hanover, New Hampshire), and what the foreign reading
confirmed is judged again without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gazetteer import fold, haversine_km

from ..records import Mention
from .chains import PROMINENT_POPULATION, expand_abbreviation, parent_filter
from .protocol import GazetteerLike

if TYPE_CHECKING:
    from gazetteer import Candidate

    from .rank import Scored

__all__ = ["FAR_KM", "Choice", "evidence", "is_partial", "plausible_choices"]

#: Beyond this distance from every other place of the document (and outside its
#: countries) a reading needs evidence of its own.
FAR_KM = 1000.0
#: How :func:`evidence` names a town's population as its evidence.
_TOWN_EVIDENCE = "a town of"
#: A document whose places lie in more countries than this is about the world: its
#: far places are no outliers.
MAX_CONTEXT_COUNTRIES = 2


@dataclass(frozen=True, slots=True)
class Choice:
    """One mention's ranked readings and the index of the chosen one (``None``: abstain).

    ``fixed``: the reading was settled before ranking (a demonym), not to be checked.
    """

    mention: Mention
    scored: Sequence[Scored]
    pick: int | None
    fixed: bool = False

    @property
    def candidate(self) -> Candidate | None:
        """The chosen reading, or ``None``."""
        return None if self.pick is None else self.scored[self.pick][2]


def _asked(m: Mention, lang: str) -> set[str]:
    names = {fold(m.text)}
    if m.hints.core:
        names.add(fold(m.hints.core))
        # "région de Koursk": the gazetteer's region pattern looks up its bare name.
        names.update(fold(w) for w in [m.hints.core.split()[-1], m.hints.core.split()[0]])
    state = expand_abbreviation(m.text, lang, postal=True)
    if state:
        names.add(fold(state))
    return names


def is_partial(m: Mention, c: Candidate, lang: str) -> bool:
    """Whether candidate ``c`` matched only part of what mention ``m`` names.

    A hyphen's head ("Mogadishu" for "Mogadishu-Karan"), a place inside a longer
    name ("Vancouver" for "Vancouver International Airport"). A region pattern's
    area ("Kursk Oblast" for "région de Koursk") and a country reached by a
    demonym are whole matches.

    Parameters
    ----------
    m : Mention
    c : gazetteer.Candidate
    lang : str

    Returns
    -------
    bool
    """
    if m.kind in {"demonym", "region"} or "region pattern" in (c.reason or ""):
        return False
    return fold(c.matched_name or c.name) not in _asked(m, lang)


def evidence(m: Mention, c: Candidate, cands: Sequence[Scored], gazetteer: GazetteerLike,
             lang: str) -> str | None:
    """The evidence a reading has of its own, whatever the rest of the document says.

    Parameters
    ----------
    m : Mention
    c : gazetteer.Candidate
        The reading.
    cands : sequence of Scored
        All the mention's readings (to tell a unique name from a shared one).
    gazetteer : GazetteerLike
    lang : str

    Returns
    -------
    str or None
        A few words naming the evidence, or ``None`` when it has none.
    """
    inside = parent_filter(m, gazetteer, lang)
    if inside is not None and inside(c):
        return f"inside '{m.hints.parent}'"
    if inside is not None and gazetteer.search(
            (m.hints.parent or "").split(",")[-1].strip(), lang=lang,
            kinds=frozenset({"country", "admin1", "admin2"}), limit=1):
        return None  # a province named with it says otherwise ("Vista, Roraima")
    if m.kind == "region" or m.hints.level in {"admin1", "admin2"}:
        # Named with its type ("Kharkiv region", "Helmand province"): the one area of
        # that name, unless areas abroad share it ("North East region").
        same = [s[2] for s in cands if s[2].kind in {"admin1", "admin2", "region"}
                and s[2].country_code != c.country_code]
        if c.kind in {"admin1", "admin2", "region"} and not same:
            return "an area named with its type"
    if m.hints.country and c.country_code == m.hints.country:
        return f"the text says {m.hints.country}"
    if is_partial(m, c, lang):
        return None
    if c.kind in {"country", "continent"}:
        return "a country by its name"
    if c.kind == "region" and fold(c.matched_name or "") == fold(c.name):
        return "a well-known region by its name"
    # A town far more populous than any namesake abroad (or the area of the same
    # name around it: "Geneva"). An admin area alone is no such evidence: "North
    # East" is a region of Ghana and a district of Botswana.
    towns = [s[2] for s in cands if s[2].kind == "city"
             and fold(s[2].matched_name or s[2].name) == fold(c.matched_name or c.name)]
    town = c if c.kind == "city" else max(
        (t for t in towns if t.country_code == c.country_code and t.admin1 == c.admin1),
        key=lambda t: t.population, default=None)
    if town is not None and town.population >= PROMINENT_POPULATION and not any(
            t.geonameid != town.geonameid and t.population >= town.population / 5
            for t in towns):
        return f"{_TOWN_EVIDENCE} {town.population:,}"
    return None


def _named_area(m: Mention, c: Candidate, cands: Sequence[Scored], lang: str) -> bool:
    """Whether ``c`` is a province named by its own name that no other area shares.

    Such a name tells where the document is, though it is no evidence for a
    reading far from the document's other places.
    """
    if c.kind != "admin1" or is_partial(m, c, lang) or fold(c.matched_name or "") != fold(
            c.name):
        return False
    return not any(s[2].kind in {"admin1", "region", "country"}
                   and s[2].geonameid != c.geonameid for s in cands)


def _fits(c: Candidate, countries: set[str], points: Sequence[tuple[float, float]]) -> bool:
    if not c.country_code or (c.country_code or "") in countries:
        # A region of no one country ("EU", "the Sahel") is judged by no country.
        return True
    return any(haversine_km(c.lat, c.lon, la, lo) <= FAR_KM for la, lo in points)


def _point(c: Candidate) -> tuple[float, float] | None:
    return (c.lat, c.lon) if c.kind in {"city", "admin2", "admin1"} else None


def _local_namesakes(choices: Sequence[Choice], cands: Sequence[Candidate | None],
                     keys: Sequence[str], anchored: Sequence[bool], exonyms: Sequence[bool]
                     ) -> dict[int, tuple[int, str]]:
    """Readings of a populous town through a foreign name that a local namesake beats.

    "Hanover" read as Hannover, in a document whose other places are in Vermont, is
    Hanover, New Hampshire: of that very name, and the nearest to those places.

    Returns
    -------
    dict
        By choice index: the index of the namesake among its readings, and a note.
    """
    out: dict[int, tuple[int, str]] = {}
    for k, ch in enumerate(choices):
        c = cands[k]
        if c is None or not anchored[k] or not exonyms[k]:
            continue
        # Other places, not this one told again ("Hanover Town Hall") nor read alike.
        context = [o for j, o in enumerate(cands) if o is not None and anchored[j]
                   and not exonyms[j] and keys[j] != keys[k] and o.geonameid != c.geonameid
                   and choices[j].mention.kind != "demonym"]
        countries = {o.country_code or "" for o in context} - {""}
        points = [p for o in context if (p := _point(o)) is not None]
        if not countries and not points or _fits(c, countries, points):
            continue
        namesakes = [i for i, s in enumerate(ch.scored) if i != ch.pick
                     and fold(s[2].name) == keys[k] and _fits(s[2], countries, points)]
        if not namesakes:
            continue
        best = min(namesakes, key=lambda i: min(
            (haversine_km(ch.scored[i][2].lat, ch.scored[i][2].lon, *pt) for pt in points),
            default=0.0))
        town = ch.scored[best][2]
        out[k] = (best, f"{town.name} ({town.country_code}), of that very name, in the "
                        f"document's context rather than {c.name} ({c.country_code})")
    return out


def plausible_choices(choices: Sequence[Choice], gazetteer: GazetteerLike, lang: str
                      ) -> list[tuple[Choice, str]]:
    """Check every chosen reading against the rest of the document.

    The document's context is what its readings with evidence say (their
    countries and points), and every reading another one confirms (in the same
    country, or within :data:`FAR_KM`). A document with no such context keeps
    the ranker's choices: there is nothing to judge them against.

    Parameters
    ----------
    choices : sequence of Choice
        One per mention, in the document's order.
    gazetteer : GazetteerLike
    lang : str

    Returns
    -------
    list of (Choice, str)
        The choices, some moved to an in-context reading or to ``None``, each with
        a note for the reason ("" when unchanged).
    """
    cands = [c.candidate for c in choices]
    keys = [fold(c.mention.text) for c in choices]
    proof = [""] * len(choices)  # each reading's evidence of its own
    anchored = [False] * len(choices)
    named = [False] * len(choices)  # a province by its name: context, not immunity
    for k, ch in enumerate(choices):
        c = cands[k]
        if c is None:
            continue
        proof[k] = "" if ch.fixed else evidence(ch.mention, c, ch.scored, gazetteer, lang) or ""
        if ch.fixed or proof[k]:
            anchored[k] = True
            continue
        if _named_area(ch.mention, c, ch.scored, lang):
            named[k] = True
            continue
        for j, other in enumerate(cands):
            if other is None or j == k or keys[j] == keys[k] or is_partial(
                    choices[j].mention, other, lang):
                continue
            p = _point(other)
            if (c.country_code and c.country_code == other.country_code) or (
                    p is not None and _point(c) is not None
                    and haversine_km(c.lat, c.lon, *p) <= FAR_KM):
                anchored[k] = True
                break
    # A town anchored by its population alone, read through another name than its own.
    exonyms = [c is not None and fold(c.name) != keys[k] and proof[k].startswith(_TOWN_EVIDENCE)
               for k, c in enumerate(cands)]
    moved = _local_namesakes(choices, cands, keys, anchored, exonyms)
    if moved:
        # What the old reading confirmed ("Hanover Town Hall") is judged again without it;
        # a moved reading has its very name, so it is not moved twice.
        again = [Choice(ch.mention, ch.scored, moved[k][0]) if k in moved else ch
                 for k, ch in enumerate(choices)]
        return [(ch, note or (moved[k][1] if k in moved else "")) for k, (ch, note) in
                enumerate(plausible_choices(again, gazetteer, lang))]
    # The countries the document's parent chains name plainly ("X, Roraima") are its own
    # too; an ambiguous lone parent ("X (Western)") is no evidence of a country.
    scoped = {scope.country for ch in choices
              if (scope := parent_filter(ch.mention, gazetteer, lang)) is not None
              and scope.strict}
    out: list[tuple[Choice, str]] = []
    for k, ch in enumerate(choices):
        c = cands[k]
        if c is None or anchored[k]:
            out.append((ch, ""))  # evidence of its own, or another place confirms it
            continue
        # A demonym names people, not where things happen: "Russian troops seized
        # Avdiivka" puts no context in Russia. A partial match still needs the
        # document's support, which a demonym's country is not ("Turkish forces
        # struck Chiya-e Gara": not Gara, Hungary).
        partial = is_partial(ch.mention, c, lang)
        others = [j for j in range(len(choices)) if (anchored[j] or named[j])
                  and keys[j] != keys[k] and cands[j] is not None
                  and (partial or choices[j].mention.kind != "demonym")]
        countries = ({cands[j].country_code or "" for j in others}  # type: ignore[union-attr]
                     | scoped) - {""}
        points = [p for j in others if (p := _point(cands[j])) is not None]  # type: ignore[arg-type]
        if not countries and not points or len(countries) > MAX_CONTEXT_COUNTRIES:
            # Nothing to judge it against, or a document about many countries (world
            # news of an epidemic), whose far places are its subject.
            out.append((ch, ""))
            continue
        if _fits(c, countries, points):
            out.append((ch, ""))
            continue
        inside = parent_filter(ch.mention, gazetteer, lang)
        if (not partial and evidence(ch.mention, c, ch.scored, gazetteer, lang)) or (
                inside is not None and inside(c)):
            out.append((ch, ""))
            continue
        # A well-known town of that very name beats the area the ranker took and
        # any namesake in context: "Jerusalem" in a US story is not El Rio, California.
        known = None if partial else next(
            (i for i, s in enumerate(ch.scored) if i != ch.pick and s[2].kind == "city"
             and fold(s[2].name) == fold(ch.mention.text)
             and not is_partial(ch.mention, s[2], lang)
             and evidence(ch.mention, s[2], ch.scored, gazetteer, lang)), None)
        if known is not None:
            town = ch.scored[known][2]
            out.append((Choice(ch.mention, ch.scored, known), (
                f"{town.name} ({town.country_code}), a town of {town.population:,} by that "
                f"name, rather than {c.name} ({c.country_code})")))
            continue
        # In one of the document's countries first, else near one of its places.
        alt = next((i for i, s in enumerate(ch.scored) if i != ch.pick
                    and (s[2].country_code or "") in countries), None)
        if alt is None:
            alt = next((i for i, s in enumerate(ch.scored) if i != ch.pick
                        and _fits(s[2], countries, points)), None)
        if alt is None and named[k]:
            out.append((ch, ""))  # "Texas" with "China": the province, no other reading
            continue
        if alt is not None:
            out.append((Choice(ch.mention, ch.scored, alt), (
                f"the reading in the document's context; {c.name} ({c.country_code}) is far "
                "from its other places")))
        else:
            out.append((Choice(ch.mention, ch.scored, None),
                        f"{c.name} ({c.country_code}) is far from the document's other places "
                        "and has no evidence of its own"))
    return out
