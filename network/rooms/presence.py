"""Who is online in a room: a table of live connections keyed by Socket.IO sid.

A table rather than process memory, so every process behind the proxy sees the same presence.
Clients send a heartbeat every 25 s; a connection counts as online while seen within
ONLINE_WINDOW, so rows left by a process that died age out by themselves.
"""

import datetime as dt

from sqlalchemy import delete, func, select, update

from network.db import db, utcnow
from network.members.models import Member
from network.rooms.models import Presence, Room

ONLINE_WINDOW = dt.timedelta(seconds=75)


def enter(sid: str, member: Member, room: Room) -> bool:
    """A connection joined a room: it counts as online until it leaves or stops beating.

    Returns whether it is new there (a join again while online only refreshes the time).
    """
    row = db.session.get(Presence, (sid, room.id))
    if row is None:
        db.session.add(Presence(sid=sid, room_id=room.id, member_id=member.id, last_seen=utcnow()))
        return True
    was_online = row.last_seen > utcnow() - ONLINE_WINDOW
    row.last_seen = utcnow()
    return not was_online


def room_count(sid: str, besides: int | None = None) -> int:
    """How many rooms a connection is in (not counting ``besides``)."""
    query = select(func.count()).select_from(Presence).where(Presence.sid == sid)
    if besides is not None:
        query = query.where(Presence.room_id != besides)
    return db.session.scalar(query) or 0


def heartbeat(sid: str) -> None:
    db.session.execute(update(Presence).where(Presence.sid == sid).values(last_seen=utcnow()))


def leave(sid: str, room_id: int | None = None) -> list[int]:
    """A connection left one room (or, on disconnect, all); returns the rooms it was in."""
    query = select(Presence.room_id).where(Presence.sid == sid)
    if room_id is not None:
        query = query.where(Presence.room_id == room_id)
    rooms = list(db.session.scalars(query))
    gone = delete(Presence).where(Presence.sid == sid)
    if room_id is not None:
        gone = gone.where(Presence.room_id == room_id)
    db.session.execute(gone)
    # Stale rows of dead processes go too, now and then.
    db.session.execute(delete(Presence).where(Presence.last_seen < utcnow() - 4 * ONLINE_WINDOW))
    return rooms


def online_by_room(room_ids: list[int]) -> dict[int, list[Member]]:
    """Who is online in each room, by distinct member."""
    if not room_ids:
        return {}
    # Distinct ids first: PostgreSQL cannot compare the members' JSON column for DISTINCT.
    pairs = db.session.execute(
        select(Presence.room_id, Presence.member_id)
        .where(Presence.room_id.in_(room_ids), Presence.last_seen > utcnow() - ONLINE_WINDOW)
        .distinct()
    ).all()
    ids = {member_id for _room, member_id in pairs}
    members = {m.id: m for m in db.session.scalars(select(Member).where(Member.id.in_(ids)))} if ids else {}
    online: dict[int, list[Member]] = {}
    for room_id, member_id in pairs:
        online.setdefault(room_id, []).append(members[member_id])
    return {room_id: sorted(found, key=lambda m: m.name) for room_id, found in online.items()}


def online_in(room: Room) -> list[Member]:
    return online_by_room([room.id]).get(room.id, [])
