"""Reading a built gazetteer: search, lookups by id and code, reverse geocoding."""

from __future__ import annotations

import json
import math
import os
import sqlite3
import threading
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ._fold import ARTICLES, PREPOSITIONS, elide, fold
from ._schema import APP_ID, FLAG_DERIVED, FLAG_DISPLAY, FLAG_PRIMARY, KINDS, SCHEMA_VERSION
from .errors import (
    CoordinateError,
    GazetteerCorrupt,
    GazetteerNotFound,
    GazetteerSchemaError,
    UnknownKindError,
)

__all__ = ["Candidate", "ReverseResult", "Gazetteer", "open_gazetteer", "default_path"]

_BUILD_HINT = "`geomap gazetteer build`"

# Score weights (sum 1). Population weighs most: one decade of population is
# worth a bit more than the gap between a place's own name and an alternate
# ("Odessa" is Odesa, UA before Odessa, Texas).
_W_MATCH, _W_LANG, _W_POP, _W_KIND = 0.35, 0.10, 0.45, 0.10
#: Place ids per query of :meth:`Gazetteer.names_of`: each query scans the names table
#: once (SQLite 3.32 and later take 32,766 variables).
_IDS_PER_QUERY = 30_000
_MATCH = {FLAG_PRIMARY: 1.0, 0: 0.9, FLAG_DERIVED: 0.55}
_MATCH_WORD = {FLAG_PRIMARY: "exact name", 0: "alternate name", FLAG_DERIVED: "derived name"}
_KIND_PRIOR = {
    "continent": 1.0, "country": 1.0, "region": 0.8, "admin1": 0.5, "city": 0.3, "admin2": 0.2,
}
# An admin area's population is the sum of its towns; damp it so the area only
# beats a town of the same name when it is far bigger ("Texas" vs Texas, QLD).
_ADMIN_POP_DAMP = 0.25
# A region named like a town inside it is usually the town ("Donetsk").
_CONTAINED_PENALTY = 0.1

_PLACE_COLS = (
    "p.geonameid, p.name, p.lat, p.lon, p.feature_class, p.feature_code, p.country_code, "
    "p.admin1, p.admin2, p.population, p.kind, p.bonus"
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place a name may refer to, with the score of that reading.

    Attributes
    ----------
    geonameid : int
        GeoNames id (synthetic: negative for curated rows without one,
        ``>= 10**9`` for custom places).
    name : str
        The place's primary name.
    lat, lon : float
        WGS84 degrees.
    feature_class, feature_code : str
        GeoNames feature class and code ("P"/"PPLC", "A"/"ADM1", "L"/"RGN"...).
    country_code, admin1, admin2 : str or None
        ISO 3166-1 alpha-2 country and GeoNames admin codes.
    population : int
        Population (for admin areas: the sum of their towns).
    kind : str
        One of "continent", "country", "admin1", "admin2", "city", "region".
    score : float
        0..1, higher is better (0 for records fetched by id or code).
    reason : str
        One line saying why the score.
    matched_name : str
        The name form that matched the query.
    name_lang : str or None
        Language tag of the matched form, where known.
    """

    geonameid: int
    name: str
    lat: float
    lon: float
    feature_class: str
    feature_code: str
    country_code: str | None
    admin1: str | None
    admin2: str | None
    population: int
    kind: str
    score: float = 0.0
    reason: str = ""
    matched_name: str = ""
    name_lang: str | None = None

    def __post_init__(self) -> None:
        if not (-90.0 <= self.lat <= 90.0 and -180.0 <= self.lon <= 180.0):
            raise CoordinateError(
                f"candidate {self.name!r}: coordinates out of range: lat={self.lat}, lon={self.lon}"
            )
        if self.kind not in KINDS:
            raise UnknownKindError(
                f"candidate {self.name!r}: unknown kind {self.kind!r}; options are: "
                + ", ".join(KINDS)
            )

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return {"type": "Point", "coordinates": (self.lon, self.lat)}

    def to_dict(self) -> dict[str, Any]:
        """Return the candidate as a plain JSON-able dict."""
        return {f: getattr(self, f) for f in self.__dataclass_fields__}


@dataclass(frozen=True, slots=True)
class ReverseResult:
    """The nearest populated place to a point, its admin-1 area and its country."""

    place: Candidate | None
    admin1: Candidate | None
    country: Candidate | None


def default_path() -> Path:
    """Return where the gazetteer is looked for when no path is given.

    Order: the ``GEOMAP_GAZETTEER`` environment variable, else
    ``gazetteer.sqlite`` in the user cache directory (platformdirs).

    Returns
    -------
    pathlib.Path
    """
    env = os.environ.get("GEOMAP_GAZETTEER")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("geomap")) / "gazetteer.sqlite"


def open_gazetteer(path: str | os.PathLike[str] | None = None) -> Gazetteer:
    """Open a built gazetteer read-only.

    Parameters
    ----------
    path : str or path-like, optional
        The database; ``None`` means :func:`default_path`.

    Returns
    -------
    Gazetteer

    Raises
    ------
    GazetteerNotFound
        No file there (the message names the path and the build command).
    GazetteerCorrupt, GazetteerSchemaError
        The file is not a gazetteer, or one of another schema version.
    """
    return Gazetteer(default_path() if path is None else path)


def _clamp(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (mean Earth radius 6,371.0088 km).

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : float
        Two points in degrees.

    Returns
    -------
    float

    Examples
    --------
    >>> round(haversine_km(48.8566, 2.3522, 51.5074, -0.1278))
    344
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(a)))


class Gazetteer:
    """A built gazetteer database, opened read-only.

    Safe to share between threads (queries are serialised) and to open from
    many processes at once. Use as a context manager or call :meth:`close`.

    Parameters
    ----------
    path : str or path-like
        The SQLite file written by :func:`gazetteer.build_default` or
        :func:`gazetteer.build_geonames`.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise GazetteerNotFound(
                f"no gazetteer at {self.path}; build it with {_BUILD_HINT}"
            )
        uri = self.path.resolve().as_uri() + "?mode=ro&immutable=1"
        try:
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        except sqlite3.Error as err:
            raise GazetteerCorrupt(f"cannot open gazetteer {self.path}: {err}") from err
        self._lock = threading.Lock()
        try:
            self._validate()
            self._conn.execute("PRAGMA cache_size = -65536")
            self._conn.execute("PRAGMA mmap_size = 268435456")
        except BaseException:
            self._conn.close()
            raise
        self._search_cached = lru_cache(maxsize=16384)(self._search_uncached)
        self._has_name_cached = lru_cache(maxsize=65536)(self._has_name_uncached)
        self._demonyms: dict[str, dict[str, str]] = {}
        self._region_words: dict[str | None, dict[str, str]] = {}

    # -- opening -----------------------------------------------------------

    def _validate(self) -> None:
        try:
            app_id = self._conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {
                r[0]
                for r in self._conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.DatabaseError as err:
            raise GazetteerCorrupt(
                f"{self.path} is not a geomap gazetteer ({err}); rebuild it with {_BUILD_HINT}"
            ) from err
        if app_id != APP_ID or not {"meta", "places", "names"} <= tables:
            raise GazetteerCorrupt(
                f"{self.path} is an SQLite database but not a geomap gazetteer; "
                f"rebuild it with {_BUILD_HINT}"
            )
        row = self._conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        version = row[0] if row else None
        if version != str(SCHEMA_VERSION):
            raise GazetteerSchemaError(
                f"{self.path} has gazetteer schema version {version}, this geomap needs "
                f"{SCHEMA_VERSION}; rebuild it with {_BUILD_HINT}"
            )

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Gazetteer({str(self.path)!r})"

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    # -- records -----------------------------------------------------------

    @staticmethod
    def _record(r: tuple[Any, ...]) -> Candidate:
        return Candidate(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10])

    def _one(self, where: str, params: tuple[Any, ...]) -> Candidate | None:
        rows = self._query(
            f"SELECT {_PLACE_COLS} FROM places p WHERE {where} "
            "ORDER BY p.population DESC, p.geonameid LIMIT 1",
            params,
        )
        return self._record(rows[0]) if rows else None

    def get(self, geonameid: int) -> Candidate | None:
        """Return the place with this id, or None."""
        return self._one("p.geonameid = ?", (int(geonameid),))

    def country(self, code: str) -> Candidate | None:
        """Return the country (or territory) record for an ISO 3166-1 alpha-2 code."""
        return self._one("p.country_code = ? AND p.kind = 'country'", (code.upper(),))

    def admin1(self, country_code: str, admin1_code: str) -> Candidate | None:
        """Return the admin-1 area with this GeoNames code in this country, or None."""
        return self._one(
            "p.country_code = ? AND p.kind = 'admin1' AND p.admin1 = ?",
            (country_code.upper(), admin1_code),
        )

    def admin2(self, country_code: str, admin1_code: str, admin2_code: str) -> Candidate | None:
        """Return the admin-2 area with these GeoNames codes, or None."""
        return self._one(
            "p.country_code = ? AND p.kind = 'admin2' AND p.admin1 = ? AND p.admin2 = ?",
            (country_code.upper(), admin1_code, admin2_code),
        )

    def names_of(self, geonameids: Iterable[int]) -> dict[int, list[tuple[str, str | None]]]:
        """Return every name of each place as ``(name, language)``, its own name first.

        The names it is shown by (``FLAG_DISPLAY``: "Kursk Oblast") come next, then
        the rest. The language is None for names GeoNames does not tag. Derived short forms
        ("Kurskaya" of "Kurskaya oblast'") are not names of their own and are left out.
        The names table is indexed by name, not by place, so the ids are looked up
        together, a few hundred per query: ask once for all the places you need.

        Parameters
        ----------
        geonameids : iterable of int

        Returns
        -------
        dict of int to list of (str, str or None)
            Unknown ids are absent.
        """
        ids = sorted({int(g) for g in geonameids})
        out: dict[int, list[tuple[str, str | None]]] = {}
        for at in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[at: at + _IDS_PER_QUERY]
            rows = self._query(
                f"SELECT geonameid, name, lang FROM names WHERE flag != ? AND geonameid IN "
                f"({','.join('?' * len(chunk))}) "
                "ORDER BY geonameid, flag = ? DESC, flag = ? DESC, rowid",
                (FLAG_DERIVED, *chunk, FLAG_PRIMARY, FLAG_DISPLAY))
            for gid, name, lang in rows:
                names = out.setdefault(gid, [])
                if (name, lang) not in names:
                    names.append((name, lang))
        return out

    def meta(self) -> dict[str, str]:
        """Return the build metadata (schema version, sources, counts, attribution)."""
        return dict(self._query("SELECT key, value FROM meta ORDER BY key"))

    def country_shape(self, code: str) -> dict[str, Any] | None:
        """Return the country's outline as a GeoJSON geometry, or None."""
        rows = self._query("SELECT geojson FROM country_shapes WHERE code = ?", (code.upper(),))
        return json.loads(rows[0][0]) if rows else None

    def demonyms(self, lang: str) -> dict[str, str]:
        """Return every demonym and adjective form for a language: folded form -> ISO2.

        Examples: fr ``"russe"``, ``"nord coreennes"``; en ``"russians"``.
        """
        lang = lang.lower()
        if lang not in self._demonyms:
            self._demonyms[lang] = dict(
                self._query("SELECT folded, country FROM demonyms WHERE lang = ?", (lang,))
            )
        return dict(self._demonyms[lang])

    def region_words(self, lang: str) -> dict[str, str]:
        """Return the region words of a language: folded word -> "admin1" or "admin2"."""
        return dict(self._words(lang.lower()))

    def _words(self, lang: str | None) -> dict[str, str]:
        if lang not in self._region_words:
            if lang is None:
                rows = self._query("SELECT word, level FROM region_words ORDER BY lang DESC")
            else:
                rows = self._query("SELECT word, level FROM region_words WHERE lang = ?", (lang,))
            words: dict[str, str] = {}
            for word, level in rows:
                words.setdefault(fold(word), level)
                words.setdefault(word.lower(), level)
            self._region_words[lang] = words
        return self._region_words[lang]

    def _demonyms_any(self, lang: str | None) -> dict[str, str]:
        if lang is not None:
            d = self.demonyms(lang)
            if d:
                return d
        key = "*"
        if key not in self._demonyms:
            self._demonyms[key] = dict(self._query("SELECT folded, country FROM demonyms"))
        return self._demonyms[key]

    def has_name(self, folded: str) -> bool:
        """Return True when ``folded`` (already folded) is a name of any place."""
        return self._has_name_cached(folded)

    def _has_name_uncached(self, folded: str) -> bool:
        return bool(self._query("SELECT 1 FROM names WHERE folded = ? AND flag != ? LIMIT 1",
                                (folded, FLAG_DISPLAY)))

    # -- search ------------------------------------------------------------

    def search(
        self,
        name: str,
        *,
        lang: str | None = None,
        country: str | None = None,
        kinds: Collection[str] | None = None,
        limit: int = 20,
    ) -> list[Candidate]:
        """Return the places a name may refer to, best first.

        Parameters
        ----------
        name : str
            A place name as written ("Koursk", "la Russie", "région de Koursk").
            Leading articles are dropped when the full form matches nothing;
            region patterns ("oblast de Donetsk", "Kursk region", "X County")
            are resolved to admin areas.
        lang : str, optional
            Language of the text; names tagged with it are preferred.
        country : str, optional
            ISO2 code: only places in that country.
        kinds : collection of str, optional
            Only these kinds ("continent", "country", "admin1", "admin2",
            "city", "region").
        limit : int
            At most this many candidates.

        Returns
        -------
        list of Candidate
        """
        if kinds is not None:
            bad = sorted(set(kinds) - set(KINDS))
            if bad:
                raise UnknownKindError(
                    f"unknown place kind {bad[0]!r}; options are: " + ", ".join(KINDS)
                )
            kinds_key: tuple[str, ...] | None = tuple(sorted(set(kinds)))
        else:
            kinds_key = None
        return list(
            self._search_cached(
                name,
                lang.lower() if lang else None,
                country.upper() if country else None,
                kinds_key,
                int(limit),
            )
        )

    def cache_clear(self) -> None:
        """Forget cached search results (for benchmarks)."""
        self._search_cached.cache_clear()
        self._has_name_cached.cache_clear()

    def _lookup(
        self, folded: str, country: str | None, kinds: Collection[str] | None
    ) -> list[tuple[Any, ...]]:
        sql = (
            f"SELECT {_PLACE_COLS}, n.name, n.lang, n.flag FROM names n "
            "JOIN places p ON p.geonameid = n.geonameid WHERE n.folded = ? AND n.flag != ?"
        )
        params: list[Any] = [folded, FLAG_DISPLAY]
        if country:
            sql += " AND p.country_code = ?"
            params.append(country)
        if kinds:
            sql += f" AND p.kind IN ({','.join('?' * len(kinds))})"
            params.extend(kinds)
        return self._query(sql, tuple(params))

    def _rank(
        self, rows: list[tuple[Any, ...]], lang: str | None, *, allow_derived: bool, note: str = ""
    ) -> list[Candidate]:
        if not allow_derived and any(r[14] != FLAG_DERIVED for r in rows):
            rows = [r for r in rows if r[14] != FLAG_DERIVED]
        best: dict[int, tuple[float, tuple[Any, ...]]] = {}
        for r in rows:
            row_lang = r[13]
            if lang is None or not row_lang:
                lang_v = 0.5
            else:
                lang_v = 1.0 if row_lang == lang or row_lang.startswith(lang + "-") else 0.0
            v = _W_MATCH * _MATCH[r[14]] + _W_LANG * lang_v
            prev = best.get(r[0])
            if prev is None or v > prev[0]:
                best[r[0]] = (v, r)
        cities = {(r[6], r[7]) for _, r in best.values() if r[10] == "city"}
        out = []
        for v, r in best.values():
            kind, pop = r[10], r[9]
            eff = pop * _ADMIN_POP_DAMP if kind in ("admin1", "admin2") else pop
            score = v + _W_POP * min(1.0, math.log10(eff + 1) / 10) + _W_KIND * _KIND_PRIOR[kind]
            score += r[11]
            extra = ""
            if kind in ("admin1", "admin2") and (r[6], r[7]) in cities and not allow_derived:
                score -= _CONTAINED_PENALTY
                extra = "; a town inside has this name"
            if r[11]:
                extra += "; custom place"
            tag = f" ({r[13]})" if r[13] else ""
            reason = f"{_MATCH_WORD[r[14]]} {r[12]!r}{tag}; pop {pop:,}; {kind}{extra}{note}"
            cand = Candidate(
                r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], pop, kind,
                round(_clamp(score), 4), reason, r[12], r[13] or None,
            )
            # Sort on the raw score: custom bonuses may push several past 1.
            out.append((-score, -pop, r[0], cand))
        out.sort(key=lambda t: t[:3])
        return [t[3] for t in out]

    def _search_uncached(
        self,
        name: str,
        lang: str | None,
        country: str | None,
        kinds: tuple[str, ...] | None,
        limit: int,
    ) -> tuple[Candidate, ...]:
        folded = fold(name)
        if not folded or limit <= 0:
            return ()
        results = self._rank(self._lookup(folded, country, kinds), lang, allow_derived=False)
        region = self._region_search(name, lang, country, kinds)
        if region:
            merged = {c.geonameid: c for c in results}
            for c in region:
                old = merged.get(c.geonameid)
                if old is None or c.score >= old.score:
                    merged[c.geonameid] = c
            results = sorted(merged.values(), key=lambda c: (-c.score, -c.population))
        elif not results:
            tokens = elide(name).split()
            stripped = tokens
            while len(stripped) > 1 and stripped[0] in ARTICLES:
                stripped = stripped[1:]
            if stripped != tokens:
                return self._search_uncached(" ".join(stripped), lang, country, kinds, limit)
        return tuple(results[:limit])

    def _parse_region(
        self, name: str, lang: str | None
    ) -> tuple[str, str, str | None] | None:
        """Split "région de X" / "X Oblast" into (level, folded X, country hint)."""
        tokens = elide(name).split()
        while len(tokens) > 1 and tokens[0] in ARTICLES:
            tokens = tokens[1:]
        if len(tokens) < 2:
            return None
        words = self._words(lang)
        if lang is not None and tokens[0] not in words and tokens[-1] not in words:
            words = self._words(None)
        hint = None
        if tokens[0] in words:
            level, rest = words[tokens[0]], tokens[1:]
            demonyms = self._demonyms_any(lang)
            for n in (2, 1):
                if len(rest) > n and " ".join(rest[:n]) in demonyms:
                    hint = demonyms[" ".join(rest[:n])]
                    rest = rest[n:]
                    break
            while len(rest) > 1 and rest[0] in PREPOSITIONS:
                rest = rest[1:]
        elif tokens[-1] in words:
            level, rest = words[tokens[-1]], tokens[:-1]
        else:
            return None
        if not rest or rest[0] in PREPOSITIONS:
            return None
        return level, " ".join(rest), hint

    def _region_search(
        self, name: str, lang: str | None, country: str | None, kinds: tuple[str, ...] | None
    ) -> list[Candidate]:
        parsed = self._parse_region(name, lang)
        if parsed is None:
            return []
        level, x, hint = parsed
        if kinds is not None and level not in kinds:
            return []
        country = country or hint
        x = fold(x)
        found = self._rank(
            self._lookup(x, country, (level,)), lang, allow_derived=True,
            note=f"; region pattern ({level})",
        )
        if found:
            return found
        # Admin names in the sources are often local forms ("Kurskaya oblast'"):
        # find the town, then the area it lies in.
        towns = self._rank(self._lookup(x, country, ("city",)), lang, allow_derived=False)
        if not towns:
            return []
        town = towns[0]
        if not town.country_code or not town.admin1:
            return []
        if level == "admin1":
            area = self.admin1(town.country_code, town.admin1)
        elif town.admin2:
            area = self.admin2(town.country_code, town.admin1, town.admin2)
        else:
            area = None
        if area is None:
            return []
        area_f = fold(area.name)
        ok = any(
            len(p) >= 4 and area_f.startswith(p)
            for p in (x[:4], fold(town.name)[:4])
        )
        if not ok:
            where = "p.country_code = ? AND p.kind = 'city' AND p.admin1 = ?"
            params: list[str | None] = [town.country_code, town.admin1]
            if level == "admin2":
                where += " AND p.admin2 = ?"
                params.append(town.admin2)
            biggest = self._one(where, tuple(params))
            ok = biggest is not None and biggest.geonameid == town.geonameid
        if not ok:
            return []
        return [
            Candidate(
                area.geonameid, area.name, area.lat, area.lon, area.feature_class,
                area.feature_code, area.country_code, area.admin1, area.admin2,
                area.population, area.kind, round(town.score * 0.95, 4),
                f"{level} containing the town {town.name!r} ({town.reason}); region pattern",
                town.matched_name, town.name_lang,
            )
        ]

    # -- reverse -----------------------------------------------------------

    def _near(self, lat: float, lon: float, d: float) -> list[tuple[Any, ...]]:
        """Towns within ``d`` degrees of latitude (and the matching longitude span)."""
        coslat = max(0.01, math.cos(math.radians(min(89.9, abs(lat) + min(d, 90.0)))))
        dlon = min(360.0, d / coslat)
        return self._query(
            f"SELECT {_PLACE_COLS} FROM city_rtree r JOIN places p ON p.geonameid = r.id "
            "WHERE r.min_lat <= ? AND r.max_lat >= ? AND r.min_lon <= ? AND r.max_lon >= ?",
            (lat + d, lat - d, lon + dlon, lon - dlon),
        )

    def reverse(self, lat: float, lon: float) -> ReverseResult:
        """Return the nearest populated place to a point, with its admin-1 area and country.

        Raises
        ------
        CoordinateError
            ``lat`` outside -90..90 or ``lon`` outside -180..180 (or not numbers).
        """
        try:
            lat_f, lon_f = float(lat), float(lon)
        except (TypeError, ValueError) as err:
            raise CoordinateError(f"coordinates must be numbers: lat={lat!r}, lon={lon!r}") from err
        if not (-90.0 <= lat_f <= 90.0 and -180.0 <= lon_f <= 180.0) or math.isnan(lat_f + lon_f):
            raise CoordinateError(
                f"coordinates out of range: lat={lat!r}, lon={lon!r} "
                "(lat must be in -90..90, lon in -180..180)"
            )
        place = None
        for d in (0.1, 0.5, 2.0, 8.0, 30.0, 180.0):
            rows = self._near(lat_f, lon_f, d)
            if rows:
                dist = {r[0]: haversine_km(lat_f, lon_f, r[2], r[3]) for r in rows}
                best = min(rows, key=lambda r: dist[r[0]])
                # The box's corners reach further than its sides: a place just outside
                # the box may be nearer than the best one inside. Search the full radius.
                radius = dist[best[0]] / 111.0
                if radius > d:
                    rows = self._near(lat_f, lon_f, radius * 1.01)
                    best = min(rows, key=lambda r: haversine_km(lat_f, lon_f, r[2], r[3]))
                place = self._record(best)
                break
        if place is None or not place.country_code:
            return ReverseResult(place, None, None)
        adm = self.admin1(place.country_code, place.admin1) if place.admin1 else None
        return ReverseResult(place, adm, self.country(place.country_code))
