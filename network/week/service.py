"""Min uge: what is new since the last visit and what waits for the member, one block at a time.

Each block is computed with a fixed number of queries, however many cases, replies, rooms or
meetups there are (tests/queries checks it), and shows at most a handful of items.
"""

import dataclasses
import datetime as dt

from flask import current_app
from sqlalchemy import and_, exists, func, or_, select

from network.cases import reading, social
from network.cases.listing import reply_counts
from network.cases.models import Case, CaseFocus, CaseFollow, CaseRead, CaseTool, Flag, Reply
from network.cases.service import AuthorView, author_as_seen, visible_cases_clause
from network.db import db, utcnow
from network.meetups import service as meetups
from network.meetups.models import Meetup, PollAnswer, PollOption, Rsvp
from network.members.models import Member
from network.notifications.models import Notification
from network.overview import service as overview
from network.rooms import service as rooms
from network.rooms.models import ReflectingSession, Room, RoomMember

BLOCK_LIMIT = 5
OPEN_STATUSES = ("open", "in_progress", "follow_up")


@dataclasses.dataclass(frozen=True)
class CaseItem:
    """A case in a block, with what the member needs to know about it."""

    case: Case
    author: AuthorView
    new_replies: int = 0
    anchor: str = ""
    replies: int = 0
    waits_for: str = ""  # "summary" (Hvad skete der? mangler) | "first_reply" | ""


@dataclasses.dataclass(frozen=True)
class MeetupItem:
    meetup: Meetup
    rsvp: str  # "going" | "waitlist" | "declined" | "" (not answered)


@dataclasses.dataclass
class Week:
    """Everything Min uge shows; empty lists are the blocks' empty states."""

    new_replies: list[CaseItem]
    mentions: list[Notification]
    my_cases: list[CaseItem]
    sparring: list[CaseItem]
    meetups: list[MeetupItem]
    polls: list[Meetup]
    rooms: list[rooms.RoomListing]
    sessions: list[ReflectingSession]
    peers: list[Member]
    coordinator: "CoordinatorWeek | None" = None


@dataclasses.dataclass
class CoordinatorWeek:
    flags_waiting: int
    unanswered: list[Case]
    quiet_schools: list


def week_for(member: Member, now: dt.datetime | None = None) -> Week:
    """Min uge for one member (and the coordinator's blocks for a coordinator)."""
    now = now or utcnow()
    room_listings = rooms_with_unread(member)
    return Week(
        new_replies=new_replies(member),
        mentions=unread_mentions(member),
        my_cases=my_open_cases(member),
        sparring=cases_for_sparring(member),
        meetups=next_meetups(member, now),
        polls=polls_waiting(member, now),
        rooms=room_listings,
        sessions=running_sessions(member),
        peers=peers_by_fit(member),
        coordinator=coordinator_week(member, now) if member.is_coordinator else None,
    )


def _items(member: Member, cases: list[Case]) -> list[CaseItem]:
    """Cases with their unread state and reply counts, in a fixed number of queries."""
    unread = reading.unread_states(member, cases)
    counts = reply_counts(cases)
    items = []
    for case in cases:
        state = unread.get(case.id, reading.CaseUnread())
        waits = ""
        if case.author_id == member.id:
            if case.status == "follow_up" and not case.learning_summary.strip():
                waits = "summary"
            elif counts.get(case.id, 0) == 0:
                waits = "first_reply"
        items.append(
            CaseItem(
                case,
                author_as_seen(member, case),
                state.new_replies,
                state.anchor,
                counts.get(case.id, 0),
                waits,
            )
        )
    return items


def new_replies(member: Member, limit: int = BLOCK_LIMIT) -> list[CaseItem]:
    """One's own and followed cases with replies by others one has not read, most recent first."""
    tracked = or_(
        Case.author_id == member.id,
        exists().where(CaseFollow.case_id == Case.id, CaseFollow.member_id == member.id),
    )
    last_read = (
        select(CaseRead.last_read_reply_id)
        .where(CaseRead.case_id == Case.id, CaseRead.member_id == member.id)
        .correlate(Case)
        .scalar_subquery()
    )
    newest_unread = (
        select(Case.id, func.max(Reply.id).label("newest"))
        .join(Reply, Reply.case_id == Case.id)
        .where(
            tracked,
            visible_cases_clause(member),
            Case.status != "draft",
            Reply.deleted_at.is_(None),
            Reply.is_hidden.is_(False),
            Reply.id > func.coalesce(last_read, 0),
            or_(Reply.author_id.is_(None), Reply.author_id != member.id),
        )
        .group_by(Case.id)
        .order_by(func.max(Reply.id).desc())
        .limit(limit)
    )
    ids = [row.id for row in db.session.execute(newest_unread)]
    if not ids:
        return []
    by_id = {case.id: case for case in db.session.scalars(select(Case).where(Case.id.in_(ids)))}
    return _items(member, [by_id[i] for i in ids])


def unread_mentions(member: Member, limit: int = BLOCK_LIMIT) -> list[Notification]:
    """Unread notifications that one was mentioned in a room."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(
                Notification.member_id == member.id,
                Notification.kind == "room_mention",
                Notification.read_at.is_(None),
            )
            .order_by(Notification.id.desc())
            .limit(limit)
        )
    )


def my_open_cases(member: Member, limit: int = BLOCK_LIMIT) -> list[CaseItem]:
    """One's cases not yet closed, the most recently active first, with what each waits for."""
    cases = list(
        db.session.scalars(
            select(Case)
            .where(Case.author_id == member.id, Case.status.in_(OPEN_STATUSES))
            .order_by(Case.last_activity_at.desc(), Case.id.desc())
            .limit(limit)
        )
    )
    return _items(member, cases)


def cases_for_sparring(member: Member, limit: int = BLOCK_LIMIT) -> list[CaseItem]:
    """Open cases from other schools matching one's tools or focus areas, fewest replies first."""
    tools, focus = list(member.tools), list(member.focus_areas)
    if not tools and not focus:
        return []
    other_school = (
        Case.author_id.not_in(select(Member.id).where(Member.school_id == member.school_id))
        if member.school_id is not None
        else Case.author_id != member.id
    )
    matches = or_(
        exists().where(CaseTool.case_id == Case.id, CaseTool.tool.in_(tools)),
        exists().where(CaseFocus.case_id == Case.id, CaseFocus.focus.in_(focus)),
    )
    live = and_(Reply.case_id == Case.id, Reply.deleted_at.is_(None), Reply.is_hidden.is_(False))
    replies = select(func.count(Reply.id)).where(live).correlate(Case).scalar_subquery()
    mine = exists().where(Reply.case_id == Case.id, Reply.author_id == member.id)
    cases = list(
        db.session.scalars(
            select(Case)
            .where(
                visible_cases_clause(member),
                Case.status.in_(("open", "in_progress")),
                Case.author_id.is_not(None),
                other_school,
                matches,
                ~mine,
            )
            .order_by(replies.asc(), Case.published_at.desc(), Case.id.desc())
            .limit(limit)
        )
    )
    return _items(member, cases)


def next_meetups(member: Member, now: dt.datetime, limit: int = 3) -> list[MeetupItem]:
    """The next scheduled meetups one may attend, with one's answer."""
    upcoming = list(
        db.session.scalars(
            select(Meetup)
            .where(meetups.visible_clause(member), Meetup.status == "scheduled", Meetup.ends_at >= now)
            .order_by(Meetup.starts_at, Meetup.id)
            .limit(limit)
        )
    )
    answers = dict(
        db.session.execute(
            select(Rsvp.meetup_id, Rsvp.state).where(
                Rsvp.member_id == member.id, Rsvp.meetup_id.in_([m.id for m in upcoming])
            )
        ).all()
    )
    return [MeetupItem(m, answers.get(m.id, "")) for m in upcoming]


def polls_waiting(member: Member, now: dt.datetime, limit: int = BLOCK_LIMIT) -> list[Meetup]:
    """Date polls one has not answered yet."""
    answered = (
        select(PollOption.id)
        .join(PollAnswer, PollAnswer.option_id == PollOption.id)
        .where(PollOption.meetup_id == Meetup.id, PollAnswer.member_id == member.id)
    )
    return list(
        db.session.scalars(
            select(Meetup)
            .where(meetups.visible_clause(member), Meetup.status == "polling", ~exists(answered))
            .order_by(Meetup.created_at.desc(), Meetup.id.desc())
            .limit(limit)
        )
    )


def rooms_with_unread(member: Member, limit: int = BLOCK_LIMIT) -> list[rooms.RoomListing]:
    """Rooms one has been in that have messages one has not read, the liveliest first."""
    visited = set(db.session.scalars(select(RoomMember.room_id).where(RoomMember.member_id == member.id)))
    listings = [r for r in rooms.rooms_for(member) if r.unread and r.room.id in visited]
    listings.sort(key=lambda r: r.last_message_at or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
    return listings[:limit]


def running_sessions(member: Member) -> list[ReflectingSession]:
    """Reflecting-team sessions running now in rooms one may enter."""
    rows = db.session.execute(
        select(ReflectingSession, Room)
        .join(Room, Room.id == ReflectingSession.room_id)
        .where(ReflectingSession.status.in_(("running", "paused")))
        .order_by(ReflectingSession.started_at.desc())
    )
    return [session for session, room in rows if rooms.can_enter(member, room)][:BLOCK_LIMIT]


def peers_by_fit(member: Member, limit: int = 6) -> list[Member]:
    """Colleagues open for sparring who share the most tools and focus areas, other schools first."""
    return social.match_members(
        list(member.tools),
        list(member.focus_areas),
        exclude_id=member.id,
        school_id=member.school_id,
        limit=limit,
    )


def coordinator_week(coordinator: Member, now: dt.datetime) -> CoordinatorWeek:
    """What waits for a coordinator: flags, unanswered cases, schools gone quiet."""
    flags = db.session.scalar(select(func.count(Flag.id)).where(Flag.resolved_at.is_(None))) or 0
    unanswered = overview.cases_waiting_for_first_reply(coordinator, now=now)[:BLOCK_LIMIT]
    quiet = overview.quiet_schools(coordinator, now=now)[:BLOCK_LIMIT]
    return CoordinatorWeek(flags, unanswered, quiet)


def first_reply_days() -> int:
    """After how many days an unanswered case is shown to coordinators."""
    return current_app.config["OVERVIEW_FIRST_REPLY_DAYS"]
