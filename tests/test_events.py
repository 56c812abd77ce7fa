"""Place choice, status, fallbacks and dates of events, on sentences written for these tests.

Most tests read hand-built parses (tests/event_records.py, built with
geomap.testing) and need no model; the end-to-end tests at the end run the
real spaCy models and the default gazetteer.
"""

from __future__ import annotations

import datetime as dt

import pytest
from event_records import document

from geomap.dates import sentence_dates
from geomap.events import classify, detect_events, load_triggers, place_of_trigger
from geomap.pipeline import find_places as extract
from geomap.records import Document, Event, PartialDate
from geomap.resolve import resolve


def _built(text: str, lang: str, date: str | None = "2025-04-28", **kw: object) -> list[Event]:
    """The events of a hand-built document."""
    p, places = document(text, lang, date)
    return detect_events(p, places, sentence_dates(p), **kw)  # type: ignore[arg-type]


# -- the place the trigger governs -------------------------------------------------------------


@pytest.mark.parametrize("lang,text,event,statement", [
    ("en", "The minister, speaking in Lyon, condemned the attack in Marseille.",
     "attack", "condemned"),
    ("fr", "Le président, en visite à Lyon, a condamné l'attaque de Marseille.",
     "attaque", "condamné"),
])
def test_reported_event_and_statement_have_their_own_places(lang, text, event, statement):
    p, places = document(text, lang)
    built = p.document.text
    at_event = place_of_trigger(p, places, built.index(event))
    at_statement = place_of_trigger(p, places, built.index(statement))
    assert at_event is not None and at_event[1].name == "Marseille", at_event
    assert at_statement is not None and at_statement[1].name == "Lyon", at_statement
    assert "Marseille" in at_event[2] and "Lyon" in at_statement[2]


@pytest.mark.parametrize("lang,text,target", [
    ("en", "Soldiers shelled Izium in the countryside of Kharkiv on Monday.", "Izyum"),
    ("fr", "Des soldats ont bombardé le village de Koupiansk, près de Kharkiv, mardi.",
     "Kupyansk"),
])
def test_the_target_beats_the_area_around_it(lang, text, target):
    strikes = [e for e in _built(text, lang) if e.type == "remote_violence"]
    assert [e.place.name for e in strikes] == [target], [e.reason for e in strikes]


@pytest.mark.parametrize("lang,text", [
    ("en", "Kharkiv was shelled by Russian forces on Monday."),
    ("fr", "Kharkiv a été bombardée lundi par les forces russes."),
])
def test_a_passive_subject_is_the_target_not_an_actor(lang, text):
    strikes = [e for e in _built(text, lang) if e.type == "remote_violence"]
    assert strikes and strikes[0].place.name == "Kharkiv"
    assert "object" in strikes[0].reason


def test_a_name_qualifying_a_thing_is_not_the_place():
    # "Molotov" is also an old name of Perm; here it names the cocktails.
    evs = _built("Protesters threw Molotov cocktails at police in Lyon.", "en", "2025-04")
    assert evs and all(e.place.name == "Lyon" for e in evs), [e.reason for e in evs]


@pytest.mark.parametrize("lang,text", [
    ("en", "On Monday, in Pavlohrad, Dnipropetrovsk region, a rocket struck a railway station."),
    ("fr", "Lundi, à Pavlohrad, dans la région de Dnipropetrovsk, une roquette a frappé la gare."),
])
def test_the_town_beats_the_region_named_after_it(lang, text):
    strikes = [e for e in _built(text, lang) if e.type == "remote_violence"]
    assert strikes and strikes[0].place.name == "Pavlohrad" and strikes[0].geo_precision == 1


def test_a_place_missing_from_the_gazetteer_is_named_and_mapped_near():
    text = "Soldiers shelled Izium in the countryside of Kharkiv on Monday."
    p, places = document(text, "en")
    known = [e for e in detect_events(p, places, sentence_dates(p))
             if e.type == "remote_violence"]
    # The same text against a gazetteer that lacks Izium.
    p, lacking = document(text, "en", drop=["Izium"])
    chosen = place_of_trigger(p, lacking, p.document.text.index("shelled"))
    assert chosen is not None and chosen[0].text == "Izium" and chosen[1] is None
    evs = [e for e in detect_events(p, lacking, sentence_dates(p)) if e.type == "remote_violence"]
    assert evs and evs[0].place.name == "Kharkiv"
    assert "not in the gazetteer" in evs[0].reason and "Izium" in evs[0].reason
    assert evs[0].geo_precision >= 2
    assert evs[0].confidence < known[0].confidence


@pytest.mark.parametrize("lang,text", [
    ("fr", "Selon Pyongyang, ses soldats ont aidé Moscou à reprendre la ville de Soudja."),
    ("en", "Pyongyang said its soldiers helped Moscow to retake the town of Sudzha."),
])
def test_who_is_helped_is_not_where_it_happened(lang, text):
    p, places = document(text, lang)
    trigger = "reprendre" if lang == "fr" else "retake"
    chosen = place_of_trigger(p, places, p.document.text.index(trigger))
    assert chosen is not None and chosen[1] is not None and chosen[1].name == "Sudzha", chosen
    evs = [e for e in detect_events(p, places, sentence_dates(p)) if e.type == "territory_change"]
    assert evs and {e.place.name for e in evs} == {"Sudzha"}


def test_a_road_named_after_a_town_is_not_in_that_town():
    evs = _built("Artillery shelled the Kharkiv road outside Poltava on Monday.", "en")
    strikes = [e for e in evs if e.type == "remote_violence"]
    assert strikes and strikes[0].place.name == "Poltava", [e.reason for e in evs]


@pytest.mark.parametrize("lang,text,city", [
    ("en", "Hundreds of Lyon residents protested on Sunday against the new tax.", "Lyon"),
    ("fr", "Des centaines d'habitants de Rennes ont manifesté dimanche contre la taxe.", "Rennes"),
])
def test_a_crowd_protests_where_it_lives(lang, text, city):
    protests = [e for e in _built(text, lang) if e.type == "protest"]
    assert protests and protests[0].place.name == city, [e.reason for e in protests]


def test_a_name_and_a_chain_in_brackets_place_the_event_fr():
    evs = _built("Lundi, des hommes armés ont attaqué un marché à Rosario (département de "
                 "Colonia, Uruguay).", "fr", "2024-03-13")
    assert evs and evs[0].place.country == "UY" and evs[0].place.level == "point"


def test_a_namesake_abroad_yields_to_the_place_the_sentence_locates():
    # "Colonia Esperanza" is a neighbourhood here; the gazetteer's lies in another state.
    evs = _built("Late on Friday, in Mexicali, Baja California, a man was stabbed in "
                 "Colonia Esperanza.", "en", "2024-03-13")
    assert evs and evs[0].place.country == "MX" and evs[0].place.admin1 == "02"
    assert "outside" in evs[0].reason


def test_a_far_place_in_the_named_country_is_kept():
    evs = _built("In Kyiv, Ukraine, officials said a missile hit Lviv on Monday.", "en",
                 "2024-03-13")
    strikes = [e for e in evs if e.type == "remote_violence"]
    assert strikes and strikes[0].place.name == "Lviv"


# -- events without a place of their own ------------------------------------------------------


@pytest.mark.parametrize("lang,text,city", [
    ("en", "Protesters gathered in Lyon on Monday. Police later arrested five of them.", "Lyon"),
    ("fr", "Les manifestants se sont rassemblés lundi à Rennes. La police a interpellé cinq "
           "personnes.", "Rennes"),
])
def test_an_event_without_a_place_takes_the_one_told_just_before(lang, text, city):
    evs = _built(text, lang)
    arrests = [e for e in evs if e.type == "arrest"]
    protests = [e for e in evs if e.type == "protest"]
    assert arrests and protests and arrests[0].place.name == city
    assert "told just before" in arrests[0].reason
    # a carried-over place is less precise than the one the sentence names
    assert arrests[0].geo_precision >= protests[0].geo_precision


def test_place_of_trigger_falls_back_on_the_sentence_s_best_place():
    p, places = document("About 3,000 Hong Kong people demonstrated on Sunday.", "en")
    chosen = place_of_trigger(p, places, p.document.text.index("demonstrated"))
    assert chosen is not None and chosen[0].text == "Hong Kong"
    assert "no place is tied to the event" in chosen[2]
    # A demonym alone is never a place.
    p, places = document("Two Nigerian soldiers were killed on Sunday.", "en")
    assert place_of_trigger(p, places, p.document.text.index("killed")) is None


@pytest.mark.parametrize("lang,text,country", [
    ("en", "The Iraqi foreign minister said on Monday that talks would resume.", "IQ"),
    ("fr", "Le ministre nord-coréen a déclaré lundi que les discussions reprendraient.", "KP"),
])
def test_a_statement_with_only_a_demonym_is_in_the_speaker_s_country(lang, text, country):
    said = [e for e in _built(text, lang) if e.type == "statement"]
    assert said and said[0].place.country == country and said[0].place.level == "country"
    assert "demonym" in said[0].reason and said[0].geo_precision == 3


@pytest.mark.parametrize("lang,text", [
    ("en", "Health officials in Ottawa met on Monday. They issued a warning the same day "
           "about Honduran melons."),
    ("fr", "Les autorités sanitaires se sont réunies lundi à Ottawa. Elles ont lancé le même "
           "jour un avertissement sur les melons honduriens."),
])
def test_a_demonym_of_what_is_spoken_of_is_not_where_it_is_said(lang, text, request, gaz):
    # the melons are Honduran; the warning was issued in Ottawa
    said = [e for e in _events(text, request.getfixturevalue(f"nlp_{lang}"), gaz, lang)
            if e.type == "statement"]
    assert said and said[0].place.country == "CA", [(e.place.name, e.reason) for e in said]


def test_a_speaker_after_the_verb_gives_the_country_of_the_statement(request, gaz):
    # the noun after "a déclaré" is who speaks, whatever the parse calls it
    text = ("Des soldats ont défilé lundi à Moscou. « Ceux qui ont défendu la frontière sont "
            "tous des héros », a déclaré le dirigeant iranien Ali Khamenei.")
    said = [e for e in _events(text, request.getfixturevalue("nlp_fr"), gaz, "fr")
            if e.type == "statement"]
    assert said and said[0].place.country == "IR", [(e.place.name, e.reason) for e in said]


@pytest.mark.parametrize("lang,text", [
    ("en", "Al Shabab fighters attacked Burundi troops on Monday."),
    ("fr", "Une roquette a touché lundi le siège de la Banque Saderat Iran."),
])
def test_a_country_that_qualifies_an_actor_or_a_name_is_no_place_for_fighting(lang, text,
                                                                            request, gaz):
    # "Burundi troops" are soldiers of Burundi, not in Burundi; the bank is not Iran
    told = _events(text, request.getfixturevalue(f"nlp_{lang}"), gaz, lang)
    assert not [e for e in told if e.place.country in {"BI", "IR"}], [
        (e.type, e.place.name, e.reason) for e in told]


def test_fighting_is_never_put_in_the_attackers_country():
    # The shelling is read, as a fact; the only country the document names is the
    # attackers', so the event has no place and is not mapped (not in Russia).
    p, places = document("Russian troops shelled a village on Monday.", "en")
    assert [(m.type, m.status) for m in classify(p)] == [("remote_violence", "fact")]
    assert detect_events(p, places, sentence_dates(p)) == []


def test_fighting_does_not_fall_back_to_a_demonym_country():
    # Unlike a statement's speaker, the demonym of fighters gives no place: the
    # shelling is read but not put in Uganda.
    p, places = document("Ugandan soldiers shelled a village on Monday.", "en")
    assert [(m.type, m.status) for m in classify(p)] == [("remote_violence", "fact")]
    assert detect_events(p, places, sentence_dates(p)) == []


def test_country_named_in_the_document_stands_in_for_a_missing_place():
    arrests = [e for e in _built("Ugandan police arrested twelve protesters on Monday.", "en",
                                 "2024-03-13") if e.type == "arrest"]
    assert len(arrests) == 1
    ev = arrests[0]
    assert ev.place.country == "UG" and ev.geo_precision == 3
    assert "country" in ev.reason
    assert str(ev.date.start) == "2024-03-11"


def test_fighting_may_fall_back_to_the_targets_country():
    evs = _built("Russian forces shelled Ukrainian positions on Monday.", "en", "2024-03-13")
    assert evs and all(e.place.country == "UA" for e in evs)
    assert evs[0].geo_precision == 3 and "not as the doers" in evs[0].reason


# -- status and dates --------------------------------------------------------------------------


def test_negated_event_is_flagged_not_mapped():
    text = "The army did not deploy troops to Odesa."
    assert not [e for e in _built(text, "en") if e.type == "troop_deployment"]
    dep = [e for e in _built(text, "en", include_uncertain=True) if e.type == "troop_deployment"]
    assert dep and dep[0].status == "negated" and dep[0].place.name == "Odesa"


@pytest.mark.parametrize("lang,text", [
    ("en", "On 3 May 2021, gunmen attacked a bus near Kaduna. Two days later, police arrested "
           "three suspects in Kaduna."),
    ("fr", "Le 3 mai 2021, des hommes armés ont attaqué un bus près de Kaduna. Deux jours plus "
           "tard, la police a arrêté trois suspects à Kaduna."),
])
def test_relative_date_without_document_date_reads_the_date_told_before(lang, text):
    arrests = [e for e in _built(text, lang, None) if e.type == "arrest"]
    assert arrests and arrests[0].date.start == dt.date(2021, 5, 5), arrests[0].date
    assert arrests[0].date.granularity == "day" and "told before" in arrests[0].date.reason


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_trigger_data_loads(lang):
    t = load_triggers(lang)
    assert t.lemmas["protest"] and t.negation


# -- end to end: the real models and the default gazetteer --------------------------------------


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


def test_accusation_french(nlp_fr, gaz):
    evs = _events("Le ministère sud-coréen de la Défense a dénoncé lundi les tirs de Pyongyang.",
                  nlp_fr, gaz, "fr")
    assert any(e.type == "accusation" for e in evs)


def test_statement_and_reported_event_end_to_end(nlp_en, gaz):
    text = "The minister, speaking in Lyon, condemned the attack in Marseille."
    doc = Document("d", text, lang="en", date=PartialDate.parse("2025-04-28"))
    parsed = extract(doc, nlp_en, gaz, "en")
    places = resolve(parsed.mentions, gaz, lang="en")
    at_event = place_of_trigger(parsed, places, text.index("attack"))
    assert at_event is not None and at_event[1] is not None and at_event[1].name == "Marseille"


@pytest.mark.parametrize(("lang", "text", "place"), [
    ("en", "The presidents of Kenya and Tanzania met in Arusha on Monday and signed a deal on "
           "cross-border trade.", "Arusha"),
    ("en", "The foreign ministers of Mali and Niger met in Niamey on Thursday and signed a "
           "defence pact.", "Niamey"),
    ("fr", "Les présidents du Kenya et de la Tanzanie se sont réunis lundi à Arusha et ont "
           "signé un accord sur le commerce transfrontalier.", "Arusha"),
])
def test_a_verb_joined_to_another_shares_its_place(nlp_en, nlp_fr, gaz, lang, text, place):
    evs = _events(text, nlp_en if lang == "en" else nlp_fr, gaz, lang)
    deals = [e for e in evs if e.type == "agreement"]
    assert deals and deals[0].place.name == place, [(e.type, e.place.name) for e in evs]
