"""The audit log and account deletion.

The log is append-only, with one exception the law requires: the person is erased from it; the
entries themselves (what was done, when) stay. It has nothing of its own to export.
"""

from sqlalchemy import select, update

from network.audit.models import AuditEntry
from network.db import db
from network.members.models import Member
from network.privacy.registry import FORMER_MEMBER, eraser


@eraser("audit")
def erase_from_audit_log(member: Member, mode: str) -> None:
    db.session.execute(
        update(AuditEntry)
        .where(AuditEntry.actor_id == member.id)
        .values(actor_id=None, actor_name=FORMER_MEMBER)
    )
    for entry in db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.detail.contains(member.email, autoescape=True)
            | AuditEntry.detail.contains(member.name, autoescape=True)
        )
    ):
        entry.detail = entry.detail.replace(member.email, "…").replace(member.name, FORMER_MEMBER)
