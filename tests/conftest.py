"""Shared fixtures: the default gazetteer (built once) and the spaCy pipelines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
# The modules that take longest (a gazetteer build, subprocess and Dask workers, the
# browser, Hypothesis), longest first. `make test` runs two xdist workers, one module at a
# time each (`--dist loadfile`, so what a module builds once is built once) in this order,
# each worker taking the next module when it is nearly done with its own, so the long
# modules start first and the short ones fill in after them. test_gazetteer stays second:
# on a first run (nothing kept in pytest's cache) it builds the default gazetteer (~55 s).
LONGEST_FIRST = ("test_engine", "test_gazetteer", "test_render", "test_cli", "test_dask",
                 "test_export", "test_web_run", "test_render_cli", "test_fetch",
                 "test_partition", "test_documents", "test_pipeline_version",
                 "test_gazetteer_download", "test_group")
# Last of all: test_places_only empties load_pipeline's cache (to count the models one
# pipeline loads), so whatever its worker ran after it would load the models again.
LAST = ("test_places_only",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the longest modules first and LAST last; each module keeps its own order."""
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    rank.update((name, len(LONGEST_FIRST) + 1 + i) for i, name in enumerate(LAST))
    items.sort(key=lambda item: rank.get(Path(str(item.path)).stem, len(LONGEST_FIRST)))


@pytest.fixture(scope="session")
def default_gazetteer_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default gazetteer: ``$GEOMAP_GAZETTEER`` or the user cache if built, else built here."""
    from gazetteer import build_default, default_path

    existing = Path(os.environ.get("GEOMAP_GAZETTEER") or default_path())
    if existing.exists():
        return existing
    return build_default(tmp_path_factory.mktemp("gaz") / "gazetteer.sqlite")


@pytest.fixture(scope="session")
def gaz(default_gazetteer_path: Path):  # type: ignore[no-untyped-def]
    from gazetteer import open_gazetteer

    g = open_gazetteer(default_gazetteer_path)
    yield g
    g.close()


@pytest.fixture(scope="session")
def nlp_fr():  # type: ignore[no-untyped-def]
    from geomap.recognise import load_pipeline

    return load_pipeline("fr")


@pytest.fixture(scope="session")
def nlp_en():  # type: ignore[no-untyped-def]
    from geomap.recognise import load_pipeline

    return load_pipeline("en")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared (seed story and eval corpora) is not present")
    return SHARED
