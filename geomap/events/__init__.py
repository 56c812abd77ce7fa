"""The detect stage: tie places and dates to typed events, sentence by sentence.

One module per concern, in the order detection runs:

- :mod:`~geomap.events.triggers`: the trigger lexicon of a language and the
  triggers of a sentence;
- :mod:`~geomap.events.coding`: ACLED sub-event coding (cues and codebook rules);
- :mod:`~geomap.events.status`: negation, modality and the future;
- :mod:`~geomap.events.places`: the place the trigger governs in the parse;
- :mod:`~geomap.events.fallbacks`: the place of an event whose sentence ties
  none to it (anaphora, the event before, the document's place or country),
  and coordinated places;
- :mod:`~geomap.events.actors`: who acted;
- :mod:`~geomap.events.detect`: :func:`classify`, :func:`detect_events`,
  :func:`main_event`, :func:`place_of_trigger`, headlines.

:mod:`~geomap.events.tree` holds the walks of the dependency tree they share,
:mod:`~geomap.events.words` the event words of each language (read from
``geomap/lang/<code>/events.json``), :mod:`~geomap.events.families` the
families of event types. Grouping the same event across documents is the
next stage, :mod:`geomap.group`.

>>> from geomap.events import load_triggers
>>> sorted(load_triggers("en").lemmas)[:2]
['accusation', 'agreement']
"""

from __future__ import annotations

from .coding import subevent_scores
from .detect import EventMention, classify, detect_events, main_event, place_of_trigger
from .places import geo_precision, own_place
from .triggers import TriggerSet, load_triggers

__all__ = ["TriggerSet", "EventMention", "load_triggers", "classify", "main_event",
           "place_of_trigger", "detect_events", "geo_precision", "own_place", "subevent_scores"]
