"""Rules for schools, members, profiles and the directory."""

import dataclasses
import datetime as dt
import io
import secrets
import typing as t
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError
from sqlalchemy import Text, cast, exists, func, or_, select, update
from sqlalchemy.orm import selectinload
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from network.audit import service as audit
from network.db import contains_text, db, utcnow
from network.domain import (
    EDUCATION_AREAS,
    EMAIL_FREQUENCIES,
    FOCUS_AREAS,
    REGIONS,
    ROLES,
    SCHOOL_TYPES,
    TOOLS,
)
from network.errors import Conflict, DomainError, NotAllowed, NotFound
from network.members.models import (
    PRIVATE_CAPABLE_FIELDS,
    Member,
    MemberFocus,
    MemberTool,
    School,
)

AVATAR_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# The 30,000 most common passwords from zxcvbn's lists, plus words nobody should use here.
COMMON_PASSWORDS = frozenset(FREQUENCY_LISTS["passwords"]) | {
    "ledernetvaerket",
    "ledernetværket",
    "erhvervsskole",
    "sommerfugl",
    "password123",
}


class EmailTaken(Conflict):
    default_message = _l("Der findes allerede et medlem med denne e-mailadresse.")


class UnknownSchool(DomainError):
    default_message = _l("Vælg en skole fra listen.")


class WeakPassword(DomainError):
    default_message = _l("Adgangskoden er for svag.")


class InvalidAvatar(DomainError):
    default_message = _l("Billedet kunne ikke bruges.")


class InvalidEmail(DomainError):
    default_message = _l("Skriv en gyldig e-mailadresse.")


def normalize_email(raw: str) -> str:
    """A syntactically valid email address, normalised, or InvalidEmail.

    test_environment allows the reserved .test domain (demo and test addresses), nothing else.
    """
    try:
        return validate_email(raw.strip(), check_deliverability=False, test_environment=True).normalized
    except EmailNotValidError as error:
        raise InvalidEmail(field="email") from error


# --- passwords ---------------------------------------------------------------------------


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why a password is too weak (a message for the user), or None when it is fine."""
    min_length = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < min_length:
        return str(_l("Adgangskoden skal være på mindst %(n)d tegn.", n=min_length))
    lowered = password.lower()
    # zxcvbn also catches keyboard walks, sequences and repeats ("123456789012", "qwertyuiop").
    too_common = lowered in COMMON_PASSWORDS or zxcvbn(password[:100])["score"] < 2
    if too_common:
        return str(_l("Adgangskoden er for almindelig. Vælg en, der er sværere at gætte."))
    personal = [email.lower().split("@")[0], *name.lower().split()]
    if any(len(word) >= 4 and word in lowered and len(lowered) - len(word) < 6 for word in personal):
        return str(_l("Adgangskoden ligner dit navn eller din e-mail for meget."))
    return None


def set_password(member: Member, password: str) -> None:
    """Check and set a password; rotates the session token so other sessions end."""
    problem = password_problem(password, email=member.email, name=member.name)
    if problem:
        raise WeakPassword(problem, field="password")
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    member.password_hash = generate_password_hash(password, method=method)
    rotate_session_token(member)


def rotate_session_token(member: Member) -> None:
    """End every signed-in session of the member: browsers, remember-me cookies, open sockets."""
    member.session_token = secrets.token_hex(16)


def check_password(member: Member, password: str) -> bool:
    """True when the password matches the member's."""
    return bool(member.password_hash) and check_password_hash(member.password_hash, password)


# --- schools -----------------------------------------------------------------------------


def with_profile_fields(query):  # noqa: ANN001, ANN201 - a Select of Member
    """The query, loading each member's tools, focus and education areas in one query each."""
    return query.options(
        selectinload(Member.tool_links), selectinload(Member.focus_links), selectinload(Member.area_links)
    )


def list_schools() -> list[School]:
    """All schools, by name, with their education areas."""
    return list(
        db.session.scalars(select(School).options(selectinload(School.area_links)).order_by(School.name))
    )


def get_school(school_id: int) -> School:
    """A school by id, or NotFound."""
    school = db.session.get(School, school_id)
    if school is None:
        raise NotFound(_l("Skolen findes ikke."))
    return school


def require_school(school_id: int | None) -> School:
    """The school a form or API call named, or UnknownSchool."""
    school = db.session.get(School, school_id) if school_id else None
    if school is None:
        raise UnknownSchool(field="school_id")
    return school


def save_school(
    actor: Member,
    school: School | None,
    *,
    name: str,
    city: str,
    region: str,
    kind: str,
    education_areas: t.Iterable[str],
) -> School:
    """Create (school=None) or update a school; coordinators only."""
    if not actor.is_coordinator:
        raise NotAllowed()
    school = _write_school(
        school or School(), name=name, city=city, region=region, kind=kind, education_areas=education_areas
    )
    audit.record(actor, "school.saved", "school", school.id, school.name)
    return school


def add_founding_school(
    *, name: str, city: str, region: str, kind: str, education_areas: t.Iterable[str], is_demo: bool = False
) -> School:
    """Add a school before any coordinator exists to do it (the demo network's schools)."""
    return _write_school(
        School(is_demo=is_demo),
        name=name,
        city=city,
        region=region,
        kind=kind,
        education_areas=education_areas,
    )


def find_school_by_name(name: str) -> School | None:
    """The school with this name, compared case-insensitively (Ø and ø alike, on every database)."""
    return db.session.scalar(select(School).where(func.lower(School.name) == name.strip().lower()))


def _write_school(
    school: School, *, name: str, city: str, region: str, kind: str, education_areas: t.Iterable[str]
) -> School:
    """Check and write a school's fields: a unique name, a known region and type."""
    name = name.strip()
    clash = find_school_by_name(name)
    if clash is not None and clash.id != school.id:
        raise Conflict(_l("Der findes allerede en skole med det navn."), field="name")
    if region not in REGIONS or kind not in SCHOOL_TYPES:
        raise DomainError(_l("Ukendt region eller skoletype."))
    school.name, school.city, school.region, school.kind = name, city.strip(), region, kind
    school.education_areas = _known(education_areas, EDUCATION_AREAS)
    db.session.add(school)
    db.session.flush()
    return school


# --- members -----------------------------------------------------------------------------


def find_member_by_email(email: str) -> Member | None:
    """The member with this email, compared case-insensitively."""
    return db.session.scalar(select(Member).where(func.lower(Member.email) == email.strip().lower()))


def get_member(member_id: int) -> Member:
    """A member by id, or NotFound."""
    member = db.session.get(Member, member_id)
    if member is None or not member.is_active_member:
        raise NotFound(_l("Medlemmet findes ikke."))
    return member


def create_member(
    *,
    email: str,
    name: str,
    school_id: int | None,
    role: str = "member",
    password: str | None = None,
    title: str = "",
    is_demo: bool = False,
) -> Member:
    """Add a member; the email must be valid and new, the school known."""
    email = normalize_email(email)
    if find_member_by_email(email):
        raise EmailTaken(field="email")
    if role not in ROLES:
        raise DomainError(_l("Ukendt rolle."), field="role")
    school = require_school(school_id)
    member = Member(
        email=email,
        name=name.strip(),
        school=school,
        role=role,
        title=title.strip(),
        is_demo=is_demo,
        private_fields=[],
    )
    if password is not None:
        set_password(member, password)
    db.session.add(member)
    db.session.flush()
    current_app.logger.info("member created: %s (%s)", member.id, role)
    return member


@dataclasses.dataclass
class ProfileChanges:
    """The editable parts of a profile; None means 'leave as it is'."""

    name: str | None = None
    title: str | None = None
    phone: str | None = None
    bio: str | None = None
    school_id: int | None = None
    open_for_sparring: bool | None = None
    tools: list[str] | None = None
    focus_areas: list[str] | None = None
    education_areas: list[str] | None = None
    private_fields: list[str] | None = None
    locale: str | None = None
    email_frequency: str | None = None


def update_profile(actor: Member, member: Member, changes: ProfileChanges) -> Member:
    """Apply profile changes; members edit only their own profile."""
    if actor.id != member.id:
        raise NotAllowed(_l("Du kan kun redigere din egen profil."))
    if changes.name is not None:
        if not changes.name.strip():
            raise DomainError(_l("Skriv dit navn."), field="name")
        member.name = changes.name.strip()
    for field in ("title", "phone", "bio"):
        value = getattr(changes, field)
        if value is not None:
            setattr(member, field, value.strip())
    if changes.school_id is not None:
        member.school = require_school(changes.school_id)
    if changes.open_for_sparring is not None:
        member.open_for_sparring = changes.open_for_sparring
    if changes.tools is not None:
        member.tools = _known(changes.tools, TOOLS)
    if changes.focus_areas is not None:
        member.focus_areas = _known(changes.focus_areas, FOCUS_AREAS)
    if changes.education_areas is not None:
        member.education_areas = _known(changes.education_areas, EDUCATION_AREAS)
    if changes.private_fields is not None:
        member.private_fields = [f for f in PRIVATE_CAPABLE_FIELDS if f in changes.private_fields]
    if changes.email_frequency is not None:
        if changes.email_frequency not in EMAIL_FREQUENCIES:
            raise DomainError(_l("Ukendt valg for e-mails."), field="email_frequency")
        member.email_frequency = changes.email_frequency
    if changes.locale is not None:
        member.locale = changes.locale if changes.locale in current_app.config["LANGUAGES"] else None
    db.session.flush()
    return member


def change_role(actor: Member, member: Member, role: str) -> Member:
    """Give a member another role; admins only, and never the last admin away."""
    if not actor.is_admin:
        raise NotAllowed(_l("Kun administratorer kan ændre roller."))
    if role not in ROLES:
        raise DomainError(_l("Ukendt rolle."), field="role")
    if member.role == "admin" and role != "admin":
        admins = db.session.scalar(select(func.count()).where(Member.role == "admin"))
        if admins <= 1:
            raise DomainError(_l("Netværket skal have mindst én administrator."))
    previous, member.role = member.role, role
    db.session.flush()
    audit.record(actor, "member.role_changed", "member", member.id, f"{previous} -> {role}")
    return member


def _known(values: t.Iterable[str], vocabulary: t.Mapping[str, t.Any]) -> list[str]:
    """The values that belong to the vocabulary, once each, in vocabulary order."""
    wanted = set(values)
    return [key for key in vocabulary if key in wanted]


# --- privacy -----------------------------------------------------------------------------


def can_see_field(viewer: Member | None, member: Member, field: str) -> bool:
    """Whether the viewer may see one profile field of the member."""
    if viewer is None:
        return False
    if viewer.id == member.id or viewer.is_coordinator:
        return True
    return field not in (member.private_fields or [])


ACTIVITY_BUCKETS = (("this_week", dt.timedelta(days=7)), ("this_month", dt.timedelta(days=31)))


def activity_as_seen(member: Member) -> str | None:
    """How recently the member was active, coarsely: "this_week", "this_month", "earlier" or None.

    Nobody gets another member's exact last activity: lined up with the time an anonymous case
    was published, an exact time would point to its author (issue 14, finding 8).
    """
    if member.last_active_at is None:
        return None
    age = utcnow() - member.last_active_at
    return next((name for name, within in ACTIVITY_BUCKETS if age <= within), "earlier")


def visible_profile(viewer: Member, member: Member) -> dict[str, t.Any]:
    """The member's profile as the viewer may see it: private fields are left out."""
    profile: dict[str, t.Any] = {
        "id": member.id,
        "name": member.name,
        "initials": member.initials,
        "school": member.school,
        "open_for_sparring": member.open_for_sparring,
        "has_avatar": bool(member.avatar_file),
        "role": member.role,
        "active": activity_as_seen(member),
    }
    for field in PRIVATE_CAPABLE_FIELDS:
        if can_see_field(viewer, member, field):
            value = getattr(member, field)
            profile[field] = list(value) if field in ("tools", "focus_areas", "education_areas") else value
    return profile


# --- directory ---------------------------------------------------------------------------


@dataclasses.dataclass
class DirectoryFilters:
    q: str = ""
    school_id: int | None = None
    region: str = ""
    tool: str = ""
    focus: str = ""
    open_for_sparring: bool = False


def directory_query(viewer: Member, filters: DirectoryFilters):  # noqa: ANN201 - a Select
    """Members matching the filters, by name. Private fields never match for others."""
    query = with_profile_fields(select(Member)).where(Member.is_active_member.is_(True))
    query = query.order_by(Member.name, Member.id)
    if filters.q.strip():
        q = filters.q.strip()
        title_matches = contains_text(Member.title, q)
        if not viewer.is_coordinator:
            # A private title must not be found by guessing it either.
            title_matches = title_matches & or_(Member.id == viewer.id, _not_private("title"))
        query = query.where(or_(contains_text(Member.name, q), title_matches))
    if filters.school_id:
        query = query.where(Member.school_id == filters.school_id)
    if filters.region:
        query = query.join(School, Member.school).where(School.region == filters.region)
    if filters.open_for_sparring:
        query = query.where(Member.open_for_sparring.is_(True))
    for value, link, column, field in (
        (filters.tool, MemberTool, MemberTool.tool, "tools"),
        (filters.focus, MemberFocus, MemberFocus.focus, "focus_areas"),
    ):
        if not value:
            continue
        query = query.where(exists().where(link.member_id == Member.id, column == value))
        if not viewer.is_coordinator:
            # A field the member keeps private must not leak through a filter either.
            query = query.where(or_(Member.id == viewer.id, _not_private(field)))
    return query


def _not_private(field: str):  # noqa: ANN202 - a SQL expression
    """SQL: the member's private_fields JSON list does not contain the field."""
    # JSON lists are stored as text on both backends' JSON types; a quoted match is exact
    # because field names contain no quotes.
    return ~func.coalesce(cast(Member.private_fields, Text), "").contains(f'"{field}"')


def search_directory(viewer: Member, filters: DirectoryFilters, page: int = 1, per_page: int = 24):
    """One page of the directory."""
    return db.paginate(directory_query(viewer, filters), page=page, per_page=per_page, error_out=False)


def school_members(school: School) -> list[Member]:
    """The active members of a school, by name."""
    return list(
        db.session.scalars(
            with_profile_fields(select(Member))
            .where(Member.school_id == school.id, Member.is_active_member.is_(True))
            .order_by(Member.name)
        )
    )


def touch_last_active(member: Member) -> None:
    """Record that the member is active, at most once per few minutes (one small UPDATE)."""
    now = utcnow()
    resolution = dt.timedelta(seconds=current_app.config["LAST_ACTIVE_RESOLUTION_SECONDS"])
    if member.last_active_at and now - member.last_active_at < resolution:
        return
    db.session.execute(update(Member).where(Member.id == member.id).values(last_active_at=now))
    db.session.commit()
    member.last_active_at = now


# --- avatars -----------------------------------------------------------------------------


def avatar_dir() -> Path:
    """Where avatars are stored: outside static/, served only to signed-in members."""
    path = Path(current_app.config["UPLOAD_DIR"]) / "avatars"
    path.mkdir(parents=True, exist_ok=True)
    return path


def set_avatar(member: Member, stream: t.BinaryIO) -> None:
    """Store a new avatar: the image is decoded, cropped square and re-encoded as PNG.

    Re-encoding drops metadata and anything a crafted file smuggles beside the pixels.
    """
    data = stream.read(current_app.config["AVATAR_MAX_BYTES"] + 1)
    if len(data) > current_app.config["AVATAR_MAX_BYTES"]:
        limit_mb = current_app.config["AVATAR_MAX_BYTES"] // (1024 * 1024)
        raise InvalidAvatar(_l("Billedet må højst fylde %(mb)d MB.", mb=limit_mb), field="avatar")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in AVATAR_FORMATS:
                raise InvalidAvatar(_l("Vælg et billede i JPEG, PNG, WebP eller GIF."), field="avatar")
            if image.width * image.height > 40_000_000:
                raise InvalidAvatar(_l("Billedet er for stort."), field="avatar")
            image.load()
            square = _square(image.convert("RGB"), current_app.config["AVATAR_SIZE_PX"])
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise InvalidAvatar(_l("Filen er ikke et billede, vi kan læse."), field="avatar") from error
    name = f"{secrets.token_hex(16)}.png"
    square.save(avatar_dir() / name, format="PNG")
    remove_avatar(member)
    member.avatar_file = name
    db.session.flush()


def _square(image: Image.Image, size: int) -> Image.Image:
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    return image.crop((left, top, left + side, top + side)).resize((size, size))


def remove_avatar(member: Member) -> None:
    """Delete the member's avatar file, back to initials."""
    if member.avatar_file:
        (avatar_dir() / member.avatar_file).unlink(missing_ok=True)
        member.avatar_file = None
        db.session.flush()


def admin_count() -> int:
    """How many administrators the network has."""
    return db.session.scalar(select(func.count()).where(Member.role == "admin")) or 0
