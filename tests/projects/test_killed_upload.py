"""A killed upload leaves nothing behind (issue 14, finding 13).

Before: ``kill -9`` of the web process during a report's text extraction left the file in
``uploads/`` under its final name with no row, and the extraction child kept running.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from network.db import db
from network.projects import attachments, files
from network.projects.models import ProjectAttachment
from tests.conftest import make_test_app
from tests.projects.conftest import ProjectFactory
from tests.projects.files import pdf_bytes

ROOT = Path(__file__).resolve().parents[2]


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(check, seconds: float):  # noqa: ANN001, ANN201
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.01)
    return check()


def test_kill_9_during_extraction_leaves_no_file_and_no_child(database_url, tmp_path, factory):
    app = make_test_app(database_url, tmp_path)
    with app.app_context():
        project = ProjectFactory().project(factory.member())
        project_id = project.id
    pdf = tmp_path / "stor.pdf"
    pdf.write_bytes(pdf_bytes("kaffemøder og lærere " * 10000))  # seconds of extraction
    upload_dir = Path(app.config["UPLOAD_DIR"])
    web = subprocess.Popen(  # noqa: S603 - our own test helper
        [
            sys.executable,
            "-m",
            "tests.projects.upload_process",
            database_url,
            str(upload_dir),
            app.config["SEARCH_INDEX_DIR"],
            str(project_id),
            str(pdf),
        ],
        cwd=ROOT,
    )
    try:
        extractor = wait_for(lambda: children_of(web.pid), 60)
        assert extractor, "the upload never started its extraction"
        os.kill(web.pid, signal.SIGKILL)
        web.wait(10)
    finally:
        web.kill()
    # It dies with its parent, long before it could have finished reading the file.
    assert wait_for(lambda: not alive(extractor[0]), 0.5), "the extraction child outlived its parent"

    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ProjectAttachment.id))) == 0
    left = [p.name for p in (upload_dir / "projects").iterdir()]
    assert len(left) == 1 and left[0].endswith(files.PART), left  # only a temporary name, never a real one

    app.test_client().get("/log-ind")  # the process's first request cleans up after the dead one
    assert list((upload_dir / "projects").iterdir()) == []


def test_a_report_gets_its_file_only_when_committed(factory, projects, app):
    leader = factory.member()
    project = projects.project(leader)
    folder = Path(app.config["UPLOAD_DIR"]) / "projects"
    attachments.add_attachment(leader, project, "a.txt", b"tekst")
    db.session.rollback()
    assert list(folder.iterdir()) == []
    project = projects.project(leader, title="Igen")
    attachment = attachments.add_attachment(leader, project, "a.txt", b"tekst")
    db.session.commit()
    assert [p.name for p in folder.iterdir()] == [attachment.stored_name]
    attachments.delete_attachment(leader, project, attachment)
    db.session.rollback()  # a deletion that is not committed keeps the file
    assert [p.name for p in folder.iterdir()] == [attachment.stored_name]
