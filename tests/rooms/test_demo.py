"""Demo rooms: standing rooms with history and one finished session with its summary; idempotent."""

from network import demo
from network.db import db
from network.rooms.models import Message, ReflectingSession, Room


def test_demo_rooms_are_seeded_once(ctx):
    demo.seed()
    rooms, messages = db.session.query(Room).count(), db.session.query(Message).count()
    assert rooms == 4 and messages > 20
    session = db.session.query(ReflectingSession).one()
    assert session.status == "finished" and session.next_actions and session.learnings
    demo.seed()
    assert (db.session.query(Room).count(), db.session.query(Message).count()) == (rooms, messages)
