"""Trigger words: loading a language's lexicon and finding the triggers of a sentence.

Triggers are data (the ``triggers`` section of ``geomap/lang/<code>/``):
lemmas and phrases per event type, negation and modality cues, and which type
subsumes which in one sentence (ACLED's order: a battle in which territory
changes hands is a ``territory_change``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from gazetteer import fold

from ..errors import UnknownOption, options_message
from ..lang import language_pack
from ..records import Sentence, Token
from ..taxonomy import EVENT_TYPES
from .tree import descendants
from .words import event_words

__all__ = ["OBJECT_KINDS", "ObjectRule", "TriggerSet", "find_triggers", "folded_words",
           "lacks_object", "load_triggers", "phrase_hits", "resumed", "speech_lemmas"]


#: What an object rule can ask the object to be.
OBJECT_KINDS = ("place", "person")


@dataclass(frozen=True, slots=True)
class ObjectRule:
    """What the object of some triggers of a type must be for the event to count.

    Attributes
    ----------
    needs : {"place", "person"}
        A place: a recognised place name, a location entity or a place noun. A
        person: a person entity, a name, a pronoun, a number ("freed 30") or a
        noun of people.
    lemmas : frozenset of str
        The triggers it applies to; empty for every trigger of the type.
    words : frozenset of str
        More lemmas that satisfy it ("control" for a place, "hostage" for a person).
    nouns : bool
        Whether it also applies to the trigger as a noun, whose object is its
        "of" complement ("the release of two hostages"); a noun without one fails.
    resume_verbs : frozenset of str
        Verbs that, with no object and an event for subject, say that the event
        resumed: "reprendre la ville" is a retaking, "les combats ont repris" is not.
    """

    needs: str
    lemmas: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    nouns: bool = False
    resume_verbs: frozenset[str] = frozenset()


def _object_rule(lang: str, etype: str, raw: dict[str, Any]) -> ObjectRule:
    needs = raw.get("needs")
    if needs not in OBJECT_KINDS:
        raise UnknownOption(options_message(
            f"object kind of {etype} in geomap/lang/{lang}/triggers.json", str(needs),
            OBJECT_KINDS))
    return ObjectRule(needs, frozenset(x.lower() for x in raw.get("lemmas", ())),
                      frozenset(x.lower() for x in raw.get("words", ())),
                      bool(raw.get("nouns", False)),
                      frozenset(x.lower() for x in raw.get("resume_verbs", ())))


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
    verbs_only : frozenset of (str, str)
        ``(type, lemma)`` pairs that count only as verbs ("troops were stationed"
        is a deployment, "the police station" is not).
    objects : dict of str to tuple of ObjectRule
        Per type, what the object of some of its triggers must be: a place for
        a territory verb ("seized the town", not "seized some items"), a person
        for a release ("released two hostages", not "released few details").
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
    verbs_only: frozenset[tuple[str, str]] = frozenset()
    objects: dict[str, tuple[ObjectRule, ...]] = field(default_factory=dict)

    @property
    def all_lemmas(self) -> frozenset[str]:
        """Every trigger lemma of every type."""
        return frozenset().union(*self.lemmas.values())


_VERBS = frozenset({"VERB", "AUX"})
#: The keys of a type's entry in triggers.json that list its trigger lemmas.
_LEMMA_KEYS = ("lemmas", "weak", "nouns_only", "verbs_only")


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
        lemmas={k: frozenset(x.lower() for key in _LEMMA_KEYS for x in v.get(key, ()))
                for k, v in types.items()},
        phrases={k: tuple(fold(x) for x in v.get("phrases", ())) for k, v in types.items()},
        negation=frozenset(x.lower() for x in pack.get("triggers", "negation")),
        modality=frozenset(x.lower() for x in pack.get("triggers", "modality")),
        subsumes={k: frozenset(v) for k, v in pack.get("triggers", "subsumes").items()},
        weak=frozenset(x.lower() for v in types.values() for x in v.get("weak", ())),
        not_reflexive=frozenset(x.lower() for x in pack.get("triggers", "not_reflexive")),
        nouns_only=frozenset((k, x.lower()) for k, v in types.items()
                             for x in v.get("nouns_only", ())),
        verbs_only=frozenset((k, x.lower()) for k, v in types.items()
                             for x in v.get("verbs_only", ())),
        objects={k: tuple(_object_rule(lang, k, r) for r in v["objects"])
                 for k, v in types.items() if "objects" in v},
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


def phrase_hits(joined: str, phrase: str) -> list[int]:
    """Where ``phrase`` occurs in ``joined`` as whole words (see :func:`folded_words`).

    "the strike" is not in "the striker scored".

    >>> phrase_hits("the striker saw the strike", "the strike")
    [16]
    """
    out, at = [], joined.find(phrase) if phrase else -1
    while at >= 0:
        end = at + len(phrase)
        if (at == 0 or joined[at - 1] == " ") and (end == len(joined) or joined[end] == " "):
            out.append(at)
        at = joined.find(phrase, at + 1)
    return out


#: Parts of speech of a phrase's function words, never its trigger ("the", "on").
_FUNCTION_POS = frozenset({"DET", "ADP", "PART", "CCONJ", "SCONJ", "PRON", "PUNCT"})


def find_triggers(sentence: Sentence, triggers: TriggerSet,
                  refuse: Callable[[str, Token], bool] | None = None) -> dict[str, Token]:
    """Find the first trigger token of each event type in a sentence.

    Phrases are matched first (on the folded tokens joined by spaces), and the
    tokens a phrase covers are not read again as single-lemma triggers: "crime
    de guerre" is an accusation, not also a war. A phrase's trigger is its
    first content word ("strike" in "the strike"); a content word matched on
    its own beats it, and a subsuming type drops the types it subsumes.

    Parameters
    ----------
    sentence : Sentence
        The parsed sentence.
    triggers : TriggerSet
        The lexicon of the sentence's language.
    refuse : callable, optional
        ``refuse(event_type, token)`` is true for a trigger that does not count
        (a resumption). A refused word is passed over for the type's
        next one, and it subsumes nothing: "les combats ont repris" is fighting,
        since "repris" without an object is no retaking.

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
            hits = phrase_hits(joined, ph)
            if not hits:
                continue
            at = hits[0]
            first = max(i for i, st in enumerate(starts) if st <= at)
            last = max(i for i, st in enumerate(starts) if st < at + len(ph))
            span = sentence.tokens[first:last + 1]
            covered.update(t.i for t in span)
            # the phrase's first content word ("strike" in "the strike"), else its first
            found.setdefault(etype, next((t for t in span if t.pos not in _FUNCTION_POS),
                                         span[0]))
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
                    tok.pos != "NOUN" and (etype, lemma) in triggers.nouns_only) and not (
                    tok.pos not in _VERBS and (etype, lemma) in triggers.verbs_only) and (
                    refuse is None or not refuse(etype, tok)):
                by_lemma[etype] = tok
    found.update(by_lemma)  # a content word beats a phrase's first word as the trigger
    if refuse is not None:  # a refused phrase: its type may still have a lemma trigger
        found = {k: t for k, t in found.items() if not refuse(k, t)}
    for winner, losers in triggers.subsumes.items():
        if winner in found:
            for loser in losers:
                found.pop(loser, None)
    return found


#: Dependencies of a verb's object: active (English, UD French) and passive subjects.
_OBJECT_DEPS = frozenset({"dobj", "obj", "nsubjpass", "nsubj:pass"})
_ENTITIES = {"place": frozenset({"GPE", "LOC", "FAC"}), "person": frozenset({"PERSON", "PER"})}
_PERSON_POS = frozenset({"PRON", "PROPN", "NUM"})


def _objects(sentence: Sentence, trigger: Token, of: frozenset[str]) -> list[Token]:
    """The object of a verb (or of a participle's noun), or the "of" complement of a noun."""
    by_i = {t.i: t for t in sentence.tokens}
    children = [t for t in sentence.tokens if t.head == trigger.i and t.i != trigger.i]
    if trigger.pos == "NOUN":
        out = []
        for c in children:
            if c.dep == "prep" and c.lemma.lower() in of:  # English: of → pobj
                out += [g for g in sentence.tokens if g.head == c.i and g.dep == "pobj"]
            elif c.dep == "nmod" and any(g.head == c.i and g.dep == "case"
                                         and g.lemma.lower() in of for g in sentence.tokens):
                out.append(c)  # UD: the nmod with its case word
        return out
    out = [c for c in children if c.dep in _OBJECT_DEPS]
    head = by_i.get(trigger.head)
    if head is not None and trigger.dep.startswith(("acl", "amod")) and head.pos == "NOUN":
        out.append(head)  # "the items seized", "a statement released Wednesday"
    return out


def resumed(sentence: Sentence, trigger: Token, etype: str, triggers: TriggerSet) -> bool:
    """Whether a verb of ``etype`` only says that another event resumed.

    True for one of the type's ``resume_verbs`` (:class:`ObjectRule`) with no
    object and an event word for active subject: "les combats ont repris" is
    fighting, not a retaking.

    >>> from geomap.testing import sentence
    >>> s = sentence("Les combats ont repris mardi", lemmas="le combat avoir reprendre mardi",
    ...              pos="DET NOUN AUX VERB NOUN", deps="det nsubj aux ROOT obl:mod",
    ...              heads=[1, 3, 3, 3, 3])
    >>> resumed(s, s.tokens[3], "territory_change", load_triggers("fr"))
    True
    """
    lemma = trigger.lemma.lower()
    if trigger.pos not in _VERBS or not any(
            lemma in r.resume_verbs for r in triggers.objects.get(etype, ())):
        return False
    if any(t.head == trigger.i and t.i != trigger.i and t.dep in _OBJECT_DEPS
           for t in sentence.tokens):
        return False
    words = triggers.all_lemmas
    return any(t.head == trigger.i and t.i != trigger.i and t.dep == "nsubj"
               and (t.lemma.lower() in words or t.text.lower() in words)
               for t in sentence.tokens)


def lacks_object(sentence: Sentence, trigger: Token, etype: str, triggers: TriggerSet,
                 place_spans: Sequence[tuple[int, int]]) -> bool:
    """Tell whether a trigger's object is not what its type needs (see :class:`ObjectRule`).

    "The rebels seized the town" and "the army retook Kupiansk" keep their event;
    "agents seized some items" does not. "Kyiv released two prisoners" and "the
    release of the hostages" keep theirs; "authorities released few details" and
    "in a news release" do not. A verb without an object ("the troops advanced")
    and a pronoun object keep it.

    Parameters
    ----------
    sentence : Sentence
        The trigger's sentence.
    trigger : Token
        The trigger.
    etype : str
        The event type it was found for.
    triggers : TriggerSet
        The language's triggers (:attr:`TriggerSet.objects`).
    place_spans : sequence of (int, int)
        Document offsets of the place names recognised in the document.

    Returns
    -------
    bool
        True when the event is to be dropped.
    """
    lemma = trigger.lemma.lower()
    rules = [r for r in triggers.objects.get(etype, ()) if not r.lemmas or lemma in r.lemmas]
    noun = trigger.pos == "NOUN"
    rules = [r for r in rules if (r.nouns if noun else trigger.pos in _VERBS | {"ADJ"})]
    if not rules:
        return False
    words = event_words(triggers.lang)
    objects = _objects(sentence, trigger, words.of)
    if not objects:
        return noun  # a noun needs its complement; a verb may have none
    for rule in rules:
        nouns = (words.place_nouns if rule.needs == "place" else frozenset()) | rule.words
        labels = _ENTITIES[rule.needs]
        spans = [(a, b) for a, b, label, _ in sentence.entities if label in labels]
        if rule.needs == "place":
            spans += list(place_spans)
        for obj in objects:
            if obj.pos == "PRON" or (rule.needs == "person" and obj.pos in _PERSON_POS):
                break
            # "the audit, released by the auditor Crit Luallen": the noun a
            # participle qualifies, without the participle's own words.
            mine = ({t.i for t in descendants(sentence, trigger, None)} | {trigger.i}
                    if obj.i == trigger.head else set())
            if any(tok.lemma.lower() in nouns or any(a <= tok.idx < b for a, b in spans)
                   for tok in (obj, *descendants(sentence, obj, None)) if tok.i not in mine):
                break
        else:
            return True
    return False
