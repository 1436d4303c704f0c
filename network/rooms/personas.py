"""Who a member is in a room, as others may see them: the one ``author_as_seen`` rule, live.

In a room tied to an anonymous case (the room's own case, or the case of a session in it), that
case's author wears the case's anonymous persona in every channel of the room: messages,
presence, typing, session roles, transcripts, the API, mentions, the audit log and the overview.
Sparring on an anonymous case stays possible; the author's name and id never leave the server.
"""

import dataclasses
import typing as t

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, or_, select

from network.cases.models import Case
from network.cases.service import author_as_seen
from network.db import db
from network.members.models import Member
from network.rooms.models import ReflectingSession, Room

FORMER_MEMBER = _l("Tidligere medlem")


@dataclasses.dataclass
class Personas:
    """The members of one room who are covered, each by the anonymous case whose persona they wear."""

    covers: dict[int, Case] = dataclasses.field(default_factory=dict)

    def seen(self, member: Member | None, viewer: Member | None = None) -> dict:
        """``{"id", "name"}`` as the viewer may see the member (None: a broadcast, seen by anyone)."""
        if member is None:
            return {"id": None, "name": str(FORMER_MEMBER)}
        case = self.covers.get(member.id)
        if case is None:
            return {"id": member.id, "name": member.name}
        view = author_as_seen(viewer, case)
        # Only the author's own page learns the id (to offer "Ret" and "Slet"); broadcasts never do.
        return {"id": member.id if view.is_you else None, "name": view.name}

    def covered(self, member: Member | None) -> bool:
        return member is not None and member.id in self.covers


def for_rooms(room_ids: t.Iterable[int]) -> dict[int, Personas]:
    """The personas of each room, in two queries however many rooms."""
    ids = list(set(room_ids))
    found: dict[int, Personas] = {room_id: Personas() for room_id in ids}
    if not ids:
        return found
    anonymous = and_(Case.visibility == "anonymous", Case.author_id.is_not(None))
    own = select(Room.id, Case).join(Case, Case.id == Room.case_id).where(Room.id.in_(ids), anonymous)
    in_sessions = (
        select(ReflectingSession.room_id, Case)
        .join(Case, Case.id == ReflectingSession.case_id)
        .where(ReflectingSession.room_id.in_(ids), anonymous)
    )
    for query in (own, in_sessions):
        for room_id, case in db.session.execute(query).all():
            found[room_id].covers.setdefault(case.author_id, case)
    return found


def for_room(room_id: int) -> Personas:
    return for_rooms([room_id])[room_id]


def covered_clause(room_id: t.Any, member_id: t.Any) -> t.Any:
    """SQL: the member wears an anonymous persona in that room (for counting activity without them)."""
    anonymous = and_(Case.visibility == "anonymous", Case.author_id == member_id)
    own = exists(select(Room.id).join(Case, Case.id == Room.case_id).where(Room.id == room_id, anonymous))
    in_sessions = exists(
        select(ReflectingSession.id)
        .join(Case, Case.id == ReflectingSession.case_id)
        .where(ReflectingSession.room_id == room_id, anonymous)
    )
    return or_(own, in_sessions)


def audit_actor(room_id: int, actor: Member) -> Member | None:
    """Who the audit log names for an act in a room: nobody when the actor is covered there.

    A coordinator who needs to know uses "Vis forfatter" on the case, which is itself logged.
    """
    return None if for_room(room_id).covered(actor) else actor
