"""The demo meetups: past and upcoming, a waitlist and an open date poll; loading twice adds nothing."""

from sqlalchemy import func, select

from network.db import db
from network.demo import seed
from network.meetups import service
from network.meetups.models import Meetup, Rsvp


def test_demo_meetups_are_varied_and_idempotent(app):
    with app.app_context():
        seed()
        meetups = list(db.session.scalars(select(Meetup)))
        assert len(meetups) == 5
        assert len({m.host_school_id for m in meetups}) >= 3
        assert any(m.is_polling and m.poll_options for m in meetups)
        assert any(m.visibility == "invited" for m in meetups)
        assert any(m.notes for m in meetups)
        waiting = db.session.scalar(select(func.count()).where(Rsvp.state == "waitlist"))
        assert waiting >= 1
        for meetup in meetups:
            assert service.going_count(meetup) <= meetup.capacity
        seed()
        assert db.session.scalar(select(func.count(Meetup.id))) == 5
