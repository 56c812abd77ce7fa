"""Find the date expressions of a text and resolve them: :func:`find_dates`, :func:`resolve_date`.

Every pattern of the language's grammar is matched against the folded text
(accents and case folded one character for one, so offsets refer to the
original); overlapping matches are settled longest first, and a "since"
prefix ("depuis août 2024") turns a date into a range up to the document date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from functools import lru_cache

from ..errors import InputError, InvalidDate, UnknownOption, options_message
from ..lang import fold_text, has_words
from ..records import DateResolution, PartialDate
from . import absolute, relative  # noqa: F401  (they fill HANDLERS)
from .context import HANDLERS, DateContext, Handler, ImpossibleDate, NotADate, group, resolution
from .grammar import date_grammar, language_code

__all__ = ["find_dates", "resolve_date"]

_Candidate = tuple[int, int, int, DateResolution]  # start, end, rank, resolution


@lru_cache(maxsize=16)
def _handlers(lang: str) -> tuple[tuple[re.Pattern[str], Handler, int], ...]:
    grammar = date_grammar(lang)
    out = []
    for p in grammar.patterns:
        if p.handler not in HANDLERS:
            raise UnknownOption(options_message(
                f"date handler in geomap/lang/{grammar.lang}/dates.json", p.handler,
                sorted(HANDLERS)))
        out.append((p.regex, HANDLERS[p.handler], p.rank))
    return tuple(out)


def _check(text: object, doc_date: object, lang: object) -> tuple[str, PartialDate | None, str]:
    if not isinstance(text, str):
        raise InputError(f"date text must be a string, not {type(text).__name__}")
    code = language_code(lang)
    doc: PartialDate | None
    if doc_date is None or isinstance(doc_date, PartialDate):
        doc = doc_date
    elif isinstance(doc_date, dt.date):
        doc = PartialDate.from_date(doc_date)
    elif isinstance(doc_date, str):
        doc = PartialDate.parse(doc_date)
    else:
        raise InvalidDate(f"document date {doc_date!r} must be a PartialDate, a date "
                          "or a 'YYYY[-MM[-DD]]' string")
    return text, doc, code


def _since(ctx: DateContext, res: DateResolution, full: str) -> DateResolution:
    """Turn "depuis août 2024" into a range from the expression to the document date."""
    if res.start is None or res.end is None:
        return replace(res, reason=f"since: {res.reason}", text=full)
    end, anchor = res.end, "its own end (no later document date)"
    if ctx.doc is not None and ctx.doc.end > end:
        end, anchor = ctx.doc.end, f"the end of document date {ctx.doc}"
    return resolution(res.start, end, res.granularity, "range",
                      f"'{full}' runs from {res.start} ({res.reason}) to {anchor}", full)


def _candidates(text: str, doc: PartialDate | None, lang: str, *, events_only: bool = False
                ) -> list[_Candidate]:
    """Return the date expressions of ``text``, resolved, in text order.

    ``events_only`` leaves out those the grammar's ``not_event`` words say are no
    event's date ("né en 1961").
    """
    if not has_words(text):
        return []  # blank (a page of padding): no date, and no need to fold it
    grammar = date_grammar(lang)
    ctx = DateContext(text, fold_text(text), doc, grammar)
    low = ctx.low
    found: list[_Candidate] = []
    impossible: list[tuple[int, int]] = []
    for rx, handler, rank in _handlers(lang):
        pos = 0
        while pos <= len(low):
            m = rx.search(low, pos)
            if m is None:
                break
            pos = m.start() + 1  # overlapping matches: the longest wins below
            start, end = m.start(), m.end()
            full = text[start:end]
            try:
                res = handler(ctx, m)
                if group(m, "since") or group(m, "since2"):
                    res = _since(ctx, res, full)
                else:
                    res = replace(res, text=full)
            except ImpossibleDate:
                impossible.append((start, end))
                continue
            except (NotADate, ValueError, OverflowError):
                # ValueError/OverflowError: arithmetic off the calendar (year 1 or 9999)
                continue
            found.append((start, end, rank, res))
    # longest first, then earliest; a shorter expression inside a kept one is dropped,
    # and nothing inside an impossible date ("31 février 2024") survives
    found.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    kept: list[_Candidate] = []
    for c in found:
        if any(s <= c[0] and c[1] <= e and (e - s) > (c[1] - c[0]) for s, e in impossible):
            continue
        if all(c[1] <= k[0] or k[1] <= c[0] for k in kept):
            kept.append(c)
    kept.sort(key=lambda c: c[0])
    if events_only:
        kept = [c for c in kept if not grammar.not_event.search(low[max(0, c[0] - 30):c[0]])]
    return kept


def find_dates(text: str, doc_date: PartialDate | None, lang: str = "en"
               ) -> list[tuple[int, int, DateResolution]]:
    """Find every date expression in a sentence and resolve it.

    Parameters
    ----------
    text : str
        A sentence or clause.
    doc_date : PartialDate or None
        The document's date, known to the day, the month or the year. Relative
        expressions ("lundi", "yesterday") resolve against it and are never made
        finer than it is. A ``datetime.date`` or an ISO string is accepted too.
    lang : str
        Language of ``text``, one with a language pack (``"en"``, ``"fr"``);
        region suffixes ("fr-FR") are ignored.

    Returns
    -------
    list of (int, int, DateResolution)
        Character offsets ``start, end`` in ``text`` and the resolution, in text
        order. Expressions that cannot exist ("31 février 2024") are left out;
        relative ones without a document date come back ``unresolved``.

    Raises
    ------
    InputError
        ``text`` is not a string.
    UnknownOption
        ``lang`` has no language pack; the message lists those there are.
    InvalidDate
        ``doc_date`` is not a date.

    Examples
    --------
    >>> from geomap.records import PartialDate
    >>> text = "Samedi, puis le 3 mars 2024, des frappes ont eu lieu."
    >>> for start, end, r in find_dates(text, PartialDate(2025, 4, 28), "fr"):
    ...     print(text[start:end], r.start, r.end, r.granularity, r.date_type)
    Samedi 2025-04-26 2025-04-26 day exact
    le 3 mars 2024 2024-03-03 2024-03-03 day exact
    """
    text, doc, code = _check(text, doc_date, lang)
    return [(s, e, r) for s, e, _, r in _candidates(text, doc, code)]


def resolve_date(text: str, doc_date: PartialDate | None, lang: str = "en") -> DateResolution:
    """Resolve the date of the event a sentence tells.

    The first resolved precise expression in text order wins; vague spans
    ("ces derniers jours", "for several months") only when nothing precise is
    there; with no expression at all, the document date (``approximate``).

    Parameters
    ----------
    text : str
        A sentence or clause.
    doc_date : PartialDate or None
        The document's date (day, month or year), used as the anchor for
        relative expressions and as the fallback.
    lang : str
        Language of ``text`` (see :func:`find_dates`).

    Returns
    -------
    DateResolution
        ``start``/``end`` (inclusive), ``granularity``, ``date_type``, a one-line
        ``reason`` and the expression as written in ``text``;
        ``unresolved`` with no start when nothing anchors the date.

    Raises
    ------
    InputError, UnknownOption, InvalidDate
        As :func:`find_dates`.

    Examples
    --------
    >>> from geomap.records import PartialDate
    >>> r = resolve_date("Des drones ont frappé la ville lundi.", PartialDate(2025, 4), "fr")
    >>> r.start, r.end, r.granularity, r.date_type
    (datetime.date(2025, 4, 1), datetime.date(2025, 4, 30), 'month', 'approximate')
    >>> print(r.reason)
    weekday 'lundi' against month-only document date 2025-04: the day cannot be placed,
    kept at month
    >>> resolve_date("Troops withdrew on Saturday.", PartialDate(2025, 4, 28)).start
    datetime.date(2025, 4, 26)
    >>> resolve_date("No date here.", None)
    DateResolution(start=None, end=None, granularity='day', date_type='unresolved', \
reason='no date found', text='')
    """
    text, doc, code = _check(text, doc_date, lang)
    # "né en 1961, arrêté jeudi": a birth, a founding or a completion is not the event's date
    found = _candidates(text, doc, code, events_only=True)
    resolved = [c for c in found if c[3].start is not None]
    if resolved:
        return min(resolved, key=lambda c: (c[2], c[0]))[3]
    if found:
        return found[0][3]
    if doc is not None:
        return DateResolution(doc.start, doc.end, doc.granularity, "approximate",
                              f"no date in the sentence; document date {doc}", "")
    return DateResolution(None, None, "day", "unresolved", "no date found", "")
