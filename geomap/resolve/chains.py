"""Parent chains and type words: "Paris, Texas", "X (A district, B)", "Chikun LGA".

Reading a chain off the text needs no gazetteer (:func:`parent_hints`);
placing it does (:func:`chain_scope`), and that one function serves both
the recall of names a chain vouches for and the ranking of candidates.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from gazetteer import fold

from ..records import Mention
from .protocol import GazetteerLike
from .rules import ResolutionRules, resolution_rules

if TYPE_CHECKING:
    from gazetteer import Candidate

__all__ = ["PROMINENT_POPULATION", "Scope", "chain_scope", "parent_filter", "parent_hints",
           "parent_is_province",
           "type_word_core", "chain_name", "expand_abbreviation"]

#: A town at least this populous is a prominent reading of its name.
PROMINENT_POPULATION = 100_000


def expand_abbreviation(text: str, lang: str, *, postal: bool = False,
                        packs: tuple[str, ...] = ()) -> str | None:
    """Return the US state a dotted abbreviation (or, with ``postal``, a postal code) names.

    The table is the ``state_abbreviations`` / ``postal_codes`` of the
    language's ``resolve.json`` (empty in French).

    Parameters
    ----------
    text : str
    lang : str
    postal : bool
        Also read two-letter postal codes.
    packs : tuple of str
        Opt-in packs.

    Returns
    -------
    str or None

    Examples
    --------
    >>> expand_abbreviation("W. Va.", "en"), expand_abbreviation("Ind.", "en")
    ('West Virginia', 'Indiana')
    >>> expand_abbreviation("Ind", "en"), expand_abbreviation("OH", "en", postal=True)
    (None, 'Ohio')
    """
    rules = resolution_rules(lang, packs)
    key = text.replace(" ", "")
    if key in rules.abbreviations:
        return rules.abbreviations[key]
    return rules.postal.get(key) if postal else None


def type_word_core(name: str, lang: str, packs: tuple[str, ...] = ()
                   ) -> tuple[str, str | None] | None:
    """Return the bare name and the level of a name carrying an administrative type word.

    Parameters
    ----------
    name : str
    lang : str
    packs : tuple of str

    Returns
    -------
    tuple or None
        ``(core, level)``; level ``None`` for a town word ("city").

    Examples
    --------
    >>> type_word_core("Chikun LGA", "en"), type_word_core("Saladin province", "en")
    (('Chikun', 'admin2'), ('Saladin', 'admin1'))
    >>> type_word_core("Lahore city", "en"), type_word_core("cercle de Gao", "fr")
    (('Lahore', None), ('Gao', 'admin2'))
    >>> type_word_core("Gao", "fr") is None
    True
    """
    rules = resolution_rules(lang, packs)
    name = name.strip()
    for rx in (rules.type_after, rules.type_before):
        m = rx.match(name)
        if m and m.group("core").strip() and m.group("core")[:1].isupper():
            return m.group("core").strip(), rules.admin_words[m.group("word").lower()]
    return None


def chain_name(piece: str, lang: str, packs: tuple[str, ...] = ()) -> str | None:
    """Return a piece of a parent chain without its type word; ``None`` if not a name.

    >>> chain_name("Bagrami district", "en"), chain_name("12 km", "en")
    ('Bagrami', None)
    """
    piece = piece.strip(" .;")
    core = type_word_core(piece, lang, packs)
    name = core[0] if core else piece
    if len(name) < 2 or not name[:1].isupper() or any(ch.isdigit() for ch in name):
        return None
    return name


def _parent_chain(text: str, a: Mention, mentions: Sequence[Mention], rules: ResolutionRules,
                  packs: tuple[str, ...]) -> tuple[str, ...]:
    """Return the containing places written right after mention ``a``, innermost first.

    "X (Chikun LGA, Kaduna)" gives ("Chikun", "Kaduna"); "X, Bagrami district,
    Kabul" gives ("Bagrami", "Kabul"). In a comma chain every piece must be a
    mention or carry a type word, so a list of towns ("X, Y and Z") is not
    read as a chain beyond the first piece, which is the old "Paris, Texas" rule.
    """
    lang = rules.lang
    rest = text[a.end:a.end + 200]
    m = rules.bracket_chain.match(rest)
    if m and _initialism_of(m.group("chain").strip(), a.text, rules):
        return ()  # "Émirats arabes unis (EAU)": the name again, no parent
    if m:
        names = [chain_name(p, lang, packs) for p in m.group("chain").split(",")]
        if names and all(names) and len(names) <= 3:
            return tuple(n for n in names if n)
        return ()
    chain: list[str] = []
    at = a.end
    starts = {b.start: b for b in mentions if b.kind != "demonym"}
    while len(chain) < 3:
        sep = re.match(r",\s*", text[at:at + 4])
        if not sep:
            break
        at += sep.end()
        b = starts.get(at)
        name: str | None
        if b is not None and b.kind == "region":
            # "X, région de Y" / "X, Y Oblast": the region pattern's bare name.
            whole = b.hints.core or b.text
            chain.append((type_word_core(whole, lang, packs) or (whole, None))[0])
            at = b.end
            continue
        pm = rules.chain_piece.match(text, at)
        if not pm:
            break
        piece = pm.group("piece")
        typed = type_word_core(piece, lang, packs)
        if b is not None and b.kind == "toponym" and not typed:
            name = b.hints.core or expand_abbreviation(b.text, lang, packs=packs) or b.text
            at = b.end
        elif typed or (b is not None and chain):
            name = chain_name(piece, lang, packs)
            at = pm.end()
        else:
            break
        if not name:
            break
        chain.append(name)
    return tuple(chain)


def _initialism_of(piece: str, name: str, rules: ResolutionRules) -> bool:
    """Whether a bracketed ``piece`` is the initialism of ``name`` ("UAE", "EAU")."""
    if not piece.isupper() or not piece.isalpha():
        return False
    initials = "".join(w[0] for w in re.split(r"[\s'’-]+", name) if w).upper()
    big = "".join(w[0] for w in re.split(r"[\s'’-]+", name) if len(w) > 3).upper()
    return piece in rules.initialisms or piece in {initials, big}


def parent_hints(text: str, mentions: Sequence[Mention], lang: str,
                 packs: tuple[str, ...] = ()) -> list[Mention]:
    """Mark parent chains and type words on the mentions of one text.

    "X, Y", "X (Y)", "X (A district, B)": the chain is a parent hint of X
    (innermost first, comma-separated), and each piece stays a mention
    itself. A name glued to a type word ("Chikun LGA", "Lahore city") gets
    the bare name as its ``core`` and, for an admin word, the ``level``. A
    single mention holding a chain ("Nis, Serbia") is split the same way.

    Parameters
    ----------
    text : str
        The document text.
    mentions : sequence of Mention
        Its mentions, sorted by position.
    lang : str
    packs : tuple of str

    Returns
    -------
    list of Mention
        The same mentions, hints filled in.
    """
    rules = resolution_rules(lang, packs)
    out = list(mentions)
    for k, a in enumerate(out):
        hints = a.hints
        if a.kind not in {"toponym", "region"}:
            continue
        if a.kind == "toponym" and not hints.core:
            inner = re.match(r"^(?P<x>[^,()]+?)\s*(?:,\s*(?P<c>[^()]+)|\((?P<b>[^()]+)\)?)$",
                             a.text)
            if inner:
                pieces = [chain_name(p, lang, packs)
                          for p in (inner.group("c") or inner.group("b")).split(",")]
                if pieces and all(pieces):
                    parent = ", ".join(p for p in pieces if p)
                    hints = dataclasses.replace(hints, core=inner.group("x").strip(),
                                                parent=parent)
            typed = type_word_core(hints.core or a.text, lang, packs)
            if typed:
                hints = dataclasses.replace(hints, core=typed[0], level=typed[1] or hints.level)
        if a.kind == "toponym" or hints.core:
            chain = _parent_chain(text, a, out, rules, packs)
            if chain and not hints.parent:
                hints = dataclasses.replace(hints, parent=", ".join(chain))
        if hints is not a.hints:
            out[k] = Mention(a.start, a.end, a.text, a.kind, a.sentence, hints)
    return out


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a parent chain puts a place: a country and maybe an admin-1.

    Called on a candidate, says whether it lies there. ``strict``: a chain of
    two or more pieces, each inside the next ("X (A district, B province)"),
    or a town named after its area ("Durango, Durango"): the text says plainly
    where the place is, so a namesake outside is no reading of it at all.
    """

    country: str
    admin1: str | None
    strict: bool = False

    def __call__(self, c: Candidate) -> bool:
        """Whether candidate ``c`` lies in this scope."""
        return c.country_code == self.country and (self.admin1 is None or c.admin1 == self.admin1)


@lru_cache(maxsize=4096)  # asked for while recalling, gathering, ranking and choosing
def chain_scope(gazetteer: GazetteerLike, pieces: tuple[str, ...], lang: str | None
                ) -> Scope | None:
    """Return the country and admin-1 a chain of names (innermost first) places one in.

    Each piece is looked up among countries and admin areas (else towns,
    whose admin-1 counts), outermost first, each inner one inside the outer;
    the deepest country or admin-1 reached is the scope. Where an outer piece
    has readings in several places ("Nord-Ouest" of Haiti and of Cameroon),
    the one the inner pieces lie in is taken. A piece found only outside the
    outer ones makes the chain a list ("Paris, London, Berlin"): then only the
    first piece counts.

    Parameters
    ----------
    gazetteer : GazetteerLike
    pieces : tuple of str
        The chain, innermost first.
    lang : str or None
        The document's language.

    Returns
    -------
    Scope or None
        ``strict`` when every piece was found inside the next.
    """
    found = _descend(gazetteer, tuple(reversed(pieces)), None, len(pieces) > 1, lang)
    if found is None:
        return chain_scope(gazetteer, pieces[:1], lang) if len(pieces) > 1 else None
    scope, nested = found
    return None if scope is None else Scope(scope.country, scope.admin1, nested)


def parent_is_province(m: Mention, gazetteer: GazetteerLike, lang: str | None,
                       country: str) -> bool:
    """Whether ``m``'s parent hint is one piece that is the very name of a province of ``country``.

    "Vodyane, Donetsk": Donetsk is a province of Ukraine (and its big town). In
    "Sulphur Springs, Greenville" Greenville names towns and counties, no
    province: a list of two towns as likely as a town and its parent.

    Parameters
    ----------
    m : Mention
    gazetteer : GazetteerLike
    lang : str or None
    country : str
        ISO 3166-1 alpha-2 code.

    Returns
    -------
    bool
    """
    pieces = [p.strip() for p in (m.hints.parent or "").split(",") if p.strip()]
    if len(pieces) != 1:
        return False
    key = fold(pieces[0])
    return any(f.country_code == country and fold(f.matched_name or f.name) == key
               for f in gazetteer.search(pieces[0], lang=lang, kinds={"admin1"}, limit=10))


def _readings(gazetteer: GazetteerLike, piece: str, lang: str | None) -> list[Candidate]:
    """A chain piece's readings: countries and admin areas, else towns."""
    return gazetteer.search(piece, lang=lang, kinds={"country", "admin1", "admin2"},
                            limit=5) or gazetteer.search(piece, lang=lang, kinds={"city"},
                                                         limit=5)


def _area_of(c: Candidate) -> Scope:
    return Scope(c.country_code or "", None if c.kind == "country" else c.admin1)


def _descend(gazetteer: GazetteerLike, outer_first: tuple[str, ...], scope: Scope | None,
             nested: bool, lang: str | None) -> tuple[Scope | None, bool] | None:
    """Place the pieces (outermost first) inside ``scope``: the scope reached, or ``None``."""
    if not outer_first:
        return scope, nested
    found = _readings(gazetteer, outer_first[0], lang)
    if scope is not None and found:
        found = [f for f in found if scope(f)]
        if not found:
            return None  # a list, not a chain
    if not found or not found[0].country_code:
        return _descend(gazetteer, outer_first[1:], scope, False, lang)
    # A country or province before a district of the same name ("Durango").
    for p in sorted(found, key=lambda f: (f.kind == "admin2" or f.kind == "city", -f.score)):
        placed = _descend(gazetteer, outer_first[1:], _area_of(p), nested, lang)
        if placed is not None:
            return placed
    return None


def parent_filter(m: Mention, gazetteer: GazetteerLike, lang: str | None) -> Scope | None:
    """Return the scope of mention ``m``'s parent hint, or ``None`` when it has none.

    A lone parent read in several places ("Itaugua (Central)": Central is a
    province of Paraguay, Uganda, Ghana...) is the one that holds a place of
    ``m``'s name. The scope is ``strict`` when the text is plain about it: a
    chain of nested pieces, a town named after its area ("Durango, Durango"),
    or a lone parent that is a country or the one province of its name.

    Parameters
    ----------
    m : Mention
    gazetteer : GazetteerLike
    lang : str or None

    Returns
    -------
    Scope or None
    """
    if not m.hints.parent:
        return None
    pieces = tuple(p.strip() for p in m.hints.parent.split(",") if p.strip())
    return _parent_scope(gazetteer, m.hints.core or m.text, pieces, lang)


@lru_cache(maxsize=4096)
def _parent_scope(gazetteer: GazetteerLike, name: str, pieces: tuple[str, ...],
                  lang: str | None) -> Scope | None:
    scope = chain_scope(gazetteer, pieces, lang)
    if scope is None:
        return None
    if len(pieces) == 1:
        areas = list(dict.fromkeys(_area_of(f) for f in _readings(gazetteer, pieces[0], lang)
                                   if f.country_code and f.kind in {"country", "admin1"}))
        if len(areas) > 1:
            key = fold(name)
            mine = [c for c in gazetteer.search(name, lang=lang, limit=20)
                    if fold(c.matched_name or c.name) == key]
            if not any(scope(c) for c in mine):
                scope = next((a for a in areas if any(a(c) for c in mine)), scope)
    # "Durango, Durango": a town named after its province is no list of two places.
    same = fold(pieces[0]) == fold(name)
    return Scope(scope.country, scope.admin1,
                 scope.strict or same or _plain_parent(gazetteer, pieces, lang))


def _plain_parent(gazetteer: GazetteerLike, pieces: tuple[str, ...], lang: str | None) -> bool:
    """Whether a lone parent is a country, or the one province of its name, and no big town.

    "Benito Juarez, Nuevo Leon": the text says which province, so a namesake in
    another is no reading. "Moscow, Kyiv" is a list: Kyiv is a city of millions.
    """
    if len(pieces) != 1:
        return False
    key = fold(pieces[0])
    found = [f for f in gazetteer.search(pieces[0], lang=lang, limit=10)
             if fold(f.matched_name or f.name) == key]
    provinces = {_area_of(f) for f in found if f.kind == "admin1"}
    return (len(provinces) == 1 or any(f.kind == "country" for f in found)) and not any(
        f.kind == "city" and f.population >= PROMINENT_POPULATION for f in found)
