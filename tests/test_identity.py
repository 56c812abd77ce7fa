"""The identity stage: retellings of one happening merge, different happenings stay apart."""

from __future__ import annotations

import datetime as dt

import pytest

from geomap.identity import event_id, identify, place_within, same_happening
from geomap.records import DateResolution, Event, Source
from geomap.taxonomy import EVENT_TYPES, FAMILIES, family_of
from geomap.testing import place

D = dt.date
APRIL = DateResolution(D(2025, 4, 1), D(2025, 4, 30), "month", "exact", text="en avril")
SAT = DateResolution(D(2025, 4, 26), D(2025, 4, 26), "day", "exact", text="samedi")
SUN = DateResolution(D(2025, 4, 27), D(2025, 4, 27), "day", "exact", text="dimanche")
SINCE_AUG = DateResolution(D(2024, 8, 1), D(2025, 4, 30), "month", "range",
                           text="depuis août 2024")
RUSSIA = place("Russia", 60.0, 100.0, country="RU", feature="PCLI", geonameid=2017370)
OBLAST = place("Kursk Oblast", 51.7, 36.2, country="RU", feature="ADM1", admin1="41",
               geonameid=538555)
KURSK = place("Kursk", 51.73, 36.19, country="RU", admin1="41", geonameid=538560)
SUDZHA = place("Sudzha", 51.19, 35.27, country="RU", admin1="41", geonameid=487928)
MOSCOW = place("Moscow", 55.75, 37.62, country="RU", admin1="48", geonameid=524901)
SPRINGFIELD = place("Springfield", 39.80, -89.64, country="US", admin1="IL", geonameid=4250542)
ILLINOIS = place("Illinois", 40.0, -89.25, country="US", feature="ADM1", admin1="IL",
                 geonameid=4896861)


def ev(kind, where, when, sentence, trigger, actors=(), doc="a", confidence=0.6):  # type: ignore[no-untyped-def]
    return Event(kind, where, when, sentence, trigger, actors=tuple(actors),
                 confidence=confidence, source=Source(doc))


def test_every_type_has_one_family():
    assert sorted(t for ts in FAMILIES.values() for t in ts) == sorted(EVENT_TYPES)
    assert family_of("riot") == family_of("protest") != family_of("arrest")


def test_places_nest_by_country_admin_area_and_distance():
    assert place_within(KURSK, OBLAST) and place_within(KURSK, RUSSIA)
    assert place_within(OBLAST, RUSSIA) and not place_within(RUSSIA, OBLAST)
    assert not place_within(MOSCOW, OBLAST) and not place_within(SUDZHA, KURSK)
    assert place_within(SPRINGFIELD, ILLINOIS) and not place_within(SPRINGFIELD, RUSSIA)


def test_a_retaking_retold_in_french_is_one_event_with_every_telling():
    told = [
        ev("territory_change", OBLAST, SAT, "L'armée a repris samedi la région de Koursk.",
           "repris", confidence=0.7),
        ev("armed_clash", OBLAST, APRIL, "De violents combats ont eu lieu dans la région.",
           "combats", confidence=0.5),
        ev("territory_change", KURSK, APRIL, "Cette reprise de Koursk a été saluée à Moscou.",
           "reprise", confidence=0.6),
        ev("territory_change", OBLAST, SINCE_AUG,
           "Les forces ukrainiennes occupaient une partie de la région depuis août 2024.",
           "occupaient", confidence=0.6),
    ]
    events = identify(told)
    assert [(e.type, e.place.name, e.mention_count) for e in events] == [
        ("territory_change", "Kursk", 3), ("territory_change", "Kursk Oblast", 1)]
    retaking, occupation = events
    assert retaking.date == SAT, "the most precise date of the tellings"
    assert [t.trigger for t in retaking.tellings] == ["repris", "combats", "reprise"]
    assert retaking.sentence.startswith("L'armée a repris"), "the first telling leads"
    assert retaking.confidence == max(e.confidence for e in told if e.type == retaking.type)
    assert "told 3 times" in retaking.reason
    assert occupation.date == SINCE_AUG
    assert retaking.event_id != occupation.event_id and len(retaking.event_id) == 16


def test_different_happenings_stay_apart_in_english():
    told = [
        ev("remote_violence", KURSK, SAT, "Drones struck Kursk on Saturday.", "struck"),
        ev("remote_violence", SUDZHA, SAT, "Another strike hit Sudzha.", "strike"),
        ev("statement", MOSCOW, SAT, "The ministry said the strikes were repelled.", "said",
           actors=["Russia: government"]),
        ev("violence_against_civilians", SPRINGFIELD, SAT, "A man was shot dead in Springfield.",
           "shot"),
        ev("arrest", SPRINGFIELD, SUN, "Police arrested the suspected killer on Sunday.",
           "arrested"),
        ev("violence_against_civilians", SPRINGFIELD, SUN, "A second shooting on Sunday.",
           "shooting"),
    ]
    assert len(identify(told)) == 6


def test_one_statement_per_speaker():
    kyiv = ev("statement", RUSSIA, APRIL, "Kyiv said ...", "said", actors=["Ukraine: government"])
    moscow = ev("statement", RUSSIA, APRIL, "Moscow said ...", "said",
                actors=["Russia: government"])
    again = ev("statement", MOSCOW, APRIL, "The Kremlin added ...", "added",
               actors=["Russia: government"])
    assert not same_happening(kyiv, moscow) and same_happening(moscow, again)
    assert [e.mention_count for e in identify([kyiv, moscow, again])] == [1, 2]


def test_a_country_level_retelling_does_not_chain_two_towns():
    told = [ev("remote_violence", KURSK, APRIL, "Kursk was shelled.", "shelled"),
            ev("remote_violence", SUDZHA, APRIL, "Sudzha was shelled.", "shelled"),
            ev("remote_violence", RUSSIA, APRIL, "The shelling of Russia goes on.", "shelling")]
    assert sorted(e.mention_count for e in identify(told)) == [1, 2]


@pytest.mark.parametrize("k", range(3))
def test_event_ids_are_stable_and_depend_on_the_first_telling(k):
    one = ev("protest", MOSCOW, SAT, f"Protest number {k}.", "protest")
    assert event_id(one) == event_id(ev("protest", MOSCOW, SAT, f"Protest number {k}.",
                                        "protest"))
    assert event_id(one) != event_id(ev("protest", MOSCOW, SAT, "Another.", "protest"))


def test_two_named_speakers_make_two_statements():
    chief = ev("statement", MOSCOW, SAT, "Le chef d'état-major a salué samedi les soldats.",
               "salué", actors=["Valéri Guérassimov", "Russia"])
    ministry = ev("statement", MOSCOW, SAT, "Le ministère a annoncé samedi la reprise.",
                  "annoncé", actors=["Russia: government"])
    again = ev("statement", MOSCOW, SAT, "Guérassimov a aussi remercié les officiers samedi.",
               "remercié", actors=["Valéri Guérassimov"])
    assert not same_happening(chief, ministry)
    assert same_happening(chief, again)
    assert [e.mention_count for e in identify([chief, ministry, again])] == [2, 1]
