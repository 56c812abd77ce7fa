"""Find and resolve date expressions in French and English news text.

Every expression is resolved against the document date, which may itself be
known only to the month or the year. A partial document date is never
sharpened: "lundi" in a story dated ``2025-04`` stays at month granularity
and says so in its ``reason``. Absolute dates, months, years, quarters, parts
of months and years, weekdays, "hier"/"yesterday"-like words, "last week",
"since August 2024", "in recent days" and ranges ("du 3 au 5 mars 2024",
"from March to May 2024") are understood; accents and case are folded before
matching, offsets always refer to the original text.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from .errors import InputError, InvalidDate, UnknownOption, options_message
from .records import DateResolution, Parsed, PartialDate, Sentence

__all__ = ["find_dates", "resolve_date", "sentence_dates"]

LANGS = ("en", "fr")

# --------------------------------------------------------------------------- vocabulary

_MONTHS = {
    "fr": {
        "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
        "juillet": 7, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
        "decembre": 12,
    },
    "en": {
        "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
        "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
        "december": 12,
    },
}
# "sept" is left out in French: it is also the number seven.
_MONTH_ABBR = {
    "fr": {"janv": 1, "fevr": 2, "avr": 4, "juil": 7, "oct": 10, "nov": 11, "dec": 12},
    "en": {
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
        "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    },
}
_WEEKDAYS = {
    "fr": {
        "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4,
        "samedi": 5, "dimanche": 6,
    },
    "en": {
        "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
        "saturday": 5, "sunday": 6,
    },
}
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NUMBERS = {
    "fr": {
        "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
        "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12,
        "quinze": 15, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50,
    },
    "en": {
        "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
        "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
        "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
        "fifty": 50,
    },
}
_VAGUE_NUMBERS = {
    "fr": ("quelques", "plusieurs", "des", "de nombreux", "de nombreuses", "de longs",
           "de longues", "les"),
    "en": ("a few", "few", "several", "many", "some", "a couple of", "couple of", "the"),
}
# A four-digit number followed by one of these is a count, not a year.
_COUNT_NOUNS = (
    "personnes", "people", "morts", "dead", "soldats", "soldiers", "civils", "civilians",
    "habitants", "residents", "manifestants", "protesters", "euros", "dollars", "km",
    "kilometres", "kilometers", "metres", "meters", "hommes", "men", "troops", "troupes",
    "victimes", "victims", "blesses", "wounded", "tonnes", "tons", "maisons", "homes",
    "families", "familles", "refugies", "refugees", "policiers", "police", "militaires",
)


def _alt(words: Iterable[str]) -> str:
    items = sorted({re.escape(w).replace(r"\ ", r"\s+") for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(items) + ")"


_D = r"(?<![0-9])(?:3[01]|[12][0-9]|0?[1-9])(?![0-9])"
_Y = (r"(?<![0-9.,])(?:1[89][0-9]{2}|20[0-9]{2})(?![0-9])(?![.,][0-9])"
      r"(?!\s+" + _alt(_COUNT_NOUNS) + r"\b)")
_ORD = {"fr": r"(?:er|eme|e)?", "en": r"(?:st|nd|rd|th)?"}


def _month_rx(lang: str, full_only: bool = False) -> str:
    full = _alt(_MONTHS[lang]) + r"\b"
    if full_only:
        return "(?:" + full + ")"
    return "(?:" + full + "|" + _alt(_MONTH_ABBR[lang]) + r"\b\.?)"


def _num_rx(lang: str) -> str:
    return "(?:[0-9]{1,3}|" + _alt(list(_NUMBERS[lang]) + list(_VAGUE_NUMBERS[lang])) + ")"


# --------------------------------------------------------------------------- plumbing


class _Skip(Exception):
    """This match is not a date expression after all."""


class _Impossible(Exception):
    """A date written in the text that cannot exist ("31 février 2024")."""


@dataclass
class _Ctx:
    text: str
    low: str  # accents and case folded, same length as text
    acc: str  # accents folded, case kept (English month names must be capitalised)
    doc: PartialDate | None
    lang: str


_SAME_AS = {
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "\u2013": "-", "\u2014": "-",
    "\u2010": "-", "\u2011": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " ",
}


def _fold_char(c: str) -> str:
    if c in _SAME_AS:
        return _SAME_AS[c]
    if c.isascii():
        return c
    base = "".join(ch for ch in unicodedata.normalize("NFD", c) if not unicodedata.combining(ch))
    return base if len(base) == 1 else c


def _fold(text: str) -> tuple[str, str]:
    """Fold accents (and case) one character for one, so offsets stay valid."""
    acc = "".join(_fold_char(c) for c in text)
    low = "".join(c.lower() if len(c.lower()) == 1 else c for c in acc)
    return acc, low


def _txt(ctx: _Ctx, m: re.Match[str]) -> str:
    return ctx.text[m.start("body"):m.end("body")]


def _g(m: re.Match[str], name: str) -> str | None:
    return m.groupdict().get(name)


def _month(ctx: _Ctx, m: re.Match[str], name: str) -> int | None:
    word = _g(m, name)
    if word is None:
        return None
    if ctx.lang == "en" and not ctx.acc[m.start(name)].isupper():
        raise _Skip  # "march", "may": verbs unless capitalised
    key = word.rstrip(".")
    return _MONTHS[ctx.lang].get(key) or _MONTH_ABBR[ctx.lang][key]


def _int(word: str | None) -> int | None:
    if word is None:
        return None
    return 1 if word == "premier" else int(word)


def _number(ctx: _Ctx, word: str | None) -> int | None:
    """A count written in digits or words; None for "several", "quelques"..."""
    if word is None:
        return None
    word = re.sub(r"\s+", " ", word)
    if word.isdigit():
        return int(word)
    return _NUMBERS[ctx.lang].get(word)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), _month_end(year, month)


def _add_months(year: int, month: int, k: int) -> tuple[int, int]:
    n = year * 12 + (month - 1) + k
    return n // 12, n % 12 + 1


def _day(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as err:
        raise _Impossible from err


def _res(start: dt.date | None, end: dt.date | None, gran: str, kind: str, reason: str,
         text: str) -> DateResolution:
    return DateResolution(start, end, gran, kind, reason, text)


def _unresolved(kind: str, t: str, gran: str = "day") -> DateResolution:
    return _res(None, None, gran, "unresolved",
                f"{kind} '{t}' needs a document date; none given", t)


def _coarse(ctx: _Ctx, kind: str, t: str, what: str = "the day") -> DateResolution:
    """The document's own span when the expression is finer than the document date."""
    doc = ctx.doc
    if doc is None:
        return _unresolved(kind, t)
    g = doc.granularity
    return _res(doc.start, doc.end, g, "approximate",
                f"{kind} '{t}' against {g}-only document date {doc}: "
                f"{what} cannot be placed, kept at {g}", t)


def _infer_year(ctx: _Ctx, month: int, strict: bool = False) -> tuple[int, str] | None:
    """The year of a month named without one: news reports the past."""
    doc = ctx.doc
    if doc is None:
        return None
    if doc.month is None:
        return doc.year, f"year {doc.year} from year-only document date {doc}"
    if month < doc.month or (month == doc.month and not strict):
        return doc.year, f"year {doc.year} from document date {doc}"
    return doc.year - 1, (f"year {doc.year - 1}: month {month:02d} is not before the month "
                          f"of document date {doc}, so the year before")


# --------------------------------------------------------------------------- handlers

Handler = Callable[[_Ctx, re.Match[str]], DateResolution]


def _h_iso(ctx: _Ctx, m: re.Match[str]) -> DateResolution:
    t = _txt(ctx, m)
    d = _day(int(m["y"]), int(m["m"]), int(m["d"]))
    return _res(d, d, "day", "exact", f"ISO date '{t}'", t)


def _h_numeric(ctx: _Ctx, m: re.Match[str]) -> DateResolution:
    t = _txt(ctx, m)
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    if ctx.lang == "fr" or a > 12:
        day, month, how = a, b, "day-first"
    elif b > 12:
        day, month, how = b, a, "month-first"
    elif a == b:
        day, month, how = a, b, "day equals month"
    else:
        raise _Skip  # 04/05/2025 in English: April 5 or 4 May, do not guess
    if month > 12:
        raise _Impossible
    d = _day(y, month, day)
    return _res(d, d, "day", "exact", f"numeric date '{t}' read {how}", t)


def _h_day(ctx: _Ctx, m: re.Match[str]) -> DateResolution:
    t = _txt(ctx, m)
    day = _int(_g(m, "d") or _g(m, "d2"))
    month = _month(ctx, m, "m") if _g(m, "m") else _month(ctx, m, "m2")
    assert day is not None and month is not None
    if _g(m, "y"):
        year, note = int(m["y"]), "as written"
    else:
        got = _infer_year(ctx, month)
        if got is None:
            if day > 29 and month == 2 or day > 30 and month in (4, 6, 9, 11):
                raise _Impossible
            return _unresolved("day without a year", t)
        year, note = got
    d = _day(year, month, day)
    reason = f"day '{t}' {note}"
    wd = _g(m, "wd")
    if wd is not None and _WEEKDAYS[ctx.lang][wd] != d.weekday():
        reason += f" (the weekday written does not match: {d} is a {_DAY_NAMES[d.weekday()]})"
    if _g(m, "approx"):
        # "around 7 May", "as reported on 7 May", "vers le 7 mai": that day, give or take.
        return _res(d, d, "day", "approximate", reason + ", approximately", t)
    return _res(d, d, "day", "exact", reason, t)


def _h_month_year(ctx: _Ctx, m: re.Match[str]) -> DateResolution:
    t = _txt(ctx, m)
    month = _month(ctx, m, "m")
    assert month is not None
    start, end = _month_span(int(m["y"]), month)
    return _res(start, end, "month", "exact", f"month '{t}' as written", t)


def _h_month(ctx: _Ctx, m: re.Match[str]) -> DateResolution:
    if not (_g(m, "prep") or _g(m, "since")):
        raise _Skip
    t = _txt(ctx, m)
    month = _month(ctx, m, "m")
    assert month is not None
    prep = (_g(m, "prep") or "").strip()
    got = _infer_year(ctx, month, strict=prep == "last")
    if got is None:
        return _unresolved("month without a year", t, "month")
    year, note = got
    start, end = _month_span(year, month)
    return _res(start, end, "month", "approximate", f"month '{t}' without a year: {note}", t)


def _h_year(ctx: _Ctx, m: re.Match[str]) -> DateResolution:
    if not (_g(m, "prep") or _g(m, "since")):
        raise _Skip
    t = _txt(ctx, m)
    y = int(m["y"])
    return _res(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", "exact", f"year '{t}' as written", t)


_QUARTER_WORDS = {
    "premier": 1, "1er": 1, "first": 1, "1st": 1, "deuxieme": 2, "second": 2, "2e": 2,
    "2eme": 2, "2nd": 2, "troisieme": 3, "third": 3, "3e": 3, "3eme": 3, "3rd": 3,
    "quatrieme": 4, "fourth": 4, "4e": 4, "4eme": 4, "4th": 4,
}


def _h_quarter(ctx: _Ctx, m: re.Match[str]) -> DateResolution:
    t = _txt(ctx, m)
    kind = "half" if (_g(m, "kind") or "") in ("semestre", "half") or _g(m, "h2") else "quarter"
    word = _g(m, "q") or _g(m, "q2") or _g(m, "h2") or ""
    size = 6 if kind == "half" else 3
    count = 12 // size
    y_text = _g(m, "y") or _g(m, "y2")
    last = word in ("dernier", "last", "final")
    doc = ctx.doc
    if last and y_text is None:
        # "le dernier trimestre": the one before the document's
        if doc is None:
            return _unresolved(kind, t)
        if doc.month is None:
            return _coarse(ctx, kind, t, f"the {kind}")
        n = (doc.month - 1) // size + 1
        year, n = (doc.year, n - 1) if n > 1 else (doc.year - 1, count)
        note, dtype = f"the {kind} before document date {doc}", "exact"
    else:
        n = count if last else _QUARTER_WORDS.get(word) or int(word)
        if not 1 <= n <= count:
            raise _Skip
        if y_text:
            year, note, dtype = int(y_text), "as written", "exact"
        else:
            if doc is None:
                return _unresolved(kind, t)
            if doc.month is None:
                year, note = doc.year, f"year {doc.year} from year-only document date {doc}"
            else:
                doc_n = (doc.month - 1) // size + 1
                year = doc.year if n <= doc_n else doc.year - 1
                note = f"year {year} from document date {doc}"
            dtype = "approximate"
    first = (n - 1) * size + 1
    start = dt.date(year, first, 1)
    end = _month_end(year, first + size - 1)
    gran = "quarter" if kind == "quarter" else "month"
    return _res(start, end, gran, dtype, f"{kind} {n} '{t}' {note}", t)


def _relative_days(ctx: _Ctx, t: str, lo: int, hi: int) -> DateResolution:
    doc = ctx.doc
    if doc is None or doc.day is None:
        return _coarse(ctx, "relative day", t)
    start, end = doc.start + dt.timedelta(days=lo), doc.start + dt.timedelta(days=hi)
    future = " (future)" if lo > 0 else ""
    if lo == hi:
        how = "" if lo == 0 else f"{abs(lo)} day(s) {'after' if lo > 0 else 'before'} "
        return _res(start, end, "day", "exact", f"'{t}' = {how}document date {doc}{future}", t)
    return _res(start, end, "day", "range",
                f"'{t}' spans {start}..{end} around document date {doc}{future}", t)


_REL_DAYS = {
    "avant hier": (-2, -2), "apres demain": (2, 2), "aujourd'hui": (0, 0), "hier": (-1, -1),
    "demain": (1, 1), "ce matin": (0, 0), "ce soir": (0, 0), "cet apres midi": (0, 0),
    "ce midi": (0, 0), "cette nuit": (-1, 0), "la nuit derniere": (-1, 0),
    "the day before yesterday": (-2, -2), "the day after tomorrow": (2, 2),
    "yesterday": (-1, -1), "today": (0, 0), "tomorrow": (1, 1), "tonight": (0, 0),
    "last night": (-1, 0), "overnight": (-1, 0), "this morning": (0, 0),
    "this afternoon": (0, 0), "this evening": (0, 0),
}


_NEXT_DAYS = {
    "the next day": 1, "the following day": 1, "the day after": 1, "the previous day": -1,
    "the day before": -1, "le lendemain": 1, "le surlendemain": 2, "la veille": -1,
    "l'avant veille": -2, "le jour suivant": 1, "le jour precedent": -1,
}


def _h_later(ctx: _Ctx, m: re.Match[str]) -> DateResolution:
    """ "two days later", "le lendemain": days after the date the text reads from.

    The anchor is the document date, or the date the story told before when
    the caller passes that one instead (see :func:`geomap.events.detect_events`).
    """
    t = _txt(ctx, m)
    if _g(m, "k"):
        k = _NEXT_DAYS[re.sub(r"[\s-]+", " ", m["k"])]
    else:
        n = _number(ctx, m["n"])
        if n is None or _UNITS_PLURAL[m["u"]] != "days":
            raise _Skip
        k = -n if _g(m, "before") else n
    doc = ctx.doc
    if doc is None:
        return _unresolved("relative day", t)
    if doc.day is None:
        return _coarse(ctx, "relative day", t)
    day = doc.start + dt.timedelta(days=k)
    return _res(day, day, "day", "exact",
                f"'{t}' = {abs(k)} day(s) {'after' if k > 0 else 'before'} {doc}", t)


def _h_rel_day(ctx: _Ctx, m: re.Match[str]) -> DateResolution:
    t = _txt(ctx, m)
    key = re.sub(r"[\s-]+", " ", m["k"])
    lo, hi = _REL_DAYS[key]
    return _relative_days(ctx, t, lo, hi)


def _weekday_date(d0: dt.date, wd: int, mode: str) -> dt.date:
    if mode == "next":
        return d0 + dt.timedelta(days=(wd - d0.weekday()) % 7 or 7)
    if mode == "last":
        return d0 - dt.timedelta(days=(d0.weekday() - wd) % 7 or 7)
    return d0 - dt.timedelta(days=(d0.weekday() - wd) % 7)


_NEXT_WORDS = ("prochain", "next")
_LAST_WORDS = ("dernier", "passe", "last", "this past", "past")


def _h_weekday(ctx: _Ctx, m: re.Match[str]) -> DateResolution:
    t = _txt(ctx, m)
    before = ctx.low[max(0, m.start() - 20):m.start()]
    if re.search(r"(?:chaque|tous\s+les|every|each)\s+$", before):
        raise _Skip  # habitual, not one day
    wd = _WEEKDAYS[ctx.lang][m["wd"]]
    mods = {re.sub(r"\s+", " ", x) for x in (_g(m, "mod1"), _g(m, "mod2"), _g(m, "mod3")) if x}
    mode = "next" if mods & set(_NEXT_WORDS) else "last" if mods & set(_LAST_WORDS) else "near"
    doc = ctx.doc
    if doc is None or doc.day is None:
        return _coarse(ctx, "weekday", t)
    d = _weekday_date(doc.start, wd, mode)
    how = {"next": "the next one after it (future)", "last": "the one before it",
           "near": "the most recent one on or before it"}[mode]
    return _res(d, d, "day", "exact",
                f"weekday '{t}' against document date {doc} "
                f"({_DAY_NAMES[doc.start.weekday()]}): {how}, {d}", t)


def _h_night(ctx: _Ctx, m: re.Match[str]) -> DateResolution:
    t = _txt(ctx, m)
    w1, w2 = _WEEKDAYS[ctx.lang][m["w1"]], _WEEKDAYS[ctx.lang][m["w2"]]
    if (w2 - w1) % 7 != 1:
        raise _Skip
    doc = ctx.doc
    if doc is None or doc.day is None:
        return _coarse(ctx, "night", t)
    d2 = _weekday_date(doc.start, w2, "near")
    d1 = d2 - dt.timedelta(days=1)
    return _res(d1, d2, "day", "range",
                f"night '{t}' against document date {doc}: the most recent such night", t)


def _h_weekend(ctx: _Ctx, m: re.Match[str]) -> DateResolution:
    t = _txt(ctx, m)
    doc = ctx.doc
    if doc is None or doc.day is None:
        return _coarse(ctx, "weekend", t)
    last = bool(_g(m, "last"))
    sat = _weekday_date(doc.start, 5, "near")
    if last and doc.start.weekday() >= 5:
        sat -= dt.timedelta(days=7)
    return _res(sat, sat + dt.timedelta(days=1), "day", "range",
                f"weekend '{t}' against document date {doc}: "
                f"the {'previous' if last else 'most recent'} Saturday-Sunday", t)


_REL_OFFSET = {
    "derniere": -1, "dernier": -1, "passee": -1, "passe": -1, "precedente": -1, "last": -1,
    "previous": -1, "past": -1, "prochaine": 1, "prochain": 1, "next": 1, "cette": 0, "ce": 0,
    "this": 0, "current": 0, "en cours": 0, "the": 0, "": 0, "earlier this": 0,
}


def _period(ctx: _Ctx, t: str, unit: str, off: int, to_date: bool = False) -> DateResolution:
    """A week, month or year relative to the document date."""
    doc = ctx.doc
    if doc is None:
        return _unresolved(f"relative {unit}", t, unit)
    label = {0: f"the document's {unit}", -1: f"the {unit} before the document's",
             1: f"the {unit} after the document's (future)"}[off]
    if unit == "week":
        if doc.day is None:
            return _coarse(ctx, "week", t, "the week")
        monday = doc.start - dt.timedelta(days=doc.start.weekday()) + dt.timedelta(weeks=off)
        start, end = monday, monday + dt.timedelta(days=6)
        gran = "week"
    elif unit == "month":
        if doc.month is None:
            return _coarse(ctx, "month", t, "the month")
        start, end = _month_span(*_add_months(doc.year, doc.month, off))
        gran = "month"
    else:
        start, end = dt.date(doc.year + off, 1, 1), dt.date(doc.year + off, 12, 31)
        gran = "year"
    if to_date:
        end = min(end, doc.end)
        return _res(start, end, gran, "approximate",
                    f"'{t}': {label}, up to document date {doc}", t)
    return _res(start, end, gran, "exact", f"'{t}': {label}, document date {doc}", t)


_UNIT = {
    "semaine": "week", "week": "week", "mois": "month", "month": "month", "annee": "year",
    "an": "year", "year": "year",
}


def _h_rel_period(ctx: _Ctx, m: re.Match[str]) -> DateResolution:
    t = _txt(ctx, m)
    unit = _UNIT[m["u"]]
    q = re.sub(r"\s+", " ", _g(m, "q") or _g(m, "q2") or "")
    return _period(ctx, t, unit, _REL_OFFSET[q], to_date=q == "earlier this")


_UNITS_PLURAL = {
    "heures": "hours", "hours": "hours", "heure": "hours", "hour": "hours",
    "jours": "days", "jour": "days", "days": "days", "day": "days",
    "semaines": "weeks", "semaine": "weeks", "weeks": "weeks", "week": "weeks",
    "mois": "months", "months": "months", "month": "months",
    "annees": "years", "annee": "years", "ans": "years", "an": "years", "years": "years",
    "year": "years",
}
_SINGULAR = {"heure", "hour", "jour", "day", "semaine", "week", "month", "annee", "an", "year"}


def _h_vague(ctx: _Ctx, m: re.Match[str]) -> DateResolution:
    """ "ces derniers jours", "for several months": a span ending at the document date."""
    t = _txt(ctx, m)
    word = m["u"]
    unit = _UNITS_PLURAL[word]
    n = _number(ctx, _g(m, "n"))
    if n is None and _g(m, "n") is None and word in _SINGULAR:
        n = 1  # "in the past week"
    vague = n is None
    n = n if n is not None else {"hours": 24, "days": 7, "weeks": 3, "months": 3, "years": 2}[unit]
    if n <= 0:
        raise _Skip
    doc = ctx.doc
    if doc is None:
        return _unresolved("span", t, "week")
    dtype = "approximate" if vague else "range"
    if unit == "years":
        start = dt.date(doc.year - n, doc.month or 1, 1)
        return _res(start, doc.end, "year", dtype,
                    f"span '{t}': about {n} year(s) up to document date {doc}", t)
    if doc.day is None:
        return _coarse(ctx, "span", t, "its start")
    if unit == "hours":
        start, gran = doc.start - dt.timedelta(days=max(1, -(-n // 24))), "day"
    elif unit == "days":
        start, gran = doc.start - dt.timedelta(days=n), "week" if n <= 10 else "month"
    elif unit == "weeks":
        start, gran = doc.start - dt.timedelta(weeks=n), "month"
    else:
        y, mo = _add_months(doc.year, doc.month or 1, -n)
        start, gran = dt.date(y, mo, min(doc.start.day, calendar.monthrange(y, mo)[1])), "month"
    return _res(start, doc.end, gran, dtype,
                f"span '{t}': {'about ' if vague else ''}{n} {unit} up to document date {doc}", t)


def _h_to_date(ctx: _Ctx, m: re.Match[str]) -> DateResolution:
    """ "depuis le début de l'année", "so far this year": period start to the document date."""
    t = _txt(ctx, m)
    unit = _UNIT[m["u"]]
    doc = ctx.doc
    if doc is None:
        return _unresolved("span", t, unit)
    gran = {"year": "month", "month": "week", "week": "day"}[unit]
    if unit == "year":
        return _res(dt.date(doc.year, 1, 1), doc.end, gran, "range",
                    f"span '{t}': from the start of {doc.year} to document date {doc}", t)
    if unit == "month" and doc.month is not None:
        return _res(dt.date(doc.year, doc.month, 1), doc.end, gran, "range",
                    f"span '{t}': from the start of the month to document date {doc}", t)
    if unit == "week" and doc.day is not None:
        monday = doc.start - dt.timedelta(days=doc.start.weekday())
        return _res(monday, doc.end, gran, "range",
                    f"span '{t}': from the Monday to document date {doc}", t)
    return _coarse(ctx, "span", t, "its start")


def _h_ago(ctx: _Ctx, m: re.Match[str]) -> DateResolution:
    t = _txt(ctx, m)
    unit = _UNITS_PLURAL[m["u"]]
    n = _number(ctx, m["n"])
    vague = n is None
    n = n if n is not None else 3
    doc = ctx.doc
    if doc is None:
        return _unresolved("relative date", t)
    dtype = "approximate"
    if unit == "years":
        y = doc.year - n
        return _res(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", dtype,
                    f"'{t}': {n} year(s) before document date {doc}", t)
    if unit == "months":
        if doc.month is None:
            return _coarse(ctx, "relative date", t, "the month")
        start, end = _month_span(*_add_months(doc.year, doc.month, -n))
        return _res(start, end, "month", dtype,
                    f"'{t}': {n} month(s) before document date {doc}", t)
    if doc.day is None:
        return _coarse(ctx, "relative date", t)
    if unit == "weeks":
        d = doc.start - dt.timedelta(weeks=n)
        monday = d - dt.timedelta(days=d.weekday())
        return _res(monday, monday + dt.timedelta(days=6), "week", dtype,
                    f"'{t}': the week {n} week(s) before document date {doc}", t)
    days = n if unit == "days" else max(1, n // 24)
    d = doc.start - dt.timedelta(days=days)
    return _res(d, d, "day", "approximate" if vague else "exact",
                f"'{t}': {days} day(s) before document date {doc}", t)


_PARTS = {
    "debut": "early", "early": "early", "beginning": "early", "start": "early",
    "mi": "mid", "mid": "mid", "middle": "mid",
    "fin": "late", "late": "late", "end": "late",
}


def _h_part(ctx: _Ctx, m: re.Match[str]) -> DateResolution:
    t = _txt(ctx, m)
    part = _PARTS[_g(m, "part") or _g(m, "part2") or ""]
    doc = ctx.doc
    rel = _g(m, "rel")
    month = _month(ctx, m, "m") if _g(m, "m") else None
    year: int | None = None
    note = "as written"
    dtype = "approximate"
    if month is not None:
        if _g(m, "y"):
            year = int(m["y"])
        else:
            got = _infer_year(ctx, month)
            if got is None:
                return _unresolved("part of a month", t, "week")
            year, note = got
    elif _g(m, "yy"):
        year = int(m["yy"])
    elif rel is not None:
        rel = re.sub(r"\s+", " ", rel)
        words = rel.split(" ")
        unit = "month" if "mois" in words or "month" in words else "year"
        off = 0
        for w in words:
            off = _REL_OFFSET.get(w, off) if w not in ("the", "ce", "cette") else off
        if "l'an" in words:
            off = _REL_OFFSET.get(words[-1], 0)
        if doc is None:
            return _unresolved(f"part of a {unit}", t, "week" if unit == "month" else "month")
        if unit == "month":
            if doc.month is None:
                return _coarse(ctx, "part of a month", t, "the month")
            year, month = _add_months(doc.year, doc.month, off)
        else:
            year = doc.year + off
        note = f"relative to document date {doc}"
    else:
        raise _Skip
    if month is not None:
        last = calendar.monthrange(year, month)[1]
        lo, hi = {"early": (1, 10), "mid": (11, 20), "late": (21, last)}[part]
        return _res(dt.date(year, month, lo), dt.date(year, month, hi), "week", dtype,
                    f"{part} part of month {year}-{month:02d} '{t}' {note}", t)
    m1, m2 = {"early": (1, 3), "mid": (5, 8), "late": (10, 12)}[part]
    return _res(dt.date(year, m1, 1), _month_end(year, m2), "month", dtype,
                f"{part} part of year {year} '{t}' ({m1:02d}..{m2:02d}) {note}", t)


def _atom(ctx: _Ctx, m: re.Match[str], p: str) -> tuple[int | None, int | None, int | None]:
    day = _int(_g(m, p + "d") or _g(m, p + "ed"))
    month = None
    for name in ("m", "em", "mm"):
        if _g(m, p + name):
            month = _month(ctx, m, p + name)
    y = _g(m, p + "y") or _g(m, p + "ey") or _g(m, p + "my") or _g(m, p + "yy")
    return day, month, int(y) if y else None


def _h_range(ctx: _Ctx, m: re.Match[str]) -> DateResolution:
    t = _txt(ctx, m)
    if _g(m, "sm"):  # "April 3-5, 2024"
        month = _month(ctx, m, "sm")
        y = int(m["sy"]) if _g(m, "sy") else None
        a: list[int | None] = [_int(m["sd1"]), month, y]
        b: list[int | None] = [_int(m["sd2"]), month, y]
    else:
        a, b = list(_atom(ctx, m, "a")), list(_atom(ctx, m, "b"))
    if b[1] is None and b[2] is None:
        raise _Skip  # "de 3 à 5 morts"
    if (a[0] is None) != (b[0] is None):
        raise _Skip
    if a[0] is not None:
        gran = "day"
        if b[1] is None:
            raise _Skip
        a[1] = a[1] or b[1]
    elif a[1] is not None or b[1] is not None:
        if a[1] is None or b[1] is None:
            raise _Skip
        gran = "month"
    else:
        gran = "year"
    note = "as written"
    if b[2] is None and a[2] is not None:
        b[2] = a[2] if (b[1] or 0, b[0] or 0) >= (a[1] or 0, a[0] or 0) else a[2] + 1
    if b[2] is None:
        got = _infer_year(ctx, b[1] or 1)
        if got is None:
            return _unresolved("range without a year", t, gran)
        b[2], note = got
    year_b = b[2]
    assert year_b is not None
    if a[2] is None:
        a[2] = year_b if (a[1] or 0, a[0] or 0) <= (b[1] or 0, b[0] or 0) else year_b - 1
    assert a[2] is not None and b[2] is not None
    if gran == "day":
        assert a[0] and a[1] and b[0] and b[1]
        start, end = _day(a[2], a[1], a[0]), _day(b[2], b[1], b[0])
    elif gran == "month":
        assert a[1] and b[1]
        start, end = dt.date(a[2], a[1], 1), _month_end(b[2], b[1])
    else:
        start, end = dt.date(a[2], 1, 1), dt.date(b[2], 12, 31)
    if start >= end:
        raise _Skip
    return _res(start, end, gran, "range", f"range '{t}' {note}", t)


# --------------------------------------------------------------------------- patterns


def _since_rx(lang: str) -> str:
    if lang == "fr":
        words = r"depuis|a\s+partir\s+d(?:e|u)"
        return rf"(?:(?P<since>{words})\s+|(?P<since2>a\s+partir\s+d'))?"
    words = r"ever\s+since|since|starting(?:\s+(?:in|on|from))?"
    return rf"(?:(?P<since>{words})\s+)?"


def _patterns(lang: str) -> list[tuple[re.Pattern[str], Handler, int]]:
    """Regexes over the folded text, each with its handler and a rank (0 precise, 1 vague)."""
    mon = _month_rx(lang)
    mfull = _month_rx(lang, full_only=True)
    wd = _alt(_WEEKDAYS[lang])
    o = _ORD[lang]
    num = _num_rx(lang)
    since = _since_rx(lang)
    out: list[tuple[str, Handler, int, bool]] = []  # regex, handler, rank, takes "since"

    def add(body: str, handler: Handler, rank: int = 0, with_since: bool = False) -> None:
        out.append((body, handler, rank, with_since))

    add(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})(?![0-9])", _h_iso, 0, True)
    add(r"(?<![0-9/.-])(?P<a>[0-9]{1,2})(?P<sep>[/.-])(?P<b>[0-9]{1,2})(?P=sep)(?P<y>[0-9]{4})"
        r"(?![0-9]|[/.-][0-9])", _h_numeric, 0, True)
    if lang == "fr":
        day = (r"(?:(?P<approx>vers|autour\s+du|aux\s+alentours\s+du|aux\s+environs\s+du"
               r"|environ|selon\s+des\s+informations\s+du|rapporte\s+le)\s+)?"
               rf"(?:(?:le|ce|du|au)\s+)?(?:(?P<wd>{wd})\s+)?(?:le\s+)?(?P<d>{_D}|premier){o}")
        add(rf"{day}\s+(?P<m>{mon})(?:\s+(?P<y>{_Y}))?", _h_day, 0, True)
        prep = r"(?P<prep>en\s+|courant\s+|durant\s+|pendant\s+|(?:au|le|du)\s+mois\s+d(?:e\s+|'))"
        add(rf"{prep}?(?P<m>{mon})\s+(?P<y>{_Y})", _h_month_year, 0, True)
        add(rf"{prep}?(?P<m>{mfull})", _h_month, 0, True)
        yprep = (r"(?P<prep>en\s+|durant\s+|pendant\s+|courant\s+|au\s+cours\s+de\s+"
                 r"(?:l'annee\s+)?|(?:dans\s+|pour\s+|de\s+)?l'(?:annee|an)\s+)")
        add(rf"{yprep}?(?P<y>{_Y})", _h_year, 0, True)
        ordinal = (r"premier|1er|deuxieme|second|2e|2eme|2nd|troisieme|3e|3eme|quatrieme|4e"
                   r"|4eme|dernier")
        add(rf"(?:(?:au|du|le|ce|pendant\s+le|durant\s+le|au\s+cours\s+du)\s+)?(?P<q>{ordinal})"
            rf"\s+(?P<kind>trimestre|semestre)(?:\s+(?:de\s+|d')?(?:l'annee\s+)?(?P<y>{_Y}))?",
            _h_quarter)
        add(rf"(?:au\s+|le\s+|du\s+)?[tq](?P<q2>[1-4])(?:\s+|-)(?P<y2>{_Y})", _h_quarter)
        add(r"(?P<k>avant[- ]hier|apres[- ]demain|aujourd'hui|hier|demain)"
            r"(?:\s+(?:matin|soir|apres[- ]midi|midi))?", _h_rel_day, 0, True)
        add(r"(?P<k>ce\s+matin|ce\s+soir|cet\s+apres[- ]midi|ce\s+midi|cette\s+nuit"
            r"|la\s+nuit\s+derniere)", _h_rel_day)
        add(r"(?P<k>le\s+lendemain|le\s+surlendemain|l'avant[- ]veille|la\s+veille"
            r"|le\s+jour\s+(?:suivant|precedent))", _h_later)
        add(rf"(?P<n>{num})\s+(?P<u>jours?)\s+(?:plus\s+tard|apres|(?P<before>plus\s+tot"
            r"|auparavant|avant))", _h_later)
        add(rf"(?:(?P<mod1>ce|le)\s+)?(?P<wd>{wd})(?:\s+(?P<mod2>dernier|passe|prochain|matin"
            rf"|soir|apres-midi|midi))?(?:\s+(?P<mod3>dernier|passe|prochain))?",
            _h_weekday, 0, True)
        add(rf"(?:dans\s+)?la\s+nuit\s+(?:de|du)\s+(?P<w1>{wd})\s+(?:a|au)\s+(?P<w2>{wd})",
            _h_night)
        add(r"(?:ce|le|du|au\s+cours\s+du|pendant\s+le|durant\s+le)\s+(?:week-?end|week\s+end)"
            r"(?:\s+(?P<last>dernier|passe))?", _h_weekend)
        add(r"(?:la\s+(?P<u>semaine)\s+(?P<q>derniere|passee|prochaine)"
            r"|(?P<q2>cette)\s+(?P<u2>semaine))", _h_rel_period_fr)
        add(r"(?:ce\s+(?P<u3>mois)(?:-ci)?|(?:le|du|au\s+cours\s+du)\s+(?P<u4>mois)\s+"
            r"(?P<q4>dernier|passe|prochain)|(?P<q5>cette)\s+(?P<u5>annee)|l'(?P<u6>annee|an)\s+"
            r"(?P<q6>derniere|passee|precedente|prochaine|prochain|dernier|passe|en\s+cours))",
            _h_rel_period_fr)
        add(r"il\s+y\s+a\s+(?:(?:un\s+peu\s+)?plus\s+d'|pres\s+d'|environ\s+)?"
            rf"(?P<n>{num})\s+(?P<u>heures|jours|jour|semaines|semaine|mois|ans|an|annees|annee)",
            _h_ago)
        units = r"(?P<u>heures|jours|semaines|mois|annees|ans)"
        add(rf"(?:(?:au\s+cours|lors|pendant|durant)\s+(?:des|de\s+ces)\s+|ces\s+)"
            rf"(?:(?P<n>{num})\s+)?(?:dernier|derniere)s\s+{units}", _h_vague, 1)
        add(rf"depuis\s+(?P<n>{num})\s+{units}", _h_vague, 1)
        add(r"depuis\s+(?:le\s+)?debut\s+(?:de\s+l'|d'|de\s+cette\s+)(?P<u>annee)", _h_to_date, 1)
        add(r"depuis\s+(?:le\s+)?debut\s+(?:du|de\s+ce)\s+(?P<u>mois)", _h_to_date, 1)
        add(r"depuis\s+(?:le\s+)?debut\s+de\s+(?:la|cette)\s+(?P<u>semaine)", _h_to_date, 1)
        target = (rf"(?:(?P<m>{mfull})(?:\s+(?P<y>{_Y}))?|(?:l'annee\s+|l'an\s+)?(?P<yy>{_Y})"
                  r"|(?P<rel>l'annee(?:\s+(?:derniere|passee|prochaine|en\s+cours))?"
                  r"|l'an\s+(?:dernier|passe|prochain)|cette\s+annee|annee|ce\s+mois(?:-ci)?"
                  r"|du\s+mois(?:\s+(?:dernier|passe|prochain))?|mois\s+(?:dernier|passe|prochain)))")
        add(r"(?:(?:au|en|a\s+la|a|des\s+la|vers\s+la|vers|d'ici\s+la|d'ici|jusqu'a\s+la)\s+)?"
            r"(?P<part>debut|mi|fin)(?:\s*-\s*|\s+)(?:(?:du\s+mois\s+)?(?:de\s+|d'))?" + target,
            _h_part, 0, True)
        atom = (r"(?:(?P<{p}d>" + _D + r"|premier)" + o + r"(?:\s+(?P<{p}m>" + mon + r")"
                r"(?:\s+(?P<{p}y>" + _Y + r"))?)?|(?P<{p}mm>" + mfull + r")(?:\s+(?P<{p}my>"
                + _Y + r"))?|(?P<{p}yy>" + _Y + r"))")
        a, b = atom.replace("{p}", "a"), atom.replace("{p}", "b")
        add(r"(?:(?:du|entre(?:\s+le|\s+les)?|les|de|depuis(?:\s+le)?|a\s+partir\s+du)\s+|d')"
            + a + r"\s+(?:au|a|et(?:\s+le)?|jusqu'au|jusqu'a|jusqu'en|-)\s+" + b, _h_range)
        add(a + r"\s*-\s*" + b, _h_range)
    else:
        day = (r"(?:(?P<approx>around|about|circa|approximately|(?:as\s+)?reported\s+on)\s+)?"
               rf"(?:on\s+)?(?:(?:the\s+)?(?P<wd>{wd}),?\s+)?(?:(?P<m>{mon})\s+(?:the\s+)?"
               rf"(?P<d>{_D}){o}|(?:the\s+)?(?P<d2>{_D}){o}\s+(?:of\s+)?(?P<m2>{mon}))"
               rf"(?:,?\s+(?P<y>{_Y}))?")
        add(day, _h_day, 0, True)
        add(rf"(?:(?:in|during|throughout)\s+)?(?P<m>{mon})(?:,\s*|\s+)(?:of\s+)?(?P<y>{_Y})",
            _h_month_year, 0, True)
        add(rf"(?P<prep>(?:in|during|throughout|last|this)\s+)?(?P<m>{mfull})", _h_month, 0, True)
        add(rf"(?P<prep>(?:in|during|throughout)\s+(?:the\s+year\s+)?|the\s+year\s+)?(?P<y>{_Y})",
            _h_year, 0, True)
        add(r"(?:(?:in|during|of|for)\s+)?(?:the\s+)?(?P<q>first|second|third|fourth|final|last"
            rf"|1st|2nd|3rd|4th)\s+(?P<kind>quarter|half)(?:\s+of)?(?:\s+(?P<y>{_Y}))?",
            _h_quarter)
        add(rf"(?:in\s+)?q(?P<q2>[1-4])(?:\s+|-|\s*')(?P<y2>{_Y})", _h_quarter)
        add(rf"(?:in\s+)?h(?P<h2>[12])(?:\s+|-)(?P<y2>{_Y})", _h_quarter)
        add(r"(?P<k>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today"
            r"|tomorrow)(?:\s+(?:morning|afternoon|evening|night))?", _h_rel_day, 0, True)
        add(r"(?P<k>tonight|last\s+night|overnight|this\s+(?:morning|afternoon|evening))",
            _h_rel_day)
        add(r"(?P<k>the\s+(?:next|following|previous)\s+day|the\s+day\s+(?:after|before))"
            r"(?!\s+(?:yesterday|tomorrow))", _h_later)
        add(rf"(?P<n>{num})\s+(?P<u>days?)\s+(?:later|after(?:wards)?|(?P<before>earlier"
            r"|before))(?!\s+(?:the|a|an|his|her|their|its)\b)", _h_later)
        add(rf"(?:(?P<mod1>on|last|this|next|this\s+past|past)\s+)?(?P<wd>{wd})"
            r"(?:\s+(?P<mod2>morning|afternoon|evening|night))?", _h_weekday, 0, True)
        add(rf"(?:overnight|(?:on\s+)?the\s+night\s+of)\s+(?:from\s+)?(?P<w1>{wd})\s+(?:to|into)"
            rf"\s+(?P<w2>{wd})", _h_night)
        add(r"(?:this|(?P<last>last)|over\s+the|during\s+the|at\s+the|on\s+the)\s+week-?end",
            _h_weekend)
        add(r"(?P<q>last|this|next|earlier\s+this)\s+(?P<u>week|month|year)", _h_rel_period)
        add(rf"(?P<n>{num})\s+(?P<u>hours?|days?|weeks?|months?|years?)\s+ago", _h_ago)
        add(rf"(?:in|over|during|for|within)\s+(?:the\s+)?(?:past|last|recent|previous)\s+"
            rf"(?:(?P<n>{num})\s+)?(?P<u>hours?|days?|weeks?|months?|years?)", _h_vague, 1)
        add(r"in\s+recent\s+(?P<u>days|weeks|months|years)", _h_vague, 1)
        add(rf"for\s+(?:(?P<n>{num})\s+)?(?P<u>hours|days|weeks|months|years)", _h_vague, 1)
        add(r"(?:since\s+the\s+(?:start|beginning)\s+of\s+(?:the|this)|so\s+far\s+this)\s+"
            r"(?P<u>year|month|week)", _h_to_date, 1)
        target = (rf"(?:(?P<m>{mfull})(?:,?\s+(?P<y>{_Y}))?|(?P<yy>{_Y})"
                  r"|(?P<rel>(?:the|this|last|next)\s+(?:year|month)"
                  r"|the\s+(?:current|previous|past)\s+(?:year|month)))")
        add(r"(?:(?:in|by|until|from|at|during|around)\s+)?(?:(?P<part>early|mid|late)"
            r"(?:\s*-\s*|\s+)|the\s+(?P<part2>beginning|start|middle|end)\s+of\s+)" + target,
            _h_part, 0, True)
        atom = (r"(?:(?P<{p}em>" + mon + r")\s+(?P<{p}ed>" + _D + r")" + o + r"(?:,?\s+(?P<{p}ey>"
                + _Y + r"))?|(?:the\s+)?(?P<{p}d>" + _D + r")" + o + r"(?:\s+(?:of\s+)?(?P<{p}m>"
                + mon + r")(?:,?\s+(?P<{p}y>" + _Y + r"))?)?|(?P<{p}mm>" + mfull + r")(?:,?\s+"
                r"(?P<{p}my>" + _Y + r"))?|(?P<{p}yy>" + _Y + r"))")
        a, b = atom.replace("{p}", "a"), atom.replace("{p}", "b")
        add(r"(?:from|between)\s+" + a + r"\s+(?:to|and|until|till|through|thru|-)\s+" + b,
            _h_range)
        add(a + r"\s*-\s*" + b, _h_range)
        add(rf"(?:(?:from|between)\s+)?(?P<sm>{mon})\s+(?P<sd1>{_D}){o}\s*(?:-|to|through|until"
            rf"|and)\s*(?P<sd2>{_D}){o}(?:,?\s+(?P<sy>{_Y}))?", _h_range)
    compiled = []
    for body, handler, rank, with_since in out:
        rx = (since if with_since else "") + "(?P<body>" + body + ")"
        compiled.append((re.compile(r"(?<!\w)" + rx + r"(?!\w)"), handler, rank))
    return compiled


def _h_rel_period_fr(ctx: _Ctx, m: re.Match[str]) -> DateResolution:
    t = _txt(ctx, m)
    for u, q in (("u", "q"), ("u2", "q2"), ("u3", None), ("u4", "q4"), ("u5", "q5"), ("u6", "q6")):
        if _g(m, u):
            unit = _UNIT[m[u]]
            word = re.sub(r"\s+", " ", _g(m, q) or "") if q else ""
            return _period(ctx, t, unit, _REL_OFFSET[word])
    raise _Skip


_COMPILED: dict[str, list[tuple[re.Pattern[str], Handler, int]]] = {}


def _compiled(lang: str) -> list[tuple[re.Pattern[str], Handler, int]]:
    if lang not in _COMPILED:
        _COMPILED[lang] = _patterns(lang)
    return _COMPILED[lang]


# --------------------------------------------------------------------------- entry points


def _check(text: object, doc_date: object, lang: object) -> tuple[str, PartialDate | None, str]:
    if not isinstance(text, str):
        raise InputError(f"date text must be a string, not {type(text).__name__}")
    if isinstance(lang, str):
        code = re.split(r"[-_]", lang.strip().lower())[0]
    else:
        code = str(lang)
    if code not in LANGS:
        raise UnknownOption(options_message("language", lang, LANGS))
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


def _since(ctx: _Ctx, res: DateResolution, full: str) -> DateResolution:
    """ "depuis août 2024": from the start of the expression to the document date."""
    if res.start is None or res.end is None:
        return replace(res, reason=f"since: {res.reason}", text=full)
    end, anchor = res.end, "its own end (no later document date)"
    if ctx.doc is not None and ctx.doc.end > end:
        end, anchor = ctx.doc.end, f"the end of document date {ctx.doc}"
    return _res(res.start, end, res.granularity, "range",
                f"'{full}' runs from {res.start} ({res.reason}) to {anchor}", full)


def _candidates(text: str, doc: PartialDate | None, lang: str
                ) -> list[tuple[int, int, int, DateResolution]]:
    acc, low = _fold(text)
    ctx = _Ctx(text, low, acc, doc, lang)
    found: list[tuple[int, int, int, DateResolution]] = []
    impossible: list[tuple[int, int]] = []
    for rx, handler, rank in _compiled(lang):
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
                if _g(m, "since") or _g(m, "since2"):
                    res = _since(ctx, res, full)
                else:
                    res = replace(res, text=full)
            except _Impossible:
                impossible.append((start, end))
                continue
            except (_Skip, ValueError, OverflowError):
                # ValueError/OverflowError: arithmetic off the calendar (year 1 or 9999)
                continue
            found.append((start, end, rank, res))
    # longest first, then earliest; a shorter expression inside a kept one is dropped,
    # and nothing inside an impossible date ("31 février 2024") survives
    found.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    kept: list[tuple[int, int, int, DateResolution]] = []
    for c in found:
        if any(s <= c[0] and c[1] <= e and (e - s) > (c[1] - c[0]) for s, e in impossible):
            continue
        if all(c[1] <= k[0] or k[1] <= c[0] for k in kept):
            kept.append(c)
    kept.sort(key=lambda c: c[0])
    return kept


def find_dates(text: str, doc_date: PartialDate | None, lang: str = "en"
               ) -> list[tuple[int, int, DateResolution]]:
    """Find every date expression in a sentence and resolve it.

    Parameters
    ----------
    text : str
        A sentence or clause, French or English.
    doc_date : PartialDate or None
        The document's date, known to the day, the month or the year. Relative
        expressions ("lundi", "yesterday") resolve against it and are never made
        finer than it is. A ``datetime.date`` or an ISO string is accepted too.
    lang : {"en", "fr"}
        Language of ``text``; region suffixes ("fr-FR") are ignored.

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
        ``lang`` is neither French nor English.
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
    """The date of the event a sentence tells.

    The first resolved precise expression in text order wins; vague spans
    ("ces derniers jours", "for several months") only when nothing precise is
    there; with no expression at all, the document date (``approximate``).

    Parameters
    ----------
    text : str
        A sentence or clause, French or English.
    doc_date : PartialDate or None
        The document's date (day, month or year), used as the anchor for
        relative expressions and as the fallback.
    lang : {"en", "fr"}
        Language of ``text``.

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
    found = _candidates(text, doc, code)
    resolved = [c for c in found if c[3].start is not None]
    if resolved:
        return min(resolved, key=lambda c: (c[2], c[0]))[3]
    if found:
        return found[0][3]
    if doc is not None:
        return DateResolution(doc.start, doc.end, doc.granularity, "approximate",
                              f"no date in the sentence; document date {doc}", "")
    return DateResolution(None, None, "day", "unresolved", "no date found", "")


# -- the dates stage: one date per sentence of a parsed document ----------------------------


def sentence_dates(parsed: Parsed) -> tuple[DateResolution, ...]:
    """The date each sentence of a parsed document tells, inherited where it tells none.

    Parameters
    ----------
    parsed : Parsed
        A document after recognition; only its text, date, language and sentences
        are read.

    Returns
    -------
    tuple of DateResolution
        One per sentence, aligned with ``parsed.sentences``.

    Notes
    -----
    "On 3 May, gunmen attacked the village. The attack killed two": the second
    sentence inherits the date of the first, within the same paragraph. A
    relative date ("two days later", "on Friday", "May 15") in a document
    without a date of its own is read against the last full date the text
    told before it.
    """
    cache: dict[int, DateResolution] = {}
    return tuple(_sentence_date(parsed, s, cache) for s in parsed.sentences)


def _sentence_date(parsed: Parsed, sentence: Sentence, cache: dict[int, DateResolution]
                   ) -> DateResolution:
    """The date a sentence tells; with none of its own, the date told just before it.

    "On 3 May, gunmen attacked the village. The attack killed two": the second
    sentence inherits the date of the first, within the same paragraph. A
    relative date ("two days later", "on Friday", "May 15") in a document
    without a date of its own is read against the last full date the text
    told before it.
    """
    doc = parsed.document
    if sentence.index not in cache:
        cache[sentence.index] = resolve_date(sentence.text, doc.date, parsed.lang)
    date = cache[sentence.index]
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
    while k >= 0 and "\n\n" not in doc.text[parsed.sentences[k].end: sentence.start]:
        prev = parsed.sentences[k]
        if prev.index not in cache:
            cache[prev.index] = resolve_date(prev.text, doc.date, parsed.lang)
        if cache[prev.index].text and cache[prev.index].start is not None:
            d = cache[prev.index]
            return replace(d, reason=f"no date in the sentence; the date told before it: "
                                     f"{d.reason}")
        k -= 1
    return date


def _told_before(parsed: Parsed, sentence: Sentence, cache: dict[int, DateResolution]
                 ) -> DateResolution | None:
    """The last date to the day the text told before ``sentence``, if any."""
    for prev in reversed(parsed.sentences[: sentence.index]):
        if prev.index not in cache:
            cache[prev.index] = resolve_date(prev.text, parsed.document.date, parsed.lang)
        d = cache[prev.index]
        if d.start is not None and d.granularity == "day" and d.date_type in {
                "exact", "approximate"}:
            return d
    return None
