"""No page's query count grows with the size of what it shows (no N+1)."""

import contextlib

import pytest
from sqlalchemy import event

from network.db import db


@contextlib.contextmanager
def counting(app):
    """Count the SQL statements the app runs inside the block."""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def queries_for(app, client, path: str) -> int:
    client.get(path)  # warm up: the first request fills caches
    with counting(app) as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


def test_the_case_page_costs_the_same_with_5_and_50_replies(app, client, auth, factory, cases):
    author, viewer = factory.member(), factory.member()
    small, large = cases.case(author, title="Lille sag"), cases.case(author, title="Stor sag")
    repliers = [factory.member() for _ in range(10)]
    for n in range(5):
        cases.reply(repliers[n % 10], small, body=f"Svar {n}")
    for n in range(50):
        cases.reply(repliers[n % 10], large, body=f"Svar {n}")
    auth.login(viewer)
    assert queries_for(app, client, f"/sager/{large.id}") == queries_for(app, client, f"/sager/{small.id}")


@pytest.mark.parametrize("path", ["/sager", "/medlemmer", "/netvaerksmoeder", "/rum", "/projekter"])
def test_lists_cost_the_same_with_few_and_many_rows(app, client, auth, factory, cases, path):
    viewer = factory.member()
    auth.login(viewer)
    schools = [factory.school() for _ in range(3)]
    for n in range(3):
        cases.case(factory.member(school=schools[n % 3]), title=f"Sag {n}")
    few = queries_for(app, client, path)
    for n in range(3, 20):
        cases.case(factory.member(school=schools[n % 3]), title=f"Sag {n}")
    assert queries_for(app, client, path) == few
