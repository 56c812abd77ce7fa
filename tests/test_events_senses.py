"""Word senses a trigger needs: its part of speech, and a place for a territory verb's object.

Sentences are built by hand (geomap.testing), parsed as spaCy's models parse them.
"""

from __future__ import annotations

from geomap.events import classify
from geomap.testing import parsed, sentence


def _types(s, lang="en", places=()):  # type: ignore[no-untyped-def]
    return {m.type for m in classify(parsed(s, lang=lang, date="2025-04-28", places=places))}


def test_a_verb_only_trigger_counts_as_a_verb_not_as_a_noun():
    stationed = sentence("Troops were stationed in Rzeszow .",
                         lemmas="troop be station in Rzeszow .",
                         pos="NOUN AUX VERB ADP PROPN PUNCT",
                         deps="nsubjpass auxpass ROOT prep pobj punct",
                         heads=[2, 2, 2, 2, 3, 2], ents=[(4, 5, "GPE")])
    assert "troop_deployment" in _types(stationed, places=["Rzeszow"])
    station = sentence("A fire broke out at the police station in Dover .",
                       lemmas="a fire break out at the police station in Dover .",
                       pos="DET NOUN VERB ADP ADP DET NOUN NOUN ADP PROPN PUNCT",
                       deps="det nsubj ROOT prt prep det compound pobj prep pobj punct",
                       heads=[1, 2, 2, 2, 2, 7, 7, 4, 7, 8, 2], ents=[(9, 10, "GPE")])
    assert "troop_deployment" not in _types(station, places=["Dover"])
    state = sentence("The state 's racetracks in Charleston have hotels .",
                     lemmas="the state 's racetrack in Charleston have hotel .",
                     pos="DET NOUN PART NOUN ADP PROPN VERB NOUN PUNCT",
                     deps="det poss case nsubj prep pobj ROOT dobj punct",
                     heads=[1, 3, 1, 6, 3, 4, 6, 6, 6], ents=[(5, 6, "GPE")])
    assert "statement" not in _types(state, places=["Charleston"])
    stated = sentence("The ministry in Kyiv stated that talks would resume .",
                      lemmas="the ministry in Kyiv state that talk would resume .",
                      pos="DET NOUN ADP PROPN VERB SCONJ NOUN AUX VERB PUNCT",
                      deps="det nsubj prep pobj ROOT mark nsubj aux ccomp punct",
                      heads=[1, 4, 1, 2, 4, 8, 8, 8, 4, 4], ents=[(3, 4, "GPE")])
    assert "statement" in _types(stated, places=["Kyiv"])


def test_a_territory_verb_needs_a_place_for_its_object():
    town = sentence("Rebels seized the town of Kidal .",
                    lemmas="rebel seize the town of Kidal .",
                    pos="NOUN VERB DET NOUN ADP PROPN PUNCT",
                    deps="nsubj ROOT det dobj prep pobj punct",
                    heads=[1, 1, 3, 1, 3, 4, 1], ents=[(5, 6, "GPE")])
    assert "territory_change" in _types(town, places=["Kidal"])
    items = sentence("In Monroe , agents seized some documents .",
                     lemmas="in Monroe , agent seize some document .",
                     pos="ADP PROPN PUNCT NOUN VERB DET NOUN PUNCT",
                     deps="prep pobj punct nsubj ROOT det dobj punct",
                     heads=[4, 0, 4, 4, 4, 6, 4, 4], ents=[(1, 2, "GPE")])
    assert "territory_change" not in _types(items, places=["Monroe"])
    control = sentence("Russian forces took control of Avdiivka .",
                       lemmas="russian force take control of Avdiivka .",
                       pos="ADJ NOUN VERB NOUN ADP PROPN PUNCT",
                       deps="amod nsubj ROOT dobj prep pobj punct",
                       heads=[1, 2, 2, 2, 3, 4, 2], ents=[(5, 6, "GPE")])
    assert "territory_change" in _types(control, places=["Avdiivka"])
    no_object = sentence("The army withdrew from Kherson .",
                         lemmas="the army withdraw from Kherson .",
                         pos="DET NOUN VERB ADP PROPN PUNCT",
                         deps="det nsubj ROOT prep pobj punct",
                         heads=[1, 2, 2, 2, 3, 2], ents=[(4, 5, "GPE")])
    assert "territory_change" in _types(no_object, places=["Kherson"])


def test_a_french_territory_verb_needs_a_place_for_its_object():
    ville = sentence("Les rebelles ont capturé la ville de Kidal .",
                     lemmas="le rebelle avoir capturer le ville de Kidal .",
                     pos="DET NOUN AUX VERB DET NOUN ADP PROPN PUNCT",
                     deps="det nsubj aux ROOT det obj case nmod punct",
                     heads=[1, 3, 3, 3, 5, 3, 7, 5, 3], ents=[(7, 8, "LOC")])
    assert "territory_change" in _types(ville, "fr", places=["Kidal"])
    plainte = sentence("À Lyon , le maire a retiré sa plainte .",
                       lemmas="à Lyon , le maire avoir retirer son plainte .",
                       pos="ADP PROPN PUNCT DET NOUN AUX VERB DET NOUN PUNCT",
                       deps="case obl:mod punct det nsubj aux ROOT det obj punct",
                       heads=[1, 6, 6, 4, 6, 6, 6, 8, 6, 6], ents=[(1, 2, "LOC")])
    assert "territory_change" not in _types(plainte, "fr", places=["Lyon"])
    troupes = sentence("L' armée a retiré ses troupes de Kherson .",
                       lemmas="le armée avoir retirer son troupe de Kherson .",
                       pos="DET NOUN AUX VERB DET NOUN ADP PROPN PUNCT",
                       deps="det nsubj aux ROOT det obj case obl:arg punct",
                       heads=[1, 3, 3, 3, 5, 3, 7, 3, 3], ents=[(7, 8, "LOC")])
    assert "territory_change" in _types(troupes, "fr", places=["Kherson"])


def test_a_release_needs_someone_released():
    prisoners = sentence("Kyiv released two Russian prisoners .",
                         lemmas="Kyiv release two russian prisoner .",
                         pos="PROPN VERB NUM ADJ NOUN PUNCT",
                         deps="nsubj ROOT nummod amod dobj punct",
                         heads=[1, 1, 4, 4, 1, 1], ents=[(0, 1, "GPE")])
    assert "concession" in _types(prisoners, places=["Kyiv"])
    details = sentence("Authorities in Hanover released few details .",
                       lemmas="authority in Hanover release few detail .",
                       pos="NOUN ADP PROPN VERB ADJ NOUN PUNCT",
                       deps="nsubj prep pobj ROOT amod dobj punct",
                       heads=[3, 0, 1, 3, 5, 3, 3], ents=[(2, 3, "GPE")])
    assert "concession" not in _types(details, places=["Hanover"])
    hostages = sentence("The release of the hostages in Gaza began .",
                        lemmas="the release of the hostage in Gaza begin .",
                        pos="DET NOUN ADP DET NOUN ADP PROPN VERB PUNCT",
                        deps="det nsubj prep det pobj prep pobj ROOT punct",
                        heads=[1, 7, 1, 4, 2, 1, 5, 7, 7], ents=[(6, 7, "GPE")])
    assert "concession" in _types(hostages, places=["Gaza"])
    news = sentence("A news release from police in Dover said a man was robbed .",
                    lemmas="a news release from police in Dover say a man be rob .",
                    pos="DET NOUN NOUN ADP NOUN ADP PROPN VERB DET NOUN AUX VERB PUNCT",
                    deps="det compound nsubj prep pobj prep pobj ROOT det nsubjpass auxpass "
                         "ccomp punct",
                    heads=[2, 2, 7, 2, 3, 4, 5, 7, 9, 11, 11, 7, 7], ents=[(6, 7, "GPE")])
    assert "concession" not in _types(news, places=["Dover"])
    # The noun a participle qualifies is what was released, whoever released it.
    report = sentence("The report , released by the mayor John Harris , cited Dover .",
                      lemmas="the report , release by the mayor John Harris , cite Dover .",
                      pos="DET NOUN PUNCT VERB ADP DET NOUN PROPN PROPN PUNCT VERB PROPN "
                          "PUNCT",
                      deps="det nsubj punct acl agent det compound compound pobj punct ROOT "
                           "dobj punct",
                      heads=[1, 10, 1, 1, 3, 8, 8, 8, 4, 1, 10, 10, 10],
                      ents=[(7, 9, "PERSON"), (11, 12, "GPE")])
    assert "concession" not in _types(report, places=["Dover"])
    freed = sentence("The prisoners , released by the rebels , reached Dover .",
                     lemmas="the prisoner , release by the rebel , reach Dover .",
                     pos="DET NOUN PUNCT VERB ADP DET NOUN PUNCT VERB PROPN PUNCT",
                     deps="det nsubj punct acl agent det pobj punct ROOT dobj punct",
                     heads=[1, 8, 1, 1, 3, 6, 4, 1, 8, 8, 8], ents=[(9, 10, "GPE")])
    assert "concession" in _types(freed, places=["Dover"])


def test_a_french_release_needs_someone_released():
    otages = sentence("Le Mali a libéré trois otages à Gao .",
                      lemmas="le Mali avoir libérer trois otage à Gao .",
                      pos="DET PROPN AUX VERB NUM NOUN ADP PROPN PUNCT",
                      deps="det nsubj aux ROOT nummod obj case obl:mod punct",
                      heads=[1, 3, 3, 3, 5, 3, 7, 3, 3], ents=[(1, 2, "LOC"), (7, 8, "LOC")])
    assert "concession" in _types(otages, "fr", places=["Gao"])
    fonds = sentence("La mairie de Lyon a libéré des fonds .",
                     lemmas="le mairie de Lyon avoir libérer un fonds .",
                     pos="DET NOUN ADP PROPN AUX VERB DET NOUN PUNCT",
                     deps="det nsubj case nmod aux ROOT det obj punct",
                     heads=[1, 5, 3, 1, 5, 5, 7, 5, 5], ents=[(3, 4, "LOC")])
    assert "concession" not in _types(fonds, "fr", places=["Lyon"])


def _padding(n: int, lang: str = "en"):  # type: ignore[no-untyped-def]
    if lang == "fr":
        return [sentence("Le temps était doux .", lemmas="le temps être doux .",
                         pos="DET NOUN AUX ADJ PUNCT", deps="det nsubj cop ROOT punct",
                         heads=[1, 3, 3, 3, 3]) for _ in range(n)]
    return [sentence("The weather was mild .", lemmas="the weather be mild .",
                     pos="DET NOUN AUX ADJ PUNCT", deps="det nsubj ROOT acomp punct",
                     heads=[1, 2, 2, 2, 2]) for _ in range(n)]


def test_a_catch_all_activity_is_an_event_in_a_note_not_in_an_article():
    patrols = sentence("Soldiers conducted patrols in Kherson .",
                       lemmas="soldier conduct patrol in Kherson .",
                       pos="NOUN VERB NOUN ADP PROPN PUNCT", deps="nsubj ROOT dobj prep pobj punct",
                       heads=[1, 1, 1, 1, 3, 1], ents=[(4, 5, "GPE")])
    note = parsed(patrols, *_padding(1), date="2025-04-28", places=["Kherson"])
    assert "other" in {m.type for m in classify(note)}
    article = parsed(patrols, *_padding(40), date="2025-04-28", places=["Kherson"])
    assert len(article.document.text) > 700
    assert "other" not in {m.type for m in classify(article)}
    fr = sentence("Des soldats ont effectué des patrouilles à Kherson .",
                  lemmas="un soldat avoir effectuer un patrouille à Kherson .",
                  pos="DET NOUN AUX VERB DET NOUN ADP PROPN PUNCT",
                  deps="det nsubj aux ROOT det obj case obl:mod punct",
                  heads=[1, 3, 3, 3, 5, 3, 7, 3, 3], ents=[(7, 8, "LOC")])
    note = parsed(fr, *_padding(1, "fr"), lang="fr", date="2025-04-28", places=["Kherson"])
    assert "other" in {m.type for m in classify(note)}
    article = parsed(fr, *_padding(40, "fr"), lang="fr", date="2025-04-28", places=["Kherson"])
    assert "other" not in {m.type for m in classify(article)}

