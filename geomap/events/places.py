"""Where an event happened among the places of its sentence: the parse decides.

The event's place is the one the trigger governs in the parse, not every
place of the sentence: subjects are actors ("Moscou a revendiqué la reprise
de Koursk" happens at Kursk, not Moscow). Each place is scored by how it hangs
from the trigger (:func:`choose_place`); the prepositions and place nouns of
each language come from its pack (:mod:`geomap.events.words`).
"""

from __future__ import annotations

from collections.abc import Sequence

from gazetteer import fold

from ..records import Mention, Place, Sentence, Token
from .actors import actor_roles
from .fallbacks import names_the_doers
from .families import COMMUNICATIVE, VIOLENT
from .speech import speaker
from .tree import (
    SUBJECT_DEPS,
    ancestors,
    descendants,
    head_token,
    is_subject_conj,
    path_length,
)
from .words import EventWords, event_words

__all__ = ["INHERITED", "STAND_IN", "choose_place", "geo_precision", "own_place"]

def geo_precision(place: Place) -> int:
    """Give ACLED's geo-precision of a place: 1 a town, 2 a district or region, 3 larger.

    Parameters
    ----------
    place : Place
        A resolved place.

    Returns
    -------
    int
        1 for a point (town, village, site), 2 for a district (admin-2) or a
        region, 3 for a province (admin-1) or a country.

    Examples
    --------
    >>> from geomap.testing import place
    >>> geo_precision(place("Kursk", 51.73, 36.19, country="RU"))
    1
    """
    return {"point": 1, "admin2": 2, "region": 2, "admin1": 3, "country": 3}[place.level]


STAND_IN = "is not in the gazetteer"
#: How the reason of an event whose sentence ties no place to it begins its place part.
INHERITED = "place: no place"


def own_place(reason: str) -> bool:
    """Whether an event's reason says its own sentence named its place.

    Not a stand-in (a place named with one the gazetteer lacks: the event is
    near it, somewhere unknown), and not a place carried from another
    sentence or the document.

    >>> own_place("trigger 'shelled' (shell); place: Kharkiv, the object of 'shelled'")
    True
    >>> own_place("trigger 'damaged' (damage); place: no place of its own; the event told "
    ...           "just before, at Donetsk")
    False
    """
    return STAND_IN not in reason and INHERITED not in reason


_OBJECT_DEPS = {"dobj", "obj", "nsubjpass", "nsubj:pass", "attr", "oprd"}


_MOD_DEPS = {"compound", "poss", "nmod:poss", "amod", "flat", "flat:name", "nmod", "appos",
             "npadvmod", "nummod"}


def _marker(tok: Token, kids: dict[int, list[Token]], at: frozenset[str]) -> str | None:
    """Name the preposition that ties ``tok`` to its head: "in" for "in X", "près" for "près de X".

    English parses put the preposition above its object (``prep`` → ``pobj``);
    French ones put it below, as a ``case`` child ("dans" ← "rues").
    """
    if tok.dep in {"prep", "agent"}:
        return tok.text.lower()
    case = [k.text.lower() for k in kids.get(tok.i, ()) if k.dep in {"case", "fixed"}]
    if case:
        return " ".join(case)
    if tok.dep in {"advmod", "obl", "obl:mod", "advcl"} and tok.text.lower() in at:
        return tok.text.lower()  # "près de X", "outside X" parsed as an adverb
    return None


def _link(sentence: Sentence, trigger: Token, head: Token, actors: dict[str, str],
          words: EventWords) -> tuple[str, int, str]:
    """Tell how a place's head token hangs from the trigger: kind, path length, marker word.

    Kinds, from the strongest tie to the weakest: ``at`` (a locative
    preposition on the way down from the trigger's clause: "clashed in X",
    "killed in the village of X"), ``object`` ("shelled X", "X was captured",
    "la reprise de X"), ``to`` (a destination), ``from`` (an origin),
    ``subject`` (an agent: an actor, not the place), ``actor`` (a modifier of
    an actor noun: "the forces of X", "Iraqi police"), ``above`` (tied to a
    clause above the trigger's), ``attribute`` (a name qualifying a thing:
    "the US dollar", "Molotov cocktails") and ``loose``.
    """
    by_i = {t.i: t for t in sentence.tokens}
    kids: dict[int, list[Token]] = {}
    for t in sentence.tokens:
        if t.head != t.i:
            kids.setdefault(t.head, []).append(t)
    up, down = ancestors(sentence, trigger, 50), ancestors(sentence, head, 50)
    up_ids = [t.i for t in up]
    common = next((t for t in down if t.i in up_ids), None)
    if common is None:
        return "loose", 99, ""
    k_up, k_down = up_ids.index(common.i), [t.i for t in down].index(common.i)
    dist = k_up + k_down
    path = list(reversed(down[:k_down]))  # from just below the common ancestor to the head
    # The trigger's clause: the trigger and the nouns and verbs up to its verb.
    clause = {trigger.i}
    for t in up[1:] if trigger.pos not in {"VERB", "AUX"} else ():
        clause.add(t.i)
        if t.pos in {"VERB", "AUX"}:
            break
    above = common.i not in clause
    if not path:  # the place governs the trigger: "the town captured by X", "aidé X à reprendre"
        if k_up > 1:
            return "above", dist, ""
        if "VerbForm=Inf" in trigger.morph or "VerbForm=Ger" in trigger.morph:
            return "subject", dist, ""  # X is who does it
        return ("object" if "VerbForm=Part" in trigger.morph else "loose"), dist, ""
    first = path[0]
    kind = "loose"
    marker = ""
    for n, t in enumerate(path):
        word = _marker(t, kids, words.at)
        parent = by_i.get(t.head)
        if n == 0 and t.dep in SUBJECT_DEPS - {"nsubj:pass", "nsubjpass"}:
            kind = "subject"
        elif n == 0 and t.dep in _OBJECT_DEPS and kind == "loose":
            kind = "object"
        elif (kind == "object" and 0 < n and t.pos in {"NOUN", "PROPN"}
              and parent is not None and parent.pos == "NOUN"
              and parent.lemma.lower() not in words.place_nouns and parent.i != trigger.i):
            kind = "loose"  # "captured two men suspected of ... X": X is not the target
        if word is not None:
            w = word.split()[0] if word.split() else word
            if word in words.at or w in words.at:
                if kind in {"loose", "object"} or (kind == "subject" and n > 0):
                    kind, marker = ("at" if kind != "subject" else "subject_at"), word
            elif word in words.to or w in words.to:
                if kind in {"loose", "object"}:
                    kind, marker = "to", word
            elif word in words.from_ or w in words.from_:
                if kind in {"loose", "object"}:
                    kind, marker = "from", word
            elif (word in words.of or w in words.of) and parent is not None:
                plem = parent.lemma.lower()
                if plem in actors or parent.text.lower() in actors:
                    if kind not in {"at", "to"} or n == len(path) - 1:
                        kind, marker = "actor", word
                elif parent.i == trigger.i and kind == "loose":
                    kind, marker = "object", word  # "la reprise de Koursk", "the siege of X"
                elif plem in words.place_nouns and kind == "loose":
                    kind, marker = "at", word
        elif t.dep in _MOD_DEPS and parent is not None and n == len(path) - 1:
            plem = parent.lemma.lower()
            if plem in actors or parent.text.lower() in actors:
                kind = "actor"  # "Iraqi police", "Armenia's forces"
            elif t.dep in {"compound", "amod"} and plem in words.road_nouns:
                kind = "attribute"  # "Murree road", "the Mexico-Puebla highway": a road
            elif (kind in {"loose", "object"} and t.dep in {"compound", "amod"}
                    and plem not in words.place_nouns
                    and parent.i != trigger.i and parent.pos in {"NOUN", "PROPN"}):
                kind = "attribute"  # "the US dollar exchange rate", "Molotov cocktails"
    if kind in {"loose", "object"} and (
            first.dep in SUBJECT_DEPS - {"nsubj:pass", "nsubjpass"}
            or head.dep in SUBJECT_DEPS - {"nsubj:pass", "nsubjpass"}
            or (head.dep == "conj" and is_subject_conj(sentence, head))):
        kind = "subject"  # the agent of this clause or of one below it
    if kind in {"at", "to", "object"} and any(
            t.pos == "VERB" and t.i != head.i and not (
                t.dep == "acl" and "VerbForm=Part" in t.morph)  # "the base located in X"
            and not t.dep.startswith("advcl")  # "... before it exploded in X": the same scene
            for t in path):
        kind = "nested"  # tied to another event below the trigger ("aidé à reprendre X")
    own = _marker(head, kids, words.at) or (
        _marker(by_i[head.head], kids, words.at) if head.dep == "pobj" else None)
    if marker and own and own in words.markers:
        marker = own  # name the preposition next to the place in the reason
    if above and kind not in {"subject", "actor"}:
        kind = "above" if kind in {"loose", "object"} else kind
    if kind == "at" and trigger.dep == "conj" and k_up == 1:
        dist -= 1  # "met in Arusha and signed a deal": the conjuncts share the locative
    return kind, dist, marker


#: The strength of each tie, for events that happen on the ground.
#: A place the trigger acts on ("shelled X", "X was captured") is its target, more
#: precise than the area a locative names ("shelled X in the countryside of Y").
_TIE = {"at": 6.0, "object": 6.5, "to": 3.0, "nested": 3.5, "loose": 2.0, "above": 1.0,
        "from": 0.5, "far": 0.0,
        "subject_at": 2.5, "attribute": 0.5, "actor": -2.0, "subject": -3.0}


#: Ties that say a place is not where the event happened.
_NOT_THERE = {"subject", "actor", "attribute"}


def _contains(sentence: Sentence, outer: tuple[Mention, Place | None],
              inner: tuple[Mention, Place | None], sites: dict[int, int],
              local: Sequence[tuple[Mention, Place | None]]) -> bool:
    """Tell whether the text puts ``inner`` inside ``outer``.

    The parent the extractor read ("Paris, Texas"), a comma or bracket and
    nothing else between them ("in X, Y state", "X (Y)"), or the parse ("X in
    the countryside of Y": Y hangs below X). Never a town around a province,
    unless the extractor read it as the parent.
    """
    (om, op), (im, ip) = outer, inner
    if im.hints.parent and fold(im.hints.parent) == fold(om.text):
        return True
    rank = {"point": 0, "admin2": 0, "region": 1, "admin1": 2, "country": 3}
    if op is not None and ip is not None and rank[op.level] < rank[ip.level]:
        return False  # a town never holds a province (a district may lie in a city)
    between = sentence.text[im.end - sentence.start: om.start - sentence.start]
    if 0 <= om.start - im.end <= 3 and between.strip() in {",", "("}:
        return True
    between = sentence.text[om.end - sentence.start: im.start - sentence.start]
    if 0 <= im.start - om.end <= 3 and between.strip() in {",", "("}:
        return False  # "Y, X" lists the container second, never first
    head = head_token(sentence, om)
    k = next((j for j, (m, _) in enumerate(local) if m is im), None)
    if head is None or k is None or k not in sites:
        return False
    return sites[k] in {t.i for t in ancestors(sentence, head)[1:]} and sites[k] != head.i


def _unknown_inside(sentence: Sentence, mention: Mention,
                    local: Sequence[tuple[Mention, Place | None]],
                    at: frozenset[str]) -> str | None:
    """Name the place the gazetteer lacks that ``mention`` is the parent of, if any.

    "near Novoselivka Druha, Donetsk": a proper name that is no resolved place
    (the recogniser missed it, or the gazetteer lacks it), a comma, then the
    parent, the two tied in the parse (the parent an apposition of the name, or
    the name a modifier of the parent); or "in Basira in Deir-ez-Zor", both
    names after a locative (``at``). The event is in that place, somewhere
    in or near the parent, not at the parent. "Pisky, Donetsk" is Pisky, and
    "On Monday, Donetsk was shelled" ties no name to Donetsk.
    """
    head = head_token(sentence, mention)
    by_i = {t.i: t for t in sentence.tokens}
    first = next((t for t in sentence.tokens if t.idx >= mention.start), None)
    if head is None or first is None:
        return None
    before = by_i.get(first.i - 1)
    if before is None:
        return None

    def unknown(t: Token | None) -> bool:
        return (t is not None and t.pos == "PROPN" and t.text[:1].isupper()
                and not any(m.start <= t.idx < m.end and p is not None for m, p in local))

    def located(t: Token) -> bool:  # "in X", "près de X"
        prep = by_i.get(t.head)
        return (prep is not None and prep.dep == "prep" and prep.text.lower() in at) or any(
            k.head == t.i and k.dep == "case" and k.text.lower() in at for k in sentence.tokens)

    name = by_i.get(before.i - 1)
    if name is None or not unknown(name):
        return None
    if before.text == ",":
        if not (name.head == head.i or head.head == name.i):
            return None
    elif not (before.text.lower() in at and located(name) and located(head)):
        return None
    run = [name]
    while unknown(by_i.get(run[0].i - 1)):
        run.insert(0, by_i[run[0].i - 1])
    return " ".join(t.text for t in run)


def _governed_by_speech(sentence: Sentence, head: Token, lemmas: frozenset[str]) -> bool:
    """Tell whether this place is the genitive of a statement noun ("confirmation de Moscou")."""
    by_i = {t.i: t for t in sentence.tokens}
    parent = by_i.get(head.head)
    return parent is not None and parent.i != head.i and parent.lemma in lemmas


def choose_place(
    sentence: Sentence,
    trigger: Token,
    etype: str,
    local: Sequence[tuple[Mention, Place | None]],
    communicative: frozenset[str],
    lang: str,
    resolved_only: bool = True,
) -> tuple[Mention, Place | None, str] | None:
    """Pick the place the event happened at among the sentence's places.

    Each place is scored by how it hangs from the trigger in the dependency
    parse (see ``_link``): a locative preposition on the trigger's clause
    or below it beats an object, which beats a place named loosely nearby; a
    subject is the actor; a shorter path and a more precise place break ties.
    For statements and other communicative events the speaker's place counts
    ("Moscou a déclaré" happens in Moscow) and the places of the events they
    report do not. A place the gazetteer could not resolve (``None`` in
    ``local``) may win: with ``resolved_only`` the event is then put at a
    resolved place named with it, else the unresolved mention comes back.

    Parameters
    ----------
    sentence : Sentence
        The parsed sentence.
    trigger : Token
        The event's trigger in it.
    etype : str
        The event type.
    local : sequence of (Mention, Place or None)
        The sentence's mentions and their resolutions.
    communicative : frozenset of str
        Lemmas of speech (see :func:`geomap.events.triggers.speech_lemmas`):
        a place they govern is a statement's source.
    lang : str
        The sentence's language (its pack's prepositions and place nouns).
    resolved_only : bool
        Put the event at a resolved place named with an unresolved winner.

    Returns
    -------
    (Mention, Place or None, str) or None
        The mention, its place and the reason for the choice; None when the
        sentence ties no place to the event (or names only its actors).
    """
    actors = actor_roles(lang)
    words = event_words(lang)
    talk = etype in COMMUNICATIVE
    ranked: list[tuple[float, Mention, Place | None, str, str]] = []
    by_i = {t.i: t for t in sentence.tokens}
    sites: dict[int, int] = {}  # mention index -> the token that stands for the place
    for k, (mention, _place) in enumerate(local):
        head = head_token(sentence, mention)
        if head is None or mention.kind == "demonym":
            continue
        parent = by_i.get(head.head)
        # "the Balata refugee camp": the camp is the place the name names.
        sites[k] = parent.i if (head.dep in {"compound", "flat"} and parent is not None
                                and parent.lemma.lower() in words.place_nouns) else head.i
    demonyms: list[tuple[Mention, Place | None]] = []
    speaking: set[int] | None = None  # the speaker's words, read for a demonym only
    for k, (mention, place) in enumerate(local):
        head = head_token(sentence, mention)
        if head is None or k not in sites:
            # "the Iranian minister said", "a déclaré le dirigeant nord-coréen", "an
            # Iranian warning": the doers' country; not "a warning about Honduran
            # melons", "arrested two Syrian men".
            if mention.kind == "demonym" and place is not None:
                if speaking is None:
                    who = speaker(sentence, trigger) if talk else None
                    speaking = {who.i, *(t.i for t in descendants(sentence, who, None))} \
                        if who else set()
                if head is None or head.head == trigger.i or head.i in speaking \
                        or names_the_doers(sentence, head, lang):
                    demonyms.append((mention, place))
            continue
        kind, dist, marker = _link(sentence, trigger, head, actors, words)
        if kind in {"loose", "above"} and dist > 2:
            kind = "far"  # named in the sentence, tied to something else
        if talk:
            tie = {"subject": 4.0, "subject_at": 4.0, "at": 4.5 if dist <= 2 else 0.5,
                   "above": 2.0, "actor": 1.0, "object": 0.0, "loose": 1.0, "to": 0.5,
                   "from": 0.5, "attribute": 0.0, "nested": 0.5, "far": 0.5}[kind]
            if _governed_by_speech(sentence, head, communicative):
                tie = 3.0  # "la confirmation de Moscou"
        else:
            tie = _TIE[kind]
            if kind not in {"subject", "actor"} and _governed_by_speech(
                    sentence, head, communicative):
                tie = -2.0  # the source of a statement: an actor
            elif kind == "to" and etype in {"troop_deployment", "protest", "military_aid"}:
                tie = 5.0  # "deployed troops to X", "marched to X"
        score = tie - 0.25 * min(dist, 12)
        level = place.level if place is not None else "point"
        if etype in VIOLENT:
            score += {"point": 1.0, "admin2": 0.6, "region": 0.5, "admin1": 0.3,
                      "country": -1.5}[level]
        if place is None:
            score -= 0.4
        if mention.kind == "region":
            score += 0.2
        what = f"'{marker} {mention.text}'" if marker else mention.text
        why = {"at": f"{what} tied to '{trigger.text}' by a locative",
               "object": f"{what}, the object of '{trigger.text}'",
               "to": f"{what}, where '{trigger.text}' went",
               "from": f"{what}, where '{trigger.text}' came from",
               "subject": f"{mention.text}, subject of '{trigger.text}'s clause",
               "subject_at": f"{what}, named with the subject of '{trigger.text}'",
               "actor": f"{mention.text}, naming an actor of '{trigger.text}'",
               "attribute": f"{mention.text}, naming a thing, not a place, near "
                            f"'{trigger.text}'",
               "above": f"{what}, in a clause above '{trigger.text}'",
               "nested": f"{what}, in a clause below '{trigger.text}'",
               "loose": f"{mention.text}, named near '{trigger.text}'",
               "far": f"{mention.text}, named in the sentence of '{trigger.text}'"}[kind]
        why += f" (dependency path {dist})"
        ranked.append((score, mention, place, why, kind))
    # "Iraqi forces defused a bomb": the doers' country, for want of a place
    # (never for fighting: "Russian troops shelled X" did not happen in Russia; nor for
    # the catch-all type: "Russian forces destroyed a train" says nothing of where).
    country = None if not demonyms or etype in VIOLENT or etype == "other" else (
        demonyms[0][0], demonyms[0][1],
        f"{demonyms[0][0].text}, a demonym: the actors' country, no place being tied to "
        f"'{trigger.text}'")
    if not ranked:
        return country
    # A place that holds another the event is tied to is only its container:
    # "Bara in the countryside of Idlib", "X (Tripoli)", "in X, Y state".
    for n, (score, mention, place, why, kind) in enumerate(ranked):
        inner = [r for r in ranked if r[1] is not mention and r[4] not in _NOT_THERE
                 and _contains(sentence, (mention, place), (r[1], r[2]), sites, local)]
        if inner:
            top = max(inner, key=lambda r: r[0])
            ranked[n] = (min(score, top[0] - 1.5), mention, place,
                         f"{why}, the place around {top[1].text}", kind)
    ranked.sort(key=lambda r: -r[0])
    best = ranked[0]
    if not talk and etype in VIOLENT and (best[4] in {"subject", "actor"} or best[0] < 0.5):
        return None  # only actors here: the event's place is told elsewhere
    if best[2] is not None and resolved_only and best[4] not in {"subject", "actor"} \
            and (unknown := _unknown_inside(sentence, best[1], local, words.at)) is not None:
        return best[1], best[2], f"{best[3]}; {unknown}, named in it, {STAND_IN}"
    if best[2] is not None or not resolved_only:
        return best[1], best[2], best[3]
    # The gazetteer does not know the winner: a resolved place named with it
    # stands for it ("X (Tripoli)", "X near Nablus", "X, 50 km south of Baghdad").
    head = head_token(sentence, best[1])
    near: tuple[float, Mention, Place, str] | None = None
    for _score, m2, p2, _why, kind in ranked[1:]:
        h2 = head_token(sentence, m2)
        if p2 is None or h2 is None or head is None or kind in {"subject", "actor"} \
                or p2.level == "country":
            continue
        d = path_length(sentence, head, h2)
        if d <= 4 and (near is None or d < near[0]):
            near = (d, m2, p2, f"{best[1].text} ({best[3]}) {STAND_IN}; "
                               f"{m2.text}, named with it")
    if near is not None:
        return near[1], near[2], near[3]
    for score, m2, p2, why2, kind in ranked[1:]:
        if p2 is not None and score >= 0.5 and kind not in {"subject", "actor"}:
            return m2, p2, f"{why2}; {best[1].text}, tied closer, {STAND_IN}"
    return country


