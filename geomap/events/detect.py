"""Detection: the events a parsed document tells, each typed, qualified and tied to a place.

:func:`classify` finds and types the events of each sentence (triggers, ACLED
sub-event coding, status); :func:`detect_events` ties each to a place (the
parse first, then the fallbacks) and to its sentence's date; :func:`main_event`
picks the event a short note is about; :func:`place_of_trigger` answers for
one trigger word. Headlines and captions repeat the story they head and are
skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..lang import has_words
from ..records import (
    DateResolution,
    Event,
    Mention,
    Parsed,
    PartialDate,
    Place,
    Sentence,
    Source,
    Telling,
    Token,
)
from ..taxonomy import ACLED_ORDER, EVENT_TYPES, family_of
from .actors import armed_actor, event_actors, parade_not_protest, raided_by_authorities
from .coding import ACLED_CODED, code_sentence, subevent_scores
from .fallbacks import (
    actor_demonym,
    anaphor,
    coordinated,
    country_as_modifier,
    document_country,
    fallback_place,
    focus_place,
    outside_anchor,
)
from .families import COMMUNICATIVE, FIGHTING, VIOLENT
from .masks import masked_tokens, modifier_tokens
from .places import STAND_IN, choose_place, geo_precision
from .score import EventModel, default_model, event_features
from .speech import (
    addresses_the_public,
    has_participants,
    has_standing,
    is_formal_statement,
    modal_unreported,
    person_words,
    warns_of_harm,
)
from .status import event_status
from .tree import ancestors, head_token, path_length
from .triggers import (
    TriggerSet,
    find_triggers,
    lacks_object,
    load_triggers,
    resumed,
    speech_lemmas,
)
from .words import event_words

__all__ = ["BACKGROUND_DAYS", "EventMention", "classify", "detect_events", "is_background",
           "is_headline", "is_title_sentence", "main_event",
           "place_of_trigger", "reported_object"]

_FUNCTION_POS = {"AUX", "DET", "ADP", "PART", "PRON", "CCONJ", "SCONJ"}


@dataclass(frozen=True, slots=True)
class EventMention:
    """An event told by a sentence, before it is tied to a place and a date.

    Attributes
    ----------
    type : str
        The geomap event type.
    subtype : str
        The ACLED sub-event type.
    trigger : Token
        The word that tells the event.
    sentence : Sentence
        The sentence that tells it.
    status : str
        ``fact``, ``negated``, ``hypothetical`` or ``future``.
    score : float
        How strongly the sub-event cues back the coding.
    """

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
#: ACLED's strategic developments of the catch-all type ``other`` ("Change to
#: group/activity": patrols, training, bans, defections; weapons seized or found;
#: property looted or destroyed; "Other") read as events only in a note, where every
#: sentence tells one; in an article such words are background or crime ("recalling
#: the days on patrol in Anbar", "officers seized bags of heroin", "money was stolen
#: from a purse"), which the news coding guide does not code.
_NOTE_ONLY_TYPES = frozenset({"other"})
#: Types that need a named doer (an institution or a named person): a witness's blame,
#: "they accuse", a coach's praise are no such events (support is a formal endorsement).
_NEEDS_STANDING = frozenset({"accusation", "demand", "rejection", "threat", "support"})
#: An event that ended more than this many days before the document was published
#: is background the story recalls ("76,000 were arrested during the war", "the
#: 2007 murder"), not news: it is kept only with ``include_uncertain``.
BACKGROUND_DAYS = 365


def is_headline(text: str, sentence: Sentence, lang: str) -> bool:
    """Tell whether a sentence is a headline, caption or byline: a line of its own, unpunctuated.

    Parameters
    ----------
    text : str
        The document text.
    sentence : Sentence
        A sentence of it.
    lang : str
        The document's language (its pack's sentence-final punctuation).

    Returns
    -------
    bool
        True for a line without final punctuation that heads more text.
    """
    body = sentence.text.strip()
    if not body or event_words(lang).sentence_end.search(body):
        return False
    before = text[: sentence.start].rstrip(" \t")
    after = text[sentence.end:].lstrip(" \t")
    # A line that heads nothing (the whole text, or its last line) is not a headline.
    return (not before or before.endswith("\n")) and after.startswith("\n") \
        and bool(after.strip())


#: A title written as the first sentence has at most this many words.
_TITLE_WORDS = 12


def is_title_sentence(parsed: Parsed, sentence: Sentence, date: DateResolution) -> bool:
    """Tell whether the first sentence is the story's title run into its text.

    "Couple found dead in condo. An elderly husband and wife were found dead
    Monday night ...": a short first sentence in headline grammar (no article
    first unless no verb is finite, no auxiliary, no comma) without a date of its
    own, ahead of at least two more sentences, heads the story the body tells, and
    its events are the body's told without their date or their circumstances.

    Parameters
    ----------
    parsed : Parsed
        The document.
    sentence : Sentence
        One of its sentences.
    date : DateResolution
        The sentence's date.

    Returns
    -------
    bool
    """
    if sentence.index != 0 or len(parsed.sentences) < 3 or date.text:
        return False
    words = [t for t in sentence.tokens if t.pos not in {"PUNCT", "SPACE", "SYM"}]
    finite = any("VerbForm=Fin" in t.morph for t in words)
    # An article first is prose ("A barber was shot"), unless no verb is finite: a
    # French title keeps its article ("Un gendarme tué lors d'un contrôle").
    return (0 < len(words) <= _TITLE_WORDS and (words[0].pos != "DET" or not finite)
            and not any(t.pos == "AUX" or t.text == ","
                        or (t.dep.startswith("aux") and t.pos != "PART")  # "to" is no tense
                        for t in sentence.tokens))


def reported_object(sentence: Sentence, trigger: Token, speech: frozenset[str]) -> bool:
    """Tell whether the trigger is the object of a speech verb ("a qualifié la frappe de crime").

    Parameters
    ----------
    sentence : Sentence
        The trigger's sentence.
    trigger : Token
        The trigger.
    speech : frozenset of str
        Lemmas of speech.

    Returns
    -------
    bool
        True when a speech verb governs the trigger as its object: the event
        is told, not happening there.
    """
    by_i = {t.i: t for t in sentence.tokens}
    head = by_i.get(trigger.head)
    return (head is not None and head.i != trigger.i and trigger.dep in {"obj", "dobj"}
            and head.lemma in speech)


def classify(parsed: Parsed, *, triggers: TriggerSet | None = None) -> list[EventMention]:
    """Find and type the events a parsed document tells, sentence by sentence.

    Every candidate comes back, with its ``status`` (``fact``, ``negated``,
    ``hypothetical`` or ``future``); :func:`detect_events` ties them to places
    and dates, :func:`main_event` picks the one a short note is about.

    Parameters
    ----------
    parsed : Parsed
        Sentences and mentions from :func:`geomap.pipeline.find_places`.
    triggers : TriggerSet, optional
        Defaults to the trigger data of the document's language.

    Returns
    -------
    list of EventMention
        In sentence order; within a sentence, in ACLED's order.
    """
    trig = triggers or load_triggers(parsed.lang)
    speech = speech_lemmas(trig)
    doc = parsed.document
    out: list[EventMention] = []
    short = len(doc.text) <= _NOTE_CHARS and 1 < len(parsed.sentences) <= 4
    place_spans = [(m.start, m.end) for m in parsed.mentions]
    context = subevent_scores(doc.text, parsed.lang) if short else None
    for sentence in parsed.sentences:
        if not has_words(sentence.text):
            continue  # blank (a page of padding): nothing told, nothing to scan
        if is_headline(doc.text, sentence, parsed.lang):
            continue  # a headline or caption repeats the story it heads
        named = masked_tokens(sentence, trig, modifiers=False)
        masked = named | modifier_tokens(sentence, trig)
        found = _sentence_triggers(sentence, trig, masked)
        coded = [c for c in code_sentence(sentence, found, parsed.lang, context, trig.weak,
                                          doc.text if short else None) if c[2].i not in named]
        for etype, sub, trigger, score in sorted(coded, key=lambda c: ACLED_ORDER.index(c[0])):
            if etype in VIOLENT and reported_object(sentence, trigger, speech):
                continue  # "qualified the strike as a war crime": told, not happening here
            if etype in _NOTE_ONLY_TYPES and len(doc.text) > _NOTE_CHARS:
                continue
            if lacks_object(sentence, trigger, etype, trig, place_spans):
                continue  # "agents seized some items": no territory changed hands
            out.append(EventMention(etype, sub, trigger, sentence,
                                    event_status(sentence, trigger, trig, etype), score))
    return out


def is_background(date: DateResolution, published: PartialDate | None) -> bool:
    """Whether an event dated ``date`` is old background for a document of ``published``.

    True when the event ended more than :data:`BACKGROUND_DAYS` before the
    earliest day the publication date allows.

    >>> import datetime as dt
    >>> june_2007 = DateResolution(dt.date(2007, 6, 1), dt.date(2007, 6, 1), "day", "exact")
    >>> is_background(june_2007, PartialDate(2009, 3)), is_background(june_2007, None)
    (True, False)
    >>> is_background(june_2007, PartialDate(2008, 2, 1))
    False
    """
    if published is None or date.end is None:
        return False
    earliest = dt.date(published.year, published.month or 1, published.day or 1)
    return (earliest - date.end).days > BACKGROUND_DAYS


def main_event(items: Sequence[Any]) -> Any | None:
    """Pick the event a short note is about: facts first, then ACLED's order, then text order.

    Parameters
    ----------
    items : sequence of EventMention or Event
        Works on :class:`EventMention` and :class:`~geomap.records.Event` lists alike.

    Returns
    -------
    EventMention or Event or None
        None for no items.
    """
    best: tuple[tuple[Any, ...], Any] | None = None
    first = min((i.sentence.index for i in items if isinstance(i, EventMention)), default=0)
    # "X announced a suspension of links", "the army shelled Y, officials said":
    # what a speech verb reports stands where the speech verb stands.
    speech = {(i.sentence.index, i.trigger.i) for i in items
              if isinstance(i, EventMention) and i.type == "statement"}
    for k, item in enumerate(items):
        if isinstance(item, EventMention):
            chain = ancestors(item.sentence, item.trigger)
            if item.trigger.pos in _FUNCTION_POS and len(chain) > 1:
                chain = chain[1:]  # "is willing to": the phrase stands where "willing" does
            depth = len(chain)
            main = depth == 1 or (depth == 2 and (item.sentence.index, chain[1].i) in speech)
            # ACLED's precedence among the violent events a note tells, but the
            # main verb of its first sentence when it is something else ("agreed
            # to a ceasefire after fierce fighting" is an agreement); then a
            # confidently coded event, then the trigger nearest the root
            # ("threatened to strike" is a threat).
            coded = item.type in ACLED_CODED or item.type in VIOLENT
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


def _sentence_triggers(sentence: Sentence, trig: TriggerSet, masked: frozenset[int]
                       ) -> dict[str, Token]:
    """The sentence's triggers outside ``masked`` tokens; a resumption is no retaking."""

    def refuse(etype: str, tok: Token) -> bool:
        return resumed(sentence, tok, etype, trig)

    return {k: t for k, t in find_triggers(sentence, trig, refuse=refuse).items()
            if t.i not in masked}


def place_of_trigger(parsed: Parsed, places: Sequence[Place | None], offset: int
                     ) -> tuple[Mention, Place | None, str] | None:
    """Find the place of the event whose trigger word starts at character ``offset``.

    The mention may be one the gazetteer did not resolve (the place is then
    ``None``): the sentence still says where the event was. With no place
    tied to the trigger, the fallbacks of :func:`detect_events` apply (a place
    told before, the document's main place).

    Parameters
    ----------
    parsed : Parsed
        The document.
    places : sequence of Place or None
        The resolution of each mention (aligned with ``parsed.mentions``).
    offset : int
        A character offset of the trigger word in the document.

    Returns
    -------
    (Mention, Place or None, str) or None
        The mention naming the place, its resolution and the reason for the
        choice; None when no place fits.

    Examples
    --------
    >>> place_of_trigger(parsed, places, text.index("attack"))  # doctest: +SKIP
    (Mention(... text='Marseille' ...), Place(... name='Marseille' ...), "'in Marseille' ...")
    """
    trig = load_triggers(parsed.lang)
    speech = speech_lemmas(trig)
    every = list(zip(parsed.mentions, places, strict=False))
    pairs = [(m, p) for m, p in every if p is not None]
    for sentence in parsed.sentences:
        if not sentence.start <= offset < sentence.end:
            continue
        tok = next((t for t in sentence.tokens if t.idx <= offset < t.idx + len(t.text)), None)
        if tok is None:
            return None
        masked = masked_tokens(sentence, trig)
        found = _sentence_triggers(sentence, trig, masked)
        etype = next((k for k, t in found.items() if t.i == tok.i), None) or next(
            (k for k, lemmas in trig.lemmas.items()
             if tok.lemma in lemmas or tok.text.lower() in lemmas), "armed_clash")
        local = [(m, p) for m, p in every if sentence.start <= m.start < sentence.end]
        chosen = choose_place(sentence, tok, etype, local, speech, parsed.lang,
                               resolved_only=False)
        if chosen is None:
            chosen = fallback_place(parsed, sentence, pairs, etype, tok, None, focus_place(pairs))
        if chosen is None:
            # Nothing else to go on: the best place of the sentence, even one named
            # as an actor's ("Hong Kong people demonstrated"), says so in its reason.
            weak = choose_place(sentence, tok, "other", local, speech, parsed.lang,
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
    model: EventModel | None = None,
    explain: list[tuple[Event, dict[str, float]]] | None = None,
) -> list[Event]:
    """Find the events a parsed document tells, each tied to a place and a date.

    Parameters
    ----------
    parsed : Parsed
        Sentences and mentions from :func:`geomap.pipeline.find_places`.
    places : sequence of Place or None
        The resolution of each mention (aligned with ``parsed.mentions``).
    dates : sequence of DateResolution
        The date of each sentence (aligned with ``parsed.sentences``), from
        :func:`geomap.dates.sentence_dates`.
    triggers : TriggerSet, optional
        Defaults to the shipped data for the document's language.
    include_uncertain : bool
        Keep negated, hypothetical and future events, and old background
        (:func:`is_background`), flagged in ``status``.
    mentions : sequence of EventMention, optional
        The output of :func:`classify`, when the caller already has it.
    model : EventModel, optional
        Scores each event's confidence (:mod:`geomap.events.score`); defaults to
        the shipped one.
    explain : list, optional
        When given, each event is appended to it with its evidence (to fit a model).

    Returns
    -------
    list of Event
    """
    trig = triggers or load_triggers(parsed.lang)
    speech = speech_lemmas(trig)
    model = model or default_model()
    if mentions is None:
        mentions = classify(parsed, triggers=trig)
    doc = parsed.document
    source = Source(doc.id, doc.title, doc.url, published=doc.date)
    every = list(zip(parsed.mentions, places, strict=False))
    pairs = [(m, p) for m, p in every if p is not None]
    # For want of any place: the document's main place, or the country it names; for
    # fighting, not the attackers' ("Russian troops shelled a village" is not in Russia;
    # "shelled Ukrainian positions" is in Ukraine), nor a country that qualifies an
    # actor or a name ("an attack on Burundi troops", "Bank Saderat Iran").
    placing = [(m, p) for m, p in pairs if not country_as_modifier(parsed, m, p) and (
        m.kind != "demonym" or not actor_demonym(parsed, m))]
    focus = {False: focus_place(pairs), True: focus_place(placing)}
    countries = {False: document_country(pairs), True: document_country(placing)}
    events: list[Event] = []
    last_violent: tuple[Mention, Place, str] | None = None
    last_ground: tuple[Mention, Place, str] | None = None
    told: dict[int, list[str]] = {}
    persons: dict[str, bool] | None = None  # read when the first statement is checked
    for em in mentions:
        if em.status == "fact":
            told.setdefault(em.sentence.index, []).append(em.type)
    for em in mentions:
        sentence, trigger, etype, status = em.sentence, em.trigger, em.type, em.status
        subtype = em.subtype
        if status != "fact" and not include_uncertain:
            continue
        if is_title_sentence(parsed, sentence, dates[sentence.index]):
            continue  # "Couple found dead in condo." heads the story the body tells
        if etype == "threat" and not warns_of_harm(sentence, trigger, parsed.lang):
            # "warned that much remained to be done", "a warning on melons": what a
            # warning tells without a harm is a statement, if an institution makes it
            etype, subtype = "statement", EVENT_TYPES["statement"].acled_sub_event_type
        if etype == "statement" and status == "fact":
            others = list(told[sentence.index])
            others.remove(em.type)
            if persons is None:
                persons = person_words(parsed.sentences, parsed.lang)
            if not is_formal_statement(sentence, trigger, others, parsed.lang,
                                       [family_of(t) for t in others], persons):
                continue  # the source of a fact, or nobody with an office speaking
        elif (etype in _NEEDS_STANDING and status == "fact"
              and not has_standing(sentence, trigger, parsed.lang)):
            continue  # a witness's blame, "they accuse": no named actor
        elif etype == "demand" and modal_unreported(sentence, trigger, speech, parsed.lang):
            continue  # "the mayor must present the budget": an obligation, not a call
        elif etype == "demand" and addresses_the_public(sentence, trigger, parsed.lang):
            continue  # "police are asking the public to be alert": an appeal
        elif etype in {"meeting", "investigation"} and not has_participants(
                sentence, trigger, parsed.lang):
            continue  # "Monday's meeting", "as the investigation began": nobody named
        elif etype == "protest" and parade_not_protest(sentence, trigger, parsed.lang):
            continue  # "soldiers paraded through Moscow": a parade, no protest
        elif etype == "armed_clash" and raided_by_authorities(sentence, trigger, parsed.lang):
            etype = "coercion"  # "police raided the home": a search, no battle
            subtype = EVENT_TYPES[etype].acled_sub_event_type
        elif etype == "armed_clash" and not armed_actor(
                sentence, trigger, parsed.lang,
                parsed.sentences[sentence.index - 1] if sentence.index > 0 else None,
                parsed.mentions):
            continue  # "got into a fight with a neighbour": no armed group, no battle
        date = dates[sentence.index]
        if status == "fact" and is_background(date, doc.date):
            if not include_uncertain:
                continue
            status = "background"
        local = [(m, p) for m, p in pairs if sentence.start <= m.start < sentence.end]
        named = [(m, p) for m, p in every if sentence.start <= m.start < sentence.end]
        trust, route = 0.8, "direct"
        picked = choose_place(sentence, trigger, etype, named, speech, parsed.lang)
        chosen = (picked[0], picked[1], picked[2]) if picked and picked[1] else None
        stand_in = chosen is not None and STAND_IN in chosen[2]
        direct = chosen is not None
        earlier = anaphor(sentence, pairs, trigger, parsed.lang) if etype in VIOLENT else None
        if chosen is not None and earlier is not None:
            # "retake this region": the region named before beats a place the
            # trigger governs less directly, or a whole country.
            head = head_token(sentence, chosen[0])
            far = head is None or path_length(sentence, trigger, head) > earlier[3]
            if far or chosen[1].level == "country":
                chosen, route = earlier[:3], "anaphor"
        if chosen is not None:
            anchor = outside_anchor(chosen, local)
            if anchor is not None:
                chosen, stand_in = anchor, False
                trust, route = 0.7, "anchor"
        if chosen is None:
            chosen = fallback_place(parsed, sentence, pairs, etype, trigger, last_violent,
                                    focus[etype in FIGHTING], last_ground)
            trust, route, direct = 0.6, "fallback", False
        elif etype in VIOLENT:
            last_ground = chosen
        if chosen is not None and etype in FIGHTING:
            last_violent = chosen
        if chosen is not None:
            mention, place, why = chosen
            place_text = mention.text
        elif (main := focus[etype in FIGHTING]) is not None:
            place, place_text = main[1], main[0].text
            why = f"no place in the sentence or before it; the document's main place {place_text}"
            trust, route = 0.45, "focus"
        elif (country := countries[etype in FIGHTING]) is not None:
            place, place_text = country[1], country[0].text
            why = (f"no place in the sentence or the document; the country of "
                   f"'{place_text}', named in the document"
                   + (", not as the doers" if country[0].kind == "demonym"
                      and etype in FIGHTING else ""))
            trust, route = 0.35, "country"
        else:
            continue
        if date.date_type == "unresolved":
            trust -= 0.2
        elif date.date_type == "approximate":
            trust -= 0.1
        # How sure the place is, as ACLED's geo_precision says it.
        trust = trust * (0.5 + 0.5 * place.confidence)
        precision = geo_precision(place)
        if stand_in:
            # The sentence names a place the gazetteer lacks; the one named with
            # it is near it, not it.
            trust *= 0.85
            precision = max(precision, 2)
        if trust < 0.5:
            precision = min(3, precision + 1)
        actors = event_actors(sentence, local, trigger, parsed.lang)
        evidence = event_features(
            etype, sentence, trigger, place, route, date, stand_in=stand_in, actors=len(actors),
            same_type=sum(etype in types for types in told.values()),
            others=len(told.get(sentence.index, ())) - (status == "fact"), lang=parsed.lang)
        confidence = round(model.probability(evidence), 3)
        targets = [(place, place_text, why)]
        if (chosen is not None and direct and chosen[0] in dict(local)
                and etype not in COMMUNICATIVE):
            # "à Marseille, à Lyon et à Toulouse": one event at each coordinated place.
            targets += [(p2, m2.text, f"coordinated with {place_text}")
                        for m2, p2 in coordinated(sentence, chosen[0], local)]
        for tplace, ttext, twhy in targets:
            event = Event(
                type=etype,
                place=tplace,
                date=date,
                sentence=sentence.text,
                trigger=trigger.text,
                subtype=subtype,
                actors=actors,
                geo_precision=precision,
                confidence=confidence,
                reason=f"trigger '{trigger.text}' ({trigger.lemma}); place: {twhy}",
                source=source,
                status=status,
                place_text=ttext,
                tellings=(Telling(doc.id, sentence.text, trigger.text, trigger.idx,
                                  trigger.idx + len(trigger.text),
                                  f"trigger '{trigger.text}' ({trigger.lemma}); place: {twhy}"),),
            )
            events.append(event)
            if explain is not None:
                explain.append((event, evidence))
    return events


