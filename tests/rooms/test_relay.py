"""The message queue between processes while Redis is away (network.rooms.relay).

The real outage, with real processes and a real Redis, is in tests/ops/test_faults.py.
"""

import socketio as python_socketio

from network.extensions import socketio
from network.rooms.relay import LINK_EVENT, RelayManager
from tests.conftest import make_test_app
from tests.rooms.conftest import emit, events, make_room

NOBODY_LISTENS = "redis://127.0.0.1:1/0"  # connection refused at once


class Recorder(RelayManager):
    """A relay manager whose emits are recorded instead of sent."""

    def __init__(self) -> None:
        super().__init__(NOBODY_LISTENS)
        self.rooms["/rooms"] = {}
        self.sent: list[tuple[str, dict, bool]] = []

    def emit(self, event, data, namespace=None, room=None, skip_sid=None, callback=None, to=None, **kwargs):  # noqa: ANN001, ANN201
        self.sent.append((event, data, bool(kwargs.get("ignore_queue"))))


def test_a_redis_queue_gets_the_relay_manager_and_no_queue_the_plain_one(tmp_path):
    make_test_app(f"sqlite:///{tmp_path / 'a.db'}", tmp_path, SOCKETIO_MESSAGE_QUEUE=NOBODY_LISTENS)
    assert type(socketio.server.manager) is RelayManager
    make_test_app(f"sqlite:///{tmp_path / 'b.db'}", tmp_path)
    assert type(socketio.server.manager) is python_socketio.Manager  # nothing lingers from the last app


def test_a_lost_link_is_told_to_this_process_only_and_its_return_to_every_process():
    manager = Recorder()
    manager.set_link(ok=False)
    manager.set_link(ok=False)  # no change, no news
    manager.set_link(ok=True)
    assert manager.sent == [(LINK_EVENT, {"ok": False}, True), (LINK_EVENT, {"ok": True}, False)]


def test_while_the_link_is_down_emits_do_not_try_redis():
    manager = Recorder()
    manager.set_link(ok=False)
    manager._publish({"method": "emit"})
    assert manager.redis is None  # not even a connection attempt


def test_a_failed_publish_marks_the_link_down():
    manager = Recorder()
    manager._publish({"method": "emit"})
    assert manager.link_ok is False
    assert manager.sent == [(LINK_EVENT, {"ok": False}, True)]


def test_a_member_joining_a_cut_off_process_is_told_at_once(factory, sockets, monkeypatch):
    anna = factory.member()
    room = make_room(anna)
    sock = sockets.connect(anna)
    assert emit(sock, "join", {"room_id": room.id})["ok"]
    assert events(sock, LINK_EVENT) == []  # no queue, or a healthy one: nothing to say

    monkeypatch.setattr(socketio.server.manager, "link_ok", False, raising=False)
    assert emit(sock, "join", {"room_id": room.id})["ok"]
    assert events(sock, LINK_EVENT) == [{"ok": False}]
