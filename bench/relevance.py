"""How well the search ranks: success@5, recall@5 and MRR on the Danish relevance set, on both backends.

    python -m bench.relevance [--no-postgres] [--misses]

The documents and queries are in bench/relevance_set.py. Each backend indexes the documents through
its own ``rebuild`` and answers each query as the search page does (``service.find``: the
backend's search, then "Mente du …?" and its hits when nothing matched). PostgreSQL runs on a fresh
database that is migrated and dropped afterwards (BENCH_POSTGRES_URL, as bench/search.py).

- success@5: the share of queries with at least one relevant document in the top 5;
- recall@5: the share of a query's relevant documents in its top 5, averaged over queries;
- MRR: 1 / the rank of the first relevant document in the first page of 10 (0 when none), averaged.
"""

import argparse
import collections
import tempfile
from pathlib import Path

from bench.relevance_set import DOCUMENTS, QUERIES, Judged
from bench.search import postgres_admin_url, postgres_search
from network.search.backend import SearchQuery

TOP = 5


def ranked_ids(index, query: str) -> list[int]:
    """The first page's document ids, as the search page would show them."""
    from network.search import service

    results = service.find(index, SearchQuery(q=query, per_page=10), visible=set)
    return [hit.object_id for hit in results.hits]


def scores(answers: dict[str, list[int]], judged: list[Judged]) -> dict[str, float]:
    """success@5, recall@5 and MRR of these answers."""
    success = recall = reciprocal = 0.0
    for item in judged:
        ranked = answers[item.query]
        found = set(ranked[:TOP]) & set(item.relevant)
        success += bool(found)
        recall += len(found) / len(item.relevant)
        first = next((rank for rank, doc in enumerate(ranked, 1) if doc in item.relevant), None)
        reciprocal += 1 / first if first else 0.0
    n = len(judged)
    return {"success@5": success / n, "recall@5": recall / n, "MRR": reciprocal / n}


def run_whoosh(folder: Path) -> dict[str, list[int]]:
    from network.search.whoosh_backend import WhooshBackend

    index = WhooshBackend(str(folder))
    index.rebuild(DOCUMENTS)
    return {item.query: ranked_ids(index, item.query) for item in QUERIES}


def run_postgres(admin_url: str, folder: Path) -> dict[str, list[int]]:
    from network.db import db

    with postgres_search(admin_url, folder, "bench_relevance") as index:
        index.rebuild(DOCUMENTS)
        db.session.commit()
        return {item.query: ranked_ids(index, item.query) for item in QUERIES}


def table(results: dict[str, dict[str, list[int]]]) -> str:
    """Markdown: the three measures per backend, overall and per kind of query."""
    names = list(results)
    header = "| queries | n | " + " | ".join(f"{b} success@5 | {b} recall@5 | {b} MRR" for b in names) + " |"
    lines = [header, "|---" * (2 + 3 * len(names)) + "|"]
    by_kind = collections.defaultdict(list)
    for item in QUERIES:
        by_kind[item.kind].append(item)
    for label, judged in [("all", QUERIES), *by_kind.items()]:
        cells = []
        for name in names:
            measured = scores(results[name], judged)
            cells += [f"{measured[m]:.2f}" for m in ("success@5", "recall@5", "MRR")]
        lines.append(f"| {label} | {len(judged)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def misses(results: dict[str, dict[str, list[int]]]) -> str:
    """The queries whose top 5 lacks a relevant document, or whose first hit is not relevant."""
    lines = []
    for name, answers in results.items():
        for item in QUERIES:
            ranked = answers[item.query]
            missing = set(item.relevant) - set(ranked[:TOP])
            if missing or not ranked or ranked[0] not in item.relevant:
                lines.append(
                    f"{name}: {item.kind} {item.query!r}: top {ranked[:TOP]}, relevant {item.relevant}"
                )
    return "\n".join(lines) or "no misses"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list the queries that fall short")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["Whoosh"] = run_whoosh(Path(tmp) / "whoosh")
        admin_url = None if args.no_postgres else postgres_admin_url()
        if admin_url:
            results["PostgreSQL"] = run_postgres(admin_url, Path(tmp))
    print(f"{len(QUERIES)} queries over {len(DOCUMENTS)} documents\n")
    print(table(results))
    if args.misses:
        print("\n" + misses(results))


if __name__ == "__main__":
    main()
