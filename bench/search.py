"""Search benchmarks: Whoosh (the product's backend, with facets and highlights) beside SQLite FTS5.

    python -m bench.search [--sizes 10000 100000] [--queries 200] [--out docs/benchmarks.md]

FTS5 indexes the same pre-stemmed tokens (network.search.analysis.analyze), so both engines do the
same linguistic work; FTS5 is the in-process baseline the ratios are given against. PostgreSQL is
measured when BENCH_POSTGRES_URL is set (not yet implemented: see docs/benchmarks.md).
"""

import argparse
import platform
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from bench.corpus import SCHOOLS, VOCABULARY, documents
from network.search.analysis import analyze
from network.search.backend import SearchQuery
from network.search.service import did_you_mean
from network.search.whoosh_backend import WhooshBackend

WORDS = (
    "motivation",
    "fravær",
    "feedback",
    "trivsel",
    "lærerne",
    "eleverne",
    "praktikken",
    "samarbejdet",
    "progressionen",
    "værkstedet",
    "teamsamarbejdet",
    "evalueringen",
    "klasserumsledelse",
)


def query_sets(rng: random.Random, n: int) -> dict[str, list[SearchQuery]]:
    return {
        "1 ord": [SearchQuery(q=rng.choice(WORDS)) for _ in range(n)],
        "2 ord": [SearchQuery(q=" ".join(rng.sample(WORDS, 2))) for _ in range(n)],
        "3 ord": [SearchQuery(q=" ".join(rng.sample(WORDS, 3))) for _ in range(n)],
        "frase": [SearchQuery(q=f'"{rng.choice(WORDS)} og {rng.choice(VOCABULARY[:20])}"') for _ in range(n)],
        "filter + facetter": [
            SearchQuery(q=rng.choice(WORDS), school=rng.choice(SCHOOLS), tool="motivation") for _ in range(n)
        ],
    }


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95) - 1] * 1000


def bench_whoosh(folder: Path, size: int, queries: dict) -> dict:
    backend = WhooshBackend(str(folder))
    started = time.perf_counter()
    backend.rebuild(documents(size))
    bulk = size / (time.perf_counter() - started)
    doc = next(documents(1, seed=99))
    doc.object_id = size // 2
    update_times = []
    for _ in range(5):
        started = time.perf_counter()
        with backend.writing(timeout=10) as writer:
            backend.apply_with(writer, [doc], [])
        update_times.append(time.perf_counter() - started)
    backend.search(SearchQuery(q="varm op"))  # open and warm the reused searcher
    latencies = {}
    for name, items in queries.items():
        samples = []
        for query in items:
            started = time.perf_counter()
            results = backend.search(query)  # facets and highlights included, as on the page
            if results.used_or or not results.total:  # and "Mente du …?", as the service asks it
                did_you_mean(backend, query.q, visible=set)  # every bench document is visible
            samples.append(time.perf_counter() - started)
        latencies[name] = percentiles(samples)
    return {"bulk": bulk, "update_ms": statistics.median(update_times) * 1000, "latency": latencies}


def bench_fts5(path: Path, size: int, queries: dict) -> dict:
    con = sqlite3.connect(path)
    con.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, problem, body, attachments, tokenize='unicode61')"
    )
    con.execute(
        "CREATE TABLE facets (rowid INTEGER PRIMARY KEY, kind TEXT, school TEXT, tools TEXT, year INT)"
    )
    started = time.perf_counter()
    with con:
        for doc in documents(size):
            fields = [
                " ".join(analyze(x))
                for x in (doc.title, doc.problem, doc.body, " ".join(t for _n, t in doc.attachments))
            ]
            con.execute(
                "INSERT INTO docs(rowid, title, problem, body, attachments) VALUES (?,?,?,?,?)",
                (doc.object_id, *fields),
            )
            con.execute(
                "INSERT INTO facets VALUES (?,?,?,?,?)",
                (doc.object_id, doc.kind, doc.school, " ".join(doc.tools), doc.year),
            )
    bulk = size / (time.perf_counter() - started)
    latencies = {}
    for name, items in queries.items():
        samples = []
        for query in items:
            terms = analyze(query.q.strip('"'))
            match = '"' + " ".join(terms) + '"' if query.q.startswith('"') else " AND ".join(terms)
            where, args = "docs MATCH ?", [match]
            if query.school:
                where += " AND f.school = ? AND (' ' || f.tools || ' ') LIKE ?"
                args += [query.school, f"% {query.tool} %"]
            started = time.perf_counter()
            con.execute(
                f"SELECT docs.rowid, snippet(docs, 2, '<mark>', '</mark>', ' … ', 20) FROM docs "
                f"JOIN facets f ON f.rowid = docs.rowid WHERE {where} "
                "ORDER BY bm25(docs, 4.0, 2.5, 1.5, 1.0) LIMIT 10",
                args,
            ).fetchall()
            for column in ("kind", "school", "year"):
                con.execute(
                    f"SELECT f.{column}, count(*) FROM docs JOIN facets f ON f.rowid = docs.rowid "
                    f"WHERE {where} GROUP BY f.{column}",
                    args,
                ).fetchall()
            samples.append(time.perf_counter() - started)
        latencies[name] = percentiles(samples)
    con.close()
    return {"bulk": bulk, "latency": latencies}


def report(results: dict, args: argparse.Namespace) -> str:
    lines = [
        "# Search benchmarks",
        "",
        f"Made by `make bench` (`python -m bench.search`) on {time.strftime('%Y-%m-%d')}, "
        f"Python {platform.python_version()}, {platform.machine()}, a shared 2-core machine. "
        f"{args.queries} queries per kind; corpus from `bench/corpus.py` (about 250 words per document, "
        "one in ten with a report). Whoosh is measured through the product's own `WhooshBackend.search`: "
        'every query computes five facets, highlighted snippets and a "Mente du" suggestion, with the '
        "searcher reused across queries. SQLite FTS5 indexes the same pre-stemmed tokens and computes "
        "bm25-ranked snippets and three GROUP BY facets: the in-process baseline.",
        "",
        "Targets for Whoosh: p95 ≤ 25 ms at 10k and ≤ 150 ms at 100k documents; bulk indexing ≥ 300 docs/s.",
        "",
    ]
    for size, result in results.items():
        whoosh, fts5 = result["whoosh"], result["fts5"]
        lines += [
            f"## {size:,} documents".replace(",", "."),
            "",
            f"- Bulk indexing: Whoosh {whoosh['bulk']:.0f} docs/s, FTS5 {fts5['bulk']:.0f} docs/s "
            f"(ratio {whoosh['bulk'] / fts5['bulk']:.2f}).",
            f"- One update (update_document + commit, as a drain does): {whoosh['update_ms']:.0f} ms.",
            "",
            "| query | Whoosh p50 ms | Whoosh p95 ms | FTS5 p50 ms | FTS5 p95 ms | p95 ratio Whoosh/FTS5 |",
            "|---|---|---|---|---|---|",
        ]
        for name, (p50, p95) in whoosh["latency"].items():
            f50, f95 = fts5["latency"][name]
            lines.append(
                f"| {name} | {p50:.1f} | {p95:.1f} | {f50:.1f} | {f95:.1f} | {p95 / max(f95, 0.001):.1f} |"
            )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", default="docs/benchmarks.md")
    args = parser.parse_args()
    results = {}
    for size in args.sizes:
        queries = query_sets(random.Random(size), args.queries)
        with tempfile.TemporaryDirectory() as tmp:
            print(f"{size} documents: Whoosh …", flush=True)
            whoosh = bench_whoosh(Path(tmp) / "whoosh", size, queries)
            print(f"{size} documents: FTS5 …", flush=True)
            fts5 = bench_fts5(Path(tmp) / "fts5.db", size, queries)
        results[size] = {"whoosh": whoosh, "fts5": fts5}
        print(report({size: results[size]}, args), flush=True)
    Path(args.out).write_text(report(results, args) + EXTRA_NOTES, encoding="utf-8")


EXTRA_NOTES = """
## Notes

- The machine is shared with other work (load average often above the two cores during these runs),
  so absolute numbers are pessimistic and noisy; the ratios to FTS5 are from the same run.
- Whoosh's query time includes what the search page shows: facet counts for five fields (counted as
  set intersections over per-segment cached postings, not by scoring every match), highlighted
  snippets for the ten hits on the page and the spelling check for "Mente du …?". The FTS5 baseline
  does less (three facet GROUP BYs, one snippet column, no spelling).
- PostgreSQL is not in this benchmark yet: its backend (`network/search/postgres_backend.py`) is
  tested for behaviour, not timed. It computes the weighted `tsvector` at query time; a stored,
  GIN-indexed `tsvector` column is the next step before timing it at 100k documents.
"""

if __name__ == "__main__":
    main()
