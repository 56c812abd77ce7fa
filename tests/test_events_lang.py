"""The event stage's language knowledge comes from the language packs, and only from them;
its public API is curated."""

from __future__ import annotations

import pytest

from geomap.errors import UnknownOption
from geomap.events import classify, load_triggers, subevent_scores
from geomap.events.actors import actor_roles
from geomap.events.words import event_words
from geomap.lang import language_pack
from geomap.testing import parsed, sentence

EVENT_SECTIONS = ("events", "triggers", "acled", "actors")


@pytest.mark.parametrize("section", EVENT_SECTIONS)
def test_both_packs_hold_every_event_section(section):
    en, fr = language_pack("en").section(section), language_pack("fr").section(section)
    assert {k for k in en if not k.startswith("_")} == {k for k in fr if not k.startswith("_")}
    assert en.get("_about") and fr.get("_about")


@pytest.mark.parametrize("load", [load_triggers, event_words, actor_roles,
                                  lambda lang: subevent_scores("Police fired tear gas.", lang)])
def test_an_unsupported_language_names_the_options_instead_of_reading_english(load):
    with pytest.raises(UnknownOption, match="unknown language 'es'; options are: en, fr"):
        load("es")


def test_a_spanish_document_is_refused_not_read_as_english():
    doc = parsed(sentence("La policía detuvo a tres hombres .",
                          lemmas="el policía detener a tres hombre .",
                          pos="DET NOUN VERB ADP NUM NOUN PUNCT",
                          deps="det nsubj ROOT case nummod obj punct",
                          heads=[1, 2, 2, 5, 5, 2, 2]), lang="es")
    with pytest.raises(UnknownOption, match="options are: en, fr"):
        classify(doc)


def test_each_language_has_its_own_words():
    fr, en = event_words("fr"), event_words("en")
    assert "près" in fr.at and "près" not in en.at
    assert "near" in en.at and "near" not in fr.at
    assert "deny" in en.denial and "démentir" in fr.denial
    assert dict(fr.anaphors)["region"] >= {"cette région"}
    assert actor_roles("fr")["soldat"] == actor_roles("en")["soldier"] == "military forces"


def test_the_acled_cues_of_each_language_read_its_own_text():
    text = "Une frappe aérienne a touché le dépôt."
    assert "Air/drone strike" in subevent_scores(text, "fr")
    assert "Air/drone strike" not in subevent_scores(text, "en")
    assert "Air/drone strike" in subevent_scores("A drone strike hit the depot.", "en")


def test_the_public_api_is_curated():
    import importlib
    import inspect

    import geomap.events
    import geomap.group

    assert sorted(geomap.events.__all__) == sorted([
        "TriggerSet", "EventMention", "load_triggers", "classify", "main_event",
        "place_of_trigger", "detect_events", "geo_precision", "own_place", "subevent_scores"])
    assert geomap.group.__all__ == ["POINT_KM", "SURE_PLACE", "date_slack", "group_events",
                                    "group_indexed", "same_happening", "told_by"]
    for name in ("engine", "engine.driver", "engine.executors", "engine.partition",
                 "engine.progress", "engine.worker"):
        module = importlib.import_module(f"geomap.{name}")
        own = {n for n, v in vars(module).items() if not n.startswith("_")
               and (inspect.isfunction(v) or inspect.isclass(v))
               and v.__module__ == module.__name__}
        assert own <= set(module.__all__), (name, own - set(module.__all__))
    for name in ("actors", "coding", "detect", "fallbacks", "families", "places", "status",
                 "tree", "triggers", "words"):
        module = importlib.import_module(f"geomap.events.{name}")
        own = {n for n, v in vars(module).items() if not n.startswith("_")
               and (inspect.isfunction(v) or inspect.isclass(v))
               and v.__module__ == module.__name__}
        assert own <= set(module.__all__), (name, own - set(module.__all__))
