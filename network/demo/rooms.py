"""Demo rooms (data/rooms.toml): standing rooms with their talk, and a case room with a finished
reflecting-team session, played through the rooms' services under the session's own rules.

Messages are posted with ``rooms.sessions.post`` (what the socket and the API call), so a session
message that breaks its phase's rules fails here as it would for a member. Found by name, so a
second run adds only what is missing.
"""

import dataclasses
import datetime as dt
import random
import typing as t
import uuid

from sqlalchemy import select

from network.db import db
from network.demo.cases import case_by_title
from network.demo.data import DemoDataError, build, entries
from network.demo.stage import Count, Stage, add_missing
from network.members.models import Member
from network.rooms import service as rooms
from network.rooms import sessions
from network.rooms.models import PHASES, Room


@dataclasses.dataclass(frozen=True)
class MessageSpec:
    text: str
    who: str | int  # "@key", an email, "giver", "facilitator", or the n-th participant (1, 2, ...)
    after_minutes: float | None = None  # after the previous message; else a while later
    phase: str = ""  # in a session: the phase it is said in
    days_ago: float | None = None  # in a case room after its session: when


@dataclasses.dataclass(frozen=True)
class StandingRoomSpec:
    name: str
    description: str
    days_ago: float  # the day of the first message
    first_at: str = "08:30"  # its time of day (Copenhagen)
    region: str = ""
    tool: str = ""
    theme: str = ""
    message: list[dict] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class SessionSpec:
    days_ago: float
    next_actions: str
    learnings: str
    facilitator: str = "@koordinator"
    team: int = 3
    observers: int = 1
    minutes: dict[str, int] = dataclasses.field(default_factory=dict)
    at: str = "13:00"  # when it began (Copenhagen)
    message: list[dict] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class CaseRoomSpec:
    case: str  # the demo case's title; its author opens the room and gives the case
    name: str
    description: str
    days_ago: float  # when the room was opened
    session: dict | None = None
    message: list[dict] = dataclasses.field(default_factory=list)  # after the session


def _messages(raw: list[dict], where: str) -> list[MessageSpec]:
    return [
        build(MessageSpec, item, f"data/rooms.toml, {where}, message {n}") for n, item in enumerate(raw, 1)
    ]


def seed_rooms(stage: Stage) -> Count:
    """The demo rooms that are missing: standing rooms first, then case rooms with their sessions."""
    existing = set(db.session.scalars(select(Room.name)))
    rooms_to_make: list[tuple[StandingRoomSpec | CaseRoomSpec, t.Callable]] = [
        *((spec, _standing) for spec in entries("rooms", "room", StandingRoomSpec)),
        *((spec, _case_room) for spec in entries("rooms", "case_room", CaseRoomSpec)),
    ]
    return add_missing(
        "rum", rooms_to_make, existing, lambda pair: pair[0].name, lambda pair: pair[1](stage, pair[0])
    )


def _post(stage: Stage, author: Member, room: Room, text: str, moment: dt.datetime) -> None:
    client_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"demo:{room.name}:{author.email}:{text}"))
    with stage.acting(author, moment):
        sessions.post(author, room, text, client_id)


def _standing(stage: Stage, spec: StandingRoomSpec) -> None:
    rng = stage.rng("room", spec.name)
    opened = stage.at_clock(spec.days_ago, spec.first_at)
    coordinator = stage.member("@koordinator")
    with stage.acting(coordinator, opened - dt.timedelta(hours=2)):
        room = rooms.create_standing_room(
            coordinator,
            rooms.RoomDraft(
                name=spec.name,
                description=spec.description,
                region=spec.region,
                tool=spec.tool,
                theme=spec.theme,
            ),
        )
        room.is_demo = True  # a marker for the demo's own bookkeeping, not a rule of the feature
    cast = _cast(stage, rng, spec, opened)
    moment = opened
    for message in _messages(spec.message, spec.name):
        author = _who(stage, message.who, cast, {})
        _post(stage, author, room, message.text, moment)
        moment += dt.timedelta(minutes=message.after_minutes or rng.uniform(25, 600))


def _cast(stage: Stage, rng: random.Random, spec: StandingRoomSpec, opened: dt.datetime) -> list[Member]:
    """The room's speakers: leaders of its region, or who work with its tool, or anyone for a theme."""
    named = {stage.member(m["who"]).id for m in spec.message if isinstance(m["who"], str)}

    def fits(member: Member) -> bool:
        if member.id in named or member.role == "coordinator":
            return False
        if spec.region:
            return member.school is not None and member.school.region == spec.region
        if spec.tool:
            return spec.tool in member.tools
        return True

    pool = stage.people(joined_before=opened, where=fits)
    return rng.sample(pool, min(len(pool), 6))


def _who(stage: Stage, who: str | int, cast: list[Member], roles: dict[str, Member]) -> Member:
    if isinstance(who, int):
        if not 1 <= who <= len(cast):
            raise DemoDataError(f"data/rooms.toml: no participant {who} (there are {len(cast)})")
        return cast[who - 1]
    return roles.get(who) or stage.member(who)


def _case_room(stage: Stage, spec: CaseRoomSpec) -> None:
    rng = stage.rng("case room", spec.name)
    case = case_by_title(spec.case)
    giver = case.author
    if giver is None:
        raise DemoDataError(f"data/rooms.toml: {spec.case!r} has no author to open its room")
    with stage.acting(giver, stage.ago(days=spec.days_ago)):
        room = rooms.create_case_room(
            giver, rooms.RoomDraft(name=spec.name, description=spec.description, case_id=case.id)
        )
        room.is_demo = True
    roles = {"giver": giver}
    if spec.session is not None:
        session = build(SessionSpec, spec.session, f"data/rooms.toml, {spec.name}, session")
        _run_session(stage, rng, room, case.id, session, roles)
    for message in _messages(spec.message, spec.name):
        if message.days_ago is None:
            raise DemoDataError(f"data/rooms.toml: {spec.name}: a message after the session needs days_ago")
        _post(
            stage, _who(stage, message.who, [], roles), room, message.text, stage.ago(days=message.days_ago)
        )


def _run_session(
    stage: Stage, rng: random.Random, room: Room, case_id: int, spec: SessionSpec, roles: dict[str, Member]
) -> None:
    """Start the session, speak phase by phase (the facilitator moves on), save the round-up, end it."""
    facilitator = stage.member(spec.facilitator)
    giver = roles["giver"]
    began = stage.at_clock(spec.days_ago, spec.at)
    pool = stage.people(
        joined_before=began, exclude=[facilitator, giver], where=lambda m: m.school_id != giver.school_id
    )
    people = rng.sample(pool, spec.team + spec.observers)
    team, observers = people[: spec.team], people[spec.team :]
    roles["facilitator"] = facilitator
    plan = sessions.SessionPlan(
        case_id=case_id,
        case_giver_id=giver.id,
        team_ids=[m.id for m in team],
        observer_ids=[m.id for m in observers],
        minutes=spec.minutes,
    )
    with stage.acting(facilitator, began):
        session = sessions.start_session(facilitator, room, plan)
    messages = _messages(spec.message, f"{room.name}, session")
    moment = began
    for message in messages:
        if message.phase not in PHASES:
            raise DemoDataError(f"data/rooms.toml: session message in unknown phase {message.phase!r}")
        while session.phase != message.phase:
            moment += dt.timedelta(minutes=2)
            with stage.acting(facilitator, moment):
                sessions.advance(facilitator, session)
        moment += dt.timedelta(minutes=message.after_minutes or rng.uniform(1.5, 3.5))
        _post(stage, _who(stage, message.who, team, roles), room, message.text, moment)
    while session.phase != "roundup":
        moment += dt.timedelta(minutes=2)
        with stage.acting(facilitator, moment):
            sessions.advance(facilitator, session)
    with stage.acting(giver, moment + dt.timedelta(minutes=3)):
        sessions.save_summary(giver, session, spec.next_actions, spec.learnings)
    with stage.acting(facilitator, moment + dt.timedelta(minutes=4)):
        sessions.advance(facilitator, session)
