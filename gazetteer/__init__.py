"""geomap's local gazetteer: build from offline sources, search, reverse geocode.

Open a built database with :func:`open_gazetteer` and query it::

    >>> from gazetteer import fold
    >>> fold("Île-de-France")
    'ile de france'

Build one with :func:`build_default` (packaged sources only, no download) or
:func:`build_geonames` (standard GeoNames dumps), or from the command line with
``geomap gazetteer build``.
"""

from __future__ import annotations

from ._fold import fold
from ._schema import KINDS, SCHEMA_VERSION
from .core import (
    Candidate,
    Gazetteer,
    ReverseResult,
    default_path,
    haversine_km,
    open_gazetteer,
)
from .custom import load_custom
from .default import build_default
from .geonames import build_geonames

__all__ = [
    "KINDS",
    "Gazetteer",
    "Candidate",
    "ReverseResult",
    "open_gazetteer",
    "default_path",
    "build_default",
    "build_geonames",
    "load_custom",
    "fold",
    "haversine_km",
    "SCHEMA_VERSION",
]
