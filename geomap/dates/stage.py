"""The dates stage of the pipeline: one date per sentence of a parsed document."""

from __future__ import annotations

from dataclasses import replace

from ..records import DateResolution, Parsed, PartialDate, Sentence
from .find import resolve_date

__all__ = ["sentence_dates"]

#: A sentence without a date of its own inherits one told at most this many sentences
#: before it (and in its paragraph).
_INHERIT_SENTENCES = 2


def sentence_dates(parsed: Parsed) -> tuple[DateResolution, ...]:
    """Date each sentence of a parsed document, inheriting a date told just before it.

    Parameters
    ----------
    parsed : Parsed
        A document after recognition; only its text, date, language and sentences
        are read.

    Returns
    -------
    tuple of DateResolution
        One per sentence, aligned with ``parsed.sentences``.

    Raises
    ------
    UnknownOption
        The document's language has no language pack.

    Notes
    -----
    "On 3 May, gunmen attacked the village. The attack killed two": the second
    sentence inherits the date of the first, within the same paragraph and from
    at most two sentences before (:data:`_INHERIT_SENTENCES`): further on, a story
    has moved to other happenings (a birth year, a project's completion, another
    case), whose dates are not this sentence's. A
    relative date ("two days later", "on Friday", "May 15") in a document
    without a date of its own is read against the last full date the text
    told before it.

    Examples
    --------
    >>> from geomap.testing import parsed, sentence
    >>> doc = parsed(sentence("Le 3 mai, des tirs ont visé le village."),
    ...              sentence("Deux civils sont morts."), lang="fr", date="2025-05-10")
    >>> [d.start.isoformat() for d in sentence_dates(doc)]
    ['2025-05-03', '2025-05-03']
    """
    cache: dict[int, DateResolution] = {}
    return tuple(_sentence_date(parsed, s, cache) for s in parsed.sentences)


def _resolved(parsed: Parsed, sentence: Sentence, cache: dict[int, DateResolution]
              ) -> DateResolution:
    if sentence.index not in cache:
        cache[sentence.index] = resolve_date(sentence.text, parsed.document.date, parsed.lang)
    return cache[sentence.index]


def _sentence_date(parsed: Parsed, sentence: Sentence, cache: dict[int, DateResolution]
                   ) -> DateResolution:
    """Date one sentence; with no date of its own, the date told just before it."""
    doc = parsed.document
    date = _resolved(parsed, sentence, cache)
    if date.start is None and date.text and doc.date is None:
        told = _told_before(parsed, sentence, cache)
        if told is not None and told.start is not None:
            anchor = PartialDate(told.start.year, told.start.month, told.start.day)
            again = resolve_date(sentence.text, anchor, parsed.lang)
            if again.start is not None:
                return replace(again, reason=f"{again.reason}, against the date told before "
                                             f"it ({told.text or told.start})")
    if date.text or date.start is not None and date.date_type != "approximate":
        return date
    k = sentence.index - 1
    while k >= max(0, sentence.index - _INHERIT_SENTENCES) and "\n\n" not in doc.text[
            parsed.sentences[k].end: sentence.start]:
        prev = _resolved(parsed, parsed.sentences[k], cache)
        if prev.text and prev.start is not None:
            return replace(prev, reason=f"no date in the sentence; the date told before it: "
                                        f"{prev.reason}")
        k -= 1
    return date


def _told_before(parsed: Parsed, sentence: Sentence, cache: dict[int, DateResolution]
                 ) -> DateResolution | None:
    """Return the last date to the day the text told before ``sentence``, if any."""
    for prev in reversed(parsed.sentences[: sentence.index]):
        d = _resolved(parsed, prev, cache)
        if d.start is not None and d.granularity == "day" and d.date_type in {
                "exact", "approximate"}:
            return d
    return None
