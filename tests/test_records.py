import datetime as dt

import pytest

import geomap
from geomap.errors import InvalidCoordinate, InvalidDate, InvalidRecord, UnknownOption
from geomap.records import DateResolution, Event, Mention, PartialDate, Place, Source
from geomap.taxonomy import ACLED_ORDER, EVENT_TYPES, EventType, get_type, parse_types, register


@pytest.mark.parametrize("text,gran,start,end", [
    ("2025", "year", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    ("2024-02", "month", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ("2025-04-28", "day", dt.date(2025, 4, 28), dt.date(2025, 4, 28)),
    ("2025-04-28T10:00:00Z", "day", dt.date(2025, 4, 28), dt.date(2025, 4, 28)),
])
def test_partial_date_parse(text, gran, start, end):
    d = PartialDate.parse(text)
    assert (d.granularity, d.start, d.end) == (gran, start, end)


@pytest.mark.parametrize("bad", ["2025-13", "2025-02-30", "April 2025", "", "0000"])
def test_partial_date_rejects_impossible(bad):
    with pytest.raises(InvalidDate, match="date"):
        PartialDate.parse(bad)


def test_place_validates_coordinates_and_confidence():
    with pytest.raises(InvalidCoordinate, match="latitude 91"):
        Place(1, "X", 91, 0, "PPL", "FR")
    with pytest.raises(InvalidCoordinate, match="longitude 200"):
        Place(1, "X", 0, 200, "PPL", "FR")
    with pytest.raises(InvalidRecord, match="confidence"):
        Place(1, "X", 0, 0, "PPL", "FR", confidence=1.5)
    p = Place(538560, "Kursk", 51.73, 36.19, "PPLA", "RU")
    assert p.__geo_interface__ == {"type": "Point", "coordinates": (36.19, 51.73)}
    assert p.level == "point"
    assert Place(2017370, "Russia", 60, 100, "PCLI", "RU").level == "country"


def test_event_validates_type_and_precisions():
    place = Place(538560, "Kursk", 51.73, 36.19, "PPLA", "RU")
    date = DateResolution(dt.date(2025, 4, 1), dt.date(2025, 4, 30), "month", "approximate")
    ev = Event("armed_clash", place, date, "Fighting near Kursk.", source=Source("d1"))
    assert ev.time_precision == 3 and ev.plover_resolution == 4
    assert ev.all_sources == (Source("d1"),)
    with pytest.raises(InvalidRecord, match="unknown event type 'riots'; options are: .*riot"):
        Event("riots", place, date, "x")
    with pytest.raises(InvalidRecord, match="geo_precision"):
        Event("riot", place, date, "x", geo_precision=4)


def test_date_resolution_checks_order_and_precision():
    with pytest.raises(InvalidDate, match="ends before it starts"):
        DateResolution(dt.date(2025, 5, 1), dt.date(2025, 4, 1), "day", "range")
    day = DateResolution(dt.date(2025, 4, 26), dt.date(2025, 4, 26), "day", "exact")
    assert day.time_precision == 1
    week = DateResolution(dt.date(2025, 4, 21), dt.date(2025, 4, 27), "week", "approximate")
    assert week.time_precision == 2
    with pytest.raises(InvalidRecord, match="granularity"):
        DateResolution(None, None, "decade", "unresolved")


def test_mention_checks_kind_and_span():
    with pytest.raises(InvalidRecord, match="mention kind"):
        Mention(0, 3, "abc", kind="street")
    with pytest.raises(InvalidRecord, match="span"):
        Mention(5, 5, "")


def test_taxonomy_registry():
    assert set(ACLED_ORDER) == set(EVENT_TYPES)
    assert get_type("territory_change").cameo == "192"
    assert get_type("troop_deployment").plover_event == "MOBILIZE"
    with pytest.raises(UnknownOption, match="unknown event type 'riots'; options are:"):
        parse_types("riot,riots")
    assert parse_types(" riot , protest") == frozenset({"riot", "protest"})
    with pytest.raises(ValueError, match="already registered"):
        register(EventType("riot", "", "", "", "", "", "", "", ""))


def test_public_api_is_exact():
    # dir(): the pipeline's names are imported on first use, so they are not in vars() yet
    public = {n for n in dir(geomap)
              if not n.startswith("_") and type(vars(geomap).get(n)).__name__ != "module"
              and n != "annotations"}
    assert set(geomap.__all__) == public | {"__version__"}
