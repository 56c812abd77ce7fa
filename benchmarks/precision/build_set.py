"""Write news_precision.jsonl: the project's own French and English precision set.

Usage: python benchmarks/precision/build_set.py [--gazetteer PATH] [--check]

Every paragraph below was written for this project (none is copied from a corpus, a
wire story or the seed). Each carries ``case``, the error class of issue 12 it tests,
and its gold events coded by ../shared/eval/events/NEWS_EVENTS_GUIDE.md. Coordinates
come from the default gazetteer, exactly as ``geomap gazetteer lookup NAME --country CC
--json`` gives its best candidate. Relative dates ("mon" ... "sun") are the last such
weekday strictly before the paragraph's publication date. ``--check`` only verifies
that the file on disk is what this script writes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

OUT = Path(__file__).resolve().parent / "news_precision.jsonl"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass
class E:
    """One gold event: type, the start of its sentence, where, when."""

    type: str
    sentence: str  # the start of the sentence that best tells it, verbatim
    at: str | None  # the words of the text that give the place (None: no place)
    cc: str | None  # ISO2 country of the place
    date: str | tuple[str, str] | None
    precision: str = "point"
    query: str | None = None  # gazetteer name when it differs from ``at``
    kind: str | None = None
    actors: tuple[str, ...] = ()
    note: str = ""


@dataclass
class P:
    """One paragraph with its case, publication date and gold events."""

    lang: str
    case: str
    pub: str
    text: str
    events: list[E] = field(default_factory=list)


SET: list[P] = [
    # --- generic, statistical or background text --------------------------------------
    P("en", "generic", "2025-03-12",
      "There were 40 robberies in Lancaster County last year, up from 31 in 2023, "
      "according to figures released by the sheriff's office. Burglaries fell by a fifth "
      "over the same period. Officials say thefts from cars remain the most common crime "
      "in the county."),
    P("en", "generic", "2025-03-12",
      "The two leaders have met several times since 2019 and often speak by phone. "
      "Relations between Ghana and Togo have long been shaped by trade across their "
      "shared border, where smuggling is a recurring concern."),
    P("en", "generic", "2025-03-12",
      "Shootings in Chicago typically rise during the summer months, and police usually "
      "put extra officers on the lakefront on holiday weekends. Violent crime in the city "
      "dropped 8% in 2024, the police department's annual report showed."),
    P("en", "generic", "2025-03-12",
      "Protests have become a regular feature of life in Nairobi since the finance bill "
      "of 2024. On Tuesday, several hundred teachers marched to parliament in Nairobi to "
      "demand unpaid wages, a union official said.",
      [E("protest", "On Tuesday, several hundred teachers marched", "Nairobi", "KE", "tue",
         actors=("teachers",), note="the first sentence is background")]),
    P("fr", "generic", "2025-03-12",
      "Plus de 300 cambriolages ont été recensés à Toulouse en 2024, selon les chiffres "
      "de la préfecture. Les vols de voitures sont en baisse depuis trois ans dans "
      "l'agglomération."),
    P("fr", "generic", "2025-03-12",
      "Les deux présidents se sont rencontrés à plusieurs reprises depuis 2020. Le "
      "Sénégal et la Mauritanie entretiennent des relations étroites, notamment autour de "
      "l'exploitation du gaz au large de leurs côtes."),
    P("fr", "generic", "2025-03-12",
      "Chaque été, les manifestations contre le tourisme de masse se multiplient dans les "
      "grandes villes du sud de l'Europe. Les grèves dans les transports sont fréquentes "
      "en France au moment des départs en vacances."),
    P("fr", "generic", "2025-03-12",
      "Les attaques de groupes armés sont devenues courantes dans la région de Mopti "
      "depuis 2015. Jeudi, des hommes armés ont tué quatre villageois près de Bandiagara, "
      "a indiqué un élu local.",
      [E("violence_against_civilians", "Jeudi, des hommes armés ont tué quatre villageois",
         "Bandiagara", "ML", "thu", actors=("hommes armés", "villageois"),
         note="the first sentence is background")]),
    # --- wrong word sense or type mapping ----------------------------------------------
    P("en", "word_sense", "2025-03-10",
      "Firefighters spent the night battling a blaze at a recycling plant on the "
      "outskirts of Leeds, the fire service said on Sunday. No one was hurt."),
    P("en", "word_sense", "2025-03-10",
      "Cabin crew at the airline are preparing to strike over pay, union members said, "
      "after a final round of talks with management ended without a deal in Dublin on "
      "Friday.",
      [E("meeting", "Cabin crew at the airline are preparing to strike", "Dublin", "IE",
         "fri", actors=("union", "management"),
         note="the talks took place; the strike is only planned")]),
    P("en", "word_sense", "2025-03-10",
      "A man was arrested in Bristol on Saturday after he tried to set fire to a parked "
      "van, Avon and Somerset Police said.",
      [E("arrest", "A man was arrested in Bristol on Saturday", "Bristol", "GB", "sat",
         actors=("Avon and Somerset Police",))]),
    P("en", "word_sense", "2025-03-10",
      "The striker scored twice as Marseille beat Lyon 3-1 on Sunday, and the home fans "
      "celebrated the victory late into the night. The coach praised his team's attack."),
    P("fr", "word_sense", "2025-03-10",
      "Les pompiers ont lutté toute la nuit contre un feu de forêt près de Marseille. "
      "Aucun blessé n'est à déplorer, selon la préfecture."),
    P("fr", "word_sense", "2025-03-10",
      "Les contrôleurs aériens envisagent une grève au printemps, selon plusieurs sources "
      "syndicales. Aucune date n'a encore été fixée."),
    P("fr", "word_sense", "2025-03-12",
      "Le champion a battu son adversaire en trois sets mardi à Monte-Carlo, avant de "
      "frapper les esprits par un discours ému devant le public."),
    P("fr", "word_sense", "2025-03-10",
      "Un homme a été interpellé samedi à Lille après avoir tenté de mettre le feu à une "
      "voiture, a indiqué la police.",
      [E("arrest", "Un homme a été interpellé samedi à Lille", "Lille", "FR", "sat",
         actors=("police",))]),
    # --- trigger inside a name, compound or modifier -----------------------------------
    P("en", "name_modifier", "2025-03-10",
      "Riot police stood guard outside the stadium in Glasgow as fans arrived for "
      "Saturday's match, which passed off peacefully."),
    P("en", "name_modifier", "2025-03-12",
      "The Rapid Support Forces shelled a market in El Fasher on Monday, killing at least "
      "twelve people, according to a local medical group.",
      [E("remote_violence", "The Rapid Support Forces shelled a market", "El Fasher", "SD",
         "mon", actors=("Rapid Support Forces",))]),
    P("en", "name_modifier", "2025-03-12",
      "State media reported that the new bridge over the Danube near Ruse would open "
      "next month. An exhibition on the history of artillery also opens at the city "
      "museum in April."),
    P("en", "name_modifier", "2025-03-14",
      "The Strike Force Unit's annual charity run took place in Leicester on Thursday, "
      "raising money for a children's hospital. Staff from the Aid Agency office joined "
      "the runners."),
    P("en", "name_modifier", "2025-03-14",
      "The Protest Museum in Lisbon reopened on Friday after two years of renovation, "
      "with a new room on the Carnation Revolution."),
    P("fr", "name_modifier", "2025-03-12",
      "Les Forces de soutien rapide ont attaqué un camp de déplacés près d'El Fasher "
      "dimanche, tuant au moins dix civils, selon des médecins soudanais.",
      [E("violence_against_civilians", "Les Forces de soutien rapide ont attaqué",
         "El Fasher", "SD", "sun", actors=("Forces de soutien rapide", "déplacés"))]),
    P("fr", "name_modifier", "2025-03-10",
      "Un fourgon de la police anti-émeute a été endommagé par un arbre tombé lors de la "
      "tempête à Nantes samedi. Personne n'a été blessé."),
    P("fr", "name_modifier", "2025-03-12",
      "Les médias d'État ont annoncé l'ouverture d'un nouveau terminal à l'aéroport "
      "d'Alger. Le Front de libération nationale a par ailleurs fêté son anniversaire."),
    P("fr", "name_modifier", "2025-03-12",
      "Le nouveau directeur du Centre de crise et de soutien du ministère a pris ses "
      "fonctions lundi à Paris. Il dirigeait auparavant la Brigade de répression du "
      "banditisme."),
    # --- speech acts -------------------------------------------------------------------
    P("en", "speech_act", "2025-03-10",
      "A 34-year-old man was stabbed outside a nightclub in Cardiff early on Sunday, "
      "police said. \"It was terrifying, everyone was screaming,\" said one witness, who "
      "blamed the door staff for reacting too slowly.",
      [E("violence_against_civilians", "A 34-year-old man was stabbed outside a nightclub",
         "Cardiff", "GB", "sun", note="'police said' is the source; the witness is private")]),
    P("en", "speech_act", "2025-03-10",
      "\"We will fight them on the streets tonight,\" the crowd sang as the band played its "
      "best-known song at the festival in Manchester. Organisers said 60,000 people "
      "attended."),
    P("en", "speech_act", "2025-03-13",
      "The Foreign Ministry in Ottawa on Wednesday condemned the detention of two "
      "Canadian citizens in Tehran and demanded their immediate release.",
      [E("accusation", "The Foreign Ministry in Ottawa on Wednesday condemned", "Ottawa",
         "CA", "wed", actors=("Foreign Ministry",)),
       E("demand", "The Foreign Ministry in Ottawa on Wednesday condemned", "Ottawa", "CA",
         "wed", actors=("Foreign Ministry",)),
       E("arrest", "The Foreign Ministry in Ottawa on Wednesday condemned", "Tehran", "IR",
         None, actors=("two Canadian citizens",), note="the detention is not dated")]),
    P("en", "speech_act", "2025-03-12",
      "Two men were arrested in Stoke-on-Trent on Monday in connection with a series of "
      "shop burglaries, Staffordshire Police said on Tuesday. The force said inquiries "
      "were continuing.",
      [E("arrest", "Two men were arrested in Stoke-on-Trent on Monday", "Stoke-on-Trent",
         "GB", "mon", actors=("Staffordshire Police",))]),
    P("en", "speech_act", "2025-03-12",
      "\"They blamed us for everything,\" said Maria Lopez, a shop owner in Houston, "
      "describing how her neighbours reacted when her store flooded last spring."),
    P("fr", "speech_act", "2025-03-10",
      "Un homme de 40 ans a été blessé par balle samedi soir à Marseille, a indiqué la "
      "police. « J'ai entendu trois détonations », a raconté une voisine.",
      [E("violence_against_civilians", "Un homme de 40 ans a été blessé par balle",
         "Marseille", "FR", "sat", note="'a indiqué la police' is the source")]),
    P("fr", "speech_act", "2025-03-10",
      "« On va se battre jusqu'au bout », chantaient les supporters dans les rues de Lens "
      "après la victoire de leur équipe."),
    P("fr", "speech_act", "2025-03-12",
      "Le ministère des Affaires étrangères a condamné mardi à Paris l'arrestation d'un "
      "journaliste français à Bamako et a exigé sa libération immédiate.",
      [E("accusation", "Le ministère des Affaires étrangères a condamné", "Paris", "FR",
         "tue", actors=("ministère des Affaires étrangères",)),
       E("demand", "Le ministère des Affaires étrangères a condamné", "Paris", "FR", "tue",
         actors=("ministère des Affaires étrangères",)),
       E("arrest", "Le ministère des Affaires étrangères a condamné", "Bamako", "ML", None,
         actors=("journaliste français",), note="the arrest is not dated")]),
    P("fr", "speech_act", "2025-03-12",
      "« Ils accusent toujours les mêmes », a soupiré un habitant du quartier, interrogé "
      "par notre journal à Grenoble."),
    P("fr", "speech_act", "2025-03-12",
      "Deux adolescents ont été interpellés lundi à Rennes après des vols dans un "
      "supermarché, a précisé le parquet, qui a déclaré que les deux jeunes seraient "
      "présentés à un juge.",
      [E("arrest", "Deux adolescents ont été interpellés lundi à Rennes", "Rennes", "FR",
         "mon", actors=("deux adolescents",))]),
    # --- dates from other sentences, birth and completion years ------------------------
    P("en", "date_source", "2025-03-12",
      "Police arrested a 52-year-old man in Denver on Friday over the theft of copper "
      "cable from a rail depot. The man, born in 1972, had worked at the depot until 2019.",
      [E("arrest", "Police arrested a 52-year-old man in Denver", "Denver", "US", "fri")]),
    P("en", "date_source", "2025-03-12",
      "Protesters blocked the entrance to the building site of a new dam near Vila Real "
      "on Monday. The dam, due to be completed in 2027, will flood three villages.",
      [E("protest", "Protesters blocked the entrance", "Vila Real", "PT", "mon")]),
    P("en", "date_source", "2025-03-14",
      "In other news, the city council of Atlanta approved a new budget in June 2023. "
      "On Wednesday, hundreds of nurses held a rally outside a hospital in Atlanta to "
      "protest against staff shortages.",
      [E("protest", "On Wednesday, hundreds of nurses held a rally", "Atlanta", "US", "wed",
         actors=("nurses",))]),
    P("en", "date_source", "2025-03-12",
      "Gunmen killed five worshippers at a mosque in Djibo on Sunday, security sources "
      "said. The mosque was built in 1998 with money raised by the community.",
      [E("violence_against_civilians", "Gunmen killed five worshippers", "Djibo", "BF",
         "sun", actors=("gunmen", "worshippers"))]),
    P("fr", "date_source", "2025-03-12",
      "Un homme de 63 ans, né en 1961 à Oran, a été arrêté jeudi à Toulouse pour "
      "escroquerie, a indiqué le parquet.",
      [E("arrest", "Un homme de 63 ans, né en 1961 à Oran", "Toulouse", "FR", "thu",
         note="Oran is the birthplace, 1961 the birth year")]),
    P("fr", "date_source", "2025-03-10",
      "Des habitants ont manifesté samedi à Bordeaux contre la fermeture de la maternité. "
      "L'établissement, inauguré en 1985, devait être rénové d'ici 2026.",
      [E("protest", "Des habitants ont manifesté samedi à Bordeaux", "Bordeaux", "FR",
         "sat", actors=("habitants",))]),
    P("fr", "date_source", "2025-03-15",
      "Le viaduc de Millau, achevé en 2004, a été fermé à la circulation vendredi après un "
      "accident. Par ailleurs, des agriculteurs ont bloqué mercredi une route près de "
      "Rodez pour protester contre les normes européennes.",
      [E("protest", "Par ailleurs, des agriculteurs ont bloqué mercredi", "Rodez", "FR",
         "wed", actors=("agriculteurs",))]),
    P("fr", "date_source", "2025-03-12",
      "Des soldats ont été déployés mardi à Niamey pour sécuriser l'aéroport, a annoncé "
      "l'armée nigérienne. La capitale vit sous couvre-feu nocturne depuis plusieurs mois.",
      [E("troop_deployment", "Des soldats ont été déployés mardi à Niamey", "Niamey", "NE",
         "tue", actors=("armée nigérienne",), note="the curfew is a state, not an event")]),
    # --- places from descriptions or names ---------------------------------------------
    P("en", "place_description", "2025-03-12",
      "The Manhattan tycoon, now a senator, condemned the bombing of a school in Kharkiv "
      "at a press conference in Washington on Tuesday.",
      [E("accusation", "The Manhattan tycoon, now a senator, condemned", "Washington",
         "US", "tue", actors=("senator",)),
       E("remote_violence", "The Manhattan tycoon, now a senator, condemned", "Kharkiv",
         "UA", None, note="the bombing is not dated")]),
    P("en", "place_description", "2025-03-12",
      "A Liverpool-born aid worker was abducted by gunmen in Mogadishu on Thursday, the "
      "Somali police said.",
      [E("violence_against_civilians", "A Liverpool-born aid worker was abducted",
         "Mogadishu", "SO", "thu", actors=("gunmen", "aid worker"))]),
    P("en", "place_description", "2025-03-12",
      "The former Boston prosecutor, who grew up in Dublin, was arrested in Miami on "
      "Monday on fraud charges.",
      [E("arrest", "The former Boston prosecutor", "Miami", "US", "mon")]),
    P("en", "place_description", "2025-03-12",
      "Supporters of the Paris-based opposition group rallied in Berlin on Sunday to "
      "demand new elections in Iran.",
      [E("protest", "Supporters of the Paris-based opposition group", "Berlin", "DE", "sun")]),
    P("fr", "place_description", "2025-03-14",
      "Le ministre d'origine lyonnaise a rencontré mercredi à Bruxelles son homologue "
      "ukrainien.",
      [E("meeting", "Le ministre d'origine lyonnaise a rencontré", "Bruxelles", "BE", "wed",
         actors=("ministre", "homologue ukrainien"))]),
    P("fr", "place_description", "2025-03-12",
      "Une humanitaire originaire de Bordeaux a été enlevée jeudi par des hommes armés à "
      "Gao, a indiqué une source sécuritaire.",
      [E("violence_against_civilians", "Une humanitaire originaire de Bordeaux", "Gao",
         "ML", "thu", actors=("hommes armés", "humanitaire"))]),
    P("fr", "place_description", "2025-03-12",
      "Le patron du club marseillais a été placé en garde à vue lundi à Paris dans une "
      "affaire de fraude fiscale.",
      [E("arrest", "Le patron du club marseillais", "Paris", "FR", "mon")]),
    P("fr", "place_description", "2025-03-12",
      "Des partisans de l'opposant installé à Genève ont manifesté dimanche à Kinshasa "
      "pour réclamer son retour.",
      [E("protest", "Des partisans de l'opposant installé à Genève", "Kinshasa", "CD",
         "sun")]),
    # --- modal, negated, hypothetical text, questions ----------------------------------
    P("en", "modal_negated", "2025-03-10",
      "The two sides were not able to reach an agreement after three days of talks in "
      "Geneva, which ended on Friday.",
      [E("meeting", "The two sides were not able to reach an agreement", "Geneva", "CH",
         ("2025-03-05", "2025-03-07"), note="the talks took place; the agreement did not")]),
    P("en", "modal_negated", "2025-03-12",
      "Analysts say the government might release the detained activists if the talks "
      "succeed. No date has been set for new sanctions."),
    P("en", "modal_negated", "2025-03-12",
      "Did the army really withdraw from the border town? Residents of Kupiansk say they "
      "still hear shelling most nights."),
    P("en", "modal_negated", "2025-03-12",
      "Officials in Houston did not sign the proposed water deal on Monday, and a planned "
      "protest outside city hall was called off."),
    P("en", "modal_negated", "2025-03-12",
      "If the ceasefire collapses, the army will move troops to the northern border, a "
      "minister warned in Jerusalem on Sunday.",
      [E("threat", "If the ceasefire collapses", "Jerusalem", None, "sun",
         actors=("minister",), note="the warning is the event; the troop move is hypothetical")]),
    P("fr", "modal_negated", "2025-03-12",
      "Les deux parties ne sont pas parvenues à un accord lors des discussions de jeudi à "
      "Doha.",
      [E("meeting", "Les deux parties ne sont pas parvenues", "Doha", "QA", "thu",
         note="the talks took place; the agreement did not")]),
    P("fr", "modal_negated", "2025-03-12",
      "Le gouvernement pourrait décréter un couvre-feu à Nouméa si les violences "
      "reprennent, selon des sources proches du dossier."),
    P("fr", "modal_negated", "2025-03-14",
      "L'armée a-t-elle vraiment quitté la ville ? Aucune confirmation n'a été donnée "
      "jeudi par l'état-major à Bamako."),
    P("fr", "modal_negated", "2025-03-10",
      "La manifestation prévue samedi à Lyon a été reportée par les organisateurs en "
      "raison de la météo, et aucune interpellation n'a eu lieu."),
    P("fr", "modal_negated", "2025-03-12",
      "Le Premier ministre n'a pas exclu de nouvelles sanctions contre Moscou, sans "
      "toutefois en annoncer."),
    # --- idioms ------------------------------------------------------------------------
    P("fr", "idiom", "2025-03-10",
      "Un incendie s'est déclaré dimanche soir dans un entrepôt de la zone industrielle de "
      "Strasbourg. Les pompiers ont maîtrisé le feu en deux heures."),
    P("fr", "idiom", "2025-03-14",
      "De violents combats ont opposé l'armée aux rebelles du M23 mercredi près de Goma, "
      "selon des sources locales.",
      [E("armed_clash", "De violents combats ont opposé l'armée", "Goma", "CD", "wed",
         actors=("armée", "M23"))]),
    P("fr", "idiom", "2025-03-14",
      "Les deux pays ont annoncé la reprise des négociations sur leur frontière, lors "
      "d'une rencontre jeudi à Addis-Abeba.",
      [E("meeting", "Les deux pays ont annoncé la reprise des négociations", "Addis-Abeba",
         "ET", "thu", note="'la reprise' is a resumption, not a retaking")]),
    P("fr", "idiom", "2025-03-12",
      "Le feu a pris dans la cuisine d'un restaurant de Nice mardi soir, provoquant une "
      "vive émotion dans le quartier."),
    P("fr", "idiom", "2025-03-10",
      "L'équipe a livré une véritable bataille pour arracher le match nul à Lens samedi."),
    P("fr", "idiom", "2025-03-12",
      "Le standard de la mairie a été pris d'assaut par les appels après la coupure "
      "d'électricité à Rouen."),
    P("en", "idiom", "2025-03-12",
      "The new stadium design came under fire on social media, and fans took aim at the "
      "price of season tickets."),
    P("en", "idiom", "2025-03-14",
      "Shares in the mining company were hammered on Tuesday after a report blasted its "
      "safety record, and the stock exploded back on Wednesday."),
    P("en", "idiom", "2025-03-12",
      "The coach said his side would fight to the end for promotion as they head to "
      "Sheffield on Saturday."),
    P("en", "idiom", "2025-03-10",
      "A fire broke out at a warehouse in Newark on Sunday night, and crews struggled for "
      "hours to bring it under control."),
    # --- retellings of one event -------------------------------------------------------
    P("en", "retelling", "2025-03-12",
      "A car bomb exploded near a checkpoint in Mosul on Monday, killing four soldiers. "
      "The explosion, which happened during the morning rush hour, also wounded 11 "
      "civilians. The bombing was the deadliest in the city this year, officials said.",
      [E("remote_violence", "A car bomb exploded near a checkpoint in Mosul", "Mosul", "IQ",
         "mon")]),
    P("en", "retelling", "2025-03-14",
      "Thousands of farmers marched through Brussels on Thursday against EU trade deals. "
      "The march ended peacefully near the European Parliament. Organisers said the "
      "protest had drawn 10,000 people.",
      [E("protest", "Thousands of farmers marched through Brussels", "Brussels", "BE", "thu",
         actors=("farmers",))]),
    P("en", "retelling", "2025-03-14",
      "Police in Manila arrested a suspected drug trafficker on Wednesday. The arrest "
      "followed a months-long operation, and the suspect was taken into custody without "
      "resistance, a police spokesman said.",
      [E("arrest", "Police in Manila arrested a suspected drug trafficker", "Manila", "PH",
         "wed")]),
    P("fr", "retelling", "2025-03-12",
      "Une frappe de drone a visé mardi un dépôt de carburant à Belgorod, selon le "
      "gouverneur de la région. L'attaque a provoqué un important incendie. Cette frappe "
      "est la troisième en un mois contre le site.",
      [E("remote_violence", "Une frappe de drone a visé mardi", "Belgorod", "RU", "tue")]),
    P("fr", "retelling", "2025-03-10",
      "Des milliers de personnes ont manifesté samedi à Tunis contre la vie chère. Le "
      "cortège est parti de l'avenue Bourguiba. Les manifestants ont scandé des slogans "
      "hostiles au gouvernement.",
      [E("protest", "Des milliers de personnes ont manifesté samedi à Tunis", "Tunis", "TN",
         "sat")]),
    P("fr", "retelling", "2025-03-12",
      "Trois hommes ont été arrêtés jeudi à Dakar dans une affaire de trafic de migrants. "
      "Leur interpellation fait suite à une enquête de plusieurs mois, a précisé la "
      "gendarmerie.",
      [E("arrest", "Trois hommes ont été arrêtés jeudi à Dakar", "Dakar", "SN", "thu")]),
    # --- two events in one sentence ----------------------------------------------------
    P("en", "two_events", "2025-03-14",
      "Russian forces shelled Kherson and launched drones at Odesa on Thursday, Ukrainian "
      "officials said.",
      [E("remote_violence", "Russian forces shelled Kherson", "Kherson", "UA", "thu",
         actors=("Russian forces",)),
       E("remote_violence", "Russian forces shelled Kherson", "Odesa", "UA", "thu",
         actors=("Russian forces",))]),
    P("en", "two_events", "2025-03-12",
      "A gunman shot dead a shopkeeper in Baltimore on Tuesday and was arrested by police "
      "hours later.",
      [E("violence_against_civilians", "A gunman shot dead a shopkeeper", "Baltimore", "US",
         "tue"),
       E("arrest", "A gunman shot dead a shopkeeper", "Baltimore", "US", "tue")]),
    P("en", "two_events", "2025-03-12",
      "The presidents of Kenya and Tanzania met in Arusha on Monday and signed a deal on "
      "cross-border trade.",
      [E("meeting", "The presidents of Kenya and Tanzania met", "Arusha", "TZ", "mon"),
       E("agreement", "The presidents of Kenya and Tanzania met", "Arusha", "TZ", "mon")]),
    P("fr", "two_events", "2025-03-12",
      "Les rebelles ont pris le contrôle de la ville de Bunia mardi, puis ont tué deux "
      "commerçants sur le marché central.",
      [E("territory_change", "Les rebelles ont pris le contrôle", "Bunia", "CD", "tue",
         actors=("rebelles",)),
       E("violence_against_civilians", "Les rebelles ont pris le contrôle", "Bunia", "CD",
         "tue", actors=("rebelles", "commerçants"))]),
    P("fr", "two_events", "2025-03-12",
      "Le président français a reçu lundi à Paris son homologue kényan et les deux hommes "
      "ont signé un accord de défense.",
      [E("meeting", "Le président français a reçu lundi à Paris", "Paris", "FR", "mon"),
       E("agreement", "Le président français a reçu lundi à Paris", "Paris", "FR", "mon")]),
    P("fr", "two_events", "2025-03-12",
      "Des manifestants ont incendié des voitures à Dakar jeudi et la police a arrêté une "
      "trentaine de personnes.",
      [E("riot", "Des manifestants ont incendié des voitures", "Dakar", "SN", "thu"),
       E("arrest", "Des manifestants ont incendié des voitures", "Dakar", "SN", "thu")]),
    # --- reported old events -----------------------------------------------------------
    P("en", "old_event", "2025-03-19",
      "Ten years after the attack on the Bardo museum in Tunis, survivors gathered there "
      "on Tuesday to remember the victims. The 2015 attack by two gunmen killed 22 people.",
      [E("violence_against_civilians", "The 2015 attack by two gunmen killed", "Tunis",
         "TN", ("2015-01-01", "2015-12-31"), actors=("gunmen",),
         note="an old event the story is about, with its own place and year; the "
              "commemoration is not a coded type")]),
    P("en", "old_event", "2025-03-12",
      "Police in Minneapolis arrested a man on Monday in connection with an arson attack "
      "on a police station during the riots of May 2020.",
      [E("arrest", "Police in Minneapolis arrested a man on Monday", "Minneapolis", "US",
         "mon"),
       E("riot", "Police in Minneapolis arrested a man on Monday", "Minneapolis", "US",
         ("2020-05-01", "2020-05-31"),
         note="old event with its own date; the arrest is about it")]),
    P("en", "old_event", "2025-03-14",
      "Like the floods and protests of earlier years, the crisis has tested the "
      "government. Ministers met in Canberra on Wednesday to discuss relief funding.",
      [E("meeting", "Ministers met in Canberra on Wednesday", "Canberra", "AU", "wed",
         actors=("ministers",), note="the earlier protests have no date or place")]),
    P("fr", "old_event", "2025-03-12",
      "Le procès des auteurs présumés de l'attaque du 12 mai 2021 contre une patrouille "
      "de l'armée à Ménaka s'est ouvert lundi à Bamako.",
      [E("armed_clash", "Le procès des auteurs présumés", "Ménaka", "ML", "2021-05-12",
         note="old event with its own date and place, the subject of the trial; the "
              "trial's opening is not a coded type")]),
    P("fr", "old_event", "2025-03-14",
      "Comme lors des émeutes de 2005, les habitants redoutent de nouvelles violences. "
      "Mercredi, des jeunes ont lancé des pierres sur des policiers à Clichy-sous-Bois.",
      [E("riot", "Mercredi, des jeunes ont lancé des pierres", "Clichy-sous-Bois", "FR",
         "wed", actors=("jeunes", "policiers"),
         note="the 2005 riots are background without a place of their own")]),
    P("fr", "old_event", "2025-03-10",
      "Le village avait souffert de longues années de guerre. Samedi, ses habitants ont "
      "reçu une aide alimentaire distribuée par le Croissant-Rouge à Idlib.",
      [E("aid", "Samedi, ses habitants ont reçu une aide alimentaire", "Idlib", "SY", "sat",
         actors=("Croissant-Rouge",))]),
    # --- no event at all ---------------------------------------------------------------
    P("en", "no_event", "2025-03-12",
      "Temperatures in Phoenix are expected to reach 30C this weekend, forecasters said, "
      "and the city's parks department has extended opening hours at public pools."),
    P("en", "no_event", "2025-03-14",
      "The central bank kept its key interest rate unchanged at 4.5% on Thursday, citing "
      "slowing inflation and a weaker labour market."),
    P("en", "no_event", "2025-03-10",
      "A new exhibition of Viking treasures opened at the British Museum in London on "
      "Saturday and will run until September."),
    P("fr", "no_event", "2025-03-12",
      "Le festival de jazz de Marciac accueillera cette année plus de 200 concerts, ont "
      "annoncé mardi les organisateurs."),
    P("fr", "no_event", "2025-03-12",
      "Une nouvelle ligne de TER relie désormais Lyon à Grenoble, avec un train toutes les "
      "trente minutes aux heures de pointe."),
    P("fr", "no_event", "2025-03-12",
      "Il fera beau et chaud sur la Côte d'Azur ce week-end, avec des températures proches "
      "de 25 degrés à Nice."),
]


def resolve_date(pub: str, spec: str | tuple[str, str] | None) -> tuple[str | None, str | None]:
    """Gold start and end of a date spec against the publication date."""
    if spec is None:
        return None, None
    if isinstance(spec, tuple):
        return spec
    if spec in WEEKDAYS:
        day = dt.date.fromisoformat(pub)
        back = (day.weekday() - WEEKDAYS.index(spec)) % 7 or 7
        d = (day - dt.timedelta(days=back)).isoformat()
        return d, d
    return spec, spec


def sentence_of(text: str, start: str) -> str:
    """The sentence of ``text`` that begins with (or holds) ``start``."""
    at = text.find(start)
    if at < 0:
        raise SystemExit(f"sentence start {start!r} not in {text[:60]!r}")
    ends = [text.rfind(c, 0, at) for c in ".?!"]
    s = max(ends) + 1 if max(ends) >= 0 else 0
    e = min([i for i in (text.find(c, at + len(start)) for c in ".?!") if i >= 0]
            or [len(text) - 1]) + 1
    return text[s:e].strip()


def build(gazetteer: str | None) -> list[dict]:
    """The records of the set, coordinates looked up in the gazetteer."""
    from gazetteer import open_gazetteer

    rows = []
    counters: dict[str, int] = {}
    with open_gazetteer(gazetteer) as gaz:
        for p in SET:
            counters[p.lang] = counters.get(p.lang, 0) + 1
            events = []
            for e in p.events:
                start, end = resolve_date(p.pub, e.date)
                rec: dict = {"type": e.type, "sentence": sentence_of(p.text, e.sentence),
                             "place_text": e.at, "place": None, "country": e.cc,
                             "lat": None, "lon": None, "place_precision": "none",
                             "date_start": start, "date_end": end, "actors": list(e.actors),
                             "note": e.note}
                if e.at is not None:
                    if e.at not in p.text:
                        raise SystemExit(f"place {e.at!r} not in {p.text[:60]!r}")
                    kinds = [e.kind] if e.kind else (
                        ["city"] if e.precision == "point" else
                        ["country"] if e.precision == "country" else None)
                    found = gaz.search(e.query or e.at, lang=p.lang, country=e.cc,
                                       kinds=kinds, limit=1)
                    if not found:
                        raise SystemExit(f"no gazetteer place for {e.query or e.at!r} in {e.cc}")
                    c = found[0]
                    rec.update(place=f"{c.name}, {c.country_code}", country=c.country_code,
                               lat=round(c.lat, 5), lon=round(c.lon, 5),
                               place_precision=e.precision)
                events.append(rec)
            rows.append({"id": f"prec-{p.lang}-{counters[p.lang]:03d}", "corpus": "precision",
                         "lang": p.lang, "case": p.case, "pub_date": p.pub, "text": p.text,
                         "events": events})
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gazetteer")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    rows = build(args.gazetteer)
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{OUT} differs from what build_set.py writes")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    langs = {lang: sum(r["lang"] == lang for r in rows) for lang in ("en", "fr")}
    print(f"wrote {OUT}: {len(rows)} paragraphs ({langs}), "
          f"{sum(len(r['events']) for r in rows)} gold events")
    return 0


if __name__ == "__main__":
    sys.exit(main())
