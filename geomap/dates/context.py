"""What every date handler shares: the text being read, the handler registry, results.

A *handler* turns one match of a :class:`~geomap.dates.grammar.DatePattern`
into a :class:`~geomap.records.DateResolution`, or raises :class:`NotADate`
when the match is not a date after all ("march" as a verb) and
:class:`ImpossibleDate` for a date that cannot exist ("31 février 2024").
Handlers register under the name the language packs' patterns use.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..records import DateResolution, PartialDate
from .grammar import DateGrammar

__all__ = [
    "DAY_NAMES",
    "HANDLERS",
    "DateContext",
    "Handler",
    "ImpossibleDate",
    "NotADate",
    "add_months",
    "checked_day",
    "coarse",
    "group",
    "infer_year",
    "month_end",
    "month_span",
    "register",
    "resolution",
    "unresolved",
]

#: Weekday names for the reasons, which are written in English whatever the text's language.
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class NotADate(Exception):
    """Raised by a handler when its match is not a date expression after all."""


class ImpossibleDate(Exception):
    """Raised by a handler for a date written in the text that cannot exist ("31 février 2024")."""


@dataclass(frozen=True, slots=True)
class DateContext:
    """One text being read for dates.

    Attributes
    ----------
    text : str
        The text as given; offsets and quoted expressions refer to it.
    low : str
        ``text`` with accents and case folded, as long as ``text``; patterns match it.
    doc : PartialDate or None
        The document date, the anchor of relative expressions.
    grammar : DateGrammar
        The words and patterns of the text's language.
    """

    text: str
    low: str
    doc: PartialDate | None
    grammar: DateGrammar

    def expression(self, m: re.Match[str]) -> str:
        """Return the matched expression as written in the original text.

        Parameters
        ----------
        m : re.Match
            A match of one of the grammar's patterns over :attr:`low`.

        Returns
        -------
        str
        """
        return self.text[m.start("body"):m.end("body")]

    def month(self, m: re.Match[str], name: str) -> int | None:
        """Return the month number of group ``name``, None when the group did not match.

        Parameters
        ----------
        m : re.Match
        name : str
            A group holding a month name or abbreviation.

        Returns
        -------
        int or None

        Raises
        ------
        NotADate
            When the language's month names must be capitalised and this one is not.
        """
        word = group(m, name)
        if word is None:
            return None
        # folding keeps case, so the original letter tells whether the folded one was upper
        if self.grammar.month_needs_capital and not self.text[m.start(name)].isupper():
            raise NotADate  # "march", "may": verbs unless capitalised
        return self.grammar.month(word)

    def day(self, word: str | None) -> int | None:
        """Read a day of the month written in digits or as a word ("premier").

        Parameters
        ----------
        word : str or None

        Returns
        -------
        int or None
        """
        if word is None:
            return None
        value = self.grammar.day_words.get(word)
        return value if value is not None else int(word)

    def number(self, word: str | None) -> int | None:
        """Read a count written in digits or words; None for "several", "quelques".

        Parameters
        ----------
        word : str or None

        Returns
        -------
        int or None
        """
        if word is None:
            return None
        word = re.sub(r"\s+", " ", word)
        if word.isdigit():
            return int(word)
        return self.grammar.numbers.get(word)


Handler = Callable[[DateContext, re.Match[str]], DateResolution]

#: Handlers by the name the language packs' patterns give them.
HANDLERS: dict[str, Handler] = {}


def register(name: str) -> Callable[[Handler], Handler]:
    """Register a handler under ``name``; a second handler of the same name is refused.

    Parameters
    ----------
    name : str
        The name the ``handler`` field of a pack's patterns uses.

    Returns
    -------
    callable
        The decorator, which returns the handler unchanged.
    """

    def add(fn: Handler) -> Handler:
        if name in HANDLERS:
            raise ValueError(f"date handler '{name}' is already registered")
        HANDLERS[name] = fn
        return fn

    return add


def group(m: re.Match[str], name: str) -> str | None:
    """Group ``name`` of ``m``, None when it did not match or the pattern has no such group.

    Parameters
    ----------
    m : re.Match
    name : str

    Returns
    -------
    str or None
    """
    return m.groupdict().get(name)


# -- calendar arithmetic ---------------------------------------------------------------------


def month_end(year: int, month: int) -> dt.date:
    """Return the last day of a month.

    Parameters
    ----------
    year, month : int

    Returns
    -------
    datetime.date
    """
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    """Return the first and last day of a month.

    Parameters
    ----------
    year, month : int

    Returns
    -------
    (datetime.date, datetime.date)
    """
    return dt.date(year, month, 1), month_end(year, month)


def add_months(year: int, month: int, k: int) -> tuple[int, int]:
    """Return the year and month ``k`` months after (before, for negative ``k``) a month.

    Parameters
    ----------
    year, month, k : int

    Returns
    -------
    (int, int)

    Examples
    --------
    >>> add_months(2025, 1, -1)
    (2024, 12)
    """
    n = year * 12 + (month - 1) + k
    return n // 12, n % 12 + 1


def checked_day(year: int, month: int, day: int) -> dt.date:
    """Return a date written in the text, refusing one that cannot exist.

    Parameters
    ----------
    year, month, day : int

    Returns
    -------
    datetime.date

    Raises
    ------
    ImpossibleDate
        When no such day exists.
    """
    try:
        return dt.date(year, month, day)
    except ValueError as err:
        raise ImpossibleDate from err


# -- results ---------------------------------------------------------------------------------


def resolution(start: dt.date | None, end: dt.date | None, granularity: str, date_type: str,
               reason: str, text: str) -> DateResolution:
    """Make a date resolution (positional shorthand for the record).

    Parameters
    ----------
    start, end : datetime.date or None
    granularity, date_type, reason, text : str
        As :class:`~geomap.records.DateResolution`.

    Returns
    -------
    DateResolution
    """
    return DateResolution(start, end, granularity, date_type, reason, text)


def unresolved(kind: str, text: str, granularity: str = "day") -> DateResolution:
    """Resolve an expression that needs a document date and has none: unresolved.

    Parameters
    ----------
    kind : str
        What the expression is, for the reason ("weekday").
    text : str
        The expression.
    granularity : str

    Returns
    -------
    DateResolution
    """
    return resolution(None, None, granularity, "unresolved",
                      f"{kind} '{text}' needs a document date; none given", text)


def coarse(ctx: DateContext, kind: str, text: str, what: str = "the day") -> DateResolution:
    """Resolve to the document's own span an expression finer than the document date.

    Parameters
    ----------
    ctx : DateContext
    kind : str
        What the expression is, for the reason.
    text : str
        The expression.
    what : str
        What cannot be placed, for the reason.

    Returns
    -------
    DateResolution
        ``approximate``, at the document date's granularity; ``unresolved``
        without a document date.
    """
    doc = ctx.doc
    if doc is None:
        return unresolved(kind, text)
    g = doc.granularity
    return resolution(doc.start, doc.end, g, "approximate",
                      f"{kind} '{text}' against {g}-only document date {doc}: "
                      f"{what} cannot be placed, kept at {g}", text)


def infer_year(ctx: DateContext, month: int, strict: bool = False) -> tuple[int, str] | None:
    """Infer the year of a month named without one: news reports the past.

    Parameters
    ----------
    ctx : DateContext
    month : int
    strict : bool
        The month must be before the document's month ("last June"), not equal to it.

    Returns
    -------
    (int, str) or None
        The year and the reason; None without a document date.
    """
    doc = ctx.doc
    if doc is None:
        return None
    if doc.month is None:
        return doc.year, f"year {doc.year} from year-only document date {doc}"
    if month < doc.month or (month == doc.month and not strict):
        return doc.year, f"year {doc.year} from document date {doc}"
    return doc.year - 1, (f"year {doc.year - 1}: month {month:02d} is not before the month "
                          f"of document date {doc}, so the year before")
