"""Socket events per connection and per member: a token bucket each, checked before any work.

Messages also have their own flood limit counted in the database (service._check_flood), which
holds across processes. This budget covers every event (join, history, typing, session events,
...) and is kept in this process's memory, so it costs nothing per event: with P server
processes a member spread over all of them gets at most P times the budget.
"""

import threading
import time

from flask_babel import lazy_gettext as _l

from network.rooms.errors import Flooding

# A room's page sends a join, a heartbeat every 25 s, typing at most every 2 s, and a history
# page per click: far below these. Overridable as NETWORK_ROOMS_EVENT_RATE / _BURST.
EVENT_RATE = 3.0  # events per second a connection may keep up
EVENT_BURST = 30  # events a connection may send at once
MEMBER_FACTOR = 2  # a member's connections together: twice one connection's budget


class TooManyEvents(Flooding):
    default_message = _l("Du sender for mange hændelser på kort tid. Vent et øjeblik, og prøv igen.")


class EventBudget:
    """Token buckets by key (a connection's sid, a member's id), refilled at ``rate`` a second."""

    def __init__(self) -> None:
        self._buckets: dict[object, tuple[float, float]] = {}  # key -> (tokens, when)
        self._lock = threading.Lock()

    def take(self, key: object, rate: float, burst: float) -> bool:
        """Spend one token for ``key``; False when its bucket is empty."""
        now = time.monotonic()
        with self._lock:
            tokens, then = self._buckets.get(key, (burst, now))
            tokens = min(burst, tokens + (now - then) * rate)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1, now)
            return True

    def forget(self, key: object) -> None:
        with self._lock:
            self._buckets.pop(key, None)


def spend(budget: EventBudget, sid: str, member_id: int, config: dict) -> None:
    """One event from this connection of this member, or TooManyEvents."""
    rate = float(config.get("ROOMS_EVENT_RATE", EVENT_RATE))
    burst = float(config.get("ROOMS_EVENT_BURST", EVENT_BURST))
    if not budget.take(("sid", sid), rate, burst):
        raise TooManyEvents()
    if not budget.take(("member", member_id), rate * MEMBER_FACTOR, burst * MEMBER_FACTOR):
        raise TooManyEvents()
