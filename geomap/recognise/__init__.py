"""Recognise: the place spans a document names, from spaCy NER plus what it misses.

The only stage that imports spaCy (lazily, when a pipeline is loaded). It
turns a :class:`~geomap.records.Document` into a :class:`Recognised`
record: the sentences as plain token records, and the spans it proposes as
mentions with their hints (a region pattern's country and level, a
demonym's country, what the gazetteer must confirm). It takes no gazetteer;
everything that needs one (known-name recall, parent chains, population
thresholds) is the resolve stage's :func:`geomap.resolve.recall`.

The words, patterns and cues of each language are in
``geomap/lang/<code>/recognise.json``.
"""

from __future__ import annotations

from .finders import (
    NEEDS,
    PLACE_LABELS,
    Lexicon,
    Proposal,
    Recognised,
    recognise,
    recognise_doc,
    recognise_many,
)
from .model import (
    MODELS,
    PLACES_SKIP,
    doc_sentences,
    load_pipeline,
    register_factory,
    sentence_index,
)
from .rules import RecognitionRules, alternation, recognition_rules
from .spans import SpanCollector, common_word, name_like, single_letters, trim, zipf

__all__ = [
    "MODELS", "PLACES_SKIP", "load_pipeline", "doc_sentences", "sentence_index", "register_factory",
    "Lexicon", "Proposal", "Recognised", "NEEDS", "PLACE_LABELS",
    "recognise", "recognise_many", "recognise_doc",
    "RecognitionRules", "recognition_rules", "alternation",
    "SpanCollector", "trim", "name_like", "single_letters", "common_word", "zipf",
]
