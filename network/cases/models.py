"""Cases and what hangs directly on them."""

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.db import UTCDateTime, db, utcnow
from network.members.models import Member

VISIBILITIES = ("named", "school_hidden", "anonymous")
STATUSES = ("draft", "open", "in_progress", "follow_up", "closed")
AL_STAGES = ("problem", "action", "experiment", "reflection", "new_actions")


class Case(db.Model):
    """A leadership dilemma posted for sparring, written along the AL cycle."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    problem: Mapped[str] = mapped_column(Text, default="")  # problemstilling
    context: Mapped[str] = mapped_column(Text, default="")
    tried: Mapped[str] = mapped_column(Text, default="")  # what I have tried
    question: Mapped[str] = mapped_column(Text, default="")  # what I want sparring on
    al_stage: Mapped[str] = mapped_column(String(20), default="problem")
    visibility: Mapped[str] = mapped_column(String(20), default="named")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    learning_summary: Mapped[str] = mapped_column(Text, default="")  # "Hvad skete der?"
    is_hidden: Mapped[bool] = mapped_column(default=False)  # hidden by a coordinator
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    last_activity_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    draft_saved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # last autosave

    author: Mapped[Member | None] = relationship(lazy="joined")
    tool_links: Mapped[list["CaseTool"]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    focus_links: Mapped[list["CaseFocus"]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    tag_links: Mapped[list["CaseTag"]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    tools: AssociationProxy[list[str]] = association_proxy(
        "tool_links", "tool", creator=lambda tool: CaseTool(tool=tool)
    )
    focus_areas: AssociationProxy[list[str]] = association_proxy(
        "focus_links", "focus", creator=lambda focus: CaseFocus(focus=focus)
    )
    tags: AssociationProxy[list[str]] = association_proxy(
        "tag_links", "tag", creator=lambda tag: CaseTag(tag=tag)
    )

    # Loaded with the case page only; lists count replies in SQL (listing.reply_counts).
    replies: Mapped[list["Reply"]] = relationship(
        back_populates="case", order_by="Reply.id", cascade="all, delete-orphan"
    )
    outcomes: Mapped[list["CaseSessionOutcome"]] = relationship(
        cascade="all, delete-orphan", order_by="CaseSessionOutcome.id"
    )

    @property
    def is_anonymous(self) -> bool:
        return self.visibility == "anonymous"


class CaseTool(db.Model):
    __tablename__ = "case_tools"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    tool: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class CaseFocus(db.Model):
    __tablename__ = "case_focus_areas"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    focus: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class CaseTag(db.Model):
    __tablename__ = "case_tags"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)


def normalize_tag(raw: str) -> str:
    """A free theme tag as stored and followed: trimmed, lower case, single spaces."""
    return " ".join(raw.strip().lower().lstrip("#").split())


REPLY_KINDS = ("question", "experience", "suggestion")  # questions first, in the programme's spirit
FLAG_SUBJECTS = ("case", "reply")
FOLLOW_KINDS = ("tag", "tool")


class Reply(db.Model):
    """A sparring answer to a case: a reflective question, an experience or a suggestion."""

    __tablename__ = "case_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="question")
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # soft delete
    helpful_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # marked by the case owner
    is_hidden: Mapped[bool] = mapped_column(default=False)  # hidden by a coordinator

    case: Mapped[Case] = relationship(back_populates="replies")
    author: Mapped[Member | None] = relationship(lazy="joined")
    revisions: Mapped[list["ReplyRevision"]] = relationship(
        cascade="all, delete-orphan", order_by="ReplyRevision.id"
    )


class ReplyRevision(db.Model):
    """The text a reply had before an edit: edits keep their history."""

    __tablename__ = "case_reply_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("case_replies.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    replaced_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaseFollow(db.Model):
    """A member follows one case."""

    __tablename__ = "case_follows"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaseRead(db.Model):
    """How far a member has read a case (as RoomMember does for rooms): the newest reply seen."""

    __tablename__ = "case_reads"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    last_read_reply_id: Mapped[int] = mapped_column(default=0)
    read_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class TopicFollow(db.Model):
    """A member follows a tag or a tool: new cases about it are notified."""

    __tablename__ = "case_topic_follows"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # "tag" or "tool"
    value: Mapped[str] = mapped_column(String(60), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Flag(db.Model):
    """A member's report of a case or reply for moderation; once per member and subject."""

    __tablename__ = "case_flags"
    __table_args__ = (UniqueConstraint("subject_type", "subject_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(10))  # "case" or "reply"
    subject_id: Mapped[int] = mapped_column(index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str] = mapped_column(String(20), default="")

    member: Mapped[Member | None] = relationship()


class CaseReminder(db.Model):
    """A "what happened?" reminder that was sent; the row makes the job safe to run twice."""

    __tablename__ = "case_reminders"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    weeks: Mapped[int] = mapped_column(primary_key=True)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaseInvitation(db.Model):
    """A matched peer the owner invited to give sparring on the case."""

    __tablename__ = "case_invitations"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    invited_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaseSessionOutcome(db.Model):
    """What a reflecting-team session agreed on, saved back to the case."""

    __tablename__ = "case_session_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    session_title: Mapped[str] = mapped_column(String(200), default="")
    next_actions: Mapped[str] = mapped_column(Text, default="")
    learnings: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
