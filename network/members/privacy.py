"""What the members feature holds about a member, for "Mine data" and account deletion."""

from sqlalchemy import delete, func, select, update

from network.audit.models import AuditEntry
from network.auth.models import ApiToken, Invite
from network.db import db
from network.members import service
from network.members.models import PRIVATE_CAPABLE_FIELDS, Member
from network.notifications.models import Notification
from network.privacy.registry import FORMER_MEMBER, Export, eraser, exporter, replacements_for


@exporter("profile")
def export_profile(member: Member) -> Export:
    data = {
        "name": member.name,
        "email": member.email,
        "role": member.role,
        "school": member.school.name if member.school else None,
        **{field: getattr(member, field) for field in ("title", "phone", "bio", "open_for_sparring")},
        "education_areas": list(member.education_areas),
        "tools": list(member.tools),
        "focus_areas": list(member.focus_areas),
        "private_fields": list(member.private_fields or []),
        "email_frequency": member.email_frequency,
        "locale": member.locale,
        "created_at": member.created_at.isoformat(),
        "last_active_at": member.last_active_at.isoformat() if member.last_active_at else None,
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": t.created_at.isoformat(),
                "revoked": t.revoked_at is not None,
            }
            for t in db.session.scalars(select(ApiToken).where(ApiToken.member_id == member.id))
        ],
    }
    files = {}
    if member.avatar_file:
        files["avatar.png"] = service.avatar_dir() / member.avatar_file
    return Export(data, files)


@exporter("notifications")
def export_notifications(member: Member) -> Export:
    rows = db.session.scalars(select(Notification).where(Notification.member_id == member.id))
    return Export(
        [
            {
                "title": n.title,
                "body": n.body,
                "created_at": n.created_at.isoformat(),
                "read": n.read_at is not None,
            }
            for n in rows
        ]
    )


@eraser("profile")
def erase_profile(member: Member, mode: str) -> None:
    """Avatar file, tokens, notifications, invites; the audit log keeps no name (mail: network/mail)."""
    service.remove_avatar(member)
    db.session.execute(delete(ApiToken).where(ApiToken.member_id == member.id))
    db.session.execute(delete(Notification).where(Notification.member_id == member.id))
    # Others' notifications that name the member keep only their stored title, which the name
    # scrub rewrites (network/privacy/service.py); the title's values are JSON, which it skips.
    for needle, _replacement in replacements_for(member):
        db.session.execute(
            update(Notification)
            .where(Notification.title.contains(needle) | Notification.actor_name.contains(needle))
            .values(title_msgid="", title_params=None)
        )
    db.session.execute(delete(Invite).where(func.lower(Invite.email) == member.email.lower()))
    db.session.execute(update(Invite).where(Invite.invited_by_id == member.id).values(invited_by_id=None))
    # The audit log is append-only, with one exception the law requires: the person is erased
    # from it; the entries themselves (what was done, when) stay.
    db.session.execute(
        update(AuditEntry)
        .where(AuditEntry.actor_id == member.id)
        .values(actor_id=None, actor_name=FORMER_MEMBER)
    )
    for entry in db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.detail.contains(member.email) | AuditEntry.detail.contains(member.name)
        )
    ):
        entry.detail = entry.detail.replace(member.email, "…").replace(member.name, FORMER_MEMBER)
    for field in PRIVATE_CAPABLE_FIELDS:
        if field in ("tools", "focus_areas", "education_areas"):
            setattr(member, field, [])
