"""The relevance set (bench/relevance_set.py) on both backends: compounds and derivations rank alike."""

import pytest

from bench.relevance_set import DOCUMENTS, QUERIES
from network.db import db
from network.search import service
from network.search.backend import SearchQuery
from network.search.whoosh_backend import WhooshBackend


@pytest.fixture(autouse=True)
def _postgres_only(search_backend: str) -> None:
    if search_backend != "postgres":
        pytest.skip("compares the PostgreSQL backend with Whoosh")


def top(index, q: str) -> list[int]:
    return [hit.object_id for hit in service.find(index, SearchQuery(q=q, per_page=5), visible=set).hits]


def test_both_backends_give_the_same_top_hits_for_compounds_and_derivations(factory, tmp_path):
    # factory: for its app context
    postgres = service.backend()
    postgres.rebuild(DOCUMENTS)
    db.session.commit()
    whoosh = WhooshBackend(str(tmp_path / "whoosh"))
    whoosh.rebuild(DOCUMENTS)
    for item in QUERIES:
        if item.kind not in ("compound", "derivation"):
            continue
        from_whoosh, from_postgres = top(whoosh, item.query), top(postgres, item.query)
        # The same relevant documents in the top 5, both led by a relevant one; the order may differ
        # where BM25F and ts_rank_cd weigh a part in a title against the word itself in the text.
        assert from_whoosh[0] in item.relevant and from_postgres[0] in item.relevant, item
        relevant = set(item.relevant)
        assert relevant & set(from_whoosh) == relevant & set(from_postgres), item
