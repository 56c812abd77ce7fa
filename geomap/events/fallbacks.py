"""Where an event happened when its sentence ties no place to it.

"cette région" refers back to the region named before; a fight without a
place of its own is at the fighting told before; an event on the ground
without one is where the event just before it was, or at the document's main
place; a statement is at the nearest place before it. Places listed together
("à Marseille, à Lyon et à Toulouse") each get the event, and a place the
sentence locates plainly ("in Tijuana, Baja California") beats a namesake
abroad. For want of any place, the country the document names.
"""

from __future__ import annotations

from collections import Counter

from gazetteer import fold, haversine_km

from ..records import Mention, Parsed, Place, Sentence, Token
from .families import FIGHTING, VIOLENT
from .tree import SUBJECT_DEPS, head_token, path_length
from .words import event_words

__all__ = ["actor_demonym", "anaphor", "coordinated", "country_as_modifier", "document_country",
           "fallback_place", "focus_place", "names_the_doers", "outside_anchor"]

def anaphor(sentence: Sentence, pairs: list[tuple[Mention, Place]], trigger: Token, lang: str
             ) -> tuple[Mention, Place, str, int] | None:
    """Find the place "cette région" or "the city" refers back to: the latest of that kind.

    Parameters
    ----------
    sentence : Sentence
        The sentence that may hold the anaphor.
    pairs : list of (Mention, Place)
        The document's resolved mentions.
    trigger : Token
        The event's trigger.
    lang : str
        The sentence's language (its pack's anaphors).

    Returns
    -------
    (Mention, Place, str, int) or None
        The mention and place named before, the reason and the dependency
        distance from the trigger to the anaphor.
    """
    toks = sentence.tokens
    for level, words in event_words(lang).anaphors:
        for k in range(len(toks) - 1):
            phrase = f"{toks[k].text.lower()} {toks[k + 1].text.lower()}"
            if phrase not in words:
                continue
            levels = {"region", "admin1", "admin2"} if level == "region" else {"point"}
            before = [(m, p) for m, p in pairs if m.start < sentence.start
                      and p.level in levels and m.kind != "demonym"]
            if before:
                m, p = before[-1]
                dist = path_length(sentence, trigger, toks[k + 1])
                return m, p, f"'{phrase}' refers back to {m.text}", dist
    return None


def coordinated(sentence: Sentence, mention: Mention, local: list[tuple[Mention, Place]]
                 ) -> list[tuple[Mention, Place]]:
    """List the places coordinated with ``mention`` ("in Batumi and Kutaisi").

    Two places are listed together when, after climbing their ``conj`` links,
    they are the same token or siblings with the same relation to the same head.

    Parameters
    ----------
    sentence : Sentence
        The sentence of the mentions.
    mention : Mention
        The event's place.
    local : list of (Mention, Place)
        The sentence's resolved mentions.

    Returns
    -------
    list of (Mention, Place)
        The other places of the list (none when ``mention`` is a subject).
    """
    by_i = {t.i: t for t in sentence.tokens}

    def root(tok: Token | None) -> Token | None:
        steps = 0
        while tok is not None and tok.dep == "conj" and steps < 8:
            tok, steps = by_i.get(tok.head), steps + 1
        return tok

    r1 = root(head_token(sentence, mention))
    if r1 is None or r1.dep in SUBJECT_DEPS:
        return []
    out = []
    for m2, p2 in local:
        if m2 is mention or m2.kind == "demonym":
            continue
        r2 = root(head_token(sentence, m2))
        if r2 is not None and (r2.i == r1.i or (r2.head == r1.head and r2.dep == r1.dep)):
            out.append((m2, p2))
    return out


def fallback_place(
    parsed: Parsed,
    sentence: Sentence,
    pairs: list[tuple[Mention, Place]],
    etype: str,
    trigger: Token,
    last_fighting: tuple[Mention, Place, str] | None,
    focus: tuple[Mention, Place] | None,
    last_ground: tuple[Mention, Place, str] | None = None,
) -> tuple[Mention, Place, str] | None:
    """Find the place of an event whose sentence ties no place to it.

    "cette région" first; then, for fighting, the place of the fighting told
    before; for other events on the ground, the place of the event told just
    before in the paragraph ("Protesters gathered in X. Police arrested
    five."), else the document's main place; for statements, the nearest
    place before (the same speaker, usually).

    Parameters
    ----------
    parsed : Parsed
        The document.
    sentence : Sentence
        The event's sentence.
    pairs : list of (Mention, Place)
        The document's resolved mentions.
    etype : str
        The event type.
    trigger : Token
        The event's trigger.
    last_fighting : (Mention, Place, str) or None
        The place of the fighting told before.
    focus : (Mention, Place) or None
        The document's main place (:func:`focus_place`).
    last_ground : (Mention, Place, str) or None
        The place of the event on the ground told before.

    Returns
    -------
    (Mention, Place, str) or None
        The mention, its place and the reason.
    """
    ana = anaphor(sentence, pairs, trigger, parsed.lang)
    if ana:
        return ana[:3]
    if etype in FIGHTING and last_fighting is not None:
        m, p, _ = last_fighting
        return m, p, f"no place of its own; the fighting told before, at {m.text}"
    if etype in VIOLENT and last_ground is not None and _same_paragraph(
            parsed, last_ground[0], sentence):
        m, p, _ = last_ground
        return m, p, f"no place of its own; the event told just before, at {m.text}"
    if etype in VIOLENT and focus is not None and focus[1].level != "country":
        m, p = focus
        where = ("named in the sentence but not tied to the event"
                 if sentence.start <= m.start < sentence.end else "no place in the sentence")
        return m, p, f"{where}; the document's main place {m.text}"
    return _nearest_before(parsed, sentence, pairs, etype)


def _same_paragraph(parsed: Parsed, mention: Mention, sentence: Sentence) -> bool:
    """Tell whether ``mention`` is in ``sentence`` or before it in the same paragraph."""
    text = parsed.document.text
    return mention.start <= sentence.end and "\n\n" not in text[mention.end: sentence.start]


def _nearest_before(parsed: Parsed, sentence: Sentence, pairs: list[tuple[Mention, Place]],
                    etype: str) -> tuple[Mention, Place, str] | None:
    """Find the most precise fitting place in the two non-blank sentences before this one."""
    previous = [s.index for s in parsed.sentences[: sentence.index] if s.text.strip()][-2:]
    window = [(m, p) for m, p in pairs if m.sentence in previous]
    if etype in VIOLENT:
        window = [(m, p) for m, p in window if p.level != "country" and m.kind != "demonym"]
    if not window:
        return None
    # The most precise place, the latest among equals: "in X, Mexico, ... Also, the
    # group threatened ..." happened in X, not all over Mexico.
    rank = {"point": 0, "admin2": 1, "region": 2, "admin1": 3, "country": 4}
    k = min(range(len(window)), key=lambda j: (rank[window[j][1].level], -j))
    m, p = window[k]
    return m, p, f"no place in the sentence; the most precise one just before it: {m.text}"


def focus_place(pairs: list[tuple[Mention, Place]]) -> tuple[Mention, Place] | None:
    """Find the document's main place: the most named one, towns and regions counting twice.

    Parameters
    ----------
    pairs : list of (Mention, Place)
        The document's resolved mentions.

    Returns
    -------
    (Mention, Place) or None
        The first mention of the most named place (demonyms do not count).
    """
    counts: Counter[int] = Counter()
    first: dict[int, tuple[Mention, Place]] = {}
    for mention, place in pairs:
        if mention.kind == "demonym":
            continue
        counts[place.geonameid] += 2 if place.level != "country" else 1
        first.setdefault(place.geonameid, (mention, place))
    if not counts:
        return None
    order = list(first)
    gid = max(counts, key=lambda g: (counts[g], -order.index(g)))
    return first[gid]


def _anchors(local: list[tuple[Mention, Place]]) -> list[tuple[Mention, Place, bool]]:
    """List the places of a sentence that the text itself locates.

    "X, Y" or "X (A, B)" with X resolved inside Y; each comes with whether Y
    is an admin-1 (not a country).
    """
    out = []
    for m, p in local:
        if not m.hints.parent or m.kind == "demonym" or p.level == "country":
            continue
        pieces = {fold(x.strip()) for x in m.hints.parent.split(",")}
        parents = [q for m2, q in local if m2 is not m and (
            fold(m2.hints.core or m2.text) in pieces or fold(m2.text) in pieces)]
        for q in parents:
            if q.country == p.country and (q.level == "country" or q.admin1 == p.admin1):
                out.append((m, p, q.level != "country"))
                break
    return out


def outside_anchor(chosen: tuple[Mention, Place, str], local: list[tuple[Mention, Place]]
                    ) -> tuple[Mention, Place, str] | None:
    """Find a place the sentence locates plainly, when the chosen one lies outside it.

    "In Tijuana, Baja California, a man was found in Colonia Libertad": a
    namesake of "Libertad" in another country (or, for "X, <province>", in
    another province 300 km off) is not where the event was; Tijuana is.

    Parameters
    ----------
    chosen : (Mention, Place, str)
        The place chosen for the event and the reason.
    local : list of (Mention, Place)
        The sentence's resolved mentions.

    Returns
    -------
    (Mention, Place, str) or None
        The located place instead, with the reason; None to keep ``chosen``.
    """
    mention, place, why = chosen
    if mention.hints.parent or place.level == "country":
        return None
    for m, p, by_admin1 in _anchors(local):
        if m is mention:
            return None
        elsewhere = place.country != p.country or (
            by_admin1 and place.admin1 != p.admin1
            and haversine_km(place.lat, place.lon, p.lat, p.lon) > 300)
        if elsewhere:
            return m, p, (f"{why}, but {mention.text} resolves outside {m.hints.parent}, "
                          f"where the sentence puts {m.text}; {m.text}")
    return None


def actor_demonym(parsed: Parsed, mention: Mention) -> bool:
    """Tell whether a demonym names the doers of its clause ("Turkish forces shelled").

    Parameters
    ----------
    parsed : Parsed
        The document.
    mention : Mention
        A demonym of it.

    Returns
    -------
    bool
        True for the subject (or what qualifies it) of its clause, or when the
        parse does not say; False for an object ("shelled Ukrainian positions").
    """
    if not 0 <= mention.sentence < len(parsed.sentences):
        return True
    sentence = parsed.sentences[mention.sentence]
    tok = head_token(sentence, mention)
    return tok is None or names_the_doers(sentence, tok, parsed.lang)


def country_as_modifier(parsed: Parsed, mention: Mention, place: Place) -> bool:
    """Tell whether a country's name qualifies a noun rather than naming where.

    "Burundi troops", "Nepal Armed Police", "Bank Saderat Iran": the country of
    an actor or a piece of a name, as a demonym would be, not a place.

    Parameters
    ----------
    parsed : Parsed
        The document.
    mention : Mention
        A place name of it (not a demonym).
    place : Place
        Its resolution.

    Returns
    -------
    bool
        True for a country whose name modifies a noun (a compound) or lies inside
        a longer organisation's name.
    """
    if place.level != "country" or mention.kind == "demonym" or not (
            0 <= mention.sentence < len(parsed.sentences)):
        return False
    sentence = parsed.sentences[mention.sentence]
    tok = head_token(sentence, mention)
    if tok is not None and tok.dep in {"compound", "flat", "flat:name"} and tok.head > tok.i:
        return True
    return any(label == "ORG" and start <= mention.start and mention.end <= end
               and (start, end) != (mention.start, mention.end)
               for start, end, label, _text in sentence.entities)


def names_the_doers(sentence: Sentence, tok: Token, lang: str) -> bool:
    """Tell whether a word names (or qualifies) the doers of its clause.

    Parameters
    ----------
    sentence : Sentence
    tok : Token
        The word ("Turkish" in "Turkish forces shelled").
    lang : str
        The sentence's language (its pack's agent prepositions: "shot by X").

    Returns
    -------
    bool
        True for the subject (or what qualifies it) of its clause, or when the
        parse does not say; False for an object ("shelled Ukrainian positions",
        "a warning about Honduran melons").
    """
    by_i = {t.i: t for t in sentence.tokens}
    agents = event_words(lang).agent_prepositions
    for _ in range(3):  # "Turkish air drone", "forces of the Saudi-led coalition"
        if tok.dep in {"nsubj", "csubj", "agent", "expl:subj"}:
            return True
        if (tok.dep in {"nsubjpass", "nsubj:pass"} or tok.dep.split(":")[0] in {
                "dobj", "obj", "pobj", "obl", "iobj"} and tok.dep != "obl:agent") \
                and tok.head in by_i and by_i[tok.head].lemma not in agents:
            return False  # "sur les melons honduriens" (obl:arg), not "par l'armée"
        if tok.head == tok.i or tok.head not in by_i:
            return True
        tok = by_i[tok.head]
    return True


def document_country(pairs: list[tuple[Mention, Place]]) -> tuple[Mention, Place] | None:
    """Find the country the document names most (by name or demonym), for want of a place.

    Parameters
    ----------
    pairs : list of (Mention, Place)
        The document's resolved mentions.

    Returns
    -------
    (Mention, Place) or None
        The first mention of the most named country.
    """
    counts: Counter[str] = Counter()
    first: dict[str, tuple[Mention, Place]] = {}
    for mention, place in pairs:
        if place.level == "country" and place.country:
            counts[place.country] += 1
            first.setdefault(place.country, (mention, place))
    if not counts:
        return None
    return first[max(counts, key=lambda c: (counts[c], -list(first).index(c)))]


