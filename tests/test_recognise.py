"""Recognition rules on plain strings: no spaCy model, no gazetteer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geomap.errors import UnknownOption
from geomap.lang import language_pack
from geomap.lang.overlay import merged_section, opt_in_packs
from geomap.recognise import load_pipeline, name_like, recognition_rules, single_letters, trim

EN, FR = recognition_rules("en"), recognition_rules("fr")
HIST = recognition_rules("fr", ("fr-hist",))


def _trimmed(text: str, span: str, rules) -> str:  # type: ignore[no-untyped-def]
    start = text.index(span)
    a, b = trim(text, start, start + len(span), rules)
    return text[a:b]


@pytest.mark.parametrize(("text", "span", "lang", "expected"), [
    ("Russia's army moved.", "Russia's", "en", "Russia"),
    ("They fled to the Crimea.", "the Crimea", "en", "Crimea"),
    ("A fire in Charleston, W.Va.", "W.Va.", "en", "W.Va."),
    ("He lives in Alexandria, Ind.", "Ind.", "en", "Ind."),
    ("Il a quitté l'Ukraine.", "l'Ukraine", "fr", "Ukraine"),
    ("Ils viennent de la Moldavie.", "de la Moldavie", "fr", "Moldavie"),
    ("Elle est à « Kiev ».", "« Kiev »", "fr", "Kiev"),
    # An English text keeps a French article that is part of a US town's name.
    ("Storms hit La Crosse overnight.", "La Crosse", "en", "La Crosse"),
])
def test_trim_drops_the_language_s_articles_and_possessives(text, span, lang, expected):
    assert _trimmed(text, span, recognition_rules(lang)) == expected


def test_a_name_cut_by_a_period_is_an_abbreviation():
    text = "COMPIEGNE, (Géog. mod.) ville de France."
    assert not name_like(text, text.index("Géog"), text.index("Géog") + 4, FR)
    assert name_like(text, text.index("France"), text.index("France") + 6, FR)
    assert not name_like("le A B", 3, 4, FR)  # one letter
    assert not name_like("vers paris", 5, 10, FR)  # no capital


def test_coordinates_in_degrees_are_an_opt_in_rule():
    text = "vers Reims. 49 lieues"
    assert name_like(text, 5, 10, FR) and name_like(text, 5, 10, EN)
    assert not name_like(text, 5, 10, HIST)


def test_figure_letters_are_dropped_only_with_the_historical_pack():
    assert single_letters("E G I") and not single_letters("A Coruña")
    assert HIST.drop_figure_letters and not FR.drop_figure_letters and not EN.drop_figure_letters


@pytest.mark.parametrize(("lang", "text", "name", "word"), [
    ("fr", "dans la région russe de Koursk hier", "Koursk", "région"),
    ("fr", "l'oblast de Donetsk", "Donetsk", "oblast"),
    ("en", "shelling in Donetsk Oblast overnight", "Donetsk", "Oblast"),
    ("en", "the region of Kursk", "Kursk", "region"),
])
def test_region_patterns_of_each_language(lang, text, name, word):
    rules = recognition_rules(lang)
    found = [m for rx in rules.region_patterns(rules.region_surface_words)
             for m in rx.finditer(text)]
    assert [(m.group("name"), m.group("word")) for m in found] == [(name, word)]


def test_region_patterns_are_of_their_own_language():
    text = "Soldiers were seen in the région de Koursk and Donetsk Oblast."
    fr = [m.group("name") for rx in FR.region_patterns(FR.region_surface_words)
          for m in rx.finditer(text)]
    assert fr == ["Koursk"]


def test_plural_peoples_need_a_plural_determiner_and_an_ending():
    assert FR.group_like("Romains", "les") and FR.group_like("Européens", "des")
    assert not FR.group_like("Romains", "à") and not FR.group_like("Rome", "les")
    assert not EN.group_like("Romans", "the")  # no such rule in English


def test_the_encyclopedie_vocabulary_is_in_the_opt_in_pack_only():
    words = ("électeur", "palatinat", "marquisat")
    assert FR.of_place_rx is not None and HIST.of_place_rx is not None
    text = "l'électeur de Saxe et le palatinat de Bavière"
    assert not FR.of_place_rx.search(text)
    assert [m.group("name") for m in HIST.of_place_rx.finditer(text)] == ["Saxe", "Bavière"]
    base = language_pack("fr").get("recognise", "of_place_words")
    assert not set(words) & set(base)
    assert "&" in HIST.entity_coordinators and "&" not in FR.entity_coordinators


def test_opt_in_packs_extend_their_language_and_nothing_else():
    assert opt_in_packs() == ("fr-hist",)
    en = merged_section("en", "recognise", ("fr-hist",))
    assert en == dict(language_pack("en").section("recognise"))
    with pytest.raises(UnknownOption, match="unknown language pack 'fr-old'; options are: fr-hist"):
        merged_section("fr", "recognise", ("fr-old",))


def test_opt_in_pack_keys_are_keys_of_the_pack_it_extends():
    hist = language_pack("fr-hist")
    for section, data in hist.sections.items():
        if section == "meta":
            continue
        base = language_pack(hist.get("meta", "extends")).section(section)
        assert {k for k in data if not k.startswith("_")} <= set(base)


def test_unsupported_language_is_refused_not_read_as_english():
    with pytest.raises(UnknownOption, match="unknown language 'de'; options are: en, fr"):
        recognition_rules("de")
    with pytest.raises(UnknownOption, match="unknown language 'de'; options are: en, fr"):
        load_pipeline("de")  # refused before spaCy is asked for a model


def test_recognition_and_resolution_code_has_no_language_branch():
    root = Path(__file__).resolve().parents[1] / "geomap"
    branch = re.compile(r"\blang\w*\s*[!=]=\s*['\"]|['\"]\w\w['\"]\s*[!=]=\s*lang")
    for folder in ("recognise", "resolve"):
        for path in (root / folder).glob("*.py"):
            assert not branch.search(path.read_text(encoding="utf-8")), path.name


def test_recognition_does_not_import_the_resolve_stage_nor_take_a_gazetteer():
    root = Path(__file__).resolve().parents[1] / "geomap" / "recognise"
    for path in root.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "resolve" not in re.findall(r"^from \.\.(\w+)", text, re.MULTILINE), path.name
        assert not re.search(r"\bgazetteer: \w", text), path.name  # no such parameter
