"""Scheduled jobs survive a bad item: each item is its own transaction, done once, retried if it failed."""

import datetime as dt

import time_machine
from sqlalchemy import func, select, update

from network import reminders
from network.cases.models import Case, CaseReminder
from network.db import db
from network.members.models import Member
from tests.cases.conftest import CaseFactory
from tests.conftest import read_mails

START = dt.datetime(2026, 2, 2, 9, 0, tzinfo=dt.UTC)


def test_a_title_with_a_line_break_neither_stops_nor_repeats_the_reminders(app, factory, runner):
    """Issue 14 #3: one stored title with CR LF crashed the job, which then re-sent the rest every run."""
    with time_machine.travel(START, tick=False):
        cases = [CaseFactory().case(factory.member(), title=f"Sag nummer {n}") for n in range(3)]
    # A title stored before titles were cleaned at the edge.
    db.session.execute(update(Case).where(Case.id == cases[1].id).values(title="Fravær\r\nBcc: x@y.test"))
    db.session.commit()
    with time_machine.travel(START + dt.timedelta(weeks=5), tick=False):
        for _ in range(3):
            result = runner.invoke(args=["send-reminders"])
            assert result.exit_code == 0, result.output
    mails = read_mails(app)
    assert len(mails) == 3 and len({m["To"] for m in mails}) == 3
    assert any(
        str(m["Subject"]).startswith("Hvad skete der med din sag »Fravær Bcc: x@y.test«") for m in mails
    )
    assert all(m["Bcc"] is None for m in mails)
    assert db.session.scalar(select(func.count(CaseReminder.case_id))) == 3


def test_a_failing_item_is_skipped_and_retried_and_the_others_are_kept_and_not_repeated(ctx, factory):
    members = [factory.member() for _ in range(4)]
    ids = [m.id for m in members]
    db.session.commit()
    broken = {ids[2]}
    handled: list[int] = []

    def mark(member_id: int) -> bool:
        member = db.session.get(Member, member_id)
        if member.title == "klaret":
            return False  # done on an earlier run
        handled.append(member_id)
        member.title = "klaret"
        db.session.flush()
        if member_id in broken:
            raise RuntimeError("a bad item")
        return True

    assert reminders.each_item(ids, mark, what="test") == (3, 1)
    db.session.remove()  # what a new process would see
    titles = dict(db.session.execute(select(Member.id, Member.title).where(Member.id.in_(ids))).all())
    done = [titles[i] == "klaret" for i in ids]
    assert done == [True, True, False, True]  # the bad one rolled back alone, the others kept

    broken.clear()  # fixed; the next run does only what is left
    handled.clear()
    assert reminders.each_item(ids, mark, what="test") == (1, 0)
    assert handled == [ids[2]]


def test_a_failing_job_does_not_stop_the_others_and_cron_sees_the_failure(app, runner):
    def broken_job(now: dt.datetime) -> str:
        raise RuntimeError("the job itself failed")

    reminders.REMINDER_JOBS.insert(0, broken_job)
    try:
        result = runner.invoke(args=["send-reminders"])
    finally:
        reminders.REMINDER_JOBS.remove(broken_job)
    assert result.exit_code == 1 and "broken_job" in result.output
    assert "Sager:" in result.output and "netværksmøder:" in result.output  # the others ran
