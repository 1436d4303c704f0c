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
from zoneinfo import ZoneInfo

from network.db import clock_at, utcnow
from network.demo.data import DemoDataError
from network.members.models import Member, School

# Nothing in the demo happens later than this before the moment it is loaded.
LATEST = dt.timedelta(minutes=5)
# Leaders act between 07:00 and 22:00 Copenhagen time: nobody answers a case at half past two.
LOCAL = ZoneInfo("Europe/Copenhagen")
WAKING_FROM, WAKING_HOURS = 7, 15


def waking(moment: dt.datetime) -> dt.datetime:
    """The moment moved into waking hours: a day's 24 hours pressed into its 15 waking ones.

    Strictly increasing, so whatever happened in an order still happens in that order.
    """
    local = moment.astimezone(LOCAL)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    share_of_day = (local - midnight) / dt.timedelta(days=1)
    return (midnight + dt.timedelta(hours=WAKING_FROM + share_of_day * WAKING_HOURS)).astimezone(dt.UTC)


@dataclasses.dataclass(frozen=True)
class Count:
    """One part of the summary: how many there are, and how many this run made."""

    label: str
    total: int
    new: int

    def __str__(self) -> str:
        return f"{self.total} {self.label} ({self.new} {'ny' if self.new == 1 else 'nye'})"


Spec = t.TypeVar("Spec")


def add_missing(
    label: str,
    specs: list[Spec],
    existing: set[str],
    key: t.Callable[[Spec], str],
    make: t.Callable[[Spec], None],
) -> Count:
    """Make each spec whose key is not among ``existing``, so a second run makes nothing twice."""
    new = 0
    for spec in specs:
        if key(spec) not in existing:
            make(spec)
            new += 1
    return Count(label, len(specs), new)


@dataclasses.dataclass
class Stage:
    """The demo as it is being built."""

    now: dt.datetime = dataclasses.field(default_factory=utcnow)
    schools: dict[str, School] = dataclasses.field(default_factory=dict)  # by name
    members: dict[str, Member] = dataclasses.field(default_factory=dict)  # by email, lower case
    keys: dict[str, Member] = dataclasses.field(default_factory=dict)  # named members by key
    new_member_ids: set[int] = dataclasses.field(default_factory=set)
    # Moments as steps count them, before ``acting`` moves them into waking hours.
    joined: dict[int, dt.datetime] = dataclasses.field(default_factory=dict)
    last_active: dict[int, dt.datetime] = dataclasses.field(default_factory=dict)

    def ago(self, days: float = 0, hours: float = 0, minutes: float = 0) -> dt.datetime:
        """A moment before the seeding began."""
        return self.now - dt.timedelta(days=days, hours=hours, minutes=minutes)

    def at_clock(self, days_ago: float, clock: str) -> dt.datetime:
        """The moment ``acting`` shows as ``clock`` (HH:MM, Copenhagen) on the day ``days_ago`` back.

        For what has its own time of day (a good-morning message, a session after lunch); moments
        counted on from it are pressed into waking hours like any other.
        """
        day = self.ago(days=days_ago).astimezone(LOCAL).date()
        wall = dt.time.fromisoformat(clock)
        hours = (wall.hour + wall.minute / 60 - WAKING_FROM) / WAKING_HOURS * 24
        if not 0 <= hours < 24:
            raise ValueError(f"{clock} is outside waking hours")
        midnight = dt.datetime.combine(day, dt.time(), tzinfo=LOCAL)
        return (midnight + dt.timedelta(hours=hours)).astimezone(dt.UTC)

    def latest(self, moment: dt.datetime) -> dt.datetime:
        """The moment, but never later than just before the seeding began."""
        return min(moment, self.now - LATEST)

    @contextlib.contextmanager
    def acting(self, member: Member | None, moment: dt.datetime) -> Iterator[dt.datetime]:
        """Run the services as if it were ``moment`` (in waking hours); the member was active then."""
        if moment > self.now:
            raise DemoDataError(f"something in the demo would happen in the future ({moment:%Y-%m-%d})")
        shown = self.latest(waking(moment))
        with clock_at(shown):
            yield shown
        if member is not None:
            self.last_active[member.id] = max(moment, self.last_active.get(member.id, moment))

    def joined_at(self, member: Member) -> dt.datetime:
        """When the member joined, as steps count moments (comparable with what they pass to acting)."""
        return self.joined.get(member.id, member.created_at)

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
            and (joined_before is None or self.joined_at(m) <= joined_before)
            and (where is None or where(m))
        ]

    @staticmethod
    def rng(*parts: object) -> random.Random:
        """A generator seeded by the thing being made, so each thing is drawn the same on every run."""
        return random.Random(":".join(str(part) for part in parts))
