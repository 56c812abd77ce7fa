"""``import geomap`` and ``geomap --help`` import no spaCy: the pipeline loads on first use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                         timeout=300, check=True)
    return out.stdout


def test_import_geomap_imports_no_spacy():
    out = _run("import sys, geomap\n"
               "print(sorted(m for m in sys.modules if m == 'spacy' or m.startswith('spacy.')))\n"
               "print(geomap.__file__)\n")
    modules, where = out.splitlines()
    assert modules == "[]"
    assert where.startswith(str(ROOT))  # the package under test, not an installed copy


def test_help_imports_no_spacy():
    out = _run("import runpy, sys\n"
               "for argv in (['--help'], ['run', '--help'], ['geoparse', '--help'],\n"
               "             ['eval', '--help'], ['gazetteer', '--help']):\n"
               "    sys.argv = ['geomap', *argv]\n"
               "    try:\n"
               "        runpy.run_module('geomap', run_name='__main__', alter_sys=True)\n"
               "    except SystemExit as exit:\n"
               "        assert exit.code in (0, None), exit.code\n"
               "print('SPACY', 'spacy' in sys.modules)\n")
    assert "Usage: geomap" in out and "geoparse" in out  # the help was printed
    assert out.strip().endswith("SPACY False")


def test_the_pipeline_names_resolve_on_first_use():
    out = _run("import sys, geomap\n"
               "before = 'spacy' in sys.modules\n"
               "from geomap.pipeline import Pipeline, run\n"
               "print(before, geomap.run is run, geomap.Pipeline is Pipeline,\n"
               "      'DocumentResult' in dir(geomap))\n")
    # spaCy itself loads only when a pipeline first reads a document.
    assert out.split() == ["False", "True", "True", "True"]
