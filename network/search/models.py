"""The PostgreSQL backend's document table: one row per indexed object, built like a Whoosh document."""

import datetime as dt

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from network.db import UTCDateTime, db


class SearchDocument(db.Model):
    """What the search may show of one object; only used when SEARCH_BACKEND is "postgres"."""

    __tablename__ = "search_documents"
    __table_args__ = (UniqueConstraint("kind", "object_id", name="uq_search_documents_kind_object"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    object_id: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(Text, default="")
    problem: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    attachment_text: Mapped[str] = mapped_column(Text, default="")
    attachment_names: Mapped[str] = mapped_column(Text, default="")
    school: Mapped[str] = mapped_column(String(200), default="")
    tools: Mapped[str] = mapped_column(String(300), default="")  # space-separated slugs
    focus: Mapped[str] = mapped_column(String(300), default="")  # space-separated slugs
    year: Mapped[int | None] = mapped_column()
    author: Mapped[str] = mapped_column(String(200), default="")
    date: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
