"""Real server processes and real python-socketio clients, for the live tests and the benchmark."""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import typing as t
import urllib.request
import uuid
from pathlib import Path

import socketio

NETWORK = Path(sys.executable).parent / "network"
REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`network run` on a port, against a database (and a Redis queue) the caller chose."""

    def __init__(self, database_url: str, folder: Path, *, port: int | None = None, queue: str = "") -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.folder = folder
        env = {k: v for k, v in os.environ.items() if not k.startswith("NETWORK_")}
        env.update(
            NETWORK_ENV="development",
            NETWORK_INSTANCE_PATH=str(folder / "instance"),
            NETWORK_DATABASE_URL=database_url,
            NETWORK_SEARCH_INDEX_DIR=str(folder / "index"),
            NETWORK_MAIL_DIR=str(folder / "mail"),
            NETWORK_SECRET_KEY="live-secret",
            NETWORK_ROOMS_FLOOD_MESSAGES="100000",
            PYTHONUNBUFFERED="1",
            # The code of this checkout, also when the `network` command was installed from another.
            PYTHONPATH=str(REPO_ROOT),
        )
        if queue:
            env["NETWORK_SOCKETIO_MESSAGE_QUEUE"] = queue
        self.env = env
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30.0) -> "Server":
        with (self.folder / f"server-{self.port}.log").open("ab") as log:
            self.process = subprocess.Popen(
                [str(NETWORK), "run", "--host", "127.0.0.1", "--port", str(self.port)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server did not start: {self.log()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def log(self) -> str:
        path = self.folder / f"server-{self.port}.log"
        return path.read_text(errors="replace") if path.exists() else ""


class LiveClient:
    """A room client as rooms.js behaves: rejoin with the last id seen, resend unacknowledged posts."""

    def __init__(self, url: str, token: str, room_id: int, *, on_message: t.Callable | None = None) -> None:
        self.url, self.token, self.room_id = url, token, room_id
        self.messages: dict[int, dict] = {}
        self.pending: dict[str, str] = {}
        self.errors: list[dict] = []
        self.joined = threading.Event()
        self.lock = threading.Lock()
        # The server's link to the other processes (Redis): False while it says it is reconnecting.
        self.link_ok = True
        self.link_events: list[bool] = []
        self.synced_id: int | None = None
        self.on_message = on_message
        self.sio = socketio.Client(reconnection=True, reconnection_delay=0.2, reconnection_delay_max=1.0)
        self.sio.on("connect", self._connected, namespace="/rooms")
        self.sio.on("history", self._history, namespace="/rooms")
        self.sio.on("message", self._message, namespace="/rooms")
        self.sio.on("error", self.errors.append, namespace="/rooms")
        self.sio.on("link", self._link, namespace="/rooms")

    def connect(self, url: str | None = None) -> "LiveClient":
        self.sio.connect(
            url or self.url, namespaces=["/rooms"], auth={"token": self.token}, transports=["websocket"]
        )
        return self

    @property
    def last_id(self) -> int | None:
        with self.lock:
            return max(self.messages) if self.messages else None

    def _connected(self) -> None:
        self._join()
        if self.pending:
            # One at a time, in the order written: the server handles events on parallel threads.
            self.sio.start_background_task(self._resend)

    def _join(self) -> None:
        since, self.synced_id = (self.synced_id if self.synced_id is not None else self.last_id), None
        self.sio.emit("join", {"room_id": self.room_id, "last_id": since}, namespace="/rooms")

    def _link(self, data: dict) -> None:
        # As rooms.js: remember where we were when the link dropped; on recovery, catch up from there.
        self.link_events.append(bool(data.get("ok")))
        if not data.get("ok"):
            if self.synced_id is None:
                self.synced_id = self.last_id
            self.link_ok = False
            return
        self.link_ok = True
        self._join()

    def _resend(self) -> None:
        for client_id, body in list(self.pending.items()):
            try:
                self._ack(
                    self.sio.call(
                        "message",
                        {"room_id": self.room_id, "body": body, "client_id": client_id},
                        namespace="/rooms",
                        timeout=10,
                    )
                )
            except Exception:  # noqa: BLE001 - dropped again: the next reconnect resends
                return

    def _history(self, data: dict) -> None:
        for message in data["messages"]:
            self._add(message)
        if data.get("more"):
            self.sio.emit("join", {"room_id": self.room_id, "last_id": self.last_id}, namespace="/rooms")
        self.joined.set()

    def _message(self, message: dict) -> None:
        self._add(message)
        if self.on_message:
            self.on_message(message)

    def _add(self, message: dict) -> None:
        with self.lock:
            self.messages[message["id"]] = message
            self.pending.pop(message["client_id"], None)

    def _ack(self, answer: dict) -> None:
        if answer and answer.get("ok"):
            self._add(answer["message"])

    def _emit(self, client_id: str, body: str) -> None:
        # Not connected: it stays pending and is resent on reconnect.
        with contextlib.suppress(Exception):
            self.sio.emit(
                "message",
                {"room_id": self.room_id, "body": body, "client_id": client_id},
                namespace="/rooms",
                callback=self._ack,
            )

    def send(self, body: str) -> str:
        client_id = str(uuid.uuid4())
        self.pending[client_id] = body
        self._emit(client_id, body)
        return client_id

    def bodies(self) -> list[str]:
        with self.lock:
            return [self.messages[i]["body"] for i in sorted(self.messages)]

    def close(self) -> None:
        self.sio.disconnect()


def wait_for(condition: t.Callable[[], bool], timeout: float = 20.0, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting: {message}")
