"""Typed, frozen records that flow between the pipeline stages.

Every record validates itself on construction and names the bad value.
``Place`` and ``Event`` expose ``__geo_interface__`` so shapely, geopandas and
folium take them directly. Coordinates are always ``lat``/``lon``; the one
``[lon, lat]`` flip lives in :mod:`geomap.export`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import InvalidCoordinate, InvalidDate, InvalidRecord, options_message

__all__ = [
    "GRANULARITIES",
    "DATE_TYPES",
    "MENTION_KINDS",
    "PartialDate",
    "Document",
    "MentionHints",
    "Mention",
    "Alternative",
    "Place",
    "DateResolution",
    "Source",
    "Event",
    "Telling",
    "Token",
    "Sentence",
    "Parsed",
    "check_lat_lon",
]

GRANULARITIES = ("day", "week", "month", "quarter", "year")
DATE_TYPES = ("exact", "approximate", "range", "unresolved")
MENTION_KINDS = ("toponym", "demonym", "region")
STATUSES = ("fact", "negated", "hypothetical", "future")

_PARTIAL_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")


def check_lat_lon(lat: float, lon: float, what: str = "coordinate") -> None:
    """Raise :class:`InvalidCoordinate` unless ``lat``/``lon`` are on Earth.

    >>> check_lat_lon(51.73, 36.19)
    >>> check_lat_lon(95.0, 0.0)
    Traceback (most recent call last):
    ...
    geomap.errors.InvalidCoordinate: coordinate has latitude 95.0: must be within [-90, 90]
    """
    if not isinstance(lat, (int, float)) or not -90.0 <= lat <= 90.0:
        raise InvalidCoordinate(f"{what} has latitude {lat!r}: must be within [-90, 90]")
    if not isinstance(lon, (int, float)) or not -180.0 <= lon <= 180.0:
        raise InvalidCoordinate(f"{what} has longitude {lon!r}: must be within [-180, 180]")


def _check_choice(kind: str, value: str, options: tuple[str, ...]) -> None:
    if value not in options:
        raise InvalidRecord(options_message(kind, value, options))


def _check_unit(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise InvalidRecord(f"{name} {value!r} is outside [0, 1]")


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A calendar date known to the year, the month or the day.

    >>> d = PartialDate.parse("2025-04")
    >>> d.granularity, str(d), d.start, d.end
    ('month', '2025-04', datetime.date(2025, 4, 1), datetime.date(2025, 4, 30))
    >>> PartialDate.parse("2025-02-30")
    Traceback (most recent call last):
    ...
    geomap.errors.InvalidDate: date '2025-02-30' does not exist: day ...out of range for month
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        text = str(self)
        if not 1 <= self.year <= 9999:
            raise InvalidDate(f"date '{text}' has year {self.year}: must be within 1..9999")
        if self.month is None and self.day is not None:
            raise InvalidDate(f"date '{text}' has a day but no month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise InvalidDate(f"date '{text}' has month {self.month}: must be within 1..12")
        if self.day is not None:
            try:
                dt.date(self.year, self.month or 1, self.day)
            except ValueError as err:
                raise InvalidDate(f"date '{text}' does not exist: {err}") from err

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (an ISO datetime keeps its day)."""
        raw = str(text).strip()
        candidate = raw[:10] if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", raw) else raw
        m = _PARTIAL_DATE.match(candidate)
        if not m:
            raise InvalidDate(
                f"date '{raw}' is not understood; use YYYY, YYYY-MM or YYYY-MM-DD"
            )
        year, month, day = (int(g) if g else None for g in m.groups())
        assert year is not None
        return cls(year, month, day)

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    @property
    def granularity(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def end(self) -> dt.date:
        if self.day:
            return self.start
        if self.month:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, 12, 31)

    def __str__(self) -> str:
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
        if self.day is not None:
            out += f"-{self.day:02d}"
        return out


@dataclass(frozen=True, slots=True)
class Document:
    """One article: its text and what is known about it.

    >>> Document("a1", "Kyiv was shelled.", lang="en", date=PartialDate(2025, 4)).date.granularity
    'month'
    """

    id: str
    text: str
    lang: str | None = None
    date: PartialDate | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise InvalidRecord(f"document id {self.id!r} must be a non-empty string")
        if not isinstance(self.text, str):
            raise InvalidRecord(f"document '{self.id}' text must be a string")
        if self.date is not None and not isinstance(self.date, PartialDate):
            raise InvalidRecord(f"document '{self.id}' date must be a PartialDate")


@dataclass(frozen=True, slots=True)
class MentionHints:
    """What the text says about a mention beyond its name.

    ``country`` is an ISO 3166-1 alpha-2 code ("région russe de Koursk" → RU);
    ``parent`` a containing place named next to it ("Paris, Texas");
    ``level`` the administrative level a pattern asks for ("admin1" for
    "oblast de Donetsk"); ``source`` how the mention was found
    ("ner", "gazetteer", "nested", "demonym", "pattern"); ``core`` the bare
    name inside a pattern ("Koursk" in "région russe de Koursk").
    """

    country: str | None = None
    parent: str | None = None
    level: str | None = None
    source: str = "ner"
    core: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """A place name (or demonym) found in a document, by character offsets."""

    start: int
    end: int
    text: str
    kind: str = "toponym"
    sentence: int = 0
    hints: MentionHints = field(default_factory=MentionHints)

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise InvalidRecord(f"mention '{self.text}' has span {self.start}..{self.end}")
        _check_choice("mention kind", self.kind, MENTION_KINDS)


@dataclass(frozen=True, slots=True)
class Alternative:
    """A runner-up candidate for a mention."""

    geonameid: int
    name: str
    country: str | None
    score: float


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place: a gazetteer entry plus why it was chosen."""

    geonameid: int
    name: str
    lat: float
    lon: float
    feature: str
    country: str | None
    admin1: str | None = None
    population: int = 0
    confidence: float = 1.0
    reason: str = ""
    alternatives: tuple[Alternative, ...] = ()

    def __post_init__(self) -> None:
        check_lat_lon(self.lat, self.lon, f"place '{self.name}'")
        _check_unit(f"place '{self.name}' confidence", self.confidence)

    @property
    def level(self) -> str:
        """One of ``country``, ``admin1``, ``admin2``, ``region`` or ``point``."""
        code = self.feature or ""
        if code.startswith("PCL") or code in {"TERR", "CONT"}:
            return "country"
        if code == "ADM1":
            return "admin1"
        if code in {"ADM2", "ADM3"}:
            return "admin2"
        if code in {"RGN", "AREA", "SEA", "OCN", "GULF", "BAY", "STRT", "LK", "PEN", "ISLS", "ISL",
                    "MTS"}:
            return "region"
        return "point"

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return {"type": "Point", "coordinates": (self.lon, self.lat)}


@dataclass(frozen=True, slots=True)
class DateResolution:
    """When an event happened, after NGEC's date schema.

    >>> r = DateResolution(dt.date(2024, 6, 1), dt.date(2024, 6, 30), "month", "exact",
    ...                    "en juin 2024")
    >>> r.time_precision
    3
    """

    start: dt.date | None
    end: dt.date | None
    granularity: str
    date_type: str
    reason: str = ""
    text: str = ""

    def __post_init__(self) -> None:
        _check_choice("granularity", self.granularity, GRANULARITIES)
        _check_choice("date type", self.date_type, DATE_TYPES)
        if (self.start is None) != (self.end is None):
            raise InvalidRecord("date resolution needs both start and end, or neither")
        if self.start and self.end and self.start > self.end:
            raise InvalidDate(f"date range {self.start}..{self.end} ends before it starts")

    @property
    def time_precision(self) -> int:
        """ACLED time precision: 1 day, 2 week (or a few days), 3 month or coarser."""
        if self.start is None or self.date_type == "unresolved":
            return 3
        if self.granularity == "day" and self.date_type == "exact":
            return 1
        if self.granularity in {"day", "week"}:
            return 2
        return 3


@dataclass(frozen=True, slots=True)
class Source:
    """Where an event was read."""

    doc_id: str
    title: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Telling:
    """One telling of an event: the sentence of a document that tells it, and why.

    Attributes
    ----------
    doc_id : str
        The document.
    sentence : str
        The sentence's text.
    trigger : str
        The words that tell the happening.
    start, end : int
        The trigger's character offsets in the document text (-1 when unknown).
    reason : str
        Why this sentence was read as this event.
    """

    doc_id: str
    sentence: str
    trigger: str = ""
    start: int = -1
    end: int = -1
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened somewhere, at some time, told by a sentence."""

    type: str
    place: Place
    date: DateResolution
    sentence: str
    trigger: str = ""
    subtype: str = ""
    actors: tuple[str, ...] = ()
    geo_precision: int = 1
    confidence: float = 1.0
    reason: str = ""
    source: Source = field(default_factory=lambda: Source("unknown"))
    sources: tuple[Source, ...] = ()
    status: str = "fact"
    place_text: str = ""
    tellings: tuple[Telling, ...] = ()
    event_id: str = ""

    def __post_init__(self) -> None:
        from .taxonomy import EVENT_TYPES  # late: taxonomy imports nothing from here

        _check_choice("event type", self.type, tuple(EVENT_TYPES))
        _check_choice("event status", self.status, STATUSES)
        if self.geo_precision not in (1, 2, 3):
            raise InvalidRecord(f"geo_precision {self.geo_precision!r} must be 1, 2 or 3")
        _check_unit(f"event '{self.type}' confidence", self.confidence)

    @property
    def time_precision(self) -> int:
        return self.date.time_precision

    @property
    def plover_resolution(self) -> int:
        """PLOVER geographic resolution: 5 sub-city ... 1 country."""
        return {"point": 4, "admin2": 3, "region": 2, "admin1": 2, "country": 1}[self.place.level]

    @property
    def lat(self) -> float:
        return self.place.lat

    @property
    def lon(self) -> float:
        return self.place.lon

    @property
    def mention_count(self) -> int:
        """How many times the event is told (at least once)."""
        return max(1, len(self.tellings))

    @property
    def all_sources(self) -> tuple[Source, ...]:
        return self.sources or (self.source,)

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return self.place.__geo_interface__


# -- parse records: what recognition hands the later stages, without spaCy ---------------


@dataclass(frozen=True, slots=True)
class Token:
    """A token as later stages need it, without spaCy."""

    i: int
    text: str
    lemma: str
    pos: str
    dep: str
    head: int
    idx: int
    morph: str = ""


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: character span in the document text and its tokens."""

    index: int
    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]
    entities: tuple[tuple[int, int, str, str], ...] = ()  # (start, end, label, text), doc offsets


@dataclass(frozen=True, slots=True)
class Parsed:
    """A document after recognition."""

    document: Document
    lang: str
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
