"""Date polls: members answer candidate times; the organiser picks one and the meetup is scheduled."""

import typing as t

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from network.audit import service as audit
from network.db import db
from network.errors import NotFound
from network.meetups.drafts import MeetupError
from network.meetups.models import POLL_ANSWERS, Meetup, PollAnswer, PollOption
from network.meetups.service import get_managed_meetup, get_meetup, meetup_path, to_local
from network.members.models import Member
from network.notifications.service import notify
from network.search.outbox import enqueue


class PollClosed(MeetupError):
    status = 409
    default_message = _l("Datoafstemningen er afsluttet.")


def answer_poll(member: Member, meetup_id: int, answers: t.Mapping[int, str]) -> list[PollAnswer]:
    """Save the member's yes / if need be / no for each candidate time."""
    meetup = get_meetup(member, meetup_id)
    if not meetup.is_polling:
        raise PollClosed()
    options = {o.id: o for o in meetup.poll_options}
    saved = []
    for option_id, answer in answers.items():
        if option_id not in options:
            raise NotFound()
        if answer not in POLL_ANSWERS:
            raise MeetupError(_l("Svar ja, hvis nødvendigt eller nej."), field="answers")
        row = db.session.get(PollAnswer, (option_id, member.id))
        if row is None:
            row = PollAnswer(option_id=option_id, member_id=member.id, answer=answer)
            db.session.add(row)
        row.answer = answer
        saved.append(row)
    db.session.flush()
    return saved


def my_answers(member: Member, meetup: Meetup) -> dict[int, str]:
    """The member's answers per option id."""
    ids = [o.id for o in meetup.poll_options]
    if not ids:
        return {}
    rows = db.session.scalars(
        select(PollAnswer).where(PollAnswer.option_id.in_(ids), PollAnswer.member_id == member.id)
    )
    return {r.option_id: r.answer for r in rows}


def tally(option: PollOption) -> dict[str, int]:
    counts = dict.fromkeys(POLL_ANSWERS, 0)
    for answer in option.answers:
        counts[answer.answer] += 1
    return counts


def pick_option(actor: Member, meetup_id: int, option_id: int) -> Meetup:
    """Schedule the meetup at the chosen time and tell everyone who answered the poll."""
    meetup = get_managed_meetup(actor, meetup_id)
    if not meetup.is_polling:
        raise PollClosed()
    option = next((o for o in meetup.poll_options if o.id == option_id), None)
    if option is None:
        raise NotFound()
    meetup.starts_at, meetup.ends_at = option.starts_at, option.ends_at
    if meetup.rsvp_deadline and meetup.rsvp_deadline > meetup.starts_at:
        meetup.rsvp_deadline = None
    meetup.status = "scheduled"
    meetup.sequence += 1
    when = to_local(option.starts_at).strftime("%d.%m.%Y %H:%M")
    answered = {a.member_id: a.member for o in meetup.poll_options for a in o.answers}
    for member in answered.values():
        if member.id == actor.id:
            continue
        notify(
            member,
            "meetup_scheduled",
            _l("“%(title)s” er fastlagt til %(when)s", title=meetup.title, when=when),
            url=meetup_path(meetup.id),
            subject_type="meetup",
            subject_id=meetup.id,
        )
    db.session.flush()
    enqueue("meetup", meetup.id)
    audit.record(actor, "meetup.schedule", "meetup", meetup.id, when)
    return meetup
