"""The group stage: the same event told by several documents becomes one record with its sources.

Two events of different documents (a document never confirms itself) are
grouped only when they can be the same happening:

- the same type, and not ``other`` (the catch-all type says nothing of what
  happened, so two "other" events are no evidence of one happening);
- places sure enough to say where (a confidence of at least ``SURE_PLACE``: a
  "Tripoli" with nothing to tell Libya's from Lebanon's says nothing of where),
  that fit their precision: two points within 25 km; an admin area or
  region only with the same area; a country-level event never (a country says
  nothing of where in it, and two protests in one country on one day are
  usually two), so never with a point either;
- dates: two day-precise dates on the same day, with one day of slack only when
  either was not written as a date but derived from the document's date (a
  vague relative expression, or a date carried from an earlier sentence):
  "around 7 May" as written is 7 May, not 6 May; a coarser date overlapping
  the other; and a group never holds day-precise events of different days, so a
  month-precise event cannot join them together;
- actors that do not contradict (both name sides, and no side is shared);
- places their own sentences name: a place standing in for one the gazetteer
  lacks ("near Zhabichevo, Donetsk" at Donetsk) says only that the event was
  somewhere near it, and a place carried from another sentence or from the
  document says less, so two such events in one area are no evidence of one
  happening (ACLED tells two villages of one district on one day apart).

The merged event keeps the first event's sentence and place, lists every
source with its sentence and publication date, and takes the highest
confidence of the group.

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

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import replace

from gazetteer import haversine_km

from .events import own_place
from .identity import sides_contradict
from .records import DateResolution, Event, Place, Source

__all__ = ["POINT_KM", "SURE_PLACE", "date_slack", "group_events", "group_indexed",
           "same_happening", "told_by"]

#: How far apart two points may be and still be the same place (km).
POINT_KM = 25.0

#: The place confidence below which a place is no evidence of one happening.
SURE_PLACE = 0.6


def _day(d: DateResolution) -> dt.date | None:
    return d.start if d.granularity == "day" and d.start is not None and d.start == d.end \
        else None


def _derived(d: DateResolution) -> bool:
    """Whether an approximate date was derived from the document date, not written as such."""
    return d.date_type == "approximate" and "as written" not in d.reason


def date_slack(d: DateResolution) -> int:
    """The days of slack a day-precise date gets when compared across sources (0 or 1).

    A day derived from the document date (a vague relative expression, or a
    date carried from an earlier sentence) may be a day off; a day the text
    writes ("on 7 May", "around 7 May") is that day.
    """
    return 1 if _day(d) is not None and _derived(d) else 0


def _overlap(a: DateResolution, b: DateResolution) -> bool:
    """Tell whether two dates can be one happening's (see the module's rules)."""
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return a.start is None and b.start is None
    da, db = _day(a), _day(b)
    if da is not None and db is not None:
        slack = max(date_slack(a), date_slack(b))
        return abs((da - db).days) <= slack
    return a.start <= b.end and b.start <= a.end


def _near(a: Place, b: Place) -> bool:
    """Tell whether two places can be one event's, for their precision."""
    if a.level == "country" or b.level == "country":
        return False
    if min(a.confidence, b.confidence) < SURE_PLACE:
        return False
    if a.geonameid == b.geonameid:
        return True
    if a.level != "point" or b.level != "point":
        return False
    return haversine_km(a.lat, a.lon, b.lat, b.lon) <= POINT_KM


def told_by(ev: Event) -> Source:
    """The source of an event with the sentence that tells it."""
    return replace(ev.source, sentence=ev.source.sentence or ev.sentence)


def same_happening(a: Event, b: Event) -> bool:
    """Tell whether two events of different documents can be one happening.

    Parameters
    ----------
    a, b : Event
        Two events.

    Returns
    -------
    bool
        True when they have the same type (not ``other``), dates that can be one
        day's or overlap, places that fit their precision (points within 25 km,
        areas only themselves, countries never) that their own sentences name, and
        actors that do not contradict.
        Whether they come from different documents, and whether a group would
        hold two days, is for :func:`group_events` to check against the group.
    """
    return (a.type == b.type != "other" and _overlap(a.date, b.date) and _near(a.place, b.place)
            and own_place(a.reason) and own_place(b.reason) and not sides_contradict(a, b))


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
    return [ev for _, ev in group_indexed(events)]


def group_indexed(events: Sequence[Event]) -> list[tuple[int, Event]]:
    """Group as :func:`group_events` does, with the input index of each group's first event.

    Parameters
    ----------
    events : sequence of Event
        Events of one or many documents, in the order they were told.

    Returns
    -------
    list of (int, Event)
        ``(index in events of the group's first event, merged event)``, in the
        order the groups started.
    """
    merged: list[Event] = []
    first: list[int] = []
    docs: list[set[str]] = []
    days: list[list[DateResolution]] = []  # the day-precise dates of each group
    by_place: dict[tuple[str, int], list[int]] = {}
    by_cell: dict[tuple[str, int], dict[int | None, list[int]]] = {}

    def cell(ev: Event) -> tuple[int, int | None]:
        lat, lon = ev.place.lat, ev.place.lon
        row = math.floor(lat / 2.0)
        return row, (math.floor(lon / 4.0) % 90 if abs(lat) <= 60.0 else None)

    for index, ev in enumerate(events):
        area = ev.place.level != "point"  # areas are grouped with themselves only
        row, col = cell(ev)
        candidates = set(by_place.get((ev.type, ev.place.geonameid), ()))
        if not area:
            for r in (row - 1, row, row + 1):
                for c, ks in by_cell.get((ev.type, r), {}).items():
                    if c is None or col is None or min((c - col) % 90, (col - c) % 90) <= 1:
                        candidates.update(ks)
        day = _day(ev.date)
        for k in sorted(candidates):
            kept = merged[k]
            # Cheapest test first: all are pure.
            if (ev.source.doc_id not in docs[k] and same_happening(kept, ev)
                    and all(_overlap(ev.date, d) for d in days[k])):
                merged[k] = replace(kept, sources=(kept.sources or (told_by(kept),))
                                    + (told_by(ev),),
                                    confidence=max(kept.confidence, ev.confidence))
                docs[k].add(ev.source.doc_id)
                if day is not None:
                    days[k].append(ev.date)
                break
        else:
            by_place.setdefault((ev.type, ev.place.geonameid), []).append(len(merged))
            if not area:
                by_cell.setdefault((ev.type, row), {}).setdefault(col, []).append(len(merged))
            merged.append(ev)
            first.append(index)
            docs.append({s.doc_id for s in ev.all_sources})
            days.append([ev.date] if day is not None else [])
    return list(zip(first, merged, strict=True))
