"""Write to and read the audit log."""

from sqlalchemy import select

from network.audit.models import AuditEntry
from network.db import db
from network.errors import NotAllowed
from network.members.models import Member


def record(
    actor: Member | None, action: str, subject_type: str = "", subject_id: int | None = None, detail: str = ""
) -> AuditEntry:
    """Append one entry (in the caller's transaction, so it commits or rolls back with the act)."""
    entry = AuditEntry(
        actor=actor,
        actor_name=actor.name if actor else "",
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=detail[:2000],
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def entries(viewer: Member, *, action: str = "", page: int = 1, per_page: int = 50):
    """Newest entries first, for admins only."""
    if not viewer.is_admin:
        raise NotAllowed()
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action == action)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
