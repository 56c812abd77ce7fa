"""Event typing, place choice, status and grouping on sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from geomap.events import detect_events, group_events, load_triggers
from geomap.extract import extract
from geomap.records import Document, PartialDate
from geomap.resolve import resolve


def _events(text, nlp, gaz, lang, date="2025-04", **kw):
    doc = Document("d", text, lang=lang, date=PartialDate.parse(date), title="T",
                   url="https://example.org/a")
    parsed = extract(doc, nlp, gaz, lang)
    return detect_events(parsed, resolve(parsed.mentions, gaz, lang=lang), **kw)


def test_claim_of_retaking_is_at_the_region_not_the_claimant(nlp_fr, gaz):
    evs = _events("Moscou a revendiqué samedi la reprise complète de sa région frontalière "
                  "de Koursk.", nlp_fr, gaz, "fr")
    tc = [e for e in evs if e.type == "territory_change"]
    assert tc, [e.type for e in evs]
    assert tc[0].place.name != "Moscow" and tc[0].place.country == "RU"
    assert "Kursk" in tc[0].place.name or tc[0].place.geonameid == 538555
    # A weekday against a month-only document date stays a month.
    assert tc[0].date.granularity == "month" and tc[0].date.start == dt.date(2025, 4, 1)
    assert tc[0].time_precision == 3


def test_agreement_dated_by_its_month(nlp_fr, gaz):
    evs = _events("L'Iran et l'Arménie ont signé en juin 2024 un accord de coopération.",
                  nlp_fr, gaz, "fr")
    ag = [e for e in evs if e.type == "agreement"]
    assert ag and ag[0].date.start == dt.date(2024, 6, 1) and ag[0].date.granularity == "month"
    assert ag[0].place.country in {"IR", "AM"}


def test_troop_deployment_english(nlp_en, gaz):
    evs = _events("Belarus deployed troops to Gomel near the Ukrainian border on Monday.",
                  nlp_en, gaz, "en", date="2025-04-28")
    dep = [e for e in evs if e.type == "troop_deployment"]
    assert dep and dep[0].place.geonameid == 627907  # Gomel (Homyel'), BY
    assert dep[0].date.start == dt.date(2025, 4, 28) and dep[0].geo_precision == 1


def test_protest_and_arrest_english(nlp_en, gaz):
    evs = _events("Thousands of protesters marched in Belgrade and police arrested twelve people.",
                  nlp_en, gaz, "en")
    types = {e.type for e in evs}
    assert {"protest", "arrest"} <= types
    assert all(e.place.name == "Belgrade" for e in evs if e.type in {"protest", "arrest"})


def test_negated_event_is_flagged_not_mapped(nlp_en, gaz):
    text = "The army did not deploy troops to Odesa."
    assert not [e for e in _events(text, nlp_en, gaz, "en") if e.type == "troop_deployment"]
    evs = _events(text, nlp_en, gaz, "en", include_uncertain=True)
    dep = [e for e in evs if e.type == "troop_deployment"]
    assert dep and dep[0].status == "negated"


def test_accusation_french(nlp_fr, gaz):
    evs = _events("Le ministère sud-coréen de la Défense a dénoncé lundi les tirs de Pyongyang.",
                  nlp_fr, gaz, "fr")
    assert any(e.type == "accusation" for e in evs)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_trigger_data_loads(lang):
    t = load_triggers(lang)
    assert t.lemmas["protest"] and t.negation


def test_grouping_merges_same_event_from_two_documents(nlp_en, gaz):
    a = _events("Protesters rallied in Tbilisi on Tuesday.", nlp_en, gaz, "en", "2023-03-08")
    doc = Document("other", "Demonstrators protested in Tbilisi on Tuesday.", lang="en",
                   date=PartialDate.parse("2023-03-08"))
    parsed = extract(doc, nlp_en, gaz, "en")
    b = detect_events(parsed, resolve(parsed.mentions, gaz, lang="en"))
    protests = [e for e in a + b if e.type == "protest"]
    assert len(protests) == 2
    merged = group_events(protests)
    assert len(merged) == 1 and {s.doc_id for s in merged[0].all_sources} == {"d", "other"}
