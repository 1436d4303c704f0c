"""The PostgreSQL backend's tables: one row per indexed object (built like a Whoosh document), and the
words of those documents for "Mente du …?".

``search_vector`` is a weighted tsvector (title A, problem B, body C, reports D) made by the
application from the same analysis the Whoosh index gets (network/search/analysis.py: folded,
stemmed words with their compound parts and sources beside them) and GIN-indexed, so a query's
``@@`` reads the index instead of re-parsing every row (migration 0014; until 0014 PostgreSQL
generated it with its own ``danish`` configuration).

One model serves both databases, because the schema comes from the migrations on both and
tests/test_migrations.py compares them with these models: on SQLite (which never searches with
PostgreSQL and keeps this table empty) the column is TEXT and its index an ordinary one.
"""

import datetime as dt

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from network.db import UTCDateTime, db


class SearchDocument(db.Model):
    """What the search may show of one object; only used when SEARCH_BACKEND is "postgres"."""

    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "object_id", name="uq_search_documents_kind_object"),
        Index("ix_search_documents_search_vector", "search_vector", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    object_id: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(Text, default="")
    problem: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # The reports' texts, one per file, separated by FILE_SEPARATOR (so a snippet can name its file).
    attachment_text: Mapped[str] = mapped_column(Text, default="")
    attachment_names: Mapped[str] = mapped_column(Text, default="")  # one file name a line
    school: Mapped[str] = mapped_column(String(200), default="")
    tools: Mapped[str] = mapped_column(String(300), default="")  # space-separated slugs
    focus: Mapped[str] = mapped_column(String(300), default="")  # space-separated slugs
    year: Mapped[int | None] = mapped_column()
    author: Mapped[str] = mapped_column(String(200), default="")
    date: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    search_vector: Mapped[str | None] = mapped_column(
        TSVECTOR().with_variant(Text(), "sqlite"),
        deferred=True,  # only ever read inside SQL (@@, ts_rank_cd)
    )


class SearchWord(db.Model):
    """A word (lowercased, unfolded, unstemmed) of an indexed title, problem or body.

    Only ever added to between rebuilds, so it may hold words of documents since hidden or changed:
    the service suggests a word only when a document the reader may see still has it.
    """

    __tablename__ = "search_words"

    word: Mapped[str] = mapped_column(String(60), primary_key=True)


FILE_SEPARATOR = "\x1e"  # ASCII record separator: never part of extracted text, never a word
