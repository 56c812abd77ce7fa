"""Tie places and dates to typed events, sentence by sentence.

Triggers are data (``geomap/data/triggers/<lang>.json``): lemmas and
phrases per event type, negation and modality cues, and which type subsumes
which in one sentence (ACLED's order: a battle in which territory changes
hands is a ``territory_change``). The event's place is the one the trigger
governs in the parse, not every place of the sentence: subjects are actors
("Moscou a revendiqué la reprise de Koursk" happens at Kursk, not Moscow).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from gazetteer import fold

from .errors import UnknownOption, options_message
from .records import (
    DateResolution,
    Event,
    Mention,
    Parsed,
    Place,
    Sentence,
    Source,
    Token,
)
from .resolve import haversine_km
from .taxonomy import ACLED_ORDER, EVENT_TYPES

__all__ = ["TriggerSet", "EventMention", "load_triggers", "classify", "main_event",
           "place_of_trigger", "detect_events", "group_events", "geo_precision"]

_SUBJECT_DEPS = {"nsubj", "nsubj:pass", "nsubjpass", "csubj", "expl:subj"}
#: Types whose natural place is where the speaker or party is: for them a
#: subject is the location, not an actor to skip.
_COMMUNICATIVE = {"statement", "accusation", "threat", "agreement", "meeting", "sanction",
                  "demand", "rejection", "concession", "support", "investigation"}
_FIGHTING = {"territory_change", "armed_clash", "remote_violence", "violence_against_civilians"}
_VIOLENT = {"territory_change", "armed_clash", "remote_violence", "violence_against_civilians",
            "troop_deployment", "protest", "riot", "arrest"}


@dataclass(frozen=True, slots=True)
class TriggerSet:
    """One language's trigger data."""

    lang: str
    lemmas: dict[str, frozenset[str]]
    phrases: dict[str, tuple[str, ...]]
    negation: frozenset[str]
    modality: frozenset[str]
    subsumes: dict[str, frozenset[str]]
    #: Lemmas that find an event without telling its kind ("attack", "kill"):
    #: the sub-event cues of the sentence decide the type.
    weak: frozenset[str] = frozenset()
    #: Lemmas that are no trigger in their reflexive use ("se féliciter de" is
    #: to be pleased, "féliciter quelqu'un" to praise someone).
    not_reflexive: frozenset[str] = frozenset()
    #: ``(type, lemma)`` pairs that count only as nouns ("a strike" is a
    #: protest, "the missile struck" is not).
    nouns_only: frozenset[tuple[str, str]] = frozenset()


@lru_cache(maxsize=8)
def load_triggers(lang: str) -> TriggerSet:
    """Load the trigger data shipped for ``lang``.

    >>> "reprendre" in load_triggers("fr").lemmas["territory_change"]
    True
    """
    path = resources.files("geomap") / "data" / "triggers" / f"{lang}.json"
    if not path.is_file():
        langs = sorted(p.name.removesuffix(".json")
                       for p in (resources.files("geomap") / "data" / "triggers").iterdir()
                       if p.name.endswith(".json"))
        raise UnknownOption(options_message("trigger language", lang, langs))
    data = json.loads(path.read_text(encoding="utf-8"))
    types = data["types"]
    for name in types:
        if name not in EVENT_TYPES:
            raise UnknownOption(options_message(f"event type in {lang}.json", name, EVENT_TYPES))
    return TriggerSet(
        lang=lang,
        lemmas={k: frozenset(x.lower() for x in (*v.get("lemmas", ()), *v.get("weak", ()),
                                                 *v.get("nouns_only", ())))
                for k, v in types.items()},
        phrases={k: tuple(fold(x) for x in v.get("phrases", ())) for k, v in types.items()},
        negation=frozenset(x.lower() for x in data.get("negation", ())),
        modality=frozenset(x.lower() for x in data.get("modality", ())),
        subsumes={k: frozenset(v) for k, v in data.get("subsumes", {}).items()},
        weak=frozenset(x.lower() for v in types.values() for x in v.get("weak", ())),
        not_reflexive=frozenset(x.lower() for x in data.get("not_reflexive", ())),
        nouns_only=frozenset((k, x.lower()) for k, v in types.items()
                             for x in v.get("nouns_only", ())),
    )


def geo_precision(place: Place) -> int:
    """ACLED geo-precision: 1 a town, 2 a district or region, 3 a province or larger."""
    return {"point": 1, "admin2": 2, "region": 2, "admin1": 3, "country": 3}[place.level]


_FUNCTION_POS = {"AUX", "DET", "ADP", "PART", "PRON", "CCONJ", "SCONJ"}
_REFLEXIVE = {"se", "s'", "me", "m'", "te", "t'", "nous", "vous", "soi"}


def _find_triggers(sentence: Sentence, triggers: TriggerSet) -> dict[str, Token]:
    """The first trigger token of each event type in the sentence.

    Phrases are matched first (on the folded tokens joined by spaces), and the
    tokens a phrase covers are not read again as single-lemma triggers: "crime
    de guerre" is an accusation, not also a war.
    """
    found: dict[str, Token] = {}
    covered: set[int] = set()
    starts, parts, pos = [], [], 0
    for tok in sentence.tokens:
        f = fold(tok.text)
        starts.append(pos)
        parts.append(f)
        pos += len(f) + 1
    joined = " ".join(parts)
    for etype, phrases in triggers.phrases.items():
        for ph in phrases:
            at = joined.find(ph) if ph else -1
            if at < 0:
                continue
            first = max(i for i, st in enumerate(starts) if st <= at)
            last = max(i for i, st in enumerate(starts) if st < at + len(ph))
            covered.update(sentence.tokens[k].i for k in range(first, last + 1))
            found.setdefault(etype, sentence.tokens[first])
            break
    by_lemma: dict[str, Token] = {}
    reflexive = {t.head for t in sentence.tokens if t.dep.startswith("expl")
                 and t.lemma in _REFLEXIVE} if triggers.not_reflexive else set()
    for tok in sentence.tokens:
        if tok.i in covered or tok.pos == "PROPN":
            continue
        if tok.i in reflexive and tok.lemma in triggers.not_reflexive:
            continue
        lemma, low = tok.lemma, tok.text.lower()
        for etype, lemmas in triggers.lemmas.items():
            if etype not in by_lemma and (lemma in lemmas or low in lemmas) and not (
                    tok.pos != "NOUN" and (etype, lemma) in triggers.nouns_only):
                by_lemma[etype] = tok
    found.update(by_lemma)  # a content word beats a phrase's first word as the trigger
    for winner, losers in triggers.subsumes.items():
        if winner in found:
            for loser in losers:
                found.pop(loser, None)
    return found


def _clause_verb(sentence: Sentence, tok: Token) -> Token:
    """The nearest verb governing ``tok`` (itself if it is one)."""
    by_i = {t.i: t for t in sentence.tokens}
    t, steps = tok, 0
    while t.pos not in {"VERB", "AUX"} and t.head != t.i and t.head in by_i and steps < 20:
        t, steps = by_i[t.head], steps + 1
    return t


_SOON = {"bientôt", "prochainement", "soon", "shortly", "demain", "tomorrow"}


def _ancestors(sentence: Sentence, tok: Token, limit: int = 30) -> list[Token]:
    """``tok`` and its heads up to the root (at most ``limit`` tokens)."""
    by_i = {t.i: t for t in sentence.tokens}
    out = [tok]
    while tok.head != tok.i and tok.head in by_i and len(out) < limit:
        tok = by_i[tok.head]
        out.append(tok)
    return out


def _status(sentence: Sentence, trigger: Token, triggers: TriggerSet) -> str:
    """``fact``, ``negated``, ``hypothetical`` or ``future`` from the trigger's clause.

    Negation is read on the trigger's own clause; modality and tense on every
    clause above it ("un monument commémorant la bataille sera érigé").
    """
    verb = _clause_verb(sentence, trigger)
    heads = {trigger.i, verb.i}
    around = [t for t in sentence.tokens if t.head in heads and t.i not in heads]
    words = {t.text.lower() for t in around} | {t.lemma for t in around}
    denial = {"démentir", "nier", "deny"}
    if words & triggers.negation or trigger.lemma in denial or any(
            t.lemma in denial for t in _ancestors(sentence, trigger)[1:]):
        return "negated"
    chain = {t.i for t in _ancestors(sentence, trigger) if t.pos in {"VERB", "AUX"}} | heads
    # Proper nouns are names, not modal words: the month "May", a "Could" of a title.
    around = [t for t in sentence.tokens
              if t.head in chain and t.i not in chain and t.pos != "PROPN"]
    words = {t.text.lower() for t in around} | {t.lemma for t in around}
    above = [t for t in _ancestors(sentence, trigger)[1:] if t.pos in {"VERB", "AUX"}]
    if words & triggers.modality or (verb.lemma in triggers.modality and verb.i != trigger.i) \
            or any(t.text.lower() in triggers.modality or t.lemma in triggers.modality
                   for t in above):
        return "hypothetical"
    morph = "".join(t.morph for t in sentence.tokens if t.i in chain) + "".join(
        t.morph for t in around if t.dep.startswith("aux"))
    if "Tense=Fut" in morph or words & {"will", "shall"}:
        return "future"
    if "Mood=Cnd" in morph and words & _SOON:
        # A French conditional usually reports ("aurait bombardé" = reportedly
        # bombed); with "bientôt" it announces something still to come.
        return "future"
    return "fact"


def _head_token(sentence: Sentence, mention: Mention) -> Token | None:
    inside = [t for t in sentence.tokens if mention.start <= t.idx < mention.end]
    ids = {t.i for t in inside}
    for t in inside:
        if t.head not in ids or t.head == t.i:
            return t
    return inside[0] if inside else None


def _path_length(sentence: Sentence, a: Token, b: Token) -> int:
    ca = [t.i for t in _ancestors(sentence, a, 50)]
    cb = [t.i for t in _ancestors(sentence, b, 50)]
    common = set(ca) & set(cb)
    if not common:
        return 99
    return min(ca.index(c) + cb.index(c) for c in common)


def _governed_by_speech(sentence: Sentence, head: Token, lemmas: frozenset[str]) -> bool:
    """Is this place the genitive of a statement noun ("confirmation de Moscou")?"""
    by_i = {t.i: t for t in sentence.tokens}
    parent = by_i.get(head.head)
    return parent is not None and parent.i != head.i and parent.lemma in lemmas


#: Prepositions (and French case words) that put an event at a place.
#: Not "between" nor "by": "clashes between X and Y" and "shot by X" name actors.
_AT = {"in", "at", "near", "inside", "outside", "around", "across", "throughout", "within",
       "on", "along", "amid", "among", "off", "beside", "nearby",
       "à", "a", "au", "aux", "dans", "en", "près", "sur", "chez", "autour", "parmi",
       "aux alentours", "le long"}
#: Where something goes: the place of a deployment or a march, not of a strike.
_TO = {"to", "into", "toward", "towards", "onto", "through", "vers", "jusqu'à", "jusque",
       "par", "via"}
#: Where someone or something comes from: rarely where the event happened.
_FROM = {"from", "depuis"}
_OF = {"of", "de", "du", "des", "d'", "d’"}
#: Nouns that name a place or part of one: "the village of X", "la ville de X",
#: "Baghdad's southern district", "the streets of X" pass the locative link on.
_PLACE_NOUNS = {
    "village", "town", "city", "area", "region", "province", "district", "county", "state",
    "governorate", "municipality", "commune", "neighbourhood", "neighborhood", "suburb",
    "outskirts", "countryside", "vicinity", "street", "road", "highway", "square", "market",
    "camp", "border", "frontier", "front", "frontline", "capital", "centre", "center",
    "part", "sector", "zone", "quarter", "locality", "settlement", "island", "coast", "port",
    "base", "airport", "station", "crossing", "checkpoint", "valley", "mountain", "river",
    "oblast", "raion", "rayon", "subdivision", "department", "prefecture", "territory",
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
    "ville", "région", "département", "quartier", "banlieue", "périphérie", "faubourg",
    "environs", "alentours", "rue", "route", "place", "marché", "frontière", "capitale",
    "secteur", "localité", "île", "côte", "aéroport", "gare", "poste",
    "nord", "sud", "est", "ouest", "arrondissement", "gouvernorat", "wilaya",
    # buildings and sites: "the Baghdad headquarters", "la prison de X"
    "headquarters", "home", "house", "office", "building", "prison", "hospital", "school",
    "mosque", "church", "bank", "factory", "plant", "stadium", "university", "compound",
    "residence", "palace", "hotel", "bridge", "dam", "field", "farm", "refinery",
    "maison", "bureau", "bâtiment", "hôpital", "école", "mosquée", "église", "banque",
    "usine", "stade", "université", "résidence", "palais", "hôtel", "pont", "barrage",
    "ferme", "raffinerie",
}
#: Roads are named after the towns they lead to: "Murree road" is not in Murree.
_ROAD_NOUNS = {"road", "street", "highway", "avenue", "boulevard", "motorway", "route",
               "autoroute", "rue", "chaussée"}
_STAND_IN = "is not in the gazetteer"
_OBJECT_DEPS = {"dobj", "obj", "nsubjpass", "nsubj:pass", "attr", "oprd"}
_MOD_DEPS = {"compound", "poss", "nmod:poss", "amod", "flat", "flat:name", "nmod", "appos",
             "npadvmod", "nummod"}


def _marker(sentence: Sentence, tok: Token, kids: dict[int, list[Token]]) -> str | None:
    """The preposition that ties ``tok`` to its head: "in" for "in X", "près" for "près de X".

    English parses put the preposition above its object (``prep`` → ``pobj``);
    French ones put it below, as a ``case`` child ("dans" ← "rues").
    """
    if tok.dep in {"prep", "agent"}:
        return tok.text.lower()
    case = [k.text.lower() for k in kids.get(tok.i, ()) if k.dep in {"case", "fixed"}]
    if case:
        return " ".join(case)
    if tok.dep in {"advmod", "obl", "obl:mod", "advcl"} and tok.text.lower() in _AT:
        return tok.text.lower()  # "près de X", "outside X" parsed as an adverb
    return None


def _link(sentence: Sentence, trigger: Token, head: Token, actors: dict[str, str],
          ) -> tuple[str, int, str]:
    """How a place's head token hangs from the trigger: kind, path length, marker word.

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
    up, down = _ancestors(sentence, trigger, 50), _ancestors(sentence, head, 50)
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
        word = _marker(sentence, t, kids)
        parent = by_i.get(t.head)
        if n == 0 and t.dep in _SUBJECT_DEPS - {"nsubj:pass", "nsubjpass"}:
            kind = "subject"
        elif n == 0 and t.dep in _OBJECT_DEPS and kind == "loose":
            kind = "object"
        elif (kind == "object" and 0 < n and t.pos in {"NOUN", "PROPN"}
              and parent is not None and parent.pos == "NOUN"
              and parent.lemma.lower() not in _PLACE_NOUNS and parent.i != trigger.i):
            kind = "loose"  # "captured two men suspected of ... X": X is not the target
        if word is not None:
            w = word.split()[0] if word.split() else word
            if word in _AT or w in _AT:
                if kind in {"loose", "object"} or (kind == "subject" and n > 0):
                    kind, marker = ("at" if kind != "subject" else "subject_at"), word
            elif word in _TO or w in _TO:
                if kind in {"loose", "object"}:
                    kind, marker = "to", word
            elif word in _FROM or w in _FROM:
                if kind in {"loose", "object"}:
                    kind, marker = "from", word
            elif (word in _OF or w in _OF) and parent is not None:
                plem = parent.lemma.lower()
                if plem in actors or parent.text.lower() in actors:
                    if kind not in {"at", "to"} or n == len(path) - 1:
                        kind, marker = "actor", word
                elif parent.i == trigger.i and kind == "loose":
                    kind, marker = "object", word  # "la reprise de Koursk", "the siege of X"
                elif plem in _PLACE_NOUNS and kind == "loose":
                    kind, marker = "at", word
        elif t.dep in _MOD_DEPS and parent is not None and n == len(path) - 1:
            plem = parent.lemma.lower()
            if plem in actors or parent.text.lower() in actors:
                kind = "actor"  # "Iraqi police", "Armenia's forces"
            elif t.dep in {"compound", "amod"} and plem in _ROAD_NOUNS:
                kind = "attribute"  # "Murree road", "the Mexico-Puebla highway": a road
            elif (kind in {"loose", "object"} and t.dep in {"compound", "amod"}
                    and plem not in _PLACE_NOUNS
                    and parent.i != trigger.i and parent.pos in {"NOUN", "PROPN"}):
                kind = "attribute"  # "the US dollar exchange rate", "Molotov cocktails"
    if kind in {"loose", "object"} and (
            first.dep in _SUBJECT_DEPS - {"nsubj:pass", "nsubjpass"}
            or head.dep in _SUBJECT_DEPS - {"nsubj:pass", "nsubjpass"}
            or (head.dep == "conj" and _is_subject_conj(sentence, head))):
        kind = "subject"  # the agent of this clause or of one below it
    if kind in {"at", "to", "object"} and any(
            t.pos == "VERB" and t.i != head.i and not (
                t.dep == "acl" and "VerbForm=Part" in t.morph)  # "the base located in X"
            and not t.dep.startswith("advcl")  # "... before it exploded in X": the same scene
            for t in path):
        kind = "nested"  # tied to another event below the trigger ("aidé à reprendre X")
    own = _marker(sentence, head, kids) or (
        _marker(sentence, by_i[head.head], kids) if head.dep == "pobj" else None)
    if marker and own and own in _AT | _TO | _FROM | _OF:
        marker = own  # name the preposition next to the place in the reason
    if above and kind not in {"subject", "actor"}:
        kind = "above" if kind in {"loose", "object"} else kind
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
    """Does the text put ``inner`` inside ``outer``?

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
    head = _head_token(sentence, om)
    k = next((j for j, (m, _) in enumerate(local) if m is im), None)
    if head is None or k is None or k not in sites:
        return False
    return sites[k] in {t.i for t in _ancestors(sentence, head)[1:]} and sites[k] != head.i


def _choose_place(
    sentence: Sentence,
    trigger: Token,
    etype: str,
    local: Sequence[tuple[Mention, Place | None]],
    communicative: frozenset[str] = frozenset(),
    lang: str = "en",
    resolved_only: bool = True,
) -> tuple[Mention, Place | None, str] | None:
    """Pick the place the event happened at among the sentence's places.

    Each place is scored by how it hangs from the trigger in the dependency
    parse (see :func:`_link`): a locative preposition on the trigger's clause
    or below it beats an object, which beats a place named loosely nearby; a
    subject is the actor; a shorter path and a more precise place break ties.
    For statements and other communicative events the speaker's place counts
    ("Moscou a déclaré" happens in Moscow) and the places of the events they
    report do not. A place the gazetteer could not resolve (``None`` in
    ``local``) may win: with ``resolved_only`` the event is then put at a
    resolved place named with it, else the unresolved mention comes back.
    """
    actors = _actor_roles(lang)
    talk = etype in _COMMUNICATIVE
    ranked: list[tuple[float, Mention, Place | None, str, str]] = []
    by_i = {t.i: t for t in sentence.tokens}
    sites: dict[int, int] = {}  # mention index -> the token that stands for the place
    for k, (mention, _place) in enumerate(local):
        head = _head_token(sentence, mention)
        if head is None or mention.kind == "demonym":
            continue
        parent = by_i.get(head.head)
        # "the Balata refugee camp": the camp is the place the name names.
        sites[k] = parent.i if (head.dep in {"compound", "flat"} and parent is not None
                                and parent.lemma.lower() in _PLACE_NOUNS) else head.i
    demonyms: list[tuple[Mention, Place | None]] = []
    for k, (mention, place) in enumerate(local):
        head = _head_token(sentence, mention)
        if head is None or k not in sites:
            if mention.kind == "demonym" and place is not None:
                demonyms.append((mention, place))
            continue
        kind, dist, marker = _link(sentence, trigger, head, actors)
        if kind in {"loose", "above"} and dist > 2:
            kind = "far"  # named in the sentence, tied to something else
        if talk:
            tie = {"subject": 4.0, "subject_at": 4.0, "at": 3.0 if dist <= 2 else 0.5,
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
        if etype in _VIOLENT:
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
    # "Iraqi forces defused a bomb": the actors' country, for want of a place
    # (never for fighting: "Russian troops shelled X" did not happen in Russia).
    country = None if not demonyms or etype in _VIOLENT else (
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
    if not talk and etype in _VIOLENT and (best[4] in {"subject", "actor"} or best[0] < 0.5):
        return None  # only actors here: the event's place is told elsewhere
    if best[2] is not None or not resolved_only:
        return best[1], best[2], best[3]
    # The gazetteer does not know the winner: a resolved place named with it
    # stands for it ("X (Tripoli)", "X near Nablus", "X, 50 km south of Baghdad").
    head = _head_token(sentence, best[1])
    near: tuple[float, Mention, Place, str] | None = None
    for _score, m2, p2, _why, kind in ranked[1:]:
        h2 = _head_token(sentence, m2)
        if p2 is None or h2 is None or head is None or kind in {"subject", "actor"} \
                or p2.level == "country":
            continue
        d = _path_length(sentence, head, h2)
        if d <= 4 and (near is None or d < near[0]):
            near = (d, m2, p2, f"{best[1].text} ({best[3]}) {_STAND_IN}; "
                               f"{m2.text}, named with it")
    if near is not None:
        return near[1], near[2], near[3]
    for score, m2, p2, why2, kind in ranked[1:]:
        if p2 is not None and score >= 0.5 and kind not in {"subject", "actor"}:
            return m2, p2, f"{why2}; {best[1].text}, tied closer, {_STAND_IN}"
    return country


def _is_subject_conj(sentence: Sentence, tok: Token) -> bool:
    by_i = {t.i: t for t in sentence.tokens}
    head = by_i.get(tok.head)
    return head is not None and head.dep in _SUBJECT_DEPS


def _focus_place(pairs: list[tuple[Mention, Place]]) -> tuple[Mention, Place] | None:
    """The document's main place: the most named one below country level."""
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
    """Places of a sentence that the text itself locates: "X, Y" or "X (A, B)" with
    X resolved inside Y. Returns each with whether Y is an admin-1 (not a country)."""
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


def _outside_anchor(chosen: tuple[Mention, Place, str], local: list[tuple[Mention, Place]]
                    ) -> tuple[Mention, Place, str] | None:
    """A place the sentence locates plainly, when the chosen one lies outside it.

    "In Tijuana, Baja California, a man was found in Colonia Libertad": a
    namesake of "Libertad" in another country (or, for "X, <province>", in
    another province 300 km off) is not where the event was; Tijuana is.
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


def _actor_demonym(parsed: Parsed, mention: Mention) -> bool:
    """Whether a demonym names the doers of its clause ("Turkish forces shelled")."""
    if not 0 <= mention.sentence < len(parsed.sentences):
        return True
    sentence = parsed.sentences[mention.sentence]
    tok = _head_token(sentence, mention)
    if tok is None:
        return True
    by_i = {t.i: t for t in sentence.tokens}
    for _ in range(3):  # "Turkish air drone", "forces of the Saudi-led coalition"
        if tok.dep in {"nsubj", "csubj", "agent", "expl:subj"}:
            return True
        if tok.dep in {"nsubjpass", "nsubj:pass", "dobj", "obj", "pobj", "obl", "iobj"} \
                and tok.head in by_i and by_i[tok.head].lemma not in {"by", "par"}:
            return False
        if tok.head == tok.i or tok.head not in by_i:
            return True
        tok = by_i[tok.head]
    return True


def _document_country(pairs: list[tuple[Mention, Place]]) -> tuple[Mention, Place] | None:
    """The country the document names most (by name or demonym), for want of a place."""
    counts: Counter[str] = Counter()
    first: dict[str, tuple[Mention, Place]] = {}
    for mention, place in pairs:
        if place.level == "country" and place.country:
            counts[place.country] += 1
            first.setdefault(place.country, (mention, place))
    if not counts:
        return None
    return first[max(counts, key=lambda c: (counts[c], -list(first).index(c)))]


@lru_cache(maxsize=8)
def _actor_roles(lang: str) -> dict[str, str]:
    """Role nouns (lemma → role) from ``geomap/data/actor_roles.json``."""
    path = resources.files("geomap") / "data" / "actor_roles.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for role, per_lang in data["roles"].items():
        for word in per_lang.get(lang, ()):
            out.setdefault(word.lower(), role)
    return out


def _role_of(sentence: Sentence, head: Token, lang: str) -> str | None:
    """The role a demonym or country names: "les soldats nord-coréens" → military forces."""
    roles = _actor_roles(lang)
    by_i = {t.i: t for t in sentence.tokens}
    near = [by_i.get(head.head)] + [t for t in sentence.tokens if t.head == head.i]
    if head.dep in {"nmod", "nmod:poss", "poss", "compound", "amod"} or head.pos == "ADJ":
        near.insert(0, by_i.get(head.head))
    for t in near:
        if t is not None and t.i != head.i and (t.lemma in roles or t.text.lower() in roles):
            return roles.get(t.lemma) or roles[t.text.lower()]
    return None


def _actors(sentence: Sentence, local: list[tuple[Mention, Place]], trigger: Token,
            lang: str = "en") -> tuple[str, ...]:
    """Who acted and on whom: the clause's subjects first, then the others.

    Countries and demonyms name the country, with the role the noun they
    qualify gives ("les soldats nord-coréens" → "North Korea: military
    forces"); people and organisations from the named entities.
    """
    first: list[str] = []
    rest: list[str] = []

    def add(name: str, agent: bool) -> None:
        if name in first or name in rest:
            return
        (first if agent else rest).append(name)

    by_tok = {t.i: t for t in sentence.tokens}
    for mention, place in local:
        head = _head_token(sentence, mention)
        if head is None:
            continue
        role = _role_of(sentence, head, lang)
        holder = by_tok.get(head.head) if role else None
        agent = head.dep in _SUBJECT_DEPS or _is_subject_conj(sentence, head) or (
            holder is not None and (holder.dep in _SUBJECT_DEPS
                                    or _is_subject_conj(sentence, holder)))
        if mention.kind == "demonym" or place.level == "country":
            country = place.name if place.level == "country" else (
                _COUNTRY_NAMES.get(place.country or "", place.name))
            add(f"{country}: {role}" if role else country, agent)
        elif agent:
            add(place.name, True)
    for start, _end, label, text in sentence.entities:
        if label in {"PER", "PERSON", "ORG", "NORP"} and not any(
                m.start <= start < m.end for m, _ in local):
            tok = next((t for t in sentence.tokens if t.idx == start), None)
            add(text, tok is not None and (tok.dep in _SUBJECT_DEPS
                                           or _is_subject_conj(sentence, tok)))
    return tuple((first + rest)[:6])


#: Short English names for demonyms' countries (the gazetteer's are sometimes long).
_COUNTRY_NAMES = {"KP": "North Korea", "KR": "South Korea", "RU": "Russia", "UA": "Ukraine",
                  "US": "United States", "GB": "United Kingdom", "FR": "France", "CN": "China",
                  "IR": "Iran", "SY": "Syria", "IL": "Israel", "PS": "Palestine"}


#: geomap types whose events ACLED codes (battles, explosions, violence
#: against civilians, protests, riots and the strategic developments).
_ACLED_CODED = {"territory_change", "armed_clash", "remote_violence",
                "violence_against_civilians", "protest", "riot", "other"}
#: Types whose ACLED sub-event cues alone make an event, trigger word or not
#: ("forces set up a new base", "two men were detained").
_CUE_TYPES = _ACLED_CODED | {"troop_deployment", "arrest"}
#: Types an accident or a disaster cannot be.
_ACCIDENT_DROP = frozenset({"territory_change", "armed_clash", "remote_violence",
                            "violence_against_civilians", "riot", "troop_deployment",
                            "military_aid", "other"})
#: Sub-events a type may carry besides those the data gives it.
_EXTRA_SUBTYPES = {"troop_deployment": ("Change to group/activity", "Other"),
                   "concession": ("Agreement", "Other"),
                   "military_aid": ("Other",)}


@dataclass(frozen=True, slots=True)
class _SubEventData:
    order: tuple[str, ...]
    types: dict[str, str]
    needs: dict[str, tuple[str, ...]]
    boost: dict[str, tuple[str, ...]]
    cues: dict[str, tuple[tuple[int, re.Pattern[str]], ...]]
    non_state: re.Pattern[str] | None
    #: ACLED's codebook distinctions between look-alike sub-events: when the
    #: cue matches (and ``unless`` does not), ``prefer`` beats each of ``over``.
    #: An empty ``prefer`` drops every one of ``over`` (an accident is no attack).
    rules: tuple[tuple[re.Pattern[str], re.Pattern[str] | None, str, tuple[str, ...]], ...] = ()


def _fold_text(text: str) -> str:
    """Lower case without accents, same length as ``text`` (offsets stay valid)."""
    out = []
    for ch in text.lower():
        base = unicodedata.normalize("NFKD", ch)[:1]
        out.append(base if len(base) == 1 else ch)
    return "".join(out).replace("’", "'")


@lru_cache(maxsize=8)
def _subevent_data(lang: str) -> _SubEventData:
    """The ACLED sub-event cues of ``geomap/data/acled_subevents.json`` for ``lang``."""
    path = resources.files("geomap") / "data" / "acled_subevents.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    cues: dict[str, tuple[tuple[int, re.Pattern[str]], ...]] = {}
    for name, spec in data["sub_events"].items():
        groups = []
        for weight, words in spec.get(lang, {}).items():
            if words:
                groups.append((int(weight), re.compile(
                    r"(?<![a-z0-9])(?:" + "|".join(f"(?:{w})" for w in words) + ")")))
        cues[name] = tuple(groups)
    ns = data.get("non_state", {}).get(lang)
    rules = []
    for rule in data.get("rules", ()):
        if rule.get(lang):
            unless = rule.get(f"unless_{lang}")
            rules.append((re.compile(r"(?<![a-z0-9])(?:" + rule[lang] + ")"),
                          re.compile(r"(?<![a-z0-9])(?:" + unless + ")") if unless else None,
                          rule["prefer"] or "", tuple(rule["over"])))
    return _SubEventData(
        order=tuple(data["order"]),
        types={k: v["type"] for k, v in data["sub_events"].items()},
        needs={k: tuple(v.get("needs", ())) for k, v in data["sub_events"].items()},
        boost={k: tuple(v.get("boost", ())) for k, v in data["sub_events"].items()},
        cues=cues,
        non_state=re.compile(r"(?<![a-z0-9])(?:" + "|".join(ns) + ")") if ns else None,
        rules=tuple(rules),
    )


@lru_cache(maxsize=256)
def _rule_hits(text: str, lang: str) -> tuple[bool, ...]:
    """Which rules' cues fire on ``text`` (a note's sentences share its text)."""
    data = _subevent_data(lang)
    low = _fold_text(text)
    return tuple(bool(rx.search(low)) and not (unless is not None and unless.search(low))
                 for rx, unless, _prefer, _over in data.rules)


def _apply_rules(scores: dict[str, tuple[float, int]], text: str, lang: str
                 ) -> tuple[dict[str, tuple[float, int]], bool]:
    """Settle look-alike sub-events by ACLED's codebook rules (see ``rules`` in the data).

    Heavy weapons fired with small arms are an armed clash, demonstrators who
    throw stones riot, gunmen who shoot a policeman fight rather than attack a
    civilian: among the sub-events a rule names, the preferred one wins. The
    flag says the text tells an accident or a disaster (a rule without
    ``prefer``), which no violent or military type fits.
    """
    accident = False
    data = _subevent_data(lang)
    for fires, (_rx, _unless, prefer, over) in zip(_rule_hits(text, lang), data.rules,
                                                    strict=True):
        present = [n for n in (prefer, *over) if n in scores]
        if (not present and prefer) or not fires:
            continue
        if not prefer:  # no ACLED event at all: an accident, not an attack
            scores = {k: v for k, v in scores.items() if k not in over}
            accident = True
            continue
        top = max(scores[n][0] for n in present)
        at = min(scores[n][1] for n in present)
        for name in over:
            if name in scores:
                scores[name] = (min(scores[name][0], top - 0.5), scores[name][1])
        scores[prefer] = (top + 0.5, scores[prefer][1] if prefer in scores else at)
    return scores, accident


def subevent_scores(text: str, lang: str) -> dict[str, tuple[float, int]]:
    """Score each ACLED sub-event type on a sentence: ``{name: (score, offset)}``.

    Cues are weighted data; a sub-event that ``needs`` another (a protest
    with intervention needs a protest) counts only with it and adds its
    score, so the more specific one wins. Territory taken by rebels or
    militants is a non-state actor's gain, otherwise the government's.

    >>> s = subevent_scores("Police fired tear gas to disperse protesters in Lagos.", "en")
    >>> max(s, key=lambda k: s[k][0])
    'Protest with intervention'
    """
    data = _subevent_data(lang if lang in {"fr", "en"} else "en")
    low = _fold_text(text)
    raw: dict[str, tuple[float, int]] = {}
    for name, groups in data.cues.items():
        score, first = 0.0, len(low)
        seen: set[str] = set()
        for weight, rx in groups:
            for m in rx.finditer(low):
                key = m.group(0).strip()
                if key in seen or any(key in other for other in seen):
                    continue
                seen.add(key)
                score += weight
                first = min(first, m.start())
        if score:
            raw[name] = (min(score, 9.0), first)
    out: dict[str, tuple[float, int]] = {}
    for name, (score, at) in raw.items():
        needs = data.needs.get(name, ())
        if needs and not any(n in raw for n in needs):
            continue
        bonus = sum(raw[n][0] for n in needs + data.boost.get(name, ()) if n in raw)
        out[name] = (score + bonus, at)
    gain = out.pop("Government regains territory", None)
    if gain is not None:
        rebels = data.non_state.search(low[: gain[1] + 1] if gain[1] else low) \
            if data.non_state else None
        army = re.search(r"(?<![a-z])(?:army|armed forces|military forces|government forces|"
                         r"troops|soldiers|armee|forces armees|soldats|troupes|gouvernement)",
                         low[: gain[1] + 1])
        key = "Non-state actor overtakes territory" if rebels and not (
            army and army.start() > rebels.start()) else "Government regains territory"
        out[key] = gain
    return out


def _pick_subevent(scores: dict[str, tuple[float, int]], lang: str,
                   allowed: Sequence[str] | None = None) -> tuple[str, float, int] | None:
    """The best-scoring sub-event (ACLED's order breaks ties), among ``allowed``."""
    order = _subevent_data(lang if lang in {"fr", "en"} else "en").order
    best = None
    for name, (score, at) in scores.items():
        if allowed is not None and name not in allowed:
            continue
        key = (-score, order.index(name) if name in order else 99)
        if best is None or key < best[0]:
            best = (key, name, score, at)
    return (best[1], best[2], best[3]) if best else None


def _subtypes_of(etype: str, lang: str) -> tuple[str, ...]:
    data = _subevent_data(lang if lang in {"fr", "en"} else "en")
    return tuple(k for k, v in data.types.items() if v == etype) + _EXTRA_SUBTYPES.get(etype, ())


def _code_sentence(sentence: Sentence, found: dict[str, Token], lang: str,
                   context: dict[str, tuple[float, int]] | None = None,
                   weak: frozenset[str] = frozenset(), note: str | None = None,
                   ) -> list[tuple[str, str, Token, float]]:
    """Type, ACLED sub-event, trigger and cue score of each event in a sentence.

    The violent and strategic types ACLED codes are reconciled into one event
    by the sub-event cues (a protest in which police fire tear gas is one
    protest with intervention, not also a clash); the other types keep their
    triggers and take the best sub-event that fits them.
    """
    data = _subevent_data(lang if lang in {"fr", "en"} else "en")
    scores = subevent_scores(sentence.text, lang)
    if context:
        # A short note tells one event over a few sentences: the whole text counts
        # too, for the sub-events this sentence already points at.
        own = {data.types[k] for k in scores} | set(found)
        scores = {k: (scores.get(k, (0.0, 0))[0] + 0.5 * v[0], scores.get(k, (0.0, -1))[1])
                  for k, v in (context | scores).items() if data.types[k] in own}
    scores = dict(scores)
    for etype, tok in found.items():
        # The trigger word is evidence for its type's most likely sub-event;
        # a weak one ("attack", "killed") only says that something happened.
        if etype not in _ACLED_CODED or tok.lemma in weak or tok.text.lower() in weak:
            continue
        pick = _pick_subevent(scores, lang, _subtypes_of(etype, lang))
        name = pick[0] if pick else EVENT_TYPES[etype].acled_sub_event_type
        if name in data.types:
            score, at = scores.get(name, (0.0, tok.idx - sentence.start))
            scores[name] = (score + 2.0, at)
    scores, accident = _apply_rules(scores, note or sentence.text,
                                    lang if lang in {"fr", "en"} else "en")
    if accident:
        # "the earthquake struck", "troops mobilised to dig out cars from the
        # snow": a disaster's words are no fighting or deployment.
        found = {t: k for t, k in found.items() if t not in _ACCIDENT_DROP}
    best = _pick_subevent(scores, lang)
    out: list[tuple[str, str, Token, float]] = []
    coded = {t: tok for t, tok in found.items() if t in _ACLED_CODED}
    if best is not None and best[1] >= 2 and data.types[best[0]] in _CUE_TYPES | set(found):
        name, score, at = best
        etype = data.types[name]
        if coded or score >= 3 or etype in found:
            cue_tok: Token | None = found.get(etype) or (
                _token_at(sentence, sentence.start + at) if at >= 0 else None) or next(
                iter(coded.values()), None)
            if cue_tok is not None:
                out.append((etype, name, cue_tok, score))
                found = {t: k for t, k in found.items() if t not in _ACLED_CODED and t != etype}
                coded = {}
    for etype, tok in {**coded, **found}.items():
        pick = _pick_subevent(scores, lang, _subtypes_of(etype, lang))
        if (tok.lemma in weak or tok.text.lower() in weak) and (pick is None or pick[1] < 2):
            continue  # "killed when the bus plunged": a weak word with no cue is no event
        sub = pick[0] if pick else EVENT_TYPES[etype].acled_sub_event_type
        out.append((etype, sub, tok, pick[1] if pick else 0.0))
    return out


def _token_at(sentence: Sentence, offset: int) -> Token | None:
    for tok in sentence.tokens:
        if tok.idx <= offset < tok.idx + max(1, len(tok.text)):
            return tok
    return None


@dataclass(frozen=True, slots=True)
class EventMention:
    """An event told by a sentence, before it is tied to a place and a date."""

    type: str
    subtype: str
    trigger: Token
    sentence: Sentence
    status: str = "fact"
    score: float = 0.0


#: Strategic developments that rank just before another type in a note: a base
#: set up, then the seizures and destruction that go with it, then arrests.
_STRATEGIC_RANK = {"Headquarters or base established": ("arrest", 0.6),
                   "Looting/property destruction": ("arrest", 0.5),
                   "Non-violent transfer of territory": ("other", 0.5)}

#: Texts this short are read as one note telling one event (ACLED notes, wire briefs).
_NOTE_CHARS = 700


def classify(parsed: Parsed, *, triggers: TriggerSet | None = None) -> list[EventMention]:
    """Find and type the events a parsed document tells, sentence by sentence.

    Every candidate comes back, with its ``status`` (``fact``, ``negated``,
    ``hypothetical`` or ``future``); :func:`detect_events` ties them to places
    and dates, :func:`main_event` picks the one a short note is about.
    """
    trig = triggers or load_triggers(parsed.lang)
    speech = trig.lemmas.get("statement", frozenset()) | trig.lemmas.get("accusation",
                                                                          frozenset())
    doc = parsed.document
    out: list[EventMention] = []
    short = len(doc.text) <= _NOTE_CHARS and 1 < len(parsed.sentences) <= 4
    context = subevent_scores(doc.text, parsed.lang) if short else None
    for sentence in parsed.sentences:
        if _is_headline(doc.text, sentence):
            continue  # a headline or caption repeats the story it heads
        found = _find_triggers(sentence, trig)
        coded = _code_sentence(sentence, found, parsed.lang, context, trig.weak,
                               doc.text if short else None)
        for etype, sub, trigger, score in sorted(coded, key=lambda c: ACLED_ORDER.index(c[0])):
            if etype in _VIOLENT and _reported_object(sentence, trigger, speech):
                continue  # "qualified the strike as a war crime": told, not happening here
            out.append(EventMention(etype, sub, trigger, sentence,
                                    _status(sentence, trigger, trig), score))
    return out


def main_event(items: Sequence[Any]) -> Any | None:
    """The event a short note is about: facts first, then ACLED's order, then text order.

    Works on :class:`EventMention` and :class:`~geomap.records.Event` lists alike.
    """
    best: tuple[tuple[Any, ...], Any] | None = None
    first = min((i.sentence.index for i in items if isinstance(i, EventMention)), default=0)
    # "X announced a suspension of links", "the army shelled Y, officials said":
    # what a speech verb reports stands where the speech verb stands.
    speech = {(i.sentence.index, i.trigger.i) for i in items
              if isinstance(i, EventMention) and i.type == "statement"}
    for k, item in enumerate(items):
        if isinstance(item, EventMention):
            chain = _ancestors(item.sentence, item.trigger)
            if item.trigger.pos in _FUNCTION_POS and len(chain) > 1:
                chain = chain[1:]  # "is willing to": the phrase stands where "willing" does
            depth = len(chain)
            main = depth == 1 or (depth == 2 and (item.sentence.index, chain[1].i) in speech)
            # ACLED's precedence among the violent events a note tells, but the
            # main verb of its first sentence when it is something else ("agreed
            # to a ceasefire after fierce fighting" is an agreement); then a
            # confidently coded event, then the trigger nearest the root
            # ("threatened to strike" is a threat).
            coded = item.type in _ACLED_CODED or item.type in _VIOLENT
            tier = 0 if main and not coded and item.sentence.index == first else (
                1 if coded else 2)
            rank: float = ACLED_ORDER.index(item.type) if coded else 99
            if item.subtype in _STRATEGIC_RANK:
                # ACLED's order within strategic developments: a seizure before the
                # arrests that go with it; a transfer without a fight after any fighting.
                before, step = _STRATEGIC_RANK[item.subtype]
                rank = ACLED_ORDER.index(before) - step
            key: tuple[Any, ...] = (item.status != "fact", item.type == "statement", tier,
                                    item.score < 3, rank, depth, ACLED_ORDER.index(item.type), k)
        else:
            key = (item.status != "fact", ACLED_ORDER.index(item.type), k)
        if best is None or key < best[0]:
            best = (key, item)
    return best[1] if best else None


def place_of_trigger(parsed: Parsed, places: Sequence[Place | None], offset: int
                     ) -> tuple[Mention, Place | None, str] | None:
    """The place of the event whose trigger word starts at character ``offset``.

    Returns the mention naming the place, its resolution and the reason for
    the choice. The mention may be one the gazetteer did not resolve (the
    place is then ``None``): the sentence still says where the event was.
    With no place tied to the trigger, the fallbacks of :func:`detect_events`
    apply (a place told before, the document's main place).

    >>> place_of_trigger(parsed, places, text.index("attack"))  # doctest: +SKIP
    (Mention(... text='Marseille' ...), Place(... name='Marseille' ...), "'in Marseille' ...")
    """
    trig = load_triggers(parsed.lang)
    speech = trig.lemmas.get("statement", frozenset()) | trig.lemmas.get("accusation",
                                                                          frozenset())
    every = list(zip(parsed.mentions, places, strict=False))
    pairs = [(m, p) for m, p in every if p is not None]
    for sentence in parsed.sentences:
        if not sentence.start <= offset < sentence.end:
            continue
        tok = next((t for t in sentence.tokens if t.idx <= offset < t.idx + len(t.text)), None)
        if tok is None:
            return None
        found = _find_triggers(sentence, trig)
        etype = next((k for k, t in found.items() if t.i == tok.i), None) or next(
            (k for k, lemmas in trig.lemmas.items()
             if tok.lemma in lemmas or tok.text.lower() in lemmas), "armed_clash")
        local = [(m, p) for m, p in every if sentence.start <= m.start < sentence.end]
        chosen = _choose_place(sentence, tok, etype, local, speech, parsed.lang,
                               resolved_only=False)
        if chosen is None:
            chosen = _fallback(parsed, sentence, pairs, etype, tok, None, _focus_place(pairs))
        if chosen is None:
            # Nothing else to go on: the best place of the sentence, even one named
            # as an actor's ("Hong Kong people demonstrated"), says so in its reason.
            weak = _choose_place(sentence, tok, "other", local, speech, parsed.lang,
                                 resolved_only=False)
            if weak is not None and weak[0].kind != "demonym":
                chosen = (weak[0], weak[1], f"{weak[2]}; no place is tied to the event, so "
                                            f"the sentence's best one")
        return chosen
    return None


def detect_events(
    parsed: Parsed,
    places: Sequence[Place | None],
    dates: Sequence[DateResolution],
    *,
    triggers: TriggerSet | None = None,
    include_uncertain: bool = False,
    mentions: Sequence[EventMention] | None = None,
) -> list[Event]:
    """Find the events a parsed document tells, each tied to a place and a date.

    Parameters
    ----------
    parsed : Parsed
        Sentences and mentions from :func:`geomap.extract.extract`.
    places : sequence of Place or None
        The resolution of each mention (aligned with ``parsed.mentions``).
    dates : sequence of DateResolution
        The date of each sentence (aligned with ``parsed.sentences``), from
        :func:`geomap.dates.sentence_dates`.
    triggers : TriggerSet, optional
        Defaults to the shipped data for the document's language.
    include_uncertain : bool
        Keep negated, hypothetical and future events (flagged in ``status``).
    mentions : sequence of EventMention, optional
        The output of :func:`classify`, when the caller already has it.

    Returns
    -------
    list of Event
    """
    trig = triggers or load_triggers(parsed.lang)
    speech = trig.lemmas.get("statement", frozenset()) | trig.lemmas.get("accusation",
                                                                          frozenset())
    if mentions is None:
        mentions = classify(parsed, triggers=trig)
    doc = parsed.document
    source = Source(doc.id, doc.title, doc.url)
    every = list(zip(parsed.mentions, places, strict=False))
    pairs = [(m, p) for m, p in every if p is not None]
    focus = _focus_place(pairs)
    # For want of any place: the country the document names; for fighting, not the
    # attackers' ("Russian troops shelled a village" is not in Russia; "shelled
    # Ukrainian positions" is in Ukraine).
    countries = {False: _document_country(pairs), True: _document_country(
        [(m, p) for m, p in pairs if m.kind != "demonym" or not _actor_demonym(parsed, m)])}
    events: list[Event] = []
    last_violent: tuple[Mention, Place, str] | None = None
    last_ground: tuple[Mention, Place, str] | None = None
    for em in mentions:
        sentence, trigger, etype, status = em.sentence, em.trigger, em.type, em.status
        if status != "fact" and not include_uncertain:
            continue
        local = [(m, p) for m, p in pairs if sentence.start <= m.start < sentence.end]
        named = [(m, p) for m, p in every if sentence.start <= m.start < sentence.end]
        date = dates[sentence.index]
        confidence = 0.8
        picked = _choose_place(sentence, trigger, etype, named, speech, parsed.lang)
        chosen = (picked[0], picked[1], picked[2]) if picked and picked[1] else None
        stand_in = chosen is not None and _STAND_IN in chosen[2]
        direct = chosen is not None
        earlier = _anaphor(sentence, pairs, trigger) if etype in _VIOLENT else None
        if chosen is not None and earlier is not None:
            # "retake this region": the region named before beats a place the
            # trigger governs less directly, or a whole country.
            head = _head_token(sentence, chosen[0])
            far = head is None or _path_length(sentence, trigger, head) > earlier[3]
            if far or chosen[1].level == "country":
                chosen = earlier[:3]
        if chosen is not None:
            anchor = _outside_anchor(chosen, local)
            if anchor is not None:
                chosen, stand_in = anchor, False
                confidence = 0.7
        if chosen is None:
            chosen = _fallback(parsed, sentence, pairs, etype, trigger, last_violent, focus,
                               last_ground)
            confidence, direct = 0.6, False
        elif etype in _VIOLENT:
            last_ground = chosen
        if chosen is not None and etype in _FIGHTING:
            last_violent = chosen
        if chosen is not None:
            mention, place, why = chosen
            place_text = mention.text
        elif focus is not None:
            place, place_text = focus[1], focus[0].text
            why = f"no place in the sentence or before it; the document's main place {place_text}"
            confidence = 0.45
        elif (country := countries[etype in _FIGHTING]) is not None:
            place, place_text = country[1], country[0].text
            why = (f"no place in the sentence or the document; the country of "
                   f"'{place_text}', named in the document"
                   + (", not as the doers" if country[0].kind == "demonym"
                      and etype in _FIGHTING else ""))
            confidence = 0.35
        else:
            continue
        if date.date_type == "unresolved":
            confidence -= 0.2
        elif date.date_type == "approximate":
            confidence -= 0.1
        confidence = round(max(0.05, min(1.0, confidence * (0.5 + 0.5 * place.confidence))), 3)
        precision = geo_precision(place)
        if stand_in:
            # The sentence names a place the gazetteer lacks; the one named with
            # it is near it, not it.
            confidence = round(confidence * 0.85, 3)
            precision = max(precision, 2)
        if confidence < 0.5:
            precision = min(3, precision + 1)
        targets = [(place, place_text, why)]
        if (chosen is not None and direct and chosen[0] in dict(local)
                and etype not in _COMMUNICATIVE):
            # "à Marseille, à Lyon et à Toulouse": one event at each coordinated place.
            targets += [(p2, m2.text, f"coordinated with {place_text}")
                        for m2, p2 in _coordinated(sentence, chosen[0], local)]
        for tplace, ttext, twhy in targets:
            events.append(Event(
                type=etype,
                place=tplace,
                date=date,
                sentence=sentence.text,
                trigger=trigger.text,
                subtype=em.subtype,
                actors=_actors(sentence, local, trigger, parsed.lang),
                geo_precision=precision,
                confidence=confidence,
                reason=f"trigger '{trigger.text}' ({trigger.lemma}); place: {twhy}",
                source=source,
                status=status,
                place_text=ttext,
            ))
    return events


_ANAPHORS = {
    "region": ("cette région", "cette zone", "la région", "this region", "the region",
               "the area", "this area", "cet oblast", "cette province", "the province"),
    "point": ("cette ville", "la ville", "this city", "the city", "the town", "this town"),
}


def _anaphor(sentence: Sentence, pairs: list[tuple[Mention, Place]], trigger: Token
             ) -> tuple[Mention, Place, str, int] | None:
    """"cette région" / "the city": the latest place of that kind named before.

    Returns the mention, place, reason and the dependency distance from the
    trigger to the anaphor.
    """
    toks = sentence.tokens
    for level, words in _ANAPHORS.items():
        for k in range(len(toks) - 1):
            phrase = f"{toks[k].text.lower()} {toks[k + 1].text.lower()}"
            if phrase not in words:
                continue
            levels = {"region", "admin1", "admin2"} if level == "region" else {"point"}
            before = [(m, p) for m, p in pairs if m.start < sentence.start
                      and p.level in levels and m.kind != "demonym"]
            if before:
                m, p = before[-1]
                dist = _path_length(sentence, trigger, toks[k + 1])
                return m, p, f"'{phrase}' refers back to {m.text}", dist
    return None


def _coordinated(sentence: Sentence, mention: Mention, local: list[tuple[Mention, Place]]
                 ) -> list[tuple[Mention, Place]]:
    """Places listed with ``mention`` ("in Batumi and Kutaisi", "à Marseille, à Lyon").

    Two places are listed together when, after climbing their ``conj`` links,
    they are the same token or siblings with the same relation to the same head.
    """
    by_i = {t.i: t for t in sentence.tokens}

    def root(tok: Token | None) -> Token | None:
        steps = 0
        while tok is not None and tok.dep == "conj" and steps < 8:
            tok, steps = by_i.get(tok.head), steps + 1
        return tok

    r1 = root(_head_token(sentence, mention))
    if r1 is None or r1.dep in _SUBJECT_DEPS:
        return []
    out = []
    for m2, p2 in local:
        if m2 is mention or m2.kind == "demonym":
            continue
        r2 = root(_head_token(sentence, m2))
        if r2 is not None and (r2.i == r1.i or (r2.head == r1.head and r2.dep == r1.dep)):
            out.append((m2, p2))
    return out


def _fallback(
    parsed: Parsed,
    sentence: Sentence,
    pairs: list[tuple[Mention, Place]],
    etype: str,
    trigger: Token,
    last_fighting: tuple[Mention, Place, str] | None,
    focus: tuple[Mention, Place] | None,
    last_ground: tuple[Mention, Place, str] | None = None,
) -> tuple[Mention, Place, str] | None:
    """The place of an event whose sentence ties no place to it.

    "cette région" first; then, for fighting, the place of the fighting told
    before; for other events on the ground, the place of the event told just
    before in the paragraph ("Protesters gathered in X. Police arrested
    five."), else the document's main place; for statements, the nearest
    place before (the same speaker, usually).
    """
    ana = _anaphor(sentence, pairs, trigger)
    if ana:
        return ana[:3]
    if etype in _FIGHTING and last_fighting is not None:
        m, p, _ = last_fighting
        return m, p, f"no place of its own; the fighting told before, at {m.text}"
    if etype in _VIOLENT and last_ground is not None and _same_paragraph(
            parsed, last_ground[0], sentence):
        m, p, _ = last_ground
        return m, p, f"no place of its own; the event told just before, at {m.text}"
    if etype in _VIOLENT and focus is not None and focus[1].level != "country":
        m, p = focus
        where = ("named in the sentence but not tied to the event"
                 if sentence.start <= m.start < sentence.end else "no place in the sentence")
        return m, p, f"{where}; the document's main place {m.text}"
    return _nearest_before(parsed, sentence, pairs, etype)


def _same_paragraph(parsed: Parsed, mention: Mention, sentence: Sentence) -> bool:
    """Is ``mention`` in ``sentence`` or before it in the same paragraph?"""
    text = parsed.document.text
    return mention.start <= sentence.end and "\n\n" not in text[mention.end: sentence.start]


def _reported_object(sentence: Sentence, trigger: Token, speech: frozenset[str]) -> bool:
    """Is the trigger the object of a speech verb ("a qualifié la frappe de crime")?"""
    by_i = {t.i: t for t in sentence.tokens}
    head = by_i.get(trigger.head)
    return (head is not None and head.i != trigger.i and trigger.dep in {"obj", "dobj"}
            and head.lemma in speech)


def _nearest_before(parsed: Parsed, sentence: Sentence, pairs: list[tuple[Mention, Place]],
                    etype: str) -> tuple[Mention, Place, str] | None:
    """The most precise fitting place in the two non-blank sentences before this one."""
    previous = [s.index for s in parsed.sentences[: sentence.index] if s.text.strip()][-2:]
    window = [(m, p) for m, p in pairs if m.sentence in previous]
    if etype in _VIOLENT:
        window = [(m, p) for m, p in window if p.level != "country" and m.kind != "demonym"]
    if not window:
        return None
    # The most precise place, the latest among equals: "in X, Mexico, ... Also, the
    # group threatened ..." happened in X, not all over Mexico.
    rank = {"point": 0, "admin2": 1, "region": 2, "admin1": 3, "country": 4}
    k = min(range(len(window)), key=lambda j: (rank[window[j][1].level], -j))
    m, p = window[k]
    return m, p, f"no place in the sentence; the most precise one just before it: {m.text}"


_END = re.compile(r"[.!?…][»”\"')\]]*\s*$")


def _is_headline(text: str, sentence: Sentence) -> bool:
    """A line of its own without final punctuation: a headline, caption or byline."""
    body = sentence.text.strip()
    if not body or _END.search(body):
        return False
    before = text[: sentence.start].rstrip(" \t")
    after = text[sentence.end:].lstrip(" \t")
    # A line that heads nothing (the whole text, or its last line) is not a headline.
    return (not before or before.endswith("\n")) and after.startswith("\n") \
        and bool(after.strip())


def _overlap(a: DateResolution, b: DateResolution) -> bool:
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return a.start is None and b.start is None
    return a.start <= b.end and b.start <= a.end


def _near(a: Place, b: Place) -> bool:
    if a.geonameid == b.geonameid:
        return True
    if "country" in (a.level, b.level):
        return False
    limit = {"point": 25.0, "admin2": 60.0, "region": 150.0, "admin1": 150.0}
    km = max(limit[a.level], limit[b.level])
    return haversine_km(a.lat, a.lon, b.lat, b.lon) <= km


def group_events(events: Sequence[Event]) -> list[Event]:
    """Merge the same event told by several documents into one record.

    Two events are the same when they have the same type, places within a
    distance that fits their precision, overlapping dates and come from
    different documents. The merged event keeps the first sentence and lists
    every source; its confidence is the highest of the group.
    """
    merged: list[Event] = []
    for ev in events:
        for k, kept in enumerate(merged):
            docs = {s.doc_id for s in kept.all_sources}
            if (kept.type == ev.type and ev.source.doc_id not in docs
                    and _near(kept.place, ev.place) and _overlap(kept.date, ev.date)):
                merged[k] = replace(
                    kept,
                    sources=kept.all_sources + (ev.source,),
                    confidence=max(kept.confidence, ev.confidence),
                )
                break
        else:
            merged.append(ev)
    return merged
