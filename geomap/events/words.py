"""The event words of a language, read once from its language pack (``events.json``).

Prepositions, place nouns, anaphors, cues of the future and of denial, and
the punctuation that ends a sentence: what the place choice and the status of
an event need to know of a language, as data (see ``geomap/lang/<code>/events.json``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..lang import language_pack

__all__ = ["EventWords", "event_words"]


@dataclass(frozen=True, slots=True)
class EventWords:
    """The word lists of one language's ``events`` section.

    Attributes
    ----------
    lang : str
        The language code.
    at, to, from_, of : frozenset of str
        Prepositions (and case words) of a place where an event happens, where
        it goes, where it comes from, and the genitive ("the village of X").
    place_nouns, road_nouns : frozenset of str
        Nouns that name a place (or a building), and roads.
    anaphors : tuple of (str, frozenset of str)
        Two-word phrases that refer back to a place, by level (``region``, ``point``).
    soon, future_words, denial : frozenset of str
        Cues of an announced event, of the future, of a denial.
    realised_heads : frozenset of str
        Lemmas whose infinitive complement happened ("managed to seize"); under
        any other word an infinitive event is not yet a fact ("asked to release").
    light_verbs : frozenset of str
        Verbs whose subject does what their object noun tells ("carried out a
        raid", "held talks"), unlike a verb done to it ("broke up the march").
    wanting_heads, wanting_prepositions : frozenset of str
        Lemmas of calling for something, whose complement or object is wanted, not
        done ("demanded that the government resign", "a exigé sa libération"),
        and the prepositions of what is called for ("called for the release").
    reflexive, agent_prepositions : frozenset of str
        Reflexive pronouns, and the preposition of a passive's agent.
    sentence_end : re.Pattern
        The final punctuation a sentence has and a headline lacks.
    markers : frozenset of str
        ``at | to | from_ | of``.
    """

    lang: str
    at: frozenset[str]
    to: frozenset[str]
    from_: frozenset[str]
    of: frozenset[str]
    place_nouns: frozenset[str]
    road_nouns: frozenset[str]
    anaphors: tuple[tuple[str, frozenset[str]], ...]
    soon: frozenset[str]
    future_words: frozenset[str]
    denial: frozenset[str]
    realised_heads: frozenset[str]
    light_verbs: frozenset[str]
    wanting_heads: frozenset[str]
    wanting_prepositions: frozenset[str]
    reflexive: frozenset[str]
    agent_prepositions: frozenset[str]
    sentence_end: re.Pattern[str]
    #: Every preposition that says how a place hangs from an event (at, to, from, of).
    markers: frozenset[str] = frozenset()


@lru_cache(maxsize=8)
def event_words(lang: str) -> EventWords:
    """Load the event words of ``lang``, once per process.

    Parameters
    ----------
    lang : str
        A language with a pack under ``geomap/lang``.

    Returns
    -------
    EventWords

    Raises
    ------
    geomap.errors.UnknownOption
        For a language without a pack; the message lists the packs.

    Examples
    --------
    >>> "près" in event_words("fr").at
    True
    """
    pack = language_pack(lang)

    def words(key: str) -> frozenset[str]:
        return pack.words("events", key)

    anaphors = pack.get("events", "anaphors")
    at, to, from_, of = words("at"), words("to"), words("from"), words("of")
    return EventWords(
        lang=lang, at=at, to=to, from_=from_, of=of, markers=at | to | from_ | of,
        place_nouns=words("place_nouns"), road_nouns=words("road_nouns"),
        anaphors=tuple((level, frozenset(anaphors[level])) for level in ("region", "point")),
        soon=words("soon"), future_words=words("future_words"), denial=words("denial"),
        realised_heads=words("realised_heads"), light_verbs=words("light_verbs"),
        wanting_heads=words("wanting_heads"),
        wanting_prepositions=words("wanting_prepositions"),
        reflexive=words("reflexive"), agent_prepositions=words("agent_prepositions"),
        sentence_end=pack.pattern("events", "sentence_end"),
    )
