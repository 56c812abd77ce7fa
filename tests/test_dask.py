"""--engine dask: the same events as the local engine, a killed worker, the CLI on a scheduler."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from pathlib import Path

import pytest
from test_engine import write_corpus

from geomap.cli import main
from geomap.engine import run_corpus
from geomap.export import to_geojson
from geomap.store import STORE_NAME

distributed = pytest.importorskip("distributed")


@pytest.fixture(autouse=True)
def pinned_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEOMAP_PIPELINE_VERSION", "tests")


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    """Two worker processes, one thread each, as the issue asks."""
    import logging

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0", silence_logs=logging.ERROR) as c, \
            distributed.Client(c) as client:
        yield c, client


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """English only, run with ``lang="en"``: each Dask worker (and the one brought back after
    a kill) loads the small English model only, not the French one (~10 s a process)."""
    return write_corpus(tmp_path_factory.mktemp("dask-corpus") / "corpus.jsonl",
                        english_only=True)


@pytest.fixture(scope="module")
def local(corpus: Path, default_gazetteer_path: Path, tmp_path_factory: pytest.TempPathFactory):
    return run_corpus([corpus], tmp_path_factory.mktemp("local"), workers=1, lang="en",
                      gazetteer=default_gazetteer_path, version="tests")


def _geojson(events) -> list[dict]:  # type: ignore[no-untyped-def]
    return json.loads(json.dumps(to_geojson(events)))["features"]


def test_same_events_as_the_local_engine(cluster, corpus: Path, local,
                                         default_gazetteer_path: Path, tmp_path: Path) -> None:
    _, client = cluster
    pids: set[int] = set()
    run = run_corpus([corpus], tmp_path, engine="dask", client=client, batch_size=2,
                     lang="en", gazetteer=default_gazetteer_path,
                     on_batch=lambda b: pids.add(b.pid))
    assert run.summary.processed == 40 and run.summary.workers == 2
    assert pids and os.getpid() not in pids  # the work ran on the workers
    assert _geojson(run.events) == _geojson(local.events)
    assert run.summary.events == local.summary.events
    # The model was loaded once per worker by the plugin (the forced language's only),
    # and every batch found it loaded.
    info = client.run(lambda: tuple(__import__("geomap.recognise", fromlist=["x"])
                                    .load_pipeline.cache_info()))
    assert {(misses, currsize) for _, misses, _, currsize in info.values()} == {(1, 1)}
    assert sum(hits for hits, *_ in info.values()) >= 40 // 2  # one look-up a batch


def test_a_killed_worker_does_not_lose_or_repeat_documents(cluster, corpus: Path, local,
                                                          default_gazetteer_path: Path,
                                                          tmp_path: Path) -> None:
    _, client = cluster
    victims: list[int] = []

    def kill_one(batch) -> None:  # type: ignore[no-untyped-def]
        if not victims:
            pids = client.run(os.getpid)
            victim = next(pid for pid in pids.values() if pid != batch.pid)
            victims.append(victim)
            os.kill(victim, signal.SIGKILL)  # mid-run, while it holds a batch

    run = run_corpus([corpus], tmp_path, engine="dask", client=client, batch_size=2,
                     lang="en", gazetteer=default_gazetteer_path, on_batch=kill_one)
    assert victims
    assert run.summary.processed == 40 and not run.summary.skipped
    conn = sqlite3.connect(tmp_path / STORE_NAME)
    ids = [d for (d,) in conn.execute("SELECT doc_id FROM results")]
    conn.close()
    assert sorted(ids) == sorted(f"d{i}" for i in range(40))
    assert _geojson(run.events) == _geojson(local.events)
    client.wait_for_workers(2, timeout=120)  # the nanny brings it back for the next test


def test_cli_on_a_running_scheduler_writes_partitioned_geoparquet(
        cluster, corpus: Path, local, default_gazetteer_path: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    import geopandas

    c, _ = cluster
    code = main(["--gazetteer", str(default_gazetteer_path), "run", str(corpus), "-o",
                 str(tmp_path), "--engine", "dask", "--scheduler", c.scheduler_address,
                 "--lang", "en", "--tiles", "none"])
    err = capsys.readouterr().err
    assert code == 0, err
    feats = json.loads((tmp_path / "events.geojson").read_text())["features"]
    assert feats == _geojson(local.events)
    parts = sorted((tmp_path / "events.parquet").glob("*.parquet"))
    assert len(parts) == 2, parts  # one partition per worker
    gdf = geopandas.read_parquet(tmp_path / "events.parquet")
    assert len(gdf) == len(feats) and gdf.crs.to_epsg() == 4326
    assert list(gdf["doc_id"]) == [f["properties"]["doc_id"] for f in feats]
    assert (tmp_path / "map.html").exists()
    assert "2 dask workers" in err
