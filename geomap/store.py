"""The resumable result store of a corpus run: one SQLite file in the output directory.

Every processed document leaves one row, keyed by a hash of its content and
the pipeline's version (:func:`document_key`): its events (as GeoJSON
features, the same text ``events.geojson`` holds), its counts, or the reason it
failed. A rerun looks each document up before sending it to a worker, so what
is done is not done again; a run killed at any moment loses at most the batches
in flight, never half a batch (each batch is one transaction) and never writes
a row twice (the key is the primary key).

Only the process that drives a run writes here (workers send their results
back to it), so the file lives beside the outputs on the driver's machine even
when the work runs on a cluster.

The store also remembers the documents of the current run in input order, so
the final outputs are written from it in that order, whatever order workers
finished in.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from .errors import GeomapError
from .records import Document

__all__ = ["CACHE_KIB", "STORE_NAME", "Outcome", "Store", "StoreError", "UrlCache", "code_digest",
           "document_key", "open_store_db", "package_digest"]

#: File name of the store inside the output directory.
STORE_NAME = "geomap-store.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    lang TEXT,
    status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
    reason TEXT,
    mentions INTEGER NOT NULL DEFAULT 0,
    places INTEGER NOT NULL DEFAULT 0,
    events INTEGER NOT NULL DEFAULT 0,
    features TEXT NOT NULL DEFAULT '[]',
    version TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS run_docs (
    seq INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    doc_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS run_skipped (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
""" + """
CREATE TABLE IF NOT EXISTS url_cache (
    url TEXT PRIMARY KEY,
    final_url TEXT NOT NULL,
    content_type TEXT NOT NULL,
    body BLOB NOT NULL,
    fetched_at TEXT NOT NULL
);
"""


_RESULT_COLUMNS = {"key", "doc_id", "lang", "status", "reason", "mentions", "places", "events",
                   "features", "version"}


#: What a package folder holds that is not code or data: bytecode caches, editor and OS litter.
_NOT_CONTENT_DIRS = frozenset({"__pycache__"})
_NOT_CONTENT_SUFFIXES = (".pyc", ".pyo", "~")


def package_digest(root: Traversable | Path) -> str:
    """SHA-256 of every code and data file under a package folder, by relative path.

    Every file counts (``*.py``, JSON, CSV, the map's static files...), so adding,
    removing, renaming or editing any of them changes the digest; bytecode caches
    and hidden files do not.

    Parameters
    ----------
    root : Traversable or Path
        A package folder, e.g. ``importlib.resources.files("geomap")``.

    Returns
    -------
    str
        64 hex digits.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.py").write_text("x = 1")
    >>> before = package_digest(d)
    >>> _ = (d / "b.json").write_text("{}")
    >>> package_digest(d) != before
    True
    """
    digest = hashlib.sha256()
    stack: list[tuple[str, Traversable | Path]] = [("", root)]
    files: list[tuple[str, Traversable | Path]] = []
    while stack:
        prefix, folder = stack.pop()
        for item in folder.iterdir():
            if item.name.startswith("."):
                continue
            rel = prefix + item.name
            if item.is_dir():
                if item.name not in _NOT_CONTENT_DIRS:
                    stack.append((rel + "/", item))
            elif item.is_file() and not item.name.endswith(_NOT_CONTENT_SUFFIXES):
                files.append((rel, item))
    for rel, item in sorted(files, key=lambda f: f[0]):
        data = item.read_bytes()
        digest.update(f"{rel}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The digest of the code and data of both packages, geomap and gazetteer, once per process.

    Part of the pipeline version (:func:`geomap.engine.pipeline_version`): a
    change to any file of either package makes stored results stale.

    Returns
    -------
    str
        16 hex digits.
    """
    digest = hashlib.sha256()
    for package in ("geomap", "gazetteer"):
        digest.update(f"{package} {package_digest(resources.files(package))}\n".encode())
    return digest.hexdigest()[:16]


class StoreError(GeomapError, OSError):
    """A result store that cannot be opened or written."""


def document_key(document: Document, version: str) -> str:
    """The store key of a document: SHA-256 of its content, metadata and the pipeline version.

    The id, title and URL are part of it because the events carry them; the
    file a document came from is not (moving a corpus does not redo it).

    >>> from geomap.records import Document
    >>> a = document_key(Document("a1", "Kyiv was shelled.", lang="en"), "v1")
    >>> a == document_key(Document("a1", "Kyiv was shelled.", lang="en", source="x.txt"), "v1")
    True
    >>> a == document_key(Document("a1", "Kyiv was shelled.", lang="en"), "v2")
    False
    """
    fields = [version, document.id, document.lang, str(document.date) if document.date else None,
              document.title, document.url]
    digest = hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode("utf-8"))
    digest.update(b"\x00")
    digest.update(document.text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What processing one document gave: counts and GeoJSON features, or a failure reason."""

    key: str
    doc_id: str
    lang: str | None
    status: str
    reason: str | None = None
    mentions: int = 0
    places: int = 0
    events: int = 0
    features: str = "[]"  # a JSON array of GeoJSON Feature objects
    #: A failure that says nothing about the document (a bug, memory): not stored, retried.
    transient: bool = False


#: The page cache of a store connection, in KiB.
CACHE_KIB = 512

def open_store_db(path: Path, schema: str) -> sqlite3.Connection:
    """Open (or create) a store database in WAL mode with its tables, or fail in one line.

    Parameters
    ----------
    path : Path
        The database file; its directory is created when missing.
    schema : str
        The ``CREATE TABLE IF NOT EXISTS`` statements of its tables.

    Returns
    -------
    sqlite3.Connection
        In autocommit mode, waiting up to a minute for a lock.

    Raises
    ------
    StoreError
        When the file is no database (or cannot be written): delete it, or rerun
        with ``--force``.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=60, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        # A page cache of its own per connection, bounded (SQLite's default is 2 MiB):
        # the client's memory stays flat however large the store grows.
        conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        conn.executescript(schema)
    except (sqlite3.DatabaseError, OSError) as err:
        raise StoreError(f"cannot open the result store {path}: {err}; "
                         "delete it to start over (or run with --force)") from err
    return conn


class Store:
    """The SQLite result store of one output directory.

    Parameters
    ----------
    path : path
        The database file (created with its directory when missing).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.version = ""
        self._conn = open_store_db(self.path, _SCHEMA)
        try:
            self._conn.execute("PRAGMA synchronous=NORMAL")
            columns = {row[1] for row in self._conn.execute("PRAGMA table_info(results)")}
            if columns != _RESULT_COLUMNS:  # a store from another geomap: a cache, rebuilt
                self._conn.execute("DROP TABLE results")
                self._conn.executescript(_SCHEMA)
        except sqlite3.DatabaseError as err:
            raise StoreError(f"cannot open the result store {self.path}: {err}; "
                             "delete it to start over (or run with --force)") from err

    # -- lifecycle ------------------------------------------------------------

    def close(self) -> None:
        """Close the store's database."""
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def begin_run(self, version: str) -> int:
        """Start a run of pipeline ``version``; return how many stale results went.

        The previous run's document list and the results of other versions go
        (they can never be reused).
        """
        with self._transaction():
            self._conn.execute("DELETE FROM run_docs")
            self._conn.execute("DELETE FROM run_skipped")
            gone = self._conn.execute("DELETE FROM results WHERE version != ?", (version,))
            self._conn.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (version,))
        self.version = version
        return int(gone.rowcount or 0)

    def _transaction(self) -> _Tx:
        return _Tx(self._conn)

    # -- writing --------------------------------------------------------------

    def add_run_docs(self, rows: Sequence[tuple[int, str, str]]) -> None:
        """Record ``(seq, key, doc_id)`` of documents read in this run."""
        with self._transaction():
            self._conn.executemany("INSERT OR REPLACE INTO run_docs VALUES (?, ?, ?)", rows)

    def add_skipped(self, rows: Sequence[tuple[str, str]]) -> None:
        """Record inputs the reader skipped in this run, with the reason."""
        if rows:
            with self._transaction():
                self._conn.executemany(
                    "INSERT INTO run_skipped (name, reason) VALUES (?, ?)", rows)

    def put(self, outcomes: Iterable[Outcome]) -> None:
        """Save results, all or none (one transaction)."""
        with self._transaction():
            self._conn.executemany(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(o.key, o.doc_id, o.lang, o.status, o.reason, o.mentions, o.places, o.events,
                  o.features, self.version) for o in outcomes])

    def forget(self, keys: Sequence[str]) -> None:
        """Drop stored results (``--force``)."""
        with self._transaction():
            self._conn.executemany("DELETE FROM results WHERE key = ?", [(k,) for k in keys])

    # -- reading --------------------------------------------------------------

    def done(self, keys: Sequence[str]) -> dict[str, Outcome]:
        """The stored outcomes (without features) of those ``keys`` that are done."""
        out: dict[str, Outcome] = {}
        for start in range(0, len(keys), 500):
            chunk = list(keys[start:start + 500])
            marks = ",".join("?" * len(chunk))
            for row in self._conn.execute(
                    "SELECT key, doc_id, lang, status, reason, mentions, places, events "
                    f"FROM results WHERE key IN ({marks})", chunk):
                out[row[0]] = Outcome(*row)
        return out

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM results").fetchone()[0])

    def run_features(self) -> Iterator[str]:
        """The JSON feature arrays of this run's documents, in input order, each document once."""
        cur = self._conn.execute(
            "SELECT r.features FROM (SELECT key, min(seq) AS seq FROM run_docs GROUP BY key) d "
            "JOIN results r ON r.key = d.key WHERE r.status = 'ok' ORDER BY d.seq")
        for (features,) in cur:
            yield features

    def run_failures(self) -> list[tuple[str, str]]:
        """``(name, reason)`` for this run: inputs the reader skipped, then failed documents."""
        rows = [(n, r) for n, r in self._conn.execute(
            "SELECT name, reason FROM run_skipped ORDER BY seq")]
        rows += [(d, r or "") for d, r in self._conn.execute(
            "SELECT d.doc_id, r.reason FROM run_docs d JOIN results r ON r.key = d.key "
            "WHERE r.status = 'error' ORDER BY d.seq")]
        return rows

    def run_counts(self) -> dict[str, int]:
        """Documents, mentions, places and events of this run's stored results."""
        row = self._conn.execute(
            "SELECT count(*), coalesce(sum(r.mentions), 0), coalesce(sum(r.places), 0), "
            "coalesce(sum(r.events), 0) FROM (SELECT DISTINCT key FROM run_docs) d "
            "JOIN results r ON r.key = d.key WHERE r.status = 'ok'").fetchone()
        return {"documents": row[0], "mentions": row[1], "places": row[2], "events": row[3]}


class UrlCache:
    """Fetched pages and feeds kept by URL in the store, so a rerun does not fetch them again.

    Pages do not depend on the pipeline version, so a new version keeps them;
    :meth:`clear` forgets them (``geomap run --refetch``).

    Parameters
    ----------
    path : path
        The store's database file (``geomap-store.sqlite`` of the output directory).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with UrlCache(pathlib.Path(tempfile.mkdtemp()) / STORE_NAME) as cache:
    ...     cache.put("https://example.org/a", "https://example.org/a", "text/html", b"<p>x</p>")
    ...     cache.get("https://example.org/a")[1:]
    ('text/html', b'<p>x</p>')
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._conn = open_store_db(self.path, _SCHEMA)

    def get(self, url: str) -> tuple[str, str, bytes] | None:
        """``(final_url, content_type, body)`` of ``url`` when it was fetched before."""
        row = self._conn.execute(
            "SELECT final_url, content_type, body FROM url_cache WHERE url = ?", (url,)
        ).fetchone()
        return (row[0], row[1], bytes(row[2])) if row else None

    def put(self, url: str, final_url: str, content_type: str, body: bytes) -> None:
        """Keep what ``url`` gave (one row, written whole)."""
        try:
            self._conn.execute(
                "INSERT OR REPLACE INTO url_cache VALUES (?, ?, ?, ?, "
                "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))", (url, final_url, content_type, body))
        except sqlite3.DatabaseError as err:
            raise StoreError(f"cannot write the result store {self.path}: {err}") from err

    def clear(self) -> int:
        """Forget every cached URL; return how many."""
        return int(self._conn.execute("DELETE FROM url_cache").rowcount or 0)

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM url_cache").fetchone()[0])

    def close(self) -> None:
        """Close the cache's database."""
        self._conn.close()

    def __enter__(self) -> UrlCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Tx:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (rolled back on error), re-raised as StoreError."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        if exc is None:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.DatabaseError as err:
                raise StoreError(f"cannot write the result store: {err}") from err
        else:
            self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.DatabaseError):
                raise StoreError(f"cannot write the result store: {exc}") from exc
