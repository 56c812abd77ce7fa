"""Recognition and resolution on sentences written for these tests (real models, real gazetteer)."""

from __future__ import annotations

import pytest

from geomap.errors import UnknownOption
from geomap.extract import extract, load_pipeline
from geomap.records import Document
from geomap.resolve import resolve


def _run(text, nlp, gaz, lang):
    parsed = extract(Document("t", text, lang=lang), nlp, gaz, lang)
    places = resolve(parsed.mentions, gaz, lang=lang)
    return parsed, {m.text: (m, p) for m, p in zip(parsed.mentions, places)}


def test_french_region_pattern_and_demonym(nlp_fr, gaz):
    text = ("Des soldats nord-coréens ont été vus dans la région russe de Koursk, "
            "puis à Moscou, selon les autorités de Kiev.")
    _, found = _run(text, nlp_fr, gaz, "fr")
    region_m, region_p = found["région russe de Koursk"]
    assert region_m.kind == "region" and region_m.hints.country == "RU"
    assert region_p.feature == "ADM1" and region_p.country == "RU"
    assert region_p.geonameid == 538555  # Kursk Oblast
    assert found["Moscou"][1].geonameid == 524901  # Moscow, Russia, not Idaho
    assert found["Kiev"][1].geonameid == 703448
    demonym_m, demonym_p = found["nord-coréens"]
    assert demonym_m.kind == "demonym" and demonym_p.country == "KP"


def test_french_countries_with_articles(nlp_fr, gaz):
    _, found = _run("La Russie et l'Ukraine ont échangé des prisonniers avec la Corée du Nord.",
                    nlp_fr, gaz, "fr")
    countries = {p.country for _, p in found.values() if p is not None and p.level == "country"}
    assert {"RU", "UA", "KP"} <= countries


def test_english_parent_hint_and_nested_org(nlp_en, gaz):
    text = "Officers of the Paris Police Department drove from Paris, Texas to Dallas on Monday."
    parsed, found = _run(text, nlp_en, gaz, "en")
    paris_tx = [p for m, p in found.values() if m.hints.parent == "Texas"]
    assert paris_tx and paris_tx[0].country == "US"
    assert any(m.text == "Paris" and m.start == text.index("Paris Police") for m in parsed.mentions)


def test_english_oblast_pattern(nlp_en, gaz):
    _, found = _run("Ukrainian forces shelled positions in Donetsk Oblast overnight.",
                    nlp_en, gaz, "en")
    region = [p for m, p in found.values() if m.kind == "region"]
    assert region and region[0].feature == "ADM1" and region[0].country == "UA"
    assert any(m.kind == "demonym" and p.country == "UA" for m, p in found.values())


def test_unresolvable_name_is_left_unresolved(nlp_en, gaz):
    parsed = extract(Document("t", "They met in Zzyzxqvtown yesterday.", lang="en"), nlp_en, gaz,
                     "en")
    places = resolve(parsed.mentions, gaz, lang="en")
    assert all(p is None for m, p in zip(parsed.mentions, places) if "Zzyzx" in m.text)


def test_place_carries_reason_and_alternatives(nlp_en, gaz):
    _, found = _run("Protesters gathered in Paris on Saturday.", nlp_en, gaz, "en")
    place = found["Paris"][1]
    assert place.country == "FR" and place.reason
    assert 0 < place.confidence <= 1
    assert any(a.country == "US" for a in place.alternatives)


def test_unknown_language():
    with pytest.raises(UnknownOption, match="unknown language 'de'; options are: en, fr"):
        load_pipeline("de")
