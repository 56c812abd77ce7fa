"""Name folding: the examples the resolver relies on, properties, and the doctests."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gazetteer import _fold, fold
from gazetteer._fold import elide


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Île-de-France", "ile de france"),
        ("Kurs'k", "kursk"),
        ("Kurs’k", "kursk"),
        ("Kursʼk", "kursk"),
        ("St. Petersburg", "saint petersburg"),
        ("St Petersburg", "saint petersburg"),
        ("Ste-Foy", "sainte foy"),
        ("Saint-Étienne", "saint etienne"),
        ("KÖLN", "koln"),
        ("Łódź", "lodz"),
        ("Straße", "strasse"),
        ("Corée   du  Nord", "coree du nord"),
        ("Київ", "киів"),
        ("  ", ""),
        ("Côte d’Ivoire", "cote divoire"),
        ("Pékin", "pekin"),
        ("Zürich (ZH)", "zurich zh"),
    ],
)
def test_fold_examples(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_elide_keeps_elisions_apart() -> None:
    assert elide("l'Ukraine") == "l ukraine"
    assert elide("région d’Ivano-Frankivsk") == "region d ivano frankivsk"
    assert elide("Kurs'k") == "kursk"  # only word-initial elisions are split


@given(st.text(max_size=40))
def test_fold_is_idempotent_and_normal(s: str) -> None:
    f = fold(s)
    assert fold(f) == f
    assert f == f.strip() and "  " not in f
    assert f == f.casefold()
    assert "'" not in f and "-" not in f


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", max_size=30))
def test_fold_ignores_case_and_hyphens(s: str) -> None:
    assert fold(s.upper()) == fold(s) == fold(s.replace(" ", "-"))


def test_doctests() -> None:
    import gazetteer

    for module in (_fold, gazetteer):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0 and result.attempted > 0, module.__name__
