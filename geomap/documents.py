"""Read documents from files, directories, JSON lines, stdin, web pages, feeds, URLs or strings.

The reading stage of the pipeline: every input becomes a :class:`~geomap.records.Document`
with an id, its text, a language (``fr`` or ``en``) and, when the input says so, a
(possibly partial) date, a title and a URL. Everything streams: directories are
walked lazily and JSON lines are read one line at a time.

Plain text files may start with header lines::

    date 2025-04
    title: Koursk
    url: https://example.org/a
    lang: fr

The date header may carry text after the date on the same line
(``date 2025-04 «Some caption» Photo: X``): the date is metadata and the rest of
the line starts the document.

Saved web pages (``.html``, ``.htm``) and fetched pages go through trafilatura
(:mod:`geomap.read.html`): the article's text, title, publication date,
canonical URL and language. ``http://`` and ``https://`` inputs are fetched
(:mod:`geomap.read.fetch`); RSS and Atom feeds (``.rss``, ``.atom``, ``.xml``
files or URLs) give one document per item (:mod:`geomap.read.feeds`).

This module is the stage's entry point; the reading of each kind of input is in
:mod:`geomap.read`: plain text and its encodings (:mod:`~geomap.read.text`), JSON
lines (:mod:`~geomap.read.jsonl`), pages, URLs and feeds (:mod:`~geomap.read.web`),
dispatched by :class:`~geomap.read.reader.Reader` under one error policy
(:mod:`~geomap.read.policy`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TextIO

from .errors import UnknownOption, options_message
from .read.feeds import FEED_SUFFIXES
from .read.fetch import Fetcher
from .read.html import HTML_SUFFIXES
from .read.language import LANG_OPTIONS, SUPPORTED_LANGS, check_lang_option, detect_language
from .read.paths import JSONL_SUFFIXES, TEXT_SUFFIXES
from .read.policy import ON_ERROR_OPTIONS
from .read.reader import Reader
from .records import Document

__all__ = [
    "SUPPORTED_LANGS",
    "LANG_OPTIONS",
    "ON_ERROR_OPTIONS",
    "TEXT_SUFFIXES",
    "JSONL_SUFFIXES",
    "HTML_SUFFIXES",
    "FEED_SUFFIXES",
    "read_documents",
    "detect_language",
]


def read_documents(
    inputs: Iterable[str | os.PathLike[str] | Document],
    *,
    lang: str | None = None,
    on_error: str = "raise",
    skipped: list[tuple[str, str]] | None = None,
    stdin: TextIO | None = None,
    fetcher: Fetcher | None = None,
) -> Iterator[Document]:
    r"""Turn files, directories, JSON lines, stdin, pages, feeds, URLs and strings into documents.

    Parameters
    ----------
    inputs : iterable of str, path or Document
        A :class:`~geomap.records.Document` is passed through (its language
        filled in when missing). A path names a file or a directory
        (walked recursively in sorted order, keeping ``.txt``, ``.md``,
        ``.jsonl``, ``.jsonl.gz``, ``.ndjson``, ``.html``, ``.htm``, ``.rss``
        and ``.atom`` files and skipping hidden ones). A saved web page gives
        its article (title, publication date, canonical URL and language from
        the page); a feed (``.rss``, ``.atom``, ``.xml``) one document per
        item. A string starting ``http://`` or ``https://`` is fetched with
        ``fetcher``: a page, a feed or plain text. ``"-"`` reads stdin: JSON
        lines when its first non-blank character is ``{``, else one
        plain-text document. Any other string names a file if one exists
        there, else it is the text of a document.
    lang : {None, "auto", "fr", "en"}
        ``"fr"`` or ``"en"`` sets the language of documents that do not carry
        one; ``None`` or ``"auto"`` uses the document's own ``lang`` field,
        else :func:`detect_language`.
    on_error : {"raise", "skip"}
        ``"raise"`` raises the first error. ``"skip"`` records
        ``(input name, one-line reason)`` in ``skipped`` and goes on; a
        duplicate document id is then renamed (``a1~2``) and reported there
        too, with a reason starting ``renamed``.
    skipped : list, optional
        Receives the ``(name, reason)`` pairs under ``on_error="skip"``.
    stdin : text stream, optional
        Read for ``"-"`` instead of :data:`sys.stdin`.
    fetcher : geomap.read.fetch.Fetcher, optional
        Fetches URLs (its options: politeness, robots.txt, cache); default: one
        with :class:`~geomap.read.fetch.FetchOptions` defaults and no cache,
        closed when the iterator ends.

    Returns
    -------
    iterator of Document
        Lazily: files are opened only as the iterator reaches them.

    Raises
    ------
    UnknownOption
        For a ``lang`` or ``on_error`` outside the options (raised at once).
    EmptyInput, BinaryInput, EncodingError, MalformedJSONLine, InvalidDate, InputError
        Under ``on_error="raise"``, for the first input that cannot be read;
        each message names the file (and line) and says what to do.
    FetchError, NotHTML, NoArticleText, FeedError
        Likewise for a URL that cannot be fetched (404, timeout, robots.txt),
        a resource that is not a page (an image, a PDF), a page without article
        text, a feed or feed item that cannot be read.

    Examples
    --------
    >>> docs = list(read_documents(["Les troupes sont entrées dans Koursk.", "Kyiv was shelled."]))
    >>> [(d.id, d.lang) for d in docs]
    [('text-1', 'fr'), ('text-2', 'en')]
    >>> import io
    >>> stream = io.StringIO('{"id": "a1", "text": "Kyiv was shelled.", "date": "2025-04"}\n')
    >>> doc = next(read_documents(["-"], stdin=stream))
    >>> doc.id, str(doc.date), doc.lang
    ('a1', '2025-04', 'en')
    >>> read_documents(["x"], lang="de")
    Traceback (most recent call last):
    ...
    geomap.errors.UnknownOption: unknown language 'de'; options are: auto, en, fr
    """
    if isinstance(inputs, (str, os.PathLike, Document)):
        inputs = [inputs]  # one input, not an iterable of characters
    forced = check_lang_option(lang)
    if on_error not in ON_ERROR_OPTIONS:
        raise UnknownOption(options_message("error policy", on_error, ON_ERROR_OPTIONS))
    return Reader(forced, on_error, skipped, stdin, fetcher).run(inputs)
