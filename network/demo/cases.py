"""Demo cases (data/cases.toml): published, answered and moved along their life through the services.

Each case is played out on its own timeline: published some days ago, answered by leaders from
other schools, replies marked helpful, then in progress, follow-up or closed. A case is found by
its title, so a second run adds only what is missing.
"""

import dataclasses
import datetime as dt
import random

from sqlalchemy import select

from network.cases import replies
from network.cases import service as cases
from network.cases.models import Case
from network.db import db
from network.demo.data import DemoDataError, build, entries
from network.demo.stage import Count, Stage, add_missing
from network.members.models import Member

# How a case moves on from "open", and when (as a share of its time so far, at most LONGEST).
LIFE = {
    "open": (),
    "in_progress": ("in_progress",),
    "follow_up": ("in_progress", "follow_up"),
    "closed": ("in_progress", "follow_up", "closed"),
}
STEP_AT = {"in_progress": 0.7, "follow_up": 0.8, "closed": 0.92}
LONGEST = dt.timedelta(days=45)


@dataclasses.dataclass(frozen=True)
class ReplySpec:
    kind: str  # question, experience or suggestion
    body: str
    author: str = ""  # "@key" or an email; else a leader from another school
    helpful: bool = False


@dataclasses.dataclass(frozen=True)
class CaseSpec:
    title: str
    problem: str
    days_ago: float  # when it was published (or last saved, for a draft)
    question: str = ""  # required to publish; a draft may lack it
    context: str = ""
    tried: str = ""
    author: str = ""  # "@key" or an email; else a leader chosen for the case
    status: str = "open"  # draft, open, in_progress, follow_up or closed
    visibility: str = "named"
    al_stage: str = "problem"
    tools: list[str] = dataclasses.field(default_factory=list)
    focus_areas: list[str] = dataclasses.field(default_factory=list)
    tags: list[str] = dataclasses.field(default_factory=list)
    learning_summary: str = ""  # "Hvad skete der?", required when closed
    reply: list[dict] = dataclasses.field(default_factory=list)

    @property
    def replies(self) -> list[ReplySpec]:
        return [build(ReplySpec, raw, f"data/cases.toml, {self.title}, reply") for raw in self.reply]


def case_specs() -> list[CaseSpec]:
    """The cases as written in data/cases.toml."""
    specs = entries("cases", "case", CaseSpec)
    for spec in specs:
        if spec.status not in ("draft", *LIFE):
            raise DemoDataError(f"data/cases.toml: {spec.title}: unknown status {spec.status!r}")
    return specs


def seed_cases(stage: Stage) -> Count:
    """The demo cases that are missing, each played out on its own timeline."""
    existing = set(db.session.scalars(select(Case.title)))
    return add_missing(
        "sager", case_specs(), existing, lambda spec: spec.title, lambda spec: _play(stage, spec)
    )


def _fields(spec: CaseSpec) -> cases.CaseFields:
    return cases.CaseFields(
        title=spec.title,
        problem=spec.problem,
        context=spec.context,
        tried=spec.tried,
        question=spec.question,
        al_stage=spec.al_stage,
        visibility=spec.visibility,
        tools=spec.tools,
        focus_areas=spec.focus_areas,
        tags=spec.tags,
    )


def _play(stage: Stage, spec: CaseSpec) -> None:
    rng = stage.rng("case", spec.title)
    published = stage.ago(days=spec.days_ago, hours=rng.uniform(0, 8))
    author = (
        stage.member(spec.author)
        if spec.author
        else rng.choice(stage.people(joined_before=published - dt.timedelta(days=7)))
    )
    if spec.status == "draft":
        with stage.acting(author, published):
            cases.save_draft(author, None, _fields(spec))
        return
    with stage.acting(author, published):
        case = cases.publish_case(author, None, _fields(spec))
    span = min(stage.now - published, LONGEST)
    others = _repliers(stage, rng, author, published, len(spec.replies))
    helpful = []
    for number, reply_spec in enumerate(spec.replies, 1):
        replier = stage.member(reply_spec.author) if reply_spec.author else others.pop(0)
        moment = published + span * (0.05 + 0.5 * number / (len(spec.replies) + 1))
        with stage.acting(replier, moment + dt.timedelta(minutes=rng.uniform(0, 90))):
            reply = replies.add_reply(replier, case, kind=reply_spec.kind, body=reply_spec.body)
        if reply_spec.helpful:
            helpful.append(reply)
    for reply in helpful:
        with stage.acting(author, published + span * 0.6):
            replies.mark_helpful(author, reply)
    for status in LIFE[spec.status]:
        with stage.acting(author, published + span * STEP_AT[status]):
            cases.change_status(author, case, status, spec.learning_summary if status == "closed" else "")


def _repliers(
    stage: Stage, rng: random.Random, author: Member, published: dt.datetime, count: int
) -> list[Member]:
    """Leaders who answer the case: from other schools (the point of the network), in the network by then."""
    pool = stage.people(
        joined_before=published, exclude=[author], where=lambda m: m.school_id != author.school_id
    )
    return rng.sample(pool, min(count, len(pool)))


def case_by_title(title: str) -> Case:
    """A demo case that other data files name by its title."""
    case = db.session.scalar(select(Case).where(Case.title == title).order_by(Case.id).limit(1))
    if case is None:
        raise DemoDataError(f"no demo case titled {title!r}")
    return case
