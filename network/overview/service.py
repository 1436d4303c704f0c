"""Figures for the coordinator's overview, computed from the network's own data.

Activity is what members *did* (posted a case, replied, …) in a month, so the history needs no
extra tracking table and cannot drift from the content.
"""

import dataclasses
import datetime as dt
import typing as t
from collections import defaultdict

from flask import current_app
from sqlalchemy import and_, case, exists, func, or_, select

from network.cases.models import Case, Reply
from network.db import db, utcnow
from network.errors import NotAllowed
from network.meetups.models import Meetup, Rsvp
from network.members.models import Member, School
from network.rooms.models import Message
from network.rooms.personas import covered_clause

# Each feature that records member actions can add a source here: a function returning
# (member_id, when) rows since a given time.
ActivitySource = t.Callable[[dt.datetime], t.Iterable[tuple[int, dt.datetime]]]
ACTIVITY_SOURCES: list[ActivitySource] = []


def activity_source(source: ActivitySource) -> ActivitySource:
    """Register a source of member actions for the activity chart."""
    ACTIVITY_SOURCES.append(source)
    return source


# An anonymous author's acts on their own case are not counted: a school's activity must not
# point to them (the same rule as author_as_seen; rooms: network/rooms/personas.py).


@activity_source
def _cases_published(since: dt.datetime) -> t.Iterable[tuple[int, dt.datetime]]:
    return db.session.execute(
        select(Case.author_id, Case.published_at).where(
            Case.published_at >= since, Case.author_id.is_not(None), Case.visibility != "anonymous"
        )
    ).all()


@activity_source
def _replies_written(since: dt.datetime) -> t.Iterable[tuple[int, dt.datetime]]:
    return db.session.execute(
        select(Reply.author_id, Reply.created_at)
        .join(Case, Case.id == Reply.case_id)
        .where(
            Reply.created_at >= since,
            Reply.author_id.is_not(None),
            ~and_(Case.visibility == "anonymous", Case.author_id == Reply.author_id),
        )
    ).all()


def require_coordinator(viewer: Member) -> None:
    """Only coordinators and admins see the overview."""
    if not viewer.is_coordinator:
        raise NotAllowed()


def month_starts(now: dt.datetime, months: int) -> list[dt.date]:
    """The first day of each of the last `months` months, oldest first, this month last."""
    year, month = now.year, now.month
    starts = []
    for _ in range(months):
        starts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(starts))


@dataclasses.dataclass
class SchoolActivity:
    school: School
    per_month: list[int]  # distinct active members per month, aligned with `months`
    members: int
    last_active_at: dt.datetime | None

    @property
    def total(self) -> int:
        return sum(self.per_month)


@dataclasses.dataclass
class Activity:
    months: list[dt.date]
    schools: list[SchoolActivity]
    network_per_month: list[int]  # distinct active members in the whole network per month


def activity(viewer: Member, months: int = 12, now: dt.datetime | None = None) -> Activity:
    """Distinct active members per school and month, from every registered activity source."""
    require_coordinator(viewer)
    now = now or utcnow()
    starts = month_starts(now, months)
    since = dt.datetime.combine(starts[0], dt.time(), tzinfo=dt.UTC)
    index = {(d.year, d.month): i for i, d in enumerate(starts)}
    active: dict[int, set[int]] = defaultdict(set)  # month index -> member ids
    for source in ACTIVITY_SOURCES:
        for member_id, when in source(since):
            if when is not None and (when.year, when.month) in index:
                active[index[(when.year, when.month)]].add(member_id)
    school_of = dict(db.session.execute(select(Member.id, Member.school_id)).all())
    per_school: dict[int, list[int]] = defaultdict(lambda: [0] * len(starts))
    for i, member_ids in active.items():
        for member_id in member_ids:
            school_id = school_of.get(member_id)
            if school_id is not None:
                per_school[school_id][i] += 1
    rows = db.session.execute(
        select(Member.school_id, func.count(Member.id), func.max(Member.last_active_at))
        .where(Member.is_active_member.is_(True))
        .group_by(Member.school_id)
    ).all()
    counts = {school_id: count for school_id, count, _last in rows}
    last_seen = {school_id: last for school_id, _count, last in rows}
    schools = [
        SchoolActivity(school, per_school[school.id], counts.get(school.id, 0), last_seen.get(school.id))
        for school in db.session.scalars(select(School).order_by(School.name))
    ]
    network = [len(active.get(i, ())) for i in range(len(starts))]
    return Activity(starts, schools, network)


def quiet_schools(
    viewer: Member, days: int | None = None, now: dt.datetime | None = None
) -> list[SchoolActivity]:
    """Schools whose members have done nothing and not been seen for `days` days."""
    require_coordinator(viewer)
    now = now or utcnow()
    days = days or current_app.config["OVERVIEW_QUIET_DAYS"]
    cutoff = now - dt.timedelta(days=days)
    result = activity(viewer, months=max(1, days // 30 + 1), now=now)
    return [
        s
        for s in result.schools
        if s.members and (s.last_active_at is None or s.last_active_at < cutoff) and s.per_month[-1] == 0
    ]


def _live_replies():  # a SQL expression
    return exists().where(Reply.case_id == Case.id, Reply.deleted_at.is_(None), Reply.is_hidden.is_(False))


def cases_waiting_for_first_reply(
    viewer: Member, days: int | None = None, now: dt.datetime | None = None
) -> list[Case]:
    """Published, visible, unanswered cases older than `days` days, oldest first."""
    require_coordinator(viewer)
    now = now or utcnow()
    days = days if days is not None else current_app.config["OVERVIEW_FIRST_REPLY_DAYS"]
    return list(
        db.session.scalars(
            select(Case)
            .where(
                Case.status.in_(("open", "in_progress")),
                Case.is_hidden.is_(False),
                Case.published_at <= now - dt.timedelta(days=days),
                ~_live_replies(),
            )
            .order_by(Case.published_at)
        )
    )


def cases_waiting_for_follow_up(viewer: Member, now: dt.datetime | None = None) -> list[Case]:
    """Cases in follow-up, or open longer than the first reminder, with no learning summary yet."""
    require_coordinator(viewer)
    now = now or utcnow()
    first_reminder = dt.timedelta(weeks=min(current_app.config["CASE_REMINDER_WEEKS"]))
    return list(
        db.session.scalars(
            select(Case)
            .where(
                Case.is_hidden.is_(False),
                or_(
                    Case.status == "follow_up",
                    and_(Case.status.in_(("open", "in_progress")), Case.published_at <= now - first_reminder),
                ),
            )
            .order_by(Case.published_at)
        )
    )


@activity_source
def _meetup_answers(since: dt.datetime) -> t.Iterable[tuple[int, dt.datetime]]:
    return db.session.execute(select(Rsvp.member_id, Rsvp.created_at).where(Rsvp.created_at >= since)).all()


@activity_source
def _room_messages(since: dt.datetime) -> t.Iterable[tuple[int, dt.datetime]]:
    return db.session.execute(
        select(Message.author_id, Message.created_at).where(
            Message.created_at >= since,
            Message.author_id.is_not(None),
            ~covered_clause(Message.room_id, Message.author_id),
        )
    ).all()


@dataclasses.dataclass
class Attendance:
    meetup_id: int
    title: str
    starts_at: dt.datetime
    capacity: int
    going: int
    attended: int


def meetup_attendance(viewer: Member, limit: int = 12, now: dt.datetime | None = None) -> list[Attendance]:
    """The latest past meetups: places, sign-ups and who actually came."""
    require_coordinator(viewer)
    now = now or utcnow()
    going = func.sum(case((Rsvp.state == "going", 1), else_=0))
    came = func.sum(case((Rsvp.attended.is_(True), 1), else_=0))
    rows = db.session.execute(
        select(Meetup.id, Meetup.title, Meetup.starts_at, Meetup.capacity, going, came)
        .outerjoin(Rsvp, Rsvp.meetup_id == Meetup.id)
        .where(Meetup.status == "scheduled", Meetup.starts_at < now)
        .group_by(Meetup.id, Meetup.title, Meetup.starts_at, Meetup.capacity)
        .order_by(Meetup.starts_at.desc())
        .limit(limit)
    ).all()
    return [Attendance(r[0], r[1], r[2], r[3], int(r[4] or 0), int(r[5] or 0)) for r in rows]
