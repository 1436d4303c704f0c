"""The meetup reminder job for `network send-reminders`; it records what it sent, so twice is safe.

Each reminder (meetup, member, kind) is its own transaction: the ReminderSent row, the notification
and its mail are committed together, so one failing reminder neither stops nor repeats the others.
"""

import datetime as dt

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from network.db import db
from network.mail.compose import recipient_locale
from network.meetups.models import Meetup, ReminderSent, Rsvp
from network.meetups.service import can_view_meetup, meetup_path, rsvp_deadline, to_local
from network.members.models import Member
from network.notifications.service import notify
from network.reminders import each_item, reminder_job

Reminder = tuple[int, int, str]  # meetup id, member id, "upcoming" or "unanswered"


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


def _send(reminder: Reminder, now: dt.datetime) -> bool:
    meetup_id, member_id, kind = reminder
    if _already(meetup_id, member_id, kind):
        return False
    meetup, member = db.session.get(Meetup, meetup_id), db.session.get(Member, member_id)
    with force_locale(recipient_locale(member)):
        if kind == "upcoming":
            when = to_local(meetup.starts_at).strftime("%d.%m.%Y %H:%M")
            title = _l("Påmindelse: “%(title)s” %(when)s", title=meetup.title, when=when)
        else:
            title = _l("Vil du med til “%(title)s”? Svar inden fristen", title=meetup.title)
    notify(
        member,
        f"meetup_{kind}",
        title,
        url=meetup_path(meetup.id),
        subject_type="meetup",
        subject_id=meetup.id,
    )
    db.session.add(ReminderSent(meetup_id=meetup.id, member_id=member.id, kind=kind, sent_at=now))
    db.session.flush()
    return True


def due_reminders(now: dt.datetime) -> list[Reminder]:
    """Those going N days before, and invited members who have not answered before the deadline."""
    days = int(current_app.config.get("MEETUP_REMINDER_DAYS", 2))
    horizon = now + dt.timedelta(days=days)
    due: list[Reminder] = []
    upcoming = db.session.scalars(
        select(Meetup)
        .where(Meetup.status == "scheduled", Meetup.starts_at > now, Meetup.starts_at <= horizon)
        .order_by(Meetup.id)
    )
    for meetup in upcoming:
        going = db.session.scalars(
            select(Rsvp.member_id).where(Rsvp.meetup_id == meetup.id, Rsvp.state == "going").order_by(Rsvp.id)
        )
        due += [(meetup.id, member_id, "upcoming") for member_id in going]

    open_meetups = db.session.scalars(
        select(Meetup).where(Meetup.status == "scheduled", Meetup.starts_at > now).order_by(Meetup.id)
    )
    members = list(
        db.session.scalars(select(Member).where(Member.is_active_member.is_(True)).order_by(Member.id))
    )
    for meetup in open_meetups:
        deadline = rsvp_deadline(meetup)
        if deadline is None or not now < deadline <= horizon:
            continue
        answered = set(db.session.scalars(select(Rsvp.member_id).where(Rsvp.meetup_id == meetup.id)))
        answered |= {o.id for o in meetup.organisers}  # organisers are coming by definition
        due += [
            (meetup.id, member.id, "unanswered")
            for member in members
            if member.id not in answered and can_view_meetup(member, meetup)
        ]
    return [reminder for reminder in due if not _already(*reminder)]


def send_meetup_reminders(now: dt.datetime) -> tuple[int, int]:
    """Send each due reminder in its own transaction; returns how many to attendees and to the silent."""
    sent = {"upcoming": 0, "unanswered": 0}

    def send(reminder: Reminder) -> bool:
        done = _send(reminder, now)
        sent[reminder[2]] += done
        return done

    tally = each_item(due_reminders(now), send, what="meetup reminder")
    if tally.failed:
        current_app.logger.warning("meetup reminders: %d failed, tried again on the next run", tally.failed)
    return sent["upcoming"], sent["unanswered"]


@reminder_job
def meetup_reminders(now: dt.datetime) -> str:
    """Cron entry point: sends and reports."""
    attendees, unanswered = send_meetup_reminders(now)
    return f"netværksmøder: {attendees} påmindelser, {unanswered} om manglende svar"
