"""Meetup helpers: a meetup in one line, a clock, a case or project to link."""

import datetime as dt
import typing as t

import pytest

from network.db import db
from network.meetups import drafts, service
from network.members.models import Member

# A fixed "now" for the tests: a Monday in September 2026 (summer time in Copenhagen).
NOW = dt.datetime(2026, 9, 7, 8, 0, tzinfo=dt.UTC)


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    """Copenhagen wall-clock time as aware UTC."""
    return service.local_datetime(dt.date(year, month, day), dt.time(hour, minute))


class MeetupMaker:
    def __call__(self, organiser: Member, **fields: t.Any):  # noqa: ANN204
        start = fields.pop("starts_at", local(2026, 10, 1, 10))
        draft = drafts.MeetupDraft(
            title=fields.pop("title", "Sparring om fravær"),
            description=fields.pop("description", "Vi deler erfaringer."),
            host_school_id=fields.pop("host_school_id", organiser.school_id),
            address=fields.pop("address", "Skolevej 1, Odense"),
            starts_at=start,
            ends_at=fields.pop("ends_at", start + dt.timedelta(hours=3) if start else None),
            capacity=fields.pop("capacity", 10),
            **fields,
        )
        meetup = service.create_meetup(organiser, draft)
        db.session.commit()
        return meetup


@pytest.fixture
def make_meetup(ctx) -> MeetupMaker:
    return MeetupMaker()


def draft_of(meetup, **changes: t.Any) -> drafts.MeetupDraft:
    """The meetup's current details as a draft, with some changed."""
    values = dict(
        title=meetup.title,
        description=meetup.description,
        host_school_id=meetup.host_school_id,
        address=meetup.address,
        online_url=meetup.online_url,
        starts_at=meetup.starts_at,
        ends_at=meetup.ends_at,
        capacity=meetup.capacity,
        rsvp_deadline=meetup.rsvp_deadline,
        visibility=meetup.visibility,
        invited_school_ids=[s.id for s in meetup.invited_schools],
        co_organiser_ids=[o.id for o in meetup.organisers],
    )
    values.update(changes)
    return drafts.MeetupDraft(**values)
