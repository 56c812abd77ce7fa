"""The places-only pipeline (geoparse, eval): fewer spaCy components, the same places."""

from __future__ import annotations

from geomap.pipeline import Pipeline
from geomap.recognise import PLACES_SKIP, load_pipeline
from geomap.records import Document, PartialDate

DOCS = [
    Document("en1", "Shelling hit Kharkiv on Monday, officials in Kyiv said. Aid convoys left "
                    "Poltava for Izium, and the mayor of Lviv asked Poland for more trucks.",
             lang="en", date=PartialDate(2024, 5, 6)),
    Document("fr1", "Des manifestants ont défilé samedi à Marseille et à Lyon. La préfecture des "
                    "Bouches-du-Rhône a interdit un rassemblement près d'Aix-en-Provence.",
             lang="fr", date=PartialDate(2024, 5, 4)),
]


def test_the_places_only_model_leaves_out_what_only_events_need():
    for lang in ("en", "fr"):
        full, lean = load_pipeline(lang), load_pipeline(lang, places_only=True)
        assert lean is not full and lean is load_pipeline(lang, places_only=True)
        assert "lemmatizer" in PLACES_SKIP
        assert set(full.pipe_names) - set(lean.pipe_names) == set(PLACES_SKIP)
        assert {"ner", "parser", "geomap_paragraphs"} <= set(lean.pipe_names)


def test_places_only_finds_the_same_places_and_no_events(gaz):
    full = list(Pipeline(gaz).process_many(DOCS))
    lean = list(Pipeline(gaz, places_only=True).process_many(DOCS))
    assert any(r.events for r in full)  # the full pipeline does find events here
    for a, b in zip(full, lean, strict=True):
        assert a.mentions == b.mentions and a.places == b.places
        assert len([p for p in b.places if p]) >= 3
        assert b.events == ()


def test_the_full_pipeline_loads_each_model_once(gaz):
    load_pipeline.cache_clear()
    load_pipeline("en")
    list(Pipeline(gaz).process_many(DOCS[:1]))
    assert load_pipeline.cache_info().currsize == 1
