"""A member's query as a Whoosh query: words, quoted phrases and prefix*, each word with its alternatives.

Whoosh's parser makes each typed word a term in each of the four weighted text fields. Each such
word is then widened to what ``analysis.query_alternatives`` says it asks for: itself, what it
derives from and its synonyms (any one of them), and a compound's parts (all of them), each with
its lower weight, in the ``related`` field that holds all the text with its parts and sources.
Phrases and prefixes are left as typed.
"""

import typing as t

from whoosh.fields import Schema
from whoosh.qparser import QueryParser
from whoosh.qparser import plugins as qplugins
from whoosh.query import And, Or, Phrase, Query, Term

from network.search.analysis import query_alternatives
from network.search.whoosh_schema import FIELD_BOOSTS, RELATED_BOOST, RELATED_FIELD, TEXT_FIELDS


class DanishParser(QueryParser):
    """Whoosh's multi-field parser without field names and boosts, remembering each typed word."""

    def __init__(self, schema: Schema, group: t.Any) -> None:
        super().__init__(None, schema, group=group)  # as whoosh.qparser.MultifieldParser builds it
        self.add_plugin(qplugins.MultifieldPlugin(list(TEXT_FIELDS), fieldboosts=FIELD_BOOSTS))
        # Members type words, quotes and prefix*; field names and boosts would only surprise them.
        for plugin in (qplugins.FieldsPlugin, qplugins.BoostPlugin, qplugins.RangePlugin):
            self.remove_plugin_class(plugin)
        self.typed: dict[str, str] = {}  # a word's own index term → the word as typed

    def term_query(self, fieldname, text, termclass, boost=1.0, tokenize=True, removestops=True):
        query = super().term_query(fieldname, text, termclass, boost, tokenize, removestops)
        if termclass is Term and isinstance(query, Term) and fieldname in TEXT_FIELDS:
            self.typed.setdefault(query.text, text)
        return query

    def parse(self, text: str, normalize: bool = True, debug: bool = False) -> Query:
        """The query with each typed word widened to its alternatives (indexes built before the
        ``related`` field have none: `network reindex` adds it)."""
        self.typed = {}
        query = super().parse(text, normalize=normalize, debug=debug)
        return _widen(query, self.typed) if RELATED_FIELD in self.schema else query


def _widen(query: Query, typed: dict[str, str]) -> Query:
    word = _typed_word(query, typed)
    if word is not None:
        return Or([query, *alternatives_query(word)])
    if isinstance(query, Term | Phrase) or not hasattr(query, "apply"):
        return query
    return query.apply(lambda child: _widen(child, typed))


def _typed_word(query: Query, typed: dict[str, str]) -> str | None:
    """The typed word when ``query`` is the parser's question for one word in the text fields."""
    terms = query.subqueries if isinstance(query, Or) else [query]
    if not terms or not all(isinstance(q, Term) and q.fieldname in TEXT_FIELDS for q in terms):
        return None
    if len({q.text for q in terms}) != 1:
        return None
    return typed.get(terms[0].text)


def alternatives_query(word: str) -> list[Query]:
    """The word and its alternatives in the ``related`` field, each at its weight.

    The word itself too: there it is found where the text has it as a compound's part or a source.
    """
    found: list[Query] = []
    for alternative in query_alternatives(word):
        boost = RELATED_BOOST * alternative.weight
        if alternative.phrase:
            found.append(Phrase(RELATED_FIELD, list(alternative.terms), boost=boost))
        elif len(alternative.terms) == 1:
            found.append(Term(RELATED_FIELD, alternative.terms[0], boost=boost))
        else:  # a compound's parts: every one of them
            found.append(And([Term(RELATED_FIELD, term, boost=boost) for term in alternative.terms]))
    return found
