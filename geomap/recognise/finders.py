"""What recognition finds in a spaCy ``Doc``: place spans and what the text says of them.

Recognition knows no gazetteer. It proposes spans in the order their claims
count (region patterns, the language's name patterns, the model's entities,
demonyms, then after the gazetteer's own names the rare proper nouns after
an article); a span whose reading depends on what the gazetteer knows
carries that question (``needs``) for the resolve stage to answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gazetteer import fold

from ..records import Document, MentionHints, Sentence
from .model import doc_sentences
from .rules import RecognitionRules, recognition_rules
from .spans import common_word, name_like, single_letters, zipf

__all__ = ["PLACE_LABELS", "NEEDS", "Proposal", "Lexicon", "Recognised", "recognise",
           "recognise_many", "recognise_doc"]

#: The model labels of place entities (spaCy's English GPE/LOC/FAC, French LOC).
PLACE_LABELS = frozenset({"LOC", "GPE", "FAC"})
#: What a proposal may need the gazetteer to confirm: nothing, the name being a known
#: place name, or its best reading being a large area (country, region, continent, admin-1).
NEEDS = ("", "known", "area")


@dataclass(frozen=True, slots=True)
class Proposal:
    """A span recognition proposes as a mention.

    ``needs``: what the gazetteer must confirm (see :data:`NEEDS`). ``group``:
    proposals of one group are alternatives, longest first; the first one
    whose span is still free is taken. ``late``: claimed after the
    gazetteer's own names rather than before them.
    """

    start: int
    end: int
    kind: str = "toponym"
    hints: MentionHints = field(default_factory=MentionHints)
    needs: str = ""
    group: int | None = None
    late: bool = False


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The word lists recognition reads that the gazetteer curates.

    ``demonyms``: folded demonym or adjective → ISO country code;
    ``region_words``: folded region word → ``"admin1"`` or ``"admin2"``.
    Build one with :func:`geomap.resolve.lexicon`.
    """

    demonyms: Mapping[str, str]
    region_words: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Recognised:
    """A document after recognition, before the gazetteer-backed recall.

    ``entities`` are all the model's entities ``(start, end, label, text)``;
    ``place_names`` the folded names it tagged as places; ``person_words``
    the folded words of its multi-word person names.
    """

    document: Document
    lang: str
    sentences: tuple[Sentence, ...]
    proposals: tuple[Proposal, ...]
    entities: tuple[tuple[int, int, str, str], ...] = ()
    place_names: frozenset[str] = frozenset()
    person_words: frozenset[str] = frozenset()
    packs: tuple[str, ...] = ()


def recognise(document: Document, nlp: Any, lang: str, lexicon: Lexicon,
              packs: Sequence[str] = ()) -> Recognised:
    """Find the place spans of one document.

    Parameters
    ----------
    document : Document
        The article.
    nlp : spacy.Language
        The pipeline for ``lang`` (see :func:`geomap.recognise.load_pipeline`).
    lang : str
        A language with a pack.
    lexicon : Lexicon
        Demonyms and region words.
    packs : sequence of str
        Opt-in packs (``"fr-hist"``).

    Returns
    -------
    Recognised
    """
    return recognise_doc(document, nlp(document.text), lang, lexicon, packs)


def recognise_many(documents: Sequence[Document], nlp: Any, lang: str, lexicon: Lexicon,
                   packs: Sequence[str] = (), batch_size: int = 16) -> list[Recognised]:
    """Run :func:`recognise` over many documents of one language, batched through ``nlp.pipe``.

    Parameters
    ----------
    documents : sequence of Document
    nlp : spacy.Language
    lang : str
    lexicon : Lexicon
    packs : sequence of str
    batch_size : int

    Returns
    -------
    list of Recognised
    """
    docs = nlp.pipe((d.text for d in documents), batch_size=batch_size)
    return [recognise_doc(d, sd, lang, lexicon, packs)
            for d, sd in zip(documents, docs, strict=True)]


def recognise_doc(document: Document, doc: Any, lang: str, lexicon: Lexicon,
                  packs: Sequence[str] = ()) -> Recognised:
    """Run :func:`recognise` on a document spaCy has already parsed.

    Parameters
    ----------
    document : Document
    doc : spacy.tokens.Doc
        ``nlp(document.text)``.
    lang : str
    lexicon : Lexicon
    packs : sequence of str

    Returns
    -------
    Recognised
    """
    rules = recognition_rules(lang, tuple(packs))
    text = document.text
    out: list[Proposal] = []

    def propose(start: int, end: int, kind: str = "toponym", needs: str = "",
                group: int | None = None, late: bool = False, **hints: Any) -> None:
        out.append(Proposal(start, end, kind, MentionHints(**hints), needs, group, late))

    _regions(text, rules, lexicon, propose)
    _name_patterns(text, rules, propose)
    for ent in doc.ents:
        handled, needs = _entity(ent, text, rules, propose)
        if handled or ent.label_ not in PLACE_LABELS:
            continue
        key = fold(ent.text)
        if rules.drop_figure_letters and single_letters(ent.text):
            continue  # "l'angle E G I": letters of a figure, not a name
        if key in lexicon.demonyms:
            propose(ent.start_char, ent.end_char, "demonym", needs,
                    country=lexicon.demonyms[key], source="demonym")
        elif key not in rules.generic and name_like(text, ent.start_char, ent.end_char, rules):
            propose(ent.start_char, ent.end_char, "toponym", needs, source="ner")
    toks = list(doc)
    for i in range(len(toks)):
        for n in (3, 2, 1):  # demonyms: the longest free compound at each token
            if i + n > len(toks):
                continue
            span = doc[i: i + n]
            key = fold(span.text)
            if key in lexicon.demonyms and span.text[:1].isalpha():
                propose(span.start_char, span.end_char, "demonym", group=i,
                        country=lexicon.demonyms[key], source="demonym")
    _after_article(doc, text, rules, propose)
    stops = rules.person_name_stops
    return Recognised(
        document, lang, doc_sentences(doc), tuple(out),
        tuple((e.start_char, e.end_char, e.label_, e.text) for e in doc.ents),
        frozenset(fold(e.text) for e in doc.ents if e.label_ in PLACE_LABELS - {"FAC"}),
        frozenset(fold(t.text) for e in doc.ents if e.label_ in {"PER", "PERSON"} and len(e) > 1
                  for t in _until(e, stops)),
        tuple(packs))


def _until(ent: Any, stops: frozenset[str]) -> list[Any]:
    """Return the tokens of a person entity before a word of ``stops``.

    A title or a person's name may end in "de" and a place ("le roi de
    Jordanie", "l'évêque de Metz") the model tags as one person: the words
    after "de" are not person words there.
    """
    out = []
    for t in ent:
        if t.text.lower() in stops:
            break
        out.append(t)
    return out


def _regions(text: str, rules: RecognitionRules, lexicon: Lexicon, propose: Any) -> None:
    """Region patterns claim "région russe de Koursk" / "Donetsk Oblast" as one mention."""
    for rx in rules.region_patterns(rules.region_surface_words | set(lexicon.region_words)):
        for m in rx.finditer(text):
            level = lexicon.region_words.get(fold(m.group("word")), "admin1")
            country = None
            adjs = (m.groupdict().get("adjs") or "").split()
            for adj in adjs:
                country = lexicon.demonyms.get(fold(adj)) or country
            # The core drops the adjectives: "région russe de Koursk" → "région de Koursk",
            # a form the gazetteer's region patterns understand.
            core = text[m.start():m.end()]
            if adjs:
                core = core.replace(m.group("adjs"), "", 1)
            propose(m.start(), m.end(), "region", country=country, level=level,
                    source="pattern", core=core)


def _name_patterns(text: str, rules: RecognitionRules, propose: Any) -> None:
    """Natural features, large areas with an adjective, names after a town word or a title.

    "le lac de Garde", "la mer Baltique" are kept whole, as the English
    "Dnipro River" is; "l'Asie centrale" keeps its adjective when the noun is
    a continent or (the gazetteer says) a large area, never "la Banque
    centrale"; "le village de Robotyne", "le maire de Lyon" give the name.
    """
    if rules.feature_rx is not None:
        for m in rules.feature_rx.finditer(text):
            name = m.group("name")
            if fold(name) in rules.generic and m.group("word") not in rules.feature_keeps_generic:
                continue  # "la côte Est": a direction, not a name
            if m.group("of").strip() == "" and name.lower() in rules.definite_articles:
                continue  # "au bord du lac La ...": an article, not a name
            # A region-kind mention, so the resolver looks for the sea or lake before
            # a town of that name ("mer Rouge" is the Red Sea, not Mer Rouge, Louisiana).
            propose(m.start(), m.end(), "region", source="pattern", level="region",
                    core=text[m.start():m.end()])
    if rules.area_adjective_rx is not None:
        for m in rules.area_adjective_rx.finditer(text):
            needs = "" if fold(m.group("name")) in rules.continents else "area"
            propose(m.start(), m.end(), "toponym", needs, source="pattern", core=m.group("name"))
    if rules.of_place_rx is not None:
        for m in rules.of_place_rx.finditer(text):
            key = fold(m.group("name"))
            if key in rules.generic or key in rules.calendar or not name_like(
                    text, *m.span("name"), rules):
                continue
            before = text[:m.start("name")].split()
            # "la ville des Moscovites": a people, unless the gazetteer knows the name
            needs = "known" if rules.group_like(m.group("name"), before[-1] if before else "") \
                else ""
            propose(*m.span("name"), "toponym", needs, source="pattern")


def _entity(ent: Any, text: str, rules: RecognitionRules, propose: Any) -> tuple[bool, str]:
    """Read an entity that is not one place name: return ``(handled, needs)``.

    An entity joining names with a coordinator ("entre Bagdad et Bassora")
    after a locative word is split into its names; a single-word place
    entity that reads as a plural people ("les Romains") or a common noun
    ("en Peinture") needs the gazetteer to know it.
    """
    toks = list(ent)
    joins = [k for k, t in enumerate(toks) if t.text in rules.entity_coordinators]
    k = ent.start - 1
    while k > 0 and ent.doc[k].text.lower() in rules.definite_articles:
        k -= 1  # "de la Dendre & de l'Escaut": the word before the article
    prev = ent.doc[k].text.lower() if k >= 0 else ""
    linked = prev in rules.locative_words | rules.of_words
    if joins and (ent.label_ in PLACE_LABELS or (ent.label_ == "MISC" and linked) or (
            ent.label_ == "ORG" and linked and all(
                ent.start + j + 1 < len(ent.doc)
                and ent.doc[ent.start + j + 1].text.lower() in rules.repeated_prepositions
                for j in joins))):
        # an organisation only when the preposition repeats: "de Clèves & de Berg"
        cuts = [0, *joins, len(toks)]
        parts = [toks[a + (a > 0): b] for a, b in zip(cuts, cuts[1:], strict=False)]
        # "de la Dendre & de l'Escaut": each name without its article
        parts = [p[next((k for k, t in enumerate(p) if t.text[:1].isupper()), len(p)):]
                 for p in parts]
        parts = [p for p in parts if p]  # "Sarbruck &" cut before its second name
        if not (parts and all(p[-1].text[:1].isupper() for p in parts)):
            return False, ""
        for p in parts:
            start, end = p[0].idx, p[-1].idx + len(p[-1].text)
            name = text[start:end]
            before = ent.doc[p[0].i - 1].text.lower() if p[0].i > 0 else ""
            if len(p) == 1 and common_word(name, rules.lang):
                continue  # "Pays & Royaume"
            if name_like(text, start, end, rules):
                propose(start, end, "toponym", "known" if rules.group_like(name, before) else "",
                        source="ner")
        return True, ""
    if not rules.drop_unknown_single_words or ent.label_ not in PLACE_LABELS or len(toks) != 1:
        return False, ""
    tok = toks[0]
    doubt = rules.group_like(tok.text, prev) or (
        tok.pos_ == "NOUN" and zipf(tok.text.lower(), rules.lang) >= rules.common_noun_zipf)
    return False, "known" if doubt else ""


def _after_article(doc: Any, text: str, rules: RecognitionRules, propose: Any) -> None:
    """Propose a rare proper noun after a place preposition and an article ("dans la Piave").

    The model misses many river and area names in "sur le Hartz", "dans
    l'Albigeois"; a word of any entity, an everyday word ("dans la Défense"),
    or a newspaper-like frequent name ("selon le Monde") is left alone.
    """
    if not rules.after_article_prepositions:
        return
    in_ent = {t.i for e in doc.ents for t in e}
    toks = list(doc)
    for k in range(2, len(toks)):
        tok, art, prep = toks[k], toks[k - 1], toks[k - 2]
        if (tok.pos_ != "PROPN" or k in in_ent or not tok.text[:1].isupper()
                or art.text.lower() not in rules.after_article_articles
                or prep.text.lower() not in rules.after_article_prepositions or tok.is_sent_start):
            continue
        if zipf(tok.text.lower(), rules.lang) < rules.rare_after_article_zipf and name_like(
                text, tok.idx, tok.idx + len(tok), rules):
            propose(tok.idx, tok.idx + len(tok), "toponym", late=True, source="gazetteer")
