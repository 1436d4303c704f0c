"""Date polls, reminders (controlled clock), .ics files and personal feeds."""

import datetime as dt

import icalendar
import pytest
import time_machine

from network.db import db
from network.errors import NotFound
from network.meetups import calendar, polls, service
from network.meetups.drafts import MeetupError
from network.meetups.reminders import send_meetup_reminders
from network.notifications.models import Notification
from tests.meetups.conftest import NOW, local


def kinds(member):
    return [
        n.kind for n in db.session.scalars(db.select(Notification).where(Notification.member_id == member.id))
    ]


def poll_meetup(make_meetup, organiser, n=3):
    options = [(local(2026, 11, d, 13), local(2026, 11, d, 16)) for d in range(2, 2 + n)]
    return make_meetup(organiser, starts_at=None, ends_at=None, poll_options=options)


@time_machine.travel(NOW, tick=False)
def test_poll_answers_then_pick_schedules_and_notifies_everyone_who_answered(factory, make_meetup):
    organiser = factory.member()
    meetup = poll_meetup(make_meetup, organiser)
    assert meetup.is_polling and meetup.starts_at is None
    a, b, silent = factory.member(), factory.member(), factory.member()
    first, second, third = meetup.poll_options
    polls.answer_poll(a, meetup.id, {first.id: "yes", second.id: "no"})
    polls.answer_poll(b, meetup.id, {first.id: "if_need_be", third.id: "yes"})
    polls.answer_poll(a, meetup.id, {second.id: "yes"})  # changing one's mind
    db.session.commit()
    assert polls.tally(first) == {"yes": 1, "if_need_be": 1, "no": 0}
    assert polls.my_answers(a, meetup) == {first.id: "yes", second.id: "yes"}

    with pytest.raises(service.NotScheduled):
        service.respond(a, meetup.id, "going")
    polls.pick_option(organiser, meetup.id, first.id)
    db.session.commit()
    assert meetup.status == "scheduled" and meetup.starts_at == first.starts_at
    assert "meetup_scheduled" in kinds(a) and "meetup_scheduled" in kinds(b)
    assert "meetup_scheduled" not in kinds(silent)
    with pytest.raises(polls.PollClosed):
        polls.answer_poll(a, meetup.id, {first.id: "no"})


@time_machine.travel(NOW, tick=False)
def test_a_poll_needs_two_to_six_options(factory, make_meetup):
    organiser = factory.member()
    for n in (1, 7):
        with pytest.raises(MeetupError) as error:
            poll_meetup(make_meetup, organiser, n=n)
        assert "mellem 2 og 6" in str(error.value.message)
        db.session.rollback()


@time_machine.travel(NOW, tick=False)
def test_only_organisers_pick_and_bad_answers_are_refused(factory, make_meetup):
    meetup = poll_meetup(make_meetup, factory.member())
    member = factory.member()
    with pytest.raises(service.NotAllowed):
        polls.pick_option(member, meetup.id, meetup.poll_options[0].id)
    with pytest.raises(MeetupError):
        polls.answer_poll(member, meetup.id, {meetup.poll_options[0].id: "perhaps"})
    with pytest.raises(NotFound):
        polls.answer_poll(member, meetup.id, {999999: "yes"})


def test_reminders_go_out_once_to_attendees_and_unanswered_invitees(app, ctx, factory, make_meetup):
    host = factory.school()
    organiser = factory.member(school=host)
    with time_machine.travel(NOW, tick=False):
        meetup = make_meetup(
            organiser,
            starts_at=local(2026, 10, 1, 10),
            rsvp_deadline=local(2026, 9, 28, 12),
            visibility="invited",
            invited_school_ids=[host.id],
        )
        going, silent = factory.member(school=host), factory.member(school=host)
        outsider = factory.member()
        service.respond(going, meetup.id, "going")
        db.session.commit()
        assert send_meetup_reminders(NOW) == (0, 0)  # too early for both

    # Two days before the deadline: those who have not answered are nudged.
    with time_machine.travel(local(2026, 9, 27, 9), tick=False):
        now = local(2026, 9, 27, 9)
        assert send_meetup_reminders(now) == (0, 1)  # silent; not the organiser
        assert send_meetup_reminders(now) == (0, 0)  # safe to run twice
        db.session.commit()
    assert "meetup_unanswered" in kinds(silent) and "meetup_unanswered" not in kinds(going)
    assert kinds(outsider) == []

    # Two days before the meetup: those going are reminded, once.
    with time_machine.travel(local(2026, 9, 29, 11), tick=False):
        now = local(2026, 9, 29, 11)
        assert send_meetup_reminders(now) == (1, 0)
        assert send_meetup_reminders(now) == (0, 0)
        db.session.commit()
    assert kinds(going).count("meetup_upcoming") == 1


def test_reminder_days_follow_config(app, ctx, factory, make_meetup):
    app.config["MEETUP_REMINDER_DAYS"] = 5
    organiser = factory.member()
    with time_machine.travel(NOW, tick=False):
        meetup = make_meetup(organiser, starts_at=local(2026, 10, 1, 10))
        service.respond(factory.member(), meetup.id, "going")
        db.session.commit()
    assert send_meetup_reminders(local(2026, 9, 26, 11))[0] == 1


def test_reminder_job_is_registered(app):
    from network import reminders

    assert any(job.__name__ == "meetup_reminders" for job in reminders.REMINDER_JOBS)


def test_send_reminders_runs_the_meetup_job(runner):
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0 and "netværksmøder" in result.output


def _events(body: bytes):
    cal = icalendar.Calendar.from_ical(body)
    return cal, [c for c in cal.walk("VEVENT")]


@time_machine.travel(NOW, tick=False)
def test_ics_on_the_day_summer_time_ends_has_the_right_local_time(factory, make_meetup):
    meetup = make_meetup(
        factory.member(), starts_at=local(2026, 10, 25, 10), ends_at=local(2026, 10, 25, 15, 30)
    )
    assert meetup.starts_at == dt.datetime(2026, 10, 25, 9, 0, tzinfo=dt.UTC)
    body = calendar.meetup_calendar([meetup], "https://netvaerk.test")
    assert b"BEGIN:VTIMEZONE" in body and b"TZID:Europe/Copenhagen" in body
    assert b"DTSTART;TZID=Europe/Copenhagen:20261025T100000" in body
    cal, (event,) = _events(body)
    start = event.decoded("dtstart")
    assert (start.hour, start.minute, start.utcoffset()) == (10, 0, dt.timedelta(hours=1))
    assert event.decoded("dtend").hour == 15
    assert str(event["uid"]) == meetup.uid and int(event["sequence"]) == 0
    assert str(event["status"]) == "CONFIRMED"


@time_machine.travel(NOW, tick=False)
def test_ics_sequence_rises_on_change_and_cancellation_is_marked(factory, make_meetup):
    organiser = factory.member()
    meetup = make_meetup(organiser)
    uid = meetup.uid
    from tests.meetups.conftest import draft_of

    service.update_meetup(organiser, meetup.id, draft_of(meetup, title="Nyt navn"))
    service.cancel_meetup(organiser, meetup.id)
    db.session.commit()
    _cal, (event,) = _events(calendar.meetup_calendar([meetup], "https://netvaerk.test"))
    assert str(event["uid"]) == uid and int(event["sequence"]) == 2
    assert str(event["status"]) == "CANCELLED"


@time_machine.travel(NOW, tick=False)
def test_feed_lists_my_meetups_and_dies_when_revoked(factory, make_meetup):
    organiser, member = factory.member(), factory.member()
    going = make_meetup(organiser, title="Jeg kommer")
    declined = make_meetup(organiser, title="Jeg kommer ikke")
    full = make_meetup(organiser, title="Fuldt", capacity=1)
    mine = make_meetup(member, title="Mit eget")
    service.respond(member, going.id, "going")
    service.respond(member, declined.id, "not_going")
    service.respond(factory.member(), full.id, "going")
    assert service.respond(member, full.id, "going").state == "waitlist"
    token = calendar.create_feed_token(member)
    db.session.commit()
    _cal, events = _events(calendar.feed_for_token(token, "https://netvaerk.test"))
    assert sorted(str(e["summary"]) for e in events) == sorted([going.title, mine.title])

    newer = calendar.create_feed_token(member)  # a new address retires the old one
    with pytest.raises(NotFound):
        calendar.feed_for_token(token, "https://netvaerk.test")
    calendar.revoke_feed_tokens(member)
    with pytest.raises(NotFound):
        calendar.feed_for_token(newer, "https://netvaerk.test")
    with pytest.raises(NotFound):
        calendar.feed_for_token("made-up", "https://netvaerk.test")
