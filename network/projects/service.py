"""AL projects: who may edit, creating and changing them, the list with filters, links to cases."""

import dataclasses
import datetime as dt
import typing as t

from flask_babel import lazy_gettext as _l
from sqlalchemy import extract, or_, select
from wtforms.fields.choices import SelectChoice

from network.cases.models import Case
from network.db import db
from network.domain import FOCUS_AREAS, TOOLS
from network.errors import DomainError, NotAllowed, NotFound
from network.members.models import Member, School
from network.notifications.service import tell_newly_named
from network.projects.models import PROJECT_STATUSES, ALProject, ProjectCaseLink, ProjectFocus, ProjectTool
from network.search.outbox import enqueue

CASE_RELATIONS = ("came_from", "led_to", "related")


# The longest each field may be, in characters: read by the form, the API schema and _apply.
TITLE_MAX, FORMER_LEADERS_MAX, SECTION_MAX = 200, 300, 20_000
SECTIONS = ("problem", "actions", "experiments", "reflection", "new_actions", "results")


class InvalidProject(DomainError):
    default_message = _l("Projektet kunne ikke gemmes.")


@dataclasses.dataclass
class ProjectDraft:
    """What a member writes about a project; every field is plain data."""

    title: str
    school_id: int | None = None
    leader_ids: list[int] = dataclasses.field(default_factory=list)
    former_leaders: str = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    status: str = "ongoing"
    problem: str = ""
    actions: str = ""
    experiments: str = ""
    reflection: str = ""
    new_actions: str = ""
    results: str = ""
    tools: list[str] = dataclasses.field(default_factory=list)
    focus_areas: list[str] = dataclasses.field(default_factory=list)
    case_ids: list[int] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class ProjectFilters:
    school_id: int | None = None
    tool: str = ""
    focus: str = ""
    year: int | None = None
    status: str = ""


def can_edit(member: t.Any, project: ALProject) -> bool:
    """Leaders and the creator edit their project; coordinators edit every project."""
    if member is None or not getattr(member, "is_authenticated", False):
        return False
    if member.is_coordinator:
        return True
    return project.created_by_id == member.id or any(leader.id == member.id for leader in project.leaders)


def can_view_project(viewer: t.Any, project: ALProject) -> bool:
    """Hidden projects only for coordinators and the project's own leaders (who may fix it)."""
    return not project.is_hidden or can_edit(viewer, project)


def get_project(project_id: int, viewer: t.Any = None) -> ALProject:
    """A project, if the viewer may see it."""
    project = db.session.get(ALProject, project_id)
    if project is None or not can_view_project(viewer, project):
        raise NotFound()
    return project


def create_project(author: Member, draft: ProjectDraft) -> ALProject:
    """A new project; its author becomes a leader unless others are named."""
    project = ALProject(created_by_id=author.id)
    _apply(project, draft)
    if not project.leaders and not project.former_leaders:
        project.leaders = [author]
    db.session.add(project)
    db.session.flush()
    _tell_new_leaders(author, project, before={author.id})
    enqueue("project", project.id)
    return project


def update_project(editor: Member, project: ALProject, draft: ProjectDraft) -> ALProject:
    """Change a project the editor may edit."""
    if not can_edit(editor, project):
        raise NotAllowed()
    before = {leader.id for leader in project.leaders}
    _apply(project, draft)
    db.session.flush()
    _tell_new_leaders(editor, project, before)
    enqueue("project", project.id)
    return project


def _tell_new_leaders(actor: Member, project: ALProject, before: set[int]) -> None:
    """Nobody is named a project's leader unknowingly: each new one is told, with a way out."""
    title = _l(
        "%(name)s har sat dig som leder af AL-projektet “%(title)s”", name=actor.name, title=project.title
    )
    tell_newly_named(
        actor,
        project.leaders,
        before,
        "project_leader",
        title=str(title),
        body=str(_l("Er det ikke dit projekt, kan du fjerne dig selv på projektets side.")),
        url=f"/projekter/{project.id}",
        subject_type="project",
        subject_id=project.id,
    )


def leave_leaders(member: Member, project: ALProject) -> None:
    """A member takes themself off a project's leaders ("remove me")."""
    if member not in project.leaders:
        raise NotAllowed()
    project.leaders = [leader for leader in project.leaders if leader.id != member.id]
    db.session.flush()
    enqueue("project", project.id)


def set_hidden(coordinator: Member, project: ALProject, hidden: bool) -> None:
    """Hide a project from everyone but coordinators (moderation)."""
    if not coordinator.is_coordinator:
        raise NotAllowed()
    project.is_hidden = hidden
    db.session.flush()
    enqueue("project", project.id)


def _apply(project: ALProject, draft: ProjectDraft) -> None:
    title = draft.title.strip()
    if not title:
        raise InvalidProject(_l("Giv projektet en titel."), field="title")
    for name, limit in (("title", TITLE_MAX), ("former_leaders", FORMER_LEADERS_MAX)) + tuple(
        (section, SECTION_MAX) for section in SECTIONS
    ):
        if len(getattr(draft, name).strip()) > limit:
            raise InvalidProject(_l("Teksten må højst være på %(n)d tegn.", n=limit), field=name)
    if draft.status not in PROJECT_STATUSES:
        raise InvalidProject(_l("Vælg en gyldig status."), field="status")
    if draft.period_start and draft.period_end and draft.period_end < draft.period_start:
        raise InvalidProject(_l("Perioden kan ikke slutte, før den begynder."), field="period_end")
    if draft.school_id and db.session.get(School, draft.school_id) is None:
        raise InvalidProject(_l("Skolen findes ikke."), field="school_id")
    unknown = [v for v in draft.tools if v not in TOOLS] + [
        v for v in draft.focus_areas if v not in FOCUS_AREAS
    ]
    if unknown:
        raise InvalidProject(_l("Ukendt værktøj eller fokusområde."), field="tools")
    leaders = (
        list(db.session.scalars(select(Member).where(Member.id.in_(draft.leader_ids))))
        if draft.leader_ids
        else []
    )
    if len(leaders) != len(set(draft.leader_ids)):
        raise InvalidProject(_l("En af lederne findes ikke."), field="leader_ids")
    project.title = title
    project.school_id = draft.school_id or None
    project.former_leaders = draft.former_leaders.strip()
    project.period_start, project.period_end = draft.period_start, draft.period_end
    project.status = draft.status
    for section in SECTIONS:
        setattr(project, section, getattr(draft, section).strip())
    project.leaders = leaders or list(project.leaders)
    if sorted(project.tools) != sorted(set(draft.tools)):
        project.tool_links = [ProjectTool(tool=v) for v in dict.fromkeys(draft.tools)]
    if sorted(project.focus_areas) != sorted(set(draft.focus_areas)):
        project.focus_links = [ProjectFocus(focus=v) for v in dict.fromkeys(draft.focus_areas)]
    _link_cases(project, draft.case_ids)


def leader_choices() -> list[SelectChoice]:
    """Active members, by name, for the leaders select."""
    query = select(Member).where(Member.is_active_member.is_(True)).order_by(Member.name, Member.id)
    return [SelectChoice(m.id, m.name) for m in db.session.scalars(query)]


def linkable_cases() -> list[Case]:
    """Cases a project may link to: published and not hidden."""
    return list(
        db.session.scalars(
            select(Case).where(Case.status != "draft", Case.is_hidden.is_(False)).order_by(Case.title)
        )
    )


def _link_cases(project: ALProject, case_ids: list[int]) -> None:
    wanted = set(case_ids)
    if wanted:
        allowed = set(
            db.session.scalars(
                select(Case.id).where(Case.id.in_(wanted), Case.status != "draft", Case.is_hidden.is_(False))
            )
        )
        if allowed != wanted:
            raise InvalidProject(_l("Der kan kun linkes til offentliggjorte sager."), field="case_ids")
    existing = {link.case_id: link for link in project.case_links}
    project.case_links = [existing.get(cid) or ProjectCaseLink(case_id=cid) for cid in sorted(wanted)]


def linked_cases(project: ALProject) -> list[Case]:
    """The visible cases a project links to."""
    ids = [link.case_id for link in project.case_links]
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Case).where(Case.id.in_(ids), Case.status != "draft", Case.is_hidden.is_(False))
        )
    )


def list_projects(viewer: t.Any, filters: ProjectFilters, page: int = 1, per_page: int = 20):
    """Projects, newest first, filtered; hidden ones only for coordinators and their own leaders."""
    query = select(ALProject).order_by(ALProject.updated_at.desc(), ALProject.id.desc())
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        query = query.where(ALProject.is_hidden.is_(False))
    elif not viewer.is_coordinator:
        query = query.where(
            or_(
                ALProject.is_hidden.is_(False),
                ALProject.created_by_id == viewer.id,
                ALProject.leaders.any(Member.id == viewer.id),
            )
        )
    if filters.school_id:
        query = query.where(ALProject.school_id == filters.school_id)
    if filters.tool:
        query = query.where(ALProject.tool_links.any(ProjectTool.tool == filters.tool))
    if filters.focus:
        query = query.where(ALProject.focus_links.any(ProjectFocus.focus == filters.focus))
    if filters.status:
        query = query.where(ALProject.status == filters.status)
    if filters.year:
        year = filters.year
        query = query.where(
            or_(
                extract("year", ALProject.period_start) == year,
                (ALProject.period_start.is_(None)) & (extract("year", ALProject.created_at) == year),
            )
        )
    return db.paginate(query, page=max(1, page), per_page=per_page, error_out=False)


def project_years() -> list[int]:
    """The years projects started in, newest first (for the year filter)."""
    dates = db.session.scalars(select(ALProject.period_start).where(ALProject.period_start.is_not(None)))
    return sorted({d.year for d in dates}, reverse=True)
