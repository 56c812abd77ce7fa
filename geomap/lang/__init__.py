"""Language packs: what geomap knows of each language, as data.

Each supported language is a folder ``geomap/lang/<code>/`` of JSON files
(spaCy's ``spacy/lang/<code>/`` is the model). Every file is one section of
the pack, named by its stem (``events.json`` is the section ``events``), and
holds a JSON object of word lists, patterns and cues. Every pack defines the
same sections and keys, so code asks for a key without knowing the language
and never branches on it. Adding a language is adding a folder; see the
README's "Adding a language".

>>> from geomap.lang import language_pack
>>> pack = language_pack("fr")
>>> pack.lang
'fr'
>>> language_pack("xx")
Traceback (most recent call last):
...
geomap.errors.UnknownOption: unknown language 'xx'; options are: en, fr
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import InvalidRecord, UnknownOption, options_message

__all__ = ["LanguagePack", "language_pack", "languages", "fold_text", "has_words"]

#: Typographic forms read as their plain ASCII twins when matching words.
_SAME_AS = {
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "\u2013": "-", "\u2014": "-",
    "\u2010": "-", "\u2011": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " ",
}


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in _SAME_AS:
        return _SAME_AS[c]
    if c.isascii():
        return c
    base = "".join(ch for ch in unicodedata.normalize("NFD", c) if not unicodedata.combining(ch))
    return base if len(base) == 1 else c


#: A letter or a digit.
_WORD = re.compile(r"[^\W_]")


def has_words(text: str) -> bool:
    """Whether a text holds a letter or a digit (a page of padding tells nothing).

    >>> has_words("   "), has_words(" 3 mai ")
    (False, True)
    """
    return _WORD.search(text) is not None


def fold_text(text: str, *, lower: bool = True) -> str:
    """Fold accents (and case) one character for one, so offsets into ``text`` stay valid.

    This is the fold for matching words and patterns of a language pack in
    running text; place names are folded by :func:`gazetteer.fold`, which may
    change the length.

    Parameters
    ----------
    text : str
    lower : bool
        Also lower-case (where that keeps one character for one).

    Returns
    -------
    str
        As long as ``text``.

    Examples
    --------
    >>> fold_text("L’armée a repris Soudja")
    "l'armee a repris soudja"
    >>> fold_text("Île-de-France", lower=False)
    'Ile-de-France'
    """
    acc = "".join(_fold_char(c) for c in text)
    if not lower:
        return acc
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in acc)


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    """The codes of the language packs shipped with geomap, sorted.

    A pack is a folder under ``geomap/lang`` whose name is a language code;
    folders starting with ``_`` and opt-in packs (names with ``-``) are not
    languages of their own.
    """
    root = resources.files(__name__)
    return tuple(sorted(p.name for p in root.iterdir()
                        if p.is_dir() and p.name.isalpha() and p.name.islower()))


@dataclass(frozen=True, slots=True)
class LanguagePack:
    """The data of one language: ``sections[name]`` is the JSON object of ``<name>.json``."""

    lang: str
    sections: Mapping[str, Mapping[str, Any]]
    #: The word lists read so far, as frozen sets (detection reads them per trigger).
    _word_sets: dict[tuple[str, str], frozenset[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def section(self, name: str) -> Mapping[str, Any]:
        """One section of the pack, by file stem; an unknown name lists the options."""
        try:
            return self.sections[name]
        except KeyError:
            raise UnknownOption(options_message(f"section of the '{self.lang}' language pack",
                                                name, sorted(self.sections))) from None

    def get(self, section: str, key: str) -> Any:
        """The value of ``key`` in ``section``; an unknown key lists the options."""
        data = self.section(section)
        if key not in data:
            raise UnknownOption(options_message(
                f"key of section '{section}' of the '{self.lang}' language pack", key,
                sorted(k for k in data if not k.startswith("_"))))
        return data[key]

    def words(self, section: str, key: str) -> frozenset[str]:
        """A word list of the pack as a frozen set (built once)."""
        found = self._word_sets.get((section, key))
        if found is None:
            found = self._word_sets[section, key] = frozenset(self.get(section, key))
        return found

    def pattern(self, section: str, key: str, flags: int = 0) -> re.Pattern[str]:
        """A regular expression of the pack, compiled (a list of strings is joined by ``|``)."""
        value = self.get(section, key)
        text = "|".join(f"(?:{v})" for v in value) if isinstance(value, list) else value
        return _compile(text, flags)


@lru_cache(maxsize=256)
def _compile(text: str, flags: int) -> re.Pattern[str]:
    return re.compile(text, flags)


@lru_cache(maxsize=16)
def language_pack(lang: str) -> LanguagePack:
    """The language pack of ``lang``, loaded once per process.

    Parameters
    ----------
    lang : str
        A language code with a folder under ``geomap/lang`` (see :func:`languages`),
        or the name of an opt-in pack there.

    Returns
    -------
    LanguagePack

    Raises
    ------
    UnknownOption
        For a language geomap has no pack for; the message lists the packs.
    """
    root = resources.files(__name__)
    folder = root / lang
    if not lang or lang.startswith((".", "_")) or not folder.is_dir():
        raise UnknownOption(options_message("language", lang, list(languages())))
    sections: dict[str, Mapping[str, Any]] = {}
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".json"):
            continue
        try:
            data = json.loads(item.read_text(encoding="utf-8"))
        except ValueError as err:
            raise InvalidRecord(f"language pack file geomap/lang/{lang}/{item.name} is not "
                                f"valid JSON: {err}; fix or restore that file") from err
        if not isinstance(data, dict):
            raise InvalidRecord(f"language pack file geomap/lang/{lang}/{item.name} must hold "
                                f"a JSON object")
        sections[item.name[: -len(".json")]] = data
    return LanguagePack(lang, sections)
