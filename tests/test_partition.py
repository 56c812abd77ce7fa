"""Grouping from the store, partition by partition, gives what grouping all events at once gives."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_group import events

from geomap.engine.partition import EventTable
from geomap.export import from_geojson, to_geojson
from geomap.group import group_events
from geomap.records import DateResolution, Event, Source
from geomap.testing import place


def _documents(evs: list[Event]) -> list[str]:
    """Each event as its own document's feature array (as the store holds them)."""
    return [json.dumps(to_geojson([ev])["features"]) for ev in evs]


def _round_trip(evs: list[Event]) -> list[Event]:
    return from_geojson(to_geojson(evs))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow,
                                                   HealthCheck.function_scoped_fixture],
          deadline=None)
@given(st.lists(events(), max_size=40))
def test_partitioned_grouping_equals_grouping_at_once(tmp_path: Path, evs: list[Event]) -> None:
    with EventTable(tmp_path / "store.sqlite") as table:
        assert table.load(_documents(evs)) == len(evs)
        n = table.group()
        got = list(table.groups())
        assert list(table.events()) == _round_trip(evs)
    want = group_events(_round_trip(evs))
    assert n == len(want)
    assert got == _round_trip(want)


def test_partitions_keep_apart_what_cannot_meet_and_join_what_can(tmp_path: Path) -> None:
    day = DateResolution(dt.date(2024, 5, 1), dt.date(2024, 5, 1), "day", "exact")
    later = DateResolution(dt.date(2024, 5, 20), dt.date(2024, 5, 20), "day", "exact")
    may = DateResolution(dt.date(2024, 5, 1), dt.date(2024, 5, 31), "month", "exact")
    lyon = place("Lyon", 45.764, 4.8357, country="FR", geonameid=2996944)
    villeurbanne = place("Villeurbanne", 45.7667, 4.8803, country="FR", geonameid=2968254)
    nantes = place("Nantes", 47.2172, -1.5534, country="FR", geonameid=2990969)
    evs = [Event("protest", lyon, day, "a", source=Source("a")),
           Event("protest", nantes, day, "b", source=Source("b")),
           Event("protest", villeurbanne, day, "c", source=Source("c")),
           Event("protest", lyon, later, "d", source=Source("d")),
           Event("protest", lyon, may, "e", source=Source("e")),
           Event("riot", lyon, day, "f", source=Source("f"))]
    with EventTable(tmp_path / "store.sqlite") as table:
        table.load(_documents(evs))
        table.group()
        got = [[s.doc_id for s in e.all_sources] for e in table.groups()]
    # The month-long event chains both days into one partition; it joins the first group.
    assert got == [["a", "c", "e"], ["b"], ["d"], ["f"]]
