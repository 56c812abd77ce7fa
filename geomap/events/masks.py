"""Words that look like triggers but tell no event: names, modifiers, idioms, generic sentences.

- A trigger word inside a named entity or a capitalised name is part of the
  name ("Rapid Support Forces", "Forces de soutien rapide", "the Protest
  Museum", "Strike Force").
- A trigger word that only modifies a noun which is no trigger itself names a
  kind of thing ("riot police", "state media", "aid worker").
- A trigger word inside an idiom of the language is no trigger ("à plusieurs
  reprises", "le feu a pris", "in agreement with").
- A generic or habitual sentence (a count over a period, "often", "every
  summer", "à plusieurs reprises") tells no specific happening.

All of it is data: the ``cues`` section of each language pack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from gazetteer import fold

from ..lang import fold_text, language_pack
from ..records import Sentence
from .tree import descendants
from .triggers import TriggerSet, folded_words, phrase_hits

__all__ = ["Cues", "cues", "masked_tokens", "modifier_tokens", "is_generic"]


@dataclass(frozen=True, slots=True)
class Cues:
    """The ``cues`` section of one language pack, ready to match.

    Attributes
    ----------
    name_labels : frozenset of str
        Entity labels of names.
    name_deps, modifier_deps : frozenset of str
        Dependencies inside a capitalised name, and of a noun's modifier.
    idioms : tuple of str
        Folded phrases, words joined by single spaces.
    generic : tuple of re.Pattern
        Patterns of generic sentences, over the folded sentence.
    """

    name_labels: frozenset[str]
    name_deps: frozenset[str]
    modifier_deps: frozenset[str]
    idioms: tuple[str, ...]
    generic: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=8)
def cues(lang: str) -> Cues:
    """The cues of ``lang``, loaded once."""
    pack = language_pack(lang)
    idioms = tuple(dict.fromkeys(
        " ".join(fold(w) for w in i.replace("'", " ").replace("’", " ").split())
        for i in pack.get("cues", "idioms")))
    return Cues(pack.words("cues", "name_labels"), pack.words("cues", "name_deps"),
                pack.words("cues", "modifier_deps"), idioms,
                tuple(re.compile(p) for p in pack.get("cues", "generic")))


def _capitalised(text: str) -> bool:
    return text[:1].isupper() and text[:1].isalpha() and not text.isupper()


def masked_tokens(sentence: Sentence, triggers: TriggerSet, *, modifiers: bool = True
                  ) -> frozenset[int]:
    """The tokens of a sentence that cannot be triggers (see the module's rules).

    Parameters
    ----------
    sentence : Sentence
    triggers : TriggerSet
        The lexicon of the sentence's language.
    modifiers : bool
        Also mask the modifiers of nouns (:func:`modifier_tokens`; off for the
        multi-word cues of the ACLED coder, which name their kind: "suicide bomber").

    Returns
    -------
    frozenset of int
        Token indices (``Token.i``).
    """
    c = cues(triggers.lang)
    toks = sentence.tokens
    out: set[int] = set()
    for start, end, label, _text in sentence.entities:
        inside = [t for t in toks if start <= t.idx < end]
        # One common noun read as a name is the model's slip ("Mortars were fired").
        if label in c.name_labels and (len(inside) > 1 or any(t.pos == "PROPN"
                                                               for t in inside)):
            out.update(t.i for t in inside)
    first = toks[0].i if toks else 0
    for t in toks:
        if t.i != first and _capitalised(t.text) and t.pos in {"NOUN", "PROPN"}:
            out.update(k.i for k in descendants(sentence, t, c.name_deps))
    if c.idioms:
        joined, starts = folded_words(sentence)
        for idiom in c.idioms:
            for at in phrase_hits(joined, idiom):
                out.update(toks[k].i for k, s in enumerate(starts)
                           if at <= s < at + len(idiom))
    if modifiers:
        out |= modifier_tokens(sentence, triggers)
    return frozenset(out)


def modifier_tokens(sentence: Sentence, triggers: TriggerSet) -> frozenset[int]:
    """The modifiers of a noun that is no trigger itself ("riot police", "state media").

    A modifier of a noun that is a trigger stays readable ("a bombing attack").
    """
    c = cues(triggers.lang)
    by_i = {t.i: t for t in sentence.tokens}
    lemmas = triggers.all_lemmas
    out = set()
    for t in sentence.tokens:
        head = by_i.get(t.head)
        if (t.dep in c.modifier_deps and head is not None and head.i != t.i
                and head.pos in {"NOUN", "PROPN"} and head.lemma not in lemmas):
            out.add(t.i)
    return frozenset(out)


def is_generic(sentence: Sentence, lang: str) -> bool:
    """Whether a sentence is generic or habitual rather than one happening."""
    text = fold_text(sentence.text)
    return any(p.search(text) for p in cues(lang).generic)
