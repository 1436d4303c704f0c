"""Demo meetups (data/meetups.toml): announced, answered and (when held) written up through the services.

Dates are counted from the day the demo is loaded, so there is always something coming up. A full
meetup gets its waitlist from meetups.service itself: more members answer "going" than there are
places. Found by title, so a second run adds only what is missing.
"""

import dataclasses
import datetime as dt
import random

from sqlalchemy import select

from network.db import db
from network.demo.cases import case_by_title
from network.demo.data import DemoDataError, build, entries
from network.demo.stage import Count, Stage, add_missing
from network.meetups import drafts, polls
from network.meetups import service as meetups
from network.meetups.models import Meetup
from network.members.models import Member
from network.projects.models import ALProject

ANNOUNCED_AT_LATEST_DAYS_AGO = 8
# Most answer yes to a proposed date; a few cannot.
POLL_LEANING = ("yes", "yes", "yes", "if_need_be", "no")


@dataclasses.dataclass(frozen=True)
class AgendaSpec:
    title: str
    case: str = ""  # a demo case's title
    project: str = ""  # a demo AL project's title


@dataclasses.dataclass(frozen=True)
class MeetupSpec:
    title: str
    host: str  # the host school's name
    days_from_now: int  # negative: already held
    description: str
    organiser: str = ""  # "@key" or an email; else a leader at the host school
    weekday: int = 3  # the day moves forward to this weekday (0 = Monday)
    start: str = "10:00"  # Copenhagen time
    end: str = "15:00"
    capacity: int = 30
    announced_days_before: int = 30
    rsvp_deadline_days_before: int | None = None
    address: str = ""  # where at the host school; default: its town (none for an online meetup)
    online_url: str = ""
    invited_schools: list[str] = dataclasses.field(default_factory=list)  # only these see it
    co_organisers: list[str] = dataclasses.field(default_factory=list)
    agenda: list[dict] = dataclasses.field(default_factory=list)
    going: int = 0  # how many answer "going" (beyond capacity they join the waitlist)
    include_going: list[str] = dataclasses.field(default_factory=list)  # named members among them
    maybe: int = 0
    poll: list[int] = dataclasses.field(default_factory=list)  # a date poll: days after the day
    poll_answers: int = 0
    notes: str = ""  # written after the meetup, with who came
    attended: float = 0.85
    discussed_cases: list[str] = dataclasses.field(default_factory=list)


def meetup_specs() -> list[MeetupSpec]:
    """The meetups as written in data/meetups.toml."""
    return entries("meetups", "meetup", MeetupSpec)


def seed_meetups(stage: Stage) -> Count:
    """The demo meetups that are missing."""
    existing = set(db.session.scalars(select(Meetup.title).where(Meetup.is_demo.is_(True))))
    return add_missing(
        "netværksmøder", meetup_specs(), existing, lambda spec: spec.title, lambda spec: _hold(stage, spec)
    )


def _day(stage: Stage, spec: MeetupSpec) -> dt.date:
    """The meetup's day: on its weekday, a week earlier or later when that falls in a school holiday."""
    base = meetups.to_local(stage.now).date() + dt.timedelta(days=spec.days_from_now)
    day = base + dt.timedelta(days=(spec.weekday - base.weekday()) % 7)
    while _in_holidays(day):
        day += dt.timedelta(days=7 if spec.days_from_now >= 0 else -7)
    return day


def _in_holidays(day: dt.date) -> bool:
    """Christmas and New Year, and the summer holidays: the network does not meet then."""
    month_day = (day.month, day.day)
    return month_day >= (12, 20) or month_day <= (1, 3) or (7, 1) <= month_day <= (8, 7)


def _at(day: dt.date, clock: str) -> dt.datetime:
    return meetups.local_datetime(day, dt.time.fromisoformat(clock))


def _draft(stage: Stage, spec: MeetupSpec, day: dt.date) -> drafts.MeetupDraft:
    host = stage.schools.get(spec.host)
    if host is None:
        raise DemoDataError(f"data/meetups.toml: {spec.title}: unknown host school {spec.host!r}")
    draft = drafts.MeetupDraft(
        title=spec.title,
        description=spec.description,
        host_school_id=host.id,
        address=spec.address or ("" if spec.online_url else host.city),
        online_url=spec.online_url,
        capacity=spec.capacity,
        visibility="invited" if spec.invited_schools else "network",
        invited_school_ids=[stage.schools[name].id for name in spec.invited_schools],
        co_organiser_ids=[stage.member(ref).id for ref in spec.co_organisers],
        agenda=[_agenda(build(AgendaSpec, raw, f"{spec.title}, agenda")) for raw in spec.agenda],
    )
    if spec.poll:
        draft.poll_options = [
            (_at(day + dt.timedelta(days=d), spec.start), _at(day + dt.timedelta(days=d), spec.end))
            for d in spec.poll
        ]
    else:
        draft.starts_at, draft.ends_at = _at(day, spec.start), _at(day, spec.end)
        if spec.rsvp_deadline_days_before is not None:
            deadline_day = day - dt.timedelta(days=spec.rsvp_deadline_days_before)
            draft.rsvp_deadline = _at(deadline_day, "23:59")
    return draft


def _agenda(item: AgendaSpec) -> drafts.AgendaDraft:
    project_id = None
    if item.project:
        project_id = db.session.scalar(select(ALProject.id).where(ALProject.title == item.project))
        if project_id is None:
            raise DemoDataError(f"data/meetups.toml: agenda: no demo AL project {item.project!r}")
    case_id = case_by_title(item.case).id if item.case else None
    return drafts.AgendaDraft(item.title, case_id=case_id, project_id=project_id)


def _hold(stage: Stage, spec: MeetupSpec) -> None:
    rng = stage.rng("meetup", spec.title)
    day = _day(stage, spec)
    starts = _at(day, spec.start)
    # Announced well ahead, but always some days ago: a meetup moved past a holiday stays announced.
    announced = min(
        starts - dt.timedelta(days=spec.announced_days_before, hours=rng.uniform(0, 6)),
        stage.ago(days=ANNOUNCED_AT_LATEST_DAYS_AGO, hours=rng.uniform(0, 6)),
    )
    organiser = (
        stage.member(spec.organiser)
        if spec.organiser
        else rng.choice(stage.people(joined_before=announced, where=lambda m: m.school.name == spec.host))
    )
    with stage.acting(organiser, announced):
        meetup = meetups.create_meetup(organiser, _draft(stage, spec, day))
        meetup.is_demo = True  # a marker for the demo's own bookkeeping, not a rule of the feature
    organisers = {m.id for m in meetup.organisers}
    invited = {stage.schools[name].id for name in spec.invited_schools}
    crowd = stage.people(
        joined_before=announced,
        where=lambda m: m.id not in organisers and (not invited or m.school_id in invited),
    )
    if spec.poll:
        _answer_poll(stage, rng, meetup, rng.sample(crowd, min(len(crowd), spec.poll_answers)), announced)
        return
    named = [stage.member(ref) for ref in spec.include_going]
    pool = [m for m in crowd if m not in named]
    others = rng.sample(pool, min(len(pool), spec.going - len(named) + spec.maybe))
    going = [*named, *others][: spec.going]
    answers = [("going", m) for m in going] + [("maybe", m) for m in others[spec.going - len(named) :]]
    # Answers come in before the deadline, and not on the day itself.
    closes = min(meetup.rsvp_deadline or starts, starts - dt.timedelta(days=1), stage.now)
    for number, (answer, member) in enumerate(answers, 1):
        with stage.acting(member, announced + (closes - announced) * number / (len(answers) + 1)):
            meetups.respond(member, meetup.id, answer)
    if spec.notes and starts < stage.now:
        _write_up(stage, rng, spec, meetup, organiser, starts)


def _answer_poll(
    stage: Stage, rng: random.Random, meetup: Meetup, members: list[Member], announced: dt.datetime
) -> None:
    """Members answer the date poll: yes, if need be or no for each candidate time."""
    for number, member in enumerate(members, 1):
        answers = {option.id: rng.choice(POLL_LEANING) for option in meetup.poll_options}
        with stage.acting(member, announced + (stage.now - announced) * number / (len(members) + 1)):
            polls.answer_poll(member, meetup.id, answers)


def _write_up(
    stage: Stage, rng: random.Random, spec: MeetupSpec, meetup: Meetup, organiser: Member, starts: dt.datetime
) -> None:
    """After the meetup the organiser writes notes, ticks who came and links the cases discussed."""
    came = [rsvp.member_id for rsvp in meetups.attendees(meetup) if rng.random() < spec.attended]
    with stage.acting(organiser, starts + dt.timedelta(days=1, hours=2)):
        meetups.record_outcome(
            organiser,
            meetup.id,
            notes=spec.notes,
            attended_member_ids=came,
            discussed_case_ids=[case_by_title(title).id for title in spec.discussed_cases],
        )
