"""The date grammar of a language: its words and patterns, read from the language pack.

Everything the dates stage knows of a language is the ``dates`` section of its
pack, ``geomap/lang/<code>/dates.json``: month and weekday names, numbers,
relative words, and the regular expression of each kind of expression. The
expressions are written with placeholders that are filled from the pack's
own words: ``{month}`` (full names and abbreviations), ``{month_full}``,
``{weekday}``, ``{num}`` (counts in digits or words), ``{ord}`` (the ordinal
suffix), ``{quarter_ordinal}``, ``{season}``, ``{era}``, ``{day}``, ``{year}`` and ``{decade}``
(a year ending in 0, as in "the 1970s"), and
``{atom_a}``/``{atom_b}`` (the two ends of a range, from ``range_atom``). Only
language-independent forms are written here: ISO and numeric dates, day
numbers and years.

>>> grammar = date_grammar("fr")
>>> grammar.months["aout"], grammar.weekdays["samedi"]
(8, 5)
>>> language_code("fr-FR")
'fr'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import InvalidRecord, UnknownOption, options_message
from ..lang import language_pack, languages

__all__ = [
    "DateGrammar",
    "DatePattern",
    "date_grammar",
    "language_code",
]

#: A day of the month written in digits.
_DAY_NUMBER = r"(?<![0-9])(?:3[01]|[12][0-9]|0?[1-9])(?![0-9])"

#: Dates written the same way in every language: ISO, then day/month/year in digits.
_ISO = r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})(?![0-9])"
_NUMERIC = (r"(?<![0-9/.-])(?P<a>[0-9]{1,2})(?P<sep>[/.-])(?P<b>[0-9]{1,2})(?P=sep)"
            r"(?P<y>[0-9]{4})(?![0-9]|[/.-][0-9])")

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True, slots=True)
class DatePattern:
    """One kind of date expression: its regular expression and the handler that resolves it.

    Attributes
    ----------
    regex : re.Pattern
        Matched against the folded text; the expression itself is the group ``body``.
    handler : str
        Name of the handler (see :data:`geomap.dates.context.HANDLERS`).
    rank : int
        0 for a precise expression, 1 for a vague span ("ces derniers jours"),
        which a sentence's date uses only when nothing precise is there.
    """

    regex: re.Pattern[str]
    handler: str
    rank: int


@dataclass(frozen=True, slots=True)
class DateGrammar:
    """What the dates stage knows of one language, from the ``dates`` section of its pack.

    Attributes
    ----------
    lang : str
        The language code.
    months, month_abbreviations : Mapping of str to int
        Folded month names and abbreviations, to the month number.
    month_needs_capital : bool
        A month name counts only when capitalised ("may" and "march" are verbs).
    weekdays : Mapping of str to int
        Folded weekday names, Monday 0.
    numbers : Mapping of str to int
        Counts written in words.
    day_words : Mapping of str to int
        Day numbers written as words ("premier").
    numeric_day_first : bool
        "04/05/2025" is day first; otherwise it is read only when unambiguous.
    quarter_words : Mapping of str to int
        Ordinals of quarters and halves.
    quarter_last_words, half_words : frozenset of str
        "last quarter" words, and the words for a half-year.
    relative_days : Mapping of str to (int, int)
        "hier", "last night": the first and last day, relative to the document date.
    next_days : Mapping of str to int
        "le lendemain", "the day before": days after the date read from.
    weekday_next_words, weekday_last_words : frozenset of str
        Words that make a weekday the next one or the one before.
    habitual : re.Pattern
        Matches just before a weekday that recurs ("chaque lundi", "every Monday").
    not_event : re.Pattern
        Matches just before a date that is not when an event happened: a birth,
        a founding, a building's completion ("né en 1961", "built in 1920").
    relative_offsets : Mapping of str to int
        "dernier", "next", "this": -1, 1 or 0 periods from the document's.
    to_date_words, month_strict_words : frozenset of str
        Periods read up to the document date ("earlier this"), and words that
        make a month named without a year strictly before the document's ("last").
    units, unit_plurals : Mapping of str to str
        Unit words to ``week``/``month``/``year``, and to a plural unit
        (``hours``, ``days``, ``weeks``, ``months``, ``years``).
    singular_units : frozenset of str
        Units in the singular ("in the past week" is one week).
    parts : Mapping of str to str
        "debut", "mid", "end" to ``early``, ``mid`` or ``late``.
    patterns : tuple of DatePattern
        Every kind of expression, in the order they are tried.
    seasons : Mapping of str to (int, int)
        Season words to their first and last month ("winter": 12 to 2, across the year end).
    eras : Mapping of str to (int, int)
        Named periods of history to their first and last year ("world war ii": 1939 to 1945).
    """

    lang: str
    months: Mapping[str, int]
    month_abbreviations: Mapping[str, int]
    month_needs_capital: bool
    weekdays: Mapping[str, int]
    numbers: Mapping[str, int]
    day_words: Mapping[str, int]
    numeric_day_first: bool
    quarter_words: Mapping[str, int]
    quarter_last_words: frozenset[str]
    half_words: frozenset[str]
    relative_days: Mapping[str, tuple[int, int]]
    next_days: Mapping[str, int]
    weekday_next_words: frozenset[str]
    weekday_last_words: frozenset[str]
    habitual: re.Pattern[str]
    not_event: re.Pattern[str]
    relative_offsets: Mapping[str, int]
    to_date_words: frozenset[str]
    month_strict_words: frozenset[str]
    units: Mapping[str, str]
    unit_plurals: Mapping[str, str]
    singular_units: frozenset[str]
    parts: Mapping[str, str]
    patterns: tuple[DatePattern, ...]
    seasons: Mapping[str, tuple[int, int]]
    eras: Mapping[str, tuple[int, int]]

    def month(self, word: str) -> int:
        """Return the number of a folded month name or abbreviation ("aout", "sept.").

        Parameters
        ----------
        word : str
            As matched, with or without the abbreviation's dot.

        Returns
        -------
        int
            1 to 12.
        """
        key = word.rstrip(".")
        return self.months.get(key) or self.month_abbreviations[key]


def language_code(lang: object) -> str:
    """Return the code of a language geomap has a date grammar for, from a tag like "fr-FR".

    Parameters
    ----------
    lang : str
        A language code or tag; the region part and case are ignored.

    Returns
    -------
    str
        One of :func:`geomap.lang.languages`.

    Raises
    ------
    UnknownOption
        For any other language; the message lists the options.

    Examples
    --------
    >>> language_code("EN_gb")
    'en'
    >>> language_code("es")
    Traceback (most recent call last):
    ...
    geomap.errors.UnknownOption: unknown language 'es'; options are: en, fr
    """
    code = re.split(r"[-_]", lang.strip().lower())[0] if isinstance(lang, str) else str(lang)
    if code not in languages():
        raise UnknownOption(options_message("language", lang, languages()))
    return code


@lru_cache(maxsize=16)
def date_grammar(lang: str) -> DateGrammar:
    """Return the date grammar of a language, built once per process from its pack.

    Parameters
    ----------
    lang : str
        A language code or tag (see :func:`language_code`).

    Returns
    -------
    DateGrammar

    Raises
    ------
    UnknownOption
        For a language without a pack, or a pack without a key the grammar needs.
    InvalidRecord
        For a pattern of the pack that names an unknown placeholder or does not compile.
    """
    code = language_code(lang)
    pack = language_pack(code)

    def get(key: str) -> Any:
        return pack.get("dates", key)

    def words(key: str) -> frozenset[str]:
        return pack.words("dates", key)

    def ints(key: str) -> dict[str, int]:
        return {str(k): int(v) for k, v in get(key).items()}

    months, abbreviations = ints("months"), ints("month_abbreviations")
    numbers = ints("numbers")
    month_any = "(?:" + _alt(months) + r"\b|" + _alt(abbreviations) + r"\b\.?)"
    fill = {
        "day": _DAY_NUMBER,
        "year": (r"(?<![0-9.,])(?:1[89][0-9]{2}|20[0-9]{2})(?![0-9])(?![.,][0-9])"
                 r"(?!\s+" + _alt(get("count_nouns")) + r"\b)"),
        "month": month_any,
        "month_full": "(?:" + _alt(months) + r"\b)",
        "weekday": _alt(get("weekdays")),
        "ord": get("ordinal_suffix"),
        "num": "(?:[0-9]{1,3}|" + _alt(list(numbers) + list(get("vague_numbers"))) + ")",
        "quarter_ordinal": _alt(list(get("quarter_words")) + list(get("quarter_last_words"))),
        "season": _alt(get("seasons")),
        "era": _alt(get("eras")),
        "decade": r"(?<![0-9])(?:1[5-9][0-9]0|20[0-2]0)(?![0-9])",
    }
    atom = get("range_atom")
    fill["atom_a"] = _fill(code, "range_atom", atom.replace("{p}", "a"), fill)
    fill["atom_b"] = _fill(code, "range_atom", atom.replace("{p}", "b"), fill)
    since = get("since")
    patterns = [DatePattern(_compile(code, "iso", since + f"(?P<body>{_ISO})"), "iso", 0),
                DatePattern(_compile(code, "numeric", since + f"(?P<body>{_NUMERIC})"),
                            "numeric", 0)]
    for i, item in enumerate(get("patterns")):
        where = f"patterns[{i}] ({item['handler']})"
        body = "(?P<body>" + _fill(code, where, item["regex"], fill) + ")"
        patterns.append(DatePattern(_compile(code, where, (since if item["since"] else "") + body),
                                    item["handler"], int(item["rank"])))
    return DateGrammar(
        lang=code,
        months=months,
        month_abbreviations=abbreviations,
        month_needs_capital=bool(get("month_needs_capital")),
        weekdays=ints("weekdays"),
        numbers=numbers,
        day_words=ints("day_words"),
        numeric_day_first=bool(get("numeric_day_first")),
        quarter_words=ints("quarter_words"),
        quarter_last_words=words("quarter_last_words"),
        half_words=words("half_words"),
        relative_days={k: (int(v[0]), int(v[1])) for k, v in get("relative_days").items()},
        next_days=ints("next_days"),
        weekday_next_words=words("weekday_next_words"),
        weekday_last_words=words("weekday_last_words"),
        habitual=re.compile("(?:" + _alt(get("habitual_words")) + r")\s+$"),
        not_event=re.compile(r"(?<!\w)" + _alt(get("not_event_words")) + r"\s+$"),
        relative_offsets=ints("relative_offsets"),
        to_date_words=words("to_date_words"),
        month_strict_words=words("month_strict_words"),
        units=dict(get("units")),
        unit_plurals=dict(get("unit_plurals")),
        singular_units=words("singular_units"),
        parts=dict(get("parts")),
        patterns=tuple(patterns),
        seasons={str(k): (int(v[0]), int(v[1])) for k, v in get("seasons").items()},
        eras={str(k): (int(v[0]), int(v[1])) for k, v in get("eras").items()},
    )


def _alt(words: Iterable[str]) -> str:
    """Return an alternation of words, longest first; a space matches any run of spaces."""
    items = sorted({re.escape(w).replace(r"\ ", r"\s+") for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(items) + ")"


def _fill(lang: str, where: str, template: str, fill: Mapping[str, str]) -> str:
    def one(m: re.Match[str]) -> str:
        if m[1] not in fill:
            raise InvalidRecord(
                f"{options_message('placeholder', '{' + m[1] + '}', sorted(fill))} in "
                f"geomap/lang/{lang}/dates.json, {where}; fix that pattern")
        return fill[m[1]]

    return _PLACEHOLDER.sub(one, template)


def _compile(lang: str, where: str, body: str) -> re.Pattern[str]:
    try:
        return re.compile(r"(?<!\w)" + body + r"(?!\w)")
    except re.error as err:
        raise InvalidRecord(f"pattern {where} of geomap/lang/{lang}/dates.json does not "
                            f"compile: {err}; fix that pattern") from err
