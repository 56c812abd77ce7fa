"""One run of the reader: its error policy, its language, the document ids seen so far."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from ..errors import GeomapError, InputError
from ..records import Document
from .language import detect_language, normalise_doc_lang
from .paths import stem

__all__ = ["ON_ERROR_OPTIONS", "ReadPolicy", "SeenIds"]

#: Error policies of :func:`geomap.documents.read_documents`.
ON_ERROR_OPTIONS: tuple[str, ...] = ("raise", "skip")


class SeenIds:
    """The document ids a run has seen, and where each was first: flat in memory.

    The first ``keep`` ids stay in a dict; past that they go to a private
    temporary SQLite database on disk (deleted when the run ends), so that a
    run of a million documents holds no million ids in memory.

    Parameters
    ----------
    keep : int
        How many ids to hold in memory before moving them to disk.

    Examples
    --------
    >>> seen = SeenIds(keep=2)
    >>> for n in range(5):
    ...     seen.add(f"d{n}", f"line {n + 1}")
    >>> "d4" in seen, seen.get("d0"), seen.get("x") is None
    (True, 'line 1', True)
    """

    def __init__(self, keep: int = 10_000) -> None:
        self.keep = keep
        self._mem: dict[str, str] = {}
        self._db: sqlite3.Connection | None = None

    def get(self, doc_id: str) -> str | None:
        """Where ``doc_id`` was first seen, or ``None``."""
        if doc_id in self._mem:
            return self._mem[doc_id]
        if self._db is None:
            return None
        row = self._db.execute("SELECT at FROM seen WHERE id = ?", (doc_id,)).fetchone()
        return None if row is None else str(row[0])

    def __contains__(self, doc_id: object) -> bool:
        """Whether ``doc_id`` was seen."""
        return isinstance(doc_id, str) and self.get(doc_id) is not None

    def add(self, doc_id: str, where: str) -> None:
        """Record ``doc_id``, first seen at ``where``."""
        self._mem[doc_id] = where
        if len(self._mem) < self.keep:
            return
        if self._db is None:
            # "": SQLite's private temporary database on disk, gone with the connection.
            self._db = sqlite3.connect("", check_same_thread=False)
            self._db.execute("PRAGMA journal_mode = OFF")
            self._db.execute("PRAGMA synchronous = OFF")
            self._db.execute("CREATE TABLE seen (id TEXT PRIMARY KEY, at TEXT) WITHOUT ROWID")
        self._db.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?)", self._mem.items())
        self._mem.clear()


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
        self.seen = SeenIds()

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
        first = self.seen.get(doc_id)
        if first is not None:
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
        self.seen.add(doc_id, where)
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
