"""Whether an event happened: negation, modality and the future, read on the trigger's clauses."""

from __future__ import annotations

from ..records import STATUSES, Sentence, Token
from .masks import is_generic
from .tree import OBJECT_DEPS, ancestors, clause_verb
from .triggers import TriggerSet
from .words import EventWords, event_words

__all__ = ["STATUSES", "called_for", "event_status", "unrealised_infinitive"]

#: How an infinitive hangs from the word whose content it is ("asked to release",
#: "came to arrest", "the decision to allow", "a demandé de libérer").
_COMPLEMENT_DEPS = frozenset({"xcomp", "ccomp", "advcl", "acl", "csubj", "obl", "obl:arg"})
#: Events a purpose clause enacts: "blocked the road to demonstrate" is the protest.
_ENACTED_BY_PURPOSE = frozenset({"protest", "riot"})


def unrealised_infinitive(sentence: Sentence, trigger: Token,
                          realised_heads: frozenset[str], etype: str | None = None) -> bool:
    """Tell whether a verbal trigger is the infinitive content of another word.

    "asked the court to delay", "agreed to release", "the decision to allow", "pour
    attaquer" tell what is wanted, agreed or intended, not what happened; under a
    head of ``realised_heads`` ("managed to seize", "ont commencé à bombarder") the
    infinitive did happen, and a protest's purpose clause is the protest ("gathered
    to protest").

    Parameters
    ----------
    sentence : Sentence
        The parsed sentence.
    trigger : Token
        The event's trigger in it; a noun trigger is never an infinitive.
    realised_heads : frozenset of str
        The language's lemmas whose infinitive complement happened.
    etype : str, optional
        The event's type.

    Returns
    -------
    bool
    """
    if "VerbForm=Inf" not in trigger.morph or trigger.dep not in _COMPLEMENT_DEPS:
        return False
    if trigger.dep == "advcl" and etype in _ENACTED_BY_PURPOSE:
        return False
    head = next((t for t in sentence.tokens if t.i == trigger.head), None)
    return head is not None and head.i != trigger.i and head.lemma not in realised_heads


#: How a wanted thing hangs on the word that calls for it.
_WANTED_DEPS = frozenset({"ccomp", "xcomp", "dobj", "obj", "obl:arg"})


def called_for(sentence: Sentence, trigger: Token, words_of: EventWords) -> bool:
    """Tell whether a trigger is what someone calls for, not what happened.

    "demanded that the government resign", "demanded the release of the
    prisoners", "called for the release", "a exigé sa libération": the
    trigger is the complement or the object of a word of ``wanting_heads``
    (through a ``wanting_prepositions`` for a noun). The calling itself is the
    demand event.

    Parameters
    ----------
    sentence : Sentence
    trigger : Token
    words_of : EventWords
        The language's event words.

    Returns
    -------
    bool
    """
    by_i = {t.i: t for t in sentence.tokens}
    head = by_i.get(trigger.head)
    if head is None or head.i == trigger.i:
        return False
    if trigger.dep in _WANTED_DEPS and head.lemma.lower() in words_of.wanting_heads:
        return True
    above = by_i.get(head.head)
    return (trigger.dep == "pobj" and head.text.lower() in words_of.wanting_prepositions
            and above is not None and above.lemma.lower() in words_of.wanting_heads)


def event_status(sentence: Sentence, trigger: Token, triggers: TriggerSet,
                 etype: str | None = None) -> str:
    """Tell whether the trigger's event is a fact, negated, hypothetical, future or generic.

    Negation is read on the trigger's own clause (with the word its infinitive
    completes: "did not manage to seize"); modality and tense on every clause
    above it ("un monument commémorant la bataille sera érigé").

    Parameters
    ----------
    sentence : Sentence
        The parsed sentence.
    trigger : Token
        The event's trigger in it.
    triggers : TriggerSet
        The negation and modality cues of the sentence's language.
    etype : str, optional
        The event's type, when known (a protest's purpose clause is the protest).

    Returns
    -------
    str
        One of :data:`STATUSES`.
    """
    words_of = event_words(triggers.lang)
    if sentence.text.rstrip().endswith("?"):
        return "hypothetical"  # a question asks whether it happened
    verb = clause_verb(sentence, trigger)
    heads = {trigger.i, verb.i}
    if "VerbForm=Inf" in verb.morph and verb.dep in _COMPLEMENT_DEPS:
        # "were not able to reach an agreement", "n'ont pas réussi à conclure un
        # accord": the negation of the word an infinitive completes is its own
        heads.add(verb.head)
    around = [t for t in sentence.tokens if t.head in heads and t.i not in heads]
    words = {t.text.lower() for t in around} | {t.lemma for t in around}
    denial = words_of.denial
    if words & triggers.negation or trigger.lemma in denial or any(
            t.lemma in denial for t in ancestors(sentence, trigger)[1:]):
        return "negated"
    chain = {t.i for t in ancestors(sentence, trigger) if t.pos in {"VERB", "AUX"}} | heads
    # Proper nouns are names, not modal words: the month "May", a "Could" of a title.
    around = [t for t in sentence.tokens
              if t.head in chain and t.i not in chain and t.pos != "PROPN"]
    words = {t.text.lower() for t in around} | {t.lemma for t in around}
    above = [t for t in ancestors(sentence, trigger)[1:] if t.pos in {"VERB", "AUX"}]
    # A noun trigger takes the status of the verb it is the object of: "is to make an
    # official visit", "asked to delay his execution", "refusing to allow more
    # protests" (not a purpose clause: "arrived to hold talks" holds them). Any verb,
    # not only light ones: measured on the development data, what is wanted, allowed
    # or delayed outweighs what is to be examined ("agreed to examine the shooting").
    governed = verb.i != trigger.i and trigger.dep in OBJECT_DEPS and verb.dep != "advcl"
    if unrealised_infinitive(sentence, trigger, words_of.realised_heads, etype) \
            or (governed
                and unrealised_infinitive(sentence, verb, words_of.realised_heads, etype)) \
            or called_for(sentence, trigger, words_of) \
            or words & triggers.modality \
            or (verb.lemma in triggers.modality and verb.i != trigger.i) \
            or any(t.text.lower() in triggers.modality or t.lemma in triggers.modality
                   for t in above):
        return "hypothetical"
    morph = "".join(t.morph for t in sentence.tokens if t.i in chain) + "".join(
        t.morph for t in around if t.dep.startswith("aux"))
    if "Tense=Fut" in morph or words & words_of.future_words:
        return "future"
    if "Mood=Cnd" in morph and words & words_of.soon:
        # A French conditional usually reports ("aurait bombardé" = reportedly
        # bombed); with "bientôt" it announces something still to come.
        return "future"
    if is_generic(sentence, triggers.lang):
        return "generic"
    return "fact"
