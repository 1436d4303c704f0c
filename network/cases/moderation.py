"""Moderation: members flag a case or reply once; coordinators hide or restore; all logged."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from network.audit import service as audit
from network.cases import social
from network.cases.access import can_view_case
from network.cases.models import FLAG_SUBJECTS, Case, Flag, Reply
from network.db import db, utcnow
from network.errors import Conflict, DomainError, NotAllowed
from network.members.models import Member
from network.search import outbox

REASON_MAX = 1_000


class AlreadyFlagged(Conflict):
    default_message = _l("Du har allerede anmeldt dette til en koordinator.")


def flag(member: Member, subject: Case | Reply, reason: str) -> Flag:
    """Report a case or reply to the coordinators, with a reason; once per member and subject."""
    case = subject if isinstance(subject, Case) else subject.case
    subject_type = "case" if isinstance(subject, Case) else "reply"
    if not can_view_case(member, case):
        raise NotAllowed()
    reason = reason.strip()
    if not reason:
        raise DomainError(_l("Skriv kort, hvorfor en koordinator bør se på det."), field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_l("Begrundelsen må højst være på %(n)d tegn.", n=REASON_MAX), field="reason")
    exists = db.session.scalar(
        select(Flag).where(
            Flag.subject_type == subject_type, Flag.subject_id == subject.id, Flag.member_id == member.id
        )
    )
    if exists is not None:
        raise AlreadyFlagged()
    entry = Flag(
        subject_type=subject_type, subject_id=subject.id, case_id=case.id, member=member, reason=reason
    )
    db.session.add(entry)
    db.session.flush()
    _tell_coordinators(subject_type, subject.id, case)
    return entry


def _tell_coordinators(subject_type: str, subject_id: int, case: Case) -> None:
    """A bell entry for each coordinator: there is something in the moderation queue."""
    coordinators = db.session.scalars(
        select(Member).where(Member.role.in_(("coordinator", "admin")), Member.is_active_member.is_(True))
    )
    title = str(_l("Nyt til moderation: sagen »%(title)s« er anmeldt", title=case.title))
    for coordinator in coordinators:
        social.notifications.notify(
            coordinator,
            "case.flagged",
            title,
            url=queue_url(),
            subject_type=subject_type,
            subject_id=subject_id,
        )


def queue_url() -> str:
    """The moderation queue's path (built without a request)."""
    root = current_app.config.get("APPLICATION_ROOT") or "/"
    return current_app.url_map.bind("localhost", script_name=root).build("case_moderation.queue")


def queue(coordinator: Member) -> list[Flag]:
    """Open flags, oldest first; coordinators only."""
    if not coordinator.is_coordinator:
        raise NotAllowed()
    return list(
        db.session.scalars(select(Flag).where(Flag.resolved_at.is_(None)).order_by(Flag.created_at, Flag.id))
    )


def _resolve(subject_type: str, subject_id: int, resolution: str) -> None:
    for entry in db.session.scalars(
        select(Flag).where(
            Flag.subject_type == subject_type, Flag.subject_id == subject_id, Flag.resolved_at.is_(None)
        )
    ):
        entry.resolved_at, entry.resolution = utcnow(), resolution


def set_hidden(coordinator: Member, subject: Case | Reply, hidden: bool, note: str = "") -> None:
    """Hide or restore a case or a reply; hiding withdraws notifications about it. Logged."""
    if not coordinator.is_coordinator:
        raise NotAllowed()
    subject_type = "case" if isinstance(subject, Case) else "reply"
    subject.is_hidden = hidden
    if hidden:
        if isinstance(subject, Case):
            social.withdraw_case_notifications(subject)
        else:
            social.notifications.withdraw("reply", subject.id)
    _resolve(subject_type, subject.id, "hidden" if hidden else "kept")
    action = f"{subject_type}.{'hidden' if hidden else 'restored'}"
    audit.record(coordinator, action, subject_type, subject.id, note.strip())
    db.session.flush()
    outbox.enqueue("case", subject.id if isinstance(subject, Case) else subject.case_id)


def dismiss(coordinator: Member, subject_type: str, subject_id: int) -> None:
    """Close the flags on something that may stay as it is. Logged."""
    if not coordinator.is_coordinator:
        raise NotAllowed()
    if subject_type not in FLAG_SUBJECTS:
        raise DomainError()
    _resolve(subject_type, subject_id, "kept")
    audit.record(coordinator, "flag.dismissed", subject_type, subject_id)
    db.session.flush()
