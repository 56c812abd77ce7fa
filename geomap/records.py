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
STATUSES = ("fact", "negated", "hypothetical", "future", "generic", "background")

_PARTIAL_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")


def check_lat_lon(lat: float, lon: float, what: str = "coordinate") -> None:
    """Raise :class:`InvalidCoordinate` unless ``lat``/``lon`` are on Earth.

    Parameters
    ----------
    lat, lon : float
        Degrees (WGS 84).
    what : str
        What the coordinates belong to, for the message.

    Raises
    ------
    InvalidCoordinate
        A latitude outside [-90, 90], a longitude outside [-180, 180], or not a number.

    Examples
    --------
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

    Attributes
    ----------
    year : int
        1 to 9999.
    month, day : int or None
        None when not known; a day needs a month.

    Examples
    --------
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
        """Refuse a year outside 1..9999, a day without a month, and days that do not exist."""
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
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (an ISO datetime keeps its day).

        Parameters
        ----------
        text : str

        Returns
        -------
        PartialDate

        Raises
        ------
        InvalidDate
            Another form, or a date that does not exist.
        """
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
        """Make a day-precise partial date from a ``datetime.date``.

        Parameters
        ----------
        value : datetime.date

        Returns
        -------
        PartialDate
        """
        return cls(value.year, value.month, value.day)

    @property
    def granularity(self) -> str:
        """``day``, ``month`` or ``year``: how much of the date is known."""
        return "day" if self.day else "month" if self.month else "year"

    @property
    def start(self) -> dt.date:
        """The first day the date may be."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def end(self) -> dt.date:
        """The last day the date may be."""
        if self.day:
            return self.start
        if self.month:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, 12, 31)

    def __str__(self) -> str:
        """Return the date in ISO form, as far as it is known (``2025-04``, ``2025-04-28``)."""
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
        if self.day is not None:
            out += f"-{self.day:02d}"
        return out


@dataclass(frozen=True, slots=True)
class Document:
    """One article: its text and what is known about it.

    Attributes
    ----------
    id : str
        Unique within a corpus, never empty.
    text : str
        The article's text; every offset of later records points into it.
    lang : str or None
        Its language code, None until detected.
    date : PartialDate or None
        Its publication date, to the day, month or year.
    title, url, source : str or None
        Metadata; ``source`` is the file or address it was read from.

    Examples
    --------
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
        """Refuse an empty id and a text that is not a string."""
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
    """A place name (or demonym) found in a document, by character offsets.

    Attributes
    ----------
    start, end : int
        Offsets of the name in the document text (``end`` exclusive).
    text : str
        The name as written.
    kind : str
        One of :data:`MENTION_KINDS`.
    sentence : int
        Index of its sentence.
    hints : MentionHints
        What the text says about it beyond its name.
    """

    start: int
    end: int
    text: str
    kind: str = "toponym"
    sentence: int = 0
    hints: MentionHints = field(default_factory=MentionHints)

    def __post_init__(self) -> None:
        """Refuse an empty or negative span and an unknown kind."""
        if not 0 <= self.start < self.end:
            raise InvalidRecord(f"mention '{self.text}' has span {self.start}..{self.end}")
        _check_choice("mention kind", self.kind, MENTION_KINDS)


@dataclass(frozen=True, slots=True)
class Alternative:
    """A runner-up candidate for a mention.

    Attributes
    ----------
    geonameid : int
    name : str
    country : str or None
        ISO 3166-1 alpha-2.
    score : float
        Its ranking score.
    """

    geonameid: int
    name: str
    country: str | None
    score: float


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place: a gazetteer entry plus why it was chosen.

    Attributes
    ----------
    geonameid : int
    name : str
    lat, lon : float
        WGS 84 degrees.
    feature : str
        GeoNames feature code (``PPLA``, ``ADM1``, ``PCLI``...).
    country : str or None
        ISO 3166-1 alpha-2.
    admin1 : str or None
        Its first-level division.
    population : int
    confidence : float
        In [0, 1].
    reason : str
        One line: why this candidate.
    alternatives : tuple of Alternative
        The runners-up.
    """

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
        """Refuse coordinates off the globe and a confidence outside [0, 1]."""
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
        """The place as a GeoJSON point, for shapely, geopandas and folium."""
        return {"type": "Point", "coordinates": (self.lon, self.lat)}


@dataclass(frozen=True, slots=True)
class DateResolution:
    """When an event happened, after NGEC's date schema.

    Attributes
    ----------
    start, end : datetime.date or None
        Inclusive; both None when unresolved.
    granularity : str
        One of :data:`GRANULARITIES`.
    date_type : str
        One of :data:`DATE_TYPES`.
    reason : str
        One line: how the date was read.
    text : str
        The expression as written, empty when the date is not the sentence's own.

    Examples
    --------
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
        """Refuse unknown granularities and date types, and a range that ends before it starts."""
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
    """Where an event was read.

    Attributes
    ----------
    doc_id : str
    title, url : str or None
    sentence : str
        The sentence of that document that tells the event ('' when not kept).
    published : PartialDate or None
        The document's date.
    """

    doc_id: str
    title: str | None = None
    url: str | None = None
    sentence: str = ""
    published: PartialDate | None = None


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
    """Something that happened somewhere, at some time, told by a sentence.

    Attributes
    ----------
    type : str
        A registered event type (:data:`geomap.taxonomy.EVENT_TYPES`).
    place : Place
        Where it happened.
    date : DateResolution
        When.
    sentence : str
        The sentence that tells it.
    trigger, subtype : str
        The word that names it, and its ACLED sub-event type.
    actors : tuple of str
    geo_precision : int
        ACLED geo_precision, 1 to 3.
    confidence : float
        In [0, 1].
    reason : str
        Why this place and type.
    source : Source
        The document that told it.
    sources : tuple of Source
        Every document that told it, once grouped.
    status : str
        ``fact``, ``negated``, ``hypothetical``, ``future``, ``generic`` or
        ``background`` (an event the story recalls from more than a year before it).
    place_text : str
        The place as the sentence names it.
    """

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
        """Refuse unknown types and statuses, a geo precision not 1-3, a confidence off [0, 1]."""
        from .taxonomy import EVENT_TYPES  # late: taxonomy imports nothing from here

        _check_choice("event type", self.type, tuple(EVENT_TYPES))
        _check_choice("event status", self.status, STATUSES)
        if self.geo_precision not in (1, 2, 3):
            raise InvalidRecord(f"geo_precision {self.geo_precision!r} must be 1, 2 or 3")
        _check_unit(f"event '{self.type}' confidence", self.confidence)

    @property
    def time_precision(self) -> int:
        """ACLED time precision of the event's date (see :attr:`DateResolution.time_precision`)."""
        return self.date.time_precision

    @property
    def plover_resolution(self) -> int:
        """PLOVER geographic resolution: 5 sub-city ... 1 country."""
        return {"point": 4, "admin2": 3, "region": 2, "admin1": 2, "country": 1}[self.place.level]

    @property
    def lat(self) -> float:
        """Latitude of the event's place."""
        return self.place.lat

    @property
    def lon(self) -> float:
        """Longitude of the event's place."""
        return self.place.lon

    @property
    def first_reported(self) -> PartialDate | None:
        """The earliest publication date among the event's sources, if any is known."""
        days = [s.published for s in self.all_sources if s.published is not None]
        return min(days, key=lambda d: (d.year, d.month or 0, d.day or 0)) if days else None

    @property
    def mention_count(self) -> int:
        """How many times the event is told (at least once)."""
        return max(1, len(self.tellings))

    @property
    def all_sources(self) -> tuple[Source, ...]:
        """Every source that told the event (its own when it was not grouped)."""
        return self.sources or (self.source,)

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """The event's place as a GeoJSON point."""
        return self.place.__geo_interface__


# -- parse records: what recognition hands the later stages, without spaCy ---------------


@dataclass(frozen=True, slots=True)
class Token:
    """A token as later stages need it, without spaCy.

    Attributes
    ----------
    i : int
        Index in the document.
    text, lemma, pos, dep : str
        As spaCy gives them (universal POS tags, dependency labels).
    head : int
        Document index of its syntactic head (itself for a root).
    idx : int
        Character offset in the document text.
    morph : str
        Morphological features (``Number=Plur|Tense=Past``).
    """

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
    """One sentence: character span in the document text and its tokens.

    Attributes
    ----------
    index : int
        Position in the document.
    start, end : int
        Offsets in the document text.
    text : str
    tokens : tuple of Token
    entities : tuple of (int, int, str, str)
        Named entities: start, end (document offsets), label, text.
    """

    index: int
    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]
    entities: tuple[tuple[int, int, str, str], ...] = ()  # (start, end, label, text), doc offsets


@dataclass(frozen=True, slots=True)
class Parsed:
    """A document after recognition.

    Attributes
    ----------
    document : Document
    lang : str
        The language it was read in.
    sentences : tuple of Sentence
    mentions : tuple of Mention
    """

    document: Document
    lang: str
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
