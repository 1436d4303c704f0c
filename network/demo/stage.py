"""What the demo's steps share: the moment seeding began, the cast, and a clock that runs "back then".

Every step builds through the features' services. To give the network a past (a case published two
months ago, a meetup held last spring), a step runs the service inside ``stage.acting(member, when)``,
which sets the one clock the services read (``network.db.clock_at``) and remembers when each member
last did something.
"""

import contextlib
import dataclasses
import datetime as dt
import random
import typing as t
from collections.abc import Iterable, Iterator

from network.db import clock_at, utcnow
from network.demo.data import DemoDataError
from network.members.models import Member, School

# Nothing in the demo happens later than this before the moment it is loaded.
LATEST = dt.timedelta(minutes=5)


@dataclasses.dataclass(frozen=True)
class Count:
    """One part of the summary: how many there are, and how many this run made."""

    label: str
    total: int
    new: int

    def __str__(self) -> str:
        return f"{self.total} {self.label} ({self.new} {'ny' if self.new == 1 else 'nye'})"


@dataclasses.dataclass
class Stage:
    """The demo as it is being built."""

    now: dt.datetime = dataclasses.field(default_factory=utcnow)
    schools: dict[str, School] = dataclasses.field(default_factory=dict)  # by name
    members: dict[str, Member] = dataclasses.field(default_factory=dict)  # by email, lower case
    keys: dict[str, Member] = dataclasses.field(default_factory=dict)  # named members by key
    new_member_ids: set[int] = dataclasses.field(default_factory=set)
    last_active: dict[int, dt.datetime] = dataclasses.field(default_factory=dict)

    def ago(self, days: float = 0, hours: float = 0, minutes: float = 0) -> dt.datetime:
        """A moment before the seeding began."""
        return self.now - dt.timedelta(days=days, hours=hours, minutes=minutes)

    def latest(self, moment: dt.datetime) -> dt.datetime:
        """The moment, but never later than just before the seeding began."""
        return min(moment, self.now - LATEST)

    @contextlib.contextmanager
    def acting(self, member: Member | None, moment: dt.datetime) -> Iterator[dt.datetime]:
        """Run the services as if it were ``moment``; the member was active then."""
        moment = self.latest(moment)
        with clock_at(moment):
            yield moment
        if member is not None:
            self.last_active[member.id] = max(moment, self.last_active.get(member.id, moment))

    def member(self, ref: str) -> Member:
        """A member named in a data file: ``@key`` for a named member, else an email."""
        found = self.keys.get(ref[1:]) if ref.startswith("@") else self.members.get(ref.lower())
        if found is None:
            raise DemoDataError(f"unknown member {ref!r}")
        return found

    def people(
        self,
        *,
        joined_before: dt.datetime | None = None,
        exclude: Iterable[Member] = (),
        where: t.Callable[[Member], bool] | None = None,
    ) -> list[Member]:
        """The active demo members that match, in a stable order (by email)."""
        skip = {m.id for m in exclude}
        return [
            m
            for email, m in sorted(self.members.items())
            if m.is_active_member
            and m.id not in skip
            and (joined_before is None or m.created_at <= joined_before)
            and (where is None or where(m))
        ]

    @staticmethod
    def rng(*parts: object) -> random.Random:
        """A generator seeded by the thing being made, so each thing is drawn the same on every run."""
        return random.Random(":".join(str(part) for part in parts))
