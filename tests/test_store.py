"""geomap.store: keys, all-or-nothing batches, input order, versions, a damaged file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from geomap.errors import GeomapError
from geomap.records import Document, PartialDate
from geomap.store import STORE_NAME, Outcome, Store, StoreError, document_key


def _ok(key: str, doc_id: str, n: int = 1) -> Outcome:
    feats = [{"type": "Feature", "n": i, "doc": doc_id} for i in range(n)]
    return Outcome(key, doc_id, "en", "ok", None, n, n, n, json.dumps(feats))


def test_key_covers_content_metadata_and_version() -> None:
    base = Document("a", "Kyiv was shelled.", lang="en", date=PartialDate(2025, 4))
    key = document_key(base, "v1")
    assert len(key) == 64
    from dataclasses import replace

    for changed in (replace(base, text="Kyiv was shelled!"), replace(base, id="b"),
                    replace(base, lang="fr"), replace(base, date=PartialDate(2025, 5)),
                    replace(base, title="T"), replace(base, url="https://x")):
        assert document_key(changed, "v1") != key
    assert document_key(replace(base, source="elsewhere.txt"), "v1") == key
    assert document_key(base, "v2") != key


def test_results_in_input_order_each_once(tmp_path: Path) -> None:
    with Store(tmp_path / STORE_NAME) as store:
        store.begin_run("v1")
        store.add_run_docs([(0, "k0", "d0"), (1, "k1", "d1"), (2, "k2", "d2"), (3, "k0", "d0")])
        # Finished out of order, one twice (a retried batch): stored once.
        store.put([_ok("k2", "d2"), _ok("k0", "d0", 2)])
        store.put([_ok("k1", "d1", 0), _ok("k2", "d2")])
        store.put([Outcome("k9", "d9", "en", "error", "boom")])
        assert len(store) == 4
        order = [json.loads(f) for f in store.run_features()]
        assert [[x["doc"] for x in f] for f in order] == [["d0", "d0"], [], ["d2"]]
        assert store.run_counts() == {"documents": 3, "mentions": 3, "places": 3, "events": 3}
        assert set(store.done(["k0", "k1", "nope"])) == {"k0", "k1"}


def test_failures_and_reader_skips_are_reported(tmp_path: Path) -> None:
    with Store(tmp_path / STORE_NAME) as store:
        store.begin_run("v1")
        store.add_run_docs([(0, "k0", "d0"), (1, "k1", "d1")])
        store.add_skipped([("bad.txt", "bad.txt is empty; give a file with text")])
        store.put([_ok("k0", "d0"), Outcome("k1", "d1", "en", "error", "ValueError: x")])
        assert store.run_failures() == [("bad.txt", "bad.txt is empty; give a file with text"),
                                        ("d1", "ValueError: x")]
        # A new run starts its lists afresh but keeps the results.
        store.begin_run("v1")
        assert store.run_failures() == [] and len(store) == 2


def test_other_versions_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / STORE_NAME
    with Store(path) as store:
        store.begin_run("v1")
        store.put([_ok("k0", "d0")])
    with Store(path) as store:
        assert store.begin_run("v1") == 0 and len(store) == 1
        assert store.begin_run("v2") == 1 and len(store) == 0


def test_a_failed_batch_writes_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / STORE_NAME) as store:
        store.begin_run("v1")
        bad = Outcome("k1", "d1", "en", "maybe", None)  # violates the status check
        with pytest.raises(StoreError):
            store.put([_ok("k0", "d0"), bad])
        assert len(store) == 0


def test_a_damaged_store_names_itself(tmp_path: Path) -> None:
    path = tmp_path / STORE_NAME
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(GeomapError, match=STORE_NAME):
        Store(path)


def test_readers_see_committed_batches_while_a_run_writes(tmp_path: Path) -> None:
    path = tmp_path / STORE_NAME
    with Store(path) as store:
        store.begin_run("v1")
        store.put([_ok("k0", "d0")])
        other = sqlite3.connect(path)
        assert other.execute("SELECT count(*) FROM results").fetchone()[0] == 1
        other.close()


def test_a_store_from_another_layout_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / STORE_NAME
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE results (key TEXT PRIMARY KEY, doc_id TEXT, blob BLOB)")
    conn.execute("INSERT INTO results VALUES ('k', 'd', x'00')")
    conn.commit()
    conn.close()
    with Store(path) as store:
        store.begin_run("v1")
        assert len(store) == 0
        store.put([_ok("k0", "d0")])
        assert len(store) == 1
