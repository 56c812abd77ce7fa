"""Display names of countries and admin areas, for maps and exports.

Country names come from the Unicode CLDR (through babel) in any CLDR language; ISO
alpha-3 and numeric codes from the countryinfo package. Both are offline data of
installed packages.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from .errors import UnknownOption, options_message

__all__ = ["NAME_LANGUAGES", "check_names_language", "country_name", "country_codes",
           "country_code", "display_name", "searchable", "MAX_SEARCH_NAMES"]

#: Languages ``--names`` accepts: the languages geomap reads, whose CLDR names babel has.
NAME_LANGUAGES: tuple[str, ...] = ("en", "fr")


def check_names_language(lang: str) -> str:
    """``lang`` if maps and exports can name places in it, else the options error.

    Examples
    --------
    >>> check_names_language("fr")
    'fr'
    >>> check_names_language("xx")
    Traceback (most recent call last):
    ...
    geomap.errors.UnknownOption: unknown names language 'xx'; options are: en, fr
    """
    if lang not in NAME_LANGUAGES:
        raise UnknownOption(options_message("names language", lang, NAME_LANGUAGES))
    return lang


@functools.lru_cache(maxsize=8)
def _territories(lang: str) -> dict[str, str]:
    from babel import Locale

    return dict(Locale.parse(lang).territories)


def country_name(code: str, lang: str = "en") -> str | None:
    """The CLDR name of the country with ISO alpha-2 ``code`` in ``lang``, or None.

    Examples
    --------
    >>> country_name("RU"), country_name("KP", "fr")
    ('Russia', 'Corée du Nord')
    """
    return _territories(lang).get(code.upper()) if code else None


@functools.lru_cache(maxsize=1)
def _iso_codes() -> dict[str, tuple[str, str]]:
    try:
        import countryinfo
    except ImportError:  # pragma: no cover - a declared dependency
        return {}
    out: dict[str, tuple[str, str]] = {}
    for file in sorted((Path(countryinfo.__file__).resolve().parent / "data").glob("*.json")):
        try:
            iso = json.loads(file.read_text(encoding="utf-8")).get("ISO") or {}
        except (OSError, ValueError):
            continue
        if iso.get("alpha2"):
            out[str(iso["alpha2"]).upper()] = (str(iso.get("alpha3") or "").upper(),
                                               str(iso.get("numeric") or ""))
    return out


def country_codes(code: str) -> tuple[str, str]:
    """``(alpha-3, numeric)`` ISO 3166 codes of alpha-2 ``code``; empty strings if unknown.

    Examples
    --------
    >>> country_codes("RU")
    ('RUS', '643')
    >>> country_codes("ZZ")
    ('', '')
    """
    return _iso_codes().get(code.upper(), ("", ""))


@functools.lru_cache(maxsize=1)
def _codes_by_name() -> dict[str, str]:
    out: dict[str, str] = {}
    for lang in NAME_LANGUAGES:
        for code, name in _territories(lang).items():
            if len(code) == 2 and code.isalpha():
                out.setdefault(name.casefold(), code)
    return out


def country_code(name: str) -> str | None:
    """The ISO alpha-2 code of the country called ``name`` in CLDR (English or French).

    Examples
    --------
    >>> country_code("Russia"), country_code("Corée du Nord"), country_code("Atlantis")
    ('RU', 'KP', None)
    """
    return _codes_by_name().get(name.strip().casefold())


def display_name(name: str, level: str, country: str | None,
                 known: Sequence[tuple[str, str | None]], lang: str) -> str:
    """The name a place is shown by in ``lang``.

    A country takes its CLDR name; an admin area or region the first of its ``known``
    gazetteer names tagged ``lang``; a point, and any place without such a name, its own
    ``name``.

    Examples
    --------
    >>> known = [("Kurskaya oblast'", None), ("Kursk Oblast", "en"), ("oblast de Koursk", "fr")]
    >>> display_name("Kurskaya oblast'", "admin1", "RU", known, "en")
    'Kursk Oblast'
    >>> display_name("Kurskaya oblast'", "admin1", "RU", known, "fr")
    'oblast de Koursk'
    >>> display_name("Russia", "country", "RU", [], "fr")
    'Russie'
    >>> display_name("Kursk", "point", "RU", [("Koursk", "fr")], "fr")
    'Kursk'
    """
    if level == "country" and country:
        return country_name(country, lang) or name
    if level != "point":
        return next((n for n, tag in known if tag == lang), name)
    return name


#: The most gazetteer names a place carries for the page's search.
MAX_SEARCH_NAMES = 40


def searchable(known: Iterable[tuple[str, str | None]]) -> set[str]:
    """The gazetteer names the page's search matches: Latin-script ones, at most 40.

    Examples
    --------
    >>> sorted(searchable([("Kyiv", None), ("Kiev", "en"), ("Киев", "ru")]))
    ['Kiev', 'Kyiv']
    """
    out: list[str] = []
    for name, _ in known:
        if name not in out and all(ord(c) < 0x250 for c in name):
            out.append(name)
            if len(out) == MAX_SEARCH_NAMES:
                break
    return set(out)
