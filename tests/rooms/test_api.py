"""The rooms API: list, history after an id, post with the socket's rules."""

import pytest

from network.auth.service import create_api_token
from network.db import db
from network.rooms.models import Message
from tests.rooms.conftest import cid, invite, make_room


@pytest.fixture
def bearer(ctx):
    def make(member):  # noqa: ANN001, ANN202
        _token, plain = create_api_token(member, "test")
        db.session.commit()
        return {"Authorization": f"Bearer {plain}"}

    return make


def test_without_a_token_the_api_says_401(client, factory):
    room = make_room(factory.member())
    assert client.get("/api/v1/rooms").status_code == 401
    assert (
        client.post(f"/api/v1/rooms/{room.id}/messages", json={"body": "x", "client_id": cid()}).status_code
        == 401
    )


def test_list_rooms_shows_only_rooms_one_may_enter(client, factory, bearer):
    owner, guest, other = factory.member(), factory.member(), factory.member()
    make_room(owner, name="Åbent rum")
    closed = make_room(owner, name="Lukket rum", access="invite")
    invite(closed, guest)
    names = lambda m: {r["name"] for r in client.get("/api/v1/rooms", headers=bearer(m)).json}  # noqa: E731
    assert names(other) == {"Åbent rum"}
    assert names(guest) == {"Åbent rum", "Lukket rum"}
    assert names(factory.coordinator()) == {"Åbent rum", "Lukket rum"}


def test_post_then_read_history_after_an_id(client, factory, bearer):
    anna = factory.member()
    room = make_room(anna)
    headers = bearer(anna)
    ids = []
    for i in range(5):
        response = client.post(
            f"/api/v1/rooms/{room.id}/messages", json={"body": f"nr {i}", "client_id": cid()}, headers=headers
        )
        assert response.status_code == 201
        ids.append(response.json["id"])
    page = client.get(f"/api/v1/rooms/{room.id}/messages?after_id={ids[0]}&limit=2", headers=headers).json
    assert [m["body"] for m in page["items"]] == ["nr 1", "nr 2"]
    assert page["more"] is True
    rest = client.get(
        f"/api/v1/rooms/{room.id}/messages?after_id={page['next_after_id']}", headers=headers
    ).json
    assert [m["body"] for m in rest["items"]] == ["nr 3", "nr 4"] and rest["more"] is False


def test_a_retry_returns_the_stored_message(client, factory, bearer):
    anna = factory.member()
    room = make_room(anna)
    body = {"body": "Kun én gang", "client_id": cid()}
    first = client.post(f"/api/v1/rooms/{room.id}/messages", json=body, headers=bearer(anna))
    again = client.post(f"/api/v1/rooms/{room.id}/messages", json=body, headers=bearer(anna))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["id"] == again.json["id"]
    assert db.session.query(Message).count() == 1


def test_refusals_are_problems(client, factory, bearer):
    owner, outsider = factory.member(), factory.member()
    room = make_room(owner, access="invite")
    url = f"/api/v1/rooms/{room.id}/messages"
    assert client.get(url, headers=bearer(outsider)).status_code == 403
    assert (
        client.post(url, json={"body": "x", "client_id": cid()}, headers=bearer(outsider)).status_code == 403
    )
    assert client.get("/api/v1/rooms/9999/messages", headers=bearer(owner)).status_code == 404
    too_long = client.post(url, json={"body": "x" * 4001, "client_id": cid()}, headers=bearer(owner))
    assert too_long.status_code == 422
    assert db.session.query(Message).count() == 0
