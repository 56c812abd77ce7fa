"""Recall with the gazetteer, on hand-built records: no spaCy model, a small real gazetteer."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest

from gazetteer import fold
from geomap.errors import UnknownOption
from geomap.pipeline import Pipeline
from geomap.recognise import PLACE_LABELS, Proposal, Recognised
from geomap.records import Document, MentionHints, Sentence, Token
from geomap.resolve import recall, resolve
from geomap.testing import GazetteerRow, small_gazetteer

ROWS = [
    GazetteerRow(2988507, "Paris", 48.85, 2.35, "FR", "P.PPLC", 2_100_000, "11"),
    GazetteerRow(4717560, "Paris", 33.66, -95.55, "US", "P.PPL", 25_000, "TX"),
    GazetteerRow(4736286, "Texas", 31.25, -99.25, "US", "A.ADM1", 0, "TX"),
    GazetteerRow(4314550, "Alexandria", 31.31, -92.44, "US", "P.PPL", 47_000, "LA"),
    GazetteerRow(361058, "Alexandria", 31.2, 29.92, "EG", "P.PPL", 3_800_000, "06"),
    GazetteerRow(4331987, "Louisiana", 31.0, -92.0, "US", "A.ADM1", 0, "LA"),
    GazetteerRow(4843564, "Torrington", 41.8, -73.12, "US", "P.PPL", 35_000, "CT"),
    GazetteerRow(4831725, "Connecticut", 41.67, -72.67, "US", "A.ADM1", 0, "CT"),
    GazetteerRow(4250542, "Springfield", 39.8, -89.64, "US", "P.PPL", 116_000, "IL"),
    GazetteerRow(2335196, "Kano", 11.5, 8.5, "NG", "A.ADM1", 0, "29"),
    GazetteerRow(2335204, "Kano", 12.0, 8.52, "NG", "P.PPLA", 3_600_000, "29"),
    GazetteerRow(4614867, "Brown", 35.1, -85.2, "US", "P.PPL", 900, "TN"),
    GazetteerRow(3174051, "Riva", 45.88, 10.84, "IT", "P.PPL", 15_000, "17"),
    GazetteerRow(3165744, "Torbole", 45.87, 10.87, "IT", "P.PPL", 1_000, "17"),
]


@pytest.fixture(scope="module")
def small(tmp_path_factory):  # type: ignore[no-untyped-def]
    g = small_gazetteer(ROWS, tmp_path_factory.mktemp("gaz"))
    yield g
    g.close()


_DET = {"The", "A", "Le", "La", "Les", "Des", "Il", "Elle", "Sheriff"}


def _recognised(text: str, lang: str = "en", ents: Iterable[tuple[str, str]] = (),
                proposals: Iterable[Proposal] = (), packs: tuple[str, ...] = ()) -> Recognised:
    """A document as recognition hands it on: tokens with their part of speech, entities."""
    tokens = []
    for k, m in enumerate(re.finditer(r"\w+(?:\.\w+)+\.|\w+|[^\w\s]", text)):
        w = m.group()
        pos = ("PUNCT" if not w[0].isalnum() else "DET" if w in _DET
               else "PROPN" if w[:1].isupper() else "NOUN")
        tokens.append(Token(k, w, w.lower(), pos, "dep", 0, m.start(), ""))
    entities = tuple((text.index(e), text.index(e) + len(e), label, e) for e, label in ents)
    sentence = Sentence(0, 0, len(text), text, tuple(tokens), entities)
    places = frozenset(fold(e) for _, _, label, e in entities if label in PLACE_LABELS - {"FAC"})
    persons = frozenset(fold(w) for _, _, label, e in entities if label in {"PER", "PERSON"}
                        and " " in e for w in e.split())
    return Recognised(Document("t", text, lang=lang), lang, (sentence,), tuple(proposals),
                      entities, places, persons, packs)


def _texts(recognised: Recognised, gaz) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.text for m in recall(recognised, gaz).mentions]


def _at(text: str, name: str, **kw) -> Proposal:  # type: ignore[no-untyped-def]
    start = text.index(name)
    return Proposal(start, start + len(name), **kw)


def test_a_proposal_that_needs_a_known_name_is_kept_only_when_the_gazetteer_has_it(small):
    text = "Les Romains et les Torbole"
    r = _recognised(text, "fr", proposals=[
        _at(text, "Romains", needs="known"), _at(text, "Torbole", needs="known")])
    assert _texts(r, small) == ["Torbole"]


def test_a_proposal_that_needs_an_area_is_kept_only_for_an_area(small):
    text = "Texas centrale, Paris centrale"
    r = _recognised(text, "fr", proposals=[
        _at(text, "Texas centrale", needs="area", hints=MentionHints(core="Texas")),
        _at(text, "Paris centrale", needs="area", hints=MentionHints(core="Paris"))])
    texts = _texts(r, small)
    assert "Texas centrale" in texts and "Paris centrale" not in texts


def test_alternatives_of_a_group_give_the_longest_free_span(small):
    text = "South Korean troops"
    first = _at(text, "Korean troops", kind="demonym")
    r = _recognised(text, proposals=[
        first,
        _at(text, "South Korean", kind="demonym", group=0),
        _at(text, "South", kind="demonym", group=0),
    ])
    # the first claim holds; the group's longest free alternative is taken
    assert _texts(r, small) == ["South", "Korean troops"]
    r = _recognised(text, proposals=[
        _at(text, "South Korean", kind="demonym", group=0),
        _at(text, "South", kind="demonym", group=0)])
    assert _texts(r, small) == ["South Korean"]


def test_known_name_after_a_locative_word_is_a_place(small):
    r = _recognised("The council met in Torrington on Monday.")
    assert _texts(r, small) == ["Torrington"]


def test_a_small_known_name_without_support_is_not_a_place(small):
    # Brown (900 people) is a town, but nothing here says it is one.
    assert _texts(_recognised("Officers said Brown left early."), small) == []


def test_a_surname_of_the_document_s_people_is_not_a_place(small):
    text = "Sheriff John Brown spoke. Later in Brown the deputies left."
    r = _recognised(text, ents=[("John Brown", "PERSON")])
    assert "Brown" not in _texts(r, small)
    assert _texts(_recognised(text), small) == ["Brown"]  # no person: the locative decides


def test_state_abbreviation_after_a_place_is_its_parent(small):
    text = "A fire broke out in Alexandria, La., on Friday."
    r = _recognised(text, ents=[("Alexandria", "GPE")], proposals=[
        _at(text, "Alexandria", hints=MentionHints(source="ner"))])
    parsed = recall(r, small)
    assert [m.text for m in parsed.mentions] == ["Alexandria", "La."]
    alexandria, la = parsed.mentions
    assert la.hints.core == "Louisiana" and alexandria.hints.parent == "Louisiana"
    place = resolve(parsed.mentions, small, lang="en")[0]
    assert place is not None and (place.country, place.admin1) == ("US", "LA")  # not Egypt


def test_no_state_abbreviations_in_french(small):
    text = "Un incendie à Alexandria, La., vendredi."
    r = _recognised(text, "fr", proposals=[_at(text, "Alexandria")])
    assert _texts(r, small) == ["Alexandria"]


def test_datelines_in_capitals_are_places_the_gazetteer_knows(small):
    assert _texts(_recognised("Budget passed. TORRINGTON — The council voted."), small) == [
        "TORRINGTON"]
    assert _texts(_recognised("BREAKING NEWS: markets fell."), small) == []


def test_a_bracketed_chain_vouches_for_a_name_and_becomes_its_parent(small):
    text = "Gunmen attacked Kano (Kano State, Nigeria) at dawn."
    parsed = recall(_recognised(text), small)
    first = parsed.mentions[0]
    assert (first.text, first.hints.parent) == ("Kano", "Kano, Nigeria")


def test_a_name_coordinated_with_a_place_fr(small):
    text = "Les bateaux vont entre Riva et Torbole chaque jour."
    r = _recognised(text, "fr", proposals=[_at(text, "Riva")])
    assert _texts(r, small) == ["Riva", "Torbole"]
    text = "Les bateaux vont entre Riva & Torbole chaque jour."
    r = _recognised(text, "fr", proposals=[_at(text, "Riva")])
    assert _texts(r, small) == ["Riva"]  # "&" joins names in the Encyclopédie only
    r = _recognised(text, "fr", proposals=[_at(text, "Riva")], packs=("fr-hist",))
    assert _texts(r, small) == ["Riva", "Torbole"]


def test_pipeline_refuses_an_unknown_opt_in_pack(small):
    with pytest.raises(UnknownOption, match="unknown language pack 'hist'; options are: fr-hist"):
        Pipeline(small, packs=["hist"])
    assert Pipeline(small, packs=["fr-hist"]).packs == ("fr-hist",)
