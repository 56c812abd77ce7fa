"""The data embedded in the page: every event once, as columns of a compact JSON payload.

Each distinct string is stored once in a table and referred to by index; places, sources
and flow homes are tables of their own. Sentences keep the offsets (in UTF-16 units, as
JavaScript counts) of the trigger and the place, which the page marks.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ..export import position, wkt_point
from ..names import country_name, display_name, searchable
from ..records import DATE_TYPES, GRANULARITIES, STATUSES, Event
from ..taxonomy import EVENT_TYPES
from .shapes import actor_country, home_of, shape_for, unwrap_antimeridian

__all__ = ["payload", "json_for_html", "bounds", "LEVELS", "STATUSES"]

LEVELS = ("point", "admin2", "admin1", "region", "country")
_EPOCH = dt.date(1970, 1, 1)
_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})$")
_ICON = re.compile(r"^[a-z0-9-]{1,40}$")
# Font Awesome 4 names used by the taxonomy that Font Awesome 6 (the vendored one) dropped.
_ICON_ALIASES = {"handshake-o": "handshake", "warning": "triangle-exclamation"}


def _utf16(text: str, index: int) -> int:
    """JavaScript string offsets count UTF-16 code units, Python's count code points."""
    return len(text[:index].encode("utf-16-le")) // 2


def _find_span(sentence: str, needle: str, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    needle = needle.strip()
    if not needle:
        return None
    low, target = sentence.casefold(), needle.casefold()
    if len(low) != len(sentence):  # casefold changed lengths (ß → ss): match exactly
        low, target = sentence, needle
    start = 0
    while True:
        i = low.find(target, start)
        if i < 0:
            return None
        span = (i, i + len(target))
        # whole words only: "Paris" is not marked inside "parisien"
        whole = (i == 0 or not sentence[i - 1].isalnum()) and (
            span[1] == len(sentence) or not sentence[span[1]].isalnum())
        if whole and all(span[1] <= a or span[0] >= b for a, b in taken):
            return span
        start = i + 1


#: The most retellings an event's popup lists (the count says how many there are).
MAX_RETELLINGS = 10


def _retellings(event: Event, strings: Callable[[str], int]) -> list[int]:
    """The other sentences that tell the event, once each, as string indices."""
    out: list[int] = []
    seen = {event.sentence}
    for telling in event.tellings:
        if telling.sentence and telling.sentence not in seen:
            seen.add(telling.sentence)
            out.append(strings(telling.sentence))
            if len(out) == MAX_RETELLINGS:
                break
    return out


def _marks(event: Event) -> list[int]:
    """``[start, end, kind, ...]`` in UTF-16 units; kind 0 = trigger, 1 = place."""
    sentence = event.sentence or ""
    taken: list[tuple[int, int]] = []
    out: list[int] = []
    candidates = [(event.trigger, 0), (event.place_text or event.place.name, 1)]
    if event.place_text and event.place_text != event.place.name:
        candidates.append((event.place.name, 1))
    for needle, kind in candidates:
        if kind == 1 and any(k == 1 for k in out[2::3]):
            continue
        span = _find_span(sentence, needle or "", taken)
        if span is None:
            continue
        taken.append(span)
        out += [_utf16(sentence, span[0]), _utf16(sentence, span[1]), kind]
    return out


def _safe_url(url: str | None) -> str:
    """The URL if it is an absolute http(s) URL, else ``""`` (the JS re-checks)."""
    if not url:
        return ""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    return url.strip() if re.match(r"^https?://", cleaned, re.IGNORECASE) else ""


def _day(value: dt.date | None) -> int | None:
    return None if value is None else (value - _EPOCH).days


class _Strings:
    """A table of distinct strings: each text is embedded once and referred to by index."""

    def __init__(self) -> None:
        self.items: list[str] = [""]
        self._index: dict[str, int] = {"": 0}

    def __call__(self, text: str | None) -> int:
        text = "" if text is None else str(text)
        i = self._index.get(text)
        if i is None:
            i = self._index[text] = len(self.items)
            self.items.append(text)
        return i


def _type_style(name: str) -> dict[str, str]:
    et = EVENT_TYPES[name]
    colour = et.colour if _COLOUR.match(et.colour or "") else "#777777"
    icon = _ICON_ALIASES.get(et.icon, et.icon)
    icon = icon if _ICON.match(icon or "") else "circle"
    return {"key": name, "label": et.label or name, "colour": colour, "icon": icon}


def payload(
    events: Sequence[Event],
    country_shapes: Callable[[str], Any] | None,
    title: str | None,
    outline: dict[str, Any] | None,
    attribution: list[str],
    flows: bool = False,
    homes: Mapping[str, Sequence[float]] | None = None,
    names: str = "en",
    place_names: Callable[[Iterable[int]], Mapping[int, Sequence[tuple[str, str | None]]]]
    | None = None,
) -> dict[str, Any]:
    """The page's data: types, strings, places, sources and one column per event field.

    Country-level places are shown by their CLDR name in ``names``, and admin areas and
    regions by their gazetteer name in that language when ``place_names`` knows one
    (``"Kursk Oblast"`` rather than the transliteration ``"Kurskaya oblast'"``). Every
    other name a place is known by here (the gazetteer's Latin-script names, the
    documents' own words) is kept in its ``alt`` list, which the page's search reads.
    """
    present = {e.type for e in events}
    gazetteer_names = place_names({e.place.geonameid for e in events}) if place_names else {}
    alts: list[set[str]] = []
    type_names = [name for name in EVENT_TYPES if name in present]
    type_index = {name: i for i, name in enumerate(type_names)}
    strings = _Strings()
    places: dict[int, int] = {}
    place_cols: dict[str, list[Any]] = {
        k: [] for k in ("id", "name", "lat", "lon", "xy", "wkt", "level", "cc")}
    shapes: dict[str, Any] = {}
    sources: dict[tuple[str, str, str, str], int] = {}
    cols: dict[str, list[Any]] = {
        k: [] for k in ("t", "p", "s", "e", "g", "d", "tp", "gp", "c", "r", "x", "k", "a",
                        "sub", "st", "src", "trg", "dx", "dr", "m", "tl")
    }
    level_index = {lv: i for i, lv in enumerate(LEVELS)}
    for event in events:
        place = event.place
        p = places.get(place.geonameid)
        if p is None:
            p = places[place.geonameid] = len(place_cols["id"])
            place_cols["id"].append(place.geonameid)
            known = list(gazetteer_names.get(place.geonameid, ()))
            shown = display_name(place.name, place.level, place.country, known, names)
            place_cols["name"].append(strings(shown))
            alts.append(({place.name} | searchable(known)) - {shown})
            place_cols["lat"].append(round(float(place.lat), 5))
            place_cols["lon"].append(round(float(place.lon), 5))
            place_cols["xy"].append(position(place.lat, place.lon))
            place_cols["wkt"].append(wkt_point(place.lat, place.lon))
            place_cols["level"].append(level_index.get(place.level, 0))
            place_cols["cc"].append(strings(place.country or ""))
            if place.level == "country":
                geometry = shape_for(place.country, country_shapes)
                if geometry is not None:
                    shapes[str(p)] = unwrap_antimeridian(geometry)
        if event.place_text and event.place_text != strings.items[place_cols["name"][p]]:
            alts[p].add(event.place_text)
        src_ids = []
        for source in event.all_sources:
            key = (source.doc_id, source.title or "", source.url or "", _safe_url(source.url))
            s = sources.get(key)
            if s is None:
                s = sources[key] = len(sources)
            src_ids.append(s)
        date = event.date
        cols["t"].append(type_index[event.type])
        cols["p"].append(p)
        cols["s"].append(_day(date.start))
        cols["e"].append(_day(date.end))
        cols["g"].append(GRANULARITIES.index(date.granularity))
        cols["d"].append(DATE_TYPES.index(date.date_type))
        cols["tp"].append(event.time_precision)
        cols["gp"].append(event.geo_precision)
        cols["c"].append(round(float(event.confidence), 3))
        cols["r"].append(strings(event.reason))
        cols["x"].append(strings(event.sentence))
        cols["k"].append(_marks(event))
        cols["a"].append([strings(a) for a in event.actors])
        cols["sub"].append(strings(event.subtype))
        cols["st"].append(STATUSES.index(event.status) if event.status in STATUSES else 0)
        cols["src"].append(src_ids)
        cols["trg"].append(strings(event.trigger))
        cols["dx"].append(strings(date.text))
        cols["dr"].append(strings(date.reason))
        cols["m"].append(event.mention_count)
        cols["tl"].append(_retellings(event, strings))
    flow_cols = _flows(events, strings, homes, country_shapes) if flows else None
    source_rows = [
        [strings(doc_id), strings(title_), strings(url), strings(safe)]
        for (doc_id, title_, url, safe) in sources
    ]
    place_cols["alt"] = [sorted(strings(a) for a in names_) for names_ in alts]
    codes = sorted({strings.items[c] for c in place_cols["cc"]} - {""})
    days = [d for d in cols["s"] if d is not None] + [d for d in cols["e"] if d is not None]
    return {
        "title": title or "",
        "types": [_type_style(name) for name in type_names],
        "levels": list(LEVELS),
        "granularities": list(GRANULARITIES),
        "dateTypes": list(DATE_TYPES),
        "statuses": list(STATUSES),
        "strings": strings.items,
        "places": place_cols,
        "shapes": shapes,
        "sources": source_rows,
        "events": cols,
        "dmin": min(days) if days else None,
        "dmax": max(days) if days else None,
        "clip": _clip([d for d in cols["s"] if d is not None]),
        "countries": {cc: country_name(cc, names) or cc for cc in codes},
        "outline": outline,
        "flows": flow_cols,
        "attribution": attribution,
        "bounds": bounds(events),
    }


def _clip(starts: list[int]) -> list[int] | None:
    """The 1st and 99th percentiles of the start days: the span the date slider shows.

    A few dates decades away (a war recalled, a typo) would otherwise squeeze the
    events' months into a few pixels; the slider puts them in "earlier"/"later" ends.
    """
    if not starts:
        return None
    days = sorted(starts)
    last = len(days) - 1
    return [days[last // 100], days[last - last // 100]]


def json_for_html(data: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    Escaping every ``<``, ``>`` and ``&`` (a superset of escaping ``</``) means no
    text can close the script element or open an HTML comment in it.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _flows(
    events: Sequence[Event],
    strings: _Strings,
    homes: Mapping[str, Sequence[float]] | None,
    country_shapes: Callable[[str], Any] | None,
) -> dict[str, Any]:
    """Columns of the flow lines: each event with an actor of another country.

    An actor has a home country when it names one (see :func:`.shapes.actor_country`).
    """
    table: dict[str, int] = {}
    cols: dict[str, list[Any]] = {"cc": [], "name": [], "lat": [], "lon": []}
    ev: list[int] = []
    home: list[int] = []
    for i, event in enumerate(events):
        drawn: set[int] = set()
        for actor in event.actors:
            found = actor_country(actor)
            if found is None or found[1] == (event.place.country or "").upper():
                continue  # not a country, or at home: no line to draw
            name, cc = found
            h = table.get(cc)
            if h is None:
                where = home_of(cc, homes, country_shapes)
                if where is None:
                    table[cc] = -1
                    continue
                h = table[cc] = len(cols["cc"])
                cols["cc"].append(strings(cc))
                cols["name"].append(strings(name))
                cols["lat"].append(round(where[0], 4))
                cols["lon"].append(round(where[1], 4))
            if h >= 0 and h not in drawn:
                drawn.add(h)
                ev.append(i)
                home.append(h)
    return {"homes": cols, "e": ev, "h": home}




def bounds(events: Iterable[Event]) -> list[list[float]] | None:
    """Return the south-west and north-east corners around the events, or None for none."""
    lats = [e.place.lat for e in events]
    if not lats:
        return None
    lons = [e.place.lon for e in events]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]
