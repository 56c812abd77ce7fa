"""Recall with the gazetteer: the mentions recognition could not settle alone.

Recognition proposes spans; this module, the only one before ranking that
asks the gazetteer, turns them into the document's mentions. It answers the
proposals' questions ("is this a known place name?"), adds the capitalised
names the model missed that the gazetteer knows (with the population
thresholds a bare name needs), state abbreviations after a place, datelines
in capitals, and the names a parent chain vouches for; then it reads the
parent hints.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gazetteer import fold

from ..recognise import (
    PLACE_LABELS,
    Lexicon,
    Proposal,
    Recognised,
    RecognitionRules,
    SpanCollector,
    common_word,
    name_like,
    recognition_rules,
)
from ..records import Parsed, Sentence, Token
from .chains import (
    Scope,
    chain_name,
    chain_scope,
    expand_abbreviation,
    parent_hints,
    type_word_core,
)
from .protocol import GazetteerLike
from .rules import ResolutionRules, resolution_rules

__all__ = ["lexicon", "recall", "STRONG_POPULATION", "KNOWN_NAME_POPULATION"]

#: A place at least this populous is a prominent reading of its name.
STRONG_POPULATION = 100_000
#: The population a bare known name needs, by what surrounds it: nothing (plain),
#: a person entity it fills (whole), a person entity after a locative word (in_person).
KNOWN_NAME_POPULATION = {"plain": 20_000, "whole": 50_000, "in_person": 10_000}
_AREA_KINDS = frozenset({"country", "region", "continent", "admin1"})
_ACRONYM = re.compile(r"^[A-Z]{2,4}$")


def lexicon(gazetteer: GazetteerLike, lang: str) -> Lexicon:
    """Return the gazetteer's demonyms and region words for ``lang``, for recognition.

    Parameters
    ----------
    gazetteer : GazetteerLike
    lang : str

    Returns
    -------
    Lexicon
    """
    return Lexicon(gazetteer.demonyms(lang), gazetteer.region_words(lang))


@dataclass(frozen=True, slots=True)
class _Doc:
    """One document's recall state: its text, rules, collector and the model's names."""

    recognised: Recognised
    col: SpanCollector
    gazetteer: GazetteerLike
    rec: RecognitionRules
    res: ResolutionRules


def recall(recognised: Recognised, gazetteer: GazetteerLike) -> Parsed:
    """Settle the proposals of a recognised document with the gazetteer: its mentions.

    Parameters
    ----------
    recognised : Recognised
        What :func:`geomap.recognise.recognise` proposed.
    gazetteer : GazetteerLike

    Returns
    -------
    Parsed
        Sentences and mentions, mentions sorted by position and with their
        parent hints.
    """
    r = recognised
    rec = recognition_rules(r.lang, r.packs)
    doc = _Doc(r, SpanCollector(r.document.text, r.sentences, rec), gazetteer, rec,
               resolution_rules(r.lang, r.packs))
    _claim(doc, [p for p in r.proposals if not p.late])
    for s in r.sentences:
        _known_names(doc, s)
    _claim(doc, [p for p in r.proposals if p.late])
    _coordinated(doc)
    _states_after_comma(doc)
    _datelines(doc)
    _chain_mentions(doc)
    mentions = parent_hints(r.document.text, sorted(doc.col.items, key=lambda m: m.start),
                            r.lang, r.packs)
    return Parsed(r.document, r.lang, r.sentences, tuple(mentions))


def _claim(doc: _Doc, proposals: Sequence[Proposal]) -> None:
    """Keep the proposals whose question the gazetteer answers yes, first claim first."""
    col, gaz = doc.col, doc.gazetteer
    taken: set[int] = set()
    for p in proposals:
        if p.group is not None:
            if p.group in taken or col.overlaps(p.start, p.end):
                continue
            taken.add(p.group)
        elif p.needs == "known" and not gaz.has_name(fold(col.text[p.start:p.end])):
            continue
        elif p.needs == "area":
            found = gaz.search(p.hints.core or col.text[p.start:p.end], limit=1)
            if not found or found[0].kind not in _AREA_KINDS:
                continue
        col.add_hints(p.start, p.end, p.kind, p.hints)


def _capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper() and tok.pos in {"PROPN", "NOUN", "ADJ", "X"}


def _known_names(doc: _Doc, sentence: Sentence) -> None:
    """Add capitalised runs (up to four tokens) that are gazetteer names.

    The first token of a sentence is only taken when it is a proper noun, so a
    capitalised common word ("Police", "Cette") does not become a place; a
    bare name must pass :func:`_keep_known_name`.
    """
    col, gaz, rec, res = doc.col, doc.gazetteer, doc.rec, doc.res
    links = res.words["known_name_links"]
    natural = res.words["natural_feature_after"]
    feature_after = natural | res.words["facility_after"]
    toks = sentence.tokens
    i = 0
    while i < len(toks):
        tok = toks[i]
        if not _capitalised(tok) or (i == 0 and tok.pos != "PROPN"):
            i += 1
            continue
        matched = 0
        for n in (4, 3, 2, 1):
            run = toks[i: i + n]
            if len(run) < n or not all(_capitalised(t) or t.text.lower() in links for t in run):
                continue
            if not _capitalised(run[-1]):
                continue
            start, end = run[0].idx, run[-1].idx + len(run[-1].text)
            key = fold(col.text[start:end])
            if len(key) < 3 or key in rec.generic or key in rec.calendar:
                continue
            if col.text[end:end + 1] == "-" and col.text[end + 1:end + 2].isupper():
                continue  # part of a compound name ("Agence France-Presse")
            if i + n < len(toks) and toks[i + n].text in feature_after:
                # "Dnipro River", "Kennedy Airport": another feature than the town; a
                # natural one is kept as a name of its own (unresolved unless known).
                feat = toks[i + n]
                if feat.text in natural and col.add(
                        start, feat.idx + len(feat.text), "toponym", source="gazetteer"):
                    matched = n + 1
                    break
                continue
            if not gaz.has_name(key) or col.overlaps(start, end):
                continue
            if res.flags["known_name_must_look_like_name"] and not name_like(
                    col.text, start, end, rec):
                continue  # "(Gram.)", "Pag. 792": an abbreviation
            ent = next(((es, ee, label) for es, ee, label, _ in sentence.entities
                        if es <= start and end <= ee), None)
            whole = ent is not None and ent[:2] == (start, end)
            # "Bilozerka and Chornobaivka": a name coordinated with a place.
            after = i > 1 and any(m.end == toks[i - 2].idx + len(toks[i - 2].text)
                                  for m in col.items if m.kind != "demonym")
            if not _keep_known_name(doc, col.text[start:end], key, run,
                                    toks[i - 1] if i > 0 else None, ent and ent[2],
                                    col.text[end:end + 2], whole, after):
                continue
            if col.add(start, end, "toponym", source="gazetteer"):
                matched = n
                break
        i += matched or 1


def _keep_known_name(doc: _Doc, name: str, key: str, run: Sequence[Token], prev: Token | None,
                     container: str | None, next_text: str, whole: bool,
                     after_place: bool) -> bool:
    """Whether a gazetteer name the model did not tag as a place is one here.

    Many town names are also surnames, first names or words ("Brown",
    "Lincoln", "Police"), so a bare name needs support: the model tags the
    same name as a place elsewhere in the document; or a locative word before
    it ("in", "à"), a parent after it ("Alexandria, La."), or a prominent
    reading (a country, a province, a city of 100,000). A word of a person's
    name elsewhere in the document, a name in capitals ("SWAT"), or an
    everyday word ("Central") needs the model's own place reading; a name
    nested in an organisation's or person's name needs more.
    """
    r, rec = doc.recognised, doc.rec
    person = key in r.person_words
    inside_place = doc.res.flags["known_name_inside_place_entity"] and container in PLACE_LABELS
    if not person and (key in r.place_names or inside_place):
        return True  # the model read it, or a span around it, as a place
    found = doc.gazetteer.search(name, limit=1)
    if not found:
        return False
    top = found[0]
    strong = top.kind in {"country", "admin1", "region", "continent"} or (
        top.population >= STRONG_POPULATION)
    if person:  # "Brown" after "John Brown"; "Taylor" even if once tagged a place
        return strong and key in r.place_names
    if any(t.pos != "PROPN" for t in run if t.text[:1].isupper()):
        return False
    if _ACRONYM.match(name):  # "SWAT", "SEC": an initialism, not a dateline
        return False
    locative = prev is not None and (prev.text.lower() in rec.locative_words or (
        prev.text.lower() in doc.res.words["known_name_coordinators"] and after_place))
    if top.kind != "country" and common_word(name, r.lang):
        return locative and container is None
    if container in {"PER", "PERSON"} and whole:  # "Kherson" read as a person
        return strong or locative or top.population >= KNOWN_NAME_POPULATION["whole"]
    if container in {"PER", "PERSON"}:
        return locative and (strong or top.population >= KNOWN_NAME_POPULATION["in_person"])
    if container is not None:
        return strong  # nested in an organisation's name: only well-known places
    return strong or locative or next_text.startswith(", ") or (
        top.population >= KNOWN_NAME_POPULATION["plain"])


def _coordinated(doc: _Doc) -> None:
    """Add a proper noun joined by a coordinator to a place: "entre Riva et Torbole".

    The noun must not be in an entity of another kind (a person, an
    organisation) unless that entity holds the place too, nor an everyday
    word or a people.
    """
    rx_next = doc.res.next_name
    if rx_next is None:
        return
    col, rec, r = doc.col, doc.rec, doc.recognised
    others = [(s, e) for s, e, label, _ in r.entities if label not in PLACE_LABELS]
    by_start = {t.idx: t for s in r.sentences for t in s.tokens}
    todo = [m for m in col.items if m.kind == "toponym"]
    while todo:
        m = todo.pop()
        rx = rx_next.match(col.text, m.end)
        if not rx:
            continue
        start, end = rx.span("name")
        name = rx.group("name")
        tok = by_start.get(start)
        prev = col.text[:start].split()[-1]
        # An entity around both names ("Riva & Torbole" as one ORG) is the pair itself.
        if (tok is None or tok.pos not in {"PROPN", "NOUN"} or fold(name) in rec.generic
                or fold(name) in rec.calendar or common_word(name, r.lang)
                or any(s < end and start < e and not s <= m.start for s, e in others)
                or (rec.group_like(name, prev) and not doc.gazetteer.has_name(fold(name)))):
            continue
        if col.add(start, end, "toponym", source="gazetteer"):
            todo.append(col.items[-1])


def _states_after_comma(doc: _Doc) -> None:
    """US state abbreviations after a place ("Alexandria, La.", "Dayton, OH")."""
    rx = doc.res.state_after_comma
    if rx is None:
        return
    col, r = doc.col, doc.recognised
    for m in rx.finditer(col.text):
        state = expand_abbreviation(m.group(), r.lang, postal=bool(m.group("postal")),
                                    packs=r.packs)
        before = col.text[:m.start() - 2]
        if state and any(c.end == len(before) for c in col.items):
            col.add(m.start(), m.end(), "toponym", source="pattern", core=state)


def _datelines(doc: _Doc) -> None:
    """Datelines in capitals: "TORRINGTON — ...", "BEIRUT: ...", "KIEV (AFP) - ..."."""
    rx = doc.res.dateline
    if rx is None:
        return
    for m in rx.finditer(doc.col.text):
        name = m.group("name")
        if sum(ch.isalpha() for ch in name) >= 4 and doc.gazetteer.has_name(fold(name)):
            doc.col.add(m.start("name"), m.end("name"), "toponym", source="pattern")


def _inside(doc: _Doc, name: str, scope: Scope, kinds: frozenset[str] | None = None) -> bool:
    return any(scope(c) for c in doc.gazetteer.search(name, kinds=kinds, limit=10))


def _merge_split_parent(doc: _Doc, pm: re.Match[str]) -> bool:
    """Join mentions the model split inside a parent piece that names a province."""
    col = doc.col
    start, end = pm.span("piece")
    inner = [m for m in col.items if start <= m.start and m.end <= end]
    if len(inner) < 2 or any(m.start < end and start < m.end and m not in inner
                             for m in col.items):
        return False
    found = doc.gazetteer.search(pm.group("piece"), kinds={"country", "admin1"}, limit=1)
    if not found or fold(found[0].matched_name or found[0].name) != fold(pm.group("piece")):
        return False
    for m in inner:
        col.items.remove(m)
    return col.add(start, end, "toponym", source="pattern")


def _chain_mentions(doc: _Doc) -> None:
    """Names a parent chain vouches for: "Korce (Korce county)", "X (A LGA, B)", "X, B".

    The model may tag such a name as an organisation or a person, or miss it.
    A capitalised name before a bracketed chain or before ", <a place already
    found>" is a place when the gazetteer has a place of that name inside the
    chain's scope; so are the chain's own pieces that are admin areas there.
    """
    col, res, rec = doc.col, doc.res, doc.rec
    lang, packs = doc.recognised.lang, doc.recognised.packs
    text = col.text
    starts = {m.start: m for m in col.items if m.kind != "demonym"}
    for m in res.before_chain.finditer(text):
        name, start = m.group("name"), m.start("name")
        pieces: list[tuple[int, int, str]] = []
        if m.group("parent") is not None:
            b = starts.get(m.start("parent"))
            pm = res.chain_piece.match(text, m.start("parent"))
            typed = type_word_core(pm.group("piece"), lang, packs) if pm else None
            if pm and typed and typed[1] and (b is None or b.end <= pm.end()):
                # "in X, Ouest department": a typed piece is a parent, found or not.
                pieces = [(pm.start(), pm.end(), typed[0])]
                names = [typed[0]]
            elif b is not None and b.kind == "toponym":
                names = [b.hints.core or expand_abbreviation(b.text, lang, packs=packs) or b.text]
                if pm and pm.end() > b.end and _merge_split_parent(doc, pm):
                    names = [pm.group("piece")]  # "Baja" + "California": one province
            else:
                continue
        else:
            at = m.start("chain")
            for raw in m.group("chain").split(","):
                lead = len(raw) - len(raw.lstrip())
                piece = raw.strip()
                core = chain_name(piece, lang, packs)
                if core is None:
                    pieces = []
                    break
                pieces.append((at + lead, at + lead + len(piece), core))
                at += len(raw) + 1
            if not pieces or len(pieces) > 3 or all(p[2].isupper() for p in pieces):
                continue  # "Food and Drug Administration (FDA)": an acronym, no chain
            names = [p[2] for p in pieces]
        if len(name) < 3 or fold(name) in rec.generic or fold(name) in rec.calendar:
            continue
        scope = chain_scope(doc.gazetteer, tuple(names), lang)
        if scope is None:
            continue
        if (not col.overlaps(start, m.end("name")) and doc.gazetteer.has_name(fold(name))
                and _inside(doc, name, scope)):
            col.add(start, m.end("name"), "toponym", source="pattern")
        for ps, pe, core in pieces:
            # Mentions the model cut out of a piece ("Sava" of "Mayo-Sava") give way
            # to the whole piece when it is a place inside the chain's scope.
            inner = [x for x in col.items if ps <= x.start and x.end <= pe
                     and (x.start, x.end) != (ps, pe)]
            crossing = any(x.start < pe and ps < x.end and x not in inner for x in col.items)
            # An acronym is an organisation's ("Food and Drug Administration (FDA)"); a
            # lone piece is its own scope, so it must at least be an admin area.
            kinds = frozenset({"country", "admin1", "admin2"}) if len(pieces) == 1 else None
            if crossing or core.isupper() or not _inside(doc, core, scope, kinds):
                continue
            for x in inner:
                col.items.remove(x)
            col.add(ps, pe, "toponym", source="pattern")
