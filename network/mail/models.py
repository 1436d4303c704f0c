"""The mail outbox: one row per mail, written in the transaction of the change that caused it."""

import datetime as dt

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from network.db import UTCDateTime, db, utcnow


class OutgoingMail(db.Model):
    """A rendered mail waiting to be sent; the worker deletes it once the mail server took it.

    A row is *claimed* by one worker at a time (``claimed_by`` until ``claimed_until``), so two
    processes never send the same mail; a worker that dies leaves a claim that simply runs out.
    """

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_due", "given_up_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text, default="")
    # Extra headers, e.g. List-Unsubscribe; values are already one line (see compose.safe_header).
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    message_id: Mapped[str] = mapped_column(String(250))
    category: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str] = mapped_column(String(64), default="")
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Set when the mail server refused the address for good, or retrying ran out of time.
    given_up_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
