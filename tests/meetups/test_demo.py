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


def test_demo_meetup_pages_render_for_the_demo_logins(app, client):
    from network.demo import COORDINATOR_EMAIL, DEMO_PASSWORD, MEMBER_EMAIL

    with app.app_context():
        seed()
        ids = list(db.session.scalars(select(Meetup.id)))
    for email in (COORDINATOR_EMAIL, MEMBER_EMAIL):
        client.post("/log-ind", data={"email": email, "password": DEMO_PASSWORD})
        for path in (
            "/netvaerksmoeder",
            "/netvaerksmoeder/arkiv",
            "/netvaerksmoeder/kalender",
            "/netvaerksmoeder/mine",
        ):
            assert client.get(path).status_code == 200, path
        for meetup_id in ids:
            assert client.get(f"/netvaerksmoeder/{meetup_id}").status_code in (200, 404)
            assert client.get(f"/netvaerksmoeder/{meetup_id}/rediger").status_code in (200, 403, 404)
        client.post("/log-ud")


def test_send_reminders_runs_the_meetup_job(runner):
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0 and "netværksmøder" in result.output
