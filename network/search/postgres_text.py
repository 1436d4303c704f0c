"""The PostgreSQL backend's vectors and queries, written from the same Danish analysis as Whoosh's index.

PostgreSQL's own ``danish`` configuration would stem the words but know nothing of compounds,
derivations or the network's synonyms; a configuration with a dictionary would need files on the
database server. So the application writes the ``tsvector`` and the ``tsquery`` itself, as
literals (which PostgreSQL takes as they are, without parsing them again): a word's own term and,
at the same position, its parts and sources; a query word as any of its alternatives.

A tsvector has four weights, not fractions: a word's own term takes its field's weight (title A,
problem B, body C, reports D) and a part or source the next lower one, so the word as written still
ranks first, as in Whoosh.
"""

import re
import typing as t

from network.search.analysis import WORD_PATTERN, analyze, fold, indexed_words, query_alternatives

MAX_POSITION = 16383  # PostgreSQL keeps positions up to this; later words share it
MAX_POSITIONS = 255  # positions kept per term in a vector (PostgreSQL's limit is 256)
MAX_TERM = 200  # characters: longer "words" are ids or noise (PostgreSQL refuses terms of 2 KB)
LOWER_WEIGHT = {"A": "B", "B": "C", "C": "D", "D": "D"}


def quoted(term: str) -> str:
    """A term as a tsvector or tsquery literal lexeme."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def vector_literal(fields: t.Iterable[tuple[str, str]]) -> str:
    """A tsvector literal of these (text, weight) fields, positions counted on across them."""
    positions: dict[str, list[str]] = {}
    position = 0
    for text, weight in fields:
        for terms in indexed_words(text):
            position = min(position + 1, MAX_POSITION)
            for term, term_weight in terms:
                if len(term) <= MAX_TERM:
                    found = positions.setdefault(term, [])
                    if len(found) < MAX_POSITIONS:
                        found.append(f"{position}{weight if term_weight >= 1 else LOWER_WEIGHT[weight]}")
    return " ".join(f"{quoted(term)}:{','.join(places)}" for term, places in positions.items())


class QueryText(t.NamedTuple):
    """A member's query as tsquery literals: what to match, and the typed words alone (for ranking)."""

    match: str
    typed: str
    terms: frozenset[str]  # every term asked for, to mark in snippets
    prefixes: tuple[str, ...]  # folded prefixes of prefix* words, likewise


_TOKEN = re.compile(r'"([^"]*)"?|(' + WORD_PATTERN + r")(\*?)")


def query_text(q: str, use_or: bool = False) -> QueryText | None:
    """The query as the Whoosh parser reads it: its words all required (any with ``use_or``),
    "phrases", prefix*, and OR and NOT between and before items; None when no word is left."""
    groups: list[list[str]] = []  # joined by AND (OR with use_or); the items of a group by OR
    typed: list[str] = []
    terms: set[str] = set()
    prefixes: list[str] = []
    negate = join_or = False
    for match in _TOKEN.finditer(q):
        phrase, word, star = match.groups()
        if word in ("AND", "OR", "NOT") and not star:
            join_or, negate = join_or or word == "OR", negate or word == "NOT"
            continue
        if phrase is not None:
            words = analyze(fold(phrase))
            item = " <-> ".join(quoted(term) for term in words) if words else None
            typed += words
            terms.update(words)
        elif star:
            prefixes.append(fold(word.lower()))
            item = f"{quoted(prefixes[-1])}:*"
        else:
            item = _word(word, typed, terms)
        if item is None:
            continue
        item = f"!({item})" if negate else f"({item})"
        if join_or and groups:
            groups[-1].append(item)
        else:
            groups.append([item])
        negate = join_or = False
    if not groups:
        return None
    match_text = (" | " if use_or else " & ").join(f"({' | '.join(group)})" for group in groups)
    typed_text = " | ".join(quoted(term) for term in dict.fromkeys(typed)) or match_text
    return QueryText(match_text, typed_text, frozenset(terms), tuple(prefixes))


def _word(word: str, typed: list[str], terms: set[str]) -> str | None:
    """One typed word as any of its alternatives; None for a stop word."""
    from network.search.analysis import is_stopword

    if is_stopword(word.lower()):
        return None
    alternatives = query_alternatives(word)
    choices = []
    for alternative in alternatives:
        quoted_terms = [quoted(term) for term in alternative.terms]
        joiner = " <-> " if alternative.phrase else " & "
        choices.append(quoted_terms[0] if len(quoted_terms) == 1 else f"({joiner.join(quoted_terms)})")
        terms.update(alternative.terms)
    typed.append(alternatives[0].terms[0])
    return " | ".join(choices)
