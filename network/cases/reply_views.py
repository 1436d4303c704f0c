"""Reply pages: answer a case, edit within 24 hours, delete, mark helpful."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from network.auth.forms import ConfirmForm
from network.cases import replies as reply_service
from network.cases.forms import ReplyForm, template_helpers
from network.cases.models import Reply
from network.cases.views import case_or_404, fail_on_case_page, render_detail
from network.db import db
from network.errors import DomainError
from network.web import confirmation, show_domain_error

bp = Blueprint("case_replies", __name__)
bp.context_processor(template_helpers)


def reply_or_404(reply_id: int) -> Reply:
    try:
        return reply_service.get_reply(current_user, reply_id)
    except DomainError:
        abort(404)


@bp.route("/sager/<int:case_id>/svar", methods=["POST"])
@login_required
def reply(case_id: int):
    """Answer a case."""
    case = case_or_404(case_id)
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            reply_service.add_reply(current_user, case, kind=form.kind.data, body=form.body.data)
        except DomainError as error:
            show_domain_error(form, error)
            status = error.status
        else:
            db.session.commit()
            flash(_("Tak for dit svar."), "success")
            return redirect(url_for("cases.detail", case_id=case.id, _anchor="svar"), code=303)
    else:
        status = 422
    # Show the page again with what was typed and the errors next to the fields.
    return render_detail(case_or_404(case_id), reply_form=form, status=status)


@bp.route("/sager/svar/<int:reply_id>/rediger", methods=["GET", "POST"])
@login_required
def edit_reply(reply_id: int):
    """Edit one's reply within 24 hours."""
    item = reply_or_404(reply_id)
    if item.author_id != current_user.id:
        abort(403)
    form = ReplyForm(obj=item if request.method == "GET" else None)
    status = 200
    if form.validate_on_submit():
        try:
            reply_service.edit_reply(current_user, item, kind=form.kind.data, body=form.body.data)
        except DomainError as error:
            show_domain_error(form, error)
            status = error.status
        else:
            db.session.commit()
            flash(_("Dit svar er rettet."), "success")
            return redirect(
                url_for("cases.detail", case_id=item.case_id, _anchor=f"svar-{item.id}"), code=303
            )
    elif request.method == "POST":
        status = 422
    elif not reply_service.can_edit(current_user, item):
        flash(str(reply_service.EditWindowClosed.default_message), "error")
        status = 403
    return render_template("cases/edit_reply.html", form=form, reply=item), status


DELETE_REPLY = confirmation(
    "case_replies.delete_reply", _l("Slet dit svar? Det kan ikke fortrydes."), _l("Slet svaret")
)


@bp.route("/sager/svar/<int:reply_id>/slet", methods=["POST"])
@login_required
def delete_reply(reply_id: int):
    """Delete one's reply (soft)."""
    item = reply_or_404(reply_id)
    target = url_for("cases.detail", case_id=item.case_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not reply_service.can_delete_reply(current_user, item):
        abort(403)
    if (question := DELETE_REPLY.ask()) is not None:
        return question
    try:
        reply_service.delete_reply(current_user, item)
    except DomainError as error:
        if error.status == 403:
            abort(403)
        return fail_on_case_page(error, item.case_id)
    db.session.commit()
    flash(_("Dit svar er slettet."), "success")
    return redirect(target, code=303)


@bp.route("/sager/svar/<int:reply_id>/hjaelpsom", methods=["POST"])
@login_required
def helpful(reply_id: int):
    """The case owner marks a reply as helpful (or takes it back)."""
    item = reply_or_404(reply_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        reply_service.mark_helpful(current_user, item, helpful=request.form.get("helpful", "1") == "1")
    except DomainError as error:
        if error.status == 403:
            abort(403)
        return fail_on_case_page(error, item.case_id)
    db.session.commit()
    return redirect(url_for("cases.detail", case_id=item.case_id, _anchor=f"svar-{item.id}"), code=303)
