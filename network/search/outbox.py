"""The search outbox: every change to searchable data writes a row here in the same transaction.

After commit one writer drains the outbox into the index; a crash between commit and indexing
loses nothing, and a rollback indexes nothing (DESIGN.md §4, Search).
"""

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from network.db import UTCDateTime, db, utcnow

SEARCHABLE_KINDS = ("project", "case", "meetup")


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
