"""Handlers of dates told relative to the document date.

"hier", "yesterday", "lundi", "last Saturday", "le lendemain", "la semaine
dernière", "il y a trois jours", "ces derniers jours", "so far this year",
"fin juin", "early next month". A relative expression is never made finer
than the document date: against ``2025-04``, "lundi" is April 2025 and says
so in its reason.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ..records import DateResolution
from .context import (
    DAY_NAMES,
    DateContext,
    NotADate,
    add_months,
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


def _spaced(words: str) -> str:
    return re.sub(r"[\s-]+", " ", words)


def _relative_days(ctx: DateContext, t: str, lo: int, hi: int) -> DateResolution:
    doc = ctx.doc
    if doc is None or doc.day is None:
        return coarse(ctx, "relative day", t)
    start, end = doc.start + dt.timedelta(days=lo), doc.start + dt.timedelta(days=hi)
    future = " (future)" if lo > 0 else ""
    if lo == hi:
        how = "" if lo == 0 else f"{abs(lo)} day(s) {'after' if lo > 0 else 'before'} "
        return resolution(start, end, "day", "exact",
                          f"'{t}' = {how}document date {doc}{future}", t)
    return resolution(start, end, "day", "range",
                      f"'{t}' spans {start}..{end} around document date {doc}{future}", t)


@register("relative_day")
def _relative_day(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    lo, hi = ctx.grammar.relative_days[_spaced(m["k"])]
    return _relative_days(ctx, ctx.expression(m), lo, hi)


@register("later")
def _later(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    """Resolve "two days later", "le lendemain": days after the date the text reads from.

    The anchor is the document date, or the date the story told before when
    the caller passes that one instead (see :func:`geomap.dates.sentence_dates`).
    """
    t = ctx.expression(m)
    g = ctx.grammar
    if group(m, "k"):
        k = g.next_days[_spaced(m["k"])]
    else:
        n = ctx.number(m["n"])
        if n is None or g.unit_plurals[m["u"]] != "days":
            raise NotADate
        k = -n if group(m, "before") else n
    doc = ctx.doc
    if doc is None:
        return unresolved("relative day", t)
    if doc.day is None:
        return coarse(ctx, "relative day", t)
    day = doc.start + dt.timedelta(days=k)
    return resolution(day, day, "day", "exact",
                      f"'{t}' = {abs(k)} day(s) {'after' if k > 0 else 'before'} {doc}", t)


def _weekday_date(d0: dt.date, wd: int, mode: str) -> dt.date:
    if mode == "next":
        return d0 + dt.timedelta(days=(wd - d0.weekday()) % 7 or 7)
    if mode == "last":
        return d0 - dt.timedelta(days=(d0.weekday() - wd) % 7 or 7)
    return d0 - dt.timedelta(days=(d0.weekday() - wd) % 7)


@register("weekday")
def _weekday(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    t = ctx.expression(m)
    g = ctx.grammar
    if g.habitual.search(ctx.low[max(0, m.start() - 20):m.start()]):
        raise NotADate  # habitual, not one day
    wd = g.weekdays[m["wd"]]
    mods = {re.sub(r"\s+", " ", x)
            for x in (group(m, "mod1"), group(m, "mod2"), group(m, "mod3")) if x}
    mode = ("next" if mods & g.weekday_next_words
            else "last" if mods & g.weekday_last_words else "near")
    doc = ctx.doc
    if doc is None or doc.day is None:
        return coarse(ctx, "weekday", t)
    d = _weekday_date(doc.start, wd, mode)
    how = {"next": "the next one after it (future)", "last": "the one before it",
           "near": "the most recent one on or before it"}[mode]
    return resolution(d, d, "day", "exact",
                      f"weekday '{t}' against document date {doc} "
                      f"({DAY_NAMES[doc.start.weekday()]}): {how}, {d}", t)


@register("night")
def _night(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    t = ctx.expression(m)
    w1, w2 = ctx.grammar.weekdays[m["w1"]], ctx.grammar.weekdays[m["w2"]]
    if (w2 - w1) % 7 != 1:
        raise NotADate
    doc = ctx.doc
    if doc is None or doc.day is None:
        return coarse(ctx, "night", t)
    d2 = _weekday_date(doc.start, w2, "near")
    d1 = d2 - dt.timedelta(days=1)
    return resolution(d1, d2, "day", "range",
                      f"night '{t}' against document date {doc}: the most recent such night", t)


@register("weekend")
def _weekend(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    t = ctx.expression(m)
    doc = ctx.doc
    if doc is None or doc.day is None:
        return coarse(ctx, "weekend", t)
    last = bool(group(m, "last"))
    sat = _weekday_date(doc.start, 5, "near")
    if last and doc.start.weekday() >= 5:
        sat -= dt.timedelta(days=7)
    return resolution(sat, sat + dt.timedelta(days=1), "day", "range",
                      f"weekend '{t}' against document date {doc}: "
                      f"the {'previous' if last else 'most recent'} Saturday-Sunday", t)


def _period(ctx: DateContext, t: str, unit: str, off: int, to_date: bool = False
            ) -> DateResolution:
    """Resolve a week, month or year relative to the document date."""
    doc = ctx.doc
    if doc is None:
        return unresolved(f"relative {unit}", t, unit)
    label = {0: f"the document's {unit}", -1: f"the {unit} before the document's",
             1: f"the {unit} after the document's (future)"}[off]
    if unit == "week":
        if doc.day is None:
            return coarse(ctx, "week", t, "the week")
        monday = doc.start - dt.timedelta(days=doc.start.weekday()) + dt.timedelta(weeks=off)
        start, end = monday, monday + dt.timedelta(days=6)
        gran = "week"
    elif unit == "month":
        if doc.month is None:
            return coarse(ctx, "month", t, "the month")
        start, end = month_span(*add_months(doc.year, doc.month, off))
        gran = "month"
    else:
        start, end = dt.date(doc.year + off, 1, 1), dt.date(doc.year + off, 12, 31)
        gran = "year"
    if to_date:
        end = min(end, doc.end)
        return resolution(start, end, gran, "approximate",
                          f"'{t}': {label}, up to document date {doc}", t)
    return resolution(start, end, gran, "exact", f"'{t}': {label}, document date {doc}", t)


@register("relative_period")
def _relative_period(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    """Resolve "la semaine dernière", "ce mois-ci", "last year".

    The unit is in group ``u`` (or ``u2``...), its qualifier in ``q`` (``q2``...)
    when the pattern has one.
    """
    t = ctx.expression(m)
    g = ctx.grammar
    for suffix in ("", "2", "3", "4", "5", "6"):
        unit = group(m, "u" + suffix)
        if unit:
            word = re.sub(r"\s+", " ", group(m, "q" + suffix) or "")
            off = g.relative_offsets[word] if word else 0
            return _period(ctx, t, g.units[unit], off, to_date=word in g.to_date_words)
    raise NotADate


@register("span")
def _span(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    """Resolve "ces derniers jours", "for several months": a span up to the document date."""
    t = ctx.expression(m)
    word = m["u"]
    unit = ctx.grammar.unit_plurals[word]
    n = ctx.number(group(m, "n"))
    if n is None and group(m, "n") is None and word in ctx.grammar.singular_units:
        n = 1  # "in the past week"
    vague = n is None
    n = n if n is not None else {"hours": 24, "days": 7, "weeks": 3, "months": 3, "years": 2}[unit]
    if n <= 0:
        raise NotADate
    doc = ctx.doc
    if doc is None:
        return unresolved("span", t, "week")
    dtype = "approximate" if vague else "range"
    if unit == "years":
        start = dt.date(doc.year - n, doc.month or 1, 1)
        return resolution(start, doc.end, "year", dtype,
                          f"span '{t}': about {n} year(s) up to document date {doc}", t)
    if doc.day is None:
        return coarse(ctx, "span", t, "its start")
    if unit == "hours":
        start, gran = doc.start - dt.timedelta(days=max(1, -(-n // 24))), "day"
    elif unit == "days":
        start, gran = doc.start - dt.timedelta(days=n), "week" if n <= 10 else "month"
    elif unit == "weeks":
        start, gran = doc.start - dt.timedelta(weeks=n), "month"
    else:
        y, mo = add_months(doc.year, doc.month or 1, -n)
        start, gran = dt.date(y, mo, min(doc.start.day, calendar.monthrange(y, mo)[1])), "month"
    return resolution(start, doc.end, gran, dtype,
                      f"span '{t}': {'about ' if vague else ''}{n} {unit} up to document date "
                      f"{doc}", t)


@register("to_date")
def _to_date(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    """Resolve "depuis le début de l'année", "so far this year": up to the document date."""
    t = ctx.expression(m)
    unit = ctx.grammar.units[m["u"]]
    doc = ctx.doc
    if doc is None:
        return unresolved("span", t, unit)
    gran = {"year": "month", "month": "week", "week": "day"}[unit]
    if unit == "year":
        return resolution(dt.date(doc.year, 1, 1), doc.end, gran, "range",
                          f"span '{t}': from the start of {doc.year} to document date {doc}", t)
    if unit == "month" and doc.month is not None:
        return resolution(dt.date(doc.year, doc.month, 1), doc.end, gran, "range",
                          f"span '{t}': from the start of the month to document date {doc}", t)
    if unit == "week" and doc.day is not None:
        monday = doc.start - dt.timedelta(days=doc.start.weekday())
        return resolution(monday, doc.end, gran, "range",
                          f"span '{t}': from the Monday to document date {doc}", t)
    return coarse(ctx, "span", t, "its start")


@register("ago")
def _ago(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    t = ctx.expression(m)
    unit = ctx.grammar.unit_plurals[m["u"]]
    n = ctx.number(m["n"])
    vague = n is None
    n = n if n is not None else 3
    doc = ctx.doc
    if doc is None:
        return unresolved("relative date", t)
    dtype = "approximate"
    if unit == "years":
        y = doc.year - n
        return resolution(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", dtype,
                          f"'{t}': {n} year(s) before document date {doc}", t)
    if unit == "months":
        if doc.month is None:
            return coarse(ctx, "relative date", t, "the month")
        start, end = month_span(*add_months(doc.year, doc.month, -n))
        return resolution(start, end, "month", dtype,
                          f"'{t}': {n} month(s) before document date {doc}", t)
    if doc.day is None:
        return coarse(ctx, "relative date", t)
    if unit == "weeks":
        d = doc.start - dt.timedelta(weeks=n)
        monday = d - dt.timedelta(days=d.weekday())
        return resolution(monday, monday + dt.timedelta(days=6), "week", dtype,
                          f"'{t}': the week {n} week(s) before document date {doc}", t)
    days = n if unit == "days" else max(1, n // 24)
    d = doc.start - dt.timedelta(days=days)
    return resolution(d, d, "day", "approximate" if vague else "exact",
                      f"'{t}': {days} day(s) before document date {doc}", t)


@register("part")
def _part(ctx: DateContext, m: re.Match[str]) -> DateResolution:
    """Resolve "fin juin", "mi-2024", "early next month": part of a month or a year."""
    t = ctx.expression(m)
    g = ctx.grammar
    part = g.parts[group(m, "part") or group(m, "part2") or ""]
    doc = ctx.doc
    rel = group(m, "rel")
    month = ctx.month(m, "m") if group(m, "m") else None
    year: int | None = None
    note = "as written"
    dtype = "approximate"
    if month is not None:
        if group(m, "y"):
            year = int(m["y"])
        else:
            got = infer_year(ctx, month)
            if got is None:
                return unresolved("part of a month", t, "week")
            year, note = got
    elif group(m, "yy"):
        year = int(m["yy"])
    elif rel is not None:
        words = re.sub(r"\s+", " ", rel).split(" ")
        unit = "month" if any(g.units.get(w) == "month" for w in words) else "year"
        off = 0
        for w in words:  # the last qualifier wins: "l'an dernier", "the previous year"
            off = g.relative_offsets.get(w, off)
        if doc is None:
            return unresolved(f"part of a {unit}", t, "week" if unit == "month" else "month")
        if unit == "month":
            if doc.month is None:
                return coarse(ctx, "part of a month", t, "the month")
            year, month = add_months(doc.year, doc.month, off)
        else:
            year = doc.year + off
        note = f"relative to document date {doc}"
    else:
        raise NotADate
    if month is not None:
        last = calendar.monthrange(year, month)[1]
        lo, hi = {"early": (1, 10), "mid": (11, 20), "late": (21, last)}[part]
        return resolution(dt.date(year, month, lo), dt.date(year, month, hi), "week", dtype,
                          f"{part} part of month {year}-{month:02d} '{t}' {note}", t)
    m1, m2 = {"early": (1, 3), "mid": (5, 8), "late": (10, 12)}[part]
    return resolution(dt.date(year, m1, 1), month_end(year, m2), "month", dtype,
                      f"{part} part of year {year} '{t}' ({m1:02d}..{m2:02d}) {note}", t)
