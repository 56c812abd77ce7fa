"""The pipeline version hashes every code and data file of geomap and gazetteer."""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

from geomap.store import code_digest, package_digest

ROOT = Path(__file__).resolve().parents[1]


def _copy(tmp_path: Path) -> Path:
    for package in ("geomap", "gazetteer"):
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_every_file_counts_but_caches_do_not(tmp_path):
    root = _copy(tmp_path) / "geomap"
    before = package_digest(root)
    assert package_digest(root) == before
    (root / "__pycache__").mkdir(exist_ok=True)
    (root / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    assert package_digest(root) == before
    changes = [
        lambda: (root / "lang" / "fr" / "extra.json").write_text("{}"),  # a new data file
        lambda: (root / "dates" / "extra.py").write_text("X = 1\n"),  # a new module
        lambda: (root / "dates" / "extra.py").write_text("X = 2\n"),  # an edit
        lambda: (root / "dates" / "extra.py").rename(root / "dates" / "other.py"),  # a rename
        lambda: (root / "lang" / "fr" / "extra.json").unlink(),  # a removal
    ]
    seen = {before}
    for change in changes:
        change()
        digest = package_digest(root)
        assert digest not in seen
        seen.add(digest)


def test_code_digest_covers_both_packages_once_per_process():
    assert code_digest() is code_digest()  # cached
    assert code_digest.cache_info().currsize == 1
    geomap_root, gazetteer_root = resources.files("geomap"), resources.files("gazetteer")
    assert package_digest(geomap_root) != package_digest(gazetteer_root)


def test_adding_a_file_to_either_package_changes_the_pipeline_version(tmp_path):
    root = _copy(tmp_path)
    code = ("import geomap.engine as e, geomap.store as s\n"
            "v = e.pipeline_version(None)\n"
            f"print(e.__file__.startswith({str(root)!r}), s.code_digest(), v,\n"
            "      v == e.pipeline_version(None))\n")

    def version() -> list[str]:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
                             timeout=300, check=True)
        return out.stdout.split()

    seen = []
    for package in (None, "geomap", "gazetteer"):
        if package is not None:
            (root / package / "data" / "new_words.csv").write_text("a,b\n")
        imported_copy, digest, pipeline_version, stable = version()
        assert imported_copy == "True" and stable == "True"
        seen.append((digest, pipeline_version))
    assert len({d for d, _ in seen}) == 3 and len({v for _, v in seen}) == 3
