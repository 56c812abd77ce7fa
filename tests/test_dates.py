"""Date resolution: every form in French and English against day, month and year document dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.dates import __all__ as dates_all
from geomap.dates import find_dates, resolve_date, sentence_dates
from geomap.dates.grammar import date_grammar, language_code
from geomap.errors import GeomapError, InputError, InvalidDate, UnknownOption
from geomap.lang import languages
from geomap.records import PartialDate
from geomap.testing import parsed, sentence

DAY = PartialDate(2025, 4, 28)  # a Monday
MONTH = PartialDate(2025, 4)
YEAR = PartialDate(2025)

D = dt.date


def only(text: str, doc: PartialDate | None, lang: str):
    found = find_dates(text, doc, lang)
    assert len(found) == 1, found
    return found[0][2]


def span(r):
    return r.start, r.end, r.granularity, r.date_type


def test_public_names():
    assert dates_all == ["find_dates", "resolve_date", "sentence_dates"]


# ----------------------------------------------------------------- absolute dates

@pytest.mark.parametrize("doc", [DAY, MONTH, YEAR, None])
@pytest.mark.parametrize(
    ("lang", "text", "day"),
    [
        ("fr", "Le cessez-le-feu a été signé le 12 avril 2025 à Genève.", D(2025, 4, 12)),
        ("fr", "Les pourparlers ont repris le 1er mars 2024.", D(2024, 3, 1)),
        ("fr", "Réunion prévue au siège le 2025-04-12.", D(2025, 4, 12)),
        ("fr", "Communiqué daté du 12/04/2025 au matin.", D(2025, 4, 12)),
        ("fr", "Le 3 fevrier 2024, la digue a cédé.", D(2024, 2, 3)),
        ("fr", "Vendredi 25 avril 2025, la frontière a rouvert.", D(2025, 4, 25)),
        ("en", "The truce was signed on April 12, 2025 in Geneva.", D(2025, 4, 12)),
        ("en", "Talks resumed on 12 April 2025.", D(2025, 4, 12)),
        ("en", "A statement dated 2025-04-12 was released.", D(2025, 4, 12)),
        ("en", "Observers arrived on the 3rd of March 2024.", D(2024, 3, 3)),
        ("en", "The form was filed 25/04/2025 by the council.", D(2025, 4, 25)),
    ],
)
def test_absolute_day(lang, text, day, doc):
    r = resolve_date(text, doc, lang)
    assert span(r) == (day, day, "day", "exact")
    assert r.time_precision == 1
    assert r.text in text


@pytest.mark.parametrize("doc", [DAY, MONTH, YEAR, None])
def test_day_without_year_takes_document_year(doc):
    r = resolve_date("Le 12 mars, le pont a été détruit.", doc, "fr")
    if doc is None:
        assert r.date_type == "unresolved" and r.start is None
    else:
        assert span(r) == (D(2025, 3, 12), D(2025, 3, 12), "day", "exact")
        assert "document date" in r.reason


def test_ambiguous_english_numeric_date_is_not_guessed():
    assert find_dates("The form dated 04/05/2025 was lost.", DAY, "en") == []
    r = only("Le formulaire du 04/05/2025 a été perdu.", DAY, "fr")
    assert r.start == D(2025, 5, 4)


@pytest.mark.parametrize("lang,text", [
    ("fr", "Le 31 février 2024, rien ne s'est passé."),
    ("fr", "Le 31/02/2024, rien."),
    ("en", "On February 30, 2024 nothing happened."),
    ("en", "Logged 2024-02-30 by the clerk."),
])
def test_impossible_dates_are_skipped(lang, text):
    assert find_dates(text, DAY, lang) == []
    assert resolve_date(text, DAY, lang).reason.startswith("no date in the sentence")


# ----------------------------------------------------------------- months and years

@pytest.mark.parametrize("doc", [DAY, MONTH, YEAR, None])
@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "Les combats ont repris en juin 2024 près du fleuve."),
    ("fr", "Juin 2024 a été le mois le plus meurtrier."),
    ("en", "Fighting resumed in June 2024 near the river."),
    ("en", "June 2024 was the deadliest month."),
])
def test_month_with_year(lang, text, doc):
    r = resolve_date(text, doc, lang)
    assert span(r) == (D(2024, 6, 1), D(2024, 6, 30), "month", "exact")
    assert r.time_precision == 3


@pytest.mark.parametrize(("lang", "text", "start", "end"), [
    ("en", "Four men were lynched near the river in the summer of 1946.",
     D(1946, 6, 1), D(1946, 8, 31)),
    ("fr", "Des milliers de personnes ont manifesté à Lyon à l'été 2016.",
     D(2016, 6, 1), D(2016, 8, 31)),
    ("en", "The army shelled the town in the winter of 2022.", D(2022, 12, 1), D(2023, 2, 28)),
    ("en", "Troops were first sent into the country in the 1970s.",
     D(1970, 1, 1), D(1979, 12, 31)),
    ("en", "Riots broke out in the late 1990s.", D(1996, 1, 1), D(1999, 12, 31)),
    ("fr", "Des troupes y ont été envoyées dans les années 70.", D(1970, 1, 1), D(1979, 12, 31)),
    ("fr", "Des émeutes ont éclaté au début des années 1990.", D(1990, 1, 1), D(1993, 12, 31)),
    ("en", "Thousands were arrested in France during World War Two.",
     D(1939, 1, 1), D(1945, 12, 31)),
    ("fr", "Des résistants ont été arrêtés à Lyon pendant la Seconde Guerre mondiale.",
     D(1939, 1, 1), D(1945, 12, 31)),
])
def test_seasons_decades_and_periods_of_history(lang, text, start, end):
    r = resolve_date(text, DAY, lang)
    assert (r.start, r.end, r.date_type) == (start, end, "range")


@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "Le barrage a été fermé en juin."),
    ("en", "The dam was closed in June."),
])
@pytest.mark.parametrize(("doc", "year"), [(DAY, 2024), (MONTH, 2024), (YEAR, 2025)])
def test_month_without_year_goes_back_when_after_document_month(lang, text, doc, year):
    r = resolve_date(text, doc, lang)
    assert span(r) == (D(year, 6, 1), D(year, 6, 30), "month", "approximate")


@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "Le barrage a été fermé en février."),
    ("en", "The dam was closed in February."),
])
def test_month_without_year_before_document_month_keeps_year(lang, text):
    r = resolve_date(text, MONTH, lang)
    assert span(r) == (D(2025, 2, 1), D(2025, 2, 28), "month", "approximate")
    assert "2025" in r.reason


def test_month_without_year_and_no_document_date():
    r = resolve_date("Le barrage a été fermé en Aout.", None, "fr")
    assert r.date_type == "unresolved" and r.start is None and r.text == "en Aout"


def test_english_month_names_must_be_capitalised():
    assert find_dates("They march in may if allowed.", DAY, "en") == []


@pytest.mark.parametrize("doc", [DAY, MONTH, YEAR, None])
@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "La centrale a été bombardée en 2023."),
    ("en", "The plant was shelled in 2023."),
])
def test_year(lang, text, doc):
    r = resolve_date(text, doc, lang)
    assert span(r) == (D(2023, 1, 1), D(2023, 12, 31), "year", "exact")


def test_counts_are_not_years():
    assert find_dates("Entre 1990 et 2000 personnes ont défilé.", DAY, "fr") == []
    assert find_dates("In 2000 homes the power failed.", DAY, "en") == []


# ----------------------------------------------------------------- weekdays

@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "Lundi, une colonne de blindés a traversé le village."),
    ("fr", "Le dépôt a brûlé samedi."),
    ("fr", "Le dépôt a brûlé samedi dernier."),
    ("en", "On Saturday a convoy crossed the village."),
    ("en", "The depot burned last Monday."),
])
def test_weekday_against_month_only_document_date_stays_at_month(lang, text):
    r = resolve_date(text, MONTH, lang)
    assert span(r) == (D(2025, 4, 1), D(2025, 4, 30), "month", "approximate")
    assert "cannot be placed" in r.reason and "month-only document date 2025-04" in r.reason
    assert r.time_precision == 3


def test_lundi_and_samedi_against_month_document_date():
    for word in ("lundi", "samedi"):
        text = f"Des tirs ont été signalés {word} près du port."
        r = resolve_date(text, PartialDate(2025, 4), "fr")
        assert (r.start, r.end, r.granularity, r.date_type) == (
            D(2025, 4, 1), D(2025, 4, 30), "month", "approximate")
        assert r.reason.startswith(f"weekday '{word}' against month-only document date 2025-04")


@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "Des tirs ont été entendus dans la vallée lundi."),
    ("fr", "Des tirs ont été entendus dans la vallée mardi."),
    ("en", "Shots were heard in the valley on Tuesday."),
])
def test_weekday_against_year_only_document_date(lang, text):
    r = resolve_date(text, YEAR, lang)
    assert span(r) == (D(2025, 1, 1), D(2025, 12, 31), "year", "approximate")


@pytest.mark.parametrize(("lang", "text", "day"), [
    ("fr", "Le pont a été visé samedi.", D(2025, 4, 26)),
    ("fr", "Le pont a été visé samedi dernier.", D(2025, 4, 26)),
    ("fr", "Le pont a été visé lundi.", D(2025, 4, 28)),  # the story's own Monday
    ("fr", "Le pont a été visé lundi dernier.", D(2025, 4, 21)),
    ("fr", "Le pont a été visé mercredi soir.", D(2025, 4, 23)),
    ("fr", "Le pont sera rouvert jeudi prochain.", D(2025, 5, 1)),
    ("en", "The bridge was hit on Saturday.", D(2025, 4, 26)),
    ("en", "The bridge was hit last Monday.", D(2025, 4, 21)),
    ("en", "The bridge was hit on Monday.", D(2025, 4, 28)),
    ("en", "The bridge was hit on Sunday night.", D(2025, 4, 27)),
    ("en", "The bridge reopens next Friday.", D(2025, 5, 2)),
])
def test_weekday_against_day_document_date(lang, text, day):
    r = resolve_date(text, DAY, lang)
    assert span(r) == (day, day, "day", "exact")
    assert "weekday" in r.reason and "2025-04-28" in r.reason


def test_samedi_against_monday_document_date():
    r = resolve_date("Une frappe a touché l'entrepôt samedi.", PartialDate(2025, 4, 28), "fr")
    assert (r.start, r.end, r.granularity, r.date_type) == (
        D(2025, 4, 26), D(2025, 4, 26), "day", "exact")


def test_weekday_without_document_date_is_unresolved():
    r = resolve_date("Le pont a été visé samedi.", None, "fr")
    assert r.date_type == "unresolved" and r.start is None and r.text == "samedi"


def test_habitual_weekday_is_not_a_date():
    assert find_dates("Le marché se tient chaque lundi.", DAY, "fr") == []
    assert find_dates("The market opens every Monday.", DAY, "en") == []


def test_night_of_saturday_to_sunday():
    r = resolve_date("Dans la nuit de samedi à dimanche, trois drones ont été abattus.", DAY, "fr")
    assert span(r) == (D(2025, 4, 26), D(2025, 4, 27), "day", "range")


@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "Le week-end dernier, la foule a envahi la place."),
    ("en", "Last weekend the crowd filled the square."),
])
def test_last_weekend(lang, text):
    assert span(resolve_date(text, DAY, lang)) == (D(2025, 4, 26), D(2025, 4, 27), "day", "range")


# ----------------------------------------------------------------- relative days

@pytest.mark.parametrize(("lang", "text", "offset"), [
    ("fr", "Hier, le maire a démissionné.", -1),
    ("fr", "Aujourd'hui, le maire a démissionné.", 0),
    ("fr", "Avant-hier, le maire a démissionné.", -2),
    ("fr", "Le maire démissionnera demain.", 1),
    ("fr", "Hier soir, le maire a démissionné.", -1),
    ("fr", "Il y a trois jours, le maire a démissionné.", -3),
    ("en", "Yesterday the mayor resigned.", -1),
    ("en", "The mayor resigned today.", 0),
    ("en", "The mayor will resign tomorrow.", 1),
    ("en", "The mayor resigned the day before yesterday.", -2),
    ("en", "The mayor resigned two days ago.", -2),
])
def test_relative_day(lang, text, offset):
    day = D(2025, 4, 28) + dt.timedelta(days=offset)
    assert span(resolve_date(text, DAY, lang)) == (day, day, "day", "exact")
    assert span(resolve_date(text, MONTH, lang)) == (D(2025, 4, 1), D(2025, 4, 30), "month",
                                                     "approximate")
    assert span(resolve_date(text, YEAR, lang)) == (D(2025, 1, 1), D(2025, 12, 31), "year",
                                                    "approximate")
    assert resolve_date(text, None, lang).date_type == "unresolved"


def test_future_is_said():
    assert "future" in resolve_date("Le vote aura lieu demain.", DAY, "fr").reason


# ----------------------------------------------------------------- weeks, months, years

@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "La semaine dernière, deux ponts ont été détruits."),
    ("fr", "La semaine passée, deux ponts ont été détruits."),
    ("en", "Two bridges were destroyed last week."),
])
def test_last_week(lang, text):
    r = resolve_date(text, DAY, lang)
    assert span(r) == (D(2025, 4, 21), D(2025, 4, 27), "week", "exact")
    assert r.time_precision == 2
    assert span(resolve_date(text, MONTH, lang)) == (D(2025, 4, 1), D(2025, 4, 30), "month",
                                                     "approximate")
    assert span(resolve_date(text, YEAR, lang))[2:] == ("year", "approximate")


@pytest.mark.parametrize(("lang", "text", "month"), [
    ("fr", "Ce mois-ci, les prix ont doublé.", 4),
    ("fr", "Le mois dernier, les prix ont doublé.", 3),
    ("en", "Prices doubled this month.", 4),
    ("en", "Prices doubled last month.", 3),
])
@pytest.mark.parametrize("doc", [DAY, MONTH])
def test_this_and_last_month(lang, text, month, doc):
    r = resolve_date(text, doc, lang)
    assert span(r) == (D(2025, month, 1), D(2025, month, 30 if month == 4 else 31), "month",
                       "exact")


def test_last_month_against_year_document_date():
    r = resolve_date("Prices doubled last month.", YEAR, "en")
    assert span(r) == (D(2025, 1, 1), D(2025, 12, 31), "year", "approximate")


@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "L'an dernier, la récolte a été mauvaise."),
    ("fr", "L'année dernière, la récolte a été mauvaise."),
    ("en", "Last year the harvest was poor."),
])
@pytest.mark.parametrize("doc", [DAY, MONTH, YEAR])
def test_last_year(lang, text, doc):
    assert span(resolve_date(text, doc, lang)) == (D(2024, 1, 1), D(2024, 12, 31), "year",
                                                   "exact")


# ----------------------------------------------------------------- since

@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "Depuis août 2024, la ville est encerclée."),
    ("en", "The town has been encircled since August 2024."),
])
@pytest.mark.parametrize(("doc", "end"), [
    (PartialDate(2025, 4), D(2025, 4, 30)),
    (DAY, D(2025, 4, 28)),
    (YEAR, D(2025, 12, 31)),
    (None, D(2024, 8, 31)),
])
def test_since_month(lang, text, doc, end):
    r = resolve_date(text, doc, lang)
    assert span(r) == (D(2024, 8, 1), end, "month", "range")
    assert r.text.lower().startswith(("depuis", "since"))


def test_since_day():
    r = resolve_date("Depuis le 24 février 2022, le port est bloqué.", MONTH, "fr")
    assert span(r) == (D(2022, 2, 24), D(2025, 4, 30), "day", "range")


# ----------------------------------------------------------------- vague spans

@pytest.mark.parametrize(("lang", "text", "start", "gran"), [
    ("fr", "Ces derniers jours, les bombardements se sont intensifiés.", D(2025, 4, 21), "week"),
    ("fr", "Ces dernières semaines, les bombardements se sont intensifiés.", D(2025, 4, 7),
     "month"),
    ("fr", "Les bombardements durent depuis plusieurs semaines.", D(2025, 4, 7), "month"),
    ("fr", "Les bombardements durent depuis plusieurs mois.", D(2025, 1, 28), "month"),
    ("en", "Shelling has intensified in recent days.", D(2025, 4, 21), "week"),
    ("en", "Shelling has gone on for several months.", D(2025, 1, 28), "month"),
    ("en", "Shelling has intensified over the past few weeks.", D(2025, 4, 7), "month"),
])
def test_vague_spans(lang, text, start, gran):
    r = resolve_date(text, DAY, lang)
    assert span(r) == (start, D(2025, 4, 28), gran, "approximate")
    assert span(resolve_date(text, MONTH, lang)) == (D(2025, 4, 1), D(2025, 4, 30), "month",
                                                     "approximate")
    assert span(resolve_date(text, YEAR, lang))[2:] == ("year", "approximate")
    assert resolve_date(text, None, lang).date_type == "unresolved"


def test_precise_date_beats_vague_span():
    text = "Depuis plusieurs semaines la tension monte, et samedi un dépôt a brûlé."
    assert resolve_date(text, DAY, "fr").start == D(2025, 4, 26)


# ----------------------------------------------------------------- ranges

@pytest.mark.parametrize(("lang", "text", "start", "end", "gran"), [
    ("fr", "Entre mars et mai 2024, la région a été évacuée.", D(2024, 3, 1), D(2024, 5, 31),
     "month"),
    ("fr", "Du 3 au 5 mars 2024, la région a été évacuée.", D(2024, 3, 3), D(2024, 3, 5), "day"),
    ("fr", "Du 28 décembre au 3 janvier 2025, la région a été évacuée.", D(2024, 12, 28),
     D(2025, 1, 3), "day"),
    ("fr", "De 2021 à 2023, la région a été évacuée.", D(2021, 1, 1), D(2023, 12, 31), "year"),
    ("en", "From March to May 2024 the region was evacuated.", D(2024, 3, 1), D(2024, 5, 31),
     "month"),
    ("en", "From 3 to 5 March 2024 the region was evacuated.", D(2024, 3, 3), D(2024, 3, 5),
     "day"),
    ("en", "On April 3-5, 2024 the region was evacuated.", D(2024, 4, 3), D(2024, 4, 5), "day"),
    ("en", "Between 2021 and 2023 the region was evacuated.", D(2021, 1, 1), D(2023, 12, 31),
     "year"),
])
@pytest.mark.parametrize("doc", [DAY, MONTH, YEAR, None])
def test_ranges(lang, text, start, end, gran, doc):
    assert span(resolve_date(text, doc, lang)) == (start, end, gran, "range")


def test_range_without_year_uses_document_date():
    r = resolve_date("Entre janvier et mars, la région a été évacuée.", MONTH, "fr")
    assert span(r) == (D(2025, 1, 1), D(2025, 3, 31), "month", "range")


def test_counts_are_not_day_ranges():
    assert find_dates("De 3 à 5 morts selon les secours.", DAY, "fr") == []
    assert find_dates("Between 3 and 5 people died.", DAY, "en") == []


# ----------------------------------------------------------------- parts of months and years

@pytest.mark.parametrize(("lang", "text", "start", "end", "gran"), [
    ("fr", "Début avril, la ligne de front a bougé.", D(2025, 4, 1), D(2025, 4, 10), "week"),
    ("fr", "À la mi-mars, la ligne de front a bougé.", D(2025, 3, 11), D(2025, 3, 20), "week"),
    ("fr", "Fin mars 2024, la ligne de front a bougé.", D(2024, 3, 21), D(2024, 3, 31), "week"),
    ("fr", "Fin 2024, la ligne de front a bougé.", D(2024, 10, 1), D(2024, 12, 31), "month"),
    ("fr", "Au début de l'année 2024, la ligne a bougé.", D(2024, 1, 1), D(2024, 3, 31),
     "month"),
    ("en", "In early April the front line moved.", D(2025, 4, 1), D(2025, 4, 10), "week"),
    ("en", "By mid-March the front line moved.", D(2025, 3, 11), D(2025, 3, 20), "week"),
    ("en", "In late 2024 the front line moved.", D(2024, 10, 1), D(2024, 12, 31), "month"),
    ("en", "At the end of last year the front line moved.", D(2024, 10, 1), D(2024, 12, 31),
     "month"),
])
def test_parts(lang, text, start, end, gran):
    assert span(resolve_date(text, DAY, lang)) == (start, end, gran, "approximate")


def test_part_of_month_after_document_month_goes_back():
    r = resolve_date("Fin octobre, le front a bougé.", MONTH, "fr")
    assert (r.start, r.end) == (D(2024, 10, 21), D(2024, 10, 31))


# ----------------------------------------------------------------- quarters

@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "Au premier trimestre 2024, les exportations ont chuté."),
    ("fr", "Au T1 2024, les exportations ont chuté."),
    ("en", "In the first quarter of 2024 exports fell."),
    ("en", "Exports fell in Q1 2024."),
])
@pytest.mark.parametrize("doc", [DAY, MONTH, YEAR, None])
def test_quarters(lang, text, doc):
    assert span(resolve_date(text, doc, lang)) == (D(2024, 1, 1), D(2024, 3, 31), "quarter",
                                                   "exact")


def test_quarter_without_year():
    r = resolve_date("Au troisième trimestre, les exportations ont chuté.", MONTH, "fr")
    assert span(r) == (D(2024, 7, 1), D(2024, 9, 30), "quarter", "approximate")


# ----------------------------------------------------------------- folding, offsets, order

def test_accents_and_case_are_folded():
    for text in ("le 3 FÉVRIER 2024", "le 3 fevrier 2024", "le 3 Février 2024"):
        assert only(text, DAY, "fr").start == D(2024, 2, 3)
    assert only("en Août 2024", DAY, "fr").start == D(2024, 8, 1)
    assert only("Aujourd’hui", DAY, "fr").start == D(2025, 4, 28)


def test_offsets_point_into_the_original_text_in_order():
    text = "Après les frappes de samedi, Kyiv a annoncé le 3 mars 2024 une trêve jusqu'en juin."
    found = find_dates(text, DAY, "fr")
    assert [text[s:e] for s, e, _ in found] == ["samedi", "le 3 mars 2024", "en juin"]
    assert [r.text for _, _, r in found] == ["samedi", "le 3 mars 2024", "en juin"]
    assert found == sorted(found, key=lambda f: f[0])


def test_resolve_prefers_first_expression():
    text = "Hier, l'armée a confirmé la perte du village, pris le 3 mars 2024."
    assert resolve_date(text, DAY, "fr").start == D(2025, 4, 27)


# ----------------------------------------------------------------- fallback and errors

def test_fallback_to_document_date():
    r = resolve_date("Des manifestants se sont rassemblés devant la mairie.", MONTH, "fr")
    assert span(r) == (D(2025, 4, 1), D(2025, 4, 30), "month", "approximate")
    assert r.reason == "no date in the sentence; document date 2025-04"
    r = resolve_date("Protesters gathered.", DAY, "en")
    assert span(r) == (D(2025, 4, 28), D(2025, 4, 28), "day", "approximate")


def test_nothing_at_all():
    r = resolve_date("Protesters gathered.", None, "en")
    assert r == resolve_date("", None, "fr")
    assert (r.start, r.end, r.granularity, r.date_type, r.reason) == (
        None, None, "day", "unresolved", "no date found")


def test_bad_arguments_raise_geomap_errors():
    with pytest.raises(UnknownOption, match="options are: en, fr"):
        find_dates("lundi", DAY, "de")
    with pytest.raises(InputError):
        find_dates(None, DAY, "fr")  # type: ignore[arg-type]
    with pytest.raises(InvalidDate):
        resolve_date("lundi", 20250428, "fr")  # type: ignore[arg-type]
    assert resolve_date("lundi", "2025-04", "fr-FR").granularity == "month"


def test_calendar_edges_do_not_raise():
    assert resolve_date("hier", PartialDate(1, 1, 1), "fr").date_type in DATE_TYPES_OK
    assert resolve_date("tomorrow", PartialDate(9999, 12, 31), "en").date_type in DATE_TYPES_OK
    assert resolve_date("l'an dernier", PartialDate(1), "fr").date_type in DATE_TYPES_OK


DATE_TYPES_OK = {"exact", "approximate", "range", "unresolved"}

# ----------------------------------------------------------------- property

WORDS = [
    "le", "du", "au", "en", "in", "on", "since", "depuis", "from", "to", "between", "and", "et",
    "entre", "lundi", "samedi", "Monday", "dernier", "last", "next", "prochain", "hier",
    "yesterday", "demain", "tomorrow", "aujourd'hui", "mars", "March", "May", "février", "Aout",
    "juin", "June", "1er", "3", "12", "31", "29", "2024", "2025", "1999", "2000", "fin", "début",
    "mi-", "early", "late", "mid-", "semaine", "week", "mois", "month", "année", "year", "ces",
    "derniers", "jours", "days", "recent", "plusieurs", "several", "for", "il", "y", "a", "ago",
    "trimestre", "quarter", "Q1", "T4", "premier", "first", "/", "-", ",", "12/04/2025",
    "2025-02-30", "04/05/2025", "nuit", "week-end", "weekend", "of", "the",
]


@st.composite
def doc_dates(draw):
    kind = draw(st.sampled_from(["none", "day", "month", "year"]))
    if kind == "none":
        return None
    d = draw(st.dates(min_value=D(1, 1, 1), max_value=D(9999, 12, 31)))
    if kind == "day":
        return PartialDate.from_date(d)
    if kind == "month":
        return PartialDate(d.year, d.month)
    return PartialDate(d.year)


texts = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join),
)


@settings(max_examples=300, deadline=None)
@given(text=texts, doc=doc_dates(), lang=st.sampled_from(["fr", "en"]))
def test_never_raises_and_ranges_are_ordered(text, doc, lang):
    try:
        found = find_dates(text, doc, lang)
        resolved = resolve_date(text, doc, lang)
    except GeomapError:
        return
    for start, end, r in found + [(0, 0, resolved)]:
        assert 0 <= start <= end <= len(text)
        assert (r.start is None) == (r.end is None)
        if r.start is not None:
            assert r.start <= r.end
    assert all(a[1] <= b[0] for a, b in zip(found, found[1:], strict=False))


# ----------------------------------------------------------- days after an anchor

@pytest.mark.parametrize("lang,text,delta", [
    ("en", "Two days later, police arrested three men.", 2),
    ("en", "Police arrested three men the next day.", 1),
    ("en", "The mayor had resigned the day before.", -1),
    ("en", "Rebels had entered the town three days earlier.", -3),
    ("fr", "Deux jours plus tard, la police a arrêté trois hommes.", 2),
    ("fr", "La police a arrêté trois hommes le lendemain.", 1),
    ("fr", "Le maire avait démissionné la veille.", -1),
])
def test_days_after_the_anchor(lang, text, delta):
    r = only(text, DAY, lang)
    assert span(r) == (DAY.start + dt.timedelta(days=delta),) * 2 + ("day", "exact")


@pytest.mark.parametrize("doc", [MONTH, None])
def test_days_after_a_month_or_no_anchor_invent_no_day(doc):
    r = resolve_date("Two days later, police arrested three men.", doc, "en")
    assert r.granularity != "day" or r.start is None


def test_the_day_before_yesterday_is_not_the_day_before():
    r = only("The mayor resigned the day before yesterday.", DAY, "en")
    assert r.start == DAY.start - dt.timedelta(days=2)


@pytest.mark.parametrize("lang,text", [
    ("en", "Around 7 May 2020, gunmen attacked a checkpoint."),
    ("en", "As reported on 7 May 2020, gunmen attacked a checkpoint."),
    ("fr", "Vers le 7 mai 2020, des hommes armés ont attaqué un poste de contrôle."),
])
def test_around_a_day_is_that_day_approximately(lang, text):
    r = only(text, None, lang)
    assert span(r) == (D(2020, 5, 7), D(2020, 5, 7), "day", "approximate")
    assert r.time_precision == 2


@pytest.mark.parametrize("lang,text", [
    ("en", "On 7 May 2020, gunmen attacked a checkpoint."),
    ("fr", "Le 7 mai 2020, des hommes armés ont attaqué un poste de contrôle."),
])
def test_a_day_without_hedge_is_exact(lang, text):
    r = only(text, None, lang)
    assert r.date_type == "exact" and r.time_precision == 1


# ------------------------------------------------- the language pack drives the words

PACK_LANGS = languages()

#: One sentence frame per language and kind of word; the pack's own words are put in.
FRAMES = {
    "fr": {"month": "Le 3 {} 2024, la digue a cédé.", "weekday": "Des tirs ont visé le port {}.",
           "quarter": "Les ventes ont chuté au {} trimestre 2024.",
           "number": "Le pont a été détruit il y a {} jours."},
    "en": {"month": "On {} 3, 2024, the dam failed.", "weekday": "Gunfire hit the port on {}.",
           "quarter": "Sales fell in the {} quarter of 2024.",
           "number": "The bridge was destroyed {} days ago."},
}


def _written(grammar, word: str) -> str:
    """The word as a text would write it: capitalised where the pack requires it."""
    return word.capitalize() if grammar.month_needs_capital else word


def test_every_pack_has_a_frame():
    assert set(FRAMES) == set(PACK_LANGS)


@pytest.mark.parametrize("lang", PACK_LANGS)
def test_every_month_of_each_pack_resolves(lang):
    g = date_grammar(lang)
    words = {**g.months, **g.month_abbreviations}
    assert set(g.months.values()) == set(range(1, 13))
    for word, month in words.items():
        text = FRAMES[lang]["month"].format(_written(g, word))
        r = resolve_date(text, None, lang)
        assert span(r) == (D(2024, month, 3), D(2024, month, 3), "day", "exact"), (word, r)


@pytest.mark.parametrize("lang", PACK_LANGS)
def test_every_weekday_of_each_pack_resolves(lang):
    g = date_grammar(lang)
    assert sorted(g.weekdays.values()) == list(range(7))
    for word, wd in g.weekdays.items():
        r = resolve_date(FRAMES[lang]["weekday"].format(_written(g, word)), DAY, lang)
        day = DAY.start - dt.timedelta(days=(DAY.start.weekday() - wd) % 7)
        assert span(r) == (day, day, "day", "exact"), (word, r)
        assert r.start.weekday() == wd


@pytest.mark.parametrize("lang", PACK_LANGS)
def test_every_relative_day_word_of_each_pack_resolves(lang):
    g = date_grammar(lang)
    assert g.relative_days and g.next_days
    for word, (lo, hi) in g.relative_days.items():
        r = resolve_date(f"{word}, le port a été touché / the port was hit.", DAY, lang)
        assert (r.start, r.end) == (DAY.start + dt.timedelta(days=lo),
                                    DAY.start + dt.timedelta(days=hi)), (word, r)
    for word, k in g.next_days.items():
        r = resolve_date(f"{word}, le port a été touché / the port was hit.", DAY, lang)
        assert r.start == r.end == DAY.start + dt.timedelta(days=k), (word, r)


@pytest.mark.parametrize("lang", PACK_LANGS)
def test_every_quarter_word_of_each_pack_resolves(lang):
    g = date_grammar(lang)
    for word, n in g.quarter_words.items():
        r = resolve_date(FRAMES[lang]["quarter"].format(word), DAY, lang)
        first = 3 * (n - 1) + 1
        assert (r.start, r.granularity, r.date_type) == (D(2024, first, 1), "quarter",
                                                           "exact"), (word, r)


@pytest.mark.parametrize("lang", PACK_LANGS)
def test_every_number_word_of_each_pack_counts(lang):
    g = date_grammar(lang)
    for word, n in g.numbers.items():
        r = resolve_date(FRAMES[lang]["number"].format(word), DAY, lang)
        assert r.start == DAY.start - dt.timedelta(days=n), (word, r)


def test_words_of_one_language_are_not_read_in_the_other():
    assert find_dates("Le 3 avril 2024, la digue a cédé.", None, "en") == []
    assert find_dates("On April 3, 2024, the dam failed.", None, "fr") == []
    assert resolve_date("samedi", DAY, "fr").start == D(2025, 4, 26)
    assert resolve_date("samedi", DAY, "en").reason.startswith("no date in the sentence")


# ----------------------------------------------------------------- languages without a pack

@pytest.mark.parametrize("lang", ["es", "es-ES", "de", "", "english"])
def test_a_language_without_a_pack_raises_the_options(lang):
    with pytest.raises(UnknownOption, match=rf"unknown language '{lang}'; options are: en, fr"):
        resolve_date("lunes 3 de marzo", DAY, lang)
    with pytest.raises(UnknownOption):
        find_dates("3 March 2024", DAY, lang)


@pytest.mark.parametrize("tag", ["fr-FR", "FR", "fr_CA", " fr "])
def test_language_tags_are_read_as_their_language(tag):
    assert resolve_date("lundi", "2025-04", tag) == resolve_date("lundi", "2025-04", "fr")
    assert language_code(tag) == "fr"


def test_the_dates_stage_refuses_a_language_without_a_pack():
    doc = parsed(sentence("El 3 de marzo de 2024 hubo combates."), lang="es", date="2025-04")
    with pytest.raises(UnknownOption, match="unknown language 'es'"):
        sentence_dates(doc)


def test_the_dates_code_branches_on_no_language():
    """Language knowledge is the packs' data: no comparison with, or table keyed by, a language."""
    import ast

    import geomap.dates

    codes = {"fr", "en", *PACK_LANGS}

    def names_a_language(node: ast.AST) -> bool:
        return isinstance(node, ast.Constant) and node.value in codes

    folder = Path(geomap.dates.__file__).parent
    sources = sorted(folder.glob("*.py"))
    assert len(sources) >= 5
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                assert not any(map(names_a_language, [node.left, *node.comparators])), (
                    path.name, node.lineno)
            if isinstance(node, ast.Subscript):
                assert not names_a_language(node.slice), (path.name, node.lineno)
            if isinstance(node, ast.Dict):
                assert not any(k is not None and names_a_language(k) for k in node.keys), (
                    path.name, node.lineno)


# ------------------------------------------------- the sentence stage, on built records

def test_a_sentence_without_a_date_inherits_the_one_told_before_in_its_paragraph():
    doc = parsed(sentence("On 3 May, gunmen attacked the village."),
                 sentence("The attack killed two."), sentence("Police closed the road."),
                 lang="en", date="2025-05-10", paragraph_breaks=[1])
    first, second, third = sentence_dates(doc)
    assert first.start == second.start == D(2025, 5, 3)
    assert second.text == "On 3 May" and second.reason.startswith("no date in the sentence; "
                                                                   "the date told before it")
    # a new paragraph does not inherit: the document date, approximately
    assert (third.start, third.date_type, third.text) == (D(2025, 5, 10), "approximate", "")


def test_a_relative_date_without_a_document_date_reads_from_the_date_told_before():
    doc = parsed(sentence("Le 3 mai 2024, des hommes armés ont attaqué le village."),
                 sentence("Deux jours plus tard, la police a arrêté trois suspects."),
                 lang="fr")
    first, second = sentence_dates(doc)
    assert first.start == D(2024, 5, 3)
    assert (second.start, second.granularity, second.date_type) == (D(2024, 5, 5), "day",
                                                                    "exact")
    assert "against the date told before it (Le 3 mai 2024)" in second.reason


@pytest.mark.parametrize(("lang", "texts"), [
    ("fr", ["Le 3 mai, des tirs ont visé le village.", "Deux civils sont morts.",
            "Les habitants ont fui vers la ville voisine.", "Des renforts sont arrivés."]),
    ("en", ["On 3 May, gunmen attacked the village.", "Two civilians were killed.",
            "Residents fled to the next town.", "Reinforcements arrived."]),
])
def test_a_date_carries_to_the_next_two_sentences_not_through_the_whole_story(lang, texts):
    doc = parsed(*(sentence(t) for t in texts), lang=lang, date="2025-05-10")
    starts = [d.start for d in sentence_dates(doc)]
    assert starts[:3] == [dt.date(2025, 5, 3)] * 3
    assert starts[3] != dt.date(2025, 5, 3)  # too far from what dated it
