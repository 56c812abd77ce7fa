"""What is not an event: names, modifiers, idioms, generic sentences, questions, a witness's blame.

Sentences are built by hand (geomap.testing), parsed as spaCy parses them.
"""

from __future__ import annotations

from geomap.dates import sentence_dates
from geomap.events import classify, detect_events, load_triggers
from geomap.events.masks import is_generic, masked_tokens
from geomap.testing import parsed, place, sentence

LYON = place("Lyon", 45.76, 4.84, country="FR", geonameid=2996944)


def _masked(s, lang="en"):  # type: ignore[no-untyped-def]
    return sorted(s.tokens[k].text for k in masked_tokens(s, load_triggers(lang)))


def test_a_trigger_inside_a_name_is_part_of_the_name():
    rsf = sentence("Les Forces de soutien rapide ont attaqué un camp .",
                   lemmas="le force de soutien rapide avoir attaquer un camp .",
                   pos="DET NOUN ADP NOUN ADJ AUX VERB DET NOUN PUNCT",
                   deps="det nsubj case nmod amod aux ROOT det obj punct",
                   heads=[1, 6, 3, 1, 3, 6, 6, 8, 6, 6], ents=[(1, 5, "ORG")])
    assert "soutien" in _masked(rsf, "fr") and "attaqué" not in _masked(rsf, "fr")
    museum = sentence("The Protest Museum in Lisbon reopened on Friday .",
                      lemmas="the protest museum in Lisbon reopen on Friday .",
                      pos="DET PROPN PROPN ADP PROPN VERB ADP PROPN PUNCT",
                      deps="det compound nsubj prep pobj ROOT prep pobj punct",
                      heads=[2, 2, 5, 2, 3, 5, 5, 6, 5])
    assert "Protest" in _masked(museum)
    p = parsed(museum, date="2025-04-28", places=["Lisbon"])
    assert not [m for m in classify(p) if m.type == "protest"]


def test_a_modifier_of_a_noun_that_is_no_trigger_names_a_kind_of_thing():
    s = sentence("Riot police dispersed the crowd in Lyon .",
                 lemmas="riot police disperse the crowd in Lyon .",
                 pos="NOUN NOUN VERB DET NOUN ADP PROPN PUNCT",
                 deps="compound nsubj ROOT det dobj prep pobj punct",
                 heads=[1, 2, 2, 4, 2, 2, 5, 2], ents=[(6, 7, "GPE")])
    assert _masked(s) == ["Riot"]
    p = parsed(s, date="2025-04-28", places=["Lyon"])
    assert "riot" not in {e.type for e in detect_events(p, [LYON], sentence_dates(p))}


def test_idioms_and_generic_sentences_tell_no_happening():
    s = sentence("Les deux présidents se sont rencontrés à plusieurs reprises à Lyon .",
                 lemmas="le deux président se être rencontrer à plusieurs reprise à Lyon .",
                 pos="DET NUM NOUN PRON AUX VERB ADP DET NOUN ADP PROPN PUNCT",
                 deps="det nummod nsubj expl:comp aux ROOT case det obl:mod case obl:mod punct",
                 heads=[2, 2, 5, 5, 5, 5, 8, 8, 5, 10, 5, 5], ents=[(10, 11, "LOC")])
    assert {"à", "plusieurs", "reprises"} <= set(_masked(s, "fr"))
    assert is_generic(s, "fr")
    p = parsed(s, lang="fr", date="2025-04-28", places=["Lyon"])
    assert {m.type: m.status for m in classify(p)} == {"meeting": "generic"}
    assert detect_events(p, [LYON], sentence_dates(p)) == []
    count = sentence("There were 40 robberies in Lyon last year .")
    assert is_generic(count, "en")
    assert not is_generic(sentence("Protesters gathered in Lyon on Monday ."), "en")


def test_a_question_is_no_fact():
    s = sentence("Did the army withdraw from Lyon ?",
                 lemmas="do the army withdraw from Lyon ?",
                 pos="AUX DET NOUN VERB ADP PROPN PUNCT",
                 deps="aux det nsubj ROOT prep pobj punct", heads=[3, 2, 3, 3, 3, 4, 3])
    p = parsed(s, date="2025-04-28", places=["Lyon"])
    assert [m.status for m in classify(p)] and all(m.status == "hypothetical"
                                                  for m in classify(p))


def test_a_witness_blaming_is_no_accusation_but_a_ministry_is():
    witness = sentence("A witness in Lyon blamed the police for the delay .",
                       lemmas="a witness in Lyon blame the police for the delay .",
                       pos="DET NOUN ADP PROPN VERB DET NOUN ADP DET NOUN PUNCT",
                       deps="det nsubj prep pobj ROOT det dobj prep det pobj punct",
                       heads=[1, 4, 1, 2, 4, 6, 4, 4, 9, 7, 4], ents=[(3, 4, "GPE")])
    ministry = sentence("The ministry in Lyon blamed the police for the delay .",
                        lemmas="the ministry in Lyon blame the police for the delay .",
                        pos="DET NOUN ADP PROPN VERB DET NOUN ADP DET NOUN PUNCT",
                        deps="det nsubj prep pobj ROOT det dobj prep det pobj punct",
                        heads=[1, 4, 1, 2, 4, 6, 4, 4, 9, 7, 4], ents=[(3, 4, "GPE")])
    for s, want in ((witness, []), (ministry, ["accusation"])):
        p = parsed(s, date="2025-04-28", places=["Lyon"])
        assert [e.type for e in detect_events(p, [LYON], sentence_dates(p))] == want
