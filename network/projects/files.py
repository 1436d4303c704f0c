"""Report files on disk follow the database: a file gets its real name only once its row is committed.

An upload is written as ``<stored_name>.<host>-<pid>.part`` and moved into place after the
commit; a rollback deletes it, and a deleted report's file goes after the commit that deleted its
row. A process killed in between (``kill -9`` during the text extraction) leaves at most a
``.part`` file, which ``clean_orphans`` (at start-up and in ``network purge-old-data``) finishes
or removes: at once when its writer is a dead process on this host, else after a grace time.
"""

import datetime as dt
import os
import socket
import time
from pathlib import Path

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from network.db import db
from network.reminders import retention_job

PART = ".part"
# A .part file this young, from another host or a live process, may be an upload still being
# extracted: left alone.
PART_GRACE_SECONDS = 600
_FILES = "network_report_files"  # session.info: {"move": [part paths], "delete": [paths]}


def folder() -> Path:
    """The folder of report files (created when missing)."""
    path = Path(current_app.config["UPLOAD_DIR"]) / "projects"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _writer() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def _stored_name(path: Path) -> str:
    return path.name.split(".", 1)[0]


def _writer_is_gone(part: Path) -> bool:
    """Whether the process that wrote this .part file is known to be dead (it ran on this host)."""
    host, _, pid = part.name.split(".", 1)[1].removesuffix(PART).rpartition("-")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False


def write_pending(stored_name: str, data: bytes) -> Path:
    """Write an upload under its temporary name; it is moved to ``stored_name`` after the commit."""
    part = folder() / f"{stored_name}.{_writer()}{PART}"
    part.write_bytes(data)
    db.session.info.setdefault(_FILES, {"move": [], "delete": []})["move"].append(part)
    return part


def delete_after_commit(path: Path) -> None:
    """Delete a report's file once the deletion of its row is committed (a rollback keeps it)."""
    db.session.info.setdefault(_FILES, {"move": [], "delete": []})["delete"].append(path)


@event.listens_for(Session, "after_commit")
def _settle_files(session: Session) -> None:
    files = session.info.pop(_FILES, None)
    if not files:
        return
    for part in files["move"]:
        part.replace(part.with_name(_stored_name(part)))
    for path in files["delete"]:
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _discard_files(session: Session) -> None:
    files = session.info.pop(_FILES, None)
    for part in files["move"] if files else []:
        part.unlink(missing_ok=True)


def clean_orphans(grace_seconds: float = PART_GRACE_SECONDS) -> tuple[int, int]:
    """Finish or remove what killed uploads left; returns (files moved into place, files removed).

    The folder is listed before the rows are read, so a file another process moves into place
    meanwhile already has its row.
    """
    from network.projects.models import ProjectAttachment

    paths = list(folder().iterdir())
    known = set(db.session.scalars(select(ProjectAttachment.stored_name)))
    now, moved, removed = time.time(), 0, 0
    for path in paths:
        name, pending = _stored_name(path), path.name.endswith(PART)
        try:
            if pending and name in known:
                path.replace(path.with_name(name))  # committed, killed before the move
                moved += 1
            elif name not in known and (
                not pending or _writer_is_gone(path) or now - path.stat().st_mtime > grace_seconds
            ):
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another process got there first
            continue
    return moved, removed


@retention_job
def purge_orphan_files(now: dt.datetime) -> str:
    """The retention job's line: report files without a row, removed."""
    moved, removed = clean_orphans()
    return f"Rapportfiler: {removed} forældreløse slettet, {moved} gjort færdige."
