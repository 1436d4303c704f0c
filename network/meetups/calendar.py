"""Calendars: an .ics per meetup and a personal subscription feed behind a secret token."""

import hashlib
import secrets

from icalendar import Calendar, Event, Timezone
from sqlalchemy import select

from network.db import db, utcnow
from network.errors import NotFound
from network.meetups.models import CalendarFeed, Meetup
from network.meetups.service import TZ, _plain, can_view_meetup, my_meetups, rsvp_of

PRODID = "-//Ledernetværket//Netværksmøder//DA"


def meetup_calendar(meetups: list[Meetup], base_url: str, name: str = "") -> bytes:
    """An iCalendar document with a VTIMEZONE for Copenhagen and one VEVENT per scheduled meetup."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
    cal.add_component(Timezone.from_tzid("Europe/Copenhagen"))
    for meetup in meetups:
        if meetup.starts_at is None:
            continue
        cal.add_component(_event(meetup, base_url))
    return cal.to_ical()


def _event(meetup: Meetup, base_url: str) -> Event:
    event = Event()
    event.add("uid", meetup.uid)
    event.add("sequence", meetup.sequence)
    event.add("dtstamp", utcnow())
    event.add("last-modified", meetup.updated_at or utcnow())
    event.add("summary", meetup.title)
    event.add("dtstart", meetup.starts_at.astimezone(TZ))
    event.add("dtend", meetup.ends_at.astimezone(TZ))
    url = f"{base_url.rstrip('/')}/netvaerksmoeder/{meetup.id}"
    event.add("url", url)
    location = ", ".join(p for p in (meetup.address, meetup.online_url) if p)
    if location:
        event.add("location", location)
    description = _plain(meetup.description)
    event.add("description", f"{description}\n\n{url}".strip())
    event.add("status", "CANCELLED" if meetup.is_cancelled else "CONFIRMED")
    return event


# --- personal feeds --------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_feed_token(member) -> str:  # noqa: ANN001
    """A new secret feed token for the member (older ones stop working); shown once."""
    revoke_feed_tokens(member)
    token = secrets.token_urlsafe(32)
    db.session.add(CalendarFeed(member_id=member.id, token_hash=_hash(token)))
    db.session.flush()
    return token


def revoke_feed_tokens(member) -> int:  # noqa: ANN001
    """Stop every feed URL the member has; returns how many."""
    feeds = db.session.scalars(
        select(CalendarFeed).where(CalendarFeed.member_id == member.id, CalendarFeed.revoked_at.is_(None))
    ).all()
    for feed in feeds:
        feed.revoked_at = utcnow()
    return len(feeds)


def has_feed(member) -> bool:  # noqa: ANN001
    return (
        db.session.scalar(
            select(CalendarFeed.id).where(
                CalendarFeed.member_id == member.id, CalendarFeed.revoked_at.is_(None)
            )
        )
        is not None
    )


def feed_for_token(token: str, base_url: str) -> bytes:
    """The member's meetups as a calendar; NotFound for an unknown or revoked token."""
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token or "")))
    if feed is None or feed.revoked_at is not None or not feed.member.is_active:
        raise NotFound()
    member = feed.member
    # Going, maybe or organising; a place on the waitlist is not yet a date in the calendar.
    meetups = [
        m
        for m in my_meetups(member)
        if can_view_meetup(member, m)
        and (any(o.id == member.id for o in m.organisers) or _state(member, m) in ("going", "maybe"))
    ]
    return meetup_calendar(meetups, base_url, name="Ledernetværket")


def _state(member, meetup: Meetup) -> str | None:  # noqa: ANN001
    rsvp = rsvp_of(member, meetup)
    return rsvp.state if rsvp else None
