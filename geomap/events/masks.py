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
from .triggers import TriggerSet

__all__ = ["Cues", "cues", "masked_tokens", "is_generic"]


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
        The lexicon of the sentence's language: a modifier of a noun that is a
        trigger itself stays readable ("a bombing attack").
    modifiers : bool
        Also mask the modifiers of nouns (off for the multi-word cues of the
        ACLED coder, which name their kind: "suicide bomber").

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
    by_head: dict[int, list[int]] = {}
    for t in toks:
        if t.head != t.i:
            by_head.setdefault(t.head, []).append(t.i)
    by_i = {t.i: t for t in toks}
    first = toks[0].i if toks else 0
    for t in toks:
        if t.i == first or not _capitalised(t.text) or t.pos not in {"NOUN", "PROPN"}:
            continue
        todo = list(by_head.get(t.i, ()))
        while todo:
            k = todo.pop()
            if by_i[k].dep in c.name_deps:
                out.add(k)
                todo.extend(by_head.get(k, ()))
    all_lemmas = frozenset().union(*triggers.lemmas.values()) if triggers.lemmas else frozenset()
    for t in toks if modifiers else ():
        head = by_i.get(t.head)
        if (t.dep in c.modifier_deps and head is not None and head.i != t.i
                and head.pos in {"NOUN", "PROPN"} and head.lemma not in all_lemmas):
            out.add(t.i)
    if c.idioms:
        words = [fold(t.text) for t in toks]
        starts, pos = [], 0
        for w in words:
            starts.append(pos)
            pos += len(w) + 1
        joined = " ".join(words)
        for idiom in c.idioms:
            at = joined.find(idiom)
            while at >= 0:
                end = at + len(idiom)
                if (at == 0 or joined[at - 1] == " ") and (end == len(joined)
                                                           or joined[end] == " "):
                    out.update(toks[k].i for k, s in enumerate(starts) if at <= s < end)
                at = joined.find(idiom, at + 1)
    return frozenset(out)


def is_generic(sentence: Sentence, lang: str) -> bool:
    """Whether a sentence is generic or habitual rather than one happening."""
    text = fold_text(sentence.text)
    return any(p.search(text) for p in cues(lang).generic)
