"""The group stage: the same event told by several documents becomes one record with its sources.

Two events are the same when they have the same type, places within a
distance that fits their precision, overlapping dates, and come from
different documents (a document never confirms itself). The merged event
keeps the first event's sentence and place, lists every source and takes the
highest confidence of the group.

Events are compared only with the groups that can hold them: of the same type
and either at the same place or in neighbouring cells of a grid, so grouping a
corpus takes near-linear time.

>>> from geomap.testing import place
>>> from geomap.records import DateResolution, Event, Source
>>> import datetime as dt
>>> day = DateResolution(dt.date(2024, 5, 1), dt.date(2024, 5, 1), "day", "exact")
>>> lyon = place("Lyon", 45.76, 4.84, country="FR", geonameid=2996944)
>>> a = Event("protest", lyon, day, "Students protested in Lyon.", source=Source("a"))
>>> b = Event("protest", lyon, day, "Students marched in Lyon.", source=Source("b"))
>>> [[s.doc_id for s in e.all_sources] for e in group_events([a, b])]
[['a', 'b']]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from .records import DateResolution, Event, Place
from .resolve import haversine_km

__all__ = ["group_events", "same_happening"]

#: How far apart two places may be and still be the same place, by precision (km).
_REACH_KM = {"point": 25.0, "admin2": 60.0, "region": 150.0, "admin1": 150.0}


def _overlap(a: DateResolution, b: DateResolution) -> bool:
    """Tell whether two dates overlap: two unresolved dates do, one alone overlaps nothing."""
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return a.start is None and b.start is None
    return a.start <= b.end and b.start <= a.end


def _near(a: Place, b: Place) -> bool:
    """Tell whether two places are close enough, for their precision, to be one event's."""
    if a.geonameid == b.geonameid:
        return True
    if "country" in (a.level, b.level):
        return False
    km = max(_REACH_KM[a.level], _REACH_KM[b.level])
    return haversine_km(a.lat, a.lon, b.lat, b.lon) <= km


def same_happening(a: Event, b: Event) -> bool:
    """Tell whether two events of different documents can be one happening.

    Parameters
    ----------
    a, b : Event
        Two events.

    Returns
    -------
    bool
        True when they have the same type, overlapping dates and places
        within the reach of their precision (25 km for towns, 60 km for
        districts, 150 km for regions and provinces; a country only matches
        itself). Whether they come from different documents is for
        :func:`group_events` to check against all the sources of a group.
    """
    return a.type == b.type and _overlap(a.date, b.date) and _near(a.place, b.place)


def group_events(events: Sequence[Event]) -> list[Event]:
    """Merge the same event told by several documents into one record.

    Each event joins the first group kept so far (in input order) that holds
    no source of its document and whose first event is the same happening
    (:func:`same_happening`); else it starts a group. Only groups of the same
    type at the same place, or in the neighbouring cells of a grid (2° of
    latitude; 4° of longitude up to 60°, one band beyond), are compared, since
    no other can be within reach.

    Parameters
    ----------
    events : sequence of Event
        Events of one or many documents, in the order they were told.

    Returns
    -------
    list of Event
        One per group, in the order the groups started: the group's first
        event with every source (``all_sources``) and the highest confidence.
    """
    merged: list[Event] = []
    docs: list[set[str]] = []
    by_place: dict[tuple[str, int], list[int]] = {}
    by_cell: dict[tuple[str, int], dict[int | None, list[int]]] = {}

    def cell(ev: Event) -> tuple[int, int | None]:
        lat, lon = ev.place.lat, ev.place.lon
        row = math.floor(lat / 2.0)
        return row, (math.floor(lon / 4.0) % 90 if abs(lat) <= 60.0 else None)

    for ev in events:
        country = ev.place.level == "country"
        row, col = cell(ev)
        candidates = set(by_place.get((ev.type, ev.place.geonameid), ()))
        if not country:
            for r in (row - 1, row, row + 1):
                for c, ks in by_cell.get((ev.type, r), {}).items():
                    if c is None or col is None or min((c - col) % 90, (col - c) % 90) <= 1:
                        candidates.update(ks)
        for k in sorted(candidates):
            kept = merged[k]
            # Cheapest test first: all three are pure.
            if (ev.source.doc_id not in docs[k] and _overlap(kept.date, ev.date)
                    and _near(kept.place, ev.place)):
                merged[k] = replace(kept, sources=kept.all_sources + (ev.source,),
                                    confidence=max(kept.confidence, ev.confidence))
                docs[k].add(ev.source.doc_id)
                break
        else:
            by_place.setdefault((ev.type, ev.place.geonameid), []).append(len(merged))
            if not country:
                by_cell.setdefault((ev.type, row), {}).setdefault(col, []).append(len(merged))
            merged.append(ev)
            docs.append({s.doc_id for s in ev.all_sources})
    return merged
