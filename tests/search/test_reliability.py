"""A crash between commit and indexing, two writers at once, a change during a reindex: nothing is lost."""

import dataclasses
import os
import subprocess
import sys
import threading

import pytest

from network.db import db
from network.projects.models import ALProject
from network.search import documents as docs
from network.search import service
from network.search.backend import SearchQuery
from network.search.outbox import enqueue, pending


def run_writer(app, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.search.writer_process",
            app.config["DATABASE_URL"],
            app.config["SEARCH_INDEX_DIR"],
            app.config["UPLOAD_DIR"],
            *args,
        ],
        stderr=subprocess.PIPE,
        env={**os.environ, "NETWORK_SEARCH_BACKEND": app.config["SEARCH_BACKEND"]},
    )


def test_sigkill_between_commit_and_indexing_loses_nothing(app, factory, projects, runner):
    leader = factory.member()
    projects.project(leader, title="Før nedbruddet")
    writer = run_writer(app, "die-after-commit", "1")
    writer.wait(timeout=60)
    writer.stderr.close()
    assert writer.returncode == -9
    assert pending() == 1
    assert runner.invoke(args=["index-check"]).exit_code == 1
    # After a restart, the worker (or the first request) drains the leftovers.
    assert runner.invoke(args=["index-worker", "--once"]).exit_code == 0
    assert runner.invoke(args=["index-check"]).exit_code == 0
    leader = db.session.merge(leader)
    hits = service.search(leader, SearchQuery(q="overlevede")).hits
    assert [hit.title for hit in hits] == ["Overlevede et nedbrud"]


def test_two_processes_writing_at_once_lose_no_update(app, factory, projects, runner):
    leader = factory.member()
    project = projects.project(leader, title="Fælles projekt")
    writers = [run_writer(app, "rename", "12", str(project.id)) for _ in range(2)]
    for writer in writers:
        writer.wait(timeout=120)
        errors = writer.stderr.read().decode()
        writer.stderr.close()
        assert writer.returncode == 0, errors
        assert "LockError" not in errors
    assert runner.invoke(args=["index-worker", "--once"]).exit_code == 0
    db.session.expire_all()
    final = db.session.get(ALProject, project.id).title
    hits = service.search(db.session.merge(leader), SearchQuery(q=f'"{final}"')).hits
    assert [hit.title for hit in hits] == [final]
    assert runner.invoke(args=["index-check"]).exit_code == 0


def _rebuild_calling(hook, monkeypatch) -> None:
    """Make the rebuild call ``hook`` once it has built the first project, before the second."""
    original = docs.BUILDERS["project"]
    built: list[int] = []

    def build(object_id: int):
        if built and len(built) == 1:
            hook()
        built.append(object_id)
        return original.build(object_id)

    monkeypatch.setitem(docs.BUILDERS, "project", dataclasses.replace(original, build=build))


def _in_another_thread(app, work) -> None:
    """Run ``work`` as another request would: its own thread, app context and database session."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with app.app_context():
                work()
                db.session.remove()
        except BaseException as error:  # reported by the test thread
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive() and not errors, errors


def _rename(project_id: int, title: str) -> None:
    db.session.get(ALProject, project_id).title = title
    enqueue("project", project_id)


def test_a_change_committed_during_a_reindex_is_not_lost(app, factory, projects, runner, monkeypatch):
    leader = factory.member()
    first = projects.project(leader, title="Første udgave")
    projects.project(leader, title="Et andet projekt")

    def rename_first() -> None:
        # The rebuild has already built this project; the change commits while the index is busy.
        _rename(first.id, "Omdøbt undervejs")
        db.session.commit()

    _rebuild_calling(lambda: _in_another_thread(app, rename_first), monkeypatch)
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    hits = service.search(db.session.merge(leader), SearchQuery(q="omdøbt undervejs")).hits
    assert [hit.object_id for hit in hits] == [first.id]
    assert pending() == 0
    assert runner.invoke(args=["index-check"]).exit_code == 0


def test_an_older_outbox_row_committing_during_a_reindex_is_not_lost(
    app, factory, projects, runner, monkeypatch, database_url
):
    """PostgreSQL hands out outbox ids at insert, not commit: a smaller id may commit later."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: ids are given in commit order")
    leader = factory.member()
    first = projects.project(leader, title="Første udgave")
    second = projects.project(leader, title="Et andet projekt")
    flushed, commit_now, done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def slow_writer() -> None:
        try:
            with app.app_context():
                _rename(first.id, "Omdøbt sent")
                db.session.flush()  # its outbox row has its id now, but is not committed
                flushed.set()
                commit_now.wait(timeout=30)
                db.session.commit()
                db.session.remove()
        except BaseException as error:  # reported by the test thread
            errors.append(error)
        finally:
            done.set()

    monkeypatch.setitem(app.config, "SEARCH_DRAIN_AFTER_COMMIT", False)
    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert flushed.wait(timeout=30)
    db.session.get(ALProject, second.id).title = "Et ændret projekt"
    enqueue("project", second.id)  # a larger id, committed first and still waiting at the rebuild
    db.session.commit()

    def let_the_writer_commit() -> None:
        commit_now.set()
        assert done.wait(timeout=30)

    _rebuild_calling(let_the_writer_commit, monkeypatch)
    assert service.rebuild() == 2
    writer.join(timeout=30)
    assert not errors, errors
    hits = service.search(db.session.merge(leader), SearchQuery(q="omdøbt sent")).hits
    assert [hit.object_id for hit in hits] == [first.id]
    assert pending() == 0
    assert runner.invoke(args=["index-check"]).exit_code == 0


def test_reindex_in_several_processes(app, factory, projects, runner, monkeypatch):
    from network.search import whoosh_backend

    monkeypatch.setattr(whoosh_backend, "PARALLEL_FROM", 2)  # a real archive needs 1,000 documents
    leader = factory.member()
    for number in range(4):
        projects.project(leader, title=f"Mentorordning {number}")
    result = runner.invoke(args=["reindex", "--processes", "2"])
    assert result.exit_code == 0, result.output
    assert "4 dokumenter" in result.output
    assert runner.invoke(args=["index-check"]).exit_code == 0
    assert service.search(leader, SearchQuery(q="mentorordning")).total == 4
    refused = runner.invoke(args=["reindex", "--processes", "0"])
    assert refused.exit_code == 2 and "--processes" in refused.output
