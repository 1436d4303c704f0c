"""Meetups: the meeting, its organisers, invited schools, agenda, RSVPs, date poll and feeds."""

import datetime as dt
import uuid

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.db import UTCDateTime, db, utcnow
from network.members.models import Member, School

VISIBILITIES = ("network", "invited")
STATUSES = ("polling", "scheduled", "cancelled")
# "waitlist" is a "going" answer that did not fit; it is promoted in order of waitlisted_at.
RSVP_STATES = ("going", "waitlist", "maybe", "not_going")
POLL_ANSWERS = ("yes", "if_need_be", "no")

meetup_organisers = Table(
    "meetup_organisers",
    db.metadata,
    Column("meetup_id", ForeignKey("meetups.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
)

meetup_invited_schools = Table(
    "meetup_invited_schools",
    db.metadata,
    Column("meetup_id", ForeignKey("meetups.id", ondelete="CASCADE"), primary_key=True),
    Column("school_id", ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True),
)

meetup_discussed_cases = Table(
    "meetup_discussed_cases",
    db.metadata,
    Column("meetup_id", ForeignKey("meetups.id", ondelete="CASCADE"), primary_key=True),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
)


class Meetup(db.Model):
    """A cross-school meeting; times are stored in UTC and shown in Europe/Copenhagen."""

    __tablename__ = "meetups"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The iCalendar UID: stable for the meetup's whole life, so calendars update instead of duplicating.
    uid: Mapped[str] = mapped_column(
        String(80), unique=True, default=lambda: f"{uuid.uuid4()}@ledernetvaerket"
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    host_school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    starts_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column(default=30)
    rsvp_deadline: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    visibility: Mapped[str] = mapped_column(String(20), default="network")
    status: Mapped[str] = mapped_column(String(20), default="scheduled", index=True)
    # Raised on every change, so calendar clients replace their copy (RFC 5545 SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    host_school: Mapped[School | None] = relationship(lazy="joined")
    created_by: Mapped[Member | None] = relationship(foreign_keys=[created_by_id])
    organisers: Mapped[list[Member]] = relationship(secondary=meetup_organisers, lazy="selectin")
    invited_schools: Mapped[list[School]] = relationship(secondary=meetup_invited_schools, lazy="selectin")
    discussed_cases = relationship("Case", secondary=meetup_discussed_cases, lazy="selectin")
    agenda: Mapped[list["AgendaItem"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="AgendaItem.position"
    )
    rsvps: Mapped[list["Rsvp"]] = relationship(cascade="all, delete-orphan", back_populates="meetup")
    poll_options: Mapped[list["PollOption"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="PollOption.starts_at"
    )

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def is_polling(self) -> bool:
        return self.status == "polling"


class AgendaItem(db.Model):
    """One item on the agenda, optionally about an open case or an AL project."""

    __tablename__ = "meetup_agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meetup_id: Mapped[int] = mapped_column(ForeignKey("meetups.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("al_projects.id", ondelete="SET NULL"))

    case = relationship("Case", lazy="joined")
    project = relationship("ALProject", lazy="joined")


class Rsvp(db.Model):
    """A member's answer to a meetup; a full meetup turns "going" into a place on the waitlist."""

    __tablename__ = "meetup_rsvps"
    __table_args__ = (UniqueConstraint("meetup_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meetup_id: Mapped[int] = mapped_column(ForeignKey("meetups.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    waitlisted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    attended: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    meetup: Mapped[Meetup] = relationship(back_populates="rsvps")
    member: Mapped[Member] = relationship(lazy="joined")


class PollOption(db.Model):
    """A candidate time in a date poll."""

    __tablename__ = "meetup_poll_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    meetup_id: Mapped[int] = mapped_column(ForeignKey("meetups.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    answers: Mapped[list["PollAnswer"]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class PollAnswer(db.Model):
    __tablename__ = "meetup_poll_answers"

    option_id: Mapped[int] = mapped_column(
        ForeignKey("meetup_poll_options.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    answer: Mapped[str] = mapped_column(String(20))

    member: Mapped[Member] = relationship(lazy="joined")


class CalendarFeed(db.Model):
    """A member's secret calendar subscription; only the token's hash is stored."""

    __tablename__ = "meetup_calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    member: Mapped[Member] = relationship(lazy="joined")


class ReminderSent(db.Model):
    """What the reminder job already sent, so running it twice sends nothing twice."""

    __tablename__ = "meetup_reminders_sent"
    __table_args__ = (UniqueConstraint("meetup_id", "member_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meetup_id: Mapped[int] = mapped_column(ForeignKey("meetups.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # "upcoming" or "unanswered"
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
