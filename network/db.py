"""The declarative Base, the Flask-SQLAlchemy handle and small column helpers."""

import contextlib
import contextvars
import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator

from flask import g
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, TypeDecorator, event, func
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints so Alembic can alter and drop them on every backend (SQLite batch mode too).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as UTC and always returned timezone-aware.

    SQLite forgets time zones; without this, comparing a loaded value with ``utcnow()`` raises.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use network.db.utcnow()")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def contains_text(column, text: str):  # a SQL column and expression
    """SQL: the column holds the text, ignoring case; ``%`` and ``_`` in it are plain characters.

    Every user-given search string reaches LIKE through here, so no wildcard can probe values.
    """
    return func.lower(column).contains(text.lower(), autoescape=True)


# Set only by clock_at(): the demo network dates what it builds by running the services "back then".
_clock_override: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "clock_override", default=None
)


def after_commit(action: Callable[[], object]) -> None:
    """Run ``action`` (a broadcast) once the edge has committed; a rollback drops it.

    So nobody is told of what was never stored (docs/architecture.md, the request boundary).
    """
    g.setdefault("after_commit", []).append(action)


def commit() -> None:
    """The edge's one commit, then what waits for it: views, API resources and the socket dispatcher."""
    db.session.commit()
    for action in g.pop("after_commit", []):
        action()


def rollback() -> None:
    """Undo the failed attempt, and forget the broadcasts it meant to send."""
    db.session.rollback()
    g.pop("after_commit", None)


def utcnow() -> dt.datetime:
    """The current time, timezone-aware; the one clock the services read."""
    return _clock_override.get() or dt.datetime.now(dt.UTC)


def start_of_day(moment: dt.datetime | None) -> dt.datetime | None:
    """The moment rounded down to midnight UTC: a time that says the day and nothing finer."""
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)


@contextlib.contextmanager
def clock_at(moment: dt.datetime) -> Iterator[None]:
    """Let the services run as if it were ``moment`` (aware UTC), in this context only."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given; use an aware UTC time")
    token = _clock_override.set(moment.astimezone(dt.UTC))
    try:
        yield
    finally:
        _clock_override.reset(token)


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, connection_record) -> None:
    """SQLite enforces foreign keys (and ON DELETE rules) only when asked, per connection.

    Also: SQLite's own lower() folds only ASCII ("Ø" stays "Ø"), PostgreSQL's every letter. The
    unique lower() indexes (e-mails, school names) and the lookups by them must fold the same way
    on both, so lower() on SQLite is Python's. Every connection of ours registers it; a database
    written by another tool with the built-in lower() needs `REINDEX` (migration 0015 does it).
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
