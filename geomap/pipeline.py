"""Compose the stages: read → recognise → resolve → date → detect events → group.

This module only wires the pure stage functions together; it holds the
loaded models and the open gazetteer so they are loaded once per process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .collection import EventCollection
from .dates import sentence_dates
from .documents import detect_language, read_documents
from .errors import GeomapError, UnknownOption, options_message
from .events import detect_events
from .group import group_events
from .identity import identify
from .lang.overlay import check_packs
from .recognise import MODELS, load_pipeline, recognise_doc, recognise_many
from .records import Document, Event, Mention, Parsed, Place
from .resolve import GazetteerLike, lexicon, recall, resolve

__all__ = ["DocumentResult", "Pipeline", "run", "ON_ERROR", "find_places", "find_places_many"]

ON_ERROR = ("raise", "skip")


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """Everything geomap found in one document."""

    document: Document
    lang: str
    mentions: tuple[Mention, ...]
    places: tuple[Place | None, ...]
    events: tuple[Event, ...]


class Pipeline:
    """The whole pipeline over one gazetteer, models loaded on first use.

    Parameters
    ----------
    gazetteer : GazetteerLike
        An open gazetteer (see :func:`gazetteer.open_gazetteer`).
    lang : {"auto", "fr", "en"}, optional
        Force a language for documents that do not say theirs.
    include_uncertain : bool
        Keep negated, hypothetical and future events (flagged).
    packs : sequence of str
        Opt-in language packs, off by default: ``"fr-hist"`` reads French
        documents with the Encyclopédie's conventions (see ``geomap/lang/fr-hist``).
    places_only : bool
        Recognise and resolve places only (``geomap geoparse``, ``geomap eval``):
        spaCy runs without the components only dates and events need (see
        :data:`geomap.recognise.PLACES_SKIP`) and the results carry no events.
        The mentions and places are the same as the full pipeline's.
    """

    def __init__(self, gazetteer: GazetteerLike, *, lang: str | None = None,
                 include_uncertain: bool = False, packs: Sequence[str] = (),
                 places_only: bool = False) -> None:
        if lang not in (None, "auto", *MODELS):
            raise UnknownOption(options_message("language", lang, ["auto", *sorted(MODELS)]))
        self.gazetteer = gazetteer
        self.lang = None if lang == "auto" else lang
        self.include_uncertain = include_uncertain
        self.packs = check_packs(packs)
        self.places_only = places_only

    def language_of(self, document: Document) -> str:
        """Return the language a document is read in: its own, the pipeline's, or detected."""
        lang = document.lang or self.lang or detect_language(document.text)
        if lang not in MODELS:
            raise UnknownOption(
                options_message(f"language of document '{document.id}'", lang, sorted(MODELS)))
        return lang

    def _finish(self, parsed: Parsed) -> DocumentResult:
        places = resolve(parsed.mentions, self.gazetteer, lang=parsed.lang)
        if self.places_only:
            return DocumentResult(parsed.document, parsed.lang, parsed.mentions, tuple(places), ())
        dates = sentence_dates(parsed)
        told = detect_events(parsed, places, dates, include_uncertain=self.include_uncertain)
        events = identify(told)
        return DocumentResult(parsed.document, parsed.lang, parsed.mentions, tuple(places),
                              tuple(events))

    def process(self, document: Document) -> DocumentResult:
        """Run every stage on one document."""
        return next(iter(self.process_many([document])))

    def process_many(self, documents: Iterable[Document], batch_size: int = 16
                     ) -> Iterator[DocumentResult]:
        """Run every stage on many documents, batched per language through spaCy.

        Results come out in the order of ``documents``. A document longer than
        :data:`CHUNK_CHARS` is cut at paragraph breaks into pieces that each go
        through spaCy (whose ``max_length`` a long text would exceed) and put
        back together: mention offsets and sentence numbers refer to the whole text.
        """
        batch: list[tuple[str, Document]] = []
        for doc in documents:
            batch.append((self.language_of(doc), doc))
            if len(batch) >= batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, batch: Sequence[tuple[str, Document]]) -> Iterator[DocumentResult]:
        # (position in batch, character offset of the piece, the piece as a document)
        pieces: list[tuple[int, int, str, Document]] = []
        for pos, (lang, doc) in enumerate(batch):
            if len(doc.text) <= CHUNK_CHARS:
                pieces.append((pos, 0, lang, doc))
            else:
                for offset, text in split_text(doc.text, CHUNK_CHARS):
                    pieces.append((pos, offset, lang, replace(doc, text=text)))
        parts: dict[int, list[tuple[int, int, DocumentResult]]] = {}
        for lang in dict.fromkeys(lang for _, _, lang, _ in pieces):
            mine = [(pos, off, d) for pos, off, la, d in pieces if la == lang]
            # Only say places_only when it is on: lru_cache keys load_pipeline("en") and
            # load_pipeline("en", places_only=False) apart, and would load the model twice.
            nlp = load_pipeline(lang, places_only=True) if self.places_only else load_pipeline(lang)
            parsed_all = find_places_many([d for _, _, d in mine], nlp,
                                          self.gazetteer, lang, packs=self.packs)
            for (pos, off, _), parsed in zip(mine, parsed_all, strict=True):
                parts.setdefault(pos, []).append((off, len(parsed.sentences),
                                                  self._finish(parsed)))
        for pos, (_, doc) in enumerate(batch):
            yield _join(doc, sorted(parts[pos], key=lambda part: part[0]))


def find_places(document: Document, nlp: Any, gazetteer: GazetteerLike, lang: str,
                packs: Sequence[str] = ()) -> Parsed:
    """Recognise the place spans of one document and settle them with the gazetteer.

    Parameters
    ----------
    document : Document
    nlp : spacy.Language
        The pipeline for ``lang`` (see :func:`geomap.recognise.load_pipeline`).
    gazetteer : GazetteerLike
    lang : str
    packs : sequence of str
        Opt-in language packs.

    Returns
    -------
    Parsed
        Sentences and mentions (with parent hints), mentions sorted by position.
    """
    return recall(recognise_doc(document, nlp(document.text), lang, lexicon(gazetteer, lang),
                                packs), gazetteer)


def find_places_many(documents: Sequence[Document], nlp: Any, gazetteer: GazetteerLike,
                     lang: str, batch_size: int = 16, packs: Sequence[str] = ()
                     ) -> list[Parsed]:
    """Run :func:`find_places` over many documents of one language, batched through spaCy.

    Parameters
    ----------
    documents : sequence of Document
    nlp : spacy.Language
    gazetteer : GazetteerLike
    lang : str
    batch_size : int
    packs : sequence of str

    Returns
    -------
    list of Parsed
    """
    lex = lexicon(gazetteer, lang)
    return [recall(r, gazetteer) for r in recognise_many(documents, nlp, lang, lex, packs,
                                                         batch_size)]


#: Longest text sent to spaCy in one piece (its ``max_length`` is 1,000,000 and
#: the parser's memory grows with the length of a text).
CHUNK_CHARS = 100_000


def split_text(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    r"""Cut ``text`` into ``(offset, piece)`` pairs of at most ``limit`` characters.

    Cuts fall after a blank line when there is one in the window, else after a
    line break, a sentence end or a space; a text without any is cut hard. The
    pieces joined give the text back.

    >>> split_text("One.\n\nTwo.\n\nThree.", 12)
    [(0, 'One.\n\nTwo.\n\n'), (12, 'Three.')]
    """
    if limit < 1:
        raise ValueError(f"limit {limit} must be positive")
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            k = window.rfind(sep)
            if k > 0:
                cut = k + len(sep)
                break
        if cut <= 0:
            cut = limit
        out.append((start, text[start:start + cut]))
        start += cut
    out.append((start, text[start:]))
    return out


def _join(document: Document, parts: Sequence[tuple[int, int, DocumentResult]]) -> DocumentResult:
    """One result for a document processed in pieces: offsets and sentences made global."""
    if len(parts) == 1 and parts[0][0] == 0:
        return parts[0][2]
    mentions: list[Mention] = []
    places: list[Place | None] = []
    events: list[Event] = []
    sentences = 0
    for offset, n_sentences, res in parts:
        mentions.extend(replace(m, start=m.start + offset, end=m.end + offset,
                                sentence=m.sentence + sentences) for m in res.mentions)
        places.extend(res.places)
        events.extend(res.events)
        sentences += n_sentences
    return DocumentResult(document, parts[0][2].lang, tuple(mentions), tuple(places),
                          tuple(events))


def run(
    inputs: Iterable[str | os.PathLike[str] | Document] | str | os.PathLike[str],
    *,
    lang: str | None = None,
    gazetteer: GazetteerLike | str | os.PathLike[str] | None = None,
    on_error: str = "raise",
    include_uncertain: bool = False,
    group: bool = True,
    progress: Callable[[DocumentResult], Any] | None = None,
) -> EventCollection:
    """Turn texts and files into mapped events.

    Parameters
    ----------
    inputs : iterable of str, Path or Document
        A ``Path`` (or a string naming an existing file or directory) is read
        from disk; any other string is the text of a document.
    lang : {"auto", "fr", "en"}, optional
        Language of documents that do not say theirs; detected when omitted.
    gazetteer : GazetteerLike or path, optional
        Defaults to the gazetteer found by :func:`gazetteer.default_path`.
    on_error : {"raise", "skip"}
        ``"skip"`` reports bad documents in ``.skipped`` and goes on.
    include_uncertain : bool
        Keep negated, hypothetical and future events (flagged in ``status``).
    group : bool
        Merge the same event told by several documents.
    progress : callable, optional
        Called with each :class:`DocumentResult`.

    Returns
    -------
    EventCollection
        With ``.filter()``, ``.to_geojson()``, ``.to_geodataframe()``, ``.to_map()``.
    """
    from gazetteer import open_gazetteer

    if on_error not in ON_ERROR:
        raise UnknownOption(options_message("error policy", on_error, ON_ERROR))
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    gaz = gazetteer if isinstance(gazetteer, GazetteerLike) else open_gazetteer(
        Path(gazetteer) if gazetteer is not None else None)
    pipe = Pipeline(gaz, lang=lang, include_uncertain=include_uncertain)
    skipped: list[tuple[str, str]] = []
    events: list[Event] = []
    docs = read_documents(inputs, lang=pipe.lang, on_error=on_error, skipped=skipped)
    for result in _guarded(pipe, docs, on_error, skipped):
        events.extend(result.events)
        if progress is not None:
            progress(result)
    if group:
        events = group_events(events)
    return EventCollection(events, skipped=skipped, shapes=gaz.country_shape)


def _guarded(pipe: Pipeline, docs: Iterable[Document], on_error: str,
             skipped: list[tuple[str, str]]) -> Iterator[DocumentResult]:
    """Process documents; under ``skip``, a document that fails is reported, not fatal."""
    if on_error == "raise":
        yield from pipe.process_many(docs)
        return
    for doc in docs:
        try:
            yield pipe.process(doc)
        except GeomapError as err:
            skipped.append((doc.id, str(err)))
