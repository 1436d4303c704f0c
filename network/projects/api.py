"""AL projects and their reports."""

import marshmallow as ma
from flask import request, send_file
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import validate

from network.api.problems import problem_response
from network.api.schemas import PageArgs, PageMeta, Schema, Text
from network.api.security import BEARER_DOC, current_member, token_required
from network.db import commit
from network.domain import FOCUS_AREAS, TOOLS
from network.projects import attachments, service
from network.projects.models import PROJECT_STATUSES, ALProject

blp = Blueprint("api_projects", __name__, url_prefix="/api/v1", description="AL projects and reports")

SECTIONS = service.SECTIONS


DOWNLOAD_RESPONSE = {
    "description": "The report's bytes, as a download (Content-Disposition: attachment)",
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
}


class AttachmentSchema(Schema):
    id = ma.fields.Integer(required=True)
    filename = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, metadata={"enum": ["pdf", "docx", "txt", "md"]})
    size = ma.fields.Integer(required=True)
    text_extracted = ma.fields.String(
        required=True, metadata={"enum": ["ok", "empty", "encrypted", "failed"], "description": "Text found?"}
    )
    url = ma.fields.String(required=True)


class ProjectSchema(Schema):
    id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True, validate=validate.Length(max=service.TITLE_MAX))
    school_id = ma.fields.Integer(allow_none=True)
    leader_ids = ma.fields.List(ma.fields.Integer())
    former_leaders = ma.fields.String(validate=validate.Length(max=service.FORMER_LEADERS_MAX))
    period_start = ma.fields.Date(allow_none=True)
    period_end = ma.fields.Date(allow_none=True)
    status = ma.fields.String(metadata={"enum": list(PROJECT_STATUSES)})
    problem = Text(validate=validate.Length(max=service.SECTION_MAX))
    actions = Text(validate=validate.Length(max=service.SECTION_MAX))
    experiments = Text(validate=validate.Length(max=service.SECTION_MAX))
    reflection = Text(validate=validate.Length(max=service.SECTION_MAX))
    new_actions = Text(validate=validate.Length(max=service.SECTION_MAX))
    results = Text(validate=validate.Length(max=service.SECTION_MAX))
    tools = ma.fields.List(ma.fields.String(validate=validate.OneOf(list(TOOLS))))
    focus_areas = ma.fields.List(ma.fields.String(validate=validate.OneOf(list(FOCUS_AREAS))))
    case_ids = ma.fields.List(ma.fields.Integer())
    attachments = ma.fields.List(ma.fields.Nested(AttachmentSchema), dump_only=True)
    updated_at = ma.fields.DateTime(dump_only=True)


class ProjectWriteSchema(ProjectSchema):
    class Meta:
        exclude = ("id", "attachments", "updated_at")


class ProjectPatchSchema(ProjectWriteSchema):
    """Only the fields given are changed."""


class ProjectPageSchema(PageMeta):
    items = ma.fields.List(ma.fields.Nested(ProjectSchema), required=True)


class ProjectFilterArgs(PageArgs):
    school = ma.fields.Integer(load_default=None)
    tool = ma.fields.String(load_default="", validate=validate.OneOf(["", *TOOLS]))
    focus = ma.fields.String(load_default="", validate=validate.OneOf(["", *FOCUS_AREAS]))
    year = ma.fields.Integer(load_default=None)
    status = ma.fields.String(load_default="", validate=validate.OneOf(["", *PROJECT_STATUSES]))


def project_body(project: ALProject) -> dict:
    body = {name: getattr(project, name) for name in ("id", "title", "school_id", "former_leaders", "status")}
    body.update({name: getattr(project, name) for name in SECTIONS})
    body.update(
        period_start=project.period_start,
        period_end=project.period_end,
        leader_ids=[m.id for m in project.leaders],
        tools=list(project.tools),
        focus_areas=list(project.focus_areas),
        case_ids=[link.case_id for link in project.case_links],
        updated_at=project.updated_at,
        attachments=[
            {
                "id": a.id,
                "filename": a.filename,
                "kind": a.kind,
                "size": a.size,
                "text_extracted": a.extraction,
                "url": f"/api/v1/projects/{project.id}/attachments/{a.id}",
            }
            for a in project.attachments
        ],
    )
    return body


def _draft(body: dict, project: ALProject | None = None) -> service.ProjectDraft:
    current = project_body(project) if project is not None else {}
    merged = {**current, **body}
    fields = {k: merged[k] for k in service.ProjectDraft.__dataclass_fields__ if k in merged}
    return service.ProjectDraft(**fields)


@blp.route("/projects")
class ProjectsResource(MethodView):
    decorators = [token_required]

    @blp.doc(**BEARER_DOC)
    @blp.arguments(ProjectFilterArgs, location="query")
    @blp.response(200, ProjectPageSchema)
    def get(self, args: dict):
        """AL projects, newest first, filtered and paginated."""
        filters = service.ProjectFilters(
            school_id=args["school"],
            tool=args["tool"],
            focus=args["focus"],
            year=args["year"],
            status=args["status"],
        )
        page = service.list_projects(current_member(), filters, page=args["page"], per_page=args["per_page"])
        return {
            "items": [project_body(p) for p in page.items],
            "page": page.page,
            "per_page": page.per_page,
            "total": page.total,
            "pages": page.pages,
        }

    @blp.doc(**BEARER_DOC)
    @blp.arguments(ProjectWriteSchema)
    @blp.response(201, ProjectSchema)
    @blp.alt_response(400, description="A rule was broken, e.g. no title")
    def post(self, body: dict):
        """Create a project; the caller leads it unless other leaders are named."""
        body.setdefault("title", "")
        project = service.create_project(current_member(), _draft(body))
        commit()
        return project_body(project), 201


@blp.route("/projects/<int:project_id>")
class ProjectResource(MethodView):
    decorators = [token_required]

    @blp.doc(**BEARER_DOC)
    @blp.response(200, ProjectSchema)
    @blp.alt_response(404, description="No such project")
    def get(self, project_id: int):
        """One project with its reports."""
        return project_body(service.get_project(project_id, current_member()))

    @blp.doc(**BEARER_DOC)
    @blp.arguments(ProjectPatchSchema(partial=True))
    @blp.response(200, ProjectSchema)
    @blp.alt_response(403, description="Not a leader, the creator or a coordinator")
    def patch(self, body: dict, project_id: int):
        """Change the fields given (leaders, the creator and coordinators)."""
        project = service.get_project(project_id, current_member())
        service.update_project(current_member(), project, _draft(body, project))
        commit()
        return project_body(project)


@blp.route("/projects/<int:project_id>/attachments", methods=["POST"])
@blp.doc(**BEARER_DOC)
@blp.response(201, AttachmentSchema)
@blp.alt_response(400, description="Wrong type, empty or too large")
@token_required
def upload_attachment(project_id: int):
    """Attach a report: multipart/form-data with a field "file" (PDF, DOCX, TXT or Markdown)."""
    upload = request.files.get("file")
    if upload is None:
        return problem_response(400, _("Send filen i feltet 'file' (multipart/form-data)."))
    project = service.get_project(project_id, current_member())
    attachment = attachments.add_attachment(current_member(), project, upload.filename or "", upload.read())
    commit()
    return next(a for a in project_body(project)["attachments"] if a["id"] == attachment.id), 201


@blp.route("/projects/<int:project_id>/attachments/<int:attachment_id>")
@blp.doc(**BEARER_DOC)
@blp.doc(responses={"200": DOWNLOAD_RESPONSE})
@token_required
def download_attachment(project_id: int, attachment_id: int):
    """A report as a download."""
    project = service.get_project(project_id, current_member())
    attachment = attachments.get_attachment(project, attachment_id)
    path = attachments.attachment_path(attachment)
    if not path.exists():
        return problem_response(404, _("Filen findes ikke længere."))
    return send_file(
        path,
        as_attachment=True,
        download_name=attachment.filename,
        mimetype="application/octet-stream",
    )
