"""Cases and what hangs directly on them."""

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
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
