"""The Socket.IO message queue between processes (Redis), and what happens while Redis is away.

python-socketio delivers every emit to this process's own clients first and then publishes it for
the other processes. Its stock Redis manager gives up a publish quietly and, after a lost
connection, waits up to a minute before it listens again. This one keeps the same delivery, but:

- it knows whether the link to Redis is up (``link_ok``), and tells this process's clients with a
  ``link`` event (``{"ok": false}``), so a room can say it is reconnecting;
- while the link is down it does not try Redis on every emit (no slow or failing socket handlers,
  no page errors): messages are stored and reach the clients of this process only;
- it tries to listen again every second, and once it can, it announces ``{"ok": true}`` to the
  clients of every process, which then rejoin their room and catch up from the database on what
  the other processes stored in the meantime.
"""

import logging
import threading
import time
import typing as t

import socketio

log = logging.getLogger(__name__)

LINK_EVENT = "link"
RETRY_SECONDS = 1.0


class RelayManager(socketio.RedisManager):
    """Redis pub/sub between processes that degrades to this process alone while Redis is away."""

    def __init__(
        self, url: str, channel: str = "flask-socketio", retry_seconds: float = RETRY_SECONDS
    ) -> None:
        # A short connect timeout: an unreachable Redis must not hold a socket handler for long.
        options = {"socket_connect_timeout": 2, "socket_keepalive": True}
        super().__init__(url, channel=channel, redis_options=options)
        self.link_ok = True
        self.retry_seconds = retry_seconds
        self._link_lock = threading.Lock()

    def _publish(self, data: dict) -> t.Any:
        if not self.link_ok:
            return None  # the listener brings the link back; clients catch up from the database then
        for attempt in (1, 2):  # a pooled connection may be stale after a Redis restart: one retry
            try:
                if not self.connected:
                    self._redis_connect()
                return self.redis.publish(self.channel, self.json.dumps(data))
            except Exception as error:  # noqa: BLE001 - any failure means the link is down
                self.connected = False
                if attempt == 2:
                    log.warning("socket.io queue: cannot publish to Redis (%s)", error)
        self.set_link(ok=False)
        return None

    def _redis_listen_with_retries(self) -> t.Iterator[dict]:
        subscribed = False
        while True:
            try:
                if not subscribed:
                    self._redis_connect()
                    self.pubsub.subscribe(self.channel)
                    subscribed = True
                    self.set_link(ok=True)
                yield from self.pubsub.listen()
            except Exception as error:  # noqa: BLE001 - lost or refused: try again shortly
                if self.link_ok:
                    log.warning(
                        "socket.io queue: lost Redis (%s); retrying every %.0f s", error, self.retry_seconds
                    )
                subscribed = False
                self.connected = False
                self.set_link(ok=False)
                time.sleep(self.retry_seconds)

    def set_link(self, *, ok: bool) -> None:
        """Record a change of the link and tell the clients (no-op when nothing changed)."""
        with self._link_lock:
            if self.link_ok == ok:
                return
            self.link_ok = ok
        for namespace in list(self.get_namespaces()):
            if ok:
                # Through Redis: clients of every process rejoin, so nobody misses what this one
                # stored while it could not publish.
                self.emit(LINK_EVENT, {"ok": True}, namespace=namespace)
            else:
                self.emit(LINK_EVENT, {"ok": False}, namespace=namespace, ignore_queue=True)
        if ok:
            log.warning("socket.io queue: Redis is back; clients are told to catch up")


def link_ok(server: socketio.Server) -> bool:
    """False while this process cannot reach the message queue (always True without one)."""
    return getattr(server.manager, "link_ok", True)
