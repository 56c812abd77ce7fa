"""The ``geomap_places`` spaCy component: recognition and resolution inside a spaCy pipeline.

Registered when this module is imported::

    import spacy
    import geomap.component  # registers the factory

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("geomap_places", config={"gazetteer": None, "demonyms": False})
    doc = nlp("Protesters marched from Paris, Texas to Dallas.")
    for span in doc.spans["geomap_places"]:
        print(span.text, span.label_, span._.place)

It composes the stages as the pipeline does (recognise → recall → resolve);
spaCy itself is imported by :mod:`geomap.recognise` only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .recognise import recognise_doc, register_factory
from .records import Document
from .resolve import GazetteerLike, lexicon, recall, resolve

__all__ = ["PlacesComponent", "register_component", "SPAN_KEY"]

#: The ``doc.spans`` key the ``geomap_places`` component writes.
SPAN_KEY = "geomap_places"


class PlacesComponent:
    """spaCy pipeline component: recognise and resolve places, as geomap does.

    It must come after the NER and a sentence splitter (parser or senter).
    Each span of ``doc.spans["geomap_places"]`` is labelled with the mention
    kind (``toponym``, ``region``, ``demonym``) and carries the resolved
    :class:`~geomap.records.Place` (or ``None``) in ``span._.place``;
    ``doc._.places`` lists the same places in span order.

    Parameters
    ----------
    gazetteer : GazetteerLike
        The gazetteer resolving the names.
    lang : str
        ``"fr"`` or ``"en"`` (the pipeline's language by default).
    demonyms : bool
        Also keep demonyms ("Russian" → Russia) as spans.
    packs : sequence of str
        Opt-in language packs (``"fr-hist"``).
    """

    def __init__(self, gazetteer: GazetteerLike, lang: str, demonyms: bool = False,
                 packs: Sequence[str] = ()) -> None:
        self.gazetteer = gazetteer
        self.lang = lang
        self.demonyms = demonyms
        self.packs = tuple(packs)

    def __call__(self, doc: Any) -> Any:
        """Find, resolve and attach the places of ``doc``."""
        recognised = recognise_doc(Document("spacy", doc.text, lang=self.lang), doc, self.lang,
                                   lexicon(self.gazetteer, self.lang), self.packs)
        mentions = list(recall(recognised, self.gazetteer).mentions)
        places = resolve(mentions, self.gazetteer, lang=self.lang)
        spans, kept = [], []
        for m, place in zip(mentions, places, strict=True):
            if m.kind == "demonym" and not self.demonyms:
                continue
            span = doc.char_span(m.start, m.end, label=m.kind, alignment_mode="expand")
            if span is None:
                continue
            span._.place = place
            spans.append(span)
            kept.append(place)
        doc.spans[SPAN_KEY] = spans
        doc._.places = kept
        return doc


def _make(nlp: Any, name: str, gazetteer: str | None, lang: str | None, demonyms: bool,
          packs: list[str]) -> PlacesComponent:
    from gazetteer import open_gazetteer

    return PlacesComponent(open_gazetteer(gazetteer), lang or nlp.lang, demonyms, packs)


def register_component() -> None:
    """Register the ``geomap_places`` factory and the ``place``/``places`` extensions.

    Called on import of this module; safe to call again.
    """
    register_factory("geomap_places", _make,
                     {"gazetteer": None, "lang": None, "demonyms": False, "packs": []},
                     "place", "places")


register_component()
