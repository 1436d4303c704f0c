"""Rooms and their messages: who may enter, storing and paging messages, and how far one has read."""

import dataclasses
import datetime as dt
import re
import uuid

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from network.audit.service import record as audit
from network.db import db, utcnow
from network.domain import REGIONS, TOOLS
from network.markdown import render_markdown_subset
from network.members.models import Member
from network.notifications.service import notify, withdraw
from network.rooms import cases_link, personas
from network.rooms.errors import (
    EditWindowClosed,
    Flooding,
    InvalidMessage,
    MessageNotFound,
    NotInRoom,
    NotRoomManager,
    RoomNotFound,
)
from network.rooms.models import ROOM_ACCESS, Message, Room, RoomMember
from network.rooms.presence import online_by_room

MAX_MESSAGE_CHARS = 4000
EDIT_WINDOW = dt.timedelta(minutes=15)
HISTORY_PAGE = 50
CATCH_UP_MAX = 500
# Flood control: at most this many messages per member in the window (counted in the database,
# so it holds across every server process).
FLOOD_MESSAGES = 8
FLOOD_WINDOW = dt.timedelta(seconds=10)
CLIENT_ID = re.compile(r"^[0-9a-fA-F-]{8,36}$")


# --- rooms -----------------------------------------------------------------------------------


@dataclasses.dataclass
class RoomDraft:
    name: str
    description: str = ""
    access: str = "open"
    region: str = ""
    tool: str = ""
    theme: str = ""
    case_id: int | None = None


def create_standing_room(actor: Member, draft: RoomDraft) -> Room:
    """A coordinator opens a standing room for a region, a tool or a theme."""
    if not actor.is_coordinator:
        raise NotRoomManager(_("Kun koordinatorer kan oprette faste rum."))
    room = _new_room(actor, draft, kind="standing")
    room.region = draft.region if draft.region in REGIONS else ""
    room.tool = draft.tool if draft.tool in TOOLS else ""
    room.theme = draft.theme.strip()[:120]
    return room


def create_case_room(actor: Member, draft: RoomDraft) -> Room:
    """A case's author opens a room for sparring on it."""
    case = cases_link.usable_case(actor, draft.case_id)
    cases_link.require_case_owner(actor, case)
    return _new_room(actor, draft, kind="case", case_id=case.id)


def _new_room(actor: Member, draft: RoomDraft, kind: str, case_id: int | None = None) -> Room:
    name = draft.name.strip()
    if not name:
        raise InvalidMessage(_("Giv rummet et navn."), field="name")
    room = Room(
        name=name[:120],
        description=draft.description.strip(),
        kind=kind,
        access=draft.access if draft.access in ROOM_ACCESS else "open",
        owner_id=actor.id,
        case_id=case_id,
    )
    db.session.add(room)
    db.session.flush()
    # The author of an anonymous case opens its room: the log must not name them (personas).
    audit(personas.audit_actor(room.id, actor), "room.create", "room", room.id, f"{kind}, {room.access}")
    return room


def get_room(room_id: int | None) -> Room:
    room = db.session.get(Room, room_id) if isinstance(room_id, int) else None
    if room is None:
        raise RoomNotFound()
    return room


def can_manage(member: Member, room: Room) -> bool:
    """The owner and coordinators manage a room: invitations and sessions."""
    return member.is_coordinator or room.owner_id == member.id


def can_enter(member: Member, room: Room) -> bool:
    """Open rooms: every active member. Invite-only rooms: the invited, the owner, coordinators."""
    if not member.is_active:
        return False
    if room.access == "open" or can_manage(member, room):
        return True
    link = db.session.get(RoomMember, (room.id, member.id))
    return bool(link and link.is_invited)


def room_for(member: Member, room_id: int | None) -> Room:
    """The room when the member may enter it; NotInRoom otherwise (also for invisible rooms)."""
    room = get_room(room_id)
    if not can_enter(member, room):
        raise NotInRoom()
    return room


def invite(actor: Member, room: Room, members: list[Member]) -> int:
    """Invite members to a room; returns how many were new."""
    if not can_manage(actor, room):
        raise NotRoomManager()
    added = 0
    for member in members:
        link = _link(room, member)
        if not link.is_invited:
            link.is_invited = True
            added += 1
            notify(
                member,
                "room_invite",
                _("Du er inviteret i rummet %(name)s", name=room.name),
                url=url_for("rooms.room", room_id=room.id),
                subject_type="room",
                subject_id=room.id,
            )
    db.session.flush()
    return added


def _link(room: Room, member: Member) -> RoomMember:
    link = db.session.get(RoomMember, (room.id, member.id))
    if link is None:
        link = RoomMember(room_id=room.id, member_id=member.id, is_invited=False, last_read_message_id=0)
        db.session.add(link)
    return link


@dataclasses.dataclass
class RoomListing:
    room: Room
    unread: int
    online: list[dict]  # {"id", "name"} as the member may see each one (personas)
    last_message_at: dt.datetime | None


def rooms_for(member: Member) -> list[RoomListing]:
    """Every room the member may enter, with their unread count and who is online now."""
    invited = select(RoomMember.room_id).where(RoomMember.member_id == member.id, RoomMember.is_invited)
    query = select(Room).order_by(Room.kind.desc(), Room.name)
    if not member.is_coordinator:
        query = query.where(or_(Room.access == "open", Room.owner_id == member.id, Room.id.in_(invited)))
    rooms = list(db.session.scalars(query))
    unread = dict(
        db.session.execute(
            select(Message.room_id, func.count(Message.id))
            .outerjoin(
                RoomMember, and_(RoomMember.room_id == Message.room_id, RoomMember.member_id == member.id)
            )
            .where(
                Message.id > func.coalesce(RoomMember.last_read_message_id, 0),
                Message.deleted_at.is_(None),
                or_(Message.author_id.is_(None), Message.author_id != member.id),
            )
            .group_by(Message.room_id)
        ).all()
    )
    latest = dict(
        db.session.execute(
            select(Message.room_id, func.max(Message.created_at)).group_by(Message.room_id)
        ).all()
    )
    online = online_by_room([r.id for r in rooms])
    seen = personas.for_rooms([r.id for r in rooms])
    return [
        RoomListing(
            r, unread.get(r.id, 0), seen_online(online.get(r.id, []), seen[r.id], member), latest.get(r.id)
        )
        for r in rooms
    ]


def seen_online(online: list[Member], seen: personas.Personas, viewer: Member | None = None) -> list[dict]:
    """Who is online, as the viewer may see them; one persona shows once."""
    shown = {}
    for member in online:
        person = seen.seen(member, viewer)
        shown.setdefault((person["id"], person["name"]), person)
    return list(shown.values())


# --- messages --------------------------------------------------------------------------------


def post_message(
    author: Member,
    room: Room,
    body: str,
    client_id: str,
    *,
    session=None,  # noqa: ANN001
) -> tuple[Message, bool]:
    """Store a message (the caller broadcasts after commit); returns (message, created).

    A retry with the same client_id returns the stored message instead of a duplicate.
    ``session`` is the room's running reflecting-team session, whose rules the caller checked.
    """
    if not can_enter(author, room):
        raise NotInRoom()
    client_id = valid_client_id(client_id)
    existing = by_client_id(room, author, client_id)
    if existing is not None:
        return existing, False
    text = _valid_body(body)
    _check_flood(author)
    message = Message(
        room_id=room.id,
        author_id=author.id,
        client_id=client_id,
        body=text,
        session_id=session.id if session is not None else None,
        phase=session.phase if session is not None else "",
    )
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:
        # Two deliveries of the same retry raced; the other one won.
        existing = by_client_id(room, author, client_id)
        if existing is None:
            raise
        return existing, False
    _link(room, author).last_read_message_id = message.id
    _notify_mentions(author, room, message)
    return message, True


def valid_client_id(client_id: object) -> str:
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise InvalidMessage(_("Beskeden mangler et gyldigt klient-id."))
    return client_id.lower()


def _valid_body(body: object) -> str:
    if not isinstance(body, str) or not body.strip():
        raise InvalidMessage(_("Skriv en besked først."), field="body")
    text = body.strip()
    if len(text) > MAX_MESSAGE_CHARS:
        raise InvalidMessage(
            _("Beskeden er for lang: højst %(max)d tegn.", max=MAX_MESSAGE_CHARS), field="body"
        )
    return text


def by_client_id(room: Room, author: Member, client_id: str) -> Message | None:
    return db.session.scalar(
        select(Message).where(
            Message.room_id == room.id, Message.author_id == author.id, Message.client_id == client_id
        )
    )


def _check_flood(author: Member) -> None:
    limit = current_app.config.get("ROOMS_FLOOD_MESSAGES", FLOOD_MESSAGES)
    since = utcnow() - FLOOD_WINDOW
    recent = db.session.scalar(
        select(func.count(Message.id)).where(Message.author_id == author.id, Message.created_at > since)
    )
    if (recent or 0) >= limit:
        raise Flooding()


def _notify_mentions(author: Member, room: Room, message: Message) -> None:
    """``@Fornavn Efternavn`` (or ``@Fornavn`` when only one has it) notifies that member."""
    if "@" not in message.body:
        return
    lowered = message.body.lower()
    candidates = list(
        db.session.scalars(select(Member).where(Member.is_active_member, Member.id != author.id))
    )
    first_names: dict[str, list[Member]] = {}
    for member in candidates:
        first_names.setdefault(member.name.split()[0].lower() if member.name.split() else "", []).append(
            member
        )
    mentioned: list[Member] = []
    for member in candidates:
        full = "@" + member.name.lower()
        first = member.name.split()[0].lower() if member.name.split() else ""
        unique_first = len(first_names.get(first, [])) == 1 and re.search(
            "@" + re.escape(first) + r"(?![\wæøå])", lowered
        )
        if (full in lowered or unique_first) and can_enter(member, room):
            mentioned.append(member)
    name = personas.for_room(room.id).seen(author)["name"]
    for member in mentioned[:10]:
        notify(
            member,
            "room_mention",
            _("%(name)s nævnte dig i %(room)s", name=name, room=room.name),
            body=message.body[:300],
            url=url_for("rooms.room", room_id=room.id) + f"#besked-{message.id}",
            subject_type="room_message",
            subject_id=message.id,
        )


def own_message(author: Member, message_id: object) -> Message:
    """The author's own message, still inside the 15-minute window."""
    message = db.session.get(Message, message_id) if isinstance(message_id, int) else None
    if message is None or message.deleted_at is not None:
        raise MessageNotFound()
    if message.author_id != author.id or utcnow() - message.created_at > EDIT_WINDOW:
        raise EditWindowClosed()
    if not can_enter(author, message_room(message)):
        raise NotInRoom()
    return message


def message_room(message: Message) -> Room:
    return db.session.get(Room, message.room_id)


def edit_message(author: Member, message_id: object, body: object) -> Message:
    """The author corrects a message within 15 minutes."""
    message = own_message(author, message_id)
    message.body = _valid_body(body)
    message.edited_at = utcnow()
    return message


def delete_message(author: Member, message_id: object) -> Message:
    """The author withdraws a message within 15 minutes; its place in the history stays."""
    message = own_message(author, message_id)
    message.body = ""
    message.deleted_at = utcnow()
    withdraw("room_message", message.id)  # a mention in it no longer points anywhere
    return message


def messages_after(room: Room, after_id: int | None, limit: int = CATCH_UP_MAX) -> list[Message]:
    """What a client missed: messages after the last id it saw, oldest first.

    Without an id (None): the latest page, so a fresh page starts with recent history.
    """
    if after_id is None:
        return messages_before(room, None)
    query = select(Message).where(Message.room_id == room.id, Message.id > after_id)
    return list(db.session.scalars(query.order_by(Message.id).limit(limit)))


def messages_before(room: Room, before_id: int | None, limit: int = HISTORY_PAGE) -> list[Message]:
    """One page of earlier history, oldest first."""
    query = select(Message).where(Message.room_id == room.id)
    if before_id:
        query = query.where(Message.id < before_id)
    page = list(db.session.scalars(query.order_by(Message.id.desc()).limit(limit)))
    return page[::-1]


def all_messages(room: Room, session_id: int | None = None) -> list[Message]:
    """The whole transcript of a room (or of one session in it), oldest first."""
    query = select(Message).where(Message.room_id == room.id)
    if session_id is not None:
        query = query.where(Message.session_id == session_id)
    return list(db.session.scalars(query.order_by(Message.id)))


def message_payload(
    message: Message, seen: personas.Personas | None = None, viewer: Member | None = None
) -> dict:
    """A message as clients receive it; the Markdown is rendered and sanitised on the server.

    The author as ``viewer`` may see them (None: a broadcast to the room); pass the room's
    ``seen`` personas when rendering many messages of one room.
    """
    deleted = message.deleted_at is not None
    seen = seen if seen is not None else personas.for_room(message.room_id)
    return {
        "id": message.id,
        "room_id": message.room_id,
        "client_id": message.client_id,
        "author": seen.seen(message.author, viewer),
        "body": "" if deleted else message.body,
        "html": "" if deleted else str(render_markdown_subset(message.body)),
        "phase": message.phase,
        "session_id": message.session_id,
        "created_at": message.created_at.isoformat(),
        "edited_at": message.edited_at.isoformat() if message.edited_at else None,
        "deleted": deleted,
    }


def mark_read(member: Member, room: Room, message_id: int | None = None) -> None:
    """Remember how far the member has read (never backwards)."""
    if message_id is None:
        message_id = db.session.scalar(select(func.max(Message.id)).where(Message.room_id == room.id)) or 0
    link = _link(room, member)
    link.last_read_message_id = max(link.last_read_message_id or 0, message_id)


def new_client_id() -> str:
    return str(uuid.uuid4())
