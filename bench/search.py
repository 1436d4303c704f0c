"""Search benchmarks: Whoosh and PostgreSQL (the product's backends) beside SQLite FTS5.

    python -m bench.search [--sizes 10000 100000] [--queries 200] [--out docs/benchmarks.md]
                           [--no-postgres]

FTS5 indexes the same pre-stemmed tokens (network.search.analysis.analyze), so both engines do the
same linguistic work; FTS5 is the in-process baseline the ratios are given against.

PostgreSQL is measured when it is reachable: a fresh database is created through the admin URL
(BENCH_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/postgres), migrated, filled
through the product's ``PostgresBackend`` and dropped afterwards. ``--no-postgres`` skips it.

``--out`` rewrites only the ``## Search`` section of that file (up to the next ``## `` heading),
leaving the other sections as they are; without such a section, one is appended.
"""

import argparse
import contextlib
import os
import platform
import random
import sqlite3
import statistics
import tempfile
import time
import typing as t
import uuid
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


def bench_whoosh(folder: Path, corpus: list, queries: dict) -> dict:
    backend = WhooshBackend(str(folder))
    started = time.perf_counter()
    backend.rebuild(corpus, processes=os.cpu_count() or 1)  # as `network reindex`
    bulk = len(corpus) / (time.perf_counter() - started)
    doc = next(documents(1, seed=99))
    doc.object_id = len(corpus) // 2
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


def bench_fts5(path: Path, corpus: list, queries: dict) -> dict:
    con = sqlite3.connect(path)
    con.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, problem, body, attachments, tokenize='unicode61')"
    )
    con.execute(
        "CREATE TABLE facets (rowid INTEGER PRIMARY KEY, kind TEXT, school TEXT, tools TEXT, year INT)"
    )
    started = time.perf_counter()
    with con:
        for doc in corpus:
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
    bulk = len(corpus) / (time.perf_counter() - started)
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


POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_admin_url() -> str | None:
    """The admin URL when PostgreSQL answers on it, else None (and why, printed)."""
    import psycopg

    url = os.environ.get("BENCH_POSTGRES_URL") or POSTGRES_ADMIN_URL
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error as error:
        print(f"PostgreSQL not reachable at {url}, skipped: {error}".strip(), flush=True)
        return None
    return url


@contextlib.contextmanager
def postgres_search(admin_url: str, folder: Path, prefix: str) -> t.Iterator[t.Any]:
    """The product's PostgresBackend, in an app context on a fresh, migrated database dropped afterwards."""
    import flask_migrate
    import psycopg
    from sqlalchemy.engine import make_url

    from network import create_app
    from network.db import db
    from network.search.service import backend as search_backend

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = make_url(admin_url).set(drivername="postgresql+psycopg", database=name)
        app = create_app(
            {
                "SECRET_KEY": "bench",
                "DATABASE_URL": url.render_as_string(hide_password=False),
                "SEARCH_BACKEND": "postgres",
                "SEARCH_INDEX_DIR": str(folder / "unused_index"),
                "MAIL_DIR": str(folder / "mail"),
                "UPLOAD_DIR": str(folder / "uploads"),
            }
        )
        with app.app_context():
            try:
                flask_migrate.upgrade()
                yield search_backend()
            finally:
                db.session.remove()
                db.engine.dispose()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_postgres(admin_url: str, folder: Path, corpus: list, queries: dict) -> dict:
    """The product's PostgresBackend on a fresh, migrated database that is dropped afterwards."""
    from sqlalchemy import text

    from network.db import db

    with postgres_search(admin_url, folder, "bench_search") as backend:
        return _measure_postgres(backend, db, text, corpus, queries)


def _measure_postgres(backend, db, text, corpus: list, queries: dict) -> dict:
    started = time.perf_counter()
    backend.rebuild(corpus)  # in batches of 500 rows, one transaction, as `network reindex`
    db.session.commit()
    bulk = len(corpus) / (time.perf_counter() - started)
    db.session.execute(text("ANALYZE"))  # fresh statistics, as autovacuum would give a real table
    db.session.commit()
    doc = next(documents(1, seed=99))
    doc.object_id = len(corpus) // 2
    update_times = []
    for _ in range(5):
        started = time.perf_counter()
        with backend.writing(timeout=10):  # the advisory lock and upsert a drain takes, then its commit
            backend.apply_with(None, [doc], [])
        db.session.commit()
        update_times.append(time.perf_counter() - started)
    backend.search(SearchQuery(q="varm op"))  # warm the connection, as Whoosh's searcher is warmed
    backend.spelling_candidates("varm", 1)  # and the word list, which a server process keeps
    latencies = {}
    for name, items in queries.items():
        samples = []
        for query in items:
            started = time.perf_counter()
            results = backend.search(query)  # facets and highlights included, as on the page
            if results.used_or or not results.total:  # and "Mente du …?", as the service asks it
                did_you_mean(backend, query.q, visible=set)  # every bench document is visible
            samples.append(time.perf_counter() - started)
        db.session.rollback()  # end the read transaction between kinds, as requests do
        latencies[name] = percentiles(samples)
    return {"bulk": bulk, "update_ms": statistics.median(update_times) * 1000, "latency": latencies}


def report(results: dict, args: argparse.Namespace) -> str:
    with_postgres = any("postgres" in result for result in results.values())
    lines = [
        "## Search",
        "",
        f"Made by `make bench` (`python -m bench.search`) on {time.strftime('%Y-%m-%d')}, "
        f"Python {platform.python_version()}, {platform.machine()}, a shared 2-core machine. "
        f"{args.queries} queries per kind; corpus from `bench/corpus.py` (about 250 words per document, "
        "one in ten with a report). Whoosh is measured through the product's own `WhooshBackend.search`: "
        'every query computes five facet counts and highlighted snippets (and the "Mente du …?" check '
        "when not every word matched), with the searcher reused across queries. "
        + (
            "PostgreSQL is measured the same way through the product's own `PostgresBackend.search` on a "
            "fresh database migrated to head (stored, GIN-indexed `search_vector`; `ANALYZE` after "
            "loading), on the same machine. "
            if with_postgres
            else "PostgreSQL was not reachable (or `--no-postgres`), so it is not in this run. "
        )
        + "SQLite FTS5 indexes the same pre-stemmed tokens and computes "
        "bm25-ranked snippets and three GROUP BY facets: the in-process baseline.",
        "",
        "Targets for Whoosh: p95 ≤ 25 ms at 10k and ≤ 150 ms at 100k documents; bulk indexing ≥ 300 docs/s.",
        "",
    ]
    for size, result in results.items():
        whoosh, fts5, postgres = result["whoosh"], result["fts5"], result.get("postgres")
        lines += [
            f"### {size:,} documents".replace(",", "."),
            "",
            f"- Bulk indexing: Whoosh {whoosh['bulk']:.0f} docs/s, FTS5 {fts5['bulk']:.0f} docs/s "
            f"(ratio {whoosh['bulk'] / fts5['bulk']:.2f}).",
            f"- One update (update_document + commit, as a drain does): {whoosh['update_ms']:.0f} ms.",
        ]
        if postgres:
            lines += [
                f"- PostgreSQL: bulk indexing {postgres['bulk']:.0f} docs/s (ratio to FTS5 "
                f"{postgres['bulk'] / fts5['bulk']:.2f}); one update (advisory lock + upsert + commit, "
                f"as a drain does) {postgres['update_ms']:.0f} ms.",
            ]
        header = (
            "| query | Whoosh p50 ms | Whoosh p95 ms | FTS5 p50 ms | FTS5 p95 ms | p95 ratio Whoosh/FTS5 |"
        )
        if postgres:
            header += " PostgreSQL p50 ms | PostgreSQL p95 ms | p95 ratio PostgreSQL/FTS5 |"
        lines += ["", header, "|---" * header.count(" | ") + "|---|"]
        for name, (p50, p95) in whoosh["latency"].items():
            f50, f95 = fts5["latency"][name]
            row = f"| {name} | {p50:.1f} | {p95:.1f} | {f50:.1f} | {f95:.1f} | {p95 / max(f95, 0.001):.1f} |"
            if postgres:
                g50, g95 = postgres["latency"][name]
                row += f" {g50:.1f} | {g95:.1f} | {g95 / max(f95, 0.001):.1f} |"
            lines.append(row)
        lines.append("")
    return "\n".join(lines)


def write_section(path: Path, section: str) -> None:
    """Replace the file's ``## Search`` section (up to the next ``## `` heading), or append one."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True) if path.exists() else []
    new = section.rstrip("\n") + "\n"
    start = next((i for i, line in enumerate(lines) if line.rstrip() == "## Search"), None)
    if start is None:
        before = "".join(lines)
        if before and not before.endswith("\n"):
            before += "\n"
        path.write_text(before + ("\n" if before else "") + new, encoding="utf-8")
        return
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    if end < len(lines):
        new += "\n"  # the blank line before the next section
    path.write_text("".join(lines[:start]) + new + "".join(lines[end:]), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", default="docs/benchmarks.md")
    parser.add_argument("--no-postgres", action="store_true", help="measure Whoosh and FTS5 only")
    args = parser.parse_args()
    admin_url = None if args.no_postgres else postgres_admin_url()
    results = {}
    for size in args.sizes:
        queries = query_sets(random.Random(size), args.queries)
        corpus = list(documents(size))  # made before any clock starts: indexing is what is timed
        with tempfile.TemporaryDirectory() as tmp:
            print(f"{size} documents: Whoosh …", flush=True)
            whoosh = bench_whoosh(Path(tmp) / "whoosh", corpus, queries)
            print(f"{size} documents: FTS5 …", flush=True)
            fts5 = bench_fts5(Path(tmp) / "fts5.db", corpus, queries)
            results[size] = {"whoosh": whoosh, "fts5": fts5}
            if admin_url:
                print(f"{size} documents: PostgreSQL …", flush=True)
                results[size]["postgres"] = bench_postgres(admin_url, Path(tmp), corpus, queries)
        print(report({size: results[size]}, args), flush=True)
    write_section(Path(args.out), report(results, args) + EXTRA_NOTES)


EXTRA_NOTES = """
### Notes

- The machine is shared with other work, so absolute numbers are noisy (two runs minutes apart
  differ by up to 2× at p95); the ratios to FTS5 are from the same run.
- The corpus is generated before any clock starts, so the bulk rates are indexing alone. Whoosh
  is built as `network reindex` builds it: one writer process per core (two here) from 1,000
  documents on, each writing its own segment.
- Whoosh's query time includes what the search page shows: the match set and ranking from each
  term's postings read once (`network/search/whoosh_ranking.py`: set algebra for matching, BM25F
  as Whoosh computes it for the matches only; two-word phrases as one term of the `pairs` field),
  facet counts for five fields (bit counts over per-segment cached postings), highlighted snippets
  for the ten hits on the page, and the spelling check for "Mente du …?" when needed. The FTS5
  baseline does less (three facet GROUP BYs, one snippet column, no spelling).
- PostgreSQL (when in the run) is timed through the same calls: `PostgresBackend.search` (a count,
  the page of ten with snippets marked by the same highlighter as Whoosh's, five facet GROUP BYs,
  all over the stored GIN-indexed `search_vector`) and `did_you_mean` when not every word matched.
  Its bulk rate is `PostgresBackend.rebuild` (the Danish analysis writing each row's vector,
  batched inserts that also fill `search_words`) plus the commit; the server runs on the same 2
  cores, so its time is in these numbers too.
"""

if __name__ == "__main__":
    main()
