"""The spaCy side of recognition: load a pipeline, turn its Doc into plain records.

This module and :mod:`geomap.recognise.finders` are the only ones that touch
spaCy objects; spaCy itself is imported only here, and only when a pipeline
is loaded or a component registered, so ``import geomap`` loads no model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from ..errors import ModelNotFound, UnknownOption, options_message
from ..lang import language_pack, languages
from ..records import Sentence, Token

__all__ = ["MODELS", "PLACES_SKIP", "load_pipeline", "doc_sentences", "sentence_index",
           "register_factory"]

#: spaCy pipeline per language (installed from PyPI, never downloaded at run time).
MODELS: dict[str, str] = {code: language_pack(code).get("meta", "model") for code in languages()}
_MODEL_PINS = {code: language_pack(code).get("meta", "model_pin") for code in languages()}
#: Components of the models that recognition and resolution never read, left out of
#: the places-only pipeline (geoparse, eval): the lemmas serve dates and events only.
#: The parser stays: it sets the sentences recall and mention numbering work in.
PLACES_SKIP = ("lemmatizer",)


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
def load_pipeline(lang: str, *, places_only: bool = False) -> Any:
    """Load the installed spaCy pipeline for ``lang`` (cached per process and configuration).

    Parameters
    ----------
    lang : str
        A language with a pack (``"fr"``, ``"en"``).
    places_only : bool
        Leave out the components only dates and events need (:data:`PLACES_SKIP`):
        the same mentions, found faster, but the tokens carry no lemmas. Pass it
        only when true: the cache keys ``load_pipeline("en")`` and
        ``load_pipeline("en", places_only=False)`` apart.

    Returns
    -------
    spacy.Language
        The model, with geomap's paragraph splitter before its parser.

    Raises
    ------
    ModelNotFound
        The model package is missing; the message names the pip command.
    UnknownOption
        For a language geomap does not support.
    """
    if lang not in MODELS:
        raise UnknownOption(options_message("language", lang, sorted(MODELS)))
    import spacy
    from spacy.language import Language

    if "geomap_paragraphs" not in Language.factories:
        Language.component("geomap_paragraphs", func=_paragraph_boundaries)
    try:
        nlp = spacy.load(MODELS[lang], exclude=list(PLACES_SKIP) if places_only else [])
        nlp.add_pipe("geomap_paragraphs", before="parser")
        return nlp
    except OSError as err:
        raise ModelNotFound(
            f"spaCy model '{MODELS[lang]}' for language '{lang}' is not installed; "
            f"install it with: pip install {_MODEL_PINS[lang]}"
        ) from err


def doc_sentences(doc: Any) -> tuple[Sentence, ...]:
    """Return the sentences of a spaCy ``Doc`` as plain records (tokens, heads, entities).

    Parameters
    ----------
    doc : spacy.tokens.Doc
        A parsed document.

    Returns
    -------
    tuple of Sentence
    """
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


def sentence_index(sentences: Sequence[Sentence], offset: int) -> int:
    """Return the index of the sentence holding ``offset`` (the last one past the end).

    Parameters
    ----------
    sentences : sequence of Sentence
    offset : int

    Returns
    -------
    int
    """
    for s in sentences:
        if s.start <= offset < s.end:
            return s.index
    return max(0, len(sentences) - 1)


def register_factory(name: str, make: Callable[..., Any], default_config: dict[str, Any],
                     span_extension: str, doc_extension: str) -> None:
    """Register a spaCy pipeline factory and its span/doc extensions (idempotent).

    Parameters
    ----------
    name : str
        The factory name for ``nlp.add_pipe``.
    make : callable
        ``make(nlp, name, **config)`` returning the component.
    default_config : dict
        The factory's configuration and its defaults.
    span_extension, doc_extension : str
        Names of the ``Span._`` and ``Doc._`` attributes the component sets.
    """
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    if not Span.has_extension(span_extension):
        Span.set_extension(span_extension, default=None)
    if not Doc.has_extension(doc_extension):
        Doc.set_extension(doc_extension, default=None)
    if name not in Language.factories:
        Language.factory(name, default_config=default_config, func=make)
