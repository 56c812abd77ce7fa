"""The group stage: the same event told by several documents is one record with its sources.

The hand-built tests need no model; the property test checks the indexed
grouping against the plain definition (each event against every group kept
so far); the last tests run the real models end to end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from event_records import document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.dates import sentence_dates
from geomap.events import detect_events
from geomap.group import SURE_PLACE, group_events, same_happening, told_by
from geomap.pipeline import find_places as extract
from geomap.records import DateResolution, Document, Event, PartialDate, Place, Source
from geomap.resolve import resolve
from geomap.testing import place

DAY = DateResolution(dt.date(2024, 5, 1), dt.date(2024, 5, 1), "day", "exact")
LYON = place("Lyon", 45.764, 4.8357, country="FR", geonameid=2996944)
VILLEURBANNE = place("Villeurbanne", 45.7667, 4.8803, country="FR", geonameid=2968254)
NANTES = place("Nantes", 47.2172, -1.5534, country="FR", geonameid=2990969)
FRANCE = place("France", 46.0, 2.0, country="FR", geonameid=3017382, feature="PCLI")
UNDATED = DateResolution(None, None, "day", "unresolved")


def _ev(doc_id: str, where: Place = LYON, when: DateResolution = DAY, etype: str = "protest",
        confidence: float = 0.5) -> Event:
    return Event(etype, where, when, f"told by {doc_id}", confidence=confidence,
                 source=Source(doc_id))


def _sources(events: list[Event]) -> list[list[str]]:
    return [[s.doc_id for s in e.all_sources] for e in events]


def test_the_same_event_from_two_documents_is_one_with_both_sources():
    merged = group_events([_ev("a", confidence=0.4), _ev("b", confidence=0.7)])
    assert _sources(merged) == [["a", "b"]]
    assert merged[0].sentence == "told by a" and merged[0].confidence == 0.7


def test_a_document_never_confirms_itself():
    assert _sources(group_events([_ev("a"), _ev("a")])) == [["a"], ["a"]]


def test_type_place_and_date_keep_events_apart():
    other_day = DateResolution(dt.date(2024, 5, 9), dt.date(2024, 5, 9), "day", "exact")
    merged = group_events([_ev("a"), _ev("b", etype="riot"), _ev("c", NANTES),
                           _ev("d", when=other_day), _ev("e", VILLEURBANNE)])
    # Villeurbanne is 3.5 km from Lyon: within a town's reach; Nantes is not.
    assert _sources(merged) == [["a", "e"], ["b"], ["c"], ["d"]]


def test_a_country_never_groups_and_undated_only_undated():
    assert not same_happening(_ev("a", FRANCE), _ev("b", LYON))
    # A country says nothing of where in it: two protests in France are no evidence of one.
    assert not same_happening(_ev("a", FRANCE), _ev("b", FRANCE))
    assert not same_happening(_ev("a", when=UNDATED), _ev("b"))
    assert same_happening(_ev("a", when=UNDATED), _ev("b", when=UNDATED))


def test_hand_built_documents_group_by_place_and_date():
    def protests(doc_id: str, text: str, date: str) -> list[Event]:
        p, places = document(text, "en", date, doc_id=doc_id)
        return [e for e in detect_events(p, places, sentence_dates(p)) if e.type == "protest"]

    a = protests("a", "Students protested in Lyon on Tuesday.", "2023-03-08")
    b = protests("b", "Students demonstrated in Lyon on Tuesday.", "2023-03-08")
    c = protests("c", "Students protested in Nantes on Tuesday.", "2023-03-08")
    d = protests("d", "Students protested in Lyon on Tuesday.", "2023-05-20")
    assert [len(x) for x in (a, b, c, d)] == [1, 1, 1, 1]
    merged = group_events(a + b + c + d)
    assert [(e.place.name, [s.doc_id for s in e.all_sources]) for e in merged] == [
        ("Lyon", ["a", "b"]), ("Nantes", ["c"]), ("Lyon", ["d"])]


# -- the indexed grouping gives the plain definition's answer ---------------------------------


def _plain(events: list[Event]) -> list[Event]:
    """Grouping by its definition: each event against every group kept so far."""
    from dataclasses import replace

    merged: list[Event] = []
    members: list[list[Event]] = []
    for ev in events:
        for k, kept in enumerate(merged):
            if (ev.source.doc_id not in {s.doc_id for s in kept.all_sources}
                    and same_happening(kept, ev)
                    and all(same_happening(m, ev) for m in members[k]
                            if m.date.granularity == "day" and m.date.start == m.date.end)):
                merged[k] = replace(kept, sources=(kept.sources or (told_by(kept),))
                                    + (told_by(ev),),
                                    confidence=max(kept.confidence, ev.confidence))
                members[k].append(ev)
                break
        else:
            merged.append(ev)
            members.append([ev])
    return merged


FEATURES = ["PPL", "PPL", "PPLA", "ADM2", "ADM1", "RGN", "PCLI"]
TYPES = ["protest", "armed_clash", "arrest", "other"]


@st.composite
def events(draw: st.DrawFn) -> Event:
    lat = draw(st.floats(-70, 70)) if draw(st.booleans()) else draw(st.floats(44, 52))
    lon = draw(st.floats(-180, 180)) if draw(st.booleans()) else draw(st.floats(28, 40))
    where = Place(draw(st.integers(1, 50)), "P", lat, lon, draw(st.sampled_from(FEATURES)), "UA")
    start = dt.date(2024, 5, 1) + dt.timedelta(days=draw(st.integers(0, 20)))
    end = start + dt.timedelta(days=draw(st.integers(0, 10)))
    when = (DateResolution(start, end, "day", "exact") if draw(st.booleans()) else UNDATED)
    return Event(draw(st.sampled_from(TYPES)), where, when, "s",
                 confidence=draw(st.floats(0, 1)),
                 source=Source(f"d{draw(st.integers(0, 8))}"))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(events(), max_size=40))
def test_indexed_grouping_equals_the_plain_definition(evs: list[Event]) -> None:
    assert group_events(evs) == _plain(evs)


# -- end to end: the real model and the default gazetteer --------------------------------------


def test_grouping_merges_same_event_from_two_documents(nlp_en, gaz):
    def protests(doc_id: str, text: str) -> list[Event]:
        doc = Document(doc_id, text, lang="en", date=PartialDate.parse("2023-03-08"))
        p = extract(doc, nlp_en, gaz, "en")
        return [e for e in detect_events(p, resolve(p.mentions, gaz, lang="en"),
                                         sentence_dates(p)) if e.type == "protest"]

    a = protests("d", "Protesters rallied in Tbilisi on Tuesday.")
    b = protests("other", "Demonstrators protested in Tbilisi on Tuesday.")
    c = protests("d", "Protesters rallied in Tbilisi on Tuesday.")
    assert len(a + b + c) == 3
    merged = group_events(a + b + c)
    assert _sources(merged) == [["d", "other"], ["d"]]  # the same document twice: not merged


# -- across sources, only what can be the same event (issue: event identity) -----------------

OBLAST = place("Kharkiv Oblast", 49.5, 36.5, country="UA", feature="ADM1", admin1="07",
               geonameid=706482)
KHARKIV = place("Kharkiv", 49.9935, 36.2304, country="UA", admin1="07", geonameid=706483)
IZIUM = place("Izium", 49.2128, 37.2569, country="UA", admin1="07", geonameid=707308)
MAY = DateResolution(dt.date(2024, 5, 1), dt.date(2024, 5, 31), "month", "exact")
MAY_2 = DateResolution(dt.date(2024, 5, 2), dt.date(2024, 5, 2), "day", "exact")
MAY_2_ABOUT = DateResolution(dt.date(2024, 5, 2), dt.date(2024, 5, 2), "day", "approximate",
                             reason="'a few days ago': 3 day(s) before document date 2024-05-05")
MAY_2_AROUND = DateResolution(dt.date(2024, 5, 2), dt.date(2024, 5, 2), "day", "approximate",
                              reason="day 'around 2 May 2024' as written, approximately")


def test_places_group_only_within_their_precision():
    # An area only with the same area, never with a town inside it; a country never
    # with a point.
    assert not same_happening(_ev("a", OBLAST), _ev("b", KHARKIV))
    assert same_happening(_ev("a", OBLAST), _ev("b", OBLAST))
    assert not same_happening(_ev("a", KHARKIV), _ev("b", IZIUM))  # 130 km apart
    assert same_happening(_ev("a", LYON), _ev("b", VILLEURBANNE))


def test_days_must_agree_and_a_month_never_joins_two_days():
    assert not same_happening(_ev("a"), _ev("b", when=MAY_2))
    assert same_happening(_ev("a"), _ev("b", when=MAY_2_ABOUT)), "a day of slack"
    # "Around 2 May" as written is 2 May: no slack for a date the text gives.
    assert not same_happening(_ev("a"), _ev("b", when=MAY_2_AROUND))


def test_the_catch_all_type_never_groups():
    assert same_happening(_ev("a"), _ev("b"))
    assert not same_happening(_ev("a", etype="other"), _ev("b", etype="other"))
    merged = group_events([_ev("m", when=MAY), _ev("a"), _ev("b", when=MAY_2)])
    assert _sources(merged) == [["m", "a"], ["b"]]


def test_actors_of_opposite_sides_are_two_events():
    def side(doc: str, actor: str) -> Event:
        return Event("armed_clash", KHARKIV, DAY, f"{actor} attacked", actors=(actor,),
                     source=Source(doc))
    assert _sources(group_events([side("a", "Russia: military forces"),
                                  side("b", "Ukraine: military forces"),
                                  side("c", "Russia: military forces")])) == [["a", "c"], ["b"]]


def test_every_source_keeps_its_sentence_and_publication_date():
    a = Event("protest", LYON, DAY, "Students protested in Lyon.",
              source=Source("a", "Title A", "https://a.example/1",
                            published=PartialDate(2024, 5, 2)))
    b = Event("protest", LYON, DAY, "Thousands marched through Lyon.",
              source=Source("b", None, None, published=PartialDate(2024, 5, 1)))
    (one,) = group_events([a, b])
    assert [(s.doc_id, s.sentence) for s in one.all_sources] == [
        ("a", "Students protested in Lyon."), ("b", "Thousands marched through Lyon.")]
    assert one.first_reported == PartialDate(2024, 5, 1)


def test_a_stand_in_or_carried_place_never_groups():
    told = "trigger 'shelled' (shell); place: 'in Lyon' tied to 'shelled' by a locative"
    stand_in = ("trigger 'shelled' (shell); place: Ecully ('near Ecully' tied to 'shelled') "
                "is not in the gazetteer; Lyon, named with it")
    carried = ("trigger 'damaged' (damage); place: no place of its own; the event told just "
               "before, at Lyon")

    def ev(doc_id: str, reason: str) -> Event:
        return Event("remote_violence", LYON, DAY, f"told by {doc_id}", reason=reason,
                     source=Source(doc_id))

    assert _sources(group_events([ev("a", told), ev("b", told)])) == [["a", "b"]]
    assert _sources(group_events([ev("a", told), ev("b", stand_in)])) == [["a"], ["b"]]
    assert _sources(group_events([ev("a", stand_in), ev("b", stand_in)])) == [["a"], ["b"]]
    assert _sources(group_events([ev("a", carried), ev("b", told)])) == [["a"], ["b"]]


def test_a_parent_named_for_an_unknown_place_is_a_stand_in(nlp_en, gaz):
    # "near <a village the gazetteer lacks>, Donetsk": the event is in that
    # village, not in the city of Donetsk, so two such events of one day are
    # no evidence of one happening; "near Kurakhove, Donetsk" is Kurakhove itself.
    def shelling(doc_id: str, text: str) -> Event:
        doc = Document(doc_id, text, lang="en", date=PartialDate.parse("2024-06-04"))
        p = extract(doc, nlp_en, gaz, "en")
        (ev,) = [e for e in detect_events(p, resolve(p.mentions, gaz, lang="en"),
                                          sentence_dates(p)) if e.type == "remote_violence"]
        return ev

    unknown = [shelling("a", "On 3 June 2024, Russian artillery shelled Ukrainian positions "
                             "near Zorianivka Persha, Donetsk."),
               shelling("b", "On 3 June 2024, Russian artillery shelled Ukrainian positions "
                             "in the area of Bilohirka Nyzhnia, Donetsk."),
               shelling("c", "On 3 June 2024, an explosion hit a market in Tall Zumaira "
                             "in Deir ez-Zor.")]
    assert [e.place.name for e in unknown] == ["Donetsk", "Donetsk", "Deir ez-Zor"]
    assert all("Zorianivka Persha" in unknown[0].reason and "is not in the gazetteer" in r
               for r in [e.reason for e in unknown])
    assert "Tall Zumaira, named in it" in unknown[2].reason
    assert _sources(group_events(unknown[:2])) == [["a"], ["b"]]
    known = [shelling("d", "On 3 June 2024, Russian artillery shelled Ukrainian positions "
                           "near Kurakhove, Donetsk."),
             shelling("e", "On 3 June 2024, Russian artillery shelled Ukrainian positions "
                           "near Kurakhove.")]
    assert [e.place.name for e in known] == ["Kurakhove", "Kurakhove"]
    assert _sources(group_events(known)) == [["d", "e"]]
    city = shelling("f", "On Monday, Donetsk was shelled by Russian artillery.")
    assert "is not in the gazetteer" not in city.reason


def test_an_uncertain_place_is_no_evidence_of_one_happening():
    # "Tripoli" with nothing to tell Libya's from Lebanon's: a coin toss between
    # namesakes says nothing of where either event was.
    sure = place("Tripoli", 32.8872, 13.1913, country="LY", geonameid=2210247,
                 confidence=SURE_PLACE)
    toss = replace(sure, confidence=SURE_PLACE - 0.05)

    def ev(doc_id: str, where: Place) -> Event:
        return Event("remote_violence", where, DAY, f"Shells fell in Tripoli ({doc_id}).",
                     source=Source(doc_id))

    assert _sources(group_events([ev("a", sure), ev("b", sure)])) == [["a", "b"]]
    assert _sources(group_events([ev("a", sure), ev("b", toss)])) == [["a"], ["b"]]
    assert _sources(group_events([ev("a", toss), ev("b", toss)])) == [["a"], ["b"]]
