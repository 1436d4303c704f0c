"""Issue 14, finding 1: in the room of an anonymous case its author is the case's anonymous persona,
in every live channel (messages, presence, typing, roles, transcripts, API, mentions, audit, overview)."""

import pytest

from network.audit.models import AuditEntry
from network.auth.service import create_api_token
from network.db import db
from network.notifications.models import Notification
from network.rooms.models import Room
from tests.rooms.conftest import cid, emit, events, make_case, make_room

NAME = "Anne Hemmelig"


@pytest.fixture
def hidden(client, auth, factory, sockets):
    """Anne opens a room for her anonymous case through the form, and joins it; Bo is there too."""
    anne = factory.member(name=NAME)
    bo = factory.member(name="Bo Læser")
    case = make_case(anne, title="Et svært dilemma", visibility="anonymous")
    auth.login(anne)
    form = {"name": "Sparring på dilemmaet", "access": "open", "case_id": case.id}
    assert client.post("/rum/nyt", data=form).status_code == 302
    auth.logout()
    room = db.session.query(Room).one()
    bo_sock = sockets.connect(bo)
    emit(bo_sock, "join", {"room_id": room.id})
    anne_sock = sockets.connect(anne)
    emit(anne_sock, "join", {"room_id": room.id})
    return {"anne": anne, "bo": bo, "case": case, "room": room, "anne_sock": anne_sock, "bo_sock": bo_sock}


def _no_trace(page: str, anne) -> None:  # noqa: ANN001
    assert NAME not in page
    assert f'data-author-id="{anne.id}"' not in page


def test_the_socket_shows_the_author_as_the_cases_persona(hidden):
    anne, bo_sock, anne_sock, room = hidden["anne"], hidden["bo_sock"], hidden["anne_sock"], hidden["room"]
    online = events(bo_sock, "presence")[-1]["online"]
    assert {"id": None, "name": "Anonym leder"} in online and NAME not in str(online)
    answer = emit(
        anne_sock, "message", {"room_id": room.id, "body": "Hvad ville I gøre?", "client_id": cid()}
    )
    assert answer["message"]["author"] == {"id": anne.id, "name": "Dig (anonymt for andre)"}  # her own ack
    seen = events(bo_sock, "message")[-1]
    assert seen["author"] == {"id": None, "name": "Anonym leder"}
    emit(anne_sock, "typing", {"room_id": room.id})
    assert events(bo_sock, "typing")[-1]["member"] == {"id": None, "name": "Anonym leder"}
    emit(bo_sock, "join", {"room_id": room.id})  # a late joiner's catch-up
    assert all(NAME not in str(m) for m in events(bo_sock, "history"))
    edited = emit(anne_sock, "edit", {"message_id": seen["id"], "body": "Hvad ville I gøre nu?"})
    assert edited["ok"] and events(bo_sock, "message_updated")[-1]["author"]["id"] is None


def test_pages_transcripts_and_the_api_keep_the_cover(hidden, client, auth):
    anne, bo, room = hidden["anne"], hidden["bo"], hidden["room"]
    emit(hidden["anne_sock"], "message", {"room_id": room.id, "body": "Mit dilemma", "client_id": cid()})
    auth.login(bo)
    for url in (f"/rum/{room.id}", f"/rum/{room.id}/udskrift", "/rum"):
        page = client.get(url).get_data(as_text=True)
        assert "Anonym leder" in page
        _no_trace(page, anne)
    _token, plain = create_api_token(bo, "test")
    db.session.commit()
    bearer = {"Authorization": f"Bearer {plain}"}
    rooms = client.get("/api/v1/rooms", headers=bearer).json
    messages = client.get(f"/api/v1/rooms/{room.id}/messages", headers=bearer).json["items"]
    people = rooms[0]["online"] + [m["author"] for m in messages]
    assert {"id": None, "name": "Anonym leder"} in people
    assert all(p["id"] != anne.id and p["name"] != NAME for p in people)


def test_the_session_roles_show_the_persona(hidden, factory, sockets, client, auth):
    """A coordinator facilitates; Anne is the case giver of her own anonymous case."""
    anne, bo, room = hidden["anne"], hidden["bo"], hidden["room"]
    fac = sockets.connect(factory.coordinator(name="Fie Facilitator"))
    emit(fac, "join", {"room_id": room.id})
    plan = {"room_id": room.id, "case_id": hidden["case"].id, "case_giver_id": anne.id, "team_ids": [bo.id]}
    state = emit(fac, "session_start", plan)["session"]
    assert state["case_giver"] == {"id": None, "name": "Anonym leder"}
    assert events(hidden["bo_sock"], "session")[-1]["case_giver"]["id"] is None
    auth.login(bo)
    for url in (f"/rum/{room.id}", f"/rum/sessioner/{state['id']}"):
        _no_trace(client.get(url).get_data(as_text=True), anne)


def test_a_mention_by_the_author_does_not_name_her(hidden):
    room, bo = hidden["room"], hidden["bo"]
    emit(
        hidden["anne_sock"],
        "message",
        {"room_id": room.id, "body": "@Bo Læser hvad tænker du?", "client_id": cid()},
    )
    told = db.session.query(Notification).filter_by(member_id=bo.id, kind="room_mention").one()
    assert NAME not in told.title and told.title.startswith("Anonym leder")


def test_the_audit_log_and_the_overview_do_not_point_to_her(hidden, factory, ctx):
    from network.overview.service import activity

    anne, room = hidden["anne"], hidden["room"]
    emit(hidden["anne_sock"], "message", {"room_id": room.id, "body": "Mit dilemma", "client_id": cid()})
    created = db.session.query(AuditEntry).filter_by(action="room.create", subject_id=room.id).one()
    assert created.actor_id is None and created.actor_name == ""
    schools = {s.school.id: s for s in activity(factory.coordinator()).schools}
    assert sum(schools[anne.school_id].per_month) == 0


def test_a_named_case_room_still_names_its_author(factory, sockets):
    """The cover is for anonymous cases only: in other rooms people are who they are."""
    carl, bo = factory.member(name="Carl Åben"), factory.member()
    room = make_room(carl, kind="case", case_id=make_case(carl).id)
    bo_sock, carl_sock = sockets.connect(bo), sockets.connect(carl)
    emit(bo_sock, "join", {"room_id": room.id})
    emit(carl_sock, "join", {"room_id": room.id})
    emit(carl_sock, "message", {"room_id": room.id, "body": "Hej", "client_id": cid()})
    assert events(bo_sock, "message")[-1]["author"] == {"id": carl.id, "name": "Carl Åben"}
