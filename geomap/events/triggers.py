"""Trigger words: loading a language's lexicon and finding the triggers of a sentence.

Triggers are data (the ``triggers`` section of ``geomap/lang/<code>/``):
lemmas and phrases per event type, negation and modality cues, and which type
subsumes which in one sentence (ACLED's order: a battle in which territory
changes hands is a ``territory_change``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from gazetteer import fold

from ..errors import UnknownOption, options_message
from ..lang import language_pack
from ..records import Sentence, Token
from ..taxonomy import EVENT_TYPES
from .words import event_words

__all__ = ["TriggerSet", "find_triggers", "folded_words", "load_triggers", "speech_lemmas"]


@dataclass(frozen=True, slots=True)
class TriggerSet:
    """One language's trigger data.

    Attributes
    ----------
    lang : str
        The language code.
    lemmas : dict of str to frozenset of str
        Per event type, the lemmas (or lower-cased words) that trigger it.
    phrases : dict of str to tuple of str
        Per event type, folded phrases matched in the folded sentence.
    negation, modality : frozenset of str
        Cues of a negated or hypothetical clause.
    subsumes : dict of str to frozenset of str
        Types that drop others found in the same sentence.
    weak : frozenset of str
        Lemmas that find an event without telling its kind ("attack", "kill"):
        the sub-event cues of the sentence decide the type.
    not_reflexive : frozenset of str
        Lemmas that are no trigger in their reflexive use ("se féliciter de"
        is to be pleased, "féliciter quelqu'un" to praise someone).
    nouns_only : frozenset of (str, str)
        ``(type, lemma)`` pairs that count only as nouns ("a strike" is a
        protest, "the missile struck" is not).
    """

    lang: str
    lemmas: dict[str, frozenset[str]]
    phrases: dict[str, tuple[str, ...]]
    negation: frozenset[str]
    modality: frozenset[str]
    subsumes: dict[str, frozenset[str]]
    weak: frozenset[str] = frozenset()
    not_reflexive: frozenset[str] = frozenset()
    nouns_only: frozenset[tuple[str, str]] = frozenset()

    @property
    def all_lemmas(self) -> frozenset[str]:
        """Every trigger lemma of every type."""
        return frozenset().union(*self.lemmas.values())


@lru_cache(maxsize=8)
def load_triggers(lang: str) -> TriggerSet:
    """Load the trigger data of ``lang`` from its language pack.

    Parameters
    ----------
    lang : str
        A language with a pack under ``geomap/lang``.

    Returns
    -------
    TriggerSet

    Raises
    ------
    geomap.errors.UnknownOption
        For a language without a pack, or a pack naming an unknown event type;
        the message lists the options.

    Examples
    --------
    >>> "reprendre" in load_triggers("fr").lemmas["territory_change"]
    True
    """
    pack = language_pack(lang)
    types = pack.get("triggers", "types")
    for name in types:
        if name not in EVENT_TYPES:
            raise UnknownOption(options_message(
                f"event type in geomap/lang/{lang}/triggers.json", name, EVENT_TYPES))
    return TriggerSet(
        lang=lang,
        lemmas={k: frozenset(x.lower() for x in (*v.get("lemmas", ()), *v.get("weak", ()),
                                                 *v.get("nouns_only", ())))
                for k, v in types.items()},
        phrases={k: tuple(fold(x) for x in v.get("phrases", ())) for k, v in types.items()},
        negation=frozenset(x.lower() for x in pack.get("triggers", "negation")),
        modality=frozenset(x.lower() for x in pack.get("triggers", "modality")),
        subsumes={k: frozenset(v) for k, v in pack.get("triggers", "subsumes").items()},
        weak=frozenset(x.lower() for v in types.values() for x in v.get("weak", ())),
        not_reflexive=frozenset(x.lower() for x in pack.get("triggers", "not_reflexive")),
        nouns_only=frozenset((k, x.lower()) for k, v in types.items()
                             for x in v.get("nouns_only", ())),
    )


def speech_lemmas(triggers: TriggerSet) -> frozenset[str]:
    """Collect the lemmas of speech: the triggers of statements and accusations.

    Parameters
    ----------
    triggers : TriggerSet
        A language's triggers.

    Returns
    -------
    frozenset of str
        A place these govern is the source of a statement ("la confirmation de
        Moscou"), and a violent event they govern is told, not happening.
    """
    return (triggers.lemmas.get("statement", frozenset())
            | triggers.lemmas.get("accusation", frozenset()))


def folded_words(sentence: Sentence) -> tuple[str, list[int]]:
    """The sentence's tokens folded and joined by single spaces, and where each starts.

    Phrases of a pack (triggers, idioms) are matched on this text.
    """
    starts, parts, pos = [], [], 0
    for tok in sentence.tokens:
        f = fold(tok.text)
        starts.append(pos)
        parts.append(f)
        pos += len(f) + 1
    return " ".join(parts), starts


def find_triggers(sentence: Sentence, triggers: TriggerSet) -> dict[str, Token]:
    """Find the first trigger token of each event type in a sentence.

    Phrases are matched first (on the folded tokens joined by spaces), and the
    tokens a phrase covers are not read again as single-lemma triggers: "crime
    de guerre" is an accusation, not also a war. A content word beats a
    phrase's first word as the trigger, and a subsuming type drops the types it
    subsumes.

    Parameters
    ----------
    sentence : Sentence
        The parsed sentence.
    triggers : TriggerSet
        The lexicon of the sentence's language.

    Returns
    -------
    dict of str to Token
        The trigger of each event type found.
    """
    found: dict[str, Token] = {}
    covered: set[int] = set()
    joined, starts = folded_words(sentence)
    for etype, phrases in triggers.phrases.items():
        for ph in phrases:
            at = joined.find(ph) if ph else -1
            if at < 0:
                continue
            first = max(i for i, st in enumerate(starts) if st <= at)
            last = max(i for i, st in enumerate(starts) if st < at + len(ph))
            covered.update(sentence.tokens[k].i for k in range(first, last + 1))
            found.setdefault(etype, sentence.tokens[first])
            break
    by_lemma: dict[str, Token] = {}
    reflexive_words = event_words(triggers.lang).reflexive
    reflexive = {t.head for t in sentence.tokens if t.dep.startswith("expl")
                 and t.lemma in reflexive_words} if triggers.not_reflexive else set()
    for tok in sentence.tokens:
        if tok.i in covered or tok.pos == "PROPN":
            continue
        if tok.i in reflexive and tok.lemma in triggers.not_reflexive:
            continue
        lemma, low = tok.lemma, tok.text.lower()
        for etype, lemmas in triggers.lemmas.items():
            if etype not in by_lemma and (lemma in lemmas or low in lemmas) and not (
                    tok.pos != "NOUN" and (etype, lemma) in triggers.nouns_only):
                by_lemma[etype] = tok
    found.update(by_lemma)  # a content word beats a phrase's first word as the trigger
    for winner, losers in triggers.subsumes.items():
        if winner in found:
            for loser in losers:
                found.pop(loser, None)
    return found
