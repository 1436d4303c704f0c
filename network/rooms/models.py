"""Rooms, their messages, who reads and who is online, and reflecting-team sessions."""

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.db import UTCDateTime, db, utcnow
from network.members.models import Member

ROOM_KINDS = ("standing", "case")
ROOM_ACCESS = ("open", "invite")

# A reflecting-team session (docs/architecture.md, "Domain words"): the phases in order, default minutes.
PHASES = ("present", "questions", "reflecting", "response", "roundup")
DEFAULT_MINUTES = {"present": 10, "questions": 10, "reflecting": 15, "response": 10, "roundup": 10}
SESSION_STATUSES = ("running", "paused", "finished")


class Room(db.Model):
    """A live sparring room: standing (a region, a tool, a theme) or opened for one case."""

    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default="standing")
    access: Mapped[str] = mapped_column(String(20), default="open")
    region: Mapped[str] = mapped_column(String(40), default="")
    tool: Mapped[str] = mapped_column(String(40), default="")
    theme: Mapped[str] = mapped_column(String(120), default="")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[Member | None] = relationship(lazy="joined")


class RoomMember(db.Model):
    """A member's place in a room: invited (invite-only rooms) and how far they have read."""

    __tablename__ = "room_members"

    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    is_invited: Mapped[bool] = mapped_column(default=False)
    last_read_message_id: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    member: Mapped[Member] = relationship(lazy="joined")


class Message(db.Model):
    """One chat message, stored before it is broadcast; (room, author, client_id) makes retries safe."""

    __tablename__ = "room_messages"
    __table_args__ = (
        UniqueConstraint("room_id", "author_id", "client_id", name="uq_room_messages_client_id"),
        Index("ix_room_messages_room_id_id", "room_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    client_id: Mapped[str] = mapped_column(String(36))
    body: Mapped[str] = mapped_column(Text, default="")
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("reflecting_sessions.id", ondelete="SET NULL"), index=True
    )
    phase: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    edited_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[Member | None] = relationship(lazy="joined")


class Presence(db.Model):
    """A live connection in a room, keyed by Socket.IO sid; online = seen within the heartbeat window.

    A table rather than process memory, so every process behind the proxy sees the same presence;
    rows of a process that died simply stop being refreshed and age out.
    """

    __tablename__ = "room_presence"

    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    last_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ReflectingSession(db.Model):
    """A timed reflecting-team session in a room; the server keeps phase, deadline and who may post."""

    __tablename__ = "reflecting_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    case_giver_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="running", index=True)
    # [{"key": "present", "minutes": 10}, ...] as the facilitator set them before the start
    phases: Mapped[list[dict]] = mapped_column(db.JSON, default=list)
    phase_index: Mapped[int] = mapped_column(default=0)
    phase_deadline: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    paused_remaining_seconds: Mapped[int | None] = mapped_column()
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # MERGE: the summary belongs on the case; until the cases service exists it is kept here.
    next_actions: Mapped[str] = mapped_column(Text, default="")
    learnings: Mapped[str] = mapped_column(Text, default="")
    summary_saved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)
    # Optimistic locking: two facilitator events at once (a double click, two tabs) must not both
    # advance from the same phase; the second update finds a newer version and is refused.
    __mapper_args__ = {"version_id_col": version}

    room: Mapped[Room] = relationship(lazy="joined")
    facilitator: Mapped[Member | None] = relationship(foreign_keys=[facilitator_id], lazy="joined")
    case_giver: Mapped[Member | None] = relationship(foreign_keys=[case_giver_id], lazy="joined")
    participants: Mapped[list["SessionParticipant"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def phase(self) -> str:
        if self.status == "finished":
            return "finished"
        return self.phases[self.phase_index]["key"]


class SessionParticipant(db.Model):
    """A member of the reflecting team or an observer in one session."""

    __tablename__ = "session_participants"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("reflecting_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))  # "team" or "observer"

    member: Mapped[Member] = relationship(lazy="joined")
