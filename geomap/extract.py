"""The old name of recognition plus recall, kept while callers move to the new stages.

``extract(document, nlp, gazetteer, lang)`` is
:func:`geomap.pipeline.find_places`; new code imports
:mod:`geomap.recognise`, :mod:`geomap.resolve` and :mod:`geomap.component`.
Importing this module registers the ``geomap_places`` spaCy component, as it did.
"""

from __future__ import annotations

from .component import SPAN_KEY, PlacesComponent, register_component
from .pipeline import find_places as extract
from .pipeline import find_places_many as extract_many
from .recognise import MODELS, load_pipeline
from .records import Parsed, Sentence, Token

__all__ = ["MODELS", "Token", "Sentence", "Parsed", "load_pipeline", "extract", "extract_many",
           "PlacesComponent", "register_component", "SPAN_KEY"]
