"""Helpers for the gazetteer tests: the tiny GeoNames-format dump and a database built from it.

Imported by ``tests/test_gazetteer_*.py`` (the shared ``conftest.py`` belongs to the pipeline).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gazetteer import build_geonames

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
