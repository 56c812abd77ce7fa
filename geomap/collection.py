"""A collection of events with filters and the ways out (GeoJSON, GeoDataFrame, map)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

from .errors import InvalidDate, InvalidRecord
from .records import Event, PartialDate
from .taxonomy import parse_types

if TYPE_CHECKING:
    import folium
    import geopandas

__all__ = ["EventCollection", "event_filter", "filter_events", "parse_bound"]

DateLike = str | dt.date | PartialDate | None


def parse_bound(value: DateLike, *, end: bool = False, name: str = "date") -> dt.date | None:
    """Turn ``"2025-04"``, a date or a PartialDate into the first (or last) day it covers.

    >>> parse_bound("2025-04", end=True)
    datetime.date(2025, 4, 30)
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    partial = value if isinstance(value, PartialDate) else None
    if partial is None:
        try:
            partial = PartialDate.parse(str(value))
        except InvalidDate as err:
            raise InvalidDate(f"{name} {err}") from err
    return partial.end if end else partial.start


def event_filter(
    *,
    start: DateLike = None,
    end: DateLike = None,
    types: str | Sequence[str] | None = None,
    country: str | Sequence[str] | None = None,
    min_confidence: float | None = None,
) -> Callable[[Event], bool]:
    """A test keeping events in the date range, of the given types, countries and confidence.

    The bounds are checked now, so a bad one fails before any event is read;
    the test then applies to events one at a time (a stream from the store).
    An event is kept when its date range overlaps ``[start, end]``; with a
    date bound, events with no resolved date are dropped. ``start`` after
    ``end`` raises :class:`~geomap.errors.InvalidDate`.

    Returns
    -------
    callable
        ``keep(event) -> bool``.
    """
    lo = parse_bound(start, name="--from")
    hi = parse_bound(end, end=True, name="--to")
    if lo and hi and lo > hi:
        raise InvalidDate(f"--from {start} is after --to {end}; swap them")
    wanted = parse_types(types)
    if isinstance(country, str):
        countries = {c.strip().upper() for c in country.split(",") if c.strip()}
    else:
        countries = {c.upper() for c in country} if country else set()
    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
        raise InvalidRecord(f"--min-confidence {min_confidence} is outside [0, 1]")

    def keep(ev: Event) -> bool:
        if wanted is not None and ev.type not in wanted:
            return False
        if countries and (ev.place.country or "").upper() not in countries:
            return False
        if min_confidence is not None and ev.confidence < min_confidence:
            return False
        if lo or hi:
            if ev.date.start is None or ev.date.end is None:
                return False
            if lo and ev.date.end < lo:
                return False
            if hi and ev.date.start > hi:
                return False
        return True

    return keep


def filter_events(
    events: Iterable[Event],
    *,
    start: DateLike = None,
    end: DateLike = None,
    types: str | Sequence[str] | None = None,
    country: str | Sequence[str] | None = None,
    min_confidence: float | None = None,
) -> list[Event]:
    """Keep the events inside the date range, of the given types, countries and confidence.

    An event is kept when its date range overlaps ``[start, end]``; with a date
    bound, events with no resolved date are dropped. ``start`` after ``end``
    raises :class:`~geomap.errors.InvalidDate`. :func:`event_filter` gives the
    same test for a stream.
    """
    keep = event_filter(start=start, end=end, types=types, country=country,
                        min_confidence=min_confidence)
    return [ev for ev in events if keep(ev)]


class EventCollection(Sequence[Event]):
    """The events of a run: a sequence with filters and exports.

    ``shapes`` returns a country's GeoJSON geometry for the map (the
    gazetteer's ``country_shape``); ``skipped`` lists inputs that were skipped
    with the reason.
    """

    def __init__(
        self,
        events: Iterable[Event] = (),
        *,
        skipped: Sequence[tuple[str, str]] = (),
        shapes: Callable[[str], dict[str, Any] | None] | None = None,
    ) -> None:
        self._events = tuple(events)
        self.skipped = list(skipped)
        self.shapes = shapes

    @overload
    def __getitem__(self, i: int) -> Event: ...
    @overload
    def __getitem__(self, i: slice) -> EventCollection: ...
    def __getitem__(self, i: int | slice) -> Event | EventCollection:
        if isinstance(i, slice):
            return self._with(self._events[i])
        return self._events[i]

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __repr__(self) -> str:
        types = sorted({e.type for e in self._events})
        return f"<EventCollection {len(self)} events: {', '.join(types)}>"

    def _with(self, events: Iterable[Event]) -> EventCollection:
        return EventCollection(events, skipped=self.skipped, shapes=self.shapes)

    def filter(
        self,
        start: DateLike = None,
        end: DateLike = None,
        types: str | Sequence[str] | None = None,
        country: str | Sequence[str] | None = None,
        min_confidence: float | None = None,
    ) -> EventCollection:
        """A new collection with only the matching events (see :func:`filter_events`)."""
        return self._with(filter_events(self._events, start=start, end=end, types=types,
                                        country=country, min_confidence=min_confidence))

    def to_geojson(self) -> dict[str, Any]:
        """An RFC 7946 FeatureCollection."""
        from .export import to_geojson

        return to_geojson(self._events)

    def to_geodataframe(self) -> geopandas.GeoDataFrame:
        """A GeoDataFrame in EPSG:4326, one row per event."""
        from .export import to_geodataframe

        return to_geodataframe(self._events)

    def to_map(self, **kwargs: Any) -> folium.Map:
        """A folium map (shown inline in Jupyter).

        Keywords go to :func:`geomap.render.render_map`.
        """
        from .render import render_map

        kwargs.setdefault("country_shapes", self.shapes)
        return render_map(self._events, **kwargs)

    def _repr_html_(self) -> str:
        return str(self.to_map()._repr_html_())
