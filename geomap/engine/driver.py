"""The client side of a corpus run: read, look up in the store, submit, save, report.

:class:`Driver` is what :func:`geomap.engine.run_corpus` runs: it reads the
documents a chunk at a time, records them in the store, sends those the store
does not hold to an executor (:mod:`geomap.engine.executors`) in batches, with a
bounded number in flight, and saves each finished batch in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..records import Document
from ..store import Store, document_key
from .executors import DaskExecutor, Executor, InlineExecutor, PoolExecutor
from .progress import Reporter, RunSummary
from .worker import BatchResult

if TYPE_CHECKING:
    from ..resolve.protocol import GazetteerLike

__all__ = ["Driver", "RunSettings"]

_LOOKAHEAD = 256  # documents read and looked up in the store at a time


@dataclass
class RunSettings:
    """The options of a run that decide its executor and batches."""

    engine: str
    workers: int
    batch_size: int
    on_error: str
    force: bool
    scheduler: str | None
    client: Any
    security: Any
    gaz_path: str | None
    lang: str | None
    include_uncertain: bool
    gazetteer: GazetteerLike | None


@dataclass
class Driver:
    """The client side of a run: reads, looks up, submits, saves, reports."""

    store: Store
    summary: RunSummary
    reporter: Reporter
    settings: RunSettings
    version: str
    on_batch: Callable[[BatchResult], Any] | None
    executor: Executor | None = None
    pending: set[Any] = field(default_factory=set)
    seq: int = 0

    def handle(self, done: set[Any]) -> None:
        """Save finished batches and count them."""
        for fut in done:
            res: BatchResult = fut.result()
            # A document's own fault is stored (a rerun reports it without trying again);
            # anything else is reported for this run only, and tried again next time.
            self.store.put(o for o in res.outcomes if not o.transient)
            self.store.add_skipped([(o.doc_id, o.reason or "") for o in res.outcomes
                                    if o.transient])
            for o in res.outcomes:
                self.summary.count(o)
            prev = self.summary.worker_peak_rss_mb.get(res.pid, 0.0)
            self.summary.worker_peak_rss_mb[res.pid] = max(prev, res.peak_rss_mb)
            if self.on_batch is not None:
                self.on_batch(res)
        self.reporter.update(self.summary)

    def new_documents(self, chunk: list[Document]) -> list[tuple[str, Document]]:
        """Record a chunk of the run's documents; return those the store does not hold."""
        keyed = [(document_key(d, self.version), d) for d in chunk]
        self.store.add_run_docs([(self.seq + i, k, d.id) for i, (k, d) in enumerate(keyed)])
        self.seq += len(keyed)
        self.summary.read += len(keyed)
        known = {} if self.settings.force else self.store.done([k for k, _ in keyed])
        new = []
        for k, d in keyed:
            o = known.get(k)
            if o is None:
                new.append((k, d))
            else:
                self.summary.count(o, stored=True)
        return new

    def start_executor(self, new: int, exhausted: bool) -> Executor:
        """The executor for this run: a small corpus runs here."""
        s = self.settings
        if self.executor is not None:
            return self.executor
        small = exhausted and new <= 2 * s.workers * s.batch_size
        executor: Executor
        if s.engine == "dask":
            executor = DaskExecutor(s.workers, s.scheduler, s.client, s.gaz_path, s.lang,
                                    s.include_uncertain, security=s.security)
            self.summary.workers = executor.workers
        elif s.workers == 1 or small:
            executor = InlineExecutor(s.gaz_path, s.lang, s.include_uncertain, s.gazetteer)
            self.summary.workers = 1
        else:
            executor = PoolExecutor(s.workers, s.gaz_path, s.lang, s.include_uncertain)
        self.executor = executor
        return executor

    def submit(self, new: list[tuple[str, Document]], exhausted: bool) -> None:
        """Send new documents in batches, keeping a bounded number in flight."""
        if not new:
            return
        executor = self.start_executor(len(new), exhausted)
        limit = 2 * executor.workers + 1
        size = self.settings.batch_size
        for start in range(0, len(new), size):
            while len(self.pending) >= limit:
                done, self.pending = executor.wait(self.pending)
                self.handle(done)
            self.pending.add(executor.submit(new[start:start + size], self.settings.on_error))
        if self.pending and isinstance(executor, InlineExecutor):
            self.handle(self.pending)
            self.pending = set()

    def drain(self) -> None:
        """Wait for every batch in flight."""
        while self.pending and self.executor is not None:
            done, self.pending = self.executor.wait(self.pending)
            self.handle(done)

    def feed(self, docs: Iterable[Document], skipped: list[tuple[str, str]]) -> None:
        """Read the documents a chunk at a time, and process the new ones."""
        stream = iter(docs)
        while True:
            chunk: list[Document] = []
            for doc in stream:
                chunk.append(doc)
                if len(chunk) >= _LOOKAHEAD:
                    break
            exhausted = len(chunk) < _LOOKAHEAD
            self.store.add_skipped(skipped)
            self.summary.skipped.extend(skipped)
            skipped.clear()
            if not chunk:
                break
            self.submit(self.new_documents(chunk), exhausted)
            self.reporter.update(self.summary)
            if exhausted:
                break
        self.drain()
        self.reporter.update(self.summary, force=True)
