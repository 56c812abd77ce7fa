"""Resolution rules on hand-made mentions (real gazetteer)."""

from __future__ import annotations

from geomap.records import Mention
from geomap.resolve import resolve


def _mentions(text: str, *names: str) -> list[Mention]:
    return [Mention(text.index(n), text.index(n) + len(n), n) for n in names]


def test_capital_over_the_state_of_the_same_name(gaz):
    text = "Lawmakers in Washington voted on Tuesday."
    (place,) = resolve(_mentions(text, "Washington"), gaz, lang="en")
    assert (place.country, place.feature) == ("US", "PPLC")
    assert "capital" in place.reason


def test_state_named_with_its_towns_stays_the_state(gaz):
    text = "Seattle, Spokane and Tacoma are the largest cities of Washington."
    places = resolve(_mentions(text, "Seattle", "Spokane", "Tacoma", "Washington"), gaz,
                     lang="en")
    assert places[-1].feature == "ADM1"
    assert places[0].admin1 == "WA"


def test_america_alone_is_the_united_states(gaz):
    text = "Jobs are coming back to America, the governor said in Ohio."
    place = resolve(_mentions(text, "America", "Ohio"), gaz, lang="en")[0]
    assert (place.country, place.feature) == ("US", "PCLI")


def test_datelines_in_capitals_are_places(nlp_en, nlp_fr, gaz):
    from geomap.extract import extract
    from geomap.records import Document

    text = "Council backs new budget. TORRINGTON, Conn. — The city council voted on Monday."
    parsed = extract(Document("d", text, lang="en"), nlp_en, gaz, "en")
    assert any(m.text == "TORRINGTON" for m in parsed.mentions)
    text = "KIEV (AFP) - Les secours ont fouillé les décombres toute la nuit."
    parsed = extract(Document("d", text, lang="fr"), nlp_fr, gaz, "fr")
    (kiev,) = [m for m in parsed.mentions if m.text == "KIEV"]
    assert resolve(list(parsed.mentions), gaz, lang="fr")[parsed.mentions.index(kiev)].geonameid \
        == 703448
    text = "BREAKING NEWS: markets fell sharply."
    parsed = extract(Document("d", text, lang="en"), nlp_en, gaz, "en")
    assert not parsed.mentions
