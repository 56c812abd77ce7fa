"""Language packs: every pack holds the same sections and keys, and unknown ones are refused."""

from __future__ import annotations

import pytest

from geomap.errors import UnknownOption
from geomap.lang import language_pack, languages


def _shape(lang: str) -> dict[str, set[str]]:
    pack = language_pack(lang)
    return {name: {k for k in data if not k.startswith("_")}
            for name, data in pack.sections.items()}


def test_the_shipped_languages_are_english_and_french():
    assert languages() == ("en", "fr")


@pytest.mark.parametrize("lang", ["fr"])
def test_every_pack_defines_the_same_sections_and_keys(lang):
    reference, other = _shape("en"), _shape(lang)
    assert set(other) == set(reference), "sections differ"
    for name in reference:
        assert other[name] == reference[name], f"keys of section '{name}' differ"


def test_each_pack_names_its_model():
    for lang in languages():
        assert language_pack(lang).get("meta", "model")


def test_unknown_language_section_and_key_name_the_options():
    with pytest.raises(UnknownOption, match="unknown language 'es'; options are: en, fr"):
        language_pack("es")
    with pytest.raises(UnknownOption, match="options are: .*meta"):
        language_pack("en").section("nope")
    with pytest.raises(UnknownOption, match="options are: .*model"):
        language_pack("en").get("meta", "nope")
