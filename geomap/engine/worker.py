"""The worker side of a corpus run: one batch of documents in, stored outcomes out.

A worker (a local process, a Dask worker, or the calling process for a small
corpus) is configured once: it opens the gazetteer and loads the spaCy models
(:func:`configure`, :func:`init_local_worker`, :class:`GeomapWorkerPlugin`),
then runs :func:`process_batch` on each batch it is given.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import GeomapError
from ..pipeline import Pipeline
from ..records import Document
from ..store import Outcome

if TYPE_CHECKING:
    from ..resolve.protocol import GazetteerLike

__all__ = ["BatchResult", "GeomapWorkerPlugin", "configure", "configure_inline",
           "init_local_worker", "peak_rss_mb", "process_batch", "release"]


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What a worker sends back for one batch: outcomes, and who did it with how much memory."""

    outcomes: tuple[Outcome, ...]
    pid: int
    peak_rss_mb: float
    seconds: float


_CONFIG: dict[str, Any] = {}
_LOCAL = threading.local()


def configure(gazetteer_path: str | None, lang: str | None, include_uncertain: bool,
              preload: Sequence[str] = ()) -> None:
    """Set up this process as a worker; ``preload`` loads those models now.

    Parameters
    ----------
    gazetteer_path : str or None
        The gazetteer to open (None: the worker finds its own).
    lang : str or None
        A forced language, or None to detect each document's.
    include_uncertain : bool
        Whether negated, hypothetical and future events are kept.
    preload : sequence of str
        Language codes whose spaCy models are loaded now rather than on first use.
    """
    from ..recognise import load_pipeline

    _CONFIG.update(gazetteer=gazetteer_path, lang=lang, include_uncertain=include_uncertain)
    _LOCAL.__dict__.clear()
    _pipeline()  # open the gazetteer now: a missing one fails at start, not per batch
    for code in preload:
        load_pipeline(code)


def configure_inline(gazetteer_path: str | None, lang: str | None, include_uncertain: bool,
                     gazetteer: GazetteerLike | None = None) -> None:
    """Set up the calling process to run batches itself, on ``gazetteer`` when given.

    Parameters
    ----------
    gazetteer_path, lang, include_uncertain
        As for :func:`configure`.
    gazetteer : GazetteerLike, optional
        An already open gazetteer to reuse (this thread's pipeline is built on it).
    """
    _CONFIG.update(gazetteer=gazetteer_path, lang=lang, include_uncertain=include_uncertain)
    if gazetteer is not None:
        _LOCAL.pipeline = Pipeline(gazetteer, lang=lang, include_uncertain=include_uncertain)
    else:
        _LOCAL.__dict__.clear()


def release() -> None:
    """Drop this thread's pipeline (the end of an inline run)."""
    _LOCAL.__dict__.clear()


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


def peak_rss_mb() -> float:
    """Return the process's peak resident memory in MB.

    ``VmHWM`` (Linux) belongs to the process's own address space; ``ru_maxrss``
    would carry over the parent's peak across fork and exec.

    Returns
    -------
    float
        Megabytes (0.0 where the platform tells nothing).
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
    from ..export import to_geojson

    features = to_geojson(result.events)["features"]
    return Outcome(key, result.document.id, result.lang, "ok", None, len(result.mentions),
                   sum(1 for p in result.places if p is not None), len(result.events),
                   json.dumps(features, ensure_ascii=False, allow_nan=False))


def process_batch(items: Sequence[tuple[str, Document]], on_error: str = "skip") -> BatchResult:
    """Run the pipeline on ``(key, document)`` pairs in a configured worker.

    Under ``on_error="skip"`` a document that fails is returned as an ``error``
    outcome with its reason (the rest of the batch is processed one by one);
    under ``"raise"`` the error propagates.

    Parameters
    ----------
    items : sequence of (str, Document)
        Store keys and their documents.
    on_error : {"skip", "raise"}
        The error policy.

    Returns
    -------
    BatchResult
        One outcome per item, in order, with this process's id and peak memory.
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
    return BatchResult(tuple(outcomes), os.getpid(), peak_rss_mb(), time.perf_counter() - t0)


def init_local_worker(gazetteer_path: str | None, lang: str | None,
                      include_uncertain: bool) -> None:
    """Initialise a local worker process: quiet on Ctrl-C, models loaded.

    Parameters
    ----------
    gazetteer_path, lang, include_uncertain
        As for :func:`configure`; without ``lang`` both fr and en models load.
    """
    import signal

    # Ctrl-C reaches the whole process group: the driver stops the run, workers stay quiet.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    configure(gazetteer_path, lang, include_uncertain, preload=(lang,) if lang else ("fr", "en"))


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
        configure(self.gazetteer_path, self.lang, self.include_uncertain, self.preload)
