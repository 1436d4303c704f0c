"""The bell: the list of one's notifications."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from network.auth.forms import ConfirmForm
from network.db import db
from network.errors import DomainError
from network.mail.compose import describe
from network.notifications import service
from network.web import safe_next

bp = Blueprint("notifications", __name__)


@bp.route("/notifikationer")
@login_required
def index():
    """One's notifications, newest first."""
    page = service.recent(current_user, page=request.args.get("side", 1, type=int))
    return render_template(
        "notifications/index.html", page=page, confirm_form=ConfirmForm(), describe=describe
    )


@bp.route("/notifikationer/<int:notification_id>")
@login_required
def follow(notification_id: int):
    """Mark a notification read and go to what it is about."""
    try:
        notification = service.open_notification(current_user, notification_id)
    except DomainError:
        abort(404)
    db.session.commit()
    target = notification.url if notification.url.startswith("/") else url_for("notifications.index")
    return redirect(target)


@bp.route("/notifikationer/laest", methods=["POST"])
@login_required
def mark_all_read():
    """Mark every notification as read."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.mark_read(current_user)
    db.session.commit()
    return redirect(safe_next(url_for("notifications.index")))
