"""AL projects: the AL cycle as guided sections, leaders, and links to cases."""

import datetime as dt

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.db import UTCDateTime, db, utcnow
from network.members.models import Member, School

PROJECT_STATUSES = ("ongoing", "completed")

project_leaders = Table(
    "project_leaders",
    db.metadata,
    Column("project_id", ForeignKey("al_projects.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
)


class ALProject(db.Model):
    """An Action Learning project: problem, actions, experiments, reflection, new actions, result."""

    __tablename__ = "al_projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    # Former participants who are not members, as names.
    former_leaders: Mapped[str] = mapped_column(String(300), default="")
    period_start: Mapped[dt.date | None] = mapped_column()
    period_end: Mapped[dt.date | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default="ongoing")
    problem: Mapped[str] = mapped_column(Text, default="")  # problemformulering
    actions: Mapped[str] = mapped_column(Text, default="")  # handlinger sat i gang
    experiments: Mapped[str] = mapped_column(Text, default="")  # handling og eksperimenter
    reflection: Mapped[str] = mapped_column(Text, default="")  # refleksion i lederteamet
    new_actions: Mapped[str] = mapped_column(Text, default="")  # nye handlinger
    results: Mapped[str] = mapped_column(Text, default="")  # resultater og læring
    is_hidden: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    school: Mapped[School | None] = relationship(lazy="joined")
    created_by: Mapped[Member | None] = relationship(foreign_keys=[created_by_id])
    leaders: Mapped[list[Member]] = relationship(secondary=project_leaders, lazy="selectin")
    tool_links: Mapped[list["ProjectTool"]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    focus_links: Mapped[list["ProjectFocus"]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    attachments: Mapped[list["ProjectAttachment"]] = relationship(
        cascade="all, delete-orphan", order_by="ProjectAttachment.id", lazy="selectin"
    )
    case_links: Mapped[list["ProjectCaseLink"]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    tools: AssociationProxy[list[str]] = association_proxy(
        "tool_links", "tool", creator=lambda tool: ProjectTool(tool=tool)
    )
    focus_areas: AssociationProxy[list[str]] = association_proxy(
        "focus_links", "focus", creator=lambda focus: ProjectFocus(focus=focus)
    )


class ProjectTool(db.Model):
    __tablename__ = "project_tools"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("al_projects.id", ondelete="CASCADE"), primary_key=True
    )
    tool: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class ProjectFocus(db.Model):
    __tablename__ = "project_focus_areas"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("al_projects.id", ondelete="CASCADE"), primary_key=True
    )
    focus: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class ProjectCaseLink(db.Model):
    """A project came from a case, or led to one."""

    __tablename__ = "project_case_links"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("al_projects.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    relation: Mapped[str] = mapped_column(String(20), default="related")  # came_from, led_to, related


ATTACHMENT_KINDS = ("pdf", "docx", "txt", "md")
# What text extraction found: ok (text), empty (no text in the file), failed (broken, encrypted or too slow).
EXTRACTION_STATES = ("ok", "empty", "encrypted", "failed")


class ProjectAttachment(db.Model):
    """A report attached to a project, stored outside static/ under a random name."""

    __tablename__ = "project_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("al_projects.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(200))  # the uploader's name, made safe
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    size: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(Text, default="")
    extraction: Mapped[str] = mapped_column(String(20), default="ok")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
