"""geomap: news text to mapped, typed, dated events, offline.

>>> import geomap
>>> sorted(geomap.EVENT_TYPES)[:3]
['accusation', 'agreement', 'aid']

Typical use::

    events = geomap.run(["Des combats ont eu lieu à Koursk lundi.", Path("article.txt")], lang="fr")
    events.filter(start="2024-06", types="armed_clash").to_map()
"""

from __future__ import annotations

from .collection import EventCollection, filter_events
from .errors import GeomapError
from .pipeline import DocumentResult, Pipeline, run
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
