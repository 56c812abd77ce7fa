"""Speech acts: which "said" is a statement, and which is only the source of a fact.

A news article says "said" in almost every sentence. The coding guide keeps a
statement only when it is a formal position of an institution (a ministry, a
government, a party, a court, an army, the police speaking for itself) and
drops the rest:

- "X said" attached to a reported fact is that fact's source ("the man was
  shot, police said"; "two were arrested, the sheriff said"): the fact is the
  event, not the saying;
- a person without an office, a witness, a pronoun nobody is named for, a
  quotation of a private person is no statement;
- a plain reporting verb whose clause tells what happened or is happening
  ("authorities said they were interviewing neighbours", "the chief said the
  woman worked at the home") reports a fact; a clause that takes a position
  (an intention, a modal, a refusal, an assessment with "be": "said it would
  withdraw", "said the strike was a crime") stays a statement.

The institutional words are data: the ``speech`` section of each language pack.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..lang import language_pack
from ..records import Sentence, Token
from .tree import OBJECT_DEPS, SUBJECT_DEPS, ancestors, descendants, linked_nouns
from .words import event_words

__all__ = ["PERSON_LABELS", "addresses_the_public", "is_formal_statement", "has_participants",
           "has_standing", "modal_unreported", "person_words", "reports_a_fact", "speaker",
           "warns_of_harm"]

#: Named entities that are institutions or speak for one.
_INSTITUTION_LABELS = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC"})
#: Named people: they may threaten, demand or accuse (a statement needs an office).
PERSON_LABELS = frozenset({"PERSON", "PER"})
#: Who may meet, accuse, demand or threaten: an institution or a named person.
_ACTOR_LABELS = _INSTITUTION_LABELS | PERSON_LABELS
_MODIFIER_DEPS = frozenset({"compound", "amod", "appos", "flat", "flat:name", "nmod",
                            "nmod:poss", "poss", "det", "case"})


#: Quotation marks that open and close a quotation, the opening one first.
_QUOTES = (("«", "»"), ("“", "”"), ('"', '"'))


def _quoted(sentence: Sentence) -> list[tuple[int, int]]:
    """Document offsets of the quotations in a sentence, marks included."""
    text, out = sentence.text, []
    for opening, closing in _QUOTES:
        at = text.find(opening)
        while at >= 0:
            end = text.find(closing, at + 1)
            if end < 0:
                break
            out.append((sentence.start + at, sentence.start + end + 1))
            at = text.find(opening, end + 1)
    return out


def speaker(sentence: Sentence, trigger: Token) -> Token | None:
    """The subject of a speech word ("the ministry said"), or its genitive ("le discours de X").

    A word inside the quotation the verb reports is not who speaks: in
    "«Ceux qui se sont battus sont des héros», a déclaré le dirigeant", the
    speaker is the noun after the verb, whatever the parse calls it. A word
    inside a quotation speaks for a speech word inside it ("«ils nous
    accusent», a dit un commerçant": "ils" accuse).
    """
    quoted = _quoted(sentence)
    if any(a <= trigger.idx < b for a, b in quoted):
        quoted = []  # "«They blamed us», said X": inside the quotation, its own subject

    def outside(tok: Token) -> bool:
        return not any(a <= tok.idx < b for a, b in quoted)

    for tok in sentence.tokens:
        if (tok.head == trigger.i and tok.i != trigger.i and tok.dep in SUBJECT_DEPS
                and outside(tok)):
            return tok
    if quoted:
        for tok in sentence.tokens:
            if (tok.head == trigger.i and tok.i > trigger.i and outside(tok)
                    and tok.dep in SUBJECT_DEPS | {"obj", "dobj"}
                    and tok.pos in {"NOUN", "PROPN"}):
                return tok
    for tok in sentence.tokens:
        if tok.head == trigger.i and tok.i != trigger.i and tok.dep in {"nmod", "nmod:poss",
                                                                       "poss", "agent"}:
            return tok
    return None


def _institutional(sentence: Sentence, who: Token, lang: str,
                   labels: frozenset[str] = _INSTITUTION_LABELS,
                   persons: Mapping[str, bool] | None = None) -> bool:
    pack = language_pack(lang)
    sources = pack.words("speech", "not_speakers")
    if who.lemma.lower() in sources or who.text.lower() in sources:
        return False  # "Russian sources claimed": a source, whatever its country
    words = pack.words("speech", "institutions")
    span = [who, *descendants(sentence, who, _MODIFIER_DEPS, any_child=True)]
    if any(t.lemma in words or t.text.lower() in words for t in span):
        return True
    if (persons and who.text in persons and not persons[who.text] and len(span) == 1
            and not labels & PERSON_LABELS):
        # "Kinney said", after "Bob Kinney": a person with no office, whatever the model
        # says ("Wagner said", after "Rep. Joseph Wagner", is read as before).
        return False
    for start, end, label, _text in sentence.entities:
        if label in labels and any(start <= t.idx < end for t in span):
            return True
    return False


def person_words(sentences: Sequence[Sentence], lang: str) -> dict[str, bool]:
    """The words of a document's person names, each with whether the person holds an office.

    News names a person in full first ("Rep. Joseph Wagner", "Bob Kinney, a
    pilot") and by the surname after, where a small model may take the surname
    alone for an organisation. A person holds an office when a word of the
    pack's ``institutions`` comes just before the name or in the apposition
    after it ("Tom Galligan, the mayor").

    Parameters
    ----------
    sentences : sequence of Sentence
        The document's sentences.
    lang : str
        Its language.

    Returns
    -------
    dict of str to bool
        Name word → the person holds an office.
    """
    words = language_pack(lang).words("speech", "institutions")
    out: dict[str, bool] = {}
    for s in sentences:
        toks = s.tokens
        for start, end, label, text in s.entities:
            if label not in PERSON_LABELS:
                continue
            at = [k for k, t in enumerate(toks) if start <= t.idx < end]
            if not at:
                continue
            near = toks[max(0, at[0] - 3):at[0]] + toks[at[0]:at[-1] + 1]
            if at[-1] + 1 < len(toks) and toks[at[-1] + 1].text == ",":
                near += toks[at[-1] + 2:at[-1] + 10]  # "Tom Galligan, the mayor of X"
            office = any(t.lemma.lower() in words or t.text.lower() in words for t in near)
            for w in text.split():
                if w[:1].isupper():
                    out[w] = out.get(w, False) or office
    return out


#: A passive verb's marks, its agent ("by X", "par X") and the objects of a verb.
_PASSIVE_DEPS = frozenset({"nsubjpass", "nsubj:pass", "auxpass", "aux:pass"})
_AGENT_DEPS = frozenset({"agent", "obl:agent"})


def _agent(sentence: Sentence, children: Sequence[Token], lang: str) -> Token | None:
    """The agent among a passive verb's children: "by X" (English), "par X" (UD French)."""
    by = event_words(lang).agent_prepositions
    for tok in children:
        if tok.dep in _AGENT_DEPS or (tok.dep == "prep" and tok.lemma.lower() in by):
            # English hangs the noun on "by"; UD French hangs "par" on the noun.
            return next((t for t in sentence.tokens if t.head == tok.i and t.dep == "pobj"),
                        tok if tok.pos in {"NOUN", "PROPN", "PRON"} else None)
        if any(t.head == tok.i and t.dep == "case" and t.lemma.lower() in by
               for t in sentence.tokens):
            return tok
    return None


def _maker(sentence: Sentence, noun: Token) -> Token | None:
    """The subject of the verb a noun is the object of ("the FDA issued a warning")."""
    if noun.dep not in OBJECT_DEPS | {"obl:arg"} or noun.head == noun.i:
        return None
    return next((t for t in sentence.tokens if t.head == noun.head and t.i != noun.head
                 and t.dep in SUBJECT_DEPS), None)


def has_participants(sentence: Sentence, trigger: Token, lang: str) -> bool:
    """Whether a meeting or a probe told by a noun names who meets or probes.

    "talks with Syria", "the visit of the secretary of state", "Israeli-Palestinian
    talks", "the ministers held talks", "an inquiry by the FBI", "police opened
    an investigation" do; "Monday's meeting", "after the meeting", "the visit
    coincides with the convention", "as the investigation began" do not. A verb
    ("they met") does unless all it names are no actors ("after meeting with
    friends": an actor is an institution, a named person or a pronoun).

    Parameters
    ----------
    sentence : Sentence
    trigger : Token
    lang : str

    Returns
    -------
    bool
    """
    def actor(tok: Token) -> bool:
        return tok.pos == "PRON" or _institutional(sentence, tok, lang, _ACTOR_LABELS)

    words = event_words(lang)
    links = ((language_pack(lang).words("actors", "side_prepositions") - words.at) | words.of
             | words.agent_prepositions)
    linked = linked_nouns(sentence, trigger, links)  # "talks with Syria", "la visite du ministre"
    if trigger.pos != "NOUN":
        # "they met", "Peres met Mubarak"; not "after meeting with friends": those the
        # verb names, if any, include an actor.
        sides = [t for t in sentence.tokens if t.head == trigger.i and t.i != trigger.i
                 and t.dep in SUBJECT_DEPS | OBJECT_DEPS] + linked
        return not sides or any(actor(t) for t in sides)
    if any(actor(t) for t in linked) or any(
            t.head == trigger.i and t.i != trigger.i
            and t.dep in {"poss", "nmod:poss", "compound", "amod"} and actor(t)
            for t in sentence.tokens):
        return True  # "Peres's visit", "Israeli-Palestinian talks"
    who = _maker(sentence, trigger)  # "the ministers held talks"
    return who is not None and actor(who)


def has_standing(sentence: Sentence, trigger: Token, lang: str) -> bool:
    """Whether who accuses, demands, rejects or threatens is a named actor.

    The coding guide keeps these when an institution or a named person does
    them; a witness, a pronoun ("they blamed us") or a crowd does not make one.

    Parameters
    ----------
    sentence : Sentence
    trigger : Token
    lang : str

    Returns
    -------
    bool
        True also when an active verb has no subject ("warning residents").
        False for a passive without its agent ("two men accused of theft",
        "officers were blamed for three crashes": a charge, nobody named
        accusing) and for a noun that no one makes ("a shooting threat", "the
        request"): a noun's maker is its possessor or the subject of the verb
        it is the object of ("the FDA issued a warning").
    """
    children = [t for t in sentence.tokens if t.head == trigger.i and t.i != trigger.i]
    passive = trigger.pos in {"VERB", "AUX"} and (
        any(t.dep in _PASSIVE_DEPS for t in children)
        or (trigger.dep == "acl" and "VerbForm=Part" in trigger.morph
            and "Tense=Past" in trigger.morph))
    if passive:
        who = _agent(sentence, children, lang)
        return who is not None and _institutional(sentence, who, lang, _ACTOR_LABELS)
    who = speaker(sentence, trigger)
    if who is None and trigger.pos == "NOUN":
        who = _maker(sentence, trigger)
        if who is None:
            return False
    if who is None:
        return True
    return _institutional(sentence, who, lang, _ACTOR_LABELS)


def modal_unreported(sentence: Sentence, trigger: Token, speech: frozenset[str],
                     lang: str) -> bool:
    """Whether a modal trigger ("must", "doit") is nobody's demand: no speech reports it.

    "Russia must withdraw, the minister said" and "La Russie doit se retirer, a
    déclaré le ministre" are demands; "the mayor must present the budget" and "bids
    must be obtained" state an obligation nobody is calling for here.

    Parameters
    ----------
    sentence : Sentence
        The trigger's sentence.
    trigger : Token
        The trigger.
    speech : frozenset of str
        Lemmas of speech.
    lang : str
        The language: its ``speech.obligation_modals`` hold the modals.

    Returns
    -------
    bool
        True for a modal of ``speech.obligation_modals`` that no speech verb governs and
        that has no trailing reporting clause ("..., a déclaré X", "..., X said").
    """
    if trigger.lemma not in language_pack(lang).words("speech", "obligation_modals"):
        return False
    above = ancestors(sentence, trigger)[1:]
    if any(t.lemma in speech for t in above):
        return False
    clause = {trigger.i, *(t.i for t in above[:1] if trigger.dep.startswith("aux"))}
    for verb in sentence.tokens:
        if verb.head not in clause or verb.lemma not in speech or verb.i < trigger.i or \
                verb.dep not in {"parataxis", "ccomp", "conj"}:
            continue
        # "..., the minister said" reports it; "..., and he said he hoped" is a new clause.
        if verb.dep != "conj" or not any(t.dep == "cc" and t.head in clause | {verb.i}
                                         and trigger.i < t.i < verb.i
                                         for t in sentence.tokens):
            return False
    return True


#: Who a call is made to: its object, or the subject of the clause it asks for.
_ADDRESSEE_DEPS = frozenset({"dobj", "obj", "iobj", "dative", "obl:arg"})


def addresses_the_public(sentence: Sentence, trigger: Token, lang: str) -> bool:
    """Whether a call is an appeal to the public, not a demand on someone.

    "Police are asking the public to be alert", "asked that anyone who knew
    something come forward", "a appelé les habitants à rester chez eux": an
    appeal for help or caution, no demand on an actor.

    Parameters
    ----------
    sentence : Sentence
    trigger : Token
        A demand trigger.
    lang : str
        The language: its ``speech.public_addressees`` name the public.

    Returns
    -------
    bool
        True when the one the call is made to (the trigger's object, or the
        subject of the clause it asks for) is a word of the public.
    """
    public = language_pack(lang).words("speech", "public_addressees")
    toks = sentence.tokens
    told = [t for t in toks if t.head == trigger.i and t.i != trigger.i]
    addressees = [t for t in told if t.dep in _ADDRESSEE_DEPS]
    addressees += [s for c in told if c.dep in {"ccomp", "xcomp"}
                   for s in toks if s.head == c.i and s.dep in SUBJECT_DEPS]
    return any(t.lemma.lower() in public or t.text.lower() in public for t in addressees)


#: Dependencies of the clause a warning tells ("warned that ...", "warned them to ...").
_WARNED_DEPS = frozenset({"ccomp", "xcomp", "advcl", "parataxis"})


def warns_of_harm(sentence: Sentence, trigger: Token, lang: str) -> bool:
    """Whether a threat trigger threatens: a warning only when it tells what will be done.

    Parameters
    ----------
    sentence : Sentence
        The trigger's sentence.
    trigger : Token
        A threat trigger.
    lang : str
        The language: its ``speech.warnings`` are the words of a warning,
        ``speech.warning_cues`` the futures and conditions, and
        ``speech.warning_harms`` the harms ("retaliation") that make one a threat.

    Returns
    -------
    bool
        True for a trigger that is no warning word ("threatened", "ultimatum"), and
        for a warning whose clause (below it, or the one it trails: "..., a
        minister warned") holds a future, a conditional or a condition, or below
        which a harm is named. False for a warning to keep away or of a danger
        ("warned residents of the fire", "a warning on cantaloupes").
    """
    pack = language_pack(lang)
    if trigger.lemma.lower() not in pack.words("speech", "warnings"):
        return True
    cues, harms = pack.words("speech", "warning_cues"), pack.words("speech", "warning_harms")
    below = descendants(sentence, trigger, None)
    if any(t.lemma.lower() in harms for t in below):
        return True
    clauses = [t for t in below if t.head == trigger.i and t.dep in _WARNED_DEPS]
    if trigger.dep in _WARNED_DEPS and trigger.head != trigger.i:
        clauses += [t for t in sentence.tokens if t.i == trigger.head]
    told = [w for c in clauses for w in (c, *descendants(sentence, c, None))
            if w.i != trigger.i]
    return any(t.lemma.lower() in cues or t.text.lower() in cues
               or any(m in t.morph for m in _POSITION_MORPH) for t in told)


def _trails(sentence: Sentence, trigger: Token) -> bool:
    """The speech verb comes after what it reports ("..., police said.")."""
    for tok in sentence.tokens:
        if tok.head == trigger.i and tok.i < trigger.i and tok.dep in {
                "ccomp", "parataxis", "xcomp", "dep"}:
            return True
    return False


#: Clause dependencies of what a speech verb reports.
_CONTENT_DEPS = frozenset({"ccomp"})
#: Morphology of a clause that looks ahead or supposes: a position, not a fact.
_POSITION_MORPH = ("Tense=Fut", "Mood=Cnd")
#: Morphology of a clause that tells what happened (English past, French past and imperfect).
_PAST_MORPH = ("Tense=Past", "Tense=Imp")


def reports_a_fact(sentence: Sentence, trigger: Token, lang: str) -> bool:
    """Whether a speech verb's reported clause tells a fact rather than a position.

    Parameters
    ----------
    sentence : Sentence
        The sentence of the trigger.
    trigger : Token
        The speech verb.
    lang : str
        The document's language: its ``speech.positions`` words (modals, verbs of
        intention, negation) and ``speech.copulas`` mark a position.

    Returns
    -------
    bool
        True when the verb has a reported clause whose verb is a full verb (or a
        copula whose subject is counted: "12,700 customers were without power")
        in a past tense, with no word of position among its own words (its
        auxiliaries, negation, complements). False without such a clause.
    """
    pack = language_pack(lang)
    positions, copulas = pack.words("speech", "positions"), pack.words("speech", "copulas")
    clauses = [t for t in sentence.tokens if t.head == trigger.i and t.i != trigger.i
               and t.dep in _CONTENT_DEPS and t.pos in {"VERB", "AUX", "ADJ"}]
    if not clauses:
        return False
    for verb in clauses:
        # a copula or an adjective ("étaient privés") tells an assessment ("the strike
        # was a crime"), unless its subject is counted
        if any(m in verb.morph for m in _POSITION_MORPH) or (
                (verb.lemma in copulas or verb.pos == "ADJ")
                and not _counted_subject(sentence, verb)):
            return False
        tensed = [verb, *(t for t in sentence.tokens
                          if t.head == verb.i and t.dep.startswith("aux"))]
        if not any(m in t.morph for t in tensed for m in _PAST_MORPH):
            return False  # "said: 'I share the joy'": what is said now is a position
        own = [t for t in sentence.tokens if t.head == verb.i and t.i != verb.i
               and t.dep not in SUBJECT_DEPS]
        if verb.lemma in positions or any(
                t.lemma.lower() in positions or t.text.lower() in positions
                or any(m in t.morph for m in _POSITION_MORPH) for t in own):
            return False
    return True


def _counted_subject(sentence: Sentence, verb: Token) -> bool:
    """Whether a clause's subject is counted ("about 12,700 customers were without power")."""
    subjects = [t for t in sentence.tokens if t.head == verb.i and t.dep in SUBJECT_DEPS]
    return any(_a_number(t) or any(c.head == t.i and _a_number(c) and c.dep in {
        "nummod", "det"} for c in sentence.tokens) for t in subjects)


def _a_number(tok: Token) -> bool:
    """A numeral, in words or digits ("12,700"; "12 000", which the French model calls a DET)."""
    return tok.pos == "NUM" or tok.text[:1].isdigit()


def is_formal_statement(sentence: Sentence, trigger: Token, others: Sequence[str],
                        lang: str, families: Sequence[str],
                        persons: Mapping[str, bool] | None = None) -> bool:
    """Whether a statement trigger tells a formal position of an institution.

    Parameters
    ----------
    sentence : Sentence
        The sentence of the trigger.
    trigger : Token
        The statement's trigger ("said", "a déclaré", "the announcement").
    others : sequence of str
        The types of the other events the sentence tells.
    lang : str
        The document's language (its pack holds the institutional words).
    families : sequence of str
        The families of ``others``, aligned.
    persons : mapping of str to bool, optional
        The words of the document's person names and whether each holds an
        office (:func:`person_words`): a speaker named by one of them alone, with
        no office, is a private person.

    Returns
    -------
    bool
        False when a plain reporting verb ("said", "a indiqué") sits beside
        another event that is not speech (the saying is that event's source),
        when the speech word trails what it reports, or when no institution
        speaks (a person without an office, a pronoun). A formal act
        ("confirmed", "announced") beside the fact it confirms stays a statement.
    """
    reporting = language_pack(lang).words("speech", "reporting")
    plain = trigger.lemma in reporting or trigger.text.lower() in reporting
    if plain and any(f != "verbal" for f in families):
        return False
    if plain and trigger.dep == "parataxis" and trigger.head < trigger.i:
        return False  # "..., a indiqué la police": an aside on what it reports, its source
    if _trails(sentence, trigger):
        return False
    if plain and reports_a_fact(sentence, trigger, lang):
        return False
    who = speaker(sentence, trigger)
    if who is None:
        return trigger.pos == "NOUN"  # "the ministry's announcement": the noun's own holder
    return _institutional(sentence, who, lang, persons=persons)
