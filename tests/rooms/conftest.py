"""Rooms fixtures: published cases, rooms, and signed-in Socket.IO test clients."""

import contextvars
import typing as t
import uuid

import pytest
from flask import has_app_context

from network.cases.models import Case
from network.db import db, utcnow
from network.extensions import socketio
from network.rooms.models import Room, RoomMember
from tests.conftest import PASSWORD


def make_case(
    author, *, title: str = "Lærerne mødes ikke til teammøderne", status: str = "open", **fields
) -> Case:
    case = Case(author_id=author.id, title=title, status=status, published_at=utcnow(), **fields)
    db.session.add(case)
    db.session.commit()
    return case


def make_room(
    owner, *, name: str = "Region Syddanmark", access: str = "open", kind: str = "standing", **fields
) -> Room:
    room = Room(name=name, owner_id=owner.id, access=access, kind=kind, **fields)
    db.session.add(room)
    db.session.commit()
    return room


def invite(room: Room, member) -> None:
    db.session.add(RoomMember(room_id=room.id, member_id=member.id, is_invited=True, last_read_message_id=0))
    db.session.commit()


def cid() -> str:
    return str(uuid.uuid4())


class IsolatedSocket:
    """A Socket.IO test client whose every call runs in its own app context, as on a real server.

    Like tests.conftest.IsolatedClient: without it the handlers would share the test's app context
    (its database session and Flask-Login's cached user in ``g``).
    """

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        self._client = contextvars.Context().run(socketio.test_client, *args, **kwargs)

    def _run(self, name: str, *args: t.Any, **kwargs: t.Any) -> t.Any:
        result = contextvars.Context().run(getattr(self._client, name), *args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return result

    def emit(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        return self._run("emit", *args, **kwargs)

    def disconnect(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        return self._run("disconnect", *args, **kwargs)

    def get_received(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        return self._client.get_received(*args, **kwargs)

    def is_connected(self, *args: t.Any, **kwargs: t.Any) -> bool:
        return self._client.is_connected(*args, **kwargs)


class Sockets:
    """One signed-in Socket.IO test client per member, each with its own HTTP client."""

    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app
        self.clients: list = []

    def connect(self, member, **kwargs: t.Any):  # noqa: ANN001, ANN201
        http = self.app.test_client()
        if member is not None:
            http.post("/log-ind", data={"email": member.email, "password": PASSWORD})
        sock = IsolatedSocket(self.app, namespace="/rooms", flask_test_client=http, **kwargs)
        self.clients.append(sock)
        return sock

    def close(self) -> None:
        for sock in self.clients:
            if sock.is_connected("/rooms"):
                sock.disconnect("/rooms")


@pytest.fixture
def sockets(app):
    helper = Sockets(app)
    yield helper
    helper.close()


def events(sock, name: str) -> list:
    """The payloads of every `name` event the client received since the last call."""
    found = [e["args"] for e in sock.get_received("/rooms") if e["name"] == name]
    return [args[0] if isinstance(args, list) else args for args in found]


def received(sock) -> list[dict]:
    return sock.get_received("/rooms")


def emit(sock, event: str, *args: t.Any):  # noqa: ANN201
    """Emit with an acknowledgement; returns the server's answer."""
    return sock.emit(event, *args, namespace="/rooms", callback=True)
