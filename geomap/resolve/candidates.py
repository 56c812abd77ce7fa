"""The candidates of one mention: what to look up, and where to look when that fails."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gazetteer import fold

from ..records import Mention
from .chains import expand_abbreviation, parent_filter
from .protocol import GazetteerLike
from .rules import resolution_rules

if TYPE_CHECKING:
    from gazetteer import Candidate

__all__ = ["candidates", "place_core", "ADMIN_KINDS", "feature_candidates", "country_first"]

#: A feature named after a town this populous ("Donetsk Regional Hospital") is in it.
FEATURE_CITY_POPULATION = 500_000

#: A town of a country's name at least this populous is left to the ranker ("Lebanon",
#: Pennsylvania); a smaller one ("China", Maine) never beats the country.
COUNTRY_OVER_TOWN_POPULATION = 5_000

#: The kinds of an administrative area (or a named region).
ADMIN_KINDS = frozenset({"country", "admin1", "admin2", "region"})


def _glued(mention: Mention) -> bool:
    """Whether the mention's core is its text less a type word ("Lahore city" → "Lahore")."""
    core, text = mention.hints.core, mention.text
    return bool(mention.kind == "toponym" and core and fold(core) != fold(text)
                and (text.startswith(core) or text.endswith(core))
                and not any(ch in text for ch in ",()"))


def _query(mention: Mention, lang: str) -> tuple[str, frozenset[str] | None]:
    hints = mention.hints
    if mention.kind == "region" and hints.core:
        return hints.core, frozenset({hints.level or "admin1", "admin1", "admin2", "region"})
    if hints.core and not _glued(mention):
        return hints.core, None
    state = expand_abbreviation(mention.text, lang)
    if state:
        return state, frozenset({"admin1"})
    return mention.text, None


def candidates(mention: Mention, gazetteer: GazetteerLike, lang: str, limit: int
               ) -> list[Candidate]:
    """Return the gazetteer's readings of one mention, best first.

    Parameters
    ----------
    mention : Mention
    gazetteer : GazetteerLike
    lang : str
        The document's language.
    limit : int
        Candidates per lookup.

    Returns
    -------
    list of Candidate
    """
    name, kinds = _query(mention, lang)
    country = mention.hints.country
    level = mention.hints.level
    found: list[Candidate] = []
    parent = (mention.hints.parent or "").split(",")[0].strip()
    if mention.kind == "toponym" and parent and fold(parent) == fold(name):
        # "Oaxaca, Oaxaca", "Bamako (Bamako)": the town named after its area.
        found = gazetteer.search(name, lang=lang, country=country, kinds=frozenset({"city"}),
                                 limit=limit)
    elif mention.kind == "toponym" and level in {"admin1", "admin2"} and not _glued(mention):
        # A piece of a parent chain ("X (A, B)"), or a name with a type word: the
        # admin area of that name before a town of the same name.
        found = gazetteer.search(name, lang=lang, country=country, kinds=ADMIN_KINDS,
                                 limit=limit)
    if not found:
        found = gazetteer.search(name, lang=lang, country=country, kinds=kinds, limit=limit)
    if not found and mention.kind == "region":
        # "région de Koursk": the gazetteer maps the pattern itself (city → its admin-1).
        found = gazetteer.search(mention.text, lang=lang, country=country, limit=limit)
        if not found and country:
            found = gazetteer.search(mention.text, lang=lang, limit=limit)
    if not found and country:
        found = gazetteer.search(name, lang=lang, limit=limit)
    if not found and _glued(mention):
        # "Lahore city", "Saladin province": the bare name, at the level the word says.
        bare = mention.hints.core or ""
        if level in {"admin1", "admin2"}:
            found = gazetteer.search(bare, lang=lang, country=country, kinds=ADMIN_KINDS,
                                     limit=limit)
        if not found:
            found = gazetteer.search(bare, lang=lang, country=country, limit=limit)
        name = bare
    core = place_core(name, lang)
    if not found and mention.kind == "region" and mention.hints.core:
        # "Durayhimi district": the name without its region word, an area first.
        head, _, word = mention.hints.core.rpartition(" ")
        if head and word[:1].islower():
            found = gazetteer.search(head, lang=lang, country=country, kinds=ADMIN_KINDS,
                                     limit=limit) or gazetteer.search(
                head, lang=lang, country=country, limit=limit)
            name = head
        core = place_core(mention.hints.core, lang) or _hyphen_head(name)
    elif mention.kind == "region":
        core = None
    for _ in range(3):  # "West Virginia Democratic Party" → "Virginia Democratic Party" → ...
        if found or not core:
            break
        found = gazetteer.search(core, lang=lang, country=country, limit=limit)
        core = place_core(core, lang)
    if not found and _hyphen_head(name):
        # "Mogadishu-Karan": a quarter written after its city, the city.
        found = gazetteer.search(_hyphen_head(name) or "", lang=lang, country=country,
                                 kinds=frozenset({"city"}), limit=limit)
    inside = parent_filter(mention, gazetteer, lang) if found else None
    if inside is not None and not country and not any(inside(c) for c in found):
        # "Santa Rosa, Canelones": a common name's namesakes may crowd out the one
        # inside the parent; look there too.
        kinds = frozenset({"city", "admin2"}) if _town_first(mention, name) else kinds
        more = [c for c in gazetteer.search(name, lang=lang, country=inside.country,
                                            kinds=kinds, limit=limit)
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


def place_core(name: str, lang: str, packs: tuple[str, ...] = ()) -> str | None:
    """Return the place inside a longer name, to resolve it when the whole is unknown.

    A direction or an extent before it ("North Texas", "Greater Manchester"),
    a facility or a body after it ("Vancouver International Airport", "Mount
    Pleasant Town Hall"), "Town of Groton", or the first of a hyphenated pair
    ("Paris-Henry County"). ``None`` when nothing can be taken off. The words
    are the pack's ``direction_words``, ``container_words`` and ``town_of_words``.

    Parameters
    ----------
    name : str
    lang : str
    packs : tuple of str

    Returns
    -------
    str or None

    Examples
    --------
    >>> place_core("Northeast Georgia", "en"), place_core("Vancouver International Airport", "en")
    ('Georgia', 'Vancouver')
    >>> place_core("Town of Groton", "en"), place_core("Paris-Henry County", "en")
    ('Groton', 'Paris')
    >>> place_core("Kyiv", "en") is None
    True
    """
    rules = resolution_rules(lang, packs)
    for rx in (rules.direction, rules.town_of, rules.container):
        m = rx.match(name) if rx is not None else None
        if m and m.group("core").strip():
            return m.group("core").strip()
    head = _hyphen_head(name)
    return head if head and " " in name.partition("-")[2] else None


def feature_candidates(mention: Mention, gazetteer: GazetteerLike, lang: str, limit: int
                       ) -> list[Candidate]:
    """Readings of a name with a feature word ("Freedom Square", "place de la Liberté").

    Never a town that happens to bear the name ("White House", Tennessee): only
    readings that are no populated place, and the city named with it (its
    parent: "au cœur de Kharkiv"), where the feature is placed. A feature
    whose parent is given and that the gazetteer knows inside that parent
    ("White House, Tennessee") is that place.

    Parameters
    ----------
    mention : Mention
        A mention with level ``"feature"``.
    gazetteer : GazetteerLike
    lang : str
    limit : int

    Returns
    -------
    list of Candidate
    """
    whole = gazetteer.search(mention.text, lang=lang, limit=limit)
    if not mention.hints.parent:
        # A town of that name only when it is a large one ("College Station"), not
        # "White House", Tennessee for the White House.
        found = [c for c in whole if c.kind != "city" or (
            c.population >= 100_000 and fold(c.matched_name or "") == fold(c.name))]
        words = mention.text.split()
        for n in range(len(words) - 1, 0, -1):
            if found:
                break
            # "Donetsk Regional Hospital": a feature named after a large city is in it
            # (a small town's name is too often a word: "Independence Square").
            found = [c for c in gazetteer.search(" ".join(words[:n]), lang=lang,
                                                 kinds=frozenset({"city"}), limit=3)
                     if c.population >= FEATURE_CITY_POPULATION][:1]
        return found
    inside = parent_filter(mention, gazetteer, lang)
    named = [c for c in whole if inside is not None and inside(c)]
    if named:
        return named
    parent = mention.hints.parent.split(",")[0].strip()
    return (gazetteer.search(parent, lang=lang, kinds=frozenset({"city"}), limit=limit)
            or gazetteer.search(parent, lang=lang, limit=limit))


def country_first(mention: Mention, found: list[Candidate]) -> list[Candidate]:
    """An exact country name is the country, not a town of that name ("China", Maine).

    A province of the same name ("Georgia") or a town of some size ("Lebanon",
    Pennsylvania) is left to the ranker; a parent hint ("China, Texas") is read by
    the caller, which does not ask for this.

    Parameters
    ----------
    mention : Mention
    found : list of Candidate

    Returns
    -------
    list of Candidate
        The country alone when it is such a name, else ``found`` unchanged.
    """
    key = fold(mention.hints.core or mention.text)
    country = next((c for c in found if c.kind == "country"
                    and fold(c.matched_name or "") == key), None)
    if country is None or any(
            (c.kind in {"admin1", "region"} or (
                c.kind == "city" and c.population >= COUNTRY_OVER_TOWN_POPULATION))
            and fold(c.matched_name or c.name) == key for c in found):
        # A province of that name, or a real town ("Lebanon", Pennsylvania, in local
        # news): the ranker weighs the document.
        return found
    return [country]
