"""The reader of one run: each input to the reader of its kind, under one error policy."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from ..errors import BinaryInput, EmptyInput, EncodingError, GeomapError, InputError
from ..records import Document
from .feeds import FEED_SUFFIXES
from .fetch import Fetcher, is_url
from .html import HTML_SUFFIXES
from .jsonl import jsonl_records, read_jsonl_file
from .paths import JSONL_SUFFIXES, existing_path, looks_like_path, suffix, walk
from .policy import ReadPolicy
from .text import plain_document, text_document
from .web import WebReader

__all__ = ["Reader"]


class Reader:
    """One run of :func:`geomap.documents.read_documents`: the policy, the ids seen so far.

    Parameters
    ----------
    lang : str or None
        The language of documents that do not carry one (None: detect it).
    on_error : {"raise", "skip"}
        As in :func:`~geomap.documents.read_documents`.
    skipped : list, optional
        Receives ``(input name, one-line reason)`` pairs.
    stdin : text stream, optional
        Read for ``"-"`` instead of :data:`sys.stdin`.
    fetcher : Fetcher, optional
        Fetches URLs (default: one made when needed, closed at the end).
    """

    def __init__(
        self,
        lang: str | None,
        on_error: str,
        skipped: list[tuple[str, str]] | None,
        stdin: TextIO | None,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.policy = ReadPolicy(lang, on_error, skipped)
        self.web = WebReader(self.policy, fetcher)
        self.stdin = stdin
        self.text_inputs = 0

    def run(self, inputs: Iterable[str | os.PathLike[str] | Document]) -> Iterator[Document]:
        """The documents of ``inputs``, lazily, in order."""
        try:
            yield from self._run(inputs)
        finally:
            self.web.close()

    def _run(self, inputs: Iterable[str | os.PathLike[str] | Document]) -> Iterator[Document]:
        policy = self.policy
        for item in inputs:
            if isinstance(item, Document):
                try:
                    yield policy.finish(item, f"document '{item.id}'")
                except GeomapError as err:
                    policy.skip(f"document '{item.id}'", err)
            elif isinstance(item, str) and item == "-":
                yield from policy.guard("<stdin>", self._read_stdin())
            elif isinstance(item, str) and is_url(item):
                yield from policy.guard(item.strip(), self.web.read_url(item.strip()))
            elif isinstance(item, str):
                path = existing_path(item)
                if path is not None:
                    yield from self._read_path(path)
                else:
                    yield from policy.guard(item[:60], self._read_string(item))
            elif isinstance(item, os.PathLike):
                yield from self._read_path(Path(item))
            else:
                policy.skip(repr(item)[:60], InputError(
                    f"input {item!r} is neither a path, a string nor a Document; "
                    "give file paths or text"))

    def _read_string(self, text: str) -> Iterator[Document]:
        self.text_inputs += 1
        where = f"text input {self.text_inputs}"
        if looks_like_path(text):
            raise InputError(f"{text} does not exist; check the path (or pass a Path)")
        if not text.strip():
            raise EmptyInput(f"{where} is empty; give a document with text")
        yield self.policy.finish(Document(f"text-{self.text_inputs}", text), where)

    def _read_path(self, path: Path) -> Iterator[Document]:
        name = str(path)
        if path.is_dir():
            try:
                files = walk(path)
            except OSError as err:
                self.policy.skip(name, InputError(
                    f"{name} cannot be listed ({err.strerror or err}); check its permissions"))
                return
            for file in files:
                yield from self.policy.guard(str(file), self._read_file(file))
        elif path.exists():
            yield from self.policy.guard(name, self._read_file(path))
        else:
            self.policy.skip(name, InputError(f"{name} does not exist; check the path"))

    def _read_file(self, path: Path) -> Iterator[Document]:
        if suffix(path) in JSONL_SUFFIXES:
            yield from read_jsonl_file(self.policy, path)
            return
        name = str(path)
        try:
            data = path.read_bytes()
        except OSError as err:
            raise InputError(
                f"{name} cannot be read ({err.strerror or err}); check the path and permissions"
            ) from err
        kind = suffix(path)
        if kind in HTML_SUFFIXES:
            yield self.web.page_document(name, self.policy.unique_file_id(path), data, name)
        elif kind in FEED_SUFFIXES:
            yield from self.web.feed_documents(name, data, None)
        else:
            doc = text_document(name, self.policy.unique_file_id(path), data, name)
            yield self.policy.finish(doc, name)

    def _read_stdin(self) -> Iterator[Document]:
        stream: TextIO = self.stdin if self.stdin is not None else sys.stdin
        name = "<stdin>"
        lines = _stdin_lines(name, stream)
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
            yield from jsonl_records(self.policy, name, "stdin", chained())
        else:
            text = "".join(line for _, line in chained())
            if "\x00" in text:
                raise BinaryInput(f"{name} looks binary, not text; pipe UTF-8 text")
            doc = plain_document(name, "stdin", text.replace("\r\n", "\n"), name)
            yield self.policy.finish(doc, name)


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
