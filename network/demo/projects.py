"""Demo AL projects (data/projects.toml): the model-school leaders' Action Learning projects, 2014–2016.

In the programme every leader at a model school ran an AL project at home; so each project names
its model school and how many of the school's leaders ran it, and the leaders are dealt out so that
each model-school leader leads exactly one. A leader entered the project into the archive some
days after joining the network, through projects.service, with its report where it has one.
Found by title, so a second run adds only what is missing.
"""

import dataclasses
import datetime as dt

from sqlalchemy import select

from network.db import db
from network.demo import reports
from network.demo.data import DemoDataError, entries
from network.demo.stage import Count, Stage, add_missing
from network.members.models import Member
from network.projects import attachments
from network.projects import service as projects
from network.projects.models import ALProject

ENTERED_WITHIN = dt.timedelta(days=60)


@dataclasses.dataclass(frozen=True)
class ProjectSpec:
    title: str
    school: str  # a model school
    leaders: int  # how many of the school's leaders ran it (the named ones included)
    start: dt.date
    end: dt.date
    problem: str
    actions: str
    experiments: str
    reflection: str
    new_actions: str
    results: str
    named: list[str] = dataclasses.field(default_factory=list)  # "@key" of leaders who must be on it
    tools: list[str] = dataclasses.field(default_factory=list)
    focus_areas: list[str] = dataclasses.field(default_factory=list)
    report: str = ""  # pdf, docx or md: a final report attached to the project


def project_specs() -> list[ProjectSpec]:
    """The projects as written in data/projects.toml."""
    return entries("projects", "project", ProjectSpec)


def seed_projects(stage: Stage) -> Count:
    """The demo AL projects that are missing, each entered by its first leader."""
    existing = set(db.session.scalars(select(ALProject.title)))
    dealt = _deal_leaders(stage, project_specs())
    return add_missing(
        "AL-projekter", dealt, existing, lambda pair: pair[0].title, lambda pair: _enter(stage, *pair)
    )


def _deal_leaders(stage: Stage, specs: list[ProjectSpec]) -> list[tuple[ProjectSpec, list[Member]]]:
    """Each project's leaders: its named ones, then the school's other leaders in turn."""
    named = {stage.member(ref).id for spec in specs for ref in spec.named}
    pools: dict[str, list[Member]] = {}
    dealt = []
    for spec in specs:
        school = stage.schools.get(spec.school)
        if school is None or school.kind != "model":
            raise DemoDataError(f"data/projects.toml: {spec.title}: {spec.school!r} is not a model school")
        pool = pools.setdefault(
            spec.school, stage.people(where=lambda m, s=school: m.school_id == s.id and m.id not in named)
        )
        leaders = [stage.member(ref) for ref in spec.named]
        while len(leaders) < spec.leaders and pool:
            leaders.append(pool.pop(0))
        dealt.append((spec, leaders))
    return dealt


def _enter(stage: Stage, spec: ProjectSpec, leaders: list[Member]) -> None:
    if not leaders:
        raise DemoDataError(f"data/projects.toml: {spec.title}: no leaders at {spec.school}")
    author = leaders[0]
    rng = stage.rng("project", spec.title)
    # Entered into the archive in the leader's first weeks in the network.
    joined = stage.joined_at(author)
    entered = joined + min(stage.now - joined, ENTERED_WITHIN) * rng.uniform(0.1, 0.9)
    draft = projects.ProjectDraft(
        title=spec.title,
        school_id=stage.schools[spec.school].id,
        leader_ids=[leader.id for leader in leaders],
        period_start=spec.start,
        period_end=spec.end,
        status="completed",
        problem=spec.problem,
        actions=spec.actions,
        experiments=spec.experiments,
        reflection=spec.reflection,
        new_actions=spec.new_actions,
        results=spec.results,
        tools=spec.tools,
        focus_areas=spec.focus_areas,
    )
    with stage.acting(author, entered):
        project = projects.create_project(author, draft)
    if spec.report:
        with stage.acting(author, entered + dt.timedelta(minutes=20)):
            name, data = reports.final_report(spec.report, _report_sections(spec), spec.title)
            attachments.add_attachment(author, project, name, data)


def _report_sections(project: ProjectSpec) -> list[tuple[str, str]]:
    """The final report's headings and paragraphs, from the project's own AL cycle."""
    return [
        ("Problemstilling", project.problem),
        ("Det satte vi i gang", f"{project.actions} {project.experiments}"),
        ("Refleksion i lederteamet", project.reflection),
        ("Nye handlinger", project.new_actions),
        ("Resultat", project.results),
        (
            "Sådan fulgte vi projektet",
            "Vi brugte korte elevsamtaler, lærernes logbøger og et fast punkt på ledermøderne "
            f"fra {project.start:%m.%Y} til {project.end:%m.%Y}.",
        ),
    ]
