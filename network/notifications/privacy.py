"""What the notifications feature holds about a member: the notifications sent to them."""

from sqlalchemy import delete, select, update

from network.db import db
from network.members.models import Member
from network.notifications.models import Notification
from network.privacy.registry import Export, eraser, exporter, replacements_for


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


@eraser("notifications")
def erase_notifications(member: Member, mode: str) -> None:
    db.session.execute(delete(Notification).where(Notification.member_id == member.id))
    # Others' notifications that name the member keep only their stored title, which the name
    # scrub rewrites (network/privacy/service.py); the title's values are JSON, which it skips.
    for needle, _replacement in replacements_for(member):
        db.session.execute(
            update(Notification)
            .where(
                Notification.title.contains(needle, autoescape=True)
                | Notification.actor_name.contains(needle, autoescape=True)
            )
            .values(title_msgid="", title_params=None)
        )
