"""A backup taken while members write restores to a consistent database that search agrees with."""

import sqlite3
import threading

import pytest

from network.db import db
from network.search import service as search


def test_backup_during_writes_restores_consistently(app, runner, factory, cases, tmp_path, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("the online backup API is SQLite's; PostgreSQL backups are pg_dump snapshots")
    author = factory.member()
    for n in range(5):
        cases.case(author, title=f"Sag før backup {n}")
    database = database_url.removeprefix("sqlite:///")
    stop, written = threading.Event(), []

    def keep_writing() -> None:
        with sqlite3.connect(database, timeout=15) as conn:
            n = 0
            while not stop.is_set():
                conn.execute(
                    "INSERT INTO schools (name, city, region, kind, is_demo, created_at)"
                    " VALUES (?, 'By', 'syddanmark', 'other', 0, CURRENT_TIMESTAMP)",
                    (f"Skriveskole {n}",),
                )
                conn.commit()
                written.append(n)
                n += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 20:
            stop.wait(0.01)
        result = runner.invoke(args=["backup", str(tmp_path / "backup.db")])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output

    with sqlite3.connect(tmp_path / "backup.db") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = [
            row[0]
            for row in copy.execute("SELECT name FROM schools WHERE name LIKE 'Skriveskole %' ORDER BY id")
        ]
    assert 0 < len(names) <= len(written)
    assert names == [f"Skriveskole {n}" for n in range(len(names))]  # a prefix: nothing half-written

    restored = runner.invoke(args=["restore", str(tmp_path / "backup.db"), "--yes"])
    assert restored.exit_code == 0, restored.output
    with app.app_context():
        db.session.remove()
        assert runner.invoke(args=["reindex"]).exit_code == 0
        in_step, report = search.index_check()
        assert in_step, report
    assert runner.invoke(args=["index-check"]).exit_code == 0
