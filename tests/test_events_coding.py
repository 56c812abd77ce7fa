"""Event typing (each type, both languages), ACLED sub-events, status, actors, places and
dates told before, on sentences written for these tests.

Most tests read hand-built parses (tests/event_records.py, built with
geomap.testing) and need no model; those that take ``nlp_fr``/``nlp_en`` run
the real spaCy models end to end.
"""

from __future__ import annotations

import datetime as dt

import pytest
from event_records import document

from geomap.dates import sentence_dates
from geomap.events import (
    classify,
    detect_events,
    main_event,
    place_of_trigger,
    subevent_scores,
)
from geomap.pipeline import find_places as extract
from geomap.records import Document, PartialDate
from geomap.resolve import resolve
from geomap.taxonomy import ACLED_ORDER, EVENT_TYPES, acled_codes, plover_codes


def _parse(text, nlp, gaz, lang, date="2025-04-28"):
    doc = Document("t", text, lang=lang, date=PartialDate.parse(date) if date else None)
    return extract(doc, nlp, gaz, lang)


def _types(text, lang):
    """The types of the facts a hand-built sentence tells."""
    return {m.type for m in classify(document(text, lang)[0]) if m.status == "fact"}


def _main(text, lang):
    """The main event of a hand-built note."""
    return main_event(classify(document(text, lang)[0]))


EN = [
    ("territory_change", "Government troops recaptured the town of Izium after a week."),
    ("armed_clash", "Rebels and soldiers clashed for hours near the airport."),
    ("remote_violence", "Artillery shelled the outskirts of the port overnight."),
    ("violence_against_civilians", "Gunmen abducted four farmers from their fields."),
    ("troop_deployment", "The ministry deployed two brigades to the northern border."),
    ("military_aid", "Norway announced new military aid for the coastal defence units."),
    ("protest", "Thousands of teachers protested outside the parliament."),
    ("riot", "Rioters looted shops and torched cars in the old quarter."),
    ("arrest", "Police arrested the mayor on corruption charges."),
    ("agreement", "The two governments signed a border agreement."),
    ("meeting", "The foreign ministers met in Vienna for a summit."),
    ("accusation", "The opposition accused the governor of fraud."),
    ("sanction", "The union imposed sanctions on three shipping firms."),
    ("threat", "The commander threatened the villagers with reprisals."),
    ("statement", "The spokesman said the talks would resume."),
    ("demand", "The council called for an immediate end to the blockade."),
    ("rejection", "The premier rejected the proposal outright."),
    ("investigation", "Prosecutors opened an investigation into the fire."),
    ("support", "The president praised the rescue teams."),
    ("concession", "The junta released forty political prisoners."),
    ("other", "Engineers defused a roadside bomb on the highway."),
    ("aid", "The charity donated forty tonnes of flour to the flooded province."),
    ("cooperation", "The two navies cooperated on patrols in the strait."),
    ("coercion", "The junta banned the main opposition newspaper."),
]
FR = [
    ("territory_change", "L'armée a repris le contrôle de la ville après trois jours."),
    ("armed_clash", "Des affrontements ont opposé les rebelles aux soldats près du pont."),
    ("remote_violence", "Des obus sont tombés sur le quartier nord dans la nuit."),
    ("violence_against_civilians", "Des hommes armés ont enlevé quatre agriculteurs."),
    ("troop_deployment", "Le ministère a déployé deux brigades à la frontière."),
    ("military_aid", "La Norvège a annoncé une aide militaire pour la défense côtière."),
    ("protest", "Des milliers d'enseignants ont manifesté devant le parlement."),
    ("riot", "Des émeutiers ont pillé des magasins dans la vieille ville."),
    ("arrest", "La police a interpellé le maire pour corruption."),
    ("agreement", "Les deux gouvernements ont signé un accord frontalier."),
    ("meeting", "Les ministres se sont réunis pour un sommet."),
    ("accusation", "L'opposition a accusé le gouverneur de fraude."),
    ("sanction", "L'Union a adopté des sanctions contre trois armateurs."),
    ("threat", "Le commandant a menacé les villageois de représailles."),
    ("statement", "Le porte-parole a déclaré que les discussions reprendraient."),
    ("demand", "Le conseil a exigé la levée immédiate du blocus."),
    ("rejection", "Le Premier ministre a rejeté la proposition."),
    ("investigation", "Le parquet a ouvert une enquête sur l'incendie."),
    ("support", "Le président a félicité les secouristes."),
    ("other", "Les démineurs ont désamorcé un engin explosif sur la route."),
    ("aid", "L'ONG a acheminé une aide humanitaire vers la vallée sinistrée."),
    ("cooperation", "Les deux polices ont coopéré contre les passeurs."),
    ("coercion", "Le gouvernement a interdit le principal journal d'opposition."),
]


@pytest.mark.parametrize(("etype", "text"), EN, ids=[t for t, _ in EN])
def test_each_type_english(etype, text):
    assert etype in _types(text, "en")


@pytest.mark.parametrize(("etype", "text"), FR, ids=[t for t, _ in FR])
def test_each_type_french(etype, text):
    assert etype in _types(text, "fr")


def test_every_type_is_tested_in_english():
    assert {t for t, _ in EN} == set(EVENT_TYPES)
    assert set(ACLED_ORDER) == set(EVENT_TYPES)


@pytest.mark.parametrize(("text", "sub"), [
    ("A drone strike hit a fuel depot near the river.", "Air/drone strike"),
    ("Mortars and rockets were fired at the market.", "Shelling/artillery/missile attack"),
    ("A roadside bomb exploded under a bus.", "Remote explosive/landmine/IED"),
    ("A suicide bomber blew himself up at the checkpoint.", "Suicide bomb"),
    ("Police fired tear gas to disperse the protesters.", "Protest with intervention"),
    ("Nurses held a peaceful protest in front of the hospital.", "Peaceful protest"),
    ("Demonstrators threw stones and burned tires on the main road.", "Violent demonstration"),
    ("A mob lynched a suspected thief in the market.", "Mob violence"),
    ("Gunmen shot dead a teacher in his house.", "Attack"),
    ("Insurgents took control of the district centre.", "Non-state actor overtakes territory"),
    ("The army regained control of the district centre.", "Government regains territory"),
    ("Air defence shot down two drones over the capital.", "Disrupted weapons use"),
])
def test_acled_sub_event_english(text, sub):
    main = _main(text, "en")
    assert main is not None and main.subtype == sub, (main and (main.type, main.subtype))
    assert acled_codes(main.type, main.subtype)[1] == sub


@pytest.mark.parametrize(("text", "sub"), [
    ("Une frappe de drone a touché un dépôt de carburant.", "Air/drone strike"),
    ("Les policiers ont dispersé les manifestants avec des gaz lacrymogènes.",
     "Protest with intervention"),
    ("Un engin explosif a sauté au passage d'un convoi.", "Remote explosive/landmine/IED"),
])
def test_acled_sub_event_french(text, sub, nlp_fr, gaz):
    main = main_event(classify(_parse(text, nlp_fr, gaz, "fr")))
    assert main is not None and main.subtype == sub


def test_one_event_per_sentence_for_acled_types():
    # A protest broken up by police is one protest with intervention, not also a clash
    # (and "riot police" make no riot).
    ms = classify(document("Riot police fired rubber bullets and tear gas to break up the "
                           "students' protest.", "en")[0])
    coded = [m for m in ms if m.type in {"protest", "armed_clash", "riot"}]
    assert len(coded) == 1 and coded[0].subtype == "Protest with intervention"


def test_scores_prefer_the_specific_sub_event():
    s = subevent_scores("Protesters rallied; police dispersed them with water cannon.", "en")
    assert s["Protest with intervention"][0] > s["Peaceful protest"][0]
    assert "Protest with intervention" not in subevent_scores("Police used water cannon.", "en")


def test_plover_codes():
    assert plover_codes("armed_clash", "Armed clash")[0] == "FIGHT"
    assert plover_codes("remote_violence", "Remote explosive/landmine/IED")[0] == "ASSAULT"
    assert plover_codes("demand")[0] == "DEMAND"


@pytest.mark.parametrize(("lang", "text", "status"), [
    ("en", "The ministry denied that troops were deployed to the border.", "negated"),
    ("en", "The army could launch an offensive against the rebels.", "hypothetical"),
    ("en", "If talks fail, the militia may attack the port.", "hypothetical"),
    ("en", "The government will deploy troops next week.", "future"),
    ("fr", "L'armée n'a pas bombardé la ville.", "negated"),
    ("fr", "Les rebelles pourraient attaquer le port.", "hypothetical"),
    ("fr", "Le gouvernement déploiera des troupes la semaine prochaine.", "future"),
])
def test_status_negation_modality_future(lang, text, status):
    ms = [m for m in classify(document(text, lang)[0])
          if m.type not in {"statement", "rejection"}]
    assert ms and ms[0].status == status, [(m.type, m.status) for m in ms]


def test_uncertain_events_are_not_mapped_unless_asked():
    p, places = document("The militia may launch an offensive on Mariupol.", "en")
    assert not [e for e in detect_events(p, places, sentence_dates(p)) if e.type == "armed_clash"]
    evs = [e for e in detect_events(p, places, sentence_dates(p), include_uncertain=True)
           if e.type == "armed_clash"]
    assert evs and evs[0].status == "hypothetical"


def test_actors_from_demonyms_with_roles(nlp_fr, gaz):
    p = _parse("Les soldats nord-coréens ont combattu aux côtés des forces russes "
               "près de Koursk.", nlp_fr, gaz, "fr")
    evs = detect_events(p, resolve(p.mentions, gaz, lang="fr"), sentence_dates(p))
    clash = [e for e in evs if e.type == "armed_clash"]
    assert clash and clash[0].actors[0] == "North Korea: military forces"
    assert "Russia: military forces" in clash[0].actors


def test_actor_english_ministry():
    p, places = document("The Ukrainian defence ministry accused Moscow of shelling Kherson.",
                         "en")
    evs = detect_events(p, places, sentence_dates(p))
    assert any("Ukraine" in a for e in evs for a in e.actors)


def test_place_is_where_it_happened_not_the_claimant():
    p, places = document("Moscow claimed its forces had recaptured Kupiansk.", "en")
    evs = [e for e in detect_events(p, places, sentence_dates(p)) if e.type == "territory_change"]
    assert evs and evs[0].place.name.startswith("Kup") and "Kupiansk" in evs[0].reason
    chosen = place_of_trigger(p, places, p.document.text.index("recaptured"))
    assert chosen is not None and chosen[1].geonameid == evs[0].place.geonameid


def test_place_from_the_paragraph_has_lower_confidence(nlp_en, gaz):
    text = ("Fighting was reported in Bakhmut on Monday. The clashes left two soldiers "
            "wounded.")
    p = _parse(text, nlp_en, gaz, "en")
    evs = [e for e in detect_events(p, resolve(p.mentions, gaz, lang="en"), sentence_dates(p))
           if e.type == "armed_clash"]
    assert len(evs) >= 2 and evs[-1].place.name == evs[0].place.name
    assert evs[-1].confidence < evs[0].confidence and "no place" in evs[-1].reason


def test_a_sentence_without_a_date_takes_the_one_before(nlp_en, gaz):
    text = "On 3 May 2021, gunmen attacked a bus near Kaduna. The attack killed two."
    p = _parse(text, nlp_en, gaz, "en", date=None)
    evs = detect_events(p, resolve(p.mentions, gaz, lang="en"), sentence_dates(p))
    # One event per sentence; the second sentence names no date and takes the first's.
    assert [e.sentence for e in evs] == [p.sentences[0].text, p.sentences[1].text]
    assert [e.date.start for e in evs] == [dt.date(2021, 5, 3)] * 2
    assert "told before" not in evs[0].date.reason
    assert evs[1].date.reason.startswith("no date in the sentence; the date told before it")


def test_single_line_without_full_stop_is_not_a_headline():
    assert "armed_clash" in _types("Soldiers and rebels clashed near Goma", "en")


# ACLED codebook rules between look-alike sub-events, weak triggers and accidents,
# the main verb of a sentence, and the tighter support triggers.


@pytest.mark.parametrize(("text", "sub"), [
    ("Soldiers fired mortars and small arms at the rebel positions near the bridge.",
     "Armed clash"),
    ("Rebels fired mortars at the army positions overnight.",
     "Shelling/artillery/missile attack"),
    ("Gunmen shot dead two policemen at a checkpoint.", "Armed clash"),
    ("Gunmen killed two farmers in their field.", "Attack"),
    ("An air strike killed four civilians in the market.", "Air/drone strike"),
    ("Villagers armed with machetes clashed with residents of a neighbouring village over "
     "a land dispute.", "Mob violence"),
    ("Hundreds of residents protested against the closure of the clinic, and some of them "
     "threw stones at the police and burned tyres.", "Violent demonstration"),
    ("Police seized a cache of rifles and ammunition during a search of the farm.",
     "Disrupted weapons use"),
    ("Rebels entered the town after the army withdrew without a fight.",
     "Non-violent transfer of territory"),
    ("Two suicide bombers blew themselves up at the gate before gunmen opened fire.",
     "Suicide bomb"),
    ("The army set up a new military base near the border crossing.",
     "Headquarters or base established"),
    ("Air defence shot down a fighter jet over the valley.",
     "Shelling/artillery/missile attack"),
])
def test_acled_codebook_rules_english(text, sub):
    main = _main(text, "en")
    assert main is not None and main.subtype == sub, (main and (main.type, main.subtype))


@pytest.mark.parametrize(("text", "sub"), [
    ("Deux kamikazes se sont fait exploser devant le commissariat.", "Suicide bomb"),
    ("Une frappe aérienne a tué quatre civils sur le marché.", "Air/drone strike"),
    ("Les manifestants ont lancé des pierres sur la police et incendié des voitures lors "
     "de la manifestation.", "Violent demonstration"),
    ("Des habitants ont lynché un voleur présumé sur le marché.", "Mob violence"),
    ("Les soldats ont découvert une cache d'armes et de munitions dans la forêt.",
     "Disrupted weapons use"),
])
def test_acled_codebook_rules_french(text, sub, nlp_fr, gaz):
    # End to end: the real model keeps "d'armes" one word, as the cues expect.
    main = main_event(classify(_parse(text, nlp_fr, gaz, "fr")))
    assert main is not None and main.subtype == sub, (main and (main.type, main.subtype))


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "A bus plunged off a bridge into the river, killing nineteen passengers."),
    ("en", "A gas explosion at a chemical plant killed three workers."),
    ("fr", "Une explosion de gaz dans une usine a fait trois morts."),
    ("en", "Heavy rain flooded the old town and killed two people."),
    ("en", "The striker shot the ball past the keeper in the second half."),
    ("fr", "Les inondations ont tué quatre personnes dans la vallée."),
])
def test_accidents_are_no_political_violence(lang, text):
    assert not _types(text, lang) & {
        "remote_violence", "violence_against_civilians", "armed_clash"}


def test_weak_trigger_needs_a_cue():
    # "attacked" alone says something happened; the cues say it was an attack on civilians.
    main = _main("Militiamen attacked a village and killed six herders.", "en")
    assert main is not None and main.type == "violence_against_civilians"
    assert "armed_clash" not in _types("The minister attacked the budget in a speech.", "en")


@pytest.mark.parametrize(("lang", "text", "etype"), [
    ("en", "The two sides agreed to a ceasefire after three days of fierce fighting.",
     "agreement"),
    ("en", "The government announced a suspension of all flights to the capital.",
     "sanction"),
    ("en", "Police arrested ten men after rioters burned cars and threw stones at officers.",
     "riot"),
    ("fr", "Les deux camps ont conclu un accord de cessez-le-feu après trois jours de combats.",
     "agreement"),
])
def test_main_event_is_the_main_verb_unless_violence_comes_first(lang, text, etype):
    main = _main(text, lang)
    assert main is not None and main.type == etype, (main and main.type)


@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "Le ministre s'est félicité de l'aide apportée par les voisins."),
    ("fr", "En le reconnaissant officiellement, le gouvernement a admis ses erreurs."),
    ("en", "The convoy was sent back to the border crossing."),
])
def test_no_support_from_reflexive_or_loose_words(lang, text):
    assert "support" not in _types(text, lang)


def test_new_types_codes():
    assert plover_codes("aid")[0] == "AID" and plover_codes("cooperation")[0] == "COOPERATE"
    assert plover_codes("coercion")[0] == "COERCE"
    assert acled_codes("aid") == ("Strategic developments", "Other")
    assert acled_codes("cooperation") == ("", "")


def test_riot_police_make_no_riot():
    s = subevent_scores("Riot police patrolled the square.", "en")
    assert "Violent demonstration" not in s


@pytest.mark.parametrize(("lang", "text", "etype"), [
    ("en", "Norway is willing to send engineers to rebuild the bridge.", "agreement"),
    ("en", "The ministry lodged an official protest with the neighbouring government.",
     "accusation"),
    ("en", "Fifty rebels surrendered to the army near the river.", "concession"),
    ("fr", "Le gouvernement est prêt à négocier avec les grévistes.", "agreement"),
    ("fr", "Le ministère a élevé une protestation officielle auprès de l'ambassadeur.",
     "accusation"),
])
def test_offers_protests_and_surrenders(lang, text, etype):
    main = _main(text, lang)
    assert main is not None and main.type == etype, (main and main.type)


def test_surrender_is_an_acled_agreement():
    main = _main("Fifty rebels surrendered to the army near the river.", "en")
    assert main is not None and acled_codes(main.type, main.subtype) == (
        "Strategic developments", "Agreement")


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "A powerful earthquake struck the coast, damaging hundreds of homes."),
    ("en", "Floods forced two thousand people to be evacuated from the valley."),
    ("fr", "Des inondations ont contraint deux mille habitants à évacuer la vallée."),
])
def test_disasters_make_no_violent_or_aid_event(lang, text):
    assert not _types(text, lang) & {"protest", "riot", "aid", "remote_violence",
                                                "territory_change", "troop_deployment"}


def test_a_strike_is_a_protest_but_struck_is_not():
    assert "protest" in _types("Dock workers began a general strike over pay.", "en")
    assert "protest" not in _types("A missile struck the depot at dawn.", "en")


@pytest.mark.parametrize(("lang", "text", "etype", "fact"), [
    # What is asked, agreed or intended is not yet done...
    ("en", "The families asked the army to release the prisoners.", "concession", False),
    ("en", "The mayor agreed to allow the street market to open again.", "concession", False),
    ("fr", "Le syndicat a appelé le gouvernement à libérer les détenus.", "concession", False),
    ("fr", "Le ministre a accepté d'autoriser la reprise des marchés.", "concession", False),
    # ...but what was managed, begun or forced did happen,
    ("en", "Rebel fighters managed to seize the town of Kidal on Monday.",
     "territory_change", True),
    ("fr", "L'armée a commencé à bombarder le village de Zaporijia.", "remote_violence", True),
    # and a protest's purpose clause is the protest itself.
    ("en", "Drivers blocked the main road in Lagos on Monday to protest against fuel prices.",
     "protest", True),
    ("fr", "Des habitants ont bloqué la route à Dakar pour manifester contre les coupures "
           "d'eau.", "protest", True),
    # A noun takes the status of its light verb: planned, or not managed, is not done,
    ("en", "The Czech president is to make an official visit to Warsaw on Monday.", "meeting",
     False),
    ("en", "The two delegations were not able to reach an agreement in Vienna on Friday.",
     "agreement", False),
    ("fr", "Les deux délégations n'ont pas réussi à conclure un accord vendredi à Vienne.",
     "agreement", False),
    ("fr", "Les deux délégations ont réussi à conclure un accord vendredi à Vienne.",
     "agreement", True),
    # but a purpose clause after a journey tells what was done there.
    ("en", "The foreign minister arrived in Goma on Monday to hold talks with the rebels.",
     "meeting", True),
])
def test_an_infinitive_event_is_a_fact_only_under_a_word_that_makes_it_happen(
        lang, text, etype, fact, nlp_en, nlp_fr, gaz):
    p = _parse(text, nlp_en if lang == "en" else nlp_fr, gaz, lang)
    statuses = [m.status for m in classify(p) if m.type == etype]
    assert statuses, f"no {etype} found in {text!r}"
    assert ("fact" in statuses) is fact, statuses


@pytest.mark.parametrize(("lang", "text", "place"), [
    ("en", "Two men were charged with drug trafficking in Leeds on Thursday.", "Leeds"),
    ("fr", "Deux hommes ont été inculpés jeudi à Marseille pour trafic de drogue.", "Marseille"),
    ("fr", "Le maire de Nice a été mis en examen mardi pour corruption.", "Nice"),
])
def test_a_criminal_charge_is_an_arrest(lang, text, place, nlp_en, nlp_fr, gaz):
    p = _parse(text, nlp_en if lang == "en" else nlp_fr, gaz, lang)
    evs = detect_events(p, resolve(p.mentions, gaz, lang=lang), sentence_dates(p))
    assert [(e.type, e.place.name) for e in evs] == [("arrest", place)]
