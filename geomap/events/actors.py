"""Who acted and on whom: the actors of an event, from its sentence's places and entities.

Countries and demonyms name the country, with the role the noun they qualify
gives ("les soldats nord-coréens" → "North Korea: military forces"); the role
nouns of each language are the ``actors`` section of its pack, the short
country names of the labels ``geomap/data/actor_countries.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from ..lang import language_pack
from ..records import Mention, Place, Sentence, Token
from .speech import PERSON_LABELS
from .tree import (
    OBJECT_DEPS,
    SUBJECT_DEPS,
    clause_verb,
    descendants,
    head_token,
    is_subject_conj,
    linked_nouns,
)
from .words import event_words

__all__ = ["actor_roles", "armed_actor", "event_actors", "parade_not_protest",
           "raided_by_authorities"]

@lru_cache(maxsize=8)
def actor_roles(lang: str) -> dict[str, str]:
    """Map the role nouns of a language to their roles.

    Parameters
    ----------
    lang : str
        A language with a pack under ``geomap/lang`` (its ``actors`` section).

    Returns
    -------
    dict of str to str
        Lower-cased lemma → role ("soldat" → "military forces"); a word of two
        roles takes the first.

    Examples
    --------
    >>> actor_roles("fr")["soldat"]
    'military forces'
    """
    out: dict[str, str] = {}
    for role, words in language_pack(lang).get("actors", "roles").items():
        for word in words:
            out.setdefault(word.lower(), role)
    return out


def _role_of(sentence: Sentence, head: Token, lang: str) -> str | None:
    """Find the role a demonym or country names: "les soldats nord-coréens" → military forces."""
    roles = actor_roles(lang)
    by_i = {t.i: t for t in sentence.tokens}
    near = [by_i.get(head.head)] + [t for t in sentence.tokens if t.head == head.i]
    if head.dep in {"nmod", "nmod:poss", "poss", "compound", "amod"} or head.pos == "ADJ":
        near.insert(0, by_i.get(head.head))
    for t in near:
        if t is not None and t.i != head.i and (t.lemma in roles or t.text.lower() in roles):
            return roles.get(t.lemma) or roles[t.text.lower()]
    return None


def event_actors(sentence: Sentence, local: list[tuple[Mention, Place]], trigger: Token,
                 lang: str) -> tuple[str, ...]:
    """List who acted and on whom: the clause's subjects first, then the others.

    Countries and demonyms name the country, with the role the noun they
    qualify gives ("les soldats nord-coréens" → "North Korea: military
    forces"); people and organisations come from the named entities.

    Parameters
    ----------
    sentence : Sentence
        The event's sentence.
    local : list of (Mention, Place)
        The sentence's resolved mentions.
    trigger : Token
        The event's trigger.
    lang : str
        The sentence's language (its pack's role nouns).

    Returns
    -------
    tuple of str
        At most six actors.
    """
    first: list[str] = []
    rest: list[str] = []

    def add(name: str, agent: bool) -> None:
        if name in first or name in rest:
            return
        (first if agent else rest).append(name)

    by_tok = {t.i: t for t in sentence.tokens}
    for mention, place in local:
        head = head_token(sentence, mention)
        if head is None:
            continue
        role = _role_of(sentence, head, lang)
        holder = by_tok.get(head.head) if role else None
        agent = head.dep in SUBJECT_DEPS or is_subject_conj(sentence, head) or (
            holder is not None and (holder.dep in SUBJECT_DEPS
                                    or is_subject_conj(sentence, holder)))
        if mention.kind == "demonym" or place.level == "country":
            country = place.name if place.level == "country" else (
                _country_names().get(place.country or "", place.name))
            add(f"{country}: {role}" if role else country, agent)
        elif agent:
            add(place.name, True)
    for start, _end, label, text in sentence.entities:
        if label in {"PER", "PERSON", "ORG", "NORP"} and not any(
                m.start <= start < m.end for m, _ in local):
            tok = next((t for t in sentence.tokens if t.idx == start), None)
            add(text, tok is not None and (tok.dep in SUBJECT_DEPS
                                           or is_subject_conj(sentence, tok)))
    return tuple((first + rest)[:6])


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Short names of countries in actor labels (``geomap/data/actor_countries.json``)."""
    path = resources.files("geomap") / "data" / "actor_countries.json"
    names: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))["names"]
    return names


def armed_actor(sentence: Sentence, trigger: Token, lang: str,
                before: Sentence | None = None, places: Sequence[Mention] = ()) -> bool:
    """Whether the fighting a trigger tells can be between organised armed actors.

    The coding guide's armed clash is organised armed groups fighting each
    other. A fighting that names no side ("fighting was reported in Bakhmut")
    can be one. Its sides are the trigger's subject and object, the nouns
    after a side preposition ("with a neighbour", also those of the verb a
    fighting noun is the subject of: "a fight broke out between..."), and the
    subject of the verb a fighting noun hangs on ("were charged with
    fighting"). No side named, a fighting word of the pack's ``private_senses``
    ("the victim of the assault") needs an armed actor in its clause or the
    sentence before it. A side that is an armed actor (a word of the pack's armed
    roles or armed words in its noun phrase, a named group that is none of the
    document's places, or a state) makes it one. Sides with a person among
    them and none armed are a private fight, no battle, whatever armed word
    the sentence holds elsewhere ("she told officers he started a fight with
    her"). Otherwise the sentence, or the one before it, must name an armed
    actor ("Police raided the slum. A shoot-out broke out.").

    Parameters
    ----------
    sentence : Sentence
    trigger : Token
        The fighting word.
    lang : str
        The sentence's language (its pack's ``actors`` section).
    before : Sentence, optional
        The sentence before it in the document.
    places : sequence of Mention
        The document's place mentions ("Dayton" read as an organisation is none).

    Returns
    -------
    bool
    """
    words, labels, states, unknown, preps = _armed_vocabulary(lang)

    def armed(s: Sentence, toks: Sequence[Token]) -> bool:
        if any(t.lemma.lower() in words or t.text.lower() in words for t in toks):
            return True
        at = {t.idx for t in toks}
        return any(label in labels and any(start <= i < end for i in at)
                   and not any(m.start < end and start < m.end for m in places)
                   for start, end, label, _text in s.entities)

    sides = [t for t in _sides(sentence, trigger, preps)
             if t.pos in {"NOUN", "PROPN", "PRON"} and t.lemma.lower() not in unknown
             and t.text.lower() not in unknown]
    if not sides:
        if trigger.lemma.lower() in language_pack(lang).words("actors", "private_senses"):
            # "the victim of the assault": a crime as often as a battle; "police said
            # that ..." outside the trigger's clause is the source, no side
            verb = clause_verb(sentence, trigger)
            return armed(sentence, [verb, *descendants(sentence, verb, None)]) or (
                before is not None and armed(before, before.tokens))
        return True  # no side named: "fighting was reported in Bakhmut"
    # A state that fights is an armed side ("India and Pakistan clashed").
    if any(armed(sentence, [t, *descendants(sentence, t, _PHRASE_DEPS)])
           or any(label in states and start <= t.idx < end
                  for start, end, label, _text in sentence.entities) for t in sides):
        return True
    if any(t.dep not in _PASSIVE_SUBJECTS and (_a_person(t) or any(
            label in PERSON_LABELS and start <= t.idx < end
            and _NAME.fullmatch(text) for start, end, label, text in sentence.entities))
           for t in sides):
        # A person fought (a pronoun, or a person's name: "pro-Hadi/Islah" or "Al
        # shabaab" read as a person is none; not the victim, "he was killed in combat"),
        # and no armed side: a private fight, whatever armed word the
        # sentence holds elsewhere ("she told officers he started a fight with her").
        return False
    return any(armed(s, s.tokens) for s in (sentence, before) if s is not None)


def raided_by_authorities(sentence: Sentence, trigger: Token, lang: str) -> bool:
    """Whether a raid is a state's forces searching a place, not fighting.

    The coding guide's coercion holds the raids of authorities: "police raided
    the home", "a police raid on two houses". A raid is so when its doers (the
    trigger's subject, its agent, the nouns that modify it: "a police raid", or
    the subject of the light verb it is the object of: "officers carried out a
    raid") include a word of the pack's ``authority_roles`` and none of its other
    armed roles, and what it hit names no armed actor ("raided a rebel base"
    stays a clash).

    Parameters
    ----------
    sentence : Sentence
    trigger : Token
        A fighting word.
    lang : str
        The sentence's language (its pack's ``actors.raid_words`` and
        ``actors.authority_roles``).

    Returns
    -------
    bool
    """
    pack = language_pack(lang)
    if trigger.lemma.lower() not in pack.words("actors", "raid_words"):
        return False
    states = set(pack.get("actors", "authority_roles"))
    armed = _armed_vocabulary(lang)[0]
    words = _doer_words(sentence, trigger, lang)
    doing = _roles_of(words, lang) & set(pack.get("actors", "armed_roles"))
    if not doing or not doing <= states:
        return False  # no state's forces among the doers, or rebels with them
    doer_ids = {w.i for w in words} | {trigger.i}
    hit = [w for w in descendants(sentence, trigger, None) if w.i not in doer_ids]
    return not any(w.lemma.lower() in armed or w.text.lower() in armed for w in hit)


def parade_not_protest(sentence: Sentence, trigger: Token, lang: str) -> bool:
    """Whether a march or a gathering is soldiers' or fighters', so no protest.

    "Soldiers paraded through Moscow", "des soldats ont défilé", "l'armée a
    rassemblé des troupes": a parade, an advance or a build-up. True when the
    trigger is a word of the pack's ``actors.parade_words`` and its doers (as
    for :func:`raided_by_authorities`) name one of the pack's
    ``actors.parade_roles``; police who march for their pay still protest.

    Parameters
    ----------
    sentence : Sentence
    trigger : Token
        A protest word.
    lang : str
        The sentence's language.

    Returns
    -------
    bool
    """
    pack = language_pack(lang)
    if trigger.lemma.lower() not in pack.words("actors", "parade_words"):
        return False
    return bool(_roles_of(_doer_words(sentence, trigger, lang), lang)
                & set(pack.get("actors", "parade_roles")))


def _doer_words(sentence: Sentence, trigger: Token, lang: str) -> list[Token]:
    """The words of who does what a trigger tells.

    Its subject, its agent and the nouns that modify it ("a police raid", "un
    défilé militaire"), or the subject of the light verb (the pack's
    ``events.light_verbs``) it is the object of ("officers carried out a raid",
    not "troops broke up the march"), with their conjuncts and noun phrases.
    """
    light = event_words(lang).light_verbs
    toks = sentence.tokens
    doers = [t for t in toks if t.head == trigger.i and t.i != trigger.i
             and (t.dep in SUBJECT_DEPS or t.dep in {"compound", "amod", "agent", "nmod"})]
    doers += [c for t in toks if t.head == trigger.i and t.dep == "agent"
              for c in toks if c.head == t.i and c.dep == "pobj"]
    head = next((t for t in toks if t.i == trigger.head), None)
    if head is not None and head.i != trigger.i and trigger.dep in OBJECT_DEPS \
            and head.lemma.lower() in light:
        doers += [t for t in toks if t.head == head.i and t.dep in SUBJECT_DEPS]
    doers += [t for t in toks if t.dep == "conj" and any(o.i == t.head for o in doers)]
    return [w for d in doers for w in (d, *descendants(sentence, d, _PHRASE_DEPS))]


def _roles_of(words: Sequence[Token], lang: str) -> set[str]:
    """The actor roles (:func:`actor_roles`) the words name."""
    roles = actor_roles(lang)
    return {r for w in words if (r := roles.get(w.lemma.lower())) is not None}


#: The subject of a passive verb: who underwent it.
_PASSIVE_SUBJECTS = frozenset({"nsubjpass", "nsubj:pass"})
#: What a person's name looks like: capitalised words ("Warden", "Mary-Ann O'Neil").
_NAME = re.compile(r"[A-Z][a-z]+(?:[ '-][A-Z][a-z]+)*")


def _a_person(tok: Token) -> bool:
    """A personal pronoun of one person ("he", "her", "elle"), not "it" or "another"."""
    morph = tok.morph
    return (tok.pos == "PRON" and "PronType=Prs" in morph and "Number=Sing" in morph
            and "Gender=Neut" not in morph)


#: Dependencies inside a side's noun phrase ("Ukrainian forces", "members of a gang").
_PHRASE_DEPS = frozenset({"compound", "amod", "nmod", "flat", "flat:name", "appos", "prep",
                          "pobj", "case", "nummod"})


@lru_cache(maxsize=8)
def _armed_vocabulary(lang: str) -> tuple[frozenset[str], frozenset[str], frozenset[str],
                                          frozenset[str], frozenset[str]]:
    """The pack's armed words (roles and more), group and state labels, pronouns, prepositions."""
    pack = language_pack(lang)
    armed = set(pack.get("actors", "armed_roles"))
    words = frozenset({w for w, role in actor_roles(lang).items() if role in armed} | {
        w.lower() for w in pack.get("actors", "armed_words")})
    return (words, pack.words("actors", "armed_name_labels"),
            pack.words("actors", "armed_subject_labels"), pack.words("actors", "unknown_pronouns"),
            pack.words("actors", "side_prepositions"))


#: Entity labels of where something happened, not who fought there.
_WHERE = frozenset({"GPE", "LOC", "FAC"})
#: Dependencies of a trigger's own sides.
_SIDE_DEPS = SUBJECT_DEPS | {"obj", "dobj", "iobj"}


def _sides(sentence: Sentence, trigger: Token, preps: frozenset[str]) -> list[Token]:
    """The words that name who fought: see :func:`armed_actor`."""
    toks = sentence.tokens
    out = [t for t in toks if t.head == trigger.i and t.i != trigger.i and t.dep in _SIDE_DEPS]
    out += linked_nouns(sentence, trigger, preps)
    verb = next((t for t in toks if t.i == trigger.head), None)
    if verb is not None and verb.i != trigger.i and trigger.dep in SUBJECT_DEPS:
        # "a fight broke out between him and a neighbour", not "... broke out in Lyon"
        out += [t for t in linked_nouns(sentence, verb, preps)
                if not any(label in _WHERE and start <= t.idx < end
                           for start, end, label, _text in sentence.entities)]
    head = next((t for t in toks if t.i == trigger.head), None)
    if head is not None and head.i != trigger.i and trigger.dep in {"dobj", "obj", "pobj",
                                                                      "pcomp"}:
        # "he started a fight with her", "were charged with fighting": the clause's subject.
        verb = next((t for t in toks if t.i == head.head), head) if trigger.dep in {
            "pobj", "pcomp"} else head
        out += [t for t in toks if t.head == verb.i and t.dep in SUBJECT_DEPS]
    out += [t for t in toks if t.dep == "conj" and any(o.i == t.head for o in out)]
    return out
