"""The identity stage: the retellings of one happening in a document become one event.

A news article tells its main event in the headline, the lede, the body and
the quotes ("Troops retook X on Saturday ... the retaking of X ... this
retaking"). Detection finds each telling; this stage clusters them. Two
tellings are the same happening when

- their types share a family (:data:`geomap.taxonomy.FAMILIES`);
- their places are the same, or one lies inside the other (a town inside
  its province or country);
- their dates overlap and start in the same unit of the coarser precision
  (the same day when both are days);
- for what was said, their speakers do not contradict (both name sides, and
  no side is shared).

A cluster keeps every telling, takes the most specific place and the most
precise date among them, and the confidence of its best telling, whose
evidence counts how often the article tells its type (corroboration). Different
happenings stay apart: two towns struck, a statement about an attack and
the attack, a killing and the arrest of the killer, a retaking this month
and an occupation since last year.

>>> from geomap.testing import place
>>> from geomap.records import DateResolution, Event, Source
>>> import datetime as dt
>>> april = DateResolution(dt.date(2025, 4, 1), dt.date(2025, 4, 30), "month", "exact")
>>> oblast = place("Kursk Oblast", 51.7, 36.2, country="RU", feature="ADM1", admin1="41")
>>> city = place("Kursk", 51.73, 36.19, country="RU", admin1="41", geonameid=2)
>>> told = [Event("territory_change", oblast, april, "Troops retook the region.", "retook"),
...         Event("territory_change", city, april, "The retaking of Kursk ...", "retaking")]
>>> [(e.type, e.place.name, e.mention_count) for e in identify(told)]
[('territory_change', 'Kursk', 2)]
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from gazetteer import haversine_km

from .records import DateResolution, Event, Place, Telling
from .taxonomy import family_of

__all__ = ["identify", "same_happening", "sides_contradict", "place_within", "event_id",
           "tellings_of"]

#: Place levels from the most specific to the least.
_LEVEL_RANK = {"point": 0, "admin2": 1, "region": 2, "admin1": 3, "country": 4}
_GRANULARITY_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4}
#: Two points this close are one place told by two gazetteer entries (a town and its station).
_SAME_POINT_KM = 3.0
#: How far from an area's centre a place may lie and still be read as inside it, for
#: areas whose members the record cannot tell (admin-2 areas and natural regions).
_INSIDE_KM = {"admin2": 60.0, "region": 250.0}


def _rank(place: Place) -> int:
    return _LEVEL_RANK[place.level]


def place_within(inner: Place, outer: Place) -> bool:
    """Whether ``inner`` is ``outer`` or lies inside it, as far as the records tell.

    Parameters
    ----------
    inner, outer : Place

    Returns
    -------
    bool
        True for the same place (same id, or two points within a few kilometres),
        for anything in the country of a country, for anything in the admin-1 area
        of an admin-1 area, and for anything near the centre of an admin-2 area
        or region of the same country.
    """
    if inner.geonameid == outer.geonameid:
        return True
    if _rank(inner) > _rank(outer):
        return False
    level = outer.level
    if level == "country":
        return inner.country is not None and inner.country == outer.country
    if level == "admin1":
        return (inner.country == outer.country and outer.admin1 is not None
                and inner.admin1 == outer.admin1)
    km = haversine_km(inner.lat, inner.lon, outer.lat, outer.lon)
    if level == "point":
        return inner.level == "point" and km <= _SAME_POINT_KM
    return inner.country == outer.country and km <= _INSIDE_KM[level]


def _places_fit(a: Place, b: Place) -> bool:
    return place_within(a, b) or place_within(b, a)


def _truncated(day: dt.date, granularity: str) -> tuple[int, ...]:
    if granularity == "day":
        return (day.year, day.month, day.day)
    if granularity == "week":
        return day.isocalendar()[:2]
    if granularity == "month":
        return (day.year, day.month)
    if granularity == "quarter":
        return (day.year, (day.month - 1) // 3)
    return (day.year,)


def _dates_fit(a: DateResolution, b: DateResolution) -> bool:
    """Overlapping, and starting in the same unit of the coarser of the two precisions.

    "Since August 2024" (a range to the publication date) overlaps April 2025
    but starts in another month: an occupation since August is not a retaking
    in April.
    """
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return True
    if not (a.start <= b.end and b.start <= a.end):
        return False
    coarser = max(a.granularity, b.granularity, key=lambda g: _GRANULARITY_RANK.get(g, 5))
    return _truncated(a.start, coarser) == _truncated(b.start, coarser)


def _sides(event: Event) -> frozenset[str]:
    """The sides an event's actors name: "Russia" of "Russia: military forces"."""
    return frozenset(a.split(":", 1)[0].strip() for a in event.actors if ":" in a)


def sides_contradict(a: Event, b: Event) -> bool:
    """Whether two events' actors name sides and share none ("Russia: ..." vs "Ukraine: ...").

    Parameters
    ----------
    a, b : Event

    Returns
    -------
    bool
    """
    sa, sb = _sides(a), _sides(b)
    return bool(sa and sb and not sa & sb)


def _speakers_differ(a: Event, b: Event) -> bool:
    """Whether two statements name different first actors ("Kim Jong Un", "North Korea: ...")."""
    if not a.actors or not b.actors:
        return False
    x, y = a.actors[0].split(":", 1)[0].casefold(), b.actors[0].split(":", 1)[0].casefold()
    return x not in y and y not in x


def same_happening(a: Event, b: Event) -> bool:
    """Whether two event tellings can be the same happening (see the module's rules).

    Parameters
    ----------
    a, b : Event

    Returns
    -------
    bool
    """
    if family_of(a.type) != family_of(b.type):
        return False
    if not _places_fit(a.place, b.place) or not _dates_fit(a.date, b.date):
        return False
    if family_of(a.type) != "verbal":
        return True
    # One statement per speaker: two speakers of different sides said two things,
    # and so did two statements whose first actors (their speakers) are different.
    return not sides_contradict(a, b) and not (
        a.type == b.type == "statement" and _speakers_differ(a, b))


def _specificity(event: Event) -> tuple[int, int, float]:
    gran = _GRANULARITY_RANK.get(event.date.granularity, 5) if event.date.start else 6
    return (_rank(event.place), gran, -event.confidence)


def tellings_of(event: Event) -> tuple[Telling, ...]:
    """The tellings of an event; an event from detection is told once, by its sentence."""
    return event.tellings or (Telling(event.source.doc_id, event.sentence, event.trigger,
                                      reason=event.reason),)


def event_id(event: Event) -> str:
    """A stable id: a hash of the type, the place, the date and the first telling.

    Reruns, exports and the store line up on it.

    Parameters
    ----------
    event : Event

    Returns
    -------
    str
        16 hexadecimal digits.
    """
    first = tellings_of(event)[0]
    key = "\x1f".join([event.type, str(event.place.geonameid), str(event.date.start),
                       str(event.date.end), first.doc_id, first.sentence, first.trigger,
                       str(first.start)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _merge(cluster: list[Event], in_order: list[Event]) -> Event:
    """One event of the tellings of one happening.

    ``cluster`` is ordered from the most specific telling, ``in_order`` as the
    document tells them.
    """
    first = in_order[0]
    told = [t for e in in_order for t in tellings_of(e)]
    if len(cluster) == 1:
        one = replace(cluster[0], tellings=tuple(told))
        return replace(one, event_id=event_id(one))
    where = cluster[0]
    when = min(cluster, key=lambda e: _specificity(e)[1])
    counts = Counter(e.type for e in cluster)
    best = max(cluster, key=lambda e: (counts[e.type], e.confidence))
    # Corroboration is in each telling's evidence already (how often the article
    # tells the type, :mod:`geomap.events.score`): the event is as sure as its best telling.
    confidence = max(e.confidence for e in cluster)
    actors = tuple(dict.fromkeys(a for e in cluster for a in e.actors))
    reason = (f"told {len(told)} times; place from '{where.trigger}' "
              f"({where.place.name}, the most specific), date from '{when.trigger}' "
              f"({when.date.granularity}); first told: {first.reason}")
    merged = replace(first, type=best.type, subtype=best.subtype, place=where.place,
                     place_text=where.place_text, geo_precision=where.geo_precision,
                     date=when.date, actors=actors, confidence=confidence, reason=reason,
                     tellings=tuple(told))
    return replace(merged, event_id=event_id(merged))


def identify(events: Sequence[Event]) -> list[Event]:
    """Cluster the event tellings of one document into events.

    Parameters
    ----------
    events : sequence of Event
        What detection found in one document, one event per telling.

    Returns
    -------
    list of Event
        One per happening, in the order each was first told, each with all its
        tellings (:attr:`Event.tellings`), the most specific place and the most
        precise date among them, and an :attr:`Event.event_id`.

    Notes
    -----
    Tellings are taken from the most specific to the least, and each joins the
    largest cluster whose every member it fits (complete linkage), so a
    country-level retelling cannot chain two towns of that country together.
    """
    order = sorted(range(len(events)), key=lambda k: (_specificity(events[k]), k))
    clusters: list[list[int]] = []
    for k in order:
        fits = [c for c in clusters if all(same_happening(events[k], events[j]) for j in c)]
        if fits:
            max(fits, key=len).append(k)
        else:
            clusters.append([k])
    clusters.sort(key=min)
    return [_merge([events[k] for k in c], [events[k] for k in sorted(c)]) for c in clusters]
