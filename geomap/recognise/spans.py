"""Spans: trimming a name to its edges, telling a name from an abbreviation, keeping claims.

Shared by recognition and by the gazetteer-backed recall of the resolve
stage, which both add mentions to one :class:`SpanCollector`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ..records import Mention, MentionHints, Sentence
from .model import sentence_index
from .rules import RecognitionRules

__all__ = ["SpanCollector", "trim", "name_like", "single_letters", "common_word", "zipf"]


def trim(text: str, start: int, end: int, rules: RecognitionRules) -> tuple[int, int]:
    """Drop leading articles and trailing possessives and punctuation from a span.

    Parameters
    ----------
    text : str
        The document text.
    start, end : int
        The span.
    rules : RecognitionRules
        The language's articles, possessive and abbreviations.

    Returns
    -------
    tuple of int
        The trimmed ``(start, end)``.
    """
    while True:
        span = text[start:end]
        low = span.lower()
        for art in rules.articles:
            if low.startswith(art) and len(span) > len(art) + 1:
                start += len(art)
                break
        else:
            break
    span = text[start:end]
    m = rules.possessive.search(span)
    if m and m.start() > 0:
        end = start + m.start()
    while end > start and text[end - 1] in " ,.;:»«\"”“)(":
        if text[end - 1] == "." and rules.abbreviation.search(text[start:end]):
            break  # "U.S.", "W.Va.", "Ind.": the period belongs to the name
        end -= 1
    while start < end and text[start] in " «»\"“”(":
        start += 1
    if text[end:end + 1] == "." and rules.abbreviation.search(text[start:end + 1]):
        end += 1  # the tokenizer left the period of a sentence-final "W.Va." outside
    # "Mato Grosso do Sul vendredi": a day or month in lower case the model took in.
    while " " in text[start:end].strip():
        cut = text.rindex(" ", start, end)
        last = text[cut + 1:end]
        if not (last[:1].islower() and last.lower() in rules.calendar):
            break
        end = cut
    return start, end


def name_like(text: str, start: int, end: int, rules: RecognitionRules) -> bool:
    """Whether a span looks like a place name.

    It needs two letters and a capital at its start (after an article), and
    is not an abbreviation: a word cut by a period before a lowercase word or
    a bracket ("Géog. mod."), or, where the pack says so, before a digit
    (the Encyclopédie's "lat. 49").

    Parameters
    ----------
    text : str
    start, end : int
    rules : RecognitionRules

    Returns
    -------
    bool

    Examples
    --------
    >>> from geomap.recognise.rules import recognition_rules
    >>> t = "COMPIEGNE, (Géog. mod.) ville de France, lat. 49d. & c. A Reims."
    >>> fr = recognition_rules("fr")
    >>> [name_like(t, t.index(w), t.index(w) + len(w), fr) for w in ("Géog", "France", "&", "A")]
    [False, True, False, False]
    >>> hist = recognition_rules("fr", ("fr-hist",))
    >>> t = "vers Reims. 49 lieues"
    >>> [name_like(t, 5, 10, r) for r in (fr, hist)]
    [True, False]
    """
    span = text[start:end]
    if sum(ch.isalpha() for ch in span) < 2 or not rules.name_start.match(span):
        return False
    first = next(ch for ch in span if ch.isalpha())
    if not first.isupper() and not span[:1].isupper():
        return False
    after = text[end:end + 3]
    if " " in span or after[:1] != "." or len(after) < 2:
        return True
    digit = rules.abbreviation_before_digit
    nxt = after[1:2]
    return not (nxt.islower() or (digit and nxt.isdigit()) or nxt in ")]"
                or (nxt == " " and (after[2:3].islower() or (digit and after[2:3].isdigit()))))


def single_letters(span: str) -> bool:
    """Whether a span is only single letters ("E G I", "A B"): a figure's points.

    >>> single_letters("E G I"), single_letters("A Coruña")
    (True, False)
    """
    words = span.split()
    return len(words) > 1 and all(len(w) == 1 for w in words)


@lru_cache(maxsize=65536)
def zipf(word: str, lang: str) -> float:
    """How common ``word`` is in ``lang`` (``wordfreq``'s Zipf scale, 0 to about 8).

    >>> zipf("police", "en") > zipf("Kherson", "en")
    True
    """
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, lang))


def common_word(name: str, lang: str) -> bool:
    """Whether ``name`` is also an everyday word of ``lang`` ("Police", "Central", "First").

    Uses the word frequencies of the ``wordfreq`` package (Zipf scale: 5.1 is
    about one occurrence in 8,000 words, the level of "police" or "green";
    "Paris" and "Washington" stay below it).

    >>> common_word("Police", "en"), common_word("Paris", "en")
    (True, False)
    """
    return " " not in name and zipf(name, lang) >= 5.1


class SpanCollector:
    """Gather mentions, keeping the first claim on any character range.

    Parameters
    ----------
    text : str
        The document text.
    sentences : sequence of Sentence
        Its sentences (to number each mention's sentence).
    rules : RecognitionRules
        How to trim a span.
    """

    def __init__(self, text: str, sentences: Sequence[Sentence], rules: RecognitionRules):
        self.text = text
        self.sentences = sentences
        self.rules = rules
        self.items: list[Mention] = []

    def overlaps(self, start: int, end: int) -> bool:
        """Whether any kept mention overlaps ``start..end``."""
        return any(m.start < end and start < m.end for m in self.items)

    def add(self, start: int, end: int, kind: str = "toponym", **hints: Any) -> bool:
        """Trim the span and keep it unless it is empty or overlaps a kept one.

        Parameters
        ----------
        start, end : int
        kind : str
        **hints
            Fields of :class:`~geomap.records.MentionHints`.

        Returns
        -------
        bool
            Whether the mention was kept.
        """
        return self.add_hints(start, end, kind, MentionHints(**hints))

    def add_hints(self, start: int, end: int, kind: str, hints: MentionHints) -> bool:
        """:meth:`add` with the hints as a record."""
        start, end = trim(self.text, start, end, self.rules)
        if end <= start or self.overlaps(start, end):
            return False
        self.items.append(Mention(start, end, self.text[start:end], kind,
                                  sentence_index(self.sentences, start), hints))
        return True
