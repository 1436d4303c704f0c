"""Schools and members."""

import datetime as dt
import secrets

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, Text, func
from sqlalchemy import true as sa_true
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.db import UTCDateTime, db, utcnow

# Profile fields a member may restrict to coordinators; name and school are always visible,
# since a network where you cannot see who is who does not work.
PRIVATE_CAPABLE_FIELDS = ("email", "phone", "title", "bio", "education_areas", "tools", "focus_areas")


class School(db.Model):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    city: Mapped[str] = mapped_column(String(100), default="")
    region: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20), default="other")
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Loaded when asked for (lists that show them ask with selectinload: see members.service).
    area_links: Mapped[list["SchoolEducationArea"]] = relationship(cascade="all, delete-orphan")
    education_areas: AssociationProxy[list[str]] = association_proxy(
        "area_links", "area", creator=lambda area: SchoolEducationArea(area=area)
    )
    members: Mapped[list["Member"]] = relationship(back_populates="school")

    def __repr__(self) -> str:
        return f"<School {self.name}>"


class SchoolEducationArea(db.Model):
    __tablename__ = "school_education_areas"

    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True)
    area: Mapped[str] = mapped_column(String(40), primary_key=True)


def initials(name: str) -> str:
    """Up to two initials of a name, for an avatar without a photo ("Anna Bo Holm" -> "AH")."""
    parts = [p for p in str(name).split() if p[:1].isalpha()]
    if not parts:
        return "?"
    return (parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")).upper()


class Member(UserMixin, db.Model):
    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(300), default="")
    # Rotated on password change and "sign out everywhere": old sessions and cookies stop working.
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_hex(16))
    role: Mapped[str] = mapped_column(String(20), default="member")
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    title: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    open_for_sparring: Mapped[bool] = mapped_column(default=True)
    avatar_file: Mapped[str | None] = mapped_column(String(80))
    private_fields: Mapped[list[str]] = mapped_column(db.JSON, default=list)
    locale: Mapped[str | None] = mapped_column(String(5))
    # How notifications reach the member by mail: each event, a daily or weekly digest, or never.
    email_frequency: Mapped[str] = mapped_column(String(10), default="event")
    # Whether the "what happened?" reminders about one's open cases come by mail (network/mail).
    mail_reminders: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    failed_login_count: Mapped[int] = mapped_column(default=0)
    locked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # see auth.service.authenticate
    is_active_member: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_active_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    school: Mapped[School | None] = relationship(back_populates="members", lazy="joined")
    # Not loaded with every member (a page of replies loads many authors and needs none of
    # these); lists that show them load them in one query each with `with_profile_fields`.
    tool_links: Mapped[list["MemberTool"]] = relationship(cascade="all, delete-orphan")
    focus_links: Mapped[list["MemberFocus"]] = relationship(cascade="all, delete-orphan")
    area_links: Mapped[list["MemberEducationArea"]] = relationship(cascade="all, delete-orphan")
    tools: AssociationProxy[list[str]] = association_proxy(
        "tool_links", "tool", creator=lambda tool: MemberTool(tool=tool)
    )
    focus_areas: AssociationProxy[list[str]] = association_proxy(
        "focus_links", "focus", creator=lambda focus: MemberFocus(focus=focus)
    )
    education_areas: AssociationProxy[list[str]] = association_proxy(
        "area_links", "area", creator=lambda area: MemberEducationArea(area=area)
    )

    def get_id(self) -> str:
        """Flask-Login id: the member id plus the session token, so rotating it signs out."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.is_active_member

    @property
    def is_coordinator(self) -> bool:
        return self.role in ("coordinator", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def initials(self) -> str:
        return initials(self.name)

    def __repr__(self) -> str:
        return f"<Member {self.id} {self.email}>"


# Emails and school names are unique regardless of case: Anna@x.dk and anna@x.dk are the same
# person, "Ørsted Skole" and "ørsted skole" the same school (lower() folds Unicode on SQLite too: db.py).
Index("ix_members_email_lower", func.lower(Member.email), unique=True)
Index("ix_schools_name_lower", func.lower(School.name), unique=True)


class MemberTool(db.Model):
    __tablename__ = "member_tools"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    tool: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class MemberFocus(db.Model):
    __tablename__ = "member_focus_areas"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    focus: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class MemberEducationArea(db.Model):
    __tablename__ = "member_education_areas"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    area: Mapped[str] = mapped_column(String(40), primary_key=True)
