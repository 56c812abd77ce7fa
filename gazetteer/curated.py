"""What every build adds: CLDR country names, country shapes and the curated files."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from importlib import metadata, resources
from typing import Any

from ._fold import fold
from ._schema import FLAG_DISPLAY
from .writer import Writer, marked

__all__ = ["package_version", "babel_names", "countryinfo", "countryinfo_names", "add_curated",
           "add_display_names"]

_CURATED_ID_BASE = -1_000_000  # curated regions: -1_000_001, -1_000_002, ...


def package_version(dist: str) -> str:
    """The installed version of ``dist`` (for the meta's sources), or ``"unknown"``."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def _data_file(name: str) -> Iterator[dict[str, str]]:
    """Yield the rows of a curated CSV in gazetteer/data, skipping '#' comment lines."""
    text = resources.files("gazetteer").joinpath("data", name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    yield from csv.DictReader(lines)



def babel_names() -> dict[str, list[tuple[str, str]]]:
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


def countryinfo() -> dict[str, dict[str, Any]]:
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



def add_display_names(w: Writer, admin1_without_id: Mapping[str, int]) -> int:
    """Add the English and French names admin-1 areas are shown by; return how many areas.

    An area is found by its GeoNames id; by its ISO 3166-2 code only when the build
    has no GeoNames id for it (ISO codes get renumbered: an old code of Iran's now
    names another province). The names carry ``FLAG_DISPLAY``: maps,
    exports and the map's search use them, recognition never matches them.
    """
    done = 0
    for row in _data_file("admin1_names.csv"):
        gid = int(row["geonameid"]) if row["geonameid"] else -1
        if not marked(w.written, gid):
            gid = admin1_without_id.get(row["iso_3166_2"], -1)
            if gid == -1:
                continue
        for lang in ("en", "fr"):
            if row[lang]:
                w.name(gid, row[lang], lang, FLAG_DISPLAY)
        done += 1
    w.meta["admin1_display_names"] = str(done)
    return done


def _shape(rec: dict[str, Any]) -> dict[str, Any] | None:
    gj = rec.get("geoJSON")
    if isinstance(gj, dict):
        feats = gj.get("features") or []
        if feats and isinstance(feats[0].get("geometry"), dict):
            geom: dict[str, Any] = feats[0]["geometry"]
            if geom.get("type") in ("Polygon", "MultiPolygon"):
                return geom
    return None



def countryinfo_names(rec: dict[str, Any]) -> list[tuple[str, str | None]]:
    """A countryinfo record's spellings, native name and translations, as ``(name, lang)``."""
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


def add_curated(w: Writer, babel_names: dict[str, list[tuple[str, str]]],
                country_ids: dict[str, int], info: dict[str, dict[str, Any]],
                admin1_without_id: Mapping[str, int] | None = None) -> None:
    """Add the curated files, CLDR country names and country shapes (every build).

    ``admin1_without_id`` maps the ISO 3166-2 code of each admin-1 area the build
    has no GeoNames id for to the id it gave the area, so that its display names
    (``admin1_names.csv``) still find it.
    """
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
    add_display_names(w, admin1_without_id or {})
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
