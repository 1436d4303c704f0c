"""Real server processes, real python-socketio clients: restarts, and scale-out through Redis."""

import os
from pathlib import Path

import pytest
import requests

from network.auth.service import create_api_token
from network.db import db
from tests.conftest import POSTGRES_URL, make_test_app
from tests.factories import Factory
from tests.rooms.conftest import make_room
from tests.rooms.live import LiveClient, Server, wait_for

REDIS_URL = os.environ.get("NETWORK_TEST_REDIS_URL", "")


def _prepare(database_url: str, tmp_path: Path) -> dict:
    """Schema, two members with API tokens and one open room, written before any server starts."""
    app = make_test_app(database_url, tmp_path)
    with app.app_context():
        factory = Factory()
        anna, bo = factory.member(name="Anna Andersen"), factory.member(name="Bo Berg")
        room = make_room(anna, name="Live")
        tokens = [create_api_token(m, "live")[1] for m in (anna, bo)]
        db.session.commit()
        result = {"room_id": room.id, "tokens": tokens}
        db.session.remove()
        db.engine.dispose()
    return result


def both_have(anna: LiveClient, bo: LiveClient, count: int) -> None:
    wait_for(lambda: len(anna.bodies()) == count and len(bo.bodies()) == count, message=f"{count} messages")


def test_clients_survive_a_server_restart_without_loss_or_duplicates(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'live.db'}"
    setup = _prepare(database_url, tmp_path)
    server = Server(database_url, tmp_path).start()
    anna = bo = None
    try:
        anna = LiveClient(server.url, setup["tokens"][0], setup["room_id"]).connect()
        bo = LiveClient(server.url, setup["tokens"][1], setup["room_id"]).connect()
        wait_for(lambda: anna.joined.is_set() and bo.joined.is_set(), message="join")
        sent = []
        for i in range(6):
            client = anna if i % 2 == 0 else bo
            body = f"før {i}"
            client.send(body)
            sent.append(body)
            both_have(anna, bo, len(sent))

        server.stop()
        wait_for(lambda: not anna.sio.connected and not bo.sio.connected, message="disconnect")
        for i in range(3):  # written while the server is down: kept and sent on reconnect
            anna.send(f"under nedbrud {i}")
            sent.append(f"under nedbrud {i}")

        server.start()
        wait_for(lambda: not anna.pending, timeout=30, message="resend after restart")
        for i in range(3):
            bo.send(f"efter {i}")
            sent.append(f"efter {i}")
            both_have(anna, bo, len(sent))

        assert anna.bodies() == sent
        assert bo.bodies() == sent
        assert sorted(anna.messages) == sorted(bo.messages)
    finally:
        for client in (anna, bo):
            if client:
                client.close()
        server.stop()


@pytest.mark.skipif(not REDIS_URL, reason="NETWORK_TEST_REDIS_URL is not set")
def test_two_processes_serve_one_room_through_redis(tmp_path, request):
    if POSTGRES_URL:
        database_url = request.getfixturevalue("postgres_url")
    else:
        database_url = f"sqlite:///{tmp_path / 'shared.db'}"
    setup = _prepare(database_url, tmp_path)
    one = Server(database_url, tmp_path, queue=REDIS_URL).start()
    two = Server(database_url, tmp_path, queue=REDIS_URL).start()
    anna = bo = None
    try:
        anna = LiveClient(one.url, setup["tokens"][0], setup["room_id"]).connect()
        bo = LiveClient(two.url, setup["tokens"][1], setup["room_id"]).connect()
        wait_for(lambda: anna.joined.is_set() and bo.joined.is_set(), message="join")
        anna.send("Fra proces ét")
        wait_for(lambda: bo.bodies() == ["Fra proces ét"], message="one -> two")
        bo.send("Svar fra proces to")
        wait_for(lambda: anna.bodies() == ["Fra proces ét", "Svar fra proces to"], message="two -> one")

        def history(server: Server, token: str) -> list:
            url = f"{server.url}/api/v1/rooms/{setup['room_id']}/messages"
            response = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
            return [(m["id"], m["body"]) for m in response.json()["items"]]

        assert history(one, setup["tokens"][0]) == history(two, setup["tokens"][1])
        assert [b for _i, b in history(one, setup["tokens"][0])] == ["Fra proces ét", "Svar fra proces to"]
    finally:
        for client in (anna, bo):
            if client:
                client.close()
        one.stop()
        two.stop()
