"""Notify members in the app (and by mail when they want it per event)."""

import typing as t

from sqlalchemy import func, select, update

from network.db import db, utcnow
from network.errors import NotFound
from network.mail import absolute_url, send_mail
from network.members.models import Member
from network.notifications.models import Notification


def notify(
    member: Member,
    kind: str,
    title: str,
    *,
    body: str = "",
    url: str = "",
    subject_type: str = "",
    subject_id: int | None = None,
    email: bool = True,
) -> Notification:
    """Tell one member about an event: a bell entry, and a mail when they chose mail per event.

    Callers decide *who* may be told; this function trusts that they checked visibility.
    """
    notification = Notification(
        member_id=member.id,
        kind=kind,
        title=title[:300],
        body=body,
        url=url,
        subject_type=subject_type,
        subject_id=subject_id,
    )
    db.session.add(notification)
    db.session.flush()
    if email and wants_mail_per_event(member):
        send_mail(
            member.email,
            title,
            "notification",
            member=member,
            notification=notification,
            link=absolute_url(url) if url else "",
        )
        notification.emailed_at = utcnow()
    return notification


def tell_newly_named(
    actor: Member, named: list[Member], before: set[int], kind: str, **notice: t.Any
) -> None:
    """Tell each member someone else has just named (as a leader, a co-organiser): no surprises.

    ``before`` holds who was named already; the actor naming themself is not told.
    """
    for member in named:
        if member.id not in before and member.id != actor.id:
            notify(member, kind, **notice)


def wants_mail_per_event(member: Member) -> bool:
    """Whether the member gets a mail for each event (else none, or a digest)."""
    return member.email_frequency == "event"


def unread_count(member: Member) -> int:
    """How many notifications the member has not read."""
    return (
        db.session.scalar(
            select(func.count()).where(Notification.member_id == member.id, Notification.read_at.is_(None))
        )
        or 0
    )


def recent(member: Member, page: int = 1, per_page: int = 30):
    """The member's notifications, newest first."""
    query = (
        select(Notification)
        .where(Notification.member_id == member.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def mark_read(member: Member, notification_id: int | None = None) -> None:
    """Mark one notification (or all of them) as read; only one's own."""
    query = update(Notification).where(Notification.member_id == member.id, Notification.read_at.is_(None))
    if notification_id is not None:
        if db.session.get(Notification, notification_id) is None:
            raise NotFound()
        query = query.where(Notification.id == notification_id)
    db.session.execute(query.values(read_at=utcnow()))


def open_notification(member: Member, notification_id: int) -> Notification:
    """Mark one's notification as read and return it (to follow its link)."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.member_id != member.id:
        raise NotFound()
    notification.read_at = notification.read_at or utcnow()
    return notification


def withdraw(subject_type: str, subject_id: int) -> int:
    """Remove notifications about content that was hidden or deleted; returns how many."""
    result = db.session.execute(
        db.delete(Notification).where(
            Notification.subject_type == subject_type, Notification.subject_id == subject_id
        )
    )
    return result.rowcount or 0
