"""geomap: news text to mapped, typed, dated events, offline.

>>> import geomap
>>> sorted(geomap.EVENT_TYPES)[:3]
['accusation', 'agreement', 'aid']

Typical use::

    events = geomap.run(["Des combats ont eu lieu à Koursk lundi.", Path("article.txt")], lang="fr")
    events.filter(start="2024-06", types="armed_clash").to_map()

``import geomap`` loads no spaCy model and does not import spaCy: the pipeline
(:func:`run`, :class:`Pipeline`, :class:`DocumentResult`) is imported on first use.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

from .collection import EventCollection, filter_events
from .errors import GeomapError
from .records import (
    Alternative,
    DateResolution,
    Document,
    Event,
    Mention,
    MentionHints,
    PartialDate,
    Place,
    Source,
)
from .taxonomy import EVENT_TYPES, EventType

if _typing.TYPE_CHECKING:
    from .pipeline import DocumentResult, Pipeline, run

__version__ = "0.1.0"

__all__ = [
    "run",
    "Pipeline",
    "DocumentResult",
    "EventCollection",
    "filter_events",
    "GeomapError",
    "Document",
    "PartialDate",
    "Mention",
    "MentionHints",
    "Place",
    "Alternative",
    "DateResolution",
    "Source",
    "Event",
    "EventType",
    "EVENT_TYPES",
    "__version__",
]

#: Public names imported on first use, by the module that defines them (the pipeline
#: imports spaCy, which takes seconds and is not needed to read records or maps).
_LAZY = {"run": "pipeline", "Pipeline": "pipeline", "DocumentResult": "pipeline"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        value = getattr(_importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'geomap' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
