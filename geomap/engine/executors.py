"""Where a corpus run's batches go: this process, local worker processes, or a Dask cluster.

Each executor has the same small interface: ``workers`` (how many batches it
runs at once), ``submit(items, on_error)`` returning a future of a
:class:`~geomap.engine.worker.BatchResult`, ``wait(pending)`` returning the done and
the pending futures, and ``close()``.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import InputError
from ..records import Document
from .worker import GeomapWorkerPlugin, configure_inline, init_local_worker, process_batch, release

if TYPE_CHECKING:
    from ..resolve.protocol import GazetteerLike

__all__ = ["DaskExecutor", "Executor", "InlineExecutor", "PoolExecutor", "dask_security"]


class Executor(Protocol):
    """What :func:`geomap.engine.run_corpus` asks of an executor."""

    workers: int

    def submit(self, items: Sequence[tuple[str, Document]], on_error: str) -> Any:
        """Start one batch; return its future."""
        ...

    def wait(self, pending: set[Any]) -> tuple[set[Any], set[Any]]:
        """Wait for at least one future of ``pending``; return (done, still pending)."""
        ...

    def close(self) -> None:
        """Release the workers."""
        ...


class InlineExecutor:
    """Runs batches in this process (small corpora, ``--workers 1``)."""

    workers = 1

    def __init__(self, gazetteer_path: str | None, lang: str | None, include_uncertain: bool,
                 gazetteer: GazetteerLike | None = None) -> None:
        configure_inline(gazetteer_path, lang, include_uncertain, gazetteer)

    def submit(self, items: Sequence[tuple[str, Document]], on_error: str) -> cf.Future[Any]:
        """Run the batch now; its result (or error) comes through the future."""
        fut: cf.Future[Any] = cf.Future()
        try:
            fut.set_result(process_batch(items, on_error))
        except Exception as err:  # delivered through the future, as a pool would
            fut.set_exception(err)
        return fut

    def wait(self, pending: set[Any]) -> tuple[set[Any], set[Any]]:
        """Every future is done already."""
        return set(pending), set()

    def close(self) -> None:
        """Drop this thread's pipeline."""
        release()


class PoolExecutor:
    """Local worker processes, each set up once (models, gazetteer)."""

    def __init__(self, workers: int, gazetteer_path: str | None, lang: str | None,
                 include_uncertain: bool) -> None:
        import multiprocessing

        self.workers = workers
        # spawn: a clean interpreter per worker, whatever threads the parent runs.
        self.pool = cf.ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=init_local_worker, initargs=(gazetteer_path, lang, include_uncertain))

    def submit(self, items: Sequence[tuple[str, Document]], on_error: str) -> cf.Future[Any]:
        """Send the batch to a worker process."""
        return self.pool.submit(process_batch, list(items), on_error)

    def wait(self, pending: set[Any]) -> tuple[set[Any], set[Any]]:
        """Wait for the first batch to finish."""
        done, rest = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
        return set(done), set(rest)

    def close(self) -> None:
        """Stop the worker processes (batches not started are cancelled)."""
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """A dask.distributed client: an existing cluster, or a LocalCluster started here.

    ``security`` (a :class:`distributed.Security`) is used for a client this
    executor opens on ``scheduler`` (``tls://`` addresses).
    """

    def __init__(self, workers: int, scheduler: str | None, client: Any,
                 gazetteer_path: str | None, lang: str | None, include_uncertain: bool,
                 security: Any = None) -> None:
        import logging

        from distributed import Client, LocalCluster

        self.own_client = client is None
        self.cluster = None
        if client is None:
            if scheduler:
                client = Client(scheduler, security=security) if security is not None \
                    else Client(scheduler)
            else:
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                                            processes=True, dashboard_address=":0",
                                            silence_logs=logging.ERROR)
                client = Client(self.cluster)
        self.client = client
        # A forced language needs its model only (as for local workers); otherwise both.
        plugin = GeomapWorkerPlugin(gazetteer_path, lang, include_uncertain,
                                    preload=(lang,) if lang else ("fr", "en"))
        if hasattr(client, "register_plugin"):
            client.register_plugin(plugin)
        else:  # pragma: no cover - distributed < 2023.9
            client.register_worker_plugin(plugin)
        info = client.scheduler_info()
        nthreads = sum(w.get("nthreads", 1) for w in info.get("workers", {}).values())
        self.workers = max(1, nthreads)

    def submit(self, items: Sequence[tuple[str, Document]], on_error: str) -> Any:
        """Send the batch to the cluster."""
        return self.client.submit(process_batch, list(items), on_error, pure=False)

    def wait(self, pending: set[Any]) -> tuple[set[Any], set[Any]]:
        """Wait for the first batch to finish."""
        from distributed import wait

        done, rest = wait(list(pending), return_when="FIRST_COMPLETED")
        return set(done), set(rest)

    def close(self) -> None:
        """Close the client and the local cluster this executor started."""
        if self.own_client:
            self.client.close()
            if self.cluster is not None:
                self.cluster.close()


def dask_security(ca_file: str | None = None, cert: str | None = None,
                  key: str | None = None) -> Any:
    """TLS settings for a client of a ``tls://`` Dask scheduler, or None without them.

    Parameters
    ----------
    ca_file : str, optional
        The certificate authority that signed the scheduler's and workers' certificates.
    cert, key : str, optional
        The client's own certificate and private key (``key`` may be omitted
        when ``cert`` holds both).

    Returns
    -------
    distributed.Security or None
        With ``require_encryption=True``; None when no file is given (then the
        Dask configuration, ``distributed.comm.tls.*``, applies as it is).

    Raises
    ------
    InputError
        When a file is missing, or only some of the three are given.
    """
    given = {"--tls-ca-file": ca_file, "--tls-cert": cert, "--tls-key": key}
    if not any(given.values()):
        return None
    for option, path in given.items():
        if path is not None and not Path(path).is_file():
            raise InputError(f"{option} {path} does not exist; give the PEM file")
    if not ca_file or not cert:
        raise InputError("TLS needs --tls-ca-file and --tls-cert (and --tls-key unless the "
                         "certificate file holds the key)")
    from distributed import Security

    return Security(tls_ca_file=ca_file, tls_client_cert=cert, tls_client_key=key,
                    require_encryption=True)
