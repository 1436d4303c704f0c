"""AL projects in the search index: every project that is not hidden, signed by its leaders."""

from flask_babel import lazy_gettext as _l

from network.db import db
from network.projects.models import ALProject
from network.search.documents import Document, ids_where, register_builder


def _project_document(project_id: int) -> Document | None:
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


register_builder(
    "project",
    _project_document,
    ids_where(ALProject, ALProject.is_hidden.is_(False)),
    label=_l("AL-projekter"),
    endpoint="projects.detail",
    id_arg="project_id",
    table=ALProject.__tablename__,
    similar=True,
)
