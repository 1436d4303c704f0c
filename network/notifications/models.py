"""Notifications: one row per member and event."""

import datetime as dt

from flask_babel import gettext
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from network.db import UTCDateTime, db, utcnow


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_member_unread", "member_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    # The title's Danish source text and its values: shown in the reader's language, not the actor's.
    title_msgid: Mapped[str] = mapped_column(Text, default="", server_default="")
    title_params: Mapped[dict | None] = mapped_column(db.JSON, default=dict)
    # Who did it, what kind of reply, and an excerpt (network/mail/compose.describe reads these too).
    actor_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    reply_kind: Mapped[str] = mapped_column(String(20), default="", server_default="")
    excerpt: Mapped[str] = mapped_column(String(300), default="", server_default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    # What the notification is about, so it can be withdrawn when that content is hidden.
    subject_type: Mapped[str] = mapped_column(String(40), default="")
    subject_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Set when the event was mailed on its own or in a digest; digests pick the unmailed ones.
    emailed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @property
    def display_title(self) -> str:
        """The title in the current language (a stored, pre-rendered title for old rows)."""
        if self.title_msgid:
            return gettext(self.title_msgid, **(self.title_params or {}))
        return self.title
