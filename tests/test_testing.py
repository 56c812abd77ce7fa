"""The record builders of geomap.testing: offsets, heads and a small real gazetteer."""

from __future__ import annotations

import pytest

from geomap.dates import sentence_dates
from geomap.errors import InvalidRecord
from geomap.events import detect_events
from geomap.resolve import resolve
from geomap.testing import GazetteerRow, parsed, sentence, small_gazetteer


@pytest.fixture(scope="module")
def kursk_gaz(tmp_path_factory):  # type: ignore[no-untyped-def]
    g = small_gazetteer([
        GazetteerRow(538560, "Kursk", 51.73, 36.19, "RU", population=440_000,
                     alternates=(("fr", "Koursk"),)),
        GazetteerRow(4995197, "Kursk", 44.0, -90.0, "US", population=600),
    ], tmp_path_factory.mktemp("gaz"))
    yield g
    g.close()


def _shelled() -> object:
    return sentence("Russian forces shelled Kursk on Monday .",
                    lemmas="russian force shell Kursk on Monday .",
                    pos="ADJ NOUN VERB PROPN ADP PROPN PUNCT",
                    deps="amod nsubj ROOT dobj prep pobj punct", heads=[1, 2, 2, 2, 2, 4, 2],
                    ents=[(0, 1, "NORP"), (3, 4, "GPE"), (5, 6, "DATE")])


def test_sentences_are_placed_one_after_another_with_their_tokens_and_entities():
    a = sentence("Protesters gathered .", deps="nsubj ROOT punct", heads=[1, 1, 1])
    b = _shelled()
    p = parsed(a, b, date="2025-04-28", places=["Kursk"], paragraph_breaks=[0])
    second = p.sentences[1]
    assert p.document.text.startswith("Protesters gathered .\n\nRussian")
    assert second.index == 1 and p.document.text[second.start:second.end] == second.text
    assert [t.i for t in second.tokens][:2] == [3, 4] and second.tokens[0].head == 4
    kursk = second.tokens[3]
    assert p.document.text[kursk.idx: kursk.idx + len(kursk.text)] == "Kursk"
    start, end, label, text = second.entities[1]
    assert (p.document.text[start:end], label, text) == ("Kursk", "GPE", "Kursk")
    assert p.mentions[0].sentence == 1 and p.mentions[0].text == "Kursk"


def test_builders_name_what_is_wrong():
    with pytest.raises(InvalidRecord, match="3 words but 2 lemmas"):
        sentence("a b c", lemmas="a b")
    with pytest.raises(InvalidRecord, match="heads"):
        sentence("a b", heads=[0, 5])
    with pytest.raises(InvalidRecord, match="'Kyiv' does not occur"):
        parsed(sentence("Rain in Kursk"), places=["Kyiv"])


def test_small_gazetteer_is_real_and_events_run_on_hand_built_records(kursk_gaz):
    assert [c.country_code for c in kursk_gaz.search("Koursk", lang="fr")][:1] == ["RU"]
    p = parsed(_shelled(), date="2025-04-28", places=["Kursk"])
    places = resolve(p.mentions, kursk_gaz, lang="en")
    assert places[0] is not None and places[0].country == "RU"
    events = detect_events(p, places, sentence_dates(p))
    assert [(e.type, e.place.name, str(e.date.start)) for e in events] == [
        ("remote_violence", "Kursk", "2025-04-28")]
