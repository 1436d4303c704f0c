"""The demo meetups: past and upcoming, a waitlist, an invited-only meeting and an open date poll."""

from sqlalchemy import func, select

from network.db import db
from network.demo import MEMBER_EMAIL
from network.meetups import service
from network.meetups.models import Meetup, Rsvp
from tests.demo.conftest import member


def test_demo_meetups_are_varied(demo):
    meetups = list(db.session.scalars(select(Meetup)))
    now = db.session.scalar(select(func.max(Meetup.created_at)))

    assert len(meetups) == 5
    assert len({m.host_school_id for m in meetups}) >= 4
    assert any(m.is_polling and len(m.poll_options) == 3 and m.poll_options[0].answers for m in meetups)
    invited = [m for m in meetups if m.visibility == "invited"]
    assert len(invited) == 1 and {s.kind for s in invited[0].invited_schools} == {"model"}
    held = [m for m in meetups if m.notes]
    assert len(held) == 2 and all(m.starts_at < now for m in held)
    assert all(any(r.attended for r in m.rsvps) for m in held)
    assert any(m.discussed_cases for m in held)
    assert sum(1 for m in meetups if m.starts_at and m.starts_at > now) == 2
    for meetup in meetups:
        assert service.going_count(meetup) <= meetup.capacity


def test_the_full_meetup_has_a_waitlist_the_service_made(demo):
    full = db.session.scalars(select(Meetup).where(Meetup.capacity == 8)).one()

    assert service.going_count(full) == 8
    waiting = service.waitlist(full)
    assert len(waiting) == 3 and all(r.waitlisted_at for r in waiting)
    assert member(MEMBER_EMAIL) in full.organisers


def test_the_demo_leader_is_going_to_the_model_schools_meeting(demo):
    leader = member(MEMBER_EMAIL)
    rsvps = db.session.scalars(select(Rsvp).where(Rsvp.member_id == leader.id)).all()

    assert ("invited", "going") in [(r.meetup.visibility, r.state) for r in rsvps]
