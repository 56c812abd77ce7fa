"""The resolution rules of one language, read once from its pack (``resolve.json``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..lang.overlay import merged_section
from ..recognise import alternation

__all__ = ["ResolutionRules", "resolution_rules"]


def _rx(pattern: str, flags: int = 0) -> re.Pattern[str] | None:
    return re.compile(pattern, flags) if pattern else None


@dataclass(frozen=True, eq=False)
class ResolutionRules:
    """What resolution and its recall know of one language, compiled once.

    Parameters
    ----------
    lang : str
        The language code.
    data : mapping
        The ``resolve`` section of the pack, opt-in packs laid over it.
    """

    lang: str
    data: Mapping[str, Any]
    admin_words: Mapping[str, str | None] = field(init=False, repr=False, default_factory=dict)
    abbreviations: Mapping[str, str] = field(init=False, repr=False, default_factory=dict)
    postal: Mapping[str, str] = field(init=False, repr=False, default_factory=dict)
    state_after_comma: re.Pattern[str] | None = field(init=False, repr=False, default=None)
    dateline: re.Pattern[str] | None = field(init=False, repr=False, default=None)
    type_after: re.Pattern[str] = field(init=False, repr=False, default=re.compile(""))
    type_before: re.Pattern[str] = field(init=False, repr=False, default=re.compile(""))
    bracket_chain: re.Pattern[str] = field(init=False, repr=False, default=re.compile(""))
    chain_piece: re.Pattern[str] = field(init=False, repr=False, default=re.compile(""))
    before_chain: re.Pattern[str] = field(init=False, repr=False, default=re.compile(""))
    direction: re.Pattern[str] | None = field(init=False, repr=False, default=None)
    container: re.Pattern[str] | None = field(init=False, repr=False, default=None)
    town_of: re.Pattern[str] | None = field(init=False, repr=False, default=None)
    next_name: re.Pattern[str] | None = field(init=False, repr=False, default=None)
    initialisms: Mapping[str, str] = field(init=False, repr=False, default_factory=dict)
    admin_plurals: Mapping[str, str | None] = field(init=False, repr=False, default_factory=dict)
    title_before: re.Pattern[str] | None = field(init=False, repr=False, default=None)
    speech_before: re.Pattern[str] | None = field(init=False, repr=False, default=None)
    thing_after: re.Pattern[str] | None = field(init=False, repr=False, default=None)
    thing_before: re.Pattern[str] | None = field(init=False, repr=False, default=None)
    feature_after: re.Pattern[str] | None = field(init=False, repr=False, default=None)
    feature_before: re.Pattern[str] | None = field(init=False, repr=False, default=None)
    in_city: re.Pattern[str] | None = field(init=False, repr=False, default=None)
    plural_after_list: re.Pattern[str] | None = field(init=False, repr=False, default=None)
    plural_before_list: re.Pattern[str] | None = field(init=False, repr=False, default=None)
    list_link: re.Pattern[str] | None = field(init=False, repr=False, default=None)
    words: Mapping[str, frozenset[str]] = field(init=False, repr=False, default_factory=dict)
    flags: Mapping[str, bool] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        """Compile the pack's words and patterns."""
        d = self.data
        put = object.__setattr__
        admin = {k.lower(): v for k, v in d["admin_words"].items()}
        put(self, "admin_words", admin)
        put(self, "abbreviations",
            {k.replace(" ", ""): v for k, v in d["state_abbreviations"].items()})
        put(self, "postal", dict(d["postal_codes"]))
        put(self, "state_after_comma", _rx(d["state_after_comma"]))
        put(self, "dateline", _rx(d["dateline"]))
        types = alternation(w for w in admin if " " not in w)
        of = "|".join(d["type_word_connectors"])
        put(self, "type_after", re.compile(
            rf"^(?P<core>[^\W\d_][\w'’.-]*(?:[ -][\w'’.-]+)*?)\s+(?P<word>{types})$",
            re.IGNORECASE))
        put(self, "type_before", re.compile(
            rf"^(?P<word>{types})\s+(?:{of})(?P<core>[^\W\d_].*)$", re.IGNORECASE))
        lead = "|".join(d["chain_lead_words"])
        links = "|".join(d["name_particles"])
        put(self, "bracket_chain", re.compile(
            rf"^\s*(?:(?:{lead})\s+)?\((?P<chain>[^()\n]{{2,120}})\)"))
        put(self, "chain_piece", re.compile(
            rf"(?P<piece>[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:[ -](?:[A-ZÀ-ÖØ-Þ][\w'’.-]*|{links})"
            rf"(?=[ ,)(.;]|$))*(?:\s+(?:{types}))?)(?=[,.;()]|\s|$)"))
        cap = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"
        put(self, "before_chain", re.compile(
            rf"(?<![\w'’-])(?P<name>{cap}(?:[ -](?:{cap}|(?:{links})(?=[ -][A-ZÀ-ÖØ-Þ])))*)"
            rf"(?:\s+(?:{'|'.join(d['chain_type_words'])}|{types}))?"
            r"(?:\s*\((?P<chain>[^()\n]{2,120})\)|,\s*(?=(?P<parent>[A-ZÀ-ÖØ-Þ])))"))
        if d["direction_words"]:
            put(self, "direction", re.compile(
                rf"^(?:(?:{'|'.join(d['direction_words'])})\s+)(?P<core>\S.*)$"))
        if d["container_words"]:
            put(self, "container", re.compile(
                rf"^(?P<core>.+?)\s+(?:{'|'.join(d['container_words'])})\b.*$"))
        if d["town_of_words"]:
            put(self, "town_of", re.compile(
                rf"^(?:{'|'.join(d['town_of_words'])})\s+of\s+(?P<core>\S.*)$"))
        coordinators = alternation(d["next_name_coordinators"])
        put(self, "next_name", _rx(d["next_name_pattern"].replace("{coordinators}", coordinators))
            if coordinators else None)
        put(self, "initialisms", dict(d["country_initialisms"]))
        put(self, "admin_plurals", {k.lower(): admin.get(v.lower())
                                    for k, v in d["admin_plurals"].items()})
        def words_before(key: str, lead: str = r"(?<![\w])") -> re.Pattern[str] | None:
            # Matched at the end of the text before a name (case-insensitive, whole words).
            return _rx(rf"{lead}(?:{alternation(d[key])})\s+$", re.IGNORECASE) if d[key] else None

        put(self, "title_before", words_before("person_titles", r"(?<![\w.])"))
        put(self, "speech_before", words_before("speech_verbs_before_name"))
        put(self, "thing_after", _rx(
            rf"^\s+(?:{alternation(d['thing_words_after'])})\b", re.IGNORECASE)
            if d["thing_words_after"] else None)
        put(self, "thing_before", words_before("thing_words_before"))
        cap = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"
        put(self, "feature_after", _rx(
            rf"(?<![\w'’-])(?P<name>{cap}(?:[ -]{cap}){{0,3}}?)\s+"
            rf"(?P<word>{alternation(d['feature_words_after'])})(?![\w-])")
            if d["feature_words_after"] else None)
        put(self, "feature_before", _rx(
            # after a space, or after an elided article ("l'avenue Bourguiba")
            rf"(?:(?<![\w'’-])|(?<=\b[lL]['’]))(?P<word>{alternation(d['feature_words_before'])})\s+"
            rf"(?:(?:{alternation(d['feature_of_words'])})\s*)?"
            rf"(?P<name>{cap}(?:[ -](?:{cap}|(?:{links})(?=[ -][A-ZÀ-ÖØ-Þ])))*)")
            if d["feature_words_before"] else None)
        put(self, "in_city", _rx(
            rf"^\s*,?\s*(?:{alternation(d['feature_in_city_links'])})\s+(?:l['’]|la\s+|le\s+)?")
            if d["feature_in_city_links"] else None)
        plurals = alternation(d["admin_plurals"])
        put(self, "plural_after_list", _rx(
            rf"(?:(?:\s*,\s*|\s+(?:{alternation(d['list_coordinators'])})\s+)"
            rf"(?:(?:de|d['’])\s*)?{cap}(?:[ -]{cap}){{0,2}})*\s+(?P<word>{plurals})(?![\w-])")
            if plurals else None)
        put(self, "plural_before_list", _rx(
            rf"(?<![\w-])(?P<word>{plurals})\s+(?:of\s+|de\s+|du\s+|d['’]\s*)$")
            if plurals else None)
        put(self, "list_link", _rx(
            rf"^(?:\s*,\s*|\s+(?:{alternation(d['list_coordinators'])})\s+)"
            r"(?:(?:de|du|d['’])\s*)?$"))
        put(self, "words", {k: frozenset(d[k]) for k in (
            "known_name_coordinators", "known_name_links", "known_name_verbs",
            "natural_feature_after", "facility_after")})
        put(self, "flags", {k: bool(d[k]) for k in (
            "known_name_inside_place_entity", "known_name_must_look_like_name")})


@lru_cache(maxsize=32)
def resolution_rules(lang: str, packs: tuple[str, ...] = ()) -> ResolutionRules:
    """Return the resolution rules of ``lang`` with the opt-in ``packs`` (loaded once).

    Parameters
    ----------
    lang : str
        A language code; an unknown one raises :class:`~geomap.errors.UnknownOption`.
    packs : tuple of str
        Opt-in packs such as ``("fr-hist",)``.

    Returns
    -------
    ResolutionRules
    """
    return ResolutionRules(lang, merged_section(lang, "resolve", packs))
