"""ACLED sub-event coding: cues score each sub-event, the codebook's rules settle look-alikes.

The cues of each language are the ``acled`` section of its pack; ACLED's order
of precedence, the type of each sub-event and the codebook rules between
look-alike sub-events are language-independent (``geomap/data/acled_subevents.json``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..lang import fold_text, language_pack
from ..records import Sentence, Token
from ..taxonomy import EVENT_TYPES
from .tree import token_at

__all__ = ["ACLED_CODED", "code_sentence", "subevent_scores"]

#: geomap types whose events ACLED codes (battles, explosions, violence
#: against civilians, protests, riots and the strategic developments).
ACLED_CODED = {"territory_change", "armed_clash", "remote_violence",
                "violence_against_civilians", "protest", "riot", "other"}


#: Types whose ACLED sub-event cues alone make an event, trigger word or not
#: ("forces set up a new base", "two men were detained").
_CUE_TYPES = ACLED_CODED | {"troop_deployment", "arrest"}


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
    government: re.Pattern[str] | None
    #: ACLED's codebook distinctions between look-alike sub-events: when the
    #: cue matches (and ``unless`` does not), ``prefer`` beats each of ``over``.
    #: An empty ``prefer`` drops every one of ``over`` (an accident is no attack).
    rules: tuple[tuple[re.Pattern[str], re.Pattern[str] | None, str, tuple[str, ...]], ...] = ()


def _words_rx(words: Sequence[str], before: str = "a-z0-9") -> re.Pattern[str] | None:
    """Compile one expression matching any of ``words`` at a word start (None for no words)."""
    if not words:
        return None
    return re.compile(rf"(?<![{before}])(?:" + "|".join(f"(?:{w})" for w in words) + ")")


@lru_cache(maxsize=8)
def _subevent_data(lang: str) -> _SubEventData:
    """Load the ACLED sub-event data: the shared codebook and the cues of ``lang``'s pack."""
    path = resources.files("geomap") / "data" / "acled_subevents.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    pack = language_pack(lang)
    words = pack.get("acled", "cues")
    cues: dict[str, tuple[tuple[int, re.Pattern[str]], ...]] = {}
    for name in data["sub_events"]:
        groups = []
        for weight, cue in words.get(name, {}).items():
            rx = _words_rx(cue)
            if rx is not None:
                groups.append((int(weight), rx))
        cues[name] = tuple(groups)
    own = pack.get("acled", "rules")
    rules = []
    for rule in data["rules"]:
        spec = own.get(rule["id"])
        if spec and spec.get("cue"):
            unless = spec.get("unless")
            rules.append((re.compile(r"(?<![a-z0-9])(?:" + spec["cue"] + ")"),
                          re.compile(r"(?<![a-z0-9])(?:" + unless + ")") if unless else None,
                          rule["prefer"] or "", tuple(rule["over"])))
    return _SubEventData(
        order=tuple(data["order"]),
        types={k: v["type"] for k, v in data["sub_events"].items()},
        needs={k: tuple(v.get("needs", ())) for k, v in data["sub_events"].items()},
        boost={k: tuple(v.get("boost", ())) for k, v in data["sub_events"].items()},
        cues=cues,
        non_state=_words_rx(pack.get("acled", "non_state")),
        government=_words_rx([re.escape(w) for w in pack.get("acled", "government")], "a-z"),
        rules=tuple(rules),
    )


@lru_cache(maxsize=256)
def _rule_hits(text: str, lang: str) -> tuple[bool, ...]:
    """Tell which rules' cues fire on ``text`` (a note's sentences share its text)."""
    data = _subevent_data(lang)
    low = fold_text(text)
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
    """Score each ACLED sub-event type on a sentence.

    Cues are weighted data; a sub-event that ``needs`` another (a protest
    with intervention needs a protest) counts only with it and adds its
    score, so the more specific one wins. Territory taken by rebels or
    militants is a non-state actor's gain, otherwise the government's.

    Parameters
    ----------
    text : str
        A sentence (or a short note).
    lang : str
        Its language (the cues of its pack).

    Returns
    -------
    dict of str to (float, int)
        ``{sub-event: (score, offset of its first cue)}`` for the sub-events that score.

    Raises
    ------
    geomap.errors.UnknownOption
        For a language without a pack.

    Examples
    --------
    >>> s = subevent_scores("Police fired tear gas to disperse protesters in Lagos.", "en")
    >>> max(s, key=lambda k: s[k][0])
    'Protest with intervention'
    """
    data = _subevent_data(lang)
    low = fold_text(text)
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
        army = data.government.search(low[: gain[1] + 1]) if data.government else None
        key = "Non-state actor overtakes territory" if rebels and not (
            army and army.start() > rebels.start()) else "Government regains territory"
        out[key] = gain
    return out


def _pick_subevent(scores: dict[str, tuple[float, int]], lang: str,
                   allowed: Sequence[str] | None = None) -> tuple[str, float, int] | None:
    """Pick the best-scoring sub-event (ACLED's order breaks ties), among ``allowed``."""
    order = _subevent_data(lang).order
    best = None
    for name, (score, at) in scores.items():
        if allowed is not None and name not in allowed:
            continue
        key = (-score, order.index(name) if name in order else 99)
        if best is None or key < best[0]:
            best = (key, name, score, at)
    return (best[1], best[2], best[3]) if best else None


def _subtypes_of(etype: str, lang: str) -> tuple[str, ...]:
    """List the sub-events an event type may carry."""
    data = _subevent_data(lang)
    return tuple(k for k, v in data.types.items() if v == etype) + _EXTRA_SUBTYPES.get(etype, ())


def code_sentence(sentence: Sentence, found: dict[str, Token], lang: str,
                   context: dict[str, tuple[float, int]] | None = None,
                   weak: frozenset[str] = frozenset(), note: str | None = None,
                   ) -> list[tuple[str, str, Token, float]]:
    """Code the events of a sentence: type, ACLED sub-event, trigger and cue score of each.

    The violent and strategic types ACLED codes are reconciled into one event
    by the sub-event cues (a protest in which police fire tear gas is one
    protest with intervention, not also a clash); the other types keep their
    triggers and take the best sub-event that fits them.

    Parameters
    ----------
    sentence : Sentence
        The parsed sentence.
    found : dict of str to Token
        Its triggers by type (:func:`geomap.events.triggers.find_triggers`).
    lang : str
        Its language.
    context : dict of str to (float, int), optional
        The sub-event scores of the whole note, for a short note.
    weak : frozenset of str
        Lemmas that find an event without telling its kind.
    note : str, optional
        The whole note's text, read by the codebook rules.

    Returns
    -------
    list of (str, str, Token, float)
        Type, sub-event, trigger and score of each event.
    """
    data = _subevent_data(lang)
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
        if etype not in ACLED_CODED or tok.lemma in weak or tok.text.lower() in weak:
            continue
        pick = _pick_subevent(scores, lang, _subtypes_of(etype, lang))
        name = pick[0] if pick else EVENT_TYPES[etype].acled_sub_event_type
        if name in data.types:
            score, at = scores.get(name, (0.0, tok.idx - sentence.start))
            scores[name] = (score + 2.0, at)
    scores, accident = _apply_rules(scores, note or sentence.text,
                                    lang)
    if accident:
        # "the earthquake struck", "troops mobilised to dig out cars from the
        # snow": a disaster's words are no fighting or deployment.
        found = {t: k for t, k in found.items() if t not in _ACCIDENT_DROP}
    best = _pick_subevent(scores, lang)
    out: list[tuple[str, str, Token, float]] = []
    coded = {t: tok for t, tok in found.items() if t in ACLED_CODED}
    if best is not None and best[1] >= 2 and data.types[best[0]] in _CUE_TYPES | set(found):
        name, score, at = best
        etype = data.types[name]
        if coded or score >= 3 or etype in found:
            cue_tok: Token | None = found.get(etype) or (
                token_at(sentence, sentence.start + at) if at >= 0 else None) or next(
                iter(coded.values()), None)
            if cue_tok is not None:
                out.append((etype, name, cue_tok, score))
                found = {t: k for t, k in found.items() if t not in ACLED_CODED and t != etype}
                coded = {}
    for etype, tok in {**coded, **found}.items():
        pick = _pick_subevent(scores, lang, _subtypes_of(etype, lang))
        if (tok.lemma in weak or tok.text.lower() in weak) and (pick is None or pick[1] < 2):
            continue  # "killed when the bus plunged": a weak word with no cue is no event
        sub = pick[0] if pick else EVENT_TYPES[etype].acled_sub_event_type
        out.append((etype, sub, tok, pick[1] if pick else 0.0))
    return out


