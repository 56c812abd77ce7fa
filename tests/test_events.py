"""Event typing, place choice, status and grouping on sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from geomap.dates import sentence_dates
from geomap.events import detect_events, group_events, load_triggers, place_of_trigger
from geomap.extract import extract
from geomap.records import Document, PartialDate
from geomap.resolve import resolve


def _events(text, nlp, gaz, lang, date="2025-04", **kw):
    doc = Document("d", text, lang=lang, date=PartialDate.parse(date), title="T",
                   url="https://example.org/a")
    parsed = extract(doc, nlp, gaz, lang)
    return detect_events(parsed, resolve(parsed.mentions, gaz, lang=lang),
                         sentence_dates(parsed), **kw)


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
    b = detect_events(parsed, resolve(parsed.mentions, gaz, lang="en"), sentence_dates(parsed))
    protests = [e for e in a + b if e.type == "protest"]
    assert len(protests) == 2
    merged = group_events(protests)
    assert len(merged) == 1 and {s.doc_id for s in merged[0].all_sources} == {"d", "other"}


def _parse_places(text, nlp, gaz, lang, date="2025-04-28"):
    doc = Document("d", text, lang=lang, date=PartialDate.parse(date))
    parsed = extract(doc, nlp, gaz, lang)
    return parsed, resolve(parsed.mentions, gaz, lang=lang)


@pytest.mark.parametrize("lang,text,event,statement", [
    ("en", "The minister, speaking in Lyon, condemned the attack in Marseille.",
     "attack", "condemned"),
    ("fr", "Le président, en visite à Lyon, a condamné l'attaque de Marseille.",
     "attaque", "condamné"),
])
def test_reported_event_and_statement_have_their_own_places(lang, text, event, statement,
                                                             nlp_en, nlp_fr, gaz):
    parsed, places = _parse_places(text, nlp_en if lang == "en" else nlp_fr, gaz, lang)
    at_event = place_of_trigger(parsed, places, text.index(event))
    at_statement = place_of_trigger(parsed, places, text.index(statement))
    assert at_event is not None and at_event[1].name == "Marseille", at_event
    assert at_statement is not None and at_statement[1].name == "Lyon", at_statement
    assert "Marseille" in at_event[2] and "Lyon" in at_statement[2]


@pytest.mark.parametrize("lang,text,target", [
    ("en", "Soldiers shelled Izium in the countryside of Kharkiv on Monday.", "Izyum"),
    ("fr", "Des soldats ont bombardé le village de Koupiansk, près de Kharkiv, mardi.",
     "Kupyansk"),
])
def test_the_target_beats_the_area_around_it(lang, text, target, nlp_en, nlp_fr, gaz):
    evs = _events(text, nlp_en if lang == "en" else nlp_fr, gaz, lang, date="2025-04-28")
    strikes = [e for e in evs if e.type == "remote_violence"]
    assert strikes and strikes[0].place.name == target, [(e.place.name, e.reason) for e in evs]


@pytest.mark.parametrize("lang,text", [
    ("en", "Kharkiv was shelled by Russian forces on Monday."),
    ("fr", "Kharkiv a été bombardée lundi par les forces russes."),
])
def test_a_passive_subject_is_the_target_not_an_actor(lang, text, nlp_en, nlp_fr, gaz):
    evs = _events(text, nlp_en if lang == "en" else nlp_fr, gaz, lang, date="2025-04-28")
    strikes = [e for e in evs if e.type == "remote_violence"]
    assert strikes and strikes[0].place.name == "Kharkiv"
    assert "object" in strikes[0].reason


def test_a_name_qualifying_a_thing_is_not_the_place(nlp_en, gaz):
    # "Molotov" is also an old name of Perm; here it names the cocktails.
    evs = _events("Protesters threw Molotov cocktails at police in Lyon.", nlp_en, gaz, "en")
    assert evs and all(e.place.name == "Lyon" for e in evs), [e.reason for e in evs]


@pytest.mark.parametrize("lang,text", [
    ("en", "On Monday, in Pavlohrad, Dnipropetrovsk region, a rocket struck a railway station."),
    ("fr", "Lundi, à Pavlohrad, dans la région de Dnipropetrovsk, une roquette a frappé la gare."),
])
def test_the_town_beats_the_region_named_after_it(lang, text, nlp_en, nlp_fr, gaz):
    evs = _events(text, nlp_en if lang == "en" else nlp_fr, gaz, lang, date="2025-04-28")
    strikes = [e for e in evs if e.type == "remote_violence"]
    assert strikes and strikes[0].place.name == "Pavlohrad" and strikes[0].geo_precision == 1


def test_a_place_missing_from_the_gazetteer_is_named_and_mapped_near(nlp_en, gaz):
    text = "Soldiers shelled Izium in the countryside of Kharkiv on Monday."
    parsed, places = _parse_places(text, nlp_en, gaz, "en")
    known = detect_events(parsed, places, sentence_dates(parsed))
    # The same text against a gazetteer that lacks Izium.
    lacking = [None if p is not None and p.name == "Izyum" else p for p in places]
    chosen = place_of_trigger(parsed, lacking, text.index("shelled"))
    assert chosen is not None and chosen[0].text == "Izium" and chosen[1] is None
    evs = [e for e in detect_events(parsed, lacking,
                                    sentence_dates(parsed)) if e.type == "remote_violence"]
    assert evs and evs[0].place.name == "Kharkiv"
    assert "not in the gazetteer" in evs[0].reason and "Izium" in evs[0].reason
    assert evs[0].geo_precision >= 2
    assert evs[0].confidence < [e for e in known if e.type == "remote_violence"][0].confidence


@pytest.mark.parametrize("lang,text,city", [
    ("en", "Protesters gathered in Lyon on Monday. Police later arrested five of them.", "Lyon"),
    ("fr", "Les manifestants se sont rassemblés lundi à Rennes. La police a interpellé cinq "
           "personnes.", "Rennes"),
])
def test_an_event_without_a_place_takes_the_one_told_just_before(lang, text, city, nlp_en,
                                                                 nlp_fr, gaz):
    evs = _events(text, nlp_en if lang == "en" else nlp_fr, gaz, lang, date="2025-04-28")
    arrests = [e for e in evs if e.type == "arrest"]
    protests = [e for e in evs if e.type == "protest"]
    assert arrests and protests and arrests[0].place.name == city
    assert "told just before" in arrests[0].reason
    assert arrests[0].confidence < protests[0].confidence


@pytest.mark.parametrize("lang,text,trigger", [
    ("fr", "Selon Pyongyang, ses soldats ont aidé Moscou à reprendre la ville de Soudja.",
     "reprendre"),
    ("en", "Pyongyang said its soldiers helped Moscow to retake the town of Sudzha.", "retake"),
])
def test_who_is_helped_is_not_where_it_happened(lang, text, trigger, nlp_en, nlp_fr, gaz):
    parsed, places = _parse_places(text, nlp_en if lang == "en" else nlp_fr, gaz, lang)
    chosen = place_of_trigger(parsed, places, text.index(trigger))
    assert chosen is not None and chosen[1].name == "Sudzha", chosen
    evs = [e for e in detect_events(parsed, places,
                                    sentence_dates(parsed)) if e.type == "territory_change"]
    assert evs and {e.place.name for e in evs} == {"Sudzha"}


@pytest.mark.parametrize("lang,text", [
    ("en", "On 3 May 2021, gunmen attacked a bus near Kaduna. Two days later, police arrested "
           "three suspects in Kaduna."),
    ("fr", "Le 3 mai 2021, des hommes armés ont attaqué un bus près de Kaduna. Deux jours plus "
           "tard, la police a arrêté trois suspects à Kaduna."),
])
def test_relative_date_without_document_date_reads_the_date_told_before(lang, text, nlp_en,
                                                                        nlp_fr, gaz):
    doc = Document("d", text, lang=lang)
    parsed = extract(doc, nlp_en if lang == "en" else nlp_fr, gaz, lang)
    evs = detect_events(parsed, resolve(parsed.mentions, gaz, lang=lang), sentence_dates(parsed))
    arrests = [e for e in evs if e.type == "arrest"]
    assert arrests and arrests[0].date.start == dt.date(2021, 5, 5), arrests[0].date
    assert arrests[0].date.granularity == "day" and "told before" in arrests[0].date.reason


def test_a_road_named_after_a_town_is_not_in_that_town(nlp_en, gaz):
    evs = _events("Artillery shelled the Kharkiv road outside Poltava on Monday.", nlp_en, gaz,
                  "en", date="2025-04-28")
    strikes = [e for e in evs if e.type == "remote_violence"]
    assert strikes and strikes[0].place.name == "Poltava", [e.reason for e in evs]


@pytest.mark.parametrize("lang,text,city", [
    ("en", "Hundreds of Lyon residents protested on Sunday against the new tax.", "Lyon"),
    ("fr", "Des centaines d'habitants de Rennes ont manifesté dimanche contre la taxe.", "Rennes"),
])
def test_a_crowd_protests_where_it_lives(lang, text, city, nlp_en, nlp_fr, gaz):
    evs = _events(text, nlp_en if lang == "en" else nlp_fr, gaz, lang, date="2025-04-28")
    protests = [e for e in evs if e.type == "protest"]
    assert protests and protests[0].place.name == city, [e.reason for e in evs]


def test_place_of_trigger_falls_back_on_the_sentence_s_best_place(nlp_en, gaz):
    text = "About 3,000 Hong Kong people demonstrated on Sunday."
    parsed, places = _parse_places(text, nlp_en, gaz, "en")
    chosen = place_of_trigger(parsed, places, text.index("demonstrated"))
    assert chosen is not None and chosen[0].text == "Hong Kong"
    assert "no place is tied to the event" in chosen[2]
    # A demonym alone is never a place.
    text = "Two Nigerian soldiers were killed on Sunday."
    parsed, places = _parse_places(text, nlp_en, gaz, "en")
    assert place_of_trigger(parsed, places, text.index("killed")) is None


@pytest.mark.parametrize("lang,text,country", [
    ("en", "The Iraqi foreign minister said on Monday that talks would resume.", "IQ"),
    ("fr", "Le ministre nord-coréen a déclaré lundi que les discussions reprendraient.", "KP"),
])
def test_a_statement_with_only_a_demonym_is_in_the_speaker_s_country(lang, text, country,
                                                                      nlp_en, nlp_fr, gaz):
    evs = _events(text, nlp_en if lang == "en" else nlp_fr, gaz, lang, date="2025-04-28")
    said = [e for e in evs if e.type == "statement"]
    assert said and said[0].place.country == country and said[0].place.level == "country"
    assert "demonym" in said[0].reason and said[0].geo_precision == 3


def test_fighting_is_never_put_in_the_attackers_country(nlp_en, gaz):
    evs = _events("Russian troops shelled a village on Monday.", nlp_en, gaz, "en",
                  date="2025-04-28")
    assert not [e for e in evs if e.place.country == "RU"]


def test_country_named_in_the_document_stands_in_for_a_missing_place(nlp_en, gaz):
    evs = _events("Ugandan police arrested twelve protesters on Monday.", nlp_en, gaz, "en",
                  date="2024-03-13")
    arrests = [e for e in evs if e.type == "arrest"]
    assert arrests, [e.type for e in evs]
    ev = arrests[0]
    assert ev.place.country == "UG" and ev.geo_precision == 3
    assert ev.confidence < 0.5 and "country" in ev.reason
    assert str(ev.date.start) == "2024-03-11"


def test_fighting_does_not_fall_back_to_a_demonym_country(nlp_en, gaz):
    evs = _events("Ugandan soldiers shelled a village on Monday.", nlp_en, gaz, "en",
                  date="2024-03-13")
    assert not [e for e in evs if e.place.country == "UG"]


def test_chain_in_brackets_places_the_event_fr(nlp_fr, gaz):
    evs = _events("Lundi, des hommes armés ont attaqué un marché à Rosario (département de "
                  "Colonia, Uruguay).", nlp_fr, gaz, "fr", date="2024-03-13")
    assert evs and evs[0].place.country == "UY" and evs[0].place.level == "point"


def test_a_namesake_abroad_yields_to_the_place_the_sentence_locates(nlp_en, gaz):
    # "Colonia Esperanza" is a neighbourhood here; the gazetteer's lies in another state.
    evs = _events("Late on Friday, in Mexicali, Baja California, a man was stabbed in "
                  "Colonia Esperanza.", nlp_en, gaz, "en", date="2024-03-13")
    assert evs and evs[0].place.country == "MX" and evs[0].place.admin1 == "02"
    assert "outside" in evs[0].reason


def test_a_far_place_in_the_named_country_is_kept(nlp_en, gaz):
    evs = _events("In Kyiv, Ukraine, officials said a missile hit Lviv on Monday.", nlp_en,
                  gaz, "en", date="2024-03-13")
    strikes = [e for e in evs if e.type == "remote_violence"]
    assert strikes and strikes[0].place.name == "Lviv"


def test_fighting_may_fall_back_to_the_targets_country(nlp_en, gaz):
    evs = _events("Russian forces shelled Ukrainian positions on Monday.", nlp_en, gaz, "en",
                  date="2024-03-13")
    assert evs and all(e.place.country == "UA" for e in evs)
    assert evs[0].geo_precision == 3 and "not as the doers" in evs[0].reason
