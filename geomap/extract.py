"""Recognise place names in a document: spaCy NER plus what it misses.

This is the only module that imports spaCy. It turns a :class:`Document` into
a :class:`Parsed` record: the sentences (as plain token records the later
stages can read without spaCy) and the :class:`Mention` list.

Beyond the model's LOC/GPE entities it adds: toponyms the gazetteer knows
but the model missed, toponyms nested in organisation names ("ministère
sud-coréen de la Défense", "Paris Police Department"), demonyms and adjectives
as country-level mentions, region patterns ("région russe de Koursk",
"Donetsk Oblast") and "X, Y" / "X (Y)" parent hints.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from gazetteer import fold

from .errors import ModelNotFound, UnknownOption, options_message
from .lang import language_pack, languages
from .records import Document, Mention, MentionHints, Parsed, Sentence, Token
from .resolve import US_STATE_ABBREVIATIONS, expand_abbreviation

if TYPE_CHECKING:
    from gazetteer import Gazetteer

__all__ = ["MODELS", "Token", "Sentence", "Parsed", "load_pipeline", "extract", "extract_many",
           "PlacesComponent", "register_component", "SPAN_KEY"]

#: spaCy pipeline per language (installed from PyPI, never downloaded at run time).
MODELS: dict[str, str] = {code: language_pack(code).get("meta", "model") for code in languages()}
_MODEL_PINS = {code: language_pack(code).get("meta", "model_pin") for code in languages()}

_PLACE_LABELS = {"LOC", "GPE", "FAC"}
_ARTICLES = ("the ", "l'", "l’", "la ", "le ", "les ", "du ", "des ", "de la ", "de l'", "de ")
#: Words after a name that make it another feature than the town of that name.
#: The natural ones are kept as names of their own ("Dnipro River").
_NATURAL_FEATURE = frozenset({
    "River", "Lake", "Creek", "Bay", "Sea", "Canal", "Dam", "Falls", "Mountain", "Mountains",
    "Valley", "Island", "Islands", "Peninsula"})
_FEATURE_AFTER = _NATURAL_FEATURE | {
    "Bridge", "Street", "Road", "Avenue", "Park", "Airport", "Station", "Square", "Hospital",
    "University", "College", "Stadium"}
_ACRONYM = re.compile(r"^[A-Z]{2,4}$")
_POSSESSIVE = re.compile(r"(?:'s|’s|')$")
#: A name ending in an abbreviation keeps its final period ("U.S.", "D.C.", "Ind.").
_ABBREVIATION = re.compile(
    r"(?:\b[A-Za-z]\.\s?(?:[A-Za-z]{1,3}\.)+|\b(?:"
    + "|".join(re.escape(k[:-1]) for k in US_STATE_ABBREVIATIONS if "." not in k[:-1])
    + r"|St|Ft|Mt)\.)$"
)
#: "Springfield, Ill." / "Springfield, IL": a state abbreviation after a comma.
_STATE_AFTER_COMMA = re.compile(
    r"(?<=, )(?:(?P<dotted>[A-Z][A-Za-z]{0,4}\.(?:\s?[A-Z][a-z]{0,3}\.)?)"
    r"|(?P<postal>[A-Z]{2})(?![\w.]))"
)
#: Single words that name a direction or a generic area, not a place, when alone.
#: Calendar words are capitalised in English but are not places ("since March").
_CALENDAR = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet",
    "aout", "septembre", "octobre", "novembre", "decembre", "lundi", "mardi", "mercredi",
    "jeudi", "vendredi", "samedi", "dimanche", "union", "republic", "kingdom", "state", "states",
}
_LOCATIVE_WORDS = {"in", "at", "to", "from", "near", "into", "à", "en", "vers", "près", "dans",
                   "de", "d'", "d’", "entre", "of", "outside", "around"}
_FR_OF = {"de", "d'", "d’", "du", "des"}
#: French words for natural features before a name: "le lac de Garde", "la mer Baltique".
_FR_FEATURES = (
    "fleuve", "fleuves", "rivière", "riviere", "rivières", "rivieres", "lac", "lacs", "golfe",
    "mer", "océan", "mont", "monts", "massif", "île", "isle", "îles", "isles", "îlot",
    "archipel", "baie", "détroit", "cap", "canal", "côte", "presqu'île", "presqu’île",
    "péninsule", "désert", "vallée", "plaine", "plateau", "ruisseau", "ruisseaux", "montagne",
    "montagnes", "forêt", "delta", "estuaire", "col", "pic", "volcan", "étang",
)
_FR_FEATURE_RX = re.compile(
    r"(?<![\w-])(?P<word>" + "|".join(re.escape(w) for w in _FR_FEATURES) + r")"
    r"(?P<of>\s+(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’])|\s+)"
    r"(?P<name>[A-ZÀ-ÖØ-Þ][\w'’-]*\w(?:\s(?:de|du|des|la|le)\s[A-ZÀ-ÖØ-Þ][\w'’-]*\w"
    r"|[ -][A-ZÀ-ÖØ-Þ][\w'’-]*\w)*)"
)
#: Lowercase adjectives that make a larger area a part of itself: "l'Asie centrale".
_FR_AREA_ADJ = re.compile(
    r"(?P<name>[A-ZÀ-ÖØ-Þ][\w-]+)\s+(?:septentrionale?|méridionale?|orientale?|occidentale?"
    r"|centrale?|australe?|boréale?|équatoriale?|mineure|majeure|latine|subsaharienne"
    r"|insulaire|continentale?)\b"
)
#: French words for a town, a realm or a see before "de" and its name ("le village de
#: Robotyne", "la principauté de Monaco"), and titles held of a place ("le maire de Lyon").
_FR_OF_PLACE = (
    "ville", "villes", "village", "villages", "commune", "localité", "bourg", "bourgade",
    "hameau", "port", "capitale", "cité", "agglomération", "métropole", "faubourg",
    "banlieue", "royaume", "duché", "grand-duché", "principauté", "sultanat", "palatinat",
    "marquisat", "diocèse", "archevêché", "évêché", "château", "forteresse", "citadelle",
    "roi", "reine", "prince", "princesse", "duc", "duchesse", "ducs", "électeur", "évêque",
    "archevêque", "maire", "préfet", "gouverneur", "émir", "sultan", "baron", "marquis",
    "ambassadeur", "ambassade", "consul", "consulat",
)
_FR_OF_PLACE_RX = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in _FR_OF_PLACE) + r")"
    r"\s+(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’])"
    r"(?P<name>[A-ZÀ-ÖØ-Þ][\w'’-]*\w(?:\s[A-ZÀ-ÖØ-Þ][\w'’-]*\w)*)"
)
_FR_CONTINENTS = {"amerique", "afrique", "asie", "europe", "oceanie", "antarctique"}
_FR_PLURAL_DET = {"les", "des", "aux", "ces", "ses", "leurs", "nos", "vos"}
#: Endings of French plural demonyms and group names ("Romains", "Européens", "Hollandois").
_FR_GROUP_ENDING = re.compile(r"(?:ains|iens|éens|ois|ais|ites|ins|ens|ques|cs)$")
_GENERIC = {
    "nord", "sud", "est", "ouest", "north", "south", "east", "west", "centre", "center",
    "etat", "state", "region", "capitale", "capital", "ville", "city", "pays", "country",
    "occident", "west bank", "ue", "onu", "un", "eu", "otan", "nato", "europe de l",
}


def _paragraph_boundaries(doc: Any) -> Any:
    """Start a sentence after every line break; never inside a hyphenated word.

    News copy puts headlines, captions and bylines on their own lines without
    final punctuation; the statistical parser would glue them to the next
    sentence, or split "chef d'état-major" at the hyphen.
    """
    for k, tok in enumerate(doc):
        if k == 0:
            continue
        prev = doc[k - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_ or (
                tok.is_space and "\n" in tok.text):
            tok.is_sent_start = True
        elif (tok.text in {"-", "–"} or prev.text in {"-", "–"}) and not prev.whitespace_:
            tok.is_sent_start = False
    return doc


@lru_cache(maxsize=4)
def load_pipeline(lang: str) -> Any:
    """Load the installed spaCy pipeline for ``lang`` (cached per process).

    Raises :class:`~geomap.errors.ModelNotFound` naming the pip command when the
    model package is missing, and :class:`~geomap.errors.UnknownOption` for a
    language geomap does not support.
    """
    if lang not in MODELS:
        raise UnknownOption(options_message("language", lang, sorted(MODELS)))
    import spacy
    from spacy.language import Language

    if "geomap_paragraphs" not in Language.factories:
        Language.component("geomap_paragraphs", func=_paragraph_boundaries)
    try:
        nlp = spacy.load(MODELS[lang])
        nlp.add_pipe("geomap_paragraphs", before="parser")
        return nlp
    except OSError as err:
        raise ModelNotFound(
            f"spaCy model '{MODELS[lang]}' for language '{lang}' is not installed; "
            f"install it with: pip install {_MODEL_PINS[lang]}"
        ) from err


def _sentences(doc: Any) -> tuple[Sentence, ...]:
    out = []
    ents = [(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]
    for n, sent in enumerate(doc.sents):
        tokens = tuple(
            Token(t.i, t.text, t.lemma_.lower(), t.pos_, t.dep_, t.head.i, t.idx, str(t.morph))
            for t in sent
        )
        sent_ents = tuple(e for e in ents if e[0] >= sent.start_char and e[1] <= sent.end_char)
        out.append(Sentence(n, sent.start_char, sent.end_char, sent.text, tokens, sent_ents))
    return tuple(out)


def _sentence_index(sentences: Sequence[Sentence], offset: int) -> int:
    for s in sentences:
        if s.start <= offset < s.end:
            return s.index
    return max(0, len(sentences) - 1)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading articles and trailing possessives/punctuation from a span."""
    while True:
        span = text[start:end]
        low = span.lower()
        for art in _ARTICLES:
            if low.startswith(art) and len(span) > len(art) + 1:
                start += len(art)
                break
        else:
            break
    span = text[start:end]
    m = _POSSESSIVE.search(span)
    if m and m.start() > 0:
        end = start + m.start()
    while end > start and text[end - 1] in " ,.;:»«\"”“)(":
        if text[end - 1] == "." and _ABBREVIATION.search(text[start:end]):
            break  # "U.S.", "W.Va.", "Ind.": the period belongs to the name
        end -= 1
    while start < end and text[start] in " «»\"“”(":
        start += 1
    if text[end:end + 1] == "." and _ABBREVIATION.search(text[start:end + 1]):
        end += 1  # the tokenizer left the period of a sentence-final "W.Va." outside
    return start, end


class _Collector:
    """Gather mentions, keeping the first claim on any character range."""

    def __init__(self, text: str, sentences: Sequence[Sentence]):
        self.text = text
        self.sentences = sentences
        self.items: list[Mention] = []

    def overlaps(self, start: int, end: int) -> bool:
        return any(m.start < end and start < m.end for m in self.items)

    def add(self, start: int, end: int, kind: str = "toponym", **hints: Any) -> bool:
        start, end = _trim(self.text, start, end)
        if end <= start or self.overlaps(start, end):
            return False
        self.items.append(
            Mention(start, end, self.text[start:end], kind,
                    _sentence_index(self.sentences, start), MentionHints(**hints))
        )
        return True


def _region_regexes(words: Iterable[str], lang: str) -> list[re.Pattern[str]]:
    """Patterns for "région (adj) de X" (fr) and "X Oblast" / "region of X" (en)."""
    alts = "|".join(sorted((re.escape(w) for w in words if w), key=len, reverse=True))
    cap = r"[A-ZÀ-ÖØ-Þ][\w'’-]+"
    name = rf"(?P<name>{cap}(?:(?:[ -]|\s(?:de|du|des|de la)\s|\sd['’]){cap})*)"
    if lang == "fr":
        return [re.compile(
            rf"\b(?P<word>{alts})(?P<adjs>(?:\s+[a-zà-ÿ-]+){{0,2}}?)\s+"
            rf"(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’])" + name
        )]
    return [
        re.compile(name + rf"\s+(?P<word>{alts})\b"),
        re.compile(rf"\b(?P<word>{alts})\s+of\s+(?:the\s+)?" + name),
    ]


def extract(document: Document, nlp: Any, gazetteer: Gazetteer, lang: str) -> Parsed:
    """Find the places a document names.

    Parameters
    ----------
    document : Document
        The article.
    nlp : spacy.Language
        The pipeline for ``lang`` (see :func:`load_pipeline`).
    gazetteer : gazetteer.Gazetteer
        Supplies demonyms, region words and the known names for the matcher.
    lang : str
        ``"fr"`` or ``"en"``.

    Returns
    -------
    Parsed
        Sentences and mentions, mentions sorted by position.
    """
    return _extract_doc(document, nlp(document.text), gazetteer, lang)


def extract_many(
    documents: Sequence[Document], nlp: Any, gazetteer: Gazetteer, lang: str, batch_size: int = 16
) -> list[Parsed]:
    """:func:`extract` over many documents of one language, batched through ``nlp.pipe``."""
    docs = nlp.pipe((d.text for d in documents), batch_size=batch_size)
    return [_extract_doc(d, sd, gazetteer, lang) for d, sd in zip(documents, docs, strict=True)]


def _extract_doc(document: Document, doc: Any, gazetteer: Gazetteer, lang: str) -> Parsed:
    text = document.text
    sentences = _sentences(doc)
    col = _Collector(text, sentences)
    demonyms = gazetteer.demonyms(lang)
    region_words = gazetteer.region_words(lang)

    # 1. Region patterns first: they claim "région russe de Koursk" as one mention.
    raw_words = {w for w in _region_surface_words(lang)} | set(region_words)
    for rx in _region_regexes(raw_words, lang):
        for m in rx.finditer(text):
            word = fold(m.group("word"))
            level = region_words.get(word, "admin1")
            country = None
            adjs = (m.groupdict().get("adjs") or "").split()
            for adj in adjs:
                country = demonyms.get(fold(adj)) or country
            # The core drops the adjectives: "région russe de Koursk" → "région de Koursk",
            # a form the gazetteer's region patterns understand.
            core = text[m.start():m.end()]
            if adjs:
                core = core.replace(m.group("adjs"), "", 1)
            col.add(m.start(), m.end(), "region", country=country, level=level,
                    source="pattern", core=core)

    if lang == "fr":
        _french_patterns(text, col, gazetteer)

    # 2. The model's place entities, demonym-like ones turned into demonyms.
    for ent in doc.ents:
        if lang == "fr" and _french_entity(ent, col, gazetteer):
            continue
        if ent.label_ in _PLACE_LABELS:
            key = fold(ent.text)
            if _single_letters(ent.text):
                continue  # "l'angle E G I": letters of a figure, not a name
            if key in demonyms:
                col.add(ent.start_char, ent.end_char, "demonym", country=demonyms[key],
                        source="demonym")
            elif key not in _GENERIC and _name_like(text, ent.start_char, ent.end_char):
                col.add(ent.start_char, ent.end_char, "toponym", source="ner")

    # 3. Demonyms and adjectives (single tokens or hyphen/space compounds).
    toks = list(doc)
    for i in range(len(toks)):
        for n in (3, 2, 1):
            if i + n > len(toks):
                continue
            span = doc[i : i + n]
            key = fold(span.text)
            if key in demonyms and span.text[:1].isalpha() and not col.overlaps(
                    span.start_char, span.end_char):
                col.add(span.start_char, span.end_char, "demonym", country=demonyms[key],
                        source="demonym")
                break

    # 4. Names the model missed or nested inside other entities: capitalised
    # token runs the gazetteer knows.
    names = _doc_names(doc, lang)
    for s in sentences:
        _match_known_names(s, col, gazetteer, names, lang)

    if lang == "fr":
        _french_after_article(doc, col)
        _french_coordinated(doc, col, gazetteer)

    # 5. US state abbreviations after a place ("Alexandria, La.", "Dayton, OH").
    if lang == "en":
        for m in _STATE_AFTER_COMMA.finditer(text):
            state = expand_abbreviation(m.group(), postal=bool(m.group("postal")))
            before = text[:m.start() - 2]
            if state and any(c.end == len(before) for c in col.items):
                col.add(m.start(), m.end(), "toponym", source="pattern", core=state)

    # 5b. Datelines in capitals: "TORRINGTON — ...", "BEIRUT: ...", "KIEV (AFP) - ...".
    for m in _DATELINE.finditer(text):
        name = m.group("name")
        if sum(ch.isalpha() for ch in name) >= 4 and gazetteer.has_name(fold(name)):
            col.add(m.start("name"), m.end("name"), "toponym", source="pattern")

    # 6. Parent hints: "Paris, Texas", "Paris (Texas)", "X (A district, B)".
    _chain_mentions(col, gazetteer)
    mentions = sorted(col.items, key=lambda m: m.start)
    mentions = _parent_hints(text, mentions)
    return Parsed(document, lang, sentences, tuple(mentions))


_NAME_START = re.compile(r"^(?:(?:l'|l’|d'|d’|the |la |le |les )?[^\W\d_])", re.IGNORECASE)


def _name_like(text: str, start: int, end: int) -> bool:
    """Whether a span the model tagged as a place looks like a place name.

    It needs two letters and a capital at its start (after an article), and
    is not an abbreviation: a word cut by a period before a lowercase word, a
    digit or a bracket ("Géog. mod.", "lat. 49").

    >>> t = "COMPIEGNE, (Géog. mod.) ville de France, lat. 49d. & c. A Reims."
    >>> [_name_like(t, t.index(w), t.index(w) + len(w)) for w in ("Géog", "France", "&", "A")]
    [False, True, False, False]
    """
    span = text[start:end]
    if sum(ch.isalpha() for ch in span) < 2 or not _NAME_START.match(span):
        return False
    first = next(ch for ch in span if ch.isalpha())
    if not first.isupper() and not span[:1].isupper():
        return False
    after = text[end:end + 3]
    return not (" " not in span and after[:1] == "." and len(after) > 1 and (
        after[1:2].islower() or after[1:2].isdigit() or after[1:2] in ")]"
        or (after[1:2] == " " and (after[2:3].islower() or after[2:3].isdigit()))))


#: A dateline: a place name in capitals opening the text, a paragraph or the sentence
#: after a headline, before a dash, a colon or an agency ("WATERTOWN, Conn. —").
_DATELINE = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=\n))[ \t]*(?P<name>[A-Z][A-Z'’.-]*(?:[ -][A-Z][A-Z'’.-]*){0,3})"
    r"(?=[ \t]*(?:,[ \t]*[A-Z][A-Za-z.]+[ \t]*)?"
    r"(?:\((?:AP|AFP|Reuters|UPI|dpa|ANSA)\)|—|–|-[ \t]|:))")


def _single_letters(span: str) -> bool:
    """Whether a span is only single letters ("E G I", "A B"): a figure's points."""
    words = span.split()
    return len(words) > 1 and all(len(w) == 1 for w in words)


def _french_patterns(text: str, col: _Collector, gazetteer: Gazetteer) -> None:
    """Claim French natural-feature and part-of-area names the model may miss or cut.

    "le lac de Garde", "la mer Baltique", "le golfe du Bengale" are kept
    whole, as the English "Dnipro River" is; "l'Amérique septentrionale",
    "l'Asie centrale" keep their adjective when the noun is a continent or a
    large area the gazetteer knows (never "la Banque centrale").
    """
    for m in _FR_FEATURE_RX.finditer(text):
        name = m.group("name")
        if fold(name) in _GENERIC and m.group("word") not in {"mer", "océan"}:
            continue  # "la côte Est": a direction, not a name
        if m.group("of").strip() == "" and name.lower() in {"la", "le", "les", "l'", "l’"}:
            continue  # "au bord du lac La ...": an article, not a name
        # A region-kind mention, so the resolver looks for the sea or lake before
        # a town of that name ("mer Rouge" is the Red Sea, not Mer Rouge, Louisiana).
        col.add(m.start(), m.end(), "region", source="pattern", level="region",
                core=text[m.start():m.end()])
    for m in _FR_AREA_ADJ.finditer(text):
        key = fold(m.group("name"))
        if key not in _FR_CONTINENTS:
            found = gazetteer.search(m.group("name"), limit=1)
            if not found or found[0].kind not in {"country", "region", "continent", "admin1"}:
                continue
        col.add(m.start(), m.end(), "toponym", source="pattern", core=m.group("name"))
    for m in _FR_OF_PLACE_RX.finditer(text):
        key = fold(m.group("name"))
        if key in _GENERIC or key in _CALENDAR or not _name_like(text, *m.span("name")):
            continue
        before = text[:m.start("name")].split()
        if _french_group(m.group("name"), before[-1] if before else "", gazetteer):
            continue  # "la ville des Moscovites": a people, not a place
        col.add(*m.span("name"), "toponym", source="pattern")


def _french_entity(ent: Any, col: _Collector, gazetteer: Gazetteer) -> bool:
    """Handle a French model entity that is not one place name; True when handled.

    A place entity or a MISC one after a locative word that joins names with
    "et" or "&" ("entre Bagdad et Bassora") is split into its names; a plural
    group noun the gazetteer does not know ("les Romains", "des Européens")
    is not a place; nor is a single common noun the gazetteer does not know
    ("en Peinture", "Voyez Santé").
    """
    toks = list(ent)
    joins = [k for k, t in enumerate(toks) if t.text in {"&", "et"}]
    k = ent.start - 1
    while k > 0 and ent.doc[k].text.lower() in {"la", "le", "l'", "l’", "les"}:
        k -= 1  # "de la Dendre & de l'Escaut": the word before the article
    prev = ent.doc[k].text.lower() if k >= 0 else ""
    if joins and (ent.label_ in _PLACE_LABELS or (
            ent.label_ == "MISC" and prev in _LOCATIVE_WORDS | _FR_OF) or (
            ent.label_ == "ORG" and prev in _LOCATIVE_WORDS | _FR_OF and all(
                ent.start + j + 1 < len(ent.doc)
                and ent.doc[ent.start + j + 1].text.lower() in _FR_OF | {"à", "en"}
                for j in joins))):
        # an organisation only when the preposition repeats: "de Clèves & de Berg"
        cuts = [0, *joins, len(toks)]
        parts = [toks[a + (a > 0): b] for a, b in zip(cuts, cuts[1:], strict=False)]
        # "de la Dendre & de l'Escaut": each name without its article
        parts = [p[next((k for k, t in enumerate(p) if t.text[:1].isupper()), len(p)):]
                 for p in parts]
        parts = [p for p in parts if p]  # "Sarbruck &" cut before its second name
        if parts and all(p[-1].text[:1].isupper() for p in parts):
            for p in parts:
                name = col.text[p[0].idx:p[-1].idx + len(p[-1].text)]
                before = ent.doc[p[0].i - 1].text.lower() if p[0].i > 0 else ""
                if (len(p) == 1 and _common_word(name, "fr")) or _french_group(
                        name, before, gazetteer):
                    continue  # "Pays & Royaume", "des Grecs & des Romains"
                if _name_like(col.text, p[0].idx, p[-1].idx + len(p[-1].text)):
                    col.add(p[0].idx, p[-1].idx + len(p[-1].text), "toponym", source="ner")
            return True
        return False
    if ent.label_ not in _PLACE_LABELS or len(toks) != 1:
        return False
    tok = toks[0]
    key = fold(tok.text)
    if gazetteer.has_name(key):
        return False
    if _french_group(tok.text, prev, gazetteer):
        return True
    return tok.pos_ == "NOUN" and _zipf(tok.text.lower()) >= 3.0


_FR_AND_NEXT = re.compile(
    r"\s*(?:&|et|ou)\s+(?:(?:de|du|des|à|au|aux|en)\s+)?(?:(?:la|le|les)\s+|l['’]|d['’])?"
    r"(?P<name>[A-ZÀ-ÖØ-Þ][\w'’-]*\w)(?![\w'’-])"
)


_FR_PLACE_PREP = {"dans", "sur", "vers", "de", "à", "en", "entre", "par", "près", "jusqu'à"}
_FR_DEF_ARTICLE = {"la", "le", "l'", "l’", "les"}


def _french_after_article(doc: Any, col: _Collector) -> None:
    """Add a rare proper noun after a place preposition and an article: "dans la Piave".

    The model misses many river and area names in "sur le Hartz", "dans
    l'Albigeois"; a word of any entity, an everyday word ("dans la Défense"),
    or a newspaper-like frequent name ("selon le Monde") is left alone.
    """
    in_ent = {t.i for e in doc.ents for t in e}
    toks = list(doc)
    for k in range(2, len(toks)):
        tok, art, prep = toks[k], toks[k - 1], toks[k - 2]
        if (tok.pos_ != "PROPN" or k in in_ent or not tok.text[:1].isupper()
                or art.text.lower() not in _FR_DEF_ARTICLE
                or prep.text.lower() not in _FR_PLACE_PREP or tok.is_sent_start):
            continue
        if _zipf(tok.text.lower()) < 3.5 and _name_like(col.text, tok.idx, tok.idx + len(tok)):
            col.add(tok.idx, tok.idx + len(tok), "toponym", source="gazetteer")


def _french_coordinated(doc: Any, col: _Collector, gazetteer: Gazetteer) -> None:
    """Add a proper noun joined by "et" / "&" to a place: "entre Riva et Torbole".

    The noun must not be in an entity of another kind (a person, an
    organisation) unless that entity holds the place too, nor an everyday
    word or a people.
    """
    others = [(e.start_char, e.end_char) for e in doc.ents if e.label_ not in _PLACE_LABELS]
    by_start = {t.idx: t for t in doc}
    todo = [m for m in col.items if m.kind == "toponym"]
    while todo:
        m = todo.pop()
        rx = _FR_AND_NEXT.match(col.text, m.end)
        if not rx:
            continue
        start, end = rx.span("name")
        name = rx.group("name")
        tok = by_start.get(start)
        # An entity around both names ("Riva & Torbole" as one ORG) is the pair itself.
        if (tok is None or tok.pos_ not in {"PROPN", "NOUN"} or fold(name) in _GENERIC
                or fold(name) in _CALENDAR or _common_word(name, "fr")
                or any(s < end and start < e and not s <= m.start for s, e in others)
                or _french_group(name, col.text[:start].split()[-1], gazetteer)):
            continue
        if col.add(start, end, "toponym", source="gazetteer"):
            todo.append(col.items[-1])


def _french_group(name: str, prev: str, gazetteer: Gazetteer) -> bool:
    """Whether ``name`` after ``prev`` is a plural people or group ("les Romains")."""
    return (prev.lower() in _FR_PLURAL_DET and " " not in name
            and bool(_FR_GROUP_ENDING.search(name)) and not gazetteer.has_name(fold(name)))


def _zipf(word: str, lang: str = "fr") -> float:
    """How common ``word`` is in ``lang`` (``wordfreq``'s Zipf scale, 0 to about 8)."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, lang))


def _region_surface_words(lang: str) -> set[str]:
    if lang == "fr":
        words = {"région", "oblast", "province", "département", "district", "comté",
                 "gouvernorat", "état", "canton", "kraï", "république"}
        return words | {w.capitalize() for w in words}
    return {"Oblast", "oblast", "Province", "province", "County", "Governorate", "governorate",
            "region", "Region", "District", "Parish", "Krai", "State"}


def _is_capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper() and tok.pos in {"PROPN", "NOUN", "ADJ", "X"}


@dataclass(frozen=True, slots=True)
class _DocNames:
    """What the model said elsewhere in the document about a name."""

    places: frozenset[str]  # folded names the model tagged as places
    person_words: frozenset[str]  # folded words of person names ("Brown" of "John Brown")


def _doc_names(doc: Any, lang: str = "en") -> _DocNames:
    return _DocNames(
        frozenset(fold(e.text) for e in doc.ents if e.label_ in _PLACE_LABELS - {"FAC"}),
        frozenset(fold(t.text) for e in doc.ents
                  if e.label_ in {"PER", "PERSON"} and len(e) > 1
                  for t in _person_words(e, lang)),
    )


def _person_words(ent: Any, lang: str) -> list[Any]:
    """The tokens of a person entity that name the person, not a place.

    In French a title or a person's name often ends in "de" and a place
    ("le roi de Jordanie", "l'évêque de Metz"), which the model may tag as one
    person: the words after "de" are not person words there.
    """
    if lang != "fr":
        return list(ent)
    out = []
    for t in ent:
        if t.text.lower() in _FR_OF:
            break
        out.append(t)
    return out


def _common_word(name: str, lang: str) -> bool:
    """Whether ``name`` is also an everyday word of ``lang`` ("Police", "Central", "First").

    Uses the word frequencies of the ``wordfreq`` package (Zipf scale: 5.1 is
    about one occurrence in 8,000 words, the level of "police" or "green";
    "Paris" and "Washington" stay below it).
    """
    return " " not in name and _zipf(name, lang) >= 5.1


def _keep_known_name(gazetteer: Gazetteer, name: str, key: str, run: Sequence[Token],
                     prev: Token | None, container: str | None, names: _DocNames,
                     next_text: str, whole: bool = False, after_place: bool = False,
                     lang: str = "en") -> bool:
    """Whether a gazetteer name the model did not tag as a place is one here.

    Many town names are also surnames, first names or words ("Brown",
    "Lincoln", "Police"), so a bare name needs support: the model tags the
    same name as a place elsewhere in the document; or a locative word before
    it ("in", "à"), a parent after it ("Alexandria, La."), or a prominent
    reading (a country, a province, a city of 100,000). A word of a person's
    name elsewhere in the document, a name in capitals ("SWAT"), or an
    everyday word ("Central") needs the model's own place reading; a name
    nested in an organisation's or person's name needs more.
    """
    person = key in names.person_words
    if not person and (key in names.places or (lang == "fr" and container in _PLACE_LABELS)):
        return True  # the model read it, or a span around it, as a place
    found = gazetteer.search(name, limit=1)
    if not found:
        return False
    top = found[0]
    strong = top.kind in {"country", "admin1", "region", "continent"} or (
        top.population >= 100_000)
    if person:  # "Brown" after "John Brown"; "Taylor" even if once tagged a place
        return strong and key in names.places
    if any(t.pos != "PROPN" for t in run if t.text[:1].isupper()):
        return False
    if _ACRONYM.match(name):  # "SWAT", "SEC": an initialism, not a dateline
        return False
    locative = prev is not None and (prev.text.lower() in _LOCATIVE_WORDS or (
        prev.text.lower() in {"and", "or", "et", "ou", "&", ","} and after_place))
    if top.kind != "country" and _common_word(name, lang):
        return locative and container is None
    if container in {"PER", "PERSON"} and whole:
        return strong or locative or top.population >= 50_000  # "Kherson" read as a person
    if container in {"PER", "PERSON"}:
        return locative and (strong or top.population >= 10_000)
    if container is not None:
        return strong  # nested in an organisation's name: only well-known places
    return strong or locative or next_text.startswith(", ") or top.population >= 20_000


def _match_known_names(sentence: Sentence, col: _Collector, gazetteer: Gazetteer,
                       names: _DocNames | None = None, lang: str = "en") -> None:
    """Add capitalised runs (up to four tokens) that are gazetteer names.

    The first token of a sentence is only taken when it is a proper noun, so a
    capitalised common word ("Police", "Cette") does not become a place; a
    bare name must pass :func:`_keep_known_name`.
    """
    names = names or _DocNames(frozenset(), frozenset())
    toks = sentence.tokens
    i = 0
    while i < len(toks):
        tok = toks[i]
        if not _is_capitalised(tok) or (i == 0 and tok.pos != "PROPN"):
            i += 1
            continue
        matched = 0
        for n in (4, 3, 2, 1):
            run = toks[i : i + n]
            if len(run) < n or not all(
                _is_capitalised(t) or t.text.lower() in {"de", "du", "des", "of", "-"}
                for t in run
            ):
                continue
            if not _is_capitalised(run[-1]):
                continue
            start, end = run[0].idx, run[-1].idx + len(run[-1].text)
            key = fold(col.text[start:end])
            if len(key) < 3 or key in _GENERIC or key in _CALENDAR:
                continue
            if col.text[end:end + 1] == "-" and col.text[end + 1:end + 2].isupper():
                continue  # part of a compound name ("Agence France-Presse")
            if i + n < len(toks) and toks[i + n].text in _FEATURE_AFTER:
                # "Dnipro River", "Kennedy Airport": another feature than the town; a
                # natural one is kept as a name of its own (unresolved unless known).
                feat = toks[i + n]
                if feat.text in _NATURAL_FEATURE and col.add(
                        start, feat.idx + len(feat.text), "toponym", source="gazetteer"):
                    matched = n + 1
                    break
                continue
            if not gazetteer.has_name(key) or col.overlaps(start, end):
                continue
            if lang == "fr" and not _name_like(col.text, start, end):
                continue  # "(Gram.)", "Pag. 792": an abbreviation
            ent = next(((es, ee, label) for es, ee, label, _ in sentence.entities
                        if es <= start and end <= ee), None)
            whole = ent is not None and ent[:2] == (start, end)
            # "Bilozerka and Chornobaivka": a name coordinated with a place.
            after = i > 1 and any(m.end == toks[i - 2].idx + len(toks[i - 2].text)
                                  for m in col.items if m.kind != "demonym")
            if not _keep_known_name(gazetteer, col.text[start:end], key, run,
                                    toks[i - 1] if i > 0 else None, ent and ent[2], names,
                                    col.text[end:end + 2], whole, after, lang):
                continue
            if col.add(start, end, "toponym", source="gazetteer"):
                matched = n
                break
        i += matched or 1


#: Administrative type words (en, fr) and the level each one names: stripped
#: from a name before lookup ("Chikun LGA" → "Chikun", "cercle de Gao" → "Gao").
_ADMIN_WORDS: dict[str, str | None] = {
    "province": "admin1", "state": "admin1", "region": "admin1", "governorate": "admin1",
    "oblast": "admin1", "prefecture": "admin1", "région": "admin1", "gouvernorat": "admin1",
    "état": "admin1", "wilaya": "admin1",
    "district": "admin2", "county": "admin2", "municipality": "admin2", "lga": "admin2",
    "department": "admin2", "département": "admin2", "subdivision": "admin2",
    "sub-district": "admin2", "subdistrict": "admin2", "division": "admin2",
    "regency": "admin2", "raion": "admin2", "rayon": "admin2", "cercle": "admin2",
    "commune": "admin2", "municipio": "admin2", "township": "admin2", "préfecture": "admin2",
    "city": None, "town": None, "village": None, "ville": None,
}
_TYPE_ALT = "|".join(sorted((re.escape(w) for w in _ADMIN_WORDS if " " not in w),
                            key=len, reverse=True))
#: "Chikun LGA", "Saladin province", "Lahore city": a name and a type word after it.
_TYPE_AFTER = re.compile(
    rf"^(?P<core>[^\W\d_][\w'’.-]*(?:[ -][\w'’.-]+)*?)\s+(?P<word>{_TYPE_ALT})$", re.IGNORECASE)
#: "province de Kayes", "cercle de Gao", "district of Bagrami": a type word before.
_TYPE_BEFORE = re.compile(
    rf"^(?P<word>{_TYPE_ALT})\s+(?:of\s+(?:the\s+)?|de\s+la\s+|de\s+l['’]|du\s+|de\s+|d['’])"
    rf"(?P<core>[^\W\d_].*)$", re.IGNORECASE)
#: A bracketed chain right after a name: "X (A, B)", "X town (A)".
_BRACKET_CHAIN = re.compile(
    r"^\s*(?:(?:town|village|city|area|locality|camp|neighbou?rhood|quarter|section)\s+)?"
    r"\((?P<chain>[^()\n]{2,120})\)")
#: One capitalised piece of a comma chain: "Kaduna", "Bagrami district", "Ad Dali".
_CHAIN_PIECE = re.compile(
    r"(?P<piece>[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:[ -](?:[A-ZÀ-ÖØ-Þ][\w'’.-]*|al|el|ad|ash|as|an|"
    rf"ar|wa|de|del|la|du|des|di|da)(?=[ ,)(.;]|$))*(?:\s+(?:{_TYPE_ALT}))?)(?=[,.;()]|\s|$)")


def type_word_core(name: str) -> tuple[str, str | None] | None:
    """The bare name and the level of a name carrying an administrative type word.

    >>> type_word_core("Chikun LGA"), type_word_core("Saladin province")
    (('Chikun', 'admin2'), ('Saladin', 'admin1'))
    >>> type_word_core("Lahore city"), type_word_core("cercle de Gao"), type_word_core("Gao")
    (('Lahore', None), ('Gao', 'admin2'), None)
    """
    name = name.strip()
    for rx in (_TYPE_AFTER, _TYPE_BEFORE):
        m = rx.match(name)
        if m and m.group("core").strip() and m.group("core")[:1].isupper():
            return m.group("core").strip(), _ADMIN_WORDS[m.group("word").lower()]
    return None


def _chain_name(piece: str) -> str | None:
    """A piece of a parent chain without its type word; ``None`` if not a name."""
    piece = piece.strip(" .;")
    core = type_word_core(piece)
    name = core[0] if core else piece
    if len(name) < 2 or not name[:1].isupper() or any(ch.isdigit() for ch in name):
        return None
    return name


def _parent_chain(text: str, a: Mention, mentions: Sequence[Mention]) -> tuple[str, ...]:
    """The containing places written right after mention ``a``, innermost first.

    "X (Chikun LGA, Kaduna)" gives ("Chikun", "Kaduna"); "X, Bagrami district,
    Kabul" gives ("Bagrami", "Kabul"). In a comma chain every piece must be a
    mention or carry a type word, so a list of towns ("X, Y and Z") is not
    read as a chain beyond the first piece, which is the old "Paris, Texas" rule.
    """
    rest = text[a.end:a.end + 200]
    m = _BRACKET_CHAIN.match(rest)
    if m:
        names = [_chain_name(p) for p in m.group("chain").split(",")]
        if names and all(names) and len(names) <= 3:
            return tuple(n for n in names if n)
        return ()
    chain: list[str] = []
    at = a.end
    starts = {b.start: b for b in mentions if b.kind != "demonym"}
    while len(chain) < 3:
        sep = re.match(r",\s*", text[at:at + 4])
        if not sep:
            break
        at += sep.end()
        b = starts.get(at)
        name: str | None
        if b is not None and b.kind == "region":
            # "X, région de Y" / "X, Y Oblast": the region pattern's bare name.
            whole = b.hints.core or b.text
            name = (type_word_core(whole) or (whole, None))[0]
            chain.append(name)
            at = b.end
            continue
        pm = _CHAIN_PIECE.match(text, at)
        if not pm:
            break
        piece = pm.group("piece")
        typed = type_word_core(piece)
        if b is not None and b.kind == "toponym" and not typed:
            name = b.hints.core or expand_abbreviation(b.text) or b.text
            at = b.end
        elif typed or (b is not None and chain):
            name = _chain_name(piece)
            at = pm.end()
        else:
            break
        if not name:
            break
        chain.append(name)
    return tuple(chain)


_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"
_LINK = r"(?:al|el|ad|ash|as|an|ar|wa|de|del|la|du|des|di|da)"
#: A capitalised name right before a bracketed chain or ", <parent>".
_BEFORE_CHAIN = re.compile(
    rf"(?<![\w'’-])(?P<name>{_CAP}(?:[ -](?:{_CAP}|{_LINK}(?=[ -][A-ZÀ-ÖØ-Þ])))*)"
    rf"(?:\s+(?:town|village|city|area|locality|{_TYPE_ALT}))?"
    r"(?:\s*\((?P<chain>[^()\n]{2,120})\)|,\s*(?P<parent>[A-ZÀ-ÖØ-Þ]))")


def _scope(gazetteer: Gazetteer, names: Sequence[str]) -> tuple[str, str | None] | None:
    """The country and admin-1 a chain of names (innermost first) places one in."""
    scope: tuple[str, str | None] | None = None
    for piece in reversed(names):
        # An admin area of that name, else a town (its admin-1): "(Manouba)".
        found = gazetteer.search(piece, kinds={"country", "admin1", "admin2"}, limit=5) or \
            gazetteer.search(piece, kinds={"city"}, limit=5)
        if scope is not None:
            found = [f for f in found if f.country_code == scope[0]
                     and (scope[1] is None or f.admin1 == scope[1])]
        if found and found[0].country_code:
            scope = (found[0].country_code,
                     None if found[0].kind == "country" else found[0].admin1)
    return scope


def _inside(gazetteer: Gazetteer, name: str, scope: tuple[str, str | None],
            kinds: Collection[str] | None = None) -> bool:
    return any(c.country_code == scope[0] and (scope[1] is None or c.admin1 == scope[1])
               for c in gazetteer.search(name, kinds=kinds, limit=10))


def _merge_split_parent(col: _Collector, gazetteer: Gazetteer, pm: re.Match[str]) -> bool:
    """Join mentions the model split inside a parent piece that names a province."""
    start, end = pm.span("piece")
    inner = [m for m in col.items if start <= m.start and m.end <= end]
    if len(inner) < 2 or any(m.start < end and start < m.end and m not in inner
                             for m in col.items):
        return False
    found = gazetteer.search(pm.group("piece"), kinds={"country", "admin1"}, limit=1)
    if not found or fold(found[0].matched_name or found[0].name) != fold(pm.group("piece")):
        return False
    for m in inner:
        col.items.remove(m)
    return col.add(start, end, "toponym", source="pattern")


def _chain_mentions(col: _Collector, gazetteer: Gazetteer) -> None:
    """Names a parent chain vouches for: "Korce (Korce county)", "X (A LGA, B)", "X, B".

    The model may tag such a name as an organisation or a person, or miss it.
    A capitalised name before a bracketed chain or before ", <a place already
    found>" is a place when the gazetteer has a place of that name inside the
    chain's country or admin-1; so are the chain's own pieces that are admin
    areas there.
    """
    text = col.text
    starts = {m.start: m for m in col.items if m.kind != "demonym"}
    for m in _BEFORE_CHAIN.finditer(text):
        name, start = m.group("name"), m.start("name")
        if m.group("parent") is not None:
            b = starts.get(m.start("parent"))
            pieces: list[tuple[int, int, str]] = []
            pm = _CHAIN_PIECE.match(text, m.start("parent"))
            typed = type_word_core(pm.group("piece")) if pm else None
            if pm and typed and typed[1] and (b is None or b.end <= pm.end()):
                # "in X, Ouest department": a typed piece is a parent, found or not.
                pieces = [(pm.start(), pm.end(), typed[0])]
                names = [typed[0]]
            elif b is not None and b.kind == "toponym":
                names = [b.hints.core or expand_abbreviation(b.text) or b.text]
                if pm and pm.end() > b.end and _merge_split_parent(col, gazetteer, pm):
                    names = [pm.group("piece")]  # "Baja" + "California": one province
            else:
                continue
        else:
            pieces, at = [], m.start("chain")
            for raw in m.group("chain").split(","):
                lead = len(raw) - len(raw.lstrip())
                piece = raw.strip()
                core = _chain_name(piece)
                if core is None:
                    pieces = []
                    break
                pieces.append((at + lead, at + lead + len(piece), core))
                at += len(raw) + 1
            if not pieces or len(pieces) > 3 or all(p[2].isupper() for p in pieces):
                continue  # "Food and Drug Administration (FDA)": an acronym, no chain
            names = [p[2] for p in pieces]
        if len(name) < 3 or fold(name) in _GENERIC or fold(name) in _CALENDAR:
            continue
        scope = _scope(gazetteer, names)
        if scope is None:
            continue
        if (not col.overlaps(start, m.end("name")) and gazetteer.has_name(fold(name))
                and _inside(gazetteer, name, scope)):
            col.add(start, m.end("name"), "toponym", source="pattern")
        for ps, pe, core in pieces:
            # Mentions the model cut out of a piece ("Sava" of "Mayo-Sava") give way
            # to the whole piece when it is a place inside the chain's scope.
            inner = [x for x in col.items if ps <= x.start and x.end <= pe
                     and (x.start, x.end) != (ps, pe)]
            crossing = any(x.start < pe and ps < x.end and x not in inner for x in col.items)
            # An acronym is an organisation's ("Food and Drug Administration (FDA)"); a
            # lone piece is its own scope, so it must at least be an admin area.
            kinds = {"country", "admin1", "admin2"} if len(pieces) == 1 else None
            if crossing or core.isupper() or not _inside(gazetteer, core, scope, kinds):
                continue
            for x in inner:
                col.items.remove(x)
            col.add(ps, pe, "toponym", source="pattern")


def _parent_hints(text: str, mentions: list[Mention]) -> list[Mention]:
    """Mark parent chains and type words.

    "X, Y", "X (Y)", "X (A district, B)": the chain is a parent hint of X
    (innermost first, comma-separated), and each piece stays a mention itself. A name
    glued to a type word ("Chikun LGA", "Lahore city") gets the bare name as
    its ``core`` and, for an admin word, the ``level``. A single mention
    holding a chain ("Nis, Serbia") is split the same way.
    """
    out = list(mentions)
    for k, a in enumerate(out):
        hints = a.hints
        if a.kind not in {"toponym", "region"}:
            continue
        if a.kind == "toponym" and not hints.core:
            inner = re.match(r"^(?P<x>[^,()]+?)\s*(?:,\s*(?P<c>[^()]+)|\((?P<b>[^()]+)\)?)$",
                             a.text)
            if inner:
                pieces = [_chain_name(p) for p in (inner.group("c") or inner.group("b")).split(",")]
                if pieces and all(pieces):
                    parent = ", ".join(p for p in pieces if p)
                    hints = dataclasses.replace(hints, core=inner.group("x").strip(),
                                                parent=parent)
            typed = type_word_core(hints.core or a.text)
            if typed:
                hints = dataclasses.replace(hints, core=typed[0], level=typed[1] or hints.level)
        if a.kind == "toponym" or hints.core:
            chain = _parent_chain(text, a, out)
            if chain and not hints.parent:
                hints = dataclasses.replace(hints, parent=", ".join(chain))
        if hints is not a.hints:
            out[k] = Mention(a.start, a.end, a.text, a.kind, a.sentence, hints)
    return out


#: The ``doc.spans`` key the ``geomap_places`` component writes.
SPAN_KEY = "geomap_places"


class PlacesComponent:
    """spaCy pipeline component: recognise and resolve places, as geomap does.

    Registered as ``"geomap_places"`` when :mod:`geomap.extract` is imported::

        import spacy
        import geomap.extract  # registers the factory

        nlp = spacy.load("en_core_web_sm")
        nlp.add_pipe("geomap_places", config={"gazetteer": None, "demonyms": False})
        doc = nlp("Protesters marched from Paris, Texas to Dallas.")
        for span in doc.spans["geomap_places"]:
            print(span.text, span.label_, span._.place)

    It must come after the NER and a sentence splitter (parser or senter).
    Each span of ``doc.spans["geomap_places"]`` is labelled with the mention
    kind (``toponym``, ``region``, ``demonym``) and carries the resolved
    :class:`~geomap.records.Place` (or ``None``) in ``span._.place``;
    ``doc._.places`` lists the same places in span order.

    Parameters
    ----------
    gazetteer : gazetteer.Gazetteer
        The gazetteer resolving the names.
    lang : str
        ``"fr"`` or ``"en"`` (the pipeline's language by default).
    demonyms : bool
        Also keep demonyms ("Russian" → Russia) as spans.
    """

    def __init__(self, gazetteer: Gazetteer, lang: str, demonyms: bool = False) -> None:
        self.gazetteer = gazetteer
        self.lang = lang
        self.demonyms = demonyms

    def __call__(self, doc: Any) -> Any:
        from .resolve import resolve

        parsed = _extract_doc(Document("spacy", doc.text, lang=self.lang), doc,
                              self.gazetteer, self.lang)
        mentions = list(parsed.mentions)
        places = resolve(mentions, self.gazetteer, lang=self.lang)
        spans, kept = [], []
        for m, place in zip(mentions, places, strict=True):
            if m.kind == "demonym" and not self.demonyms:
                continue
            span = doc.char_span(m.start, m.end, label=m.kind, alignment_mode="expand")
            if span is None:
                continue
            span._.place = place
            spans.append(span)
            kept.append(place)
        doc.spans[SPAN_KEY] = spans
        doc._.places = kept
        return doc


def register_component() -> None:
    """Register the ``geomap_places`` factory and the ``place``/``places`` extensions.

    Called on import of this module; safe to call again.
    """
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    if not Span.has_extension("place"):
        Span.set_extension("place", default=None)
    if not Doc.has_extension("places"):
        Doc.set_extension("places", default=None)
    if "geomap_places" in Language.factories:
        return

    def make(nlp: Any, name: str, gazetteer: str | None, lang: str | None,
             demonyms: bool) -> PlacesComponent:
        from gazetteer import open_gazetteer

        return PlacesComponent(open_gazetteer(gazetteer), lang or nlp.lang, demonyms)

    Language.factory("geomap_places",
                     default_config={"gazetteer": None, "lang": None, "demonyms": False},
                     func=make)


register_component()
