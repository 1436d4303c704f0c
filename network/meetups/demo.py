"""Demo meetups: past ones with notes, upcoming ones with RSVPs and a waitlist, and an open date poll.

Safe to run again: a demo meetup is found by its title and never created twice. Times are set
relative to today, so the demo always has something coming up.
"""

import datetime as dt
import random

from sqlalchemy import select

from network.db import db, utcnow
from network.meetups import drafts, service
from network.meetups.models import Meetup, PollAnswer, Rsvp
from network.members.models import Member

SEED = 2016

PAST_NOTES = """Vi startede med en runde om, hvad der fik elever til at blive på grundforløbet.

- Faste makkerpar i de første uger gjorde en tydelig forskel flere steder.
- Lederne var enige om at være mere synlige i værkstederne i opstarten.

**Næste skridt:** hver skole prøver én ting af og fortæller om det på næste møde."""


def _day(days_ahead: int, weekday: int) -> dt.date:
    """The date about ``days_ahead`` days from today, moved to the wanted weekday (0 = Monday)."""
    base = service.to_local(utcnow()).date() + dt.timedelta(days=days_ahead)
    return base + dt.timedelta(days=(weekday - base.weekday()) % 7)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return service.local_datetime(day, dt.time(hour, minute))


def seed_meetups(members: dict[str, Member]) -> int:
    """Create the demo meetups that are missing; returns how many were created."""
    rng = random.Random(SEED)
    people = sorted(members.values(), key=lambda m: m.email)
    existing = set(db.session.scalars(select(Meetup.title).where(Meetup.is_demo.is_(True))))
    by_school: dict[int, list[Member]] = {}
    for member in people:
        by_school.setdefault(member.school_id, []).append(member)
    schools = sorted({m.school for m in people if m.school}, key=lambda s: s.name)
    if len(schools) < 4 or len(people) < 20:
        return 0
    coordinator = next((m for m in people if m.role == "coordinator"), people[0])
    leader = next((m for m in people if m.email.startswith("leder@")), people[1])
    created = 0

    def make(title: str, organiser: Member, draft: drafts.MeetupDraft) -> Meetup | None:
        nonlocal created
        if title in existing:
            return None
        draft.title = title
        meetup = service.create_meetup(organiser, draft)
        meetup.is_demo = True
        created += 1
        return meetup

    def answer(meetup: Meetup, member: Member, state: str, minutes: int = 0) -> None:
        waitlisted = (
            utcnow() - dt.timedelta(days=3) + dt.timedelta(minutes=minutes) if state == "waitlist" else None
        )
        db.session.add(Rsvp(meetup_id=meetup.id, member_id=member.id, state=state, waitlisted_at=waitlisted))

    def others(exclude: set[int], count: int) -> list[Member]:
        pool = [m for m in people if m.id not in exclude]
        return rng.sample(pool, min(count, len(pool)))

    # 1. A past meetup with notes and attendance: the archive.
    host = schools[0]
    day = _day(-45, 3)
    past = make(
        "Netværksdag: fastholdelse på grundforløbet",
        coordinator,
        drafts.MeetupDraft(
            title="",
            description=(
                "En dag om, hvordan vi holder på eleverne de første uger. "
                "Tag gerne et eksempel med hjemmefra."
            ),
            host_school_id=host.id,
            address=f"{host.name}, {host.city}",
            starts_at=_at(day, 9, 30),
            ends_at=_at(day, 15),
            capacity=30,
            agenda=[
                drafts.AgendaDraft("Velkomst og kaffe"),
                drafts.AgendaDraft("Erfaringer fra værkstederne"),
                drafts.AgendaDraft("Sparring i små grupper"),
            ],
        ),
    )
    if past:
        db.session.flush()
        for member in others({coordinator.id}, 14):
            answer(past, member, "going")
        db.session.flush()
        past.notes = PAST_NOTES
        for rsvp in db.session.scalars(select(Rsvp).where(Rsvp.meetup_id == past.id)):
            rsvp.attended = rng.random() < 0.85

    # 2. An online meetup a few months back.
    day = _day(-110, 1)
    make(
        "Onlinemøde: feedback, der flytter eleverne",
        people[5],
        drafts.MeetupDraft(
            title="",
            description="Halvanden time på skærmen om feedback i praksis. Kort oplæg og derefter sparring.",
            host_school_id=people[5].school_id,
            online_url="https://moede.example.org/feedback",
            starts_at=_at(day, 14),
            ends_at=_at(day, 15, 30),
            capacity=40,
        ),
    )

    # 3. Upcoming and full: a waitlist.
    host = schools[3]
    day = _day(20, 3)
    full = make(
        "Sparringsdag: pædagogisk ledelse tæt på lærerne",
        coordinator,
        drafts.MeetupDraft(
            title="",
            description=(
                "Vi arbejder med reflekterende team om konkrete dilemmaer. Pladserne er få, "
                "så alle kommer til orde.\n\nMeld fra i god tid, hvis du ikke kan alligevel."
            ),
            host_school_id=host.id,
            address=f"{host.name}, {host.city}",
            starts_at=_at(day, 10),
            ends_at=_at(day, 15, 30),
            capacity=8,
            rsvp_deadline=_at(day - dt.timedelta(days=5), 23, 59),
            co_organiser_ids=[leader.id],
            agenda=[
                drafts.AgendaDraft("Hvad fylder hos jer lige nu?"),
                drafts.AgendaDraft("Reflekterende team: to sager"),
                drafts.AgendaDraft("Aftaler og næste skridt"),
            ],
        ),
    )
    if full:
        db.session.flush()
        chosen = others({coordinator.id, leader.id}, 13)
        for member in chosen[:8]:
            answer(full, member, "going")
        for minutes, member in enumerate(chosen[8:11]):
            answer(full, member, "waitlist", minutes)
        for member in chosen[11:]:
            answer(full, member, "maybe")

    # 4. Upcoming, for invited schools only.
    model_schools = [s for s in schools if s.kind == "model"][:4] or schools[:3]
    host = model_schools[0]
    day = _day(40, 1)
    invited = make(
        "Modelskolerne mødes: motivationspædagogik i hverdagen",
        by_school.get(host.id, [coordinator])[0],
        drafts.MeetupDraft(
            title="",
            description=(
                "Et møde for modelskolerne, hvor vi samler op på, hvad der virker, og hvad vi har droppet."
            ),
            host_school_id=host.id,
            address=f"{host.name}, {host.city}",
            online_url="https://moede.example.org/modelskoler",
            starts_at=_at(day, 12, 30),
            ends_at=_at(day, 16),
            capacity=25,
            visibility="invited",
            invited_school_ids=[s.id for s in model_schools],
        ),
    )
    if invited:
        db.session.flush()
        guests = [m for s in model_schools for m in by_school.get(s.id, [])][:6]
        for member in guests:
            if member.id not in {o.id for o in invited.organisers}:
                answer(invited, member, rng.choice(["going", "going", "maybe"]))

    # 5. An open date poll.
    base = _day(60, 1)
    poll = make(
        "Temadag om den sproglige dimension",
        leader,
        drafts.MeetupDraft(
            title="",
            description="Hvornår passer det bedst? Svar på forslagene, så finder vi en dag, hvor flest kan.",
            host_school_id=leader.school_id or schools[1].id,
            address="Aftales, når datoen er på plads",
            capacity=35,
            poll_options=[
                (_at(base + dt.timedelta(days=d), 9), _at(base + dt.timedelta(days=d), 15)) for d in (0, 2, 7)
            ],
        ),
    )
    if poll:
        db.session.flush()
        for member in others({leader.id}, 9):
            for option in poll.poll_options:
                db.session.add(
                    PollAnswer(
                        option_id=option.id,
                        member_id=member.id,
                        answer=rng.choice(["yes", "if_need_be", "no"]),
                    )
                )
    db.session.flush()
    return created
