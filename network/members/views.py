"""The directory, profiles and school pages."""

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.db import db
from network.errors import DomainError
from network.members import service
from network.members.forms import DirectoryFilterForm, ProfileForm, RoleForm, SchoolForm, school_choices
from network.members.models import Member
from network.web import coordinator_required, show_domain_error

bp = Blueprint("members", __name__)


@bp.route("/medlemmer")
@login_required
def directory():
    """The member directory with filters and a name search."""
    form = DirectoryFilterForm(request.args)
    form.school_id.choices = school_choices(_("Alle skoler"))
    form.validate()
    filters = service.DirectoryFilters(
        q=form.q.data or "",
        school_id=form.school_id.data if not form.school_id.errors else None,
        region=form.region.data if not form.region.errors else "",
        tool=form.tool.data if not form.tool.errors else "",
        focus=form.focus.data if not form.focus.errors else "",
        open_for_sparring=bool(form.open_for_sparring.data),
    )
    page = service.search_directory(current_user, filters, page=request.args.get("side", 1, type=int))
    profiles = [service.visible_profile(current_user, m) for m in page.items]
    return render_template("members/directory.html", form=form, page=page, profiles=profiles)


@bp.route("/medlemmer/<int:member_id>")
@login_required
def profile(member_id: int):
    """One member's profile, as the viewer may see it."""
    member = _member_or_404(member_id)
    role_form = RoleForm(role=member.role) if current_user.is_admin else None
    return render_template(
        "members/profile.html",
        member=member,
        role_form=role_form,
        profile=service.visible_profile(current_user, member),
    )


@bp.route("/medlemmer/<int:member_id>/billede")
@login_required
def avatar(member_id: int):
    """A member's avatar image; only for signed-in members."""
    member = _member_or_404(member_id)
    if not member.avatar_file:
        abort(404)
    response = send_file(service.avatar_dir() / member.avatar_file, mimetype="image/png", max_age=3600)
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.route("/medlemmer/<int:member_id>/rolle", methods=["POST"])
@login_required
def change_role(member_id: int):
    """Give a member another role (admins)."""
    member = _member_or_404(member_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.change_role(current_user, member, form.role.data)
    except DomainError as error:
        if error.status == 403:
            abort(403)
        show_domain_error(None, error)
    else:
        db.session.commit()
        flash(_("Rollen er ændret."), "success")
    return redirect(url_for("members.profile", member_id=member.id))


@bp.route("/profil", methods=["GET", "POST"])
@login_required
def edit_profile():
    """Edit one's own profile."""
    me: Member = current_user._get_current_object()
    form = ProfileForm(obj=me if request.method == "GET" else None)
    form.school_id.choices = school_choices()
    if request.method == "GET":
        form.private_fields.data = list(me.private_fields or [])
        form.tools.data, form.focus_areas.data = list(me.tools), list(me.focus_areas)
        form.education_areas.data = list(me.education_areas)
    if form.validate_on_submit():
        changes = service.ProfileChanges(
            name=form.name.data,
            title=form.title.data,
            phone=form.phone.data,
            bio=form.bio.data,
            school_id=form.school_id.data,
            open_for_sparring=form.open_for_sparring.data,
            tools=form.tools.data,
            focus_areas=form.focus_areas.data,
            education_areas=form.education_areas.data,
            private_fields=form.private_fields.data,
        )
        try:
            service.update_profile(me, me, changes)
            upload = form.avatar.data
            if upload and upload.filename:
                service.set_avatar(me, upload.stream)
            elif form.remove_avatar.data:
                service.remove_avatar(me)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Din profil er gemt."), "success")
            return redirect(url_for("members.profile", member_id=me.id))
    return render_template("members/edit_profile.html", form=form), 422 if form.errors else 200


@bp.route("/skoler")
@login_required
def schools():
    """All schools in the network."""
    return render_template("members/schools.html", schools=service.list_schools())


@bp.route("/skoler/<int:school_id>")
@login_required
def school(school_id: int):
    """One school and its members."""
    try:
        school = service.get_school(school_id)
    except DomainError:
        abort(404)
    profiles = [service.visible_profile(current_user, m) for m in service.school_members(school)]
    return render_template("members/school.html", school=school, profiles=profiles)


@bp.route("/skoler/ny", methods=["GET", "POST"], defaults={"school_id": None})
@bp.route("/skoler/<int:school_id>/rediger", methods=["GET", "POST"])
@coordinator_required
def edit_school(school_id: int | None):
    """Add or edit a school (coordinators)."""
    school = None
    if school_id is not None:
        try:
            school = service.get_school(school_id)
        except DomainError:
            abort(404)
    form = SchoolForm(obj=school if request.method == "GET" else None)
    if request.method == "GET" and school:
        form.education_areas.data = list(school.education_areas)
    if form.validate_on_submit():
        try:
            school = service.save_school(
                current_user,
                school,
                name=form.name.data,
                city=form.city.data,
                region=form.region.data,
                kind=form.kind.data,
                education_areas=form.education_areas.data,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Skolen er gemt."), "success")
            return redirect(url_for("members.school", school_id=school.id))
    return render_template("members/edit_school.html", form=form, school=school), 422 if form.errors else 200


def _member_or_404(member_id: int) -> Member:
    try:
        return service.get_member(member_id)
    except DomainError:
        abort(404)
