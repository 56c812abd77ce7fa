"""The recognition rules of one language, read once from its pack (``recognise.json``).

Every language defines the same keys; a rule a language lacks is an empty
list, an empty pattern or false, so the code never asks which language it reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..lang.overlay import merged_section

__all__ = ["RecognitionRules", "recognition_rules", "alternation"]


def alternation(words: Iterable[str]) -> str:
    r"""Join ``words`` into a regular-expression alternation, longest first, escaped.

    >>> alternation(["de", "de la"])
    'de\\ la|de'
    """
    return "|".join(sorted((re.escape(w) for w in words if w), key=len, reverse=True))


def _compiled(pattern: str, **fill: str) -> re.Pattern[str] | None:
    if not pattern:
        return None
    for key, value in fill.items():
        pattern = pattern.replace("{" + key + "}", value)
    return re.compile(pattern)


_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’-]+"


@dataclass(frozen=True, eq=False)
class RecognitionRules:
    """What recognition knows of one language, compiled once.

    Parameters
    ----------
    lang : str
        The language code.
    data : mapping
        The ``recognise`` section of the pack, opt-in packs laid over it.
    """

    lang: str
    data: Mapping[str, Any]

    def __post_init__(self) -> None:
        """Compile the pack's words and patterns."""
        d = self.data
        kept = alternation(d["kept_periods"])
        setattr_ = object.__setattr__
        setattr_(self, "articles", tuple(d["articles"]))
        setattr_(self, "possessive", re.compile(d["possessive"]))
        setattr_(self, "abbreviation", re.compile(
            r"(?:\b[A-Za-z]\.\s?(?:[A-Za-z]{1,3}\.)+"
            + (rf"|\b(?:{kept})\." if kept else "") + r")$"))
        setattr_(self, "name_start", re.compile(
            rf"^(?:(?:{alternation(d['name_start_articles'])})?[^\W\d_])", re.IGNORECASE))
        for key in ("calendar", "generic", "locative_words", "continents", "plural_determiners",
                    "entity_coordinators", "of_words", "person_name_stops",
                    "feature_keeps_generic", "after_article_prepositions",
                    "after_article_articles", "repeated_prepositions", "definite_articles"):
            setattr_(self, key, frozenset(d[key]))
        setattr_(self, "region_surface_words", frozenset(d["region_words"]))
        setattr_(self, "feature_rx", _compiled(d["feature_pattern"],
                                               words=alternation(d["feature_words"])))
        setattr_(self, "area_adjective_rx", _compiled(d["area_adjective_pattern"]))
        setattr_(self, "of_place_rx", _compiled(d["of_place_pattern"],
                                                words=alternation(d["of_place_words"]))
                 if d["of_place_words"] else None)
        setattr_(self, "group_ending", _compiled(d["group_ending"]))
        for key in ("drop_unknown_single_words", "drop_figure_letters",
                    "abbreviation_before_digit"):
            setattr_(self, key, bool(d[key]))
        setattr_(self, "common_noun_zipf", float(d["common_noun_zipf"]))
        setattr_(self, "rare_after_article_zipf", float(d["rare_after_article_zipf"]))

    # Set in __post_init__ (declared for the type checker).
    articles: tuple[str, ...] = field(init=False, repr=False, default=())
    possessive: re.Pattern[str] = field(init=False, repr=False, default=re.compile(""))
    abbreviation: re.Pattern[str] = field(init=False, repr=False, default=re.compile(""))
    name_start: re.Pattern[str] = field(init=False, repr=False, default=re.compile(""))
    calendar: frozenset[str] = field(init=False, repr=False, default=frozenset())
    generic: frozenset[str] = field(init=False, repr=False, default=frozenset())
    locative_words: frozenset[str] = field(init=False, repr=False, default=frozenset())
    continents: frozenset[str] = field(init=False, repr=False, default=frozenset())
    plural_determiners: frozenset[str] = field(init=False, repr=False, default=frozenset())
    entity_coordinators: frozenset[str] = field(init=False, repr=False, default=frozenset())
    of_words: frozenset[str] = field(init=False, repr=False, default=frozenset())
    person_name_stops: frozenset[str] = field(init=False, repr=False, default=frozenset())
    feature_keeps_generic: frozenset[str] = field(init=False, repr=False, default=frozenset())
    after_article_prepositions: frozenset[str] = field(init=False, repr=False, default=frozenset())
    after_article_articles: frozenset[str] = field(init=False, repr=False, default=frozenset())
    repeated_prepositions: frozenset[str] = field(init=False, repr=False, default=frozenset())
    definite_articles: frozenset[str] = field(init=False, repr=False, default=frozenset())
    region_surface_words: frozenset[str] = field(init=False, repr=False, default=frozenset())
    feature_rx: re.Pattern[str] | None = field(init=False, repr=False, default=None)
    area_adjective_rx: re.Pattern[str] | None = field(init=False, repr=False, default=None)
    of_place_rx: re.Pattern[str] | None = field(init=False, repr=False, default=None)
    group_ending: re.Pattern[str] | None = field(init=False, repr=False, default=None)
    drop_unknown_single_words: bool = field(init=False, repr=False, default=False)
    drop_figure_letters: bool = field(init=False, repr=False, default=False)
    abbreviation_before_digit: bool = field(init=False, repr=False, default=False)
    common_noun_zipf: float = field(init=False, repr=False, default=3.0)
    rare_after_article_zipf: float = field(init=False, repr=False, default=3.5)

    def region_patterns(self, region_words: Iterable[str]) -> list[re.Pattern[str]]:
        """Return the region patterns ("région (adj) de X", "X Oblast") over these words.

        Parameters
        ----------
        region_words : iterable of str
            The pack's surface words and the gazetteer's region words.

        Returns
        -------
        list of re.Pattern
        """
        return _region_patterns(tuple(self.data["region_patterns"]),
                                alternation(set(region_words)))

    def group_like(self, name: str, prev: str) -> bool:
        """Whether ``name`` after ``prev`` reads as a plural people ("les Romains").

        Parameters
        ----------
        name : str
        prev : str
            The word before the name.

        Returns
        -------
        bool
            The gazetteer may still know the name as a place; resolution checks that.
        """
        return (prev.lower() in self.plural_determiners and " " not in name
                and self.group_ending is not None and bool(self.group_ending.search(name)))


@lru_cache(maxsize=64)
def _region_patterns(templates: tuple[str, ...], words: str) -> list[re.Pattern[str]]:
    out = []
    for t in templates:
        rx = _compiled(t, words=words, cap=_CAP)
        if rx is not None:
            out.append(rx)
    return out


@lru_cache(maxsize=32)
def recognition_rules(lang: str, packs: tuple[str, ...] = ()) -> RecognitionRules:
    """Return the recognition rules of ``lang`` with the opt-in ``packs`` (loaded once).

    Parameters
    ----------
    lang : str
        A language code; an unknown one raises :class:`~geomap.errors.UnknownOption`.
    packs : tuple of str
        Opt-in packs such as ``("fr-hist",)``.

    Returns
    -------
    RecognitionRules
    """
    return RecognitionRules(lang, merged_section(lang, "recognise", packs))
