"""The meetup reminder job for `network send-reminders`; it records what it sent, so twice is safe."""

import datetime as dt

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from network.db import db
from network.meetups.models import Meetup, ReminderSent, Rsvp
from network.meetups.service import can_view_meetup, meetup_path, rsvp_deadline, to_local
from network.members.models import Member
from network.notifications.service import notify
from network.reminders import reminder_job


def _already(meetup_id: int, member_id: int, kind: str) -> bool:
    return (
        db.session.scalar(
            select(ReminderSent.id).where(
                ReminderSent.meetup_id == meetup_id,
                ReminderSent.member_id == member_id,
                ReminderSent.kind == kind,
            )
        )
        is not None
    )


def _send(meetup: Meetup, member: Member, kind: str, title: str, now: dt.datetime) -> None:
    notify(
        member,
        f"meetup_{kind}",
        title,
        url=meetup_path(meetup.id),
        subject_type="meetup",
        subject_id=meetup.id,
    )
    db.session.add(ReminderSent(meetup_id=meetup.id, member_id=member.id, kind=kind, sent_at=now))


def send_meetup_reminders(now: dt.datetime) -> tuple[int, int]:
    """Remind those going N days before, and invited members who have not answered before the deadline."""
    days = int(current_app.config.get("MEETUP_REMINDER_DAYS", 2))
    horizon = now + dt.timedelta(days=days)
    upcoming = list(
        db.session.scalars(
            select(Meetup).where(
                Meetup.status == "scheduled", Meetup.starts_at > now, Meetup.starts_at <= horizon
            )
        )
    )
    attendees = 0
    for meetup in upcoming:
        when = to_local(meetup.starts_at).strftime("%d.%m.%Y %H:%M")
        going = db.session.scalars(select(Rsvp).where(Rsvp.meetup_id == meetup.id, Rsvp.state == "going"))
        for rsvp in going:
            if not _already(meetup.id, rsvp.member_id, "upcoming"):
                title = str(_l("Påmindelse: “%(title)s” %(when)s", title=meetup.title, when=when))
                _send(meetup, rsvp.member, "upcoming", title, now)
                attendees += 1

    unanswered = 0
    open_meetups = db.session.scalars(
        select(Meetup).where(Meetup.status == "scheduled", Meetup.starts_at > now)
    )
    for meetup in open_meetups:
        deadline = rsvp_deadline(meetup)
        if deadline is None or not now < deadline <= horizon:
            continue
        answered = set(db.session.scalars(select(Rsvp.member_id).where(Rsvp.meetup_id == meetup.id)))
        answered |= {o.id for o in meetup.organisers}  # organisers are coming by definition
        members = db.session.scalars(select(Member).where(Member.is_active_member.is_(True)))
        for member in members:
            if member.id in answered or not can_view_meetup(member, meetup):
                continue
            if not _already(meetup.id, member.id, "unanswered"):
                title = str(_l("Vil du med til “%(title)s”? Svar inden fristen", title=meetup.title))
                _send(meetup, member, "unanswered", title, now)
                unanswered += 1
    db.session.flush()
    return attendees, unanswered


@reminder_job
def meetup_reminders(now: dt.datetime) -> str:
    """Cron entry point: sends and reports."""
    attendees, unanswered = send_meetup_reminders(now)
    return f"netværksmøder: {attendees} påmindelser, {unanswered} om manglende svar"
