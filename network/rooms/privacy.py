"""What the rooms feature holds about a member, for "Mine data", deletion and retention."""

import datetime as dt

from flask import current_app
from sqlalchemy import delete, select, update

from network.db import db, utcnow
from network.members.models import Member
from network.privacy.registry import Export, eraser, exporter
from network.reminders import each_item, retention_job
from network.rooms.models import Message, Presence, ReflectingSession, Room, RoomMember, SessionParticipant

PURGE_BATCH = 1000  # messages deleted per transaction


@exporter("rooms")
def export_rooms(member: Member) -> Export:
    messages = db.session.scalars(
        select(Message)
        .where(Message.author_id == member.id, Message.deleted_at.is_(None))
        .order_by(Message.id)
    )
    return Export(
        {
            "messages": [
                {"room": m.room_id, "body": m.body, "created_at": m.created_at.isoformat()} for m in messages
            ],
            "rooms_owned": [
                r.name for r in db.session.scalars(select(Room).where(Room.owner_id == member.id))
            ],
        }
    )


@eraser("rooms")
def erase_rooms(member: Member, mode: str) -> None:
    """Remove: the member's messages go. Anonymise: they stay without an author."""
    if mode == "remove":
        db.session.execute(delete(Message).where(Message.author_id == member.id))
    else:
        db.session.execute(update(Message).where(Message.author_id == member.id).values(author_id=None))
    for model in (RoomMember, Presence, SessionParticipant):
        db.session.execute(delete(model).where(model.member_id == member.id))
    db.session.execute(update(Room).where(Room.owner_id == member.id).values(owner_id=None))
    db.session.execute(
        update(ReflectingSession)
        .where(ReflectingSession.facilitator_id == member.id)
        .values(facilitator_id=None)
    )


@retention_job
def purge_old_room_messages(now: dt.datetime) -> str:
    """Delete room messages older than ROOM_MESSAGE_RETENTION_DAYS (0 keeps them), a batch per transaction."""
    days = current_app.config["ROOM_MESSAGE_RETENTION_DAYS"]
    if not days:
        return "Rumbeskeder: gemmes uden tidsgrænse."
    cutoff = (now or utcnow()) - dt.timedelta(days=days)
    old = list(db.session.scalars(select(Message.id).where(Message.created_at < cutoff).order_by(Message.id)))
    batches = [old[i : i + PURGE_BATCH] for i in range(0, len(old), PURGE_BATCH)]
    deleted = 0

    def delete_batch(ids: list[int]) -> bool:
        nonlocal deleted
        deleted += db.session.execute(delete(Message).where(Message.id.in_(ids))).rowcount or 0
        return True

    tally = each_item(batches, delete_batch, what="room message batch")
    return f"Rumbeskeder: {deleted} slettet (ældre end {days} dage)." + (
        f" {tally.failed} portion(er) fejlede (prøves igen ved næste kørsel)." if tally.failed else ""
    )
