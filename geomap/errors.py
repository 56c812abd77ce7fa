"""geomap's error tree (rooted in :mod:`gazetteer.errors`).

Every message names the bad input and, where there is a closed set of valid
values, lists the options.
"""

from __future__ import annotations

from gazetteer.errors import (
    CustomPlacesError,
    GazetteerBuildError,
    GazetteerCorrupt,
    GazetteerError,
    GazetteerNotFound,
    GazetteerSchemaError,
    GeomapError,
)

__all__ = [
    "GeomapError",
    "GazetteerError",
    "GazetteerNotFound",
    "GazetteerCorrupt",
    "GazetteerSchemaError",
    "GazetteerBuildError",
    "CustomPlacesError",
    "InputError",
    "EmptyInput",
    "BinaryInput",
    "EncodingError",
    "MalformedJSONLine",
    "NoArticleText",
    "NotHTML",
    "FetchError",
    "FeedError",
    "InvalidDate",
    "InvalidCoordinate",
    "InvalidRecord",
    "UnknownOption",
    "ModelNotFound",
    "AssetsNotFound",
    "options_message",
]


def options_message(kind: str, value: object, options: object) -> str:
    """Return "unknown <kind> '<value>'; options are: a, b, c".

    >>> options_message("event type", "riots", ["riot", "protest"])
    "unknown event type 'riots'; options are: riot, protest"
    """
    listed = ", ".join(str(o) for o in options)  # type: ignore[attr-defined]
    return f"unknown {kind} '{value}'; options are: {listed}"


class InputError(GeomapError, ValueError):
    """An input document or file that cannot be read as text."""


class EmptyInput(InputError):
    """A file or text with nothing to process."""


class BinaryInput(InputError):
    """A file that holds binary data, not text."""


class EncodingError(InputError, UnicodeError):
    """Text that is not UTF-8."""


class MalformedJSONLine(InputError):
    """A JSON-lines record that does not parse or lacks required keys."""


class NoArticleText(EmptyInput):
    """A web page (saved or fetched) whose main text extraction found no article."""


class NotHTML(InputError):
    """A fetched resource that is neither a web page, a feed nor plain text (an image, a PDF)."""


class FetchError(InputError, OSError):
    """A URL that could not be fetched: HTTP error, timeout, robots.txt, size limit, network."""


class FeedError(InputError):
    """An RSS or Atom feed, or one of its items, that cannot be read."""


class InvalidDate(GeomapError, ValueError):
    """A date that does not parse or cannot exist (2025-02-30)."""


class InvalidCoordinate(GeomapError, ValueError):
    """A latitude outside [-90, 90] or a longitude outside [-180, 180]."""


class InvalidRecord(GeomapError, ValueError):
    """A record field with a value it cannot hold."""


class UnknownOption(GeomapError, ValueError):
    """A value outside a closed set (language, event type, format...)."""


class ModelNotFound(GeomapError, OSError):
    """A spaCy pipeline that is not installed."""


class AssetsNotFound(GeomapError, FileNotFoundError):
    """The local JS/CSS copies an offline map inlines are not installed."""
