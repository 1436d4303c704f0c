"""Matching and ranking from postings read once (network/search/whoosh_ranking.py) against Whoosh's own.

The fast path reads Whoosh's postings blocks directly and computes BM25F itself; these tests hold
it to what Whoosh's public, slower interface answers on the same index: the same documents for
every query shape members can type, the same scores for words, and the same postings.
"""

import math

import numpy as np
import pytest
from whoosh import formats
from whoosh.fields import TEXT, Schema
from whoosh.qparser import AndGroup, OrGroup
from whoosh.query import AndNot, Phrase

from bench.corpus import documents
from network.search import whoosh_backend
from network.search.analysis import danish_analyzer, fold, pair_analyzer
from network.search.backend import SearchQuery
from network.search.whoosh_backend import WhooshBackend
from network.search.whoosh_ranking import (
    Ranking,
    SegmentColumns,
    decode_positions,
    term_positions,
    term_postings,
)
from network.search.whoosh_schema import FIELD_BOOSTS, PAIR_FIELD, PHRASE_FIELD, TEXT_FIELDS, make_schema

QUERIES = (
    "motivation",
    "lærerne feedback",
    "eleverne praktikken trivsel",
    "fravær OR trivsel",
    "motivation NOT feedback",
    "motivation ANDNOT trivsel",
    "motivation ANDMAYBE feedback",
    "(trivsel OR fravær) AND værkstedet",
    "evaluer*",
    "l?rerne",
    '"i praktikken"',
    '"lærernes motivation"',
    '"eleverne i praktikken" trivsel',
    '"motivation eleverne"~3',
    '"eleverne i praktikken og trivsel"',
    '"trivsel praktikken"',
    "zebraer",
    '"zebraer i praktikken"',
)


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> WhooshBackend:
    """400 corpus documents in several segments, some replaced (deleted in their old segment)."""
    backend = WhooshBackend(str(tmp_path_factory.mktemp("index")))
    corpus = list(documents(400, seed=7))
    backend.rebuild(corpus[:300])
    for start in (300, 350):
        with backend.writing(timeout=10) as writer:
            backend.apply_with(writer, corpus[start : start + 50], [])
    with backend.writing(timeout=10) as writer:  # updates: the old versions stay as deleted documents
        backend.apply_with(writer, corpus[10:40], ["project:1", "case:1"])
    return backend


def parse(backend: WhooshBackend, text: str, group=AndGroup):
    searcher = backend.searcher()
    return backend._parser(searcher.schema, group).parse(fold(text))


def numbers(mask) -> set[int]:
    """The document numbers a mask holds."""
    return set(np.flatnonzero(mask).tolist())


def as_whoosh_can(query):
    """The query with phrases asked of the field that keeps positions, as our ranking does."""

    def move(part):
        if isinstance(part, Phrase):
            return Phrase(PHRASE_FIELD, part.words, slop=part.slop, boost=part.boost)
        return part

    return query.accept(move)


def test_the_index_has_several_segments_and_deletions(backend):
    searcher = backend.searcher()
    assert len(searcher.leaf_searchers()) > 1
    assert any(leaf.reader().has_deletions() for leaf, _offset in searcher.leaf_searchers())


def test_postings_read_by_blocks_are_whooshs_own(backend):
    searcher = backend.searcher()
    checked_long = checked_short = 0
    for leaf, _offset in searcher.leaf_searchers():
        reader = leaf.reader()
        for field in ("body", "title", PHRASE_FIELD):
            for term in list(reader.lexicon(field))[::37]:
                matcher = reader.postings(field, term)
                expected_ids, expected_weights, expected_values = [], [], []
                while matcher.is_active():
                    expected_ids.append(matcher.id())
                    expected_weights.append(matcher.weight())
                    expected_values.append(matcher.value())
                    matcher.next()
                ids, weights = term_postings(reader, field, term)
                assert (ids.tolist(), weights.tolist()) == (expected_ids, expected_weights), (field, term)
                if field == PHRASE_FIELD:
                    expected = dict(zip(expected_ids, expected_values, strict=True))
                    assert term_positions(reader, field, term) == expected
                checked_long += len(ids) > 128  # more than one block
                checked_short += len(ids) < 5
    assert checked_long and checked_short


@pytest.mark.parametrize(
    "positions", [[0], [3, 49], [0, 1, 2, 3], [46], list(range(0, 5000, 7)), [1, 47, 93, 300000]]
)
def test_positions_are_decoded_as_whoosh_does(positions):
    value = formats.Positions().encode(positions)
    assert list(decode_positions(value)) == formats.Positions().decode_positions(value) == positions


def whoosh_docs(searcher, query) -> set[int]:
    """The documents Whoosh matches; "a ANDNOT b" as its matches of a less its matches of b.

    Whoosh's own AndNot matcher keeps a document that its b matches when the query words have their
    alternatives (derivations, synonyms): it skips past it at a segment's end. Its meaning is a - b.
    """
    if isinstance(query, AndNot):
        return whoosh_docs(searcher, query.a) - whoosh_docs(searcher, query.b)
    return set(searcher.docs_for_query(query))


@pytest.mark.parametrize("text", QUERIES)
def test_matches_are_whooshs_for_every_query_shape(backend, text):
    searcher = backend.searcher()
    for group in (AndGroup, OrGroup):
        query = parse(backend, text, group)
        ranking = Ranking(searcher, SegmentColumns(), PHRASE_FIELD, PAIR_FIELD)
        expected = whoosh_docs(searcher, as_whoosh_can(query))
        assert numbers(ranking.docs(query)) == expected, (text, query)


@pytest.mark.parametrize("text", ["motivation", "lærerne feedback", "fravær trivsel værkstedet", "trivsel"])
@pytest.mark.parametrize("group", [AndGroup, OrGroup])
def test_word_scores_are_whooshs_bm25f(backend, text, group):
    searcher = backend.searcher()
    query = parse(backend, text, group)
    ranking = Ranking(searcher, SegmentColumns(), PHRASE_FIELD, PAIR_FIELD)
    matched = ranking.docs(query)
    expected = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
    assert len(expected) >= 3 and set(expected) == numbers(matched)
    scores = ranking.scores(query, matched)
    for docnum, score in expected.items():
        assert math.isclose(scores[docnum], score, rel_tol=1e-6), docnum
    best = [docnum for docnum, _score in ranking.best(query, matched, 10)]
    assert [scores[d] for d in best] == sorted((scores[d] for d in numbers(matched)), reverse=True)[:10]


def test_a_phrase_ranks_where_its_words_weigh_most(backend):
    searcher = backend.searcher()
    query = parse(backend, '"i praktikken"')
    ranking = Ranking(searcher, SegmentColumns(), PHRASE_FIELD, PAIR_FIELD)
    matched = ranking.docs(query)
    assert matched.any()
    best = ranking.best(query, matched, len(numbers(matched)))
    assert all(score > 0 for _doc, score in best)
    assert [score for _doc, score in best] == sorted((score for _doc, score in best), reverse=True)


def test_newest_first_follows_the_stored_dates(backend):
    searcher = backend.searcher()
    ranking = Ranking(searcher, SegmentColumns(), PHRASE_FIELD, PAIR_FIELD)
    matched = ranking.docs(parse(backend, "motivation"))
    newest = [doc for doc, _score in ranking.newest(matched, 15)]
    dates = [searcher.stored_fields(doc)["date"] for doc in newest]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == max(searcher.stored_fields(doc)["date"] for doc in numbers(matched))


def test_search_results_page_through_the_ranking(backend):
    first = backend.search(SearchQuery(q="motivation", per_page=5))
    second = backend.search(SearchQuery(q="motivation", per_page=5, page=2))
    assert first.total == second.total > 10
    scores = [hit.score for hit in first.hits + second.hits]
    assert scores == sorted(scores, reverse=True)
    assert len({h.object_id for h in first.hits + second.hits}) == 10
    assert all("<mark>" in hit.snippet for hit in first.hits)


def test_a_parallel_rebuild_answers_as_a_single_process_one(tmp_path, monkeypatch):
    monkeypatch.setattr(whoosh_backend, "PARALLEL_FROM", 100)
    corpus = list(documents(250, seed=3))
    single, parallel = WhooshBackend(str(tmp_path / "one")), WhooshBackend(str(tmp_path / "two"))
    assert single.rebuild(corpus) == parallel.rebuild(corpus, processes=2) == 250
    assert len(parallel.searcher().leaf_searchers()) == 2  # one segment per writer process
    assert single.keys() == parallel.keys()
    for text in ("motivation trivsel", '"i praktikken"', "feedback"):
        one, two = single.search(SearchQuery(q=text)), parallel.search(SearchQuery(q=text))
        assert one.total == two.total and one.facets == two.facets
        # the same scores; documents that tie may come in another order (segments differ)
        assert [round(h.score, 9) for h in one.hits] == [round(h.score, 9) for h in two.hits]
        scores = {h.object_id: round(h.score, 9) for h in one.hits}
        assert all(scores.get(h.object_id, round(h.score, 9)) == round(h.score, 9) for h in two.hits)


def schema_before_the_phrase_field() -> Schema:
    """The schema of indexes built before 2026-11-22's speed work: positions in every text field."""
    schema = make_schema()
    for name in (PHRASE_FIELD, PAIR_FIELD, *TEXT_FIELDS):
        schema.remove(name)
    for name in TEXT_FIELDS:
        schema.add(name, TEXT(analyzer=danish_analyzer(), stored=True, field_boost=FIELD_BOOSTS[name]))
    return schema


def test_an_index_built_before_the_phrase_field_keeps_working(tmp_path, monkeypatch):
    monkeypatch.setattr(whoosh_backend, "make_schema", schema_before_the_phrase_field)
    fields_of_today = whoosh_backend.document_fields
    monkeypatch.setattr(
        whoosh_backend,
        "document_fields",
        lambda doc: {k: v for k, v in fields_of_today(doc).items() if k not in (PHRASE_FIELD, PAIR_FIELD)},
    )
    backend = WhooshBackend(str(tmp_path))
    corpus = list(documents(60, seed=5))
    backend.rebuild(corpus[:50])
    monkeypatch.undo()  # the code of today, the index of before
    assert PHRASE_FIELD not in backend.searcher().schema
    with backend.writing(timeout=10) as writer:  # a drain writes today's fields into it
        backend.apply_with(writer, corpus[50:], [])
    assert len(backend.keys()) == 60
    searcher = backend.searcher()
    for text in ('"i praktikken"', "motivation trivsel", "evaluer*"):
        query = parse(backend, text)
        ranking = Ranking(searcher, SegmentColumns(), PHRASE_FIELD, PAIR_FIELD)
        assert numbers(ranking.docs(query)) == set(searcher.docs_for_query(query))
    assert backend.search(SearchQuery(q='"i praktikken"')).total > 0
    assert set(TEXT_FIELDS) <= set(searcher.schema.names())
    newest = backend.search(SearchQuery(q="motivation", sort="date")).hits
    assert [h.date for h in newest] == sorted((h.date for h in newest), reverse=True)


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("", []),
        ("Et", []),  # a stop word only
        ("motivation", []),
        ("Lærernes motivation og trivsel", ["laer motivation", "motivation trivsel"]),
    ],
)
def test_pairs_are_neighbouring_words_without_stop_words(text, pairs):
    assert [token.text for token in pair_analyzer()(text)] == pairs
