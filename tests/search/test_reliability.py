"""A crash between commit and indexing, and two processes writing at once, lose nothing."""

import os
import subprocess
import sys

from network.db import db
from network.projects.models import ALProject
from network.search import service
from network.search.backend import SearchQuery
from network.search.outbox import pending


def run_writer(app, *args: str) -> subprocess.Popen:  # noqa: ANN001
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
