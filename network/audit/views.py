"""The audit log page, for admins."""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from network.audit import service

bp = Blueprint("audit", __name__)


@bp.route("/revisionslog")
@login_required
def index():
    """Every coordinator and admin action and every look at an anonymous author (admins)."""
    if not current_user.is_admin:
        abort(403)
    page = service.entries(
        current_user, action=request.args.get("handling", ""), page=request.args.get("side", 1, type=int)
    )
    return render_template("audit/index.html", page=page)
