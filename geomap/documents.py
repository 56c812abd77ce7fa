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
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from .errors import (
    BinaryInput,
    EmptyInput,
    EncodingError,
    FeedError,
    GeomapError,
    InputError,
    InvalidDate,
    MalformedJSONLine,
    NotHTML,
    UnknownOption,
    options_message,
)
from .read.feeds import FEED_SUFFIXES, parse_feed
from .read.fetch import Fetcher, is_url, resource_kind
from .read.html import HTML_SUFFIXES, extract_page, looks_like_html
from .records import Document, PartialDate

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

#: Languages the pipeline has models and trigger lists for.
SUPPORTED_LANGS: tuple[str, ...] = ("fr", "en")
#: Values the ``lang`` argument (and the CLI's ``--lang``) accepts.
LANG_OPTIONS: tuple[str, ...] = ("auto", "en", "fr")
#: Error policies of :func:`read_documents`.
ON_ERROR_OPTIONS: tuple[str, ...] = ("raise", "skip")
#: Suffixes read as plain text when walking a directory.
TEXT_SUFFIXES: tuple[str, ...] = (".txt", ".md")
#: Suffixes read as JSON lines (one document per line).
JSONL_SUFFIXES: tuple[str, ...] = (".jsonl", ".jsonl.gz", ".ndjson")

_STOPWORDS = {
    "fr": frozenset(
        "le la les des du une est et à pour que qui dans sur".split()
    ),
    "en": frozenset("the of and to in is was that for on with".split()),
}
_WORD = re.compile(r"[^\W\d_]+")
_BOM = b"\xef\xbb\xbf"
# Bytes below 0x20 that ordinary text carries: tab, newline, form feed, carriage return.
_TEXT_CONTROLS = frozenset(b"\t\n\x0c\r")
_BINARY_SNIFF = 8192
_BINARY_RATIO = 0.10
# Bytes 0x80-0x9F that cp1252 leaves undefined.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_DATE_TOKEN = re.compile(r"^\d{4}(?:-\d{1,2}){0,2}(?:[T ][\d:.+\-Z]*)?$")
_HEADER = re.compile(r"^\s*(title|url|lang)\s*:\s*(.*?)\s*$", re.IGNORECASE)
_DATE_HEADER = re.compile(r"^\s*date\b\s*(:)?\s*(.*)$", re.IGNORECASE | re.DOTALL)
_MAX_PATH_LIKE = 4096
# Feeds found when walking a directory (a named .xml file is read as a feed too).
_WALKED_FEEDS = (".rss", ".atom")
_READ_SUFFIXES = JSONL_SUFFIXES + TEXT_SUFFIXES + HTML_SUFFIXES + FEED_SUFFIXES


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
    forced = _check_lang_option(lang)
    if on_error not in ON_ERROR_OPTIONS:
        raise UnknownOption(options_message("error policy", on_error, ON_ERROR_OPTIONS))
    return _Reader(forced, on_error, skipped, stdin, fetcher).run(inputs)


def _check_lang_option(lang: str | None) -> str | None:
    if lang is None:
        return None
    value = lang.strip().lower() if isinstance(lang, str) else lang
    if value not in LANG_OPTIONS:
        raise UnknownOption(options_message("language", lang, LANG_OPTIONS))
    return None if value == "auto" else value


def _normalise_doc_lang(value: object, where: str) -> str | None:
    """A document's own ``lang`` field: ``"FR"``, ``"fr-FR"`` → ``"fr"``; ``"auto"`` → None."""
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


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in _READ_SUFFIXES:
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def _stem(path: Path) -> str:
    suffix = _suffix(path)
    name = path.name
    stem = name[: len(name) - len(suffix)] if suffix and name.lower().endswith(suffix) else name
    return stem or name


def _looks_like_path(text: str) -> bool:
    """A file name, not a document: one word (or has a slash) ending in a suffix we read."""
    value = text.strip()
    if "\n" in value or len(value) > _MAX_PATH_LIKE:
        return False
    if " " in value and "/" not in value and os.sep not in value:
        return False
    return value.lower().endswith(_READ_SUFFIXES)


def _existing_path(text: str) -> Path | None:
    if "\n" in text or "\x00" in text or len(text) > _MAX_PATH_LIKE or not text.strip():
        return None
    try:
        path = Path(text)
        return path if path.exists() else None
    except (OSError, ValueError):
        return None


def _sniff_binary(name: str, data: bytes) -> None:
    head = data[:_BINARY_SNIFF]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise EncodingError(
            f"{name} is UTF-16, not UTF-8; convert it: iconv -f utf-16 -t utf-8 {name} > "
            f"{_utf8_name(name)}"
        )
    controls = sum(1 for b in head if (b < 0x20 and b not in _TEXT_CONTROLS) or b == 0x7F)
    if b"\x00" in head or (head and controls / len(head) > _BINARY_RATIO):
        raise BinaryInput(
            f"{name} looks binary, not text; give a UTF-8 .txt or .jsonl file"
        )


def _utf8_name(name: str) -> str:
    path = Path(name)
    return str(path.with_name(_stem(path) + ".utf8" + (_suffix(path) or ".txt")))


def _guess_encoding(data: bytes) -> str:
    """``cp1252`` when its 0x80-0x9F punctuation (’ “ ” – …) is present, else ``latin1``."""
    c1 = {b for b in data if 0x80 <= b <= 0x9F}
    if c1 and not (c1 & _CP1252_UNDEFINED):
        return "cp1252"
    return "latin1"


def _decode(name: str, data: bytes, *, line: int | None = None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        encoding = _guess_encoding(data)
        where = f"{name} line {line}" if line is not None else name
        raise EncodingError(
            f"{where} is not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}; "
            f"it looks like {encoding}); convert the file: iconv -f {encoding} -t utf-8 "
            f"{name} > {_utf8_name(name)}"
        ) from err


def _parse_date(value: object, where: str) -> PartialDate | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidDate(
            f"{where}: date {value!r} is not understood; use YYYY, YYYY-MM or YYYY-MM-DD"
        )
    try:
        return PartialDate.parse(str(value))
    except InvalidDate as err:
        raise InvalidDate(f"{where}: {err}") from err


def _split_headers(
    name: str, text: str
) -> tuple[str, PartialDate | None, str | None, str | None, str | None]:
    """Split leading header lines off a plain-text document.

    Returns the remaining text, then date, title, url and lang.
    """
    date: PartialDate | None = None
    title = url = lang = None
    lines = text.split("\n")
    first_text = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        header = _HEADER.match(line)
        if header:
            key, value = header.group(1).lower(), header.group(2) or None
            if key == "title":
                title = value
            elif key == "url":
                url = value
            else:
                lang = _normalise_doc_lang(value, f"{name} line {i + 1}")
            i += 1
            continue
        dated = _DATE_HEADER.match(line)
        if dated:
            colon, rest = dated.group(1), dated.group(2)
            token, after = (rest.split(maxsplit=1) + ["", ""])[:2]
            if colon and token and not _DATE_TOKEN.match(token):
                _parse_date(rest.strip(), f"{name} line {i + 1}")  # raises, naming the value
            if _DATE_TOKEN.match(token):
                date = _parse_date(token, f"{name} line {i + 1}")
                i += 1
                first_text = after.strip()
                if first_text:
                    break
                continue
        break
    body = "\n".join(lines[i:])
    if first_text:
        body = first_text + ("\n" + body if body else "")
    return body, date, title, url, lang


class _Reader:
    """One run of :func:`read_documents`: the policy, the ids seen so far."""

    def __init__(
        self,
        lang: str | None,
        on_error: str,
        skipped: list[tuple[str, str]] | None,
        stdin: TextIO | None,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.fetcher = fetcher
        self.own_fetcher: Fetcher | None = None
        self.lang = lang
        self.on_error = on_error
        self.skipped = skipped
        self.stdin = stdin
        self.seen: dict[str, str] = {}
        self.text_inputs = 0

    # -- policy -------------------------------------------------------------

    def _skip(self, name: str, err: GeomapError) -> None:
        if self.on_error == "raise":
            raise err
        if self.skipped is not None:
            reason = " ".join(str(err).split())
            self.skipped.append((name, reason))

    def _finish(self, doc: Document, where: str) -> Document:
        """Fill the language and make the id unique within the run."""
        doc_lang = _normalise_doc_lang(doc.lang, where)
        final_lang = doc_lang or self.lang or detect_language(doc.text)
        doc_id = doc.id
        if doc_id in self.seen:
            first = self.seen[doc_id]
            n = 2
            while f"{doc_id}~{n}" in self.seen:
                n += 1
            new_id = f"{doc_id}~{n}"
            message = (f"{where}: duplicate document id '{doc_id}' (first seen at {first}); "
                       f"give each document a unique id")
            if self.on_error == "raise":
                raise InputError(message)
            if self.skipped is not None:
                self.skipped.append((where, f"renamed to '{new_id}': {message}"))
            doc_id = new_id
        self.seen[doc_id] = where
        if doc_id != doc.id or final_lang != doc.lang:
            doc = dataclasses.replace(doc, id=doc_id, lang=final_lang)
        return doc

    def _unique_file_id(self, path: Path) -> str:
        """The file stem, or the path without suffix when another file took the stem."""
        stem = _stem(path)
        if stem not in self.seen:
            return stem
        longer = path.with_name(stem).as_posix()
        candidate, n = longer, 2
        while candidate in self.seen:
            candidate = f"{longer}~{n}"
            n += 1
        return candidate

    # -- inputs -------------------------------------------------------------

    def run(self, inputs: Iterable[str | os.PathLike[str] | Document]) -> Iterator[Document]:
        try:
            yield from self._run(inputs)
        finally:
            if self.own_fetcher is not None:
                self.own_fetcher.close()

    def _run(self, inputs: Iterable[str | os.PathLike[str] | Document]) -> Iterator[Document]:
        for item in inputs:
            if isinstance(item, Document):
                try:
                    yield self._finish(item, f"document '{item.id}'")
                except GeomapError as err:
                    self._skip(f"document '{item.id}'", err)
            elif isinstance(item, str) and item == "-":
                yield from self._guard("<stdin>", self._read_stdin())
            elif isinstance(item, str) and is_url(item):
                yield from self._guard(item.strip(), self._read_url(item.strip()))
            elif isinstance(item, str):
                path = _existing_path(item)
                if path is not None:
                    yield from self._read_path(path)
                else:
                    yield from self._guard(item[:60], self._read_string(item))
            elif isinstance(item, os.PathLike):
                yield from self._read_path(Path(item))
            else:
                self._skip(repr(item)[:60], InputError(
                    f"input {item!r} is neither a path, a string nor a Document; "
                    "give file paths or text"))

    def _guard(self, name: str, docs: Iterator[Document]) -> Iterator[Document]:
        """Run a per-input generator under the error policy."""
        try:
            yield from docs
        except GeomapError as err:
            self._skip(name, err)

    def _read_string(self, text: str) -> Iterator[Document]:
        self.text_inputs += 1
        where = f"text input {self.text_inputs}"
        if _looks_like_path(text):
            raise InputError(f"{text} does not exist; check the path (or pass a Path)")
        if not text.strip():
            raise EmptyInput(f"{where} is empty; give a document with text")
        yield self._finish(Document(f"text-{self.text_inputs}", text), where)

    def _read_path(self, path: Path) -> Iterator[Document]:
        name = str(path)
        if path.is_dir():
            try:
                files = sorted(
                    p for p in path.rglob("*")
                    if p.is_file()
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                    and _suffix(p) in TEXT_SUFFIXES + JSONL_SUFFIXES + HTML_SUFFIXES
                    + _WALKED_FEEDS
                )
            except OSError as err:
                self._skip(name, InputError(
                    f"{name} cannot be listed ({err.strerror or err}); check its permissions"))
                return
            for file in files:
                yield from self._guard(str(file), self._read_file(file))
        elif path.exists():
            yield from self._guard(name, self._read_file(path))
        else:
            self._skip(name, InputError(f"{name} does not exist; check the path"))

    def _read_file(self, path: Path) -> Iterator[Document]:
        if _suffix(path) in JSONL_SUFFIXES:
            yield from self._read_jsonl_file(path)
            return
        name = str(path)
        try:
            data = path.read_bytes()
        except OSError as err:
            raise InputError(
                f"{name} cannot be read ({err.strerror or err}); check the path and permissions"
            ) from err
        suffix = _suffix(path)
        if suffix in HTML_SUFFIXES:
            yield self._page_document(name, self._unique_file_id(path), data, name)
        elif suffix in FEED_SUFFIXES:
            yield from self._feed_documents(name, data, None)
        else:
            yield self._text_document(name, self._unique_file_id(path), data, name)

    # -- web pages, URLs and feeds -------------------------------------------

    def _page_document(self, name: str, doc_id: str, data: bytes, source: str, *,
                       url: str | None = None, date: PartialDate | None = None,
                       title: str | None = None, lang: str | None = None) -> Document:
        """A page's article; ``date``, ``title`` and ``lang`` fill what the page does not say."""
        if data.startswith(_BOM):
            data = data[len(_BOM):]
        if not data.strip():
            raise EmptyInput(f"{name} is empty; give a saved web page")
        if b"\x00" in data[:_BINARY_SNIFF] or not looks_like_html(data) and not _has_markup(data):
            _sniff_binary(name, data)
        page = extract_page(data, name=name, url=url)
        page_lang = page.lang if page.lang in SUPPORTED_LANGS else None
        feed_lang = lang if lang in SUPPORTED_LANGS else None
        doc = Document(doc_id, page.text, lang=page_lang or feed_lang, date=page.date or date,
                       title=page.title or title, url=page.url or url, source=source)
        return self._finish(doc, name)

    def _web(self) -> Fetcher:
        if self.fetcher is None:
            self.own_fetcher = self.fetcher = Fetcher()
        return self.fetcher

    def _read_url(self, url: str) -> Iterator[Document]:
        got = self._web().fetch(url)
        kind = resource_kind(got.content_type, got.body)
        if kind == "feed":
            yield from self._feed_documents(url, got.body, got.final_url)
        elif kind == "html":
            yield self._page_document(url, url, got.body, url, url=got.final_url)
        elif kind == "text":
            doc = self._text_document(url, url, got.body, url)
            yield doc if doc.url else dataclasses.replace(doc, url=got.final_url)
        else:
            media = got.content_type.split(";", 1)[0].strip() or "of an unknown type"
            raise NotHTML(f"{url} is {media}, not a web page, a feed or text; "
                          "save its text as a .txt file and give that")

    def _feed_documents(self, name: str, data: bytes, base_url: str | None) -> Iterator[Document]:
        feed = parse_feed(data, name=name, base_url=base_url)
        for where, reason in feed.problems:
            self._skip(where, FeedError(reason))
        stem = _stem(Path(name)) if not is_url(name) else name
        for item in feed.items:
            where = f"{name} item {item.index}"
            label = item.link or where
            try:
                if item.text is not None or item.link is None:
                    text = item.text or item.summary or ""
                    if not text.strip():
                        raise EmptyInput(f"{where} has no text; it is skipped")
                    doc = Document(item.link or f"{stem}#{item.index}", text,
                                   lang=feed.lang if feed.lang in SUPPORTED_LANGS else None,
                                   date=item.date, title=item.title, url=item.link,
                                   source=where)
                    yield self._finish(doc, where)
                    continue
                got = self._web().fetch(item.link)
                kind = resource_kind(got.content_type, got.body)
                if kind != "html":
                    media = got.content_type.split(";", 1)[0].strip() or "of an unknown type"
                    raise NotHTML(f"{item.link} (from {where}) is {media}, not a web page; "
                                  "it is skipped")
                yield self._page_document(item.link, item.link, got.body, where,
                                          url=got.final_url, date=item.date, title=item.title,
                                          lang=feed.lang)
            except GeomapError as err:
                self._skip(label, err)

    def _text_document(self, name: str, doc_id: str, data: bytes, source: str) -> Document:
        if data.startswith(_BOM):
            data = data[len(_BOM):]
        if not data.strip():
            raise EmptyInput(f"{name} is empty; give a file with text")
        _sniff_binary(name, data)
        text = _decode(name, data).replace("\r\n", "\n")
        return self._plain_document(name, doc_id, text, source)

    def _plain_document(self, name: str, doc_id: str, text: str, source: str) -> Document:
        if not text.strip():
            raise EmptyInput(f"{name} is empty; give a file with text")
        body, date, title, url, lang = _split_headers(name, text)
        if not body.strip():
            raise EmptyInput(f"{name} has header lines but no text; add the article's text")
        doc = Document(doc_id, body, lang=lang, date=date, title=title, url=url, source=source)
        return self._finish(doc, name)

    # -- JSON lines ----------------------------------------------------------

    def _read_jsonl_file(self, path: Path) -> Iterator[Document]:
        name = str(path)
        gz = path.name.lower().endswith(".gz")
        try:
            with gzip.open(path, "rb") if gz else path.open("rb") as handle:
                yield from self._jsonl_records(name, _stem(path), self._byte_lines(name, handle))
        except (OSError, EOFError, zlib.error) as err:
            if gz and not isinstance(err, (FileNotFoundError, PermissionError)):
                raise BinaryInput(
                    f"{name} is not a readable gzip file ({err}); give a .jsonl.gz made by gzip "
                    "or an uncompressed .jsonl"
                ) from err
            raise InputError(
                f"{name} cannot be read ({getattr(err, 'strerror', None) or err}); "
                "check the path and permissions"
            ) from err

    def _byte_lines(self, name: str, handle: Iterable[bytes]) -> Iterator[tuple[int, str]]:
        for number, raw in enumerate(handle, start=1):
            if number == 1:
                if raw.startswith(_BOM):
                    raw = raw[len(_BOM):]
                _sniff_binary(name, raw)
            elif b"\x00" in raw:
                raise BinaryInput(
                    f"{name} line {number} holds NUL bytes: the file looks binary, not text; "
                    "give a UTF-8 .jsonl file"
                )
            yield number, _decode(name, raw, line=number)

    def _jsonl_records(
        self, name: str, stem: str, lines: Iterator[tuple[int, str]]
    ) -> Iterator[Document]:
        any_content = False
        for number, line in lines:
            if not line.strip():
                continue
            any_content = True
            where = f"{name} line {number}"
            try:
                yield self._finish(self._json_document(where, stem, number, line, name), where)
            except GeomapError as err:
                self._skip(name, err)
        if not any_content:
            raise EmptyInput(f"{name} is empty; give a file with one JSON object per line")

    def _json_document(self, where: str, stem: str, number: int, line: str,
                       name: str) -> Document:
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise MalformedJSONLine(
                f"{where}: not valid JSON ({err.msg}); fix or remove the line"
            ) from err
        except RecursionError as err:
            raise MalformedJSONLine(
                f"{where}: not valid JSON (nested too deeply); fix or remove the line"
            ) from err
        if not isinstance(record, dict):
            raise MalformedJSONLine(
                f"{where}: expected a JSON object like {{\"id\": ..., \"text\": ...}}, "
                f"got {type(record).__name__}; fix or remove the line"
            )
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            raise MalformedJSONLine(
                f"{where}: no 'text' (a non-empty string is required); fix or remove the line"
            )
        if "\x00" in text:
            raise MalformedJSONLine(
                f"{where}: 'text' holds a NUL character (\\u0000); fix or remove the line"
            )
        fields: dict[str, str | None] = {}
        for key in ("id", "title", "url"):
            value = record.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and key == "id":
                value = str(value)
            if value is not None and not isinstance(value, str):
                raise MalformedJSONLine(
                    f"{where}: '{key}' must be a string, got {type(value).__name__}; "
                    "fix or remove the line"
                )
            fields[key] = value or None
        for key in ("id", "text", "title", "url"):
            value = text if key == "text" else fields[key]
            if value is not None and not _encodable(value):
                raise MalformedJSONLine(
                    f"{where}: '{key}' holds an unpaired surrogate escape (\\ud800-\\udfff); "
                    "fix or remove the line"
                )
        date = _parse_date(record.get("date"), where)
        lang = _normalise_doc_lang(record.get("lang"), where)
        return Document(
            fields["id"] or f"{stem}:{number}",
            text,
            lang=lang,
            date=date,
            title=fields["title"],
            url=fields["url"],
            source=f"{name}:{number}",
        )

    # -- stdin ---------------------------------------------------------------

    def _read_stdin(self) -> Iterator[Document]:
        stream: TextIO = self.stdin if self.stdin is not None else sys.stdin
        name = "<stdin>"
        lines = self._stdin_lines(name, stream)
        peeked: list[tuple[int, str]] = []
        for number, line in lines:
            if number == 1:
                line = line.lstrip("\ufeff")
            peeked.append((number, line))
            if line.strip():
                break
        if not peeked or not peeked[-1][1].strip():
            raise EmptyInput(f"{name} is empty; pipe some text or JSON lines, or give a file")

        def chained() -> Iterator[tuple[int, str]]:
            yield from peeked
            yield from lines

        if peeked[-1][1].lstrip().startswith("{"):
            yield from self._jsonl_records(name, "stdin", chained())
        else:
            text = "".join(line for _, line in chained())
            if "\x00" in text:
                raise BinaryInput(f"{name} looks binary, not text; pipe UTF-8 text")
            yield self._plain_document(name, "stdin", text.replace("\r\n", "\n"), name)

    @staticmethod
    def _stdin_lines(name: str, stream: TextIO) -> Iterator[tuple[int, str]]:
        number = 0
        try:
            for number, line in enumerate(stream, start=1):  # noqa: B007
                yield number, line
        except UnicodeDecodeError as err:
            raise EncodingError(
                f"{name} line {number + 1} is not valid UTF-8; convert it first: "
                "iconv -f cp1252 -t utf-8 FILE | geomap run -"
            ) from err


def _has_markup(data: bytes) -> bool:
    """A page fragment saved without ``<html>``: some tags in its first bytes."""
    return data[:_BINARY_SNIFF].count(b"<") >= 2 and b"\x00" not in data[:_BINARY_SNIFF]


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
