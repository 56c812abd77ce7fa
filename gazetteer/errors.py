"""The error tree shared by ``gazetteer`` and ``geomap``.

The root lives here because ``gazetteer`` must not import ``geomap``
(``geomap`` depends on ``gazetteer``, never the reverse). Each class is also
the builtin it refines, so callers can catch either.
"""

from __future__ import annotations

__all__ = [
    "GeomapError",
    "GazetteerError",
    "GazetteerNotFound",
    "GazetteerCorrupt",
    "GazetteerSchemaError",
    "GazetteerBuildError",
    "CustomPlacesError",
    "CoordinateError",
    "UnknownKindError",
]


class GeomapError(Exception):
    """Root of every error geomap raises on purpose."""


class GazetteerError(GeomapError):
    """A problem with the local gazetteer database or its sources."""


class GazetteerNotFound(GazetteerError, FileNotFoundError):
    """No gazetteer database where one was expected."""


class GazetteerCorrupt(GazetteerError, ValueError):
    """The file exists but is not a geomap gazetteer (corrupt or foreign SQLite)."""


class GazetteerSchemaError(GazetteerError, ValueError):
    """The database was built by another schema version and must be rebuilt."""


class GazetteerBuildError(GazetteerError, RuntimeError):
    """A build could not complete; the previous database is left untouched."""


class CustomPlacesError(GazetteerError, ValueError):
    """A custom places file (CSV or GeoJSON) has a bad row or field."""


class CoordinateError(GazetteerError, ValueError):
    """A latitude or longitude out of range (or not a number)."""


class UnknownKindError(GazetteerError, ValueError):
    """A place kind that is not one of the gazetteer's kinds."""
