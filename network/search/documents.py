"""What goes into the index: one builder per searchable kind, all in this registry.

A builder takes an object id and returns the ``Document`` the search may show, or ``None`` when the
object is gone or must not be found (a draft, a hidden case, a hidden project). Permission rules
that decide *whether* something is indexed and *which* fields are stored live here, so the search
can never show more than was put in. Other features register their own builders (meetups: see
network/meetups/searching.py).
"""

import dataclasses
import datetime as dt
import typing as t

from sqlalchemy import select

from network.db import db, start_of_day


@dataclasses.dataclass
class Document:
    kind: str
    object_id: int
    title: str
    problem: str = ""
    body: str = ""
    attachments: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (file name, text)
    school: str = ""
    tools: list[str] = dataclasses.field(default_factory=list)
    focus: list[str] = dataclasses.field(default_factory=list)
    year: int | None = None
    date: dt.datetime | None = None
    author: str = ""  # empty unless the author chose to be named
    status: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.object_id}"


@dataclasses.dataclass(frozen=True)
class Builder:
    build: t.Callable[[int], Document | None]
    ids: t.Callable[[], t.Iterable[int]]  # every id that should be in the index (for reindex, index-check)
    visible: t.Callable[[list[int]], set[int]]  # of these ids, the ones a member may see right now


BUILDERS: dict[str, Builder] = {}


def register_builder(
    kind: str, build: t.Callable[[int], Document | None], ids: t.Callable, visible: t.Callable
) -> None:
    """Make a kind searchable: how to build one document, which ids to index, which are visible now."""
    BUILDERS[kind] = Builder(build, ids, visible)


# Documents that quote another kind's object: a change to a case re-indexes the meetups whose
# agenda names it, so a hidden case leaves no title in their snippets.
DEPENDENTS: dict[str, list[t.Callable[[int], t.Iterable[tuple[str, int]]]]] = {}


def register_dependents(kind: str, find: t.Callable[[int], t.Iterable[tuple[str, int]]]) -> None:
    """Say which other documents (kind, id) quote an object of this kind and must be rebuilt with it."""
    DEPENDENTS.setdefault(kind, []).append(find)


def with_dependents(keys: t.Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """The keys, then every document that quotes one of them, each once."""
    keys = list(dict.fromkeys(keys))
    extra = [dep for kind, object_id in keys for find in DEPENDENTS.get(kind, ()) for dep in find(object_id)]
    return list(dict.fromkeys([*keys, *extra]))


def visible_keys(keys: list[tuple[str, int]]) -> set[tuple[str, int]]:
    """Of these (kind, id) hits, the ones still visible in the database (the index may lag behind)."""
    by_kind: dict[str, list[int]] = {}
    for kind, object_id in keys:
        by_kind.setdefault(kind, []).append(object_id)
    visible = set()
    for kind, ids in by_kind.items():
        builder = BUILDERS.get(kind)
        if builder is not None:
            visible |= {(kind, object_id) for object_id in builder.visible(ids)}
    return visible


def build_document(kind: str, object_id: int) -> Document | None:
    """The document for one object, or None when it must not (or no longer) be found."""
    builder = BUILDERS.get(kind)
    return builder.build(object_id) if builder else None


def indexable_keys() -> set[str]:
    """Every "kind:id" that should be in the index now."""
    return {f"{kind}:{object_id}" for kind, builder in BUILDERS.items() for object_id in builder.ids()}


# --- AL projects ---------------------------------------------------------------------------------


def _project_document(project_id: int) -> Document | None:
    from network.projects.models import ALProject

    project = db.session.get(ALProject, project_id)
    if project is None or project.is_hidden:
        return None
    leaders = [m.name for m in project.leaders]
    if project.former_leaders:
        leaders.append(project.former_leaders)
    start = project.period_start or project.created_at.date()
    return Document(
        kind="project",
        object_id=project.id,
        title=project.title,
        problem=project.problem,
        body="\n\n".join(
            part
            for part in (
                project.actions,
                project.experiments,
                project.reflection,
                project.new_actions,
                project.results,
            )
            if part
        ),
        attachments=[(a.filename, a.text) for a in project.attachments if a.text],
        school=project.school.name if project.school else "",
        tools=list(project.tools),
        focus=list(project.focus_areas),
        year=start.year,
        date=project.updated_at,
        author=", ".join(leaders),  # projects are always signed by their leaders
        status=project.status,
    )


def _project_ids(among: list[int] | None = None) -> set[int]:
    from network.projects.models import ALProject

    query = select(ALProject.id).where(ALProject.is_hidden.is_(False))
    if among is not None:
        query = query.where(ALProject.id.in_(among))
    return set(db.session.scalars(query))


# --- Cases ---------------------------------------------------------------------------------------


def _case_document(case_id: int) -> Document | None:
    from network.cases.models import Case

    case = db.session.get(Case, case_id)
    if case is None or case.is_hidden or case.status == "draft":
        return None
    named = case.visibility == "named" and case.author is not None
    # An anonymous or school-hidden author's name, e-mail and school never enter the index.
    published = case.published_at or case.created_at
    if case.visibility == "anonymous":
        published = start_of_day(published)  # as cases.time_as_seen: the day, not the moment
    return Document(
        kind="case",
        object_id=case.id,
        title=case.title,
        problem=case.problem,
        body="\n\n".join(p for p in (case.context, case.tried, case.question, case.learning_summary) if p),
        school=case.author.school.name if named and case.author.school else "",
        tools=list(case.tools),
        focus=list(case.focus_areas),
        year=published.year,
        date=published,
        author=case.author.name if named else "",
        status=case.status,
    )


def _case_ids(among: list[int] | None = None) -> set[int]:
    from network.cases.models import Case

    query = select(Case.id).where(Case.is_hidden.is_(False), Case.status != "draft")
    if among is not None:
        query = query.where(Case.id.in_(among))
    return set(db.session.scalars(query))


register_builder("project", _project_document, _project_ids, _project_ids)
register_builder("case", _case_document, _case_ids, _case_ids)
# "meetup": registered by network/meetups/searching.py.
