"""Cron jobs: "what happened?" reminders on cases, and notification digests by mail.

Both are safe to run twice: reminders record what was sent (CaseReminder), digests mark each
notification's emailed_at.
"""

import datetime as dt

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from network.cases.models import Case, CaseReminder
from network.cases.social import case_url
from network.db import db
from network.mail import absolute_url, send_mail
from network.members.models import Member
from network.notifications import service as notifications
from network.notifications.models import Notification
from network.reminders import digest_job, reminder_job

# A digest goes out when the last one is at least this old (a little under a day/week, so an
# hourly or daily cron that runs a few minutes early still sends it).
DIGEST_INTERVALS = {"daily": dt.timedelta(hours=20), "weekly": dt.timedelta(days=6, hours=20)}


@reminder_job
def send_case_reminders(now: dt.datetime) -> str:
    """Remind owners of open cases after 4 and 12 weeks (CASE_REMINDER_WEEKS) to write what happened."""
    weeks_list = sorted(current_app.config["CASE_REMINDER_WEEKS"])
    sent = 0
    cases = db.session.scalars(
        select(Case).where(
            Case.status.in_(("open", "in_progress", "follow_up")),
            Case.is_hidden.is_(False),
            Case.published_at.is_not(None),
        )
    )
    for case in cases:
        done = set(db.session.scalars(select(CaseReminder.weeks).where(CaseReminder.case_id == case.id)))
        due = [w for w in weeks_list if now - case.published_at >= dt.timedelta(weeks=w) and w not in done]
        if not due or case.author is None or not case.author.is_active_member:
            continue
        for weeks in due:  # one reminder even when several are due (e.g. the job was off for a while)
            db.session.add(CaseReminder(case_id=case.id, weeks=weeks, sent_at=now))
        _remind(case, due[-1], now)
        sent += 1
    db.session.flush()
    return f"Sager: {sent} påmindelse(r) sendt."


def _remind(case: Case, weeks: int, now: dt.datetime) -> None:
    title = _("Hvad skete der med din sag »%(title)s«?", title=case.title)
    body = _(
        "Det er %(weeks)d uger siden, du delte sagen. Skriv kort, hvad der skete, og hvad du lærte – "
        "det er guld værd for de andre i netværket.",
        weeks=weeks,
    )
    author = case.author
    notification = notifications.notify(
        author,
        "case.reminder",
        title,
        body=body,
        url=case_url(case),
        subject_type="case",
        subject_id=case.id,
        email=False,
    )
    if author.email_frequency != "never":
        send_mail(
            author.email,
            title,
            "notification",
            member=author,
            notification=notification,
            link=absolute_url(case_url(case)),
        )
        notification.emailed_at = now


@digest_job
def send_notification_digests(now: dt.datetime) -> str:
    """Mail members on a daily or weekly digest their unmailed notifications."""
    sent = 0
    for frequency, interval in DIGEST_INTERVALS.items():
        members = db.session.scalars(
            select(Member).where(Member.email_frequency == frequency, Member.is_active_member.is_(True))
        )
        for member in members:
            pending = list(
                db.session.scalars(
                    select(Notification)
                    .where(Notification.member_id == member.id, Notification.emailed_at.is_(None))
                    .order_by(Notification.created_at, Notification.id)
                )
            )
            if not pending:
                continue
            last = db.session.scalar(
                select(func.max(Notification.emailed_at)).where(Notification.member_id == member.id)
            )
            if last is not None and now - last < interval:
                continue
            subject = (
                _("Dit daglige overblik fra Ledernetværket")
                if frequency == "daily"
                else _("Dit ugentlige overblik fra Ledernetværket")
            )
            items = [(n, absolute_url(n.url) if n.url else "") for n in pending]
            send_mail(member.email, subject, "digest", member=member, items=items)
            for notification in pending:
                notification.emailed_at = now
            sent += 1
    db.session.flush()
    return f"Overblik: {sent} e-mail(s) sendt."
