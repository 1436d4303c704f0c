"""The privacy page, "Mine data" and deleting one's account."""

from flask import Blueprint, Response, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from network.db import db, utcnow
from network.errors import DomainError
from network.privacy import service
from network.privacy.forms import DeleteAccountForm
from network.search import service as search
from network.web import show_domain_error


def forget_in_search() -> None:
    """Drop the erased member's documents from the index files (best effort: reindex repairs)."""
    try:
        search.forget_deleted()
    except Exception:  # the account is gone; a busy index is compacted by reindex
        current_app.logger.exception("could not compact the search index after an account deletion")


bp = Blueprint("privacy", __name__)


@bp.route("/privatliv")
def policy():
    """What we store, why and for how long (public)."""
    return render_template("privacy/policy.html")


@bp.route("/mine-data", methods=["GET"])
@login_required
def my_data():
    """Download one's data or delete one's account."""
    return render_template("privacy/my_data.html", form=DeleteAccountForm(formdata=None))


@bp.route("/mine-data/download", methods=["POST"])
@login_required
def download():
    """Everything about me as a zip (JSON plus my files)."""
    archive = service.export_member(current_user)
    filename = f"ledernetvaerket-mine-data-{utcnow():%Y-%m-%d}.zip"
    return Response(
        archive,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/mine-data/slet", methods=["POST"])
@login_required
def delete_account():
    """Delete my account for good."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            service.delete_account(
                current_user._get_current_object(), password=form.password.data, mode=form.mode.data
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            forget_in_search()
            logout_user()
            session.clear()
            flash(_("Din konto er slettet. Tak for din tid i netværket."), "info")
            return redirect(url_for("auth.login"))
    return render_template("privacy/my_data.html", form=form), 422
