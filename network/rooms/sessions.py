"""Reflecting-team sessions (docs/architecture.md, "Domain words"): phases, roles, deadlines and who may post.

The server is the only clock that counts: a phase has an absolute UTC deadline, clients count
down from it (corrected by the server time sent with it), and every post is checked here.
"""

import dataclasses
import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from network.audit.service import record as audit
from network.db import db, utcnow
from network.members.models import Member
from network.notifications.service import tell_newly_named
from network.rooms import cases_link, personas
from network.rooms.errors import NotInRoom, NotRoomManager, OutOfTurn, SessionError
from network.rooms.models import DEFAULT_MINUTES, PHASES, ReflectingSession, Room, SessionParticipant
from network.rooms.service import by_client_id, can_enter, can_manage, post_message, valid_client_id

PHASE_LABELS = {
    "present": _l("Sagsgiver fremlægger"),
    "questions": _l("Opklarende spørgsmål"),
    "reflecting": _l("Det reflekterende team"),
    "response": _l("Sagsgiver svarer"),
    "roundup": _l("Opsamling"),
    "finished": _l("Afsluttet"),
}
ROLE_LABELS = {
    "facilitator": _l("Facilitator"),
    "case_giver": _l("Sagsgiver"),
    "team": _l("Reflekterende team"),
    "observer": _l("Observatør"),
    "none": _l("Ikke med i sessionen"),
}
# Who may post in each phase. Observers (and room members outside the session) never post.
SPEAKERS = {
    "present": ("case_giver", "facilitator"),
    "questions": ("case_giver", "facilitator", "team"),
    "reflecting": ("facilitator", "team"),  # the case giver only listens
    "response": ("case_giver",),  # only the case giver speaks
    "roundup": ("case_giver", "facilitator", "team"),
}
MAX_PHASE_MINUTES = 120
MAX_TEAM = 30


@dataclasses.dataclass
class SessionPlan:
    case_id: int | None
    case_giver_id: int | None
    team_ids: list[int]
    observer_ids: list[int] = dataclasses.field(default_factory=list)
    minutes: dict[str, int] = dataclasses.field(default_factory=dict)
    title: str = ""


def active_session(room: Room) -> ReflectingSession | None:
    """The room's running or paused session, if any (one at a time)."""
    return db.session.scalar(
        select(ReflectingSession)
        .where(ReflectingSession.room_id == room.id, ReflectingSession.status != "finished")
        .order_by(ReflectingSession.id.desc())
        .limit(1)
    )


def get_session(session_id: object) -> ReflectingSession:
    session = db.session.get(ReflectingSession, session_id) if isinstance(session_id, int) else None
    if session is None:
        raise SessionError(_("Sessionen findes ikke."))
    return session


def sessions_in(room: Room) -> list[ReflectingSession]:
    query = select(ReflectingSession).where(ReflectingSession.room_id == room.id)
    return list(db.session.scalars(query.order_by(ReflectingSession.id.desc())))


def start_session(actor: Member, room: Room, plan: SessionPlan) -> ReflectingSession:
    """The facilitator starts a session: case, case giver, team, observers, minutes per phase."""
    if not can_manage(actor, room):
        raise NotRoomManager(_("Kun rummets ejer eller en koordinator kan starte en session."))
    if active_session(room) is not None:
        raise SessionError(_("Der kører allerede en session i rummet."))
    case = cases_link.usable_case(actor, plan.case_id)
    cases_link.check_session_case(room, case, plan.case_giver_id)
    people = _members({plan.case_giver_id or 0, *plan.team_ids, *plan.observer_ids})
    case_giver = people.get(plan.case_giver_id or 0)
    if case_giver is None or not can_enter(case_giver, room):
        raise SessionError(_("Vælg en sagsgiver, der har adgang til rummet."), field="case_giver_id")
    team = [people[i] for i in dict.fromkeys(plan.team_ids) if i in people and i != case_giver.id]
    observers = [
        people[i]
        for i in dict.fromkeys(plan.observer_ids)
        if i in people and i != case_giver.id and i not in plan.team_ids
    ]
    if not team:
        raise SessionError(_("Det reflekterende team skal have mindst ét medlem."), field="team_ids")
    if len(team) + len(observers) > MAX_TEAM:
        raise SessionError(_("Højst %(max)d deltagere.", max=MAX_TEAM), field="team_ids")
    if any(not can_enter(m, room) for m in [*team, *observers]):
        raise SessionError(_("Alle deltagere skal have adgang til rummet."), field="team_ids")
    phases = [
        {"key": key, "minutes": _minutes(plan.minutes.get(key, DEFAULT_MINUTES[key]))} for key in PHASES
    ]
    now = utcnow()
    session = ReflectingSession(
        room_id=room.id,
        case_id=case.id,
        title=(plan.title.strip() or case.title)[:200],
        facilitator_id=actor.id,
        case_giver_id=case_giver.id,
        status="running",
        phases=phases,
        phase_index=0,
        started_at=now,
        phase_deadline=now + dt.timedelta(minutes=phases[0]["minutes"]),
    )
    session.participants = [SessionParticipant(member_id=m.id, role="team") for m in team] + [
        SessionParticipant(member_id=m.id, role="observer") for m in observers
    ]
    db.session.add(session)
    db.session.flush()
    audit(
        personas.audit_actor(room.id, actor),
        "room.session_start",
        "reflecting_session",
        session.id,
        f"rum {room.id}",
    )
    # Nobody is put on a session unknowingly (issue 14, finding 17): each one named is told, and
    # a facilitator who is the anonymous author here is named by the persona (finding 1).
    facilitator = personas.for_room(room.id).seen(actor)["name"]
    tell_newly_named(
        actor,
        [case_giver, *team, *observers],
        set(),
        "session_named",
        title=str(_l("%(name)s har sat dig på sessionen “%(title)s”", name=facilitator, title=session.title)),
        body=str(_l("Vil du ikke være med, så sig det til facilitatoren i rummet.")),
        url=f"/rum/{room.id}",
        subject_type="room",
        subject_id=room.id,
    )
    return session


def _minutes(value: object) -> int:
    try:
        minutes = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise SessionError(_("Varigheden skal være et helt antal minutter.")) from None
    if not 1 <= minutes <= MAX_PHASE_MINUTES:
        raise SessionError(_("En fase varer mellem 1 og %(max)d minutter.", max=MAX_PHASE_MINUTES))
    return minutes


def _members(ids: set[int]) -> dict[int, Member]:
    ids = {i for i in ids if isinstance(i, int) and i > 0}
    if not ids:
        return {}
    return {m.id: m for m in db.session.scalars(select(Member).where(Member.id.in_(ids)))}


def role_of(session: ReflectingSession, member: Member) -> str:
    """facilitator, case_giver, team, observer, or none (in the room but not in the session)."""
    if member.id == session.case_giver_id:
        return "case_giver"
    if member.id == session.facilitator_id:
        return "facilitator"
    for participant in session.participants:
        if participant.member_id == member.id:
            return participant.role
    return "none"


def check_may_post(session: ReflectingSession, member: Member) -> None:
    """Refuse a post that breaks the phase's rules (OutOfTurn with a reason the member understands)."""
    role = role_of(session, member)
    if role == "observer":
        raise OutOfTurn(_("Som observatør lytter du med, men skriver ikke i sessionen."))
    if role == "none":
        raise OutOfTurn(_("Der kører en reflekterende team-session; kun deltagerne skriver nu."))
    if session.status == "paused" and role != "facilitator":
        raise OutOfTurn(_("Sessionen er sat på pause."))
    if role not in SPEAKERS[session.phase]:
        if session.phase == "reflecting":
            raise OutOfTurn(_("Nu taler det reflekterende team; som sagsgiver lytter du med."))
        if session.phase == "response":
            raise OutOfTurn(_("Nu er det kun sagsgiver, der taler."))
        raise OutOfTurn()


def _facilitate(actor: Member, session: ReflectingSession) -> None:
    if session.status == "finished":
        raise SessionError(_("Sessionen er afsluttet."))
    if actor.id != session.facilitator_id and not can_manage(actor, session.room):
        raise NotRoomManager(_("Kun facilitator kan styre sessionen."))


def advance(actor: Member, session: ReflectingSession) -> ReflectingSession:
    """The next phase starts now, with its full time; after the round-up the session ends."""
    _facilitate(actor, session)
    if session.phase_index + 1 >= len(session.phases):
        session.status = "finished"
        session.ended_at = utcnow()
        session.phase_deadline = None
        session.paused_remaining_seconds = None
        return session
    session.phase_index += 1
    session.status = "running"
    session.paused_remaining_seconds = None
    session.phase_deadline = utcnow() + dt.timedelta(minutes=session.phases[session.phase_index]["minutes"])
    return session


def extend(actor: Member, session: ReflectingSession, minutes: object) -> ReflectingSession:
    """Give the current phase more time."""
    _facilitate(actor, session)
    extra = _minutes(minutes)
    if session.status == "paused":
        session.paused_remaining_seconds = (session.paused_remaining_seconds or 0) + extra * 60
    else:
        session.phase_deadline = max(session.phase_deadline or utcnow(), utcnow()) + dt.timedelta(
            minutes=extra
        )
    return session


def pause(actor: Member, session: ReflectingSession) -> ReflectingSession:
    """Stop the clock; what is left of the phase is kept."""
    _facilitate(actor, session)
    if session.status == "paused":
        raise SessionError(_("Sessionen er allerede sat på pause."))
    left = (session.phase_deadline - utcnow()).total_seconds() if session.phase_deadline else 0
    session.paused_remaining_seconds = max(0, int(left))
    session.phase_deadline = None
    session.status = "paused"
    return session


def resume(actor: Member, session: ReflectingSession) -> ReflectingSession:
    """Start the clock again with what was left."""
    _facilitate(actor, session)
    if session.status != "paused":
        raise SessionError(_("Sessionen er ikke sat på pause."))
    session.phase_deadline = utcnow() + dt.timedelta(seconds=session.paused_remaining_seconds or 0)
    session.paused_remaining_seconds = None
    session.status = "running"
    return session


def may_write_summary(member: Member, session: ReflectingSession) -> bool:
    return member.id in (session.facilitator_id, session.case_giver_id)


def save_summary(actor: Member, session: ReflectingSession, next_actions: object, learnings: object) -> bool:
    """The facilitator or case giver writes the agreed next actions and learnings at the end.

    Returns whether they went onto the case (cases_link.record_outcome says when they may).
    """
    if not may_write_summary(actor, session):
        raise NotRoomManager(_("Kun facilitator og sagsgiver skriver opsamlingen."))
    if session.status != "finished" and session.phase != "roundup":
        raise SessionError(_("Opsamlingen skrives i opsamlingsfasen eller når sessionen er afsluttet."))
    texts = []
    for value, field in ((next_actions or "", "next_actions"), (learnings or "", "learnings")):
        if not isinstance(value, str) or len(value) > 10_000:
            raise SessionError(_("Skriv højst 10.000 tegn."), field=field)
        texts.append(value.strip())
    if not any(texts):
        raise SessionError(_("Skriv de aftalte næste skridt eller det, I har lært."), field="next_actions")
    revised = session.summary_saved_at is not None
    session.next_actions, session.learnings = texts
    session.summary_saved_at = utcnow()
    on_case = cases_link.record_outcome(session, actor=actor, revised=revised)
    audit(
        personas.audit_actor(session.room_id, actor),
        "room.session_summary",
        "reflecting_session",
        session.id,
        f"rum {session.room_id}",
    )
    return on_case


def session_state(session: ReflectingSession) -> dict:
    """What every client shows: phase, roles, deadline (absolute UTC) and the server's own time."""
    now = utcnow()
    people = {p.member_id: p for p in session.participants}
    seen = personas.for_room(session.room_id)

    def person(member: Member | None) -> dict | None:
        return seen.seen(member) if member else None

    return {
        "id": session.id,
        "room_id": session.room_id,
        "case_id": session.case_id,
        "title": session.title,
        "status": session.status,
        "phase": session.phase,
        "phase_label": str(PHASE_LABELS[session.phase]),
        "phase_index": session.phase_index,
        "phases": [
            {"key": p["key"], "label": str(PHASE_LABELS[p["key"]]), "minutes": p["minutes"]}
            for p in session.phases
        ],
        "speakers": list(SPEAKERS.get(session.phase, ())) if session.status == "running" else [],
        "deadline": session.phase_deadline.isoformat() if session.phase_deadline else None,
        "remaining_seconds": session.paused_remaining_seconds,
        "server_time": now.isoformat(),
        "facilitator": person(session.facilitator),
        "case_giver": person(session.case_giver),
        "team": [person(p.member) for p in people.values() if p.role == "team"],
        "observers": [person(p.member) for p in people.values() if p.role == "observer"],
    }


def post(author: Member, room: Room, body: str, client_id: object):  # noqa: ANN201 - (Message, bool)
    """Post to a room under its running session's rules: what the socket and the API both call.

    A retry of a stored message is answered before the rules, so a retry never fails for
    a phase that changed in between.
    """
    if not can_enter(author, room):
        raise NotInRoom()
    existing = by_client_id(room, author, valid_client_id(client_id))
    if existing is not None:
        return existing, False
    session = active_session(room)
    if session is not None:
        check_may_post(session, author)
    return post_message(author, room, body, client_id, session=session)
