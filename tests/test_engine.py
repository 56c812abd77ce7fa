"""geomap.engine: processes, resume after SIGKILL, --force, bad inputs, long texts, grouping."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geomap import pipeline as pipeline_mod
from geomap.documents import read_documents
from geomap.engine import count_documents, run_corpus
from geomap.errors import GeomapError
from geomap.records import Document
from geomap.store import STORE_NAME

CITIES = ["Kyiv", "Kherson", "Lyon", "Minsk", "Tbilisi", "Marseille", "Kharkiv", "Odessa"]


def write_corpus(path: Path, n: int = 40, *, english_only: bool = False) -> Path:
    """Short documents in both languages, some telling the same event (grouped).

    ``english_only`` tells the French half in English: runs in fresh processes (a
    subprocess CLI, pool or Dask workers) then load the small English model only
    (``--lang en``), not the French one, whose tokenizer alone takes ~10 s to build.
    """
    lines = []
    for i in range(n):
        city = CITIES[i % len(CITIES)]
        day = 1 + i % 5
        if i % 2 and english_only:
            text = (f"Protesters gathered in {city} on Saturday against the war. "
                    f"March number {i} went through the centre.")
            lang = "en"
        elif i % 2:
            text = (f"Des manifestants se sont rassemblés samedi à {city} contre la guerre. "
                    f"Le cortège numéro {i} a défilé dans le centre.")
            lang = "fr"
        else:
            text = f"Police arrested {i + 3} protesters in {city} on Monday."
            lang = "en"
        lines.append(json.dumps({"id": f"d{i}", "text": text, "lang": lang,
                                 "date": f"2024-05-0{day}"}, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def features(out: Path) -> list[dict]:
    return json.loads((out / "events.geojson").read_text(encoding="utf-8"))["features"]


def stored_rows(out: Path) -> int:
    path = out / STORE_NAME
    if not path.exists():
        return 0
    try:
        conn = sqlite3.connect(path, timeout=5)
        try:
            return int(conn.execute("SELECT count(*) FROM results").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


@pytest.fixture(autouse=True)
def pinned_version(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other work in a shared tree must not change the store's key between two runs."""
    monkeypatch.setenv("GEOMAP_PIPELINE_VERSION", "tests")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "corpus.jsonl")


@pytest.fixture(scope="module")
def reference(corpus: Path, default_gazetteer_path: Path, tmp_path_factory: pytest.TempPathFactory):
    """The corpus run in this process, once: what every other run must give."""
    out = tmp_path_factory.mktemp("reference")
    run = run_corpus([corpus], out, workers=1, gazetteer=default_gazetteer_path,
                     version="tests")
    return run


@pytest.fixture(scope="module")
def en_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus for runs in fresh processes: English only, run with ``lang="en"``."""
    return write_corpus(tmp_path_factory.mktemp("en-corpus") / "corpus.jsonl",
                        english_only=True)


@pytest.fixture(scope="module")
def en_reference(en_corpus: Path, default_gazetteer_path: Path,
                 tmp_path_factory: pytest.TempPathFactory):
    """``en_corpus`` run in this process, once (the models are loaded here already)."""
    from gazetteer import open_gazetteer
    from geomap.engine import pipeline_version

    _EN_VERSION_AT_START.append(pipeline_version(open_gazetteer(default_gazetteer_path)))
    run = run_corpus([en_corpus], tmp_path_factory.mktemp("en-reference"), workers=1,
                     lang="en", gazetteer=default_gazetteer_path, version="tests")
    assert run.summary.processed == 40 and len(run.events) < run.summary.events  # grouped
    return run


def test_inline_run_and_resume(corpus: Path, reference, default_gazetteer_path: Path,
                               tmp_path: Path) -> None:
    s = reference.summary
    assert (s.read, s.processed, s.from_store, s.skipped) == (40, 40, 0, [])
    assert s.events > 0 and len(reference.events) < s.events  # same protests grouped
    assert all(len(ev.all_sources) >= 1 for ev in reference.events)
    # Events come in input order: the first is from the first document.
    assert reference.events[0].source.doc_id == "d0"
    again = run_corpus([corpus], reference.store_path.parent, workers=1,
                       gazetteer=default_gazetteer_path)
    assert (again.summary.processed, again.summary.from_store) == (0, 40)
    assert list(again.events) == list(reference.events)
    forced = run_corpus([corpus], reference.store_path.parent, workers=1, force=True,
                        gazetteer=default_gazetteer_path)
    assert (forced.summary.processed, forced.summary.from_store) == (40, 0)
    assert list(forced.events) == list(reference.events)


def test_process_pool_gives_the_same_events(en_corpus: Path, en_reference,
                                            default_gazetteer_path: Path,
                                            tmp_path: Path) -> None:
    pids: set[int] = set()
    run = run_corpus([en_corpus], tmp_path, workers=2, batch_size=3, lang="en",
                     gazetteer=default_gazetteer_path, on_batch=lambda b: pids.add(b.pid))
    assert run.summary.processed == 40 and run.summary.workers == 2
    assert pids and os.getpid() not in pids  # worker processes (one may be slow to start)
    assert list(run.events) == list(en_reference.events)
    assert all(mb > 50 for mb in run.summary.worker_peak_rss_mb.values())


def test_killed_run_resumes_with_every_document_once(en_corpus: Path, en_reference,
                                                     default_gazetteer_path: Path,
                                                     tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A real run (the CLI, two worker processes) killed by SIGKILL halfway, then run again.

    The kill is set off by the store, not a clock: as soon as it holds 4 of the 40
    results. The second run is the CLI again, in this process (its models are loaded).
    """
    from geomap.cli import main

    out = tmp_path / "out"
    args = ["--gazetteer", str(default_gazetteer_path), "run", str(en_corpus), "-o", str(out),
            "--lang", "en", "--batch-size", "2", "--tiles", "none"]
    cmd = [sys.executable, "-m", "geomap.cli", *args, "--workers", "2"]
    env = {**os.environ, "GEOMAP_PIPELINE_VERSION": "tests"}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True, env=env)
    deadline = time.monotonic() + 240
    try:
        while stored_rows(out) < 4:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, "no results in the store after 240 s"
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the driver and its workers, no clean-up
        proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()
    done = stored_rows(out)
    assert 4 <= done < 40, "killed too late to test a resume"
    assert not (out / "events.geojson").exists()
    capsys.readouterr()
    assert main([*args, "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert f"from the store      {done}" in err, err
    assert f"processed           {40 - done}" in err, err
    assert stored_rows(out) == 40
    got = features(out)
    # Every document once: the grouped output tells each stored event exactly once.
    conn = sqlite3.connect(out / STORE_NAME)
    stored = conn.execute("SELECT doc_id, events FROM results").fetchall()
    conn.close()
    assert sorted(d for d, _ in stored) == sorted(f"d{i}" for i in range(40))
    told = [s["doc_id"] for f in got
            for s in (f["properties"]["sources"] or [f["properties"]])]
    assert len(told) == sum(n for _, n in stored)
    assert {d for d, n in stored if n} == set(told)
    # In a shared working tree others may edit the pipeline meanwhile.
    if _code_unchanged(default_gazetteer_path, _EN_VERSION_AT_START):
        from geomap.export import to_geojson

        assert got == json.loads(json.dumps(to_geojson(en_reference.events)))["features"]


_EN_VERSION_AT_START: list[str] = []


def _code_unchanged(gazetteer_path: Path, at_start: list[str]) -> bool:
    from gazetteer import open_gazetteer
    from geomap.engine import pipeline_version

    return pipeline_version(open_gazetteer(gazetteer_path)) == at_start[0]


def test_bad_inputs_are_skipped_with_reasons(tmp_path: Path, default_gazetteer_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a-good.txt").write_text("date 2024-05-02\nPolice arrested ten protesters in Minsk.",
                                    encoding="utf-8")
    (src / "b-empty.txt").write_bytes(b"")
    (src / "c-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (src / "d-cp1252.txt").write_bytes("Le président a visité Besançon – hier.".encode("cp1252"))
    (src / "e-latin1.txt").write_bytes("Réunion à Genève, été.".encode("latin-1"))
    (src / "f-impossible-date.txt").write_text("date 2025-02-30\nKyiv was shelled.",
                                               encoding="utf-8")
    rows = [
        {"id": "j1", "text": "Troops entered Kherson.", "date": "2022-11-11", "lang": "en"},
        "{not json",
        {"id": "j1", "text": "Protesters gathered in Tbilisi.", "lang": "en"},  # duplicate id
        {"id": "j3", "text": "Kyiv was shelled.", "date": "2025-13-01", "lang": "en"},
        {"id": "j4", "text": "Kyiv was shelled overnight.", "lang": "en"},  # no date: fine
    ]
    (src / "g.jsonl").write_text("\n".join(r if isinstance(r, str) else json.dumps(r)
                                           for r in rows) + "\n", encoding="utf-8")
    run = run_corpus([src], tmp_path / "out", workers=1, gazetteer=default_gazetteer_path)
    reasons = dict(run.summary.skipped)
    text = "\n".join(f"{n}: {r}" for n, r in run.summary.skipped)
    assert run.summary.processed == 4, text  # a-good, j1, j1~2, j4
    assert "empty" in reasons[str(src / "b-empty.txt")]
    assert "binary" in reasons[str(src / "c-binary.txt")]
    assert "looks like cp1252" in reasons[str(src / "d-cp1252.txt")]
    assert "looks like latin1" in reasons[str(src / "e-latin1.txt")]
    assert "2025-02-30" in reasons[str(src / "f-impossible-date.txt")]
    assert "line 2" in text and "g.jsonl" in text  # malformed JSON: file and line named
    assert "renamed" in text and "j1" in text  # the duplicate id
    assert "2025-13-01" in text
    assert all("\n" not in r for r in reasons.values())
    with pytest.raises(GeomapError, match="b-empty.txt"):
        run_corpus([src], tmp_path / "out2", workers=1, on_error="raise",
                   gazetteer=default_gazetteer_path)


def test_a_document_that_breaks_the_pipeline_is_reported(tmp_path: Path, monkeypatch,
                                                         default_gazetteer_path: Path) -> None:
    real = pipeline_mod.Pipeline._finish

    def flaky(self, parsed):  # type: ignore[no-untyped-def]
        if "Zzqx" in parsed.document.text:
            raise ValueError("synthetic failure")
        return real(self, parsed)

    monkeypatch.setattr(pipeline_mod.Pipeline, "_finish", flaky)
    docs = [Document("ok1", "Police arrested ten protesters in Minsk.", lang="en"),
            Document("bad", "Zzqx was shelled.", lang="en"),
            Document("ok2", "Troops entered Kherson.", lang="en")]
    run = run_corpus(docs, tmp_path, workers=1, batch_size=3, gazetteer=default_gazetteer_path)
    assert run.summary.processed == 2
    assert run.summary.skipped == [("bad", "ValueError: synthetic failure")]
    with pytest.raises(ValueError, match="synthetic"):
        run_corpus(docs, tmp_path / "r", workers=1, on_error="raise",
                   gazetteer=default_gazetteer_path)


def test_long_documents_go_through_spacy_in_pieces(default_gazetteer_path: Path) -> None:
    """Longer than spaCy's max_length (1,000,000): cut at breaks, offsets stay global."""
    from gazetteer import open_gazetteer

    head = "Police arrested ten protesters in Minsk on Monday.\n\n"
    tail = "\n\nUkrainian troops entered Kherson on Friday."
    text = head + (" " * 99 + "\n") * 11_000 + tail
    assert len(text) > 1_000_000
    doc = Document("long", text, lang="en")
    pipe = pipeline_mod.Pipeline(open_gazetteer(default_gazetteer_path))
    result = pipe.process(doc)
    found = {m.text for m in result.mentions}
    assert {"Minsk", "Kherson"} <= found
    for m in result.mentions:
        assert text[m.start:m.end] == m.text
    assert result.document is doc
    told = " ".join(e.sentence for e in result.events)
    assert "Minsk" in told and "Kherson" in told


def test_a_20_mb_document_is_read_and_cut(tmp_path: Path) -> None:
    para = "Des combats ont eu lieu près de Koursk, selon le ministère russe de la Défense. " * 4
    big = tmp_path / "big.txt"
    with big.open("w", encoding="utf-8") as f:
        f.write("date 2025-04\n")
        while f.tell() < 20_000_000:
            f.write(para + "\n\n")
    (doc,) = list(read_documents([big]))
    pieces = pipeline_mod.split_text(doc.text)
    assert "".join(p for _, p in pieces) == doc.text
    assert all(len(p) <= pipeline_mod.CHUNK_CHARS for _, p in pieces)
    assert all(doc.text.startswith(p, off) for off, p in pieces[:50])
    assert all(p.endswith("\n\n") for _, p in pieces[:-1])  # cut at paragraph breaks


def test_split_text_without_breaks() -> None:
    assert pipeline_mod.split_text("abcdefghij", 4) == [(0, "abcd"), (4, "efgh"), (8, "ij")]
    assert pipeline_mod.split_text("", 4) == [(0, "")]


def test_count_documents(tmp_path: Path, corpus: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("y")
    (tmp_path / ".hidden.txt").write_text("z")
    assert count_documents([tmp_path, corpus, "some text", Document("x", "y")]) == 2 + 40 + 2
    assert count_documents(["-"]) is None


def test_log_lines_when_not_a_terminal(corpus: Path, reference, tmp_path: Path,
                                       default_gazetteer_path: Path) -> None:
    import io

    stream = io.StringIO()
    run_corpus([corpus], tmp_path, workers=1, batch_size=8, gazetteer=default_gazetteer_path,
               progress=stream, log_interval=0.0)
    lines = stream.getvalue().splitlines()
    assert lines and all(line.startswith("geomap: ") for line in lines)
    assert "docs/s" in lines[-1] and "places" in lines[-1] and "events" in lines[-1]


def test_summary_lines(reference) -> None:
    text = "\n".join(reference.summary.lines())
    for word in ("documents read", "processed", "from the store", "skipped", "places", "events",
                 "time"):
        assert word in text


def test_skip_reasons_are_counted_by_kind() -> None:
    from geomap.engine import RunSummary

    s = RunSummary(read=5, processed=2, skipped=[
        ("a", "/x/a.txt is empty; give a file with text"),
        ("b", "/x/b.txt is not valid UTF-8 (byte 0xe9 at offset 5; it looks like cp1252); …"),
        ("c", "g.jsonl line 3: renamed to 'j1~2': duplicate document id 'j1'"),
        ("d", "g.jsonl line 2: not valid JSON (Expecting value); fix or remove the line")])
    text = "\n".join(s.lines())
    assert "skipped             3" in text  # a renamed duplicate is still processed
    for kind in ("1 empty", "1 not UTF-8 (cp1252)", "1 duplicate id (renamed)",
                 "1 malformed JSON line"):
        assert kind in text
