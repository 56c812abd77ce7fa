"""Handlers of dates named by the calendar: days, months, years, quarters, seasons, ranges.

"le 3 mars 2024", "April 12", "en juin 2024", "in 2023", "Q1 2024", "du 3 au
5 mars": the date is written; what is missing (the year of "12 mars") is
taken from the document date, always towards the past.
"""

from __future__ import annotations

import datetime as dt
import re

from ..records import DateResolution
from .context import (
    DAY_NAMES,
    DateContext,
    ImpossibleDate,
    NotADate,
    checked_day,
    coarse,
    group,
    infer_year,
    month_end,
    month_span,
    register,
    resolution,
    unresolved,
)

__all__: list[str] = []  # the handlers are reached through the registry only


@register("iso")
def _iso(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    t = ctx.expression(m)
    d = checked_day(int(m["y"]), int(m["m"]), int(m["d"]))
    return resolution(d, d, "day", "exact", f"ISO date '{t}'", t)


@register("numeric")
def _numeric(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    t = ctx.expression(m)
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    if ctx.grammar.numeric_day_first or a > 12:
        day, month, how = a, b, "day-first"
    elif b > 12:
        day, month, how = b, a, "month-first"
    elif a == b:
        day, month, how = a, b, "day equals month"
    else:
        raise NotADate  # 04/05/2025 where months may come first: April 5 or 4 May, do not guess
    if month > 12:
        raise ImpossibleDate
    d = checked_day(y, month, day)
    return resolution(d, d, "day", "exact", f"numeric date '{t}' read {how}", t)


@register("day")
def _day(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    t = ctx.expression(m)
    day = ctx.day(group(m, "d") or group(m, "d2"))
    month = ctx.month(m, "m") if group(m, "m") else ctx.month(m, "m2")
    assert day is not None and month is not None
    if group(m, "y"):
        year, note = int(m["y"]), "as written"
    else:
        got = infer_year(ctx, month)
        if got is None:
            if day > 29 and month == 2 or day > 30 and month in (4, 6, 9, 11):
                raise ImpossibleDate
            return unresolved("day without a year", t)
        year, note = got
    d = checked_day(year, month, day)
    reason = f"day '{t}' {note}"
    wd = group(m, "wd")
    if wd is not None and ctx.grammar.weekdays[wd] != d.weekday():
        reason += f" (the weekday written does not match: {d} is a {DAY_NAMES[d.weekday()]})"
    if group(m, "approx"):
        # "around 7 May", "as reported on 7 May", "vers le 7 mai": that day, give or take.
        return resolution(d, d, "day", "approximate", reason + ", approximately", t)
    return resolution(d, d, "day", "exact", reason, t)


@register("month_year")
def _month_year(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    t = ctx.expression(m)
    month = ctx.month(m, "m")
    assert month is not None
    start, end = month_span(int(m["y"]), month)
    return resolution(start, end, "month", "exact", f"month '{t}' as written", t)


@register("month")
def _month(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    if not (group(m, "prep") or group(m, "since")):
        raise NotADate
    t = ctx.expression(m)
    month = ctx.month(m, "m")
    assert month is not None
    prep = (group(m, "prep") or "").strip()
    got = infer_year(ctx, month, strict=prep in ctx.grammar.month_strict_words)
    if got is None:
        return unresolved("month without a year", t, "month")
    year, note = got
    start, end = month_span(year, month)
    return resolution(start, end, "month", "approximate", f"month '{t}' without a year: {note}",
                      t)


@register("year")
def _year(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    if not (group(m, "prep") or group(m, "since")):
        raise NotADate
    t = ctx.expression(m)
    y = int(m["y"])
    return resolution(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", "exact",
                      f"year '{t}' as written", t)


@register("quarter")
def _quarter(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    """Resolve "le premier trimestre 2024", "Q1 2024", "H2-2023", "the last quarter"."""
    t = ctx.expression(m)
    g = ctx.grammar
    half = (group(m, "kind") or "") in g.half_words or bool(group(m, "h2"))
    kind = "half" if half else "quarter"
    word = group(m, "q") or group(m, "q2") or group(m, "h2") or ""
    size = 6 if half else 3
    count = 12 // size
    y_text = group(m, "y") or group(m, "y2")
    last = word in g.quarter_last_words
    doc = ctx.doc
    if last and y_text is None:
        # "le dernier trimestre": the one before the document's
        if doc is None:
            return unresolved(kind, t)
        if doc.month is None:
            return coarse(ctx, kind, t, f"the {kind}")
        n = (doc.month - 1) // size + 1
        year, n = (doc.year, n - 1) if n > 1 else (doc.year - 1, count)
        note, dtype = f"the {kind} before document date {doc}", "exact"
    else:
        n = count if last else g.quarter_words.get(word) or int(word)
        if not 1 <= n <= count:
            raise NotADate
        if y_text:
            year, note, dtype = int(y_text), "as written", "exact"
        else:
            if doc is None:
                return unresolved(kind, t)
            if doc.month is None:
                year, note = doc.year, f"year {doc.year} from year-only document date {doc}"
            else:
                doc_n = (doc.month - 1) // size + 1
                year = doc.year if n <= doc_n else doc.year - 1
                note = f"year {year} from document date {doc}"
            dtype = "approximate"
    first = (n - 1) * size + 1
    start = dt.date(year, first, 1)
    end = month_end(year, first + size - 1)
    gran = "quarter" if kind == "quarter" else "month"
    return resolution(start, end, gran, dtype, f"{kind} {n} '{t}' {note}", t)


@register("season")
def _season(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    """Resolve "in the summer of 1946", "à l'été 2023": the season's months of that year."""
    t = ctx.expression(m)
    first, last = ctx.grammar.seasons[" ".join(m["season"].split())]
    year = int(m["y"])
    end_year = year + 1 if last < first else year
    return resolution(dt.date(year, first, 1), month_end(end_year, last), "month", "range",
                      f"season '{t}' as written", t)


@register("era")
def _era(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    """Resolve "during World War II", "pendant la guerre froide": the years of that period."""
    t = ctx.expression(m)
    first, last = ctx.grammar.eras[" ".join(m["era"].split())]
    return resolution(dt.date(first, 1, 1), dt.date(last, 12, 31), "year", "range",
                      f"period '{t}' of history", t)


@register("decade")
def _decade(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    """Resolve "in the 1970s", "dans les années 70": ten years, or a part of them."""
    t = ctx.expression(m)
    short = group(m, "dec2")
    start = int(m["dec"]) if group(m, "dec") else 1900 + int(short or 0)
    first, last = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}.get(
        ctx.grammar.parts.get(group(m, "part") or "", ""), (0, 9))
    return resolution(dt.date(start + first, 1, 1), dt.date(start + last, 12, 31), "year",
                      "range", f"decade '{t}' as written", t)


def _atom(ctx: DateContext, m: re.Match[str], p: str
          ) -> tuple[int | None, int | None, int | None]:
    """Day, month and year of one end (``p`` is ``a`` or ``b``) of a range."""
    day = ctx.day(group(m, p + "d") or group(m, p + "ed"))
    month = None
    for name in ("m", "em", "mm"):
        if group(m, p + name):
            month = ctx.month(m, p + name)
    y = group(m, p + "y") or group(m, p + "ey") or group(m, p + "my") or group(m, p + "yy")
    return day, month, int(y) if y else None


@register("range")
def _range(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    """Resolve "du 3 au 5 mars 2024", "from March to May 2024", "April 3-5, 2024"."""
    t = ctx.expression(m)
    if group(m, "sm"):  # "April 3-5, 2024"
        month = ctx.month(m, "sm")
        y = int(m["sy"]) if group(m, "sy") else None
        a: list[int | None] = [ctx.day(m["sd1"]), month, y]
        b: list[int | None] = [ctx.day(m["sd2"]), month, y]
    else:
        a, b = list(_atom(ctx, m, "a")), list(_atom(ctx, m, "b"))
    if b[1] is None and b[2] is None:
        raise NotADate  # "de 3 à 5 morts"
    if (a[0] is None) != (b[0] is None):
        raise NotADate
    if a[0] is not None:
        gran = "day"
        if b[1] is None:
            raise NotADate
        a[1] = a[1] or b[1]
    elif a[1] is not None or b[1] is not None:
        if a[1] is None or b[1] is None:
            raise NotADate
        gran = "month"
    else:
        gran = "year"
    note = "as written"
    if b[2] is None and a[2] is not None:
        b[2] = a[2] if (b[1] or 0, b[0] or 0) >= (a[1] or 0, a[0] or 0) else a[2] + 1
    if b[2] is None:
        got = infer_year(ctx, b[1] or 1)
        if got is None:
            return unresolved("range without a year", t, gran)
        b[2], note = got
    year_b = b[2]
    assert year_b is not None
    if a[2] is None:
        a[2] = year_b if (a[1] or 0, a[0] or 0) <= (b[1] or 0, b[0] or 0) else year_b - 1
    assert a[2] is not None and b[2] is not None
    if gran == "day":
        assert a[0] and a[1] and b[0] and b[1]
        start, end = checked_day(a[2], a[1], a[0]), checked_day(b[2], b[1], b[0])
    elif gran == "month":
        assert a[1] and b[1]
        start, end = dt.date(a[2], a[1], 1), month_end(b[2], b[1])
    else:
        start, end = dt.date(a[2], 1, 1), dt.date(b[2], 12, 31)
    if start >= end:
        raise NotADate
    return resolution(start, end, gran, "range", f"range '{t}' {note}", t)
