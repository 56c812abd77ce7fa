"""Builders for geomap's records, for tests that need no spaCy model.

Recognition is the only stage that runs spaCy; every later stage reads
records. These builders make those records by hand: a sentence with its
tokens, heads, dependencies and entities, a parsed document, mentions,
places, and a small real SQLite gazetteer built from a few GeoNames rows
through the gazetteer package's own build.

>>> from geomap.testing import sentence, parsed, place
>>> s = sentence("Rebels attacked Kursk",
...              lemmas="rebel attack Kursk", pos="NOUN VERB PROPN",
...              deps="nsubj ROOT obj", heads=[1, 1, 1], ents=[(2, 3, "GPE")])
>>> [t.text for t in s.tokens], s.tokens[2].idx, s.entities
(['Rebels', 'attacked', 'Kursk'], 16, ((16, 21, 'GPE', 'Kursk'),))
>>> p = parsed(s, lang="en", date="2025-04-26", places=["Kursk"])
>>> p.mentions[0].text, p.document.date
('Kursk', PartialDate(year=2025, month=4, day=26))
>>> place("Kursk", 51.73, 36.19, country="RU").feature
'city'
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gazetteer import Gazetteer, build_geonames, open_gazetteer

from .errors import InvalidRecord
from .records import (
    Document,
    Mention,
    MentionHints,
    Parsed,
    PartialDate,
    Place,
    Sentence,
    Token,
)

__all__ = ["sentence", "parsed", "mention", "place", "GazetteerRow", "small_gazetteer"]


def _fields(value: str | Sequence[str] | None, n: int, default: Sequence[str], what: str
            ) -> list[str]:
    if value is None:
        return list(default)
    items = value.split() if isinstance(value, str) else list(value)
    if len(items) != n:
        raise InvalidRecord(f"sentence builder: {n} words but {len(items)} {what}; give one "
                            f"per word")
    return items


def sentence(
    words: str | Sequence[str],
    *,
    lemmas: str | Sequence[str] | None = None,
    pos: str | Sequence[str] | None = None,
    deps: str | Sequence[str] | None = None,
    heads: Sequence[int] | None = None,
    morph: Sequence[str] | None = None,
    ents: Iterable[tuple[int, int, str]] = (),
    index: int = 0,
    start: int = 0,
    first_token: int = 0,
) -> Sentence:
    """A sentence built by hand, as recognition would hand it on.

    Parameters
    ----------
    words : str or sequence of str
        The tokens; a string is split on spaces. The sentence's text is the
        tokens joined by single spaces.
    lemmas, pos, deps : str or sequence of str, optional
        One per token (a string is split on spaces). Lemmas default to the
        lower-cased words, parts of speech to ``X``, dependencies to ``dep``.
        Lemmas are lower-cased, as recognition does.
    heads : sequence of int, optional
        The head of each token as a position in the sentence (0-based); the
        root points at itself. Defaults to every token headed by the first.
    morph : sequence of str, optional
        spaCy morphology strings ("Tense=Past|VerbForm=Fin").
    ents : iterable of (first, last_exclusive, label)
        Named entities as token ranges of the sentence.
    index, start, first_token : int
        The sentence's position in its document: its index, its first
        character's offset and its first token's index.

    Returns
    -------
    Sentence
    """
    toks = words.split() if isinstance(words, str) else list(words)
    n = len(toks)
    lem = _fields(lemmas, n, [w.lower() for w in toks], "lemmas")
    tags = _fields(pos, n, ["X"] * n, "parts of speech")
    rel = _fields(deps, n, ["dep"] * n, "dependencies")
    hd = list(heads) if heads is not None else [0] * n
    mo = list(morph) if morph is not None else [""] * n
    if len(hd) != n or len(mo) != n:
        raise InvalidRecord(f"sentence builder: {n} words but {len(hd)} heads and {len(mo)} "
                            f"morphologies; give one per word")
    if any(not 0 <= h < n for h in hd):
        raise InvalidRecord(f"sentence builder: heads {hd} must be positions 0..{n - 1}")
    offsets, pos_ = [], start
    for w in toks:
        offsets.append(pos_)
        pos_ += len(w) + 1
    text = " ".join(toks)
    tokens = tuple(
        Token(first_token + k, toks[k], lem[k].lower(), tags[k], rel[k], first_token + hd[k],
              offsets[k], mo[k])
        for k in range(n))
    entities = tuple(
        (offsets[a], offsets[b - 1] + len(toks[b - 1]), label,
         text[offsets[a] - start: offsets[b - 1] + len(toks[b - 1]) - start])
        for a, b, label in ents)
    return Sentence(index, start, start + len(text), text, tokens, entities)


def _placed(s: Sentence, index: int, start: int, first_token: int) -> Sentence:
    """``s`` moved to a position in a document."""
    shift, tshift = start - s.start, first_token - (s.tokens[0].i if s.tokens else 0)
    tokens = tuple(dataclasses.replace(t, i=t.i + tshift, head=t.head + tshift,
                                       idx=t.idx + shift) for t in s.tokens)
    entities = tuple((a + shift, b + shift, label, text) for a, b, label, text in s.entities)
    return Sentence(index, start, start + len(s.text), s.text, tokens, entities)


def mention(text: str, name: str, *, kind: str = "toponym", occurrence: int = 0,
            sentence_index: int = 0, hints: MentionHints | None = None) -> Mention:
    """The mention of ``name`` in ``text`` (its ``occurrence``-th appearance, from 0)."""
    at = -1
    for _ in range(occurrence + 1):
        at = text.find(name, at + 1)
        if at < 0:
            raise InvalidRecord(f"mention builder: {name!r} does not occur "
                                f"{occurrence + 1} time(s) in {text!r}")
    return Mention(at, at + len(name), name, kind, sentence_index, hints or MentionHints())


def parsed(
    *sentences: Sentence,
    lang: str = "en",
    date: str | PartialDate | None = None,
    places: Iterable[str | Mention] = (),
    doc_id: str = "doc",
    title: str | None = None,
    url: str | None = None,
    paragraph_breaks: Iterable[int] = (),
) -> Parsed:
    """A parsed document from sentences built by :func:`sentence`.

    Parameters
    ----------
    *sentences : Sentence
        In order; they are re-placed one after another (one space between
        them, or a blank line after the sentence indexes in ``paragraph_breaks``).
    lang : str
        The document's language.
    date : str or PartialDate, optional
        The document's date ("2025-04" or "2025-04-26").
    places : iterable of str or Mention
        Mentions: a name is found in the document text (its first occurrence
        after the previous mention of the same name); a Mention is kept as it is.
    doc_id, title, url : str
        The document's metadata.

    Returns
    -------
    Parsed
    """
    breaks = set(paragraph_breaks)
    placed: list[Sentence] = []
    start = first = 0
    parts: list[str] = []
    for k, s in enumerate(sentences):
        placed.append(_placed(s, k, start, first))
        gap = "\n\n" if k in breaks else " "
        parts.append(s.text + gap)
        start += len(s.text) + len(gap)
        first += len(s.tokens)
    text = "".join(parts).rstrip()
    day = PartialDate.parse(date) if isinstance(date, str) else date
    document = Document(doc_id, text, lang=lang, date=day, title=title, url=url)
    mentions: list[Mention] = []
    seen: dict[str, int] = {}
    for p in places:
        if isinstance(p, Mention):
            mentions.append(p)
            continue
        occurrence = seen.get(p, -1) + 1
        seen[p] = occurrence
        m = mention(text, p, occurrence=occurrence)
        k = next(s.index for s in placed if s.start <= m.start < s.end + 1)
        mentions.append(dataclasses.replace(m, sentence=k))
    return Parsed(document, lang, tuple(placed), tuple(sorted(mentions, key=lambda m: m.start)))


def place(name: str, lat: float, lon: float, *, country: str | None = None,
          feature: str = "city", geonameid: int = 1, population: int = 0,
          confidence: float = 0.9, reason: str = "built by hand", **more: Any) -> Place:
    """A resolved place with everyday defaults (see :class:`geomap.Place` for the fields)."""
    return Place(geonameid, name, lat, lon, feature, country, population=population,
                 confidence=confidence, reason=reason, **more)


@dataclass(frozen=True, slots=True)
class GazetteerRow:
    """One place of a :func:`small_gazetteer`, as a GeoNames ``allCountries`` row says it.

    ``feature`` is a GeoNames class and code ("P.PPL", "P.PPLC", "A.ADM1",
    "A.PCLI"); ``alternates`` are (language, name) pairs.
    """

    geonameid: int
    name: str
    lat: float
    lon: float
    country: str
    feature: str = "P.PPL"
    population: int = 1000
    admin1: str = ""
    admin2: str = ""
    alternates: tuple[tuple[str, str], ...] = ()


def small_gazetteer(rows: Iterable[GazetteerRow], directory: str | Path | None = None
                    ) -> Gazetteer:
    """A real SQLite gazetteer holding only ``rows`` (plus CLDR country names and curated data).

    The rows are written as a GeoNames dump and built by
    :func:`gazetteer.build_geonames`, so lookups run the real code. Building
    takes about a second; build once per test module.

    Parameters
    ----------
    rows : iterable of GazetteerRow
    directory : path, optional
        Where the dump and database go; a new temporary folder by default.

    Returns
    -------
    gazetteer.Gazetteer
        Open; close it when done.
    """
    folder = Path(directory) if directory else Path(tempfile.mkdtemp(prefix="geomap-gaz-"))
    dump = folder / "dump"
    dump.mkdir(parents=True, exist_ok=True)
    main, alt = [], []
    n = 1
    for r in rows:
        fclass, _, fcode = r.feature.partition(".")
        main.append("\t".join([str(r.geonameid), r.name, r.name, "", f"{r.lat}", f"{r.lon}",
                               fclass, fcode, r.country, "", r.admin1, r.admin2, "", "",
                               str(r.population), "", "", "", "2024-01-01"]))
        for lang, name in r.alternates:
            alt.append("\t".join([str(n), str(r.geonameid), lang, name, "", "", "", "", "", ""]))
            n += 1
    (dump / "allCountries.txt").write_text("\n".join(main) + "\n", encoding="utf-8")
    (dump / "alternateNamesV2.txt").write_text("\n".join(alt) + "\n", encoding="utf-8")
    return open_gazetteer(build_geonames(dump, folder / "small.sqlite"))
