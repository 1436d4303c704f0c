"""Demo rooms: standing rooms with their talk and a case room with a finished session."""

from sqlalchemy import select

from network.db import db
from network.rooms.models import Message, ReflectingSession, Room


def test_demo_rooms_have_talk_and_one_finished_session(demo):
    rooms = list(db.session.scalars(select(Room)))
    sessions = list(db.session.scalars(select(ReflectingSession)))

    assert sorted(r.kind for r in rooms) == ["case", "standing", "standing", "standing"]
    for room in rooms:
        said = list(db.session.scalars(select(Message).where(Message.room_id == room.id)))
        assert len(said) >= 6 and len({m.author_id for m in said}) >= 3, room.name
    standing = {r.name: r for r in rooms if r.kind == "standing"}
    assert standing["Region Midtjylland"].region == "midtjylland"
    assert standing["Motivationspædagogik i praksis"].tool == "motivation"
    assert len(sessions) == 1 and sessions[0].status == "finished" and sessions[0].summary_saved_at
