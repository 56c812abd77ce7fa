"""Grouping a run's events from the store, one partition at a time, so memory stays flat.

:func:`geomap.group.group_events` compares an event only with groups of the
same type whose dates overlap its own and whose place can be its own (the same
area, or a point within :data:`geomap.group.POINT_KM`). The events of a run
therefore fall into independent partitions: the same type, dates chained by
overlap (a date that may be a day off widened by that day), and places chained by
reach. Grouping each partition by itself, its events in input order, gives
exactly what grouping the whole run at once gives.

:class:`EventTable` keeps the run's events in the store's SQLite file (one
row each: its type, date span, place and GeoJSON feature), walks the
partitions in type and date order, holds only the small rows of one
date-chained partition and the features of one place-chained partition at a
time, and writes the groups back keyed by the input position of their first
event, so they stream out in the order :func:`~geomap.group.group_events`
gives them.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from gazetteer import haversine_km

from ..export import from_geojson, to_geojson
from ..group import POINT_KM, date_slack, group_indexed
from ..records import Event
from ..store import CACHE_KIB, StoreError, open_store_db

__all__ = ["EventTable"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS run_events (
    seq INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    lo INTEGER,
    hi INTEGER,
    geonameid INTEGER NOT NULL,
    point INTEGER NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    feature TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS run_events_span ON run_events (type, lo);
CREATE TABLE IF NOT EXISTS run_groups (seq INTEGER PRIMARY KEY, feature TEXT NOT NULL);
"""
_BATCH = 1000  # rows written or features read at a time

# A row: seq, geonameid, point, lat, lon.
_Row = tuple[int, int, int, float, float]


def _feature_text(event: Event) -> str:
    return json.dumps(to_geojson([event])["features"][0], ensure_ascii=False, allow_nan=False)


def _event(feature: str) -> Event:
    return from_geojson({"type": "FeatureCollection", "features": [json.loads(feature)]})[0]


class EventTable:
    """The events of a run, and their groups, in the store's SQLite file.

    Parameters
    ----------
    path : path
        The store's database file (``geomap-store.sqlite``).

    Examples
    --------
    >>> import datetime as dt, json, tempfile, pathlib
    >>> from geomap.export import to_geojson
    >>> from geomap.records import DateResolution, Event, Source
    >>> from geomap.testing import place
    >>> day = DateResolution(dt.date(2024, 5, 1), dt.date(2024, 5, 1), "day", "exact")
    >>> lyon = place("Lyon", 45.76, 4.84, country="FR", geonameid=2996944)
    >>> docs = [json.dumps(to_geojson([Event("protest", lyon, day, f"told by {d}",
    ...                                      source=Source(d))])["features"]) for d in "ab"]
    >>> with EventTable(pathlib.Path(tempfile.mkdtemp()) / "store.sqlite") as table:
    ...     table.load(docs), table.group()
    ...     [[s.doc_id for s in e.all_sources] for e in table.groups()]
    (2, 1)
    [['a', 'b']]
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._conn = open_store_db(self.path, _SCHEMA)

    def close(self) -> None:
        """Close the table's database connection."""
        self._conn.close()

    def __enter__(self) -> EventTable:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, sql: str, rows: list[tuple[object, ...]]) -> None:
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.executemany(sql, rows)
            self._conn.execute("COMMIT")
        except sqlite3.DatabaseError as err:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise StoreError(f"cannot write the result store {self.path}: {err}") from err

    def load(self, documents: Iterable[str]) -> int:
        """Replace the table's events with those of ``documents``; return how many.

        Parameters
        ----------
        documents : iterable of str
            Each document's JSON array of GeoJSON features, in input order
            (:meth:`geomap.store.Store.run_features`).
        """
        self._write("DELETE FROM run_events", [()])
        self._write("DELETE FROM run_groups", [()])
        rows: list[tuple[object, ...]] = []
        seq = 0
        for features in documents:
            feats = json.loads(features)
            if not feats:
                continue
            events = from_geojson({"type": "FeatureCollection", "features": feats})
            for feat, ev in zip(feats, events, strict=True):
                start, end = ev.date.start, ev.date.end
                if start is None:
                    lo = hi = None  # undated: with undated events only
                elif end is None:
                    lo, hi = -seq - 1, -seq - 1  # never overlaps anything: a partition alone
                else:
                    slack = date_slack(ev.date)  # widened only where grouping allows a day off
                    lo, hi = start.toordinal() - slack, end.toordinal() + slack
                rows.append((seq, ev.type, lo, hi, ev.place.geonameid,
                             int(ev.place.level == "point"), ev.place.lat, ev.place.lon,
                             json.dumps(feat, ensure_ascii=False, allow_nan=False)))
                seq += 1
            if len(rows) >= _BATCH:
                self._write("INSERT INTO run_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
                rows = []
        if rows:
            self._write("INSERT INTO run_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        return seq

    def _date_partitions(self) -> Iterator[list[_Row]]:
        """Rows of one type whose date spans chain by overlap (undated ones together)."""
        # A connection of its own: the groups are written while this walk goes on.
        reader = sqlite3.connect(self.path, timeout=60)
        reader.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        cur = reader.execute(
            "SELECT seq, type, lo, hi, geonameid, point, lat, lon FROM run_events "
            "ORDER BY type, lo IS NULL, lo, seq")
        part: list[_Row] = []
        kind: tuple[str, bool] | None = None
        reach = 0
        for seq, etype, lo, hi, gid, point, lat, lon in cur:
            here = (etype, lo is None)
            if part and (here != kind or (lo is not None and lo > reach)):
                yield part
                part = []
            if not part:
                kind, reach = here, hi if hi is not None else 0
            elif hi is not None:
                reach = max(reach, hi)
            part.append((seq, gid, point, lat, lon))
        reader.close()
        if part:
            yield part

    @staticmethod
    def _place_partitions(rows: list[_Row]) -> list[list[int]]:
        """Split rows into the sets whose places chain by reach; seqs in input order."""
        parent: dict[int, int] = {}

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for _, gid, *_ in rows:
            parent.setdefault(gid, gid)
        points = sorted({(lat, lon, gid) for _, gid, point, lat, lon in rows if point})
        # Two points within POINT_KM are less than this far apart in latitude (a degree of
        # latitude is 111.19 km on the sphere haversine_km uses): a sweep in latitude.
        window = POINT_KM / 111.0
        low = 0
        for k, (lat, lon, gid) in enumerate(points):
            while points[low][0] < lat - window:
                low += 1
            for lat2, lon2, other in points[low:k]:
                if find(other) != find(gid) and haversine_km(lat, lon, lat2, lon2) <= POINT_KM:
                    parent[find(other)] = find(gid)
        parts: dict[int, list[int]] = {}
        for seq, gid, *_ in rows:
            parts.setdefault(find(gid), []).append(seq)
        return [sorted(seqs) for seqs in parts.values()]

    def _features(self, seqs: list[int]) -> list[str]:
        out: list[str] = []
        for start in range(0, len(seqs), _BATCH):
            chunk = seqs[start:start + _BATCH]
            marks = ",".join("?" * len(chunk))
            out += [f for (f,) in self._conn.execute(
                f"SELECT feature FROM run_events WHERE seq IN ({marks}) ORDER BY seq", chunk)]
        return out

    def group(self) -> int:
        """Group the loaded events partition by partition; return how many groups.

        The groups are what :func:`geomap.group.group_events` gives on all the
        events at once, and :meth:`groups` yields them in its order.
        """
        self._write("DELETE FROM run_groups", [()])
        out: list[tuple[object, ...]] = []
        total = 0
        for rows in self._date_partitions():
            for seqs in self._place_partitions(rows):
                features = self._features(seqs)
                if len(features) == 1:  # an event alone is its own group, as it was told
                    out.append((seqs[0], features[0]))
                    continue
                for index, merged in group_indexed([_event(f) for f in features]):
                    out.append((seqs[index], _feature_text(merged)))
            if len(out) >= _BATCH:
                total += len(out)
                self._write("INSERT INTO run_groups VALUES (?, ?)", out)
                out = []
        if out:
            total += len(out)
            self._write("INSERT INTO run_groups VALUES (?, ?)", out)
        return total

    def groups(self) -> Iterator[Event]:
        """The groups of :meth:`group`, in the order their first events were told."""
        for (feature,) in self._conn.execute("SELECT feature FROM run_groups ORDER BY seq"):
            yield _event(feature)

    def events(self) -> Iterator[Event]:
        """The loaded events, ungrouped, in input order."""
        for (feature,) in self._conn.execute("SELECT feature FROM run_events ORDER BY seq"):
            yield _event(feature)
