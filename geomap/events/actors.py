"""Who acted and on whom: the actors of an event, from its sentence's places and entities.

Countries and demonyms name the country, with the role the noun they qualify
gives ("les soldats nord-coréens" → "North Korea: military forces"); the role
nouns of each language are the ``actors`` section of its pack, the short
country names of the labels ``geomap/data/actor_countries.json``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from ..lang import language_pack
from ..records import Mention, Place, Sentence, Token
from .tree import SUBJECT_DEPS, head_token, is_subject_conj

__all__ = ["actor_roles", "armed_actor", "event_actors"]

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
                before: Sentence | None = None,
                places: Sequence[Mention] = ()) -> bool:
    """Whether a sentence (or the one before it) names an organised armed actor.

    The coding guide's armed clash is organised armed groups fighting each
    other: a private fight ("got into a fight with a neighbour") is none.
    "Police raided the estate. A shoot-out broke out.": the sentence before
    names who fought.

    Parameters
    ----------
    sentence : Sentence
    trigger : Token
        The fighting word.
    lang : str
        The sentence's language: its pack's ``actors`` section names the armed
        roles and words, the entity labels of named groups, and those of states,
        which count when they are the trigger's subject ("India and Pakistan
        clashed").
    before : Sentence, optional
        The sentence before it in the document.
    places : sequence of Mention
        The document's place mentions: a name the model labels as a group that
        is one of them ("Dayton" as an organisation) names no group.

    Returns
    -------
    bool
    """
    pack = language_pack(lang)
    armed = set(pack.get("actors", "armed_roles"))
    words = {w for w, role in actor_roles(lang).items() if role in armed} | {
        w.lower() for w in pack.get("actors", "armed_words")}
    phrases = [w for w in words if " " in w or "-" in w]
    named = set(pack.get("actors", "armed_name_labels"))
    states = set(pack.get("actors", "armed_subject_labels"))
    for s in (sentence, before):
        if s is None:
            continue
        text = s.text.lower()
        if any(t.lemma.lower() in words or t.text.lower() in words for t in s.tokens) or any(
                p in text for p in phrases):
            return True
        if any(label in named and not any(m.start < end and start < m.end for m in places)
               for start, end, label, _text in s.entities):
            return True
    for start, end, label, _text in sentence.entities:
        if label in states and any(
                start <= t.idx < end and ((t.head == trigger.i and t.dep in SUBJECT_DEPS)
                                          or is_subject_conj(sentence, t))
                for t in sentence.tokens):
            return True
    return False
