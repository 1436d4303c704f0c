"""Parallel sign-ups on PostgreSQL never overbook: the RSVP service locks the meetup row."""

import threading

import pytest
import time_machine

from network.db import db
from network.meetups import service
from network.meetups.models import Rsvp
from tests.meetups.conftest import NOW


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_parallel_rsvps_never_exceed_capacity(app, ctx, factory, make_meetup):
    with time_machine.travel(NOW, tick=False):
        meetup = make_meetup(factory.member(), capacity=5)
    school = factory.school()
    member_ids = [factory.member(school=school).id for _ in range(12)]
    meetup_id = meetup.id
    barrier = threading.Barrier(len(member_ids))
    errors: list[BaseException] = []

    def sign_up(member_id: int) -> None:
        # Each thread is a request of its own: its own app context, session and connection.
        # (12 threads stay within the default connection pool of 5 + 10 overflow.)
        with app.app_context():
            try:
                member = db.session.get(service.Member, member_id)
                barrier.wait(timeout=30)
                service.respond(member, meetup_id, "going", now=NOW)
                db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=sign_up, args=(i,)) for i in member_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)

    assert errors == []
    db.session.expire_all()
    states = db.session.scalars(db.select(Rsvp.state).where(Rsvp.meetup_id == meetup_id)).all()
    assert states.count("going") == 5
    assert states.count("waitlist") == 7
