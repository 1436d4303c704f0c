"""The search outbox: every change to searchable data writes a row here in the same transaction.

After commit one writer drains the outbox into the index (the hook search's ``init_app`` installs);
a crash between commit and indexing loses nothing, and a rollback indexes nothing
(docs/architecture.md, "The search outbox").
"""

import datetime as dt
import logging

from sqlalchemy import String, delete, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from network.db import UTCDateTime, db, utcnow
from network.search.documents import BUILDERS, build_document, with_dependents

log = logging.getLogger(__name__)

_DIRTY = "search_outbox_dirty"


class SearchOutbox(db.Model):
    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


def enqueue(kind: str, object_id: int) -> None:
    """Note that a searchable object changed (or was deleted); call inside the changing transaction."""
    if kind not in BUILDERS:
        raise ValueError(f"not a searchable kind: {kind}")
    db.session.add(SearchOutbox(kind=kind, object_id=object_id))
    db.session.info[_DIRTY] = True


def drain_outbox(backend, timeout: float = 10.0, batch: int = 500) -> int:
    """Index what the outbox holds, oldest first, with the one writer; returns how many rows were done.

    The writer is taken *before* the rows are read and the documents built, so two processes
    draining at once cannot write an older version of a document over a newer one.
    """
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


def written_in(session: Session) -> bool:
    """Whether the transaction just committed wrote to the outbox (and forget it: asked once per commit)."""
    return bool(session.info.pop(_DIRTY, False))


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_DIRTY, None)
