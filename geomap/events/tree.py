"""Walking a sentence's dependency tree: heads, paths and the tokens that stand for mentions.

Every concern of event detection reads the parse the same way; these are the
shared walks, written once.
"""

from __future__ import annotations

from collections.abc import Collection

from ..records import Mention, Sentence, Token

__all__ = ["OBJECT_DEPS", "SUBJECT_DEPS", "ancestors", "descendants", "clause_verb",
           "head_token", "is_subject_conj", "linked_nouns", "path_length", "token_at"]

#: Dependency labels of a clause's subject (spaCy's English and UD French labels).
SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass", "nsubjpass", "csubj", "expl:subj"})
#: Dependency labels of a verb's direct object (spaCy's English and UD French labels).
OBJECT_DEPS = frozenset({"dobj", "obj"})


def linked_nouns(sentence: Sentence, holder: Token, preps: Collection[str]) -> list[Token]:
    """List the nouns hanging on ``holder`` through one of ``preps``.

    spaCy's English hangs a preposition on the word and its noun on the
    preposition ("talks with Syria": prep, then pobj); UD French hangs the noun
    on the word and its case word on the noun ("discussions avec Kiev": nmod or
    obl, with case). A preposition counts by its text or its lemma.

    Parameters
    ----------
    sentence : Sentence
    holder : Token
        The word the nouns hang on.
    preps : collection of str
        Lower-cased prepositions.

    Returns
    -------
    list of Token
    """
    toks = sentence.tokens

    def listed(t: Token) -> bool:
        return t.text.lower() in preps or t.lemma.lower() in preps

    found: list[Token] = []
    for t in toks:
        if t.head != holder.i or t.i == holder.i:
            continue
        if t.dep == "prep" and listed(t):
            found += [c for c in toks if c.head == t.i and c.dep == "pobj"]
        elif t.dep.split(":")[0] in {"nmod", "obl"} and any(
                c.head == t.i and c.dep == "case" and listed(c) for c in toks):
            found.append(t)
    return found


def ancestors(sentence: Sentence, tok: Token, limit: int = 30) -> list[Token]:
    """List ``tok`` and its heads up to the root.

    Parameters
    ----------
    sentence : Sentence
        The sentence ``tok`` belongs to.
    tok : Token
        Where to start.
    limit : int
        At most this many tokens (a guard against cyclic parses).

    Returns
    -------
    list of Token
        ``tok`` first, the root (or the last head within the limit) last.
    """
    by_i = {t.i: t for t in sentence.tokens}
    out = [tok]
    while tok.head != tok.i and tok.head in by_i and len(out) < limit:
        tok = by_i[tok.head]
        out.append(tok)
    return out


def clause_verb(sentence: Sentence, tok: Token) -> Token:
    """Find the nearest verb governing ``tok`` (``tok`` itself if it is one).

    Parameters
    ----------
    sentence : Sentence
        The sentence of ``tok``.
    tok : Token
        A token of it.

    Returns
    -------
    Token
        A verb or auxiliary, or the root when no verb governs ``tok``.
    """
    by_i = {t.i: t for t in sentence.tokens}
    t, steps = tok, 0
    while t.pos not in {"VERB", "AUX"} and t.head != t.i and t.head in by_i and steps < 20:
        t, steps = by_i[t.head], steps + 1
    return t


def head_token(sentence: Sentence, mention: Mention) -> Token | None:
    """Find the token that heads a mention in the parse.

    Parameters
    ----------
    sentence : Sentence
        The sentence the mention is in.
    mention : Mention
        A span of the sentence.

    Returns
    -------
    Token or None
        The first token of the span whose head lies outside it, else its first
        token; None when no token starts inside the span.
    """
    inside = [t for t in sentence.tokens if mention.start <= t.idx < mention.end]
    ids = {t.i for t in inside}
    for t in inside:
        if t.head not in ids or t.head == t.i:
            return t
    return inside[0] if inside else None


def path_length(sentence: Sentence, a: Token, b: Token) -> int:
    """Count the dependency links between two tokens.

    Parameters
    ----------
    sentence : Sentence
        The sentence of both tokens.
    a, b : Token
        The two ends.

    Returns
    -------
    int
        The number of links through their nearest common head; 99 when they
        share none.
    """
    ca = [t.i for t in ancestors(sentence, a, 50)]
    cb = [t.i for t in ancestors(sentence, b, 50)]
    common = set(ca) & set(cb)
    if not common:
        return 99
    return min(ca.index(c) + cb.index(c) for c in common)


def is_subject_conj(sentence: Sentence, tok: Token) -> bool:
    """Tell whether ``tok`` is coordinated with a subject ("Russia and Belarus said").

    Parameters
    ----------
    sentence : Sentence
        The sentence of ``tok``.
    tok : Token
        A token of it.

    Returns
    -------
    bool
        True when the head of ``tok`` is a subject.
    """
    by_i = {t.i: t for t in sentence.tokens}
    head = by_i.get(tok.head)
    return head is not None and head.dep in SUBJECT_DEPS


def token_at(sentence: Sentence, offset: int) -> Token | None:
    """Find the token covering a character offset of the document.

    Parameters
    ----------
    sentence : Sentence
        The sentence to look in.
    offset : int
        A character offset into the document text.

    Returns
    -------
    Token or None
        The token whose text covers ``offset``, if any.
    """
    for tok in sentence.tokens:
        if tok.idx <= offset < tok.idx + max(1, len(tok.text)):
            return tok
    return None


def descendants(sentence: Sentence, root: Token, deps: Collection[str] | None, *,
                any_child: bool = False) -> list[Token]:
    """Collect the tokens below ``root`` reached through dependencies in ``deps``.

    Parameters
    ----------
    sentence : Sentence
        The sentence of ``root``.
    root : Token
        Where the walk starts (not itself in the result).
    deps : collection of str or None
        The dependencies the walk follows; None follows every one (the subtree).
    any_child : bool
        Take every direct child of ``root`` whatever its dependency, and
        follow ``deps`` only below them.

    Returns
    -------
    list of Token
    """
    by_head: dict[int, list[Token]] = {}
    for t in sentence.tokens:
        if t.i != t.head:
            by_head.setdefault(t.head, []).append(t)
    out: list[Token] = []
    todo = [k for k in by_head.get(root.i, ()) if any_child or deps is None or k.dep in deps]
    while todo:
        t = todo.pop()
        out.append(t)
        todo.extend(k for k in by_head.get(t.i, ()) if deps is None or k.dep in deps)
    return out
