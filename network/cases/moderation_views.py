"""Moderation pages: flag a case or reply; the coordinators' queue, hide, restore, reveal."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.cases import moderation, service
from network.cases import replies as reply_service
from network.cases.forms import FlagForm, ModerationForm, template_helpers
from network.cases.models import Case, Reply
from network.db import db
from network.errors import DomainError
from network.web import coordinator_required, safe_next, show_domain_error

bp = Blueprint("case_moderation", __name__)
bp.context_processor(template_helpers)


def _case(case_id: int) -> Case:
    try:
        return service.get_case(current_user, case_id)
    except DomainError:
        abort(404)


def _reply(reply_id: int) -> Reply:
    try:
        return reply_service.get_reply(current_user, reply_id)
    except DomainError:
        abort(404)


@bp.route("/sager/<int:case_id>/marker", methods=["GET", "POST"], defaults={"reply_id": None})
@bp.route("/sager/<int:case_id>/svar/<int:reply_id>/marker", methods=["GET", "POST"])
@login_required
def flag(case_id: int, reply_id: int | None):
    """Report a case or a reply to the coordinators."""
    case = _case(case_id)
    subject: Case | Reply = case
    if reply_id is not None:
        subject = _reply(reply_id)
        if subject.case_id != case.id:
            abort(404)
    form = FlagForm()
    status = 200
    if form.validate_on_submit():
        try:
            moderation.flag(current_user, subject, form.reason.data)
        except DomainError as error:
            show_domain_error(form, error)
            status = error.status
        else:
            db.session.commit()
            flash(_("Tak. En koordinator ser på det."), "success")
            return redirect(url_for("cases.detail", case_id=case.id), code=303)
    elif form.errors:
        status = 422
    return render_template("cases/flag.html", form=form, case=_case(case_id), reply_id=reply_id), status


@bp.route("/sager/moderation")
@coordinator_required
def queue():
    """The coordinators' queue of flagged cases and replies."""
    flags = moderation.queue(current_user)
    items = []
    for entry in flags:
        case = db.session.get(Case, entry.case_id)
        reply = db.session.get(Reply, entry.subject_id) if entry.subject_type == "reply" else None
        items.append((entry, case, reply))
    return render_template("cases/moderation.html", items=items, form=ModerationForm())


def _subject(kind: str, subject_id: int) -> Case | Reply:
    subject = (
        db.session.get(Case if kind == "sag" else Reply, subject_id) if kind in ("sag", "svar") else None
    )
    if subject is None:
        abort(404)
    return subject


@bp.route("/sager/moderation/<kind>/<int:subject_id>/<action>", methods=["POST"])
@coordinator_required
def moderate(kind: str, subject_id: int, action: str):
    """Hide, restore or keep (dismiss flags on) a case ("sag") or a reply ("svar")."""
    subject = _subject(kind, subject_id)
    form = ModerationForm()
    if not form.validate_on_submit() or action not in ("skjul", "gendan", "behold"):
        abort(400)
    try:
        if action == "behold":
            moderation.dismiss(current_user, "case" if kind == "sag" else "reply", subject.id)
        else:
            moderation.set_hidden(current_user, subject, action == "skjul", form.note.data or "")
    except DomainError as error:
        show_domain_error(None, error)
        abort(error.status)
    db.session.commit()
    flash(
        {"skjul": _("Skjult."), "gendan": _("Gendannet."), "behold": _("Anmeldelsen er afvist.")}[action],
        "success",
    )
    return redirect(safe_next(url_for("case_moderation.queue")), code=303)


@bp.route("/sager/<int:case_id>/forfatter", methods=["POST"])
@coordinator_required
def reveal(case_id: int):
    """Show a coordinator who wrote a case (anonymous ones too); the look is written to the audit log."""
    case = _case(case_id)
    if not ModerationForm().validate_on_submit():
        abort(400)
    member = service.reveal_author(current_user, case)
    db.session.commit()
    return render_template("cases/revealed.html", case=case, member=member)
