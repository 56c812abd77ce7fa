"""The build from standard GeoNames dumps, and per-country dumps added to any build."""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._schema import KINDS
from .curated import add_curated, babel_names, countryinfo, package_version
from .custom import add_custom
from .errors import GazetteerBuildError
from .writer import Progress, Writer, mark, marked, run_build

__all__ = ["CountryDump", "SKIP_LANGS", "build_geonames", "add_country_dumps"]


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


# GeoNames alternate-name "languages" that are not names.
SKIP_LANGS = frozenset(
    "link post iata icao faac abbr wkdt fr_1793 unlc tcid phon piny".split()
)
# Feature codes kept from full GeoNames besides populated places and admin areas.
_REGION_CODES = frozenset(
    """RGN RGNE RGNH RGNL AREA SEA OCN GULF STRT BAY BGHT LK LKS ISL ISLS PEN MTS DSRT PLN
    VAL MILB AIRB INSM""".split()
)
_COUNTRY_CODES = frozenset("PCLI PCLD PCLF PCLS PCLIX PCL TERR".split())


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
    return run_build(path, progress,
                lambda w: _geonames_body(w, directory, stems, custom, countries))


def _geonames_body(w: Writer, directory: Path, stems: list[str], custom: Sequence[Path],
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
    add_country_dumps(w, country_dumps, kept=kept, found_countries=found_countries)

    # Every build gets CLDR names, shapes and curated files; countries without a
    # row in the dump (per-country extracts) are not invented.
    for iso, gid in found_countries.items():
        country_gid.setdefault(iso, gid)
    present = {
        iso: gid for iso, gid in country_gid.items()
        if gid >> 3 < len(kept) and kept[gid >> 3] & (1 << (gid & 7))
    }
    add_curated(w, babel_names(), present, countryinfo())
    add_custom(w, custom)
    w.meta["builder"] = "geonames"
    w.meta["geonames_dir"] = str(directory)
    w.meta["rows_read"] = str(rows_read)
    w.meta["alternate_name_rows_read"] = str(alt_rows)
    w.meta["malformed_rows"] = str(sum(malformed.values()))
    w.meta["malformed_by_file"] = json.dumps(malformed, sort_keys=True)
    w.meta["sources"] = json.dumps({
        "geonames": str(directory), "babel": package_version("babel"),
        "countryinfo": package_version("countryinfo"),
    }, sort_keys=True)


def _fields(w: Writer, fh: Iterable[str], stage: str, width: int,
            malformed: dict[str, int], read: list[int]) -> Iterator[list[str]]:
    """Yield the tab-separated fields of each dump line that has ``width`` or more.

    ``read[0]`` counts the lines read (the progress bar shows it every 100,000); a
    shorter line counts as malformed under ``stage`` (spaces as underscores).
    """
    key = stage.replace(" ", "_")
    for line in fh:
        read[0] += 1
        if read[0] % 100_000 == 0:
            w.progress(stage, read[0], 0)
        parts = line.rstrip("\n").split("\t")
        if len(parts) < width:
            malformed[key] = malformed.get(key, 0) + 1
            continue
        yield parts


def _import_places(
    w: Writer, fh: Iterable[str], kept: bytearray, malformed: dict[str, int],
    found_countries: dict[str, int], country_gid: dict[str, int],
    admin_names: dict[int, list[str]], use_inline_alts: bool, rows_read: int = 0,
    *, skip: bytearray | None = None,
) -> int:
    """Write the kept rows of a GeoNames main dump (allCountries or XX); return rows read.

    Ids marked in ``skip`` (already in the build) are left as they are.
    """
    read = [rows_read]
    for parts in _fields(w, fh, "places", 19, malformed, read):
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
        if skip is not None and marked(skip, gid):
            continue
        cc = parts[8] or None
        if kind == "country" and cc:
            if cc in found_countries and found_countries[cc] != country_gid.get(cc):
                continue
            found_countries[cc] = gid
        a1 = parts[10] if parts[10] not in ("", "00") else None
        w.place(gid, parts[1], lat, lon, fclass, fcode, cc, a1,
                parts[11] or None, pop, kind)
        mark(kept, gid)
        alts: list[tuple[str, str | None]] = [(parts[2], None)]
        if kind in ("admin1", "admin2") and gid in admin_names:
            alts += [(n, None) for n in admin_names[gid]]
        if use_inline_alts and parts[3]:
            alts += [(a, None) for a in parts[3].split(",")
                     if not (a.isupper() and len(a) <= 4 and a.isascii())]
        w.names_for(gid, parts[1], alts, derive=kind in ("admin1", "admin2"))
    return read[0]


def _import_alternates(w: Writer, fh: Iterable[str], kept: bytearray,
                       malformed: dict[str, int]) -> int:
    """Write the language-tagged names (alternateNamesV2 layout) of kept ids; return rows read."""
    read = [0]
    for parts in _fields(w, fh, "alternate names", 4, malformed, read):
        lang = parts[2]
        if lang in SKIP_LANGS or (len(parts) > 6 and parts[6] == "1"):
            continue  # codes and links; colloquial forms ("Big Apple")
        try:
            gid = int(parts[1])
        except ValueError:
            malformed["alternate_names"] = malformed.get("alternate_names", 0) + 1
            continue
        if not marked(kept, gid):
            continue
        w.name(gid, parts[3], lang.lower() or None)
    return read[0]


def add_country_dumps(w: Writer, dumps: Sequence[CountryDump], *,
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
