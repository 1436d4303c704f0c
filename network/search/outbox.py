"""The search outbox: every change to searchable data writes a row here in the same transaction.

After commit one writer drains the outbox into the index; a crash between commit and indexing
loses nothing, and a rollback indexes nothing (DESIGN.md §4, Search).
"""

import datetime as dt
import logging

from flask import current_app
from sqlalchemy import String, delete, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from network.db import UTCDateTime, db, utcnow

log = logging.getLogger(__name__)

SEARCHABLE_KINDS = ("project", "case", "meetup")
_DIRTY = "search_outbox_dirty"


class SearchOutbox(db.Model):
    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


def enqueue(kind: str, object_id: int) -> None:
    """Note that a searchable object changed (or was deleted); call inside the changing transaction."""
    if kind not in SEARCHABLE_KINDS:
        raise ValueError(f"not a searchable kind: {kind}")
    db.session.add(SearchOutbox(kind=kind, object_id=object_id))
    db.session.info[_DIRTY] = True


def drain_outbox(backend, timeout: float = 10.0, batch: int = 500) -> int:  # noqa: ANN001
    """Index what the outbox holds, oldest first, with the one writer; returns how many rows were done.

    The writer is taken *before* the rows are read and the documents built, so two processes
    draining at once cannot write an older version of a document over a newer one.
    """
    from network.search.documents import build_document, with_dependents

    done = 0
    while True:
        with backend.writing(timeout) as writer:
            rows = db.session.execute(
                select(SearchOutbox.id, SearchOutbox.kind, SearchOutbox.object_id)
                .order_by(SearchOutbox.id)
                .limit(batch)
            ).all()
            if not rows:
                return done
            documents, deleted = [], []
            for kind, object_id in with_dependents((kind, object_id) for _id, kind, object_id in rows):
                document = build_document(kind, object_id)
                if document is None:
                    deleted.append(f"{kind}:{object_id}")
                else:
                    documents.append(document)
            backend.apply_with(writer, documents, deleted)
        # The index has the documents; only now may the rows go (a crash here re-indexes, harmlessly).
        db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([row[0] for row in rows])))
        db.session.commit()
        done += len(rows)
        if len(rows) < batch:
            return done


def pending() -> int:
    """How many outbox rows wait to be indexed."""
    return db.session.scalar(select(db.func.count(SearchOutbox.id))) or 0


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_DIRTY, None)


@event.listens_for(Session, "after_commit")
def _drain_after_commit(session: Session) -> None:
    """After a commit that wrote to the outbox, index it in this process (never failing the request)."""
    if not session.info.pop(_DIRTY, False):
        return
    app = current_app._get_current_object()
    if not app.config.get("SEARCH_DRAIN_AFTER_COMMIT", True):
        return
    from network.search import service

    # A fresh app context gets a fresh database session: the committing one may not run SQL here.
    with app.app_context():
        service.drain_quietly(timeout=2.0)
