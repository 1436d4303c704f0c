"""The demo as the two demo logins see it: every kind of page opens."""

import pytest
from sqlalchemy import select

from network.cases.models import Case
from network.db import db
from network.demo import COORDINATOR_EMAIL, DEMO_PASSWORD, MEMBER_EMAIL
from network.meetups.models import Meetup
from network.projects.models import ALProject
from network.rooms.models import ReflectingSession, Room


@pytest.mark.parametrize("email", [MEMBER_EMAIL, COORDINATOR_EMAIL])
def test_the_demo_pages_open_for_the_demo_logins(demo_app, demo, email):
    app, _ = demo_app
    paths = ["/", "/sager", "/sager/mine", "/projekter", "/rum", "/netvaerksmoeder", "/medlemmer"]
    paths += ["/netvaerksmoeder/arkiv", "/netvaerksmoeder/kalender", "/netvaerksmoeder/mine"]
    title = "Et team, der ikke deler undervisningsforløb"
    case = db.session.scalars(select(Case).where(Case.title == title)).one()
    paths += [f"/sager/{case.id}", f"/projekter/{db.session.scalars(select(ALProject.id)).first()}"]
    paths += [f"/rum/{room_id}" for room_id in db.session.scalars(select(Room.id))]
    paths += [f"/rum/sessioner/{db.session.scalars(select(ReflectingSession.id)).one()}"]
    visible = [m.id for m in db.session.scalars(select(Meetup)) if m.visibility == "network"]
    paths += [f"/netvaerksmoeder/{meetup_id}" for meetup_id in visible]
    client = app.test_client()
    assert client.post("/log-ind", data={"email": email, "password": DEMO_PASSWORD}).status_code == 302

    for path in paths:
        assert client.get(path).status_code == 200, path
    page = client.get(f"/sager/{case.id}").get_data(as_text=True)
    assert "Videndeling kommer af at lave noget sammen" in page  # the session's learnings on the case
