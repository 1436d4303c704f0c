"""AL project pages: the list with filters, a project, writing one, and its reports."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from network.db import db
from network.errors import DomainError
from network.members.forms import school_choices
from network.projects import attachments, files, service
from network.projects.forms import AttachmentForm, ProjectFilterForm, ProjectForm
from network.projects.models import ALProject
from network.search import service as search
from network.web import confirmation, coordinator_required, show_domain_error

bp = Blueprint("projects", __name__)


@bp.before_app_request
def _clean_orphan_files_once() -> None:
    """At start-up (the first request of each process): finish or remove what killed uploads left."""
    app = current_app._get_current_object()
    if app.extensions.get("network_report_files_cleaned"):
        return
    app.extensions["network_report_files_cleaned"] = True
    try:
        with app.app_context():  # its own database session, removed afterwards
            moved, removed = files.clean_orphans()
    except Exception:  # never fail a request for it (the database may be away); purge-old-data tries again
        app.logger.exception("cleaning orphan report files failed")
    else:
        if moved or removed:
            app.logger.info("report files: %d moved into place, %d orphans removed", moved, removed)


@bp.route("/projekter")
@login_required
def index():
    """The AL project archive with filters (school, tool, focus area, year, status)."""
    form = ProjectFilterForm(request.args)
    form.school_id.choices = school_choices(_("Alle skoler"))
    form.year.choices = [
        SelectChoice(0, _("Alle år")),
        *(SelectChoice(y, str(y)) for y in service.project_years()),
    ]
    form.validate()
    filters = service.ProjectFilters(
        school_id=form.school_id.data if not form.school_id.errors else None,
        tool=form.tool.data if not form.tool.errors else "",
        focus=form.focus.data if not form.focus.errors else "",
        year=form.year.data if not form.year.errors else None,
        status=form.status.data if not form.status.errors else "",
    )
    page = service.list_projects(current_user, filters, page=request.args.get("side", 1, type=int))
    return render_template("projects/index.html", form=form, page=page)


@bp.route("/projekter/<int:project_id>")
@login_required
def detail(project_id: int):
    """One project: the AL cycle, its reports, linked cases and similar projects."""
    project = _project_or_404(project_id)
    return render_template(
        "projects/detail.html",
        project=project,
        can_edit=service.can_edit(current_user, project),
        cases=service.linked_cases(project),
        similar=search.similar_to("project", project.id, current_user, limit=5),
        attachment_form=AttachmentForm(),
        extraction_messages=attachments.EXTRACTION_MESSAGES,
    )


@bp.route("/projekter/nyt", methods=["GET", "POST"])
@login_required
def create():
    """Write a new AL project."""
    form = _project_form(ProjectForm())
    if request.method == "GET":
        form.school_id.data = current_user.school_id
        form.leader_ids.data = [current_user.id]
    if form.validate_on_submit():
        try:
            project = service.create_project(current_user, _draft(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Projektet er gemt."), "success")
            return redirect(url_for("projects.detail", project_id=project.id))
    return render_template("projects/edit.html", form=form, project=None), 422 if form.errors else 200


@bp.route("/projekter/<int:project_id>/rediger", methods=["GET", "POST"])
@login_required
def edit(project_id: int):
    """Change a project (its leaders, its creator, coordinators)."""
    project = _project_or_404(project_id)
    if not service.can_edit(current_user, project):
        abort(403)
    form = _project_form(ProjectForm(obj=project) if request.method == "GET" else ProjectForm())
    if request.method == "GET":
        form.leader_ids.data = [m.id for m in project.leaders]
        form.tools.data = list(project.tools)
        form.focus_areas.data = list(project.focus_areas)
        form.case_ids.data = [link.case_id for link in project.case_links]
        form.school_id.data = project.school_id or 0
    if form.validate_on_submit():
        try:
            service.update_project(current_user, project, _draft(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Ændringerne er gemt."), "success")
            return redirect(url_for("projects.detail", project_id=project.id))
    return render_template("projects/edit.html", form=form, project=project), 422 if form.errors else 200


@bp.route("/projekter/<int:project_id>/rapporter", methods=["POST"])
@login_required
def upload(project_id: int):
    """Attach a report to a project."""
    project = _project_or_404(project_id)
    if not service.can_edit(current_user, project):
        abort(403)
    form = AttachmentForm()
    if not form.validate_on_submit():
        for message in form.file.errors:
            flash(str(message), "error")
        return redirect(url_for("projects.detail", project_id=project.id))
    upload = form.file.data
    try:
        attachment = attachments.add_attachment(current_user, project, upload.filename or "", upload.read())
    except DomainError as error:
        show_domain_error(None, error)
        return redirect(url_for("projects.detail", project_id=project.id)), 303
    db.session.commit()
    message = attachments.EXTRACTION_MESSAGES[attachment.extraction]
    if message:
        flash(_("Filen er gemt.") + " " + str(message), "info")
    else:
        flash(_("Filen er gemt, og teksten kan nu findes via søgningen."), "success")
    return redirect(url_for("projects.detail", project_id=project.id), 303)


@bp.route("/projekter/<int:project_id>/rapporter/<int:attachment_id>")
@login_required
def download(project_id: int, attachment_id: int):
    """A report, as a download, for signed-in members only."""
    project = _project_or_404(project_id)
    try:
        attachment = attachments.get_attachment(project, attachment_id)
    except DomainError:
        abort(404)
    path = attachments.attachment_path(attachment)
    if not path.exists():
        abort(404)
    response = send_file(
        path,
        as_attachment=True,
        download_name=attachment.filename,
        mimetype="application/octet-stream",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


DELETE_ATTACHMENT = confirmation(
    "projects.delete_attachment", _l("Fjern filen fra projektet? Det kan ikke fortrydes."), _l("Fjern filen")
)


@bp.route("/projekter/<int:project_id>/rapporter/<int:attachment_id>/slet", methods=["POST"])
@login_required
def delete_attachment(project_id: int, attachment_id: int):
    """Remove a report from a project."""
    project = _project_or_404(project_id)
    if not service.can_edit(current_user, project):
        abort(403)
    if (question := DELETE_ATTACHMENT.ask()) is not None:
        return question
    try:
        attachment = attachments.get_attachment(project, attachment_id)
        attachments.delete_attachment(current_user, project, attachment)
    except DomainError:
        abort(404)
    db.session.commit()
    flash(_("Filen er fjernet."), "success")
    return redirect(url_for("projects.detail", project_id=project.id), 303)


@bp.route("/projekter/<int:project_id>/skjul", methods=["POST"])
@coordinator_required
def hide(project_id: int):
    """Hide a project from members and search, or show it again (coordinators)."""
    project = _project_or_404(project_id)
    hidden = request.form.get("hidden") == "1"
    service.set_hidden(current_user, project, hidden)
    db.session.commit()
    flash(_("Projektet er skjult.") if hidden else _("Projektet er synligt igen."), "success")
    return redirect(url_for("projects.detail", project_id=project.id), 303)


@bp.route("/projekter/<int:project_id>/fjern-mig", methods=["POST"])
@login_required
def leave(project_id: int):
    """A member named as a leader takes themself off the project."""
    project = _project_or_404(project_id)
    try:
        service.leave_leaders(current_user, project)
    except DomainError as error:
        abort(error.status)
    db.session.commit()
    flash(_("Du står ikke længere som leder af projektet."), "success")
    return redirect(url_for("projects.detail", project_id=project.id), 303)


def _project_or_404(project_id: int) -> ALProject:
    try:
        return service.get_project(project_id, current_user)
    except DomainError:
        abort(404)


def _project_form(form: ProjectForm) -> ProjectForm:
    form.school_id.choices = school_choices(_("Ingen skole"))
    form.leader_ids.choices = service.leader_choices()
    form.case_ids.choices = [SelectChoice(c.id, c.title) for c in service.linkable_cases()]
    return form


def _draft(form: ProjectForm) -> service.ProjectDraft:
    return service.ProjectDraft(
        title=form.title.data or "",
        school_id=form.school_id.data or None,
        leader_ids=list(form.leader_ids.data or []),
        former_leaders=form.former_leaders.data or "",
        period_start=form.period_start.data,
        period_end=form.period_end.data,
        status=form.status.data,
        problem=form.problem.data or "",
        actions=form.actions.data or "",
        experiments=form.experiments.data or "",
        reflection=form.reflection.data or "",
        new_actions=form.new_actions.data or "",
        results=form.results.data or "",
        tools=list(form.tools.data or []),
        focus_areas=list(form.focus_areas.data or []),
        case_ids=list(form.case_ids.data or []),
    )
