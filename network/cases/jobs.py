"""Cron jobs: "what happened?" reminders on cases, and notification digests by mail.

Both are safe to run twice and survive a bad item: each case or member is one transaction that
records what was sent (CaseReminder; each notification's emailed_at) with the mail it queued.
"""

import datetime as dt

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from network.cases.models import Case, CaseReminder
from network.cases.social import case_url
from network.db import db
from network.mail import absolute_url, send_mail
from network.mail.compose import recipient_locale
from network.members.models import Member
from network.notifications import service as notifications
from network.notifications.models import Notification
from network.reminders import digest_job, each_item, reminder_job

# A digest goes out when the last one is at least this old (a little under a day/week, so an
# hourly or daily cron that runs a few minutes early still sends it).
DIGEST_INTERVALS = {"daily": dt.timedelta(hours=20), "weekly": dt.timedelta(days=6, hours=20)}
DIGEST_SUBJECTS = {
    "daily": _l("Dit daglige overblik fra Ledernetværket"),
    "weekly": _l("Dit ugentlige overblik fra Ledernetværket"),
}
# The digest's sections, by the start of a notification's kind; the rest go under "Andet".
DIGEST_SECTIONS = (
    ("case", _l("Sager og svar")),
    ("meetup", _l("Netværksmøder")),
    ("room", _l("Rum")),
)


@reminder_job
def send_case_reminders(now: dt.datetime) -> str:
    """Remind owners of open cases after 4 and 12 weeks (CASE_REMINDER_WEEKS) to write what happened."""
    weeks_list = sorted(current_app.config["CASE_REMINDER_WEEKS"])
    case_ids = list(
        db.session.scalars(
            select(Case.id)
            .where(
                Case.status.in_(("open", "in_progress", "follow_up")),
                Case.is_hidden.is_(False),
                Case.published_at.is_not(None),
            )
            .order_by(Case.id)
        )
    )
    tally = each_item(
        case_ids, lambda case_id: _remind_if_due(case_id, weeks_list, now), what="case reminder"
    )
    return tally.report("Sager: {done} påmindelse(r) sendt.")


def _remind_if_due(case_id: int, weeks_list: list[int], now: dt.datetime) -> bool:
    case = db.session.get(Case, case_id)
    done = set(db.session.scalars(select(CaseReminder.weeks).where(CaseReminder.case_id == case_id)))
    due = [w for w in weeks_list if now - case.published_at >= dt.timedelta(weeks=w) and w not in done]
    if not due or case.author is None or not case.author.is_active_member:
        return False
    for weeks in due:  # one reminder even when several are due (e.g. the job was off for a while)
        db.session.add(CaseReminder(case_id=case.id, weeks=weeks, sent_at=now))
    _remind(case, due[-1], now)
    db.session.flush()
    return True


def _remind(case: Case, weeks: int, now: dt.datetime) -> None:
    author = case.author
    # Straight to where the owner writes what happened (the case's status form).
    url = case_url(case) + "#status-h"
    with force_locale(recipient_locale(author)):  # the bell entry and the mail in the owner's language
        title = _l("Hvad skete der med din sag »%(title)s«?", title=case.title)
        body = str(
            _l(
                "Det er %(weeks)d uger siden, du delte sagen. Skriv kort, hvad der skete, og hvad du lærte – "
                "det er guld værd for de andre i netværket.",
                weeks=weeks,
            )
        )
    notification = notifications.notify(
        author,
        "case.reminder",
        title,
        body=body,
        url=url,
        subject_type="case",
        subject_id=case.id,
        email=False,
    )
    if author.email_frequency != "never" and author.mail_reminders:
        send_mail(
            author.email,
            title,
            "case_reminder",
            member=author,
            notification=notification,
            link=absolute_url(url),
        )
        notification.emailed_at = now


@digest_job
def send_notification_digests(now: dt.datetime) -> str:
    """Mail members on a daily or weekly digest their unmailed notifications, one member at a time."""
    member_ids = list(
        db.session.scalars(
            select(Member.id)
            .where(Member.email_frequency.in_(tuple(DIGEST_INTERVALS)), Member.is_active_member.is_(True))
            .order_by(Member.id)
        )
    )
    tally = each_item(member_ids, lambda member_id: _digest(member_id, now), what="digest")
    return tally.report("Overblik: {done} e-mail(s) sendt.")


def _digest(member_id: int, now: dt.datetime) -> bool:
    member = db.session.get(Member, member_id)
    pending = list(
        db.session.scalars(
            select(Notification)
            .where(Notification.member_id == member.id, Notification.emailed_at.is_(None))
            .order_by(Notification.created_at, Notification.id)
        )
    )
    if not pending:
        return False
    last = db.session.scalar(
        select(func.max(Notification.emailed_at)).where(Notification.member_id == member.id)
    )
    if last is not None and now - last < DIGEST_INTERVALS[member.email_frequency]:
        return False
    send_mail(
        member.email,
        DIGEST_SUBJECTS[member.email_frequency],
        "digest",
        member=member,
        sections=digest_sections(pending),
        count=len(pending),
        all_url=absolute_url("/notifikationer"),
    )
    for notification in pending:
        notification.emailed_at = now
    db.session.flush()
    return True


def digest_sections(pending: list[Notification]) -> list[dict]:
    """The notifications grouped into the digest's sections (in a fixed order), each with its link."""
    sections = [{"key": key, "title": title, "entries": []} for key, title in DIGEST_SECTIONS]
    other = {"key": "other", "title": _l("Andet"), "entries": []}
    for notification in pending:
        link = absolute_url(notification.url) if notification.url else ""
        section = next((s for s in sections if notification.kind.startswith(s["key"])), other)
        section["entries"].append((notification, link))
    return [s for s in [*sections, other] if s["entries"]]
