"""--engine dask on a TLS cluster: geomap's --tls-* options, the same events as a local run."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from test_engine import write_corpus

from geomap.cli import main
from geomap.engine import run_corpus
from geomap.export import to_geojson

distributed = pytest.importorskip("distributed")


@pytest.fixture(autouse=True)
def pinned_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEOMAP_PIPELINE_VERSION", "tests")


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway certificate authority and one certificate it signed, for 127.0.0.1."""
    d = tmp_path_factory.mktemp("tls")
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
             "ca.pem", "-days", "1", "-subj", "/CN=geomap test CA", cwd=d)
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "node.key", "-out", "node.csr",
             "-subj", "/CN=localhost", cwd=d)
    (d / "san.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    _openssl("x509", "-req", "-in", "node.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
             "-CAcreateserial", "-out", "node.pem", "-days", "1", "-extfile", "san.ext", cwd=d)
    return d


def test_a_tls_cluster_gives_the_local_events(certs: Path, default_gazetteer_path: Path,
                                              tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    corpus = write_corpus(tmp_path / "corpus.jsonl", n=8)
    local = run_corpus([corpus], tmp_path / "local", workers=1,
                       gazetteer=default_gazetteer_path, version="tests")
    want = json.loads(json.dumps(to_geojson(local.events)))["features"]
    assert want
    ca, cert, key = (str(certs / n) for n in ("ca.pem", "node.pem", "node.key"))
    security = distributed.Security(
        tls_ca_file=ca, tls_scheduler_cert=cert, tls_scheduler_key=key,
        tls_worker_cert=cert, tls_worker_key=key, tls_client_cert=cert, tls_client_key=key,
        require_encryption=True)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  protocol="tls://", host="127.0.0.1", security=security,
                                  dashboard_address=None, silence_logs=logging.ERROR) as c:
        assert c.scheduler_address.startswith("tls://127.0.0.1:")
        out = tmp_path / "tls"
        code = main(["--gazetteer", str(default_gazetteer_path), "run", str(corpus), "-o",
                     str(out), "--engine", "dask", "--scheduler", c.scheduler_address,
                     "--tls-ca-file", ca, "--tls-cert", cert, "--tls-key", key,
                     "--tiles", "none"])
        err = capsys.readouterr().err
        assert code == 0, err
    got = json.loads((out / "events.geojson").read_text())["features"]
    # The same events: ids, types, places and dates, in the same order.
    assert got == want
    assert [f["properties"]["event_id"] for f in got] == [
        f["properties"]["event_id"] for f in want]


def test_tls_options_are_checked_before_any_work(certs: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    corpus = write_corpus(tmp_path / "corpus.jsonl", n=2)
    base = ["run", str(corpus), "-o", str(tmp_path / "out"), "--engine", "dask"]
    missing = str(tmp_path / "nope.pem")
    assert main([*base, "--scheduler", "tls://127.0.0.1:1", "--tls-ca-file",
                 str(certs / "ca.pem"), "--tls-cert", missing]) == 1
    assert f"--tls-cert {missing} does not exist" in capsys.readouterr().err
    assert main([*base, "--tls-cert", str(certs / "node.pem")]) != 0
    assert "need --scheduler" in capsys.readouterr().err
    assert not (tmp_path / "out" / "events.geojson").exists()
