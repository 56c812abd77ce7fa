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

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

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
from ..records import Mention, Parsed, Sentence, Token
from .chains import (
    PROMINENT_POPULATION,
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
STRONG_POPULATION = PROMINENT_POPULATION
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
    _longer_names(doc)
    _initialisms(doc)
    _not_places(doc)
    _feature_names(doc)
    _typed_lists(doc)
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
    not_names = _not_name_words(doc.recognised.lang, doc.recognised.packs)
    toks = sentence.tokens
    # After a verb that takes a place, a capitalised word is a candidate whatever
    # its tag: the small English model reads "captured Bakhmut" as an adverb.
    taken = {toks[k].i for k in range(1, len(toks))
             if toks[k].text[:1].isupper() and _takes_place(doc, toks[k - 1])}

    def cap(t: Token) -> bool:
        return _capitalised(t) or t.i in taken

    i = 0
    while i < len(toks):
        tok = toks[i]
        if not cap(tok) or (i == 0 and tok.pos != "PROPN"):
            i += 1
            continue
        matched = 0
        for n in (4, 3, 2, 1):
            run = toks[i: i + n]
            if len(run) < n or not all(cap(t) or t.text.lower() in links for t in run):
                continue
            if not cap(run[-1]):
                continue
            start, end = run[0].idx, run[-1].idx + len(run[-1].text)
            key = fold(col.text[start:end])
            if len(key) < 3 or key in rec.generic or key in rec.calendar:
                continue
            if col.text[end:end + 1] == "-" and col.text[end + 1:end + 2].isupper():
                continue  # part of a compound name ("Agence France-Presse")
            if i + n < len(toks) and toks[i + n].text[:1].isdigit():
                continue  # a designation, not a town: "Mine 6/7", "Block 5"
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
            # "Hay Oban Ramadan residents": a piece of a longer name is no name alone.
            longer = any(t.pos == "PROPN" and t.text[:1].isupper()
                         and fold(t.text) not in not_names for t in (
                             toks[i - 1] if i > 0 else None,
                             toks[i + n] if i + n < len(toks) else None) if t is not None)
            if not _keep_known_name(doc, col.text[start:end], key, run,
                                    toks[i - 1] if i > 0 else None, ent and ent[2],
                                    col.text[end:end + 2], whole, after, longer):
                continue
            if col.add(start, end, "toponym", source="gazetteer"):
                matched = n
                break
        i += matched or 1


@lru_cache(maxsize=32)
def _not_name_words(lang: str, packs: tuple[str, ...]) -> frozenset[str]:
    """Words beside a name that do not make it part of a longer one (titles, types, dates)."""
    res, rec = resolution_rules(lang, packs), recognition_rules(lang, packs)
    return frozenset({fold(w) for w in res.data["person_titles"]}
                     | {fold(w) for w in res.admin_words} | rec.generic | rec.calendar)


def _takes_place(doc: _Doc, tok: Token | None) -> bool:
    """Whether ``tok`` is a verb whose object is a place (the pack's ``known_name_verbs``)."""
    return tok is not None and tok.lemma.lower() in doc.res.words["known_name_verbs"]


def _keep_known_name(doc: _Doc, name: str, key: str, run: Sequence[Token], prev: Token | None,
                     container: str | None, next_text: str, whole: bool,
                     after_place: bool, longer: bool = False) -> bool:
    """Whether a gazetteer name the model did not tag as a place is one here.

    Many town names are also surnames, first names or words ("Brown",
    "Lincoln", "Police"), so a bare name needs support: the model tags the
    same name as a place elsewhere in the document; or a locative word before
    it ("in", "à"), a parent after it ("Alexandria, La."), or a prominent
    reading (a country, a province, a city of 100,000). Right after a verb
    that takes a place ("captured Bakhmut", "ont pris Avdiïvka": the pack's
    ``known_name_verbs``), a town of 10,000 is one whatever the model's tag
    ("Bakhmut" read as an adverb or an organisation). A word of a person's
    name elsewhere in the document, a name in capitals ("SWAT"), or an
    everyday word ("Central") needs the model's own place reading; a name
    nested in an organisation's or person's name, or next to another proper
    noun (``longer``: "Hay Oban Ramadan residents"), needs more.
    """
    r, rec = doc.recognised, doc.rec
    person = key in r.person_words
    inside_place = doc.res.flags["known_name_inside_place_entity"] and container in PLACE_LABELS
    if not person and (key in r.place_names or inside_place):
        return True  # the model read it, or a span around it, as a place
    found = doc.gazetteer.search(name, limit=5)
    if not found:
        return False
    top = found[0]
    # Prominent when the first reading is, or another of the very name is populous:
    # "Guanajuato" is a town of 72,000 first, and a province of five million.
    strong = top.kind in {"country", "admin1", "region", "continent"} or any(
        c.population >= STRONG_POPULATION or c.kind in {"country", "continent"} for c in found
        if c is top or fold(c.matched_name or c.name) == key)
    if person:  # "Brown" after "John Brown"; "Taylor" even if once tagged a place
        return strong and key in r.place_names
    if _takes_place(doc, prev) and not longer and not common_word(name, r.lang) and (
            strong or top.population >= KNOWN_NAME_POPULATION["in_person"]):
        return True  # "captured Bakhmut": the object of a verb that takes a place
    if longer and not strong:  # a proper noun next to it: part of a longer name
        return False
    if any(t.pos != "PROPN" for t in run if t.text[:1].isupper()):
        return False
    if _ACRONYM.match(name):  # "SWAT", "SEC": an initialism, not a dateline
        return False
    locative = prev is not None and (prev.text.lower() in rec.locative_words or (
        prev.text.lower() in doc.res.words["known_name_coordinators"] and after_place))
    if top.kind != "country" and common_word(name, r.lang):
        # "at Police forces": a word qualifying a noun, not the town of Police
        return locative and container is None and run[-1].dep != "compound"
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


def _initialisms(doc: _Doc) -> None:
    """Country and union initialisms ("EU", "UAE", "DPRK", "EAU"): places, never dropped.

    The pack's ``country_initialisms`` maps each to its country (or to ``""``
    for the gazetteer's own reading, a union); a bracketed initialism right
    after the full name ("Émirats arabes unis (EAU)") is that name again.
    """
    col, table = doc.col, doc.res.initialisms
    if not table:
        return
    rx = re.compile(r"(?<![\w.-])(?P<i>" + "|".join(map(re.escape, table)) + r")(?![\w-])")
    for m in rx.finditer(col.text):
        start, end = m.span("i")
        code = table[m.group("i")]
        same = next((x for x in col.items if (x.start, x.end) == (start, end)), None)
        if same is not None and code and same.kind == "toponym" and not same.hints.country:
            # The model found "RPDC" too; the gazetteer may not know it: say its country.
            col.items[col.items.index(same)] = dataclasses.replace(
                same, hints=dataclasses.replace(same.hints, country=code))
            continue
        if col.overlaps(start, end):
            continue
        before = col.text[:start].rstrip()
        if before.endswith("(") and any(x.end == len(before[:-1].rstrip()) for x in col.items):
            continue  # "European Union (EU)": the name again, as written after it
        if code:
            col.add(start, end, "toponym", source="pattern", country=code)
        elif doc.gazetteer.has_name(fold(m.group("i"))):
            col.add(start, end, "toponym", source="pattern")


def _drop(doc: _Doc, m: Mention) -> None:
    doc.col.items.remove(m)


def _not_places(doc: _Doc) -> None:
    """Drop the mentions the text reads as a person or a thing named after a place.

    A name after a title ("Mr Lincoln", "le président Lincoln"), after a
    speech verb ("said Jackson", "a déclaré Jackson"), unless it is a country,
    a province or a capital speaking for its government; a name qualifying a
    currency or a thing ("US dollar", "dollar US", "Molotov cocktail", "cocktail
    Molotov").
    """
    col, res = doc.col, doc.res
    text = col.text
    for m in list(col.items):
        if m.kind != "toponym" or m.hints.source == "demonym":
            continue
        before = text[max(0, m.start - 40):m.start]
        after = text[m.end:m.end + 20]
        if (res.thing_after is not None and res.thing_after.match(after)) or (
                res.thing_before is not None and res.thing_before.search(before)):
            _drop(doc, m)
            continue
        if res.title_before is not None and res.title_before.search(before):
            _drop(doc, m)
            continue
        if res.speech_before is not None and res.speech_before.search(before):
            top = doc.gazetteer.search(m.hints.core or m.text, limit=1)
            if not top or not (top[0].kind in {"country", "admin1", "continent"}
                               or top[0].feature_code == "PPLC"):
                _drop(doc, m)


def _feature_names(doc: _Doc) -> None:
    """A name with a feature word is one name, placed at the city named with it.

    "Freedom Square", "the White House", "la place de la Liberté", "rue de
    Rivoli": the whole span is one mention (the names inside it give way),
    with level ``"feature"``; a city mention linked after it ("in central
    Moscow", "au cœur de Kharkiv", ", Tennessee") is its parent.
    """
    col, res = doc.col, doc.res
    text = col.text
    spans: list[tuple[int, int]] = []
    for rx in (res.feature_after, res.feature_before):
        if rx is None:
            continue
        for fm in rx.finditer(text):
            start, end = fm.start(), fm.end()
            if rx is res.feature_after:
                start = fm.start("name")
                # "the White House": not a sentence's first word alone ("Police Station").
            name = fm.group("name")
            if fold(name) in doc.rec.generic or fold(name) in doc.rec.calendar:
                continue
            spans.append((start, end))
    for start, end in spans:
        inner = [x for x in col.items if start <= x.start and x.end <= end]
        if any(x.start < end and start < x.end and x not in inner for x in col.items):
            continue
        if any(x.kind == "region" for x in inner):
            continue
        after = text[end:end + 60]
        parent = None
        link = res.in_city.match(after) if res.in_city is not None else None
        if link is None and after.startswith(", "):
            link = re.match(r", ", after)
        if link is not None:
            at = end + link.end()
            city = next((x for x in col.items if x.start == at and x.kind != "demonym"), None)
            if city is not None:
                parent = city.hints.core or city.text
        for x in inner:
            col.items.remove(x)
        col.add(start, end, "toponym", source="pattern", level="feature", parent=parent)


def _typed_lists(doc: _Doc) -> None:
    """A type word after (or before) a list of names applies to each name.

    "Kandahar and Helmand provinces", "les provinces de Kandahar et de
    Helmand": each name is a province (its ``level``), not a town of that name.
    """
    col, res = doc.col, doc.res
    text = col.text
    items = sorted(col.items, key=lambda x: x.start)
    levels: dict[int, str] = {}
    for k, m in enumerate(items):
        if m.kind != "toponym" or m.hints.level:
            continue
        if res.plural_after_list is not None:
            pm = res.plural_after_list.match(text, m.end)
            if pm:
                level = res.admin_plurals.get(pm.group("word").lower())
                if level:
                    # Each name of the list up to the type word.
                    for x in items[k:]:
                        if x.start >= pm.end():
                            break
                        if x.kind == "toponym":
                            levels[x.start] = level
        if res.plural_before_list is not None:
            bm = res.plural_before_list.search(text[max(0, m.start - 30):m.start])
            if bm:
                level = res.admin_plurals.get(bm.group("word").lower())
                if not level:
                    continue
                levels[m.start] = level
                prev = m
                for x in items[k + 1:]:
                    gap = text[prev.end:x.start]
                    if x.kind != "toponym" or res.list_link is None or not res.list_link.match(
                            gap):
                        break
                    levels[x.start] = level
                    prev = x
    if not levels:
        return
    col.items[:] = [dataclasses.replace(x, hints=dataclasses.replace(x.hints, level=levels[
        x.start])) if x.start in levels and not x.hints.level else x for x in col.items]


_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’]*"


def _longer_names(doc: _Doc) -> None:
    """A name cut out of a longer name is the longer name.

    The model (or the gazetteer's recall) may take "San" of "San Isidro",
    "Vista" of "Boa Vista", "Coast" of "Coast of Zwara", "Port" and "Spain city" of
    "Port of Spain city". A mention is widened
    to the longest run of capitalised words (and name particles, hyphens, and
    a lower-case article before it: "el Mina", "Ivano-Frankivsk", "Deir ez-Zor")
    around it that the gazetteer knows; failing that, a mention followed by a particle and a
    capitalised word ("Coast of Zwara", "Choro del Mono") is widened to that
    whole name, which then resolves only as a whole (or through the place
    inside it, never across the document's countries).
    """
    col, res = doc.col, doc.res
    text, lang = col.text, doc.recognised.lang
    particles = sorted(set(doc.res.data["name_particles"]) | {
        w for w in res.words["known_name_links"] if w.isalpha()}, key=len, reverse=True)
    part = "|".join(map(re.escape, particles))
    right = re.compile(rf"(?:[ ](?:(?P<p>{part})[ -])?|-)(?P<w>{_CAP})")
    left = re.compile(rf"(?P<w>{_CAP})(?:[ ](?:(?P<p>{part})[ ])?|-)$")
    # A particle alone before the name, in lower case: "in el Mina", "the town of el Ain".
    lead = re.compile(rf"(?<![\w'’-])(?P<p>{part})[ ]$", re.IGNORECASE)
    stop = res.words["facility_after"] | res.words["natural_feature_after"]
    skip = {fold(w) for w in res.admin_words} | doc.rec.generic | doc.rec.calendar

    def word_ok(w: str) -> bool:
        return fold(w) not in skip and w not in stop and not w.isupper()

    for m in sorted(col.items, key=lambda x: x.start):
        if m not in col.items or m.kind != "toponym" or m.hints.level or m.hints.core:
            continue
        ends = [m.end]
        at = m.end
        first_particle = None
        while len(ends) < 4:
            rm = right.match(text, at)
            if not rm or not word_ok(rm.group("w")):
                break
            if rm.group("p") and first_particle is None and len(ends) == 1:
                first_particle = rm.end()
            at = rm.end()
            ends.append(at)
        starts = [m.start]
        at = m.start
        while len(starts) < 3:
            lm = left.search(text[max(0, at - 40):at])
            if not lm or not word_ok(lm.group("w")):
                break
            at = at - (len(lm.group(0)))
            if at > 0 and text[at - 1] not in " (\n\"“«'’":
                break
            starts.append(at)
        lm = lead.search(text[max(0, m.start - 8):m.start])
        if lm and len(starts) == 1 and lm.group("p")[:1].islower():
            starts.append(m.start - len(lm.group(0)))
        if len(ends) == 1 and len(starts) == 1:
            continue
        best = None
        absorbed: list[Mention] = []
        for a in starts:
            for b in reversed(ends):
                across = [x for x in col.items
                          if x.start < b and a < x.end and not (a <= x.start and x.end <= b)]
                # "Port of Spain city": "Spain city" (its type word after it) is the tail
                # of the longer name; it joins it, type word and all.
                typed = [x for x in across if a <= x.start
                         and (core := type_word_core(x.text, lang, doc.recognised.packs))
                         and x.text.startswith(core[0]) and x.start + len(core[0]) <= b]
                if (a, b) == (m.start, m.end) or len(typed) != len(across):
                    continue
                if doc.gazetteer.has_name(fold(text[a:b])) and (
                        best is None or b - a > best[1] - best[0]):
                    best, absorbed = (a, b), typed
        if best is None and first_particle is not None and not any(
                x.start < first_particle and m.end < x.end and x.end > first_particle
                for x in col.items):
            best = (m.start, first_particle)
        if best is None:
            continue
        a, b = best
        for x in [x for x in col.items if a <= x.start and x.end <= b] + absorbed:
            col.items.remove(x)
        if absorbed:
            tail = absorbed[0]
            col.add_hints(a, tail.end, tail.kind, tail.hints)
        else:
            col.add(a, b, "toponym", source=m.hints.source)
