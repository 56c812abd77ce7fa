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

from .dates import resolve_date
from .errors import UnknownOption, options_message
from .extract import Parsed, Sentence, Token
from .records import DateResolution, Event, Mention, Place, Source
from .resolve import haversine_km
from .taxonomy import ACLED_ORDER, EVENT_TYPES

__all__ = ["TriggerSet", "EventMention", "load_triggers", "classify", "main_event",
           "place_of_trigger", "detect_events", "group_events", "geo_precision"]

_SUBJECT_DEPS = {"nsubj", "nsubj:pass", "nsubjpass", "csubj", "expl:subj"}
_LOCATIVE = {"à", "a", "en", "dans", "au", "aux", "près", "vers", "sur", "in", "at", "near",
             "into", "across", "around", "outside", "inside", "throughout", "de", "of", "du",
             "from", "to", "toward", "towards", "within", "over"}
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


def _ancestors(sentence: Sentence, tok: Token) -> list[Token]:
    by_i = {t.i: t for t in sentence.tokens}
    out = [tok]
    while tok.head != tok.i and tok.head in by_i and len(out) < 30:
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
    around = [t for t in sentence.tokens if t.head in chain and t.i not in chain]
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
    by_i = {t.i: t for t in sentence.tokens}

    def chain(t: Token) -> list[int]:
        out = [t.i]
        while t.head != t.i and t.head in by_i and len(out) < 50:
            t = by_i[t.head]
            out.append(t.i)
        return out

    ca, cb = chain(a), chain(b)
    common = set(ca) & set(cb)
    if not common:
        return 99
    return min(ca.index(c) + cb.index(c) for c in common)


def _governed_by_speech(sentence: Sentence, head: Token, lemmas: frozenset[str]) -> bool:
    """Is this place the genitive of a statement noun ("confirmation de Moscou")?"""
    by_i = {t.i: t for t in sentence.tokens}
    parent = by_i.get(head.head)
    return parent is not None and parent.i != head.i and parent.lemma in lemmas


def _choose_place(
    sentence: Sentence,
    trigger: Token,
    etype: str,
    local: list[tuple[Mention, Place]],
    communicative: frozenset[str] = frozenset(),
) -> tuple[Mention, Place, str] | None:
    """Pick the place the event happened at among the sentence's places."""
    best: tuple[float, Mention, Place, str] | None = None
    loose = True  # no locative link and a long path: the place is only mentioned nearby
    for mention, place in local:
        head = _head_token(sentence, mention)
        if head is None:
            continue
        dist = _path_length(sentence, trigger, head)
        score = -float(dist)
        why = f"{mention.text}, dependency path of {dist} from '{trigger.text}'"
        case_words = {t.text.lower() for t in sentence.tokens if t.head == head.i
                      and t.dep == "case"}
        if head.dep == "pobj":  # English parses put the preposition above its object
            case_words |= {t.text.lower() for t in sentence.tokens if t.i == head.head}
        is_subject = head.dep in _SUBJECT_DEPS or (head.dep == "conj"
                                                     and _is_subject_conj(sentence, head))
        if is_subject and etype in _COMMUNICATIVE:
            score += 2
            why += "; the speaker or party"
        elif is_subject:
            score -= 4
            why += "; subject of the clause (an actor)"
        elif etype not in _COMMUNICATIVE and _governed_by_speech(sentence, head, communicative):
            score -= 4
            why += "; the source of a statement (an actor)"
        if mention.kind == "demonym":
            score -= 3
            why += "; demonym"
        elif case_words & _LOCATIVE:
            score += 2
            if best is None or score > best[0]:
                loose = False
            why = f"'{' '.join(sorted(case_words))} {mention.text}' governed by '{trigger.text}'"
        if etype in _VIOLENT and place.level != "country":
            score += 1.5
        if mention.kind == "region":
            score += 0.5
        if best is None or score > best[0]:
            best = (score, mention, place, why)
    if best is None:
        return None
    if etype in _VIOLENT and (best[0] <= -4 or best[1].kind == "demonym"
                              or (loose and best[0] <= -1.5)):
        return None  # only actors here: the event's place is told elsewhere
    return best[1], best[2], best[3]


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
                     ) -> tuple[Mention, Place, str] | None:
    """The place of the event whose trigger word starts at character ``offset``."""
    trig = load_triggers(parsed.lang)
    speech = trig.lemmas.get("statement", frozenset()) | trig.lemmas.get("accusation",
                                                                          frozenset())
    pairs = [(m, p) for m, p in zip(parsed.mentions, places, strict=False) if p is not None]
    for sentence in parsed.sentences:
        if not sentence.start <= offset < sentence.end:
            continue
        tok = next((t for t in sentence.tokens if t.idx <= offset < t.idx + len(t.text)), None)
        if tok is None:
            return None
        found = _find_triggers(sentence, trig)
        etype = next((k for k, t in found.items() if t.i == tok.i), "armed_clash")
        local = [(m, p) for m, p in pairs if sentence.start <= m.start < sentence.end]
        chosen = _choose_place(sentence, tok, etype, local, speech)
        if chosen is None:
            chosen = _fallback(parsed, sentence, pairs, etype, tok, None, _focus_place(pairs))
        return chosen
    return None


def detect_events(
    parsed: Parsed,
    places: Sequence[Place | None],
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
    pairs = [(m, p) for m, p in zip(parsed.mentions, places, strict=False) if p is not None]
    focus = _focus_place(pairs)
    events: list[Event] = []
    last_violent: tuple[Mention, Place, str] | None = None
    dates: dict[int, DateResolution] = {}
    for em in mentions:
        sentence, trigger, etype, status = em.sentence, em.trigger, em.type, em.status
        if status != "fact" and not include_uncertain:
            continue
        local = [(m, p) for m, p in pairs if sentence.start <= m.start < sentence.end]
        date = _sentence_date(parsed, sentence, dates)
        confidence = 0.8
        chosen = _choose_place(sentence, trigger, etype, local, speech)
        earlier = _anaphor(sentence, pairs, trigger) if etype in _VIOLENT else None
        if chosen is not None and earlier is not None:
            # "retake this region": the region named before beats a place the
            # trigger governs less directly, or a whole country.
            head = _head_token(sentence, chosen[0])
            far = head is None or _path_length(sentence, trigger, head) > earlier[3]
            if far or chosen[1].level == "country":
                chosen = earlier[:3]
        if chosen is None:
            chosen = _fallback(parsed, sentence, pairs, etype, trigger, last_violent, focus)
            confidence = 0.6
        if chosen is not None and etype in _FIGHTING:
            last_violent = chosen
        if chosen is not None:
            mention, place, why = chosen
            place_text = mention.text
        elif focus is not None:
            place, place_text = focus[1], focus[0].text
            why = f"no place in the sentence or before it; the document's main place {place_text}"
            confidence = 0.45
        else:
            continue
        if date.date_type == "unresolved":
            confidence -= 0.2
        elif date.date_type == "approximate":
            confidence -= 0.1
        confidence = round(max(0.05, min(1.0, confidence * (0.5 + 0.5 * place.confidence))), 3)
        precision = geo_precision(place)
        if confidence < 0.5:
            precision = min(3, precision + 1)
        targets = [(place, place_text, why)]
        if (chosen is not None and chosen[0] in dict(local)
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


def _sentence_date(parsed: Parsed, sentence: Sentence, cache: dict[int, DateResolution]
                   ) -> DateResolution:
    """The date a sentence tells; with none of its own, the date told just before it.

    "On 3 May, gunmen attacked the village. The attack killed two": the second
    sentence inherits the date of the first, within the same paragraph.
    """
    doc = parsed.document
    if sentence.index not in cache:
        cache[sentence.index] = resolve_date(sentence.text, doc.date, parsed.lang)
    date = cache[sentence.index]
    if date.text or date.start is not None and date.date_type != "approximate":
        return date
    k = sentence.index - 1
    while k >= 0 and "\n\n" not in doc.text[parsed.sentences[k].end: sentence.start]:
        prev = parsed.sentences[k]
        if prev.index not in cache:
            cache[prev.index] = resolve_date(prev.text, doc.date, parsed.lang)
        if cache[prev.index].text and cache[prev.index].start is not None:
            d = cache[prev.index]
            return replace(d, reason=f"no date in the sentence; the date told before it: "
                                     f"{d.reason}")
        k -= 1
    return date


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
) -> tuple[Mention, Place, str] | None:
    """The place of an event whose sentence names none.

    "cette région" first; then, for fighting, the place of the fighting told
    before; for other events on the ground, the document's main place; for
    statements, the nearest place before (the same speaker, usually).
    """
    ana = _anaphor(sentence, pairs, trigger)
    if ana:
        return ana[:3]
    if etype in _FIGHTING and last_fighting is not None:
        m, p, _ = last_fighting
        return m, p, f"no place of its own; the fighting told before, at {m.text}"
    if etype in _VIOLENT and focus is not None and focus[1].level != "country":
        m, p = focus
        return m, p, f"no place in the sentence; the document's main place {m.text}"
    return _nearest_before(parsed, sentence, pairs, etype)


def _reported_object(sentence: Sentence, trigger: Token, speech: frozenset[str]) -> bool:
    """Is the trigger the object of a speech verb ("a qualifié la frappe de crime")?"""
    by_i = {t.i: t for t in sentence.tokens}
    head = by_i.get(trigger.head)
    return (head is not None and head.i != trigger.i and trigger.dep in {"obj", "dobj"}
            and head.lemma in speech)


def _nearest_before(parsed: Parsed, sentence: Sentence, pairs: list[tuple[Mention, Place]],
                    etype: str) -> tuple[Mention, Place, str] | None:
    """The nearest fitting place in the two non-blank sentences before this one."""
    previous = [s.index for s in parsed.sentences[: sentence.index] if s.text.strip()][-2:]
    window = [(m, p) for m, p in pairs if m.sentence in previous]
    if etype in _VIOLENT:
        window = [(m, p) for m, p in window if p.level != "country" and m.kind != "demonym"]
    if not window:
        return None
    m, p = window[-1]
    return m, p, f"no place in the sentence; nearest before it: {m.text}"


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
