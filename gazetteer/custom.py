"""Custom places: the user's own CSV or GeoJSON files, validated and merged into a build."""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ._schema import KINDS
from .errors import CustomPlacesError
from .writer import CUSTOM_ID_BASE, Writer

__all__ = ["CUSTOM_BONUS", "load_custom", "add_custom"]

CUSTOM_BONUS = 0.3
_KIND_CODES = {
    "city": ("P", "PPL"), "admin1": ("A", "ADM1"), "admin2": ("A", "ADM2"),
    "country": ("A", "PCLI"), "region": ("L", "RGN"), "continent": ("L", "CONT"),
}


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


def add_custom(w: Writer, custom: Sequence[str | os.PathLike[str]]) -> None:
    """Write the custom places files into a build, with ids from ``CUSTOM_ID_BASE`` up."""
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
