"""The demo network: the programme's 23 schools and 90 leaders, with a past, to try Ledernetværket with.

Everything is invented and written in ``data/*.toml``, one file per kind of thing; the modules here
only read those files and build through the features' services, dating each action back with
``Stage.acting``. ``seed()`` creates only what is missing (schools by name, members by email, the
rest by title or name), so it is safe to run again and never overwrites what someone changed.

A later feature adds its demo content as a data file, a module with a ``seed_<kind>(stage)`` step
that returns a ``Count``, and one entry in ``STEPS``.
"""

import typing as t

from sqlalchemy import func, select

from network.db import db
from network.demo import cases, meetups, people, projects, rooms
from network.demo.people import DEMO_PASSWORD
from network.demo.stage import Count, Stage
from network.members.models import Member

COORDINATOR_EMAIL = "koordinator@demo.ledernetvaerket.dk"
MEMBER_EMAIL = "leder@demo.ledernetvaerket.dk"
DEMO_LOGINS = ((COORDINATOR_EMAIL, "coordinator"), (MEMBER_EMAIL, "member"))

# In order: each step may use what the steps before it made.
STEPS: tuple[t.Callable[[Stage], Count], ...] = (
    people.seed_schools,
    people.seed_members,
    cases.seed_cases,
    projects.seed_projects,
    meetups.seed_meetups,
    rooms.seed_rooms,
)

__all__ = ["COORDINATOR_EMAIL", "DEMO_LOGINS", "DEMO_PASSWORD", "MEMBER_EMAIL", "STEPS", "seed"]


def seed(only_if_empty: bool = False) -> str:
    """Load the demo network; safe to run again (nothing is duplicated). Returns a one-line summary."""
    if only_if_empty and db.session.scalar(select(func.count(Member.id))):
        return "Demodata blev ikke indlæst: databasen har allerede medlemmer."
    stage = Stage()
    counts = [step(stage) for step in STEPS]
    people.record_last_visit(stage)
    db.session.commit()
    return f"Demodata: {', '.join(str(count) for count in counts)}."
