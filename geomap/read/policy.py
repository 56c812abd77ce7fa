"""One run of the reader: its error policy, its language, the document ids seen so far."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

from ..errors import GeomapError, InputError
from ..records import Document
from .language import detect_language, normalise_doc_lang
from .paths import stem

__all__ = ["ON_ERROR_OPTIONS", "ReadPolicy"]

#: Error policies of :func:`geomap.documents.read_documents`.
ON_ERROR_OPTIONS: tuple[str, ...] = ("raise", "skip")


class ReadPolicy:
    """What a run does with errors and ids, shared by the readers of each kind of input.

    Parameters
    ----------
    lang : str or None
        The language of documents that do not carry one (None: detect it).
    on_error : {"raise", "skip"}
        Raise the first error, or record it in ``skipped`` and go on.
    skipped : list, optional
        Receives ``(input name, one-line reason)`` pairs.
    """

    def __init__(self, lang: str | None, on_error: str,
                 skipped: list[tuple[str, str]] | None) -> None:
        self.lang = lang
        self.on_error = on_error
        self.skipped = skipped
        self.seen: dict[str, str] = {}

    def skip(self, name: str, err: GeomapError) -> None:
        """Raise ``err`` (policy ``raise``) or record it against ``name`` (policy ``skip``)."""
        if self.on_error == "raise":
            raise err
        if self.skipped is not None:
            reason = " ".join(str(err).split())
            self.skipped.append((name, reason))

    def guard(self, name: str, docs: Iterator[Document]) -> Iterator[Document]:
        """Run a per-input generator under the error policy."""
        try:
            yield from docs
        except GeomapError as err:
            self.skip(name, err)

    def finish(self, doc: Document, where: str) -> Document:
        """Fill the language and make the id unique within the run."""
        doc_lang = normalise_doc_lang(doc.lang, where)
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

    def unique_file_id(self, path: Path) -> str:
        """The file stem, or the path without suffix when another file took the stem."""
        short = stem(path)
        if short not in self.seen:
            return short
        longer = path.with_name(short).as_posix()
        candidate, n = longer, 2
        while candidate in self.seen:
            candidate = f"{longer}~{n}"
            n += 1
        return candidate
