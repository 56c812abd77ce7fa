"""The languages documents may carry: the options, a document's own tag, a guess from the text."""

from __future__ import annotations

import re

from ..errors import UnknownOption, options_message

__all__ = ["SUPPORTED_LANGS", "LANG_OPTIONS", "detect_language", "check_lang_option",
           "normalise_doc_lang"]

#: Languages the pipeline has models and trigger lists for.
SUPPORTED_LANGS: tuple[str, ...] = ("fr", "en")
#: Values the ``lang`` argument (and the CLI's ``--lang``) accepts.
LANG_OPTIONS: tuple[str, ...] = ("auto", "en", "fr")

_STOPWORDS = {
    "fr": frozenset(
        "le la les des du une est et à pour que qui dans sur".split()
    ),
    "en": frozenset("the of and to in is was that for on with".split()),
}
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str:
    """Guess ``"fr"`` or ``"en"`` from the frequency of common function words.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        ``"fr"`` when French stopwords outnumber English ones, else ``"en"``
        (ties, including text with no stopwords at all, go to English).

    Examples
    --------
    >>> detect_language("La Corée du Nord confirme que ses troupes sont dans la région.")
    'fr'
    >>> detect_language("North Korea said that its troops were in the region.")
    'en'
    >>> detect_language("Koursk")
    'en'
    """
    counts = {"fr": 0, "en": 0}
    for word in _WORD.findall(text.lower()):
        for lang, words in _STOPWORDS.items():
            if word in words:
                counts[lang] += 1
    return "fr" if counts["fr"] > counts["en"] else "en"


def check_lang_option(lang: str | None) -> str | None:
    """The forced language of a ``lang`` option: ``None`` for ``None`` or ``"auto"``.

    Parameters
    ----------
    lang : str or None
        One of :data:`LANG_OPTIONS` (any case, surrounding blanks allowed), or None.

    Returns
    -------
    str or None
        ``"fr"``, ``"en"`` or None.

    Raises
    ------
    UnknownOption
        For any other value, listing the options.
    """
    if lang is None:
        return None
    value = lang.strip().lower() if isinstance(lang, str) else lang
    if value not in LANG_OPTIONS:
        raise UnknownOption(options_message("language", lang, LANG_OPTIONS))
    return None if value == "auto" else value


def normalise_doc_lang(value: object, where: str) -> str | None:
    """A document's own ``lang`` field: ``"FR"``, ``"fr-FR"`` → ``"fr"``; ``"auto"`` → None.

    Parameters
    ----------
    value : object
        The field's value, as the input gave it.
    where : str
        The input (and line) named in the error message.

    Returns
    -------
    str or None
        A code of :data:`SUPPORTED_LANGS`, or None when the document does not say.

    Raises
    ------
    UnknownOption
        For a value that is no string or no supported language.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise UnknownOption(f"{where}: language {value!r} must be a string; "
                            f"options are: {', '.join(LANG_OPTIONS)}")
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    if code in ("", "auto"):
        return None
    if code not in SUPPORTED_LANGS:
        raise UnknownOption(f"{where}: {options_message('language', value, LANG_OPTIONS)}")
    return code
