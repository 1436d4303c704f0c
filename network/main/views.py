"""Front page, language menu and health check."""

import tempfile
from pathlib import Path

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from network.db import db
from network.members import service as members
from network.web import safe_next
from network.week import service as week

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    """Min uge: what is new and what waits for the signed-in member; visitors go to sign-in."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    me = current_user._get_current_object()
    my_week = week.week_for(me)
    peers = [members.visible_profile(me, m) for m in my_week.peers]
    return render_template(
        "week/index.html", week=my_week, peers=peers, first_reply_days=week.first_reply_days()
    )


@bp.route("/om-netvaerket")
def about():
    """The network's story and way of working, in our own words; open to visitors and invitees."""
    from network.domain import FOCUS_AREAS, REPLY_KINDS

    return render_template("main/about.html", success_sentences=FOCUS_AREAS, reply_kinds=REPLY_KINDS)


@bp.route("/sprog", methods=["POST"])
def set_language():
    """Remember the language chosen in the menu for this session."""
    language = request.form.get("lang", "")
    if language in current_app.config["LANGUAGES"]:
        session["lang"] = language
    return redirect(safe_next(url_for("main.index")))


@bp.route("/healthz")
def healthz():
    """200 when the database answers and the search index folder is writable, else 503."""
    checks = {"database": _database_ok(), "search_index": _index_dir_writable()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    return jsonify(body), 200 if healthy else 503


@bp.route("/readyz")
def readyz():
    """200 when this process can serve traffic: healthy, and the schema is at the newest migration."""
    checks = {"database": _database_ok(), "search_index": _index_dir_writable()}
    checks["migrations"] = checks["database"] and _schema_is_current()
    ready = all(checks.values())
    return jsonify({"status": "ready" if ready else "not ready", "checks": checks}), 200 if ready else 503


def _schema_is_current() -> bool:
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    migrate = current_app.extensions["migrate"]
    heads = set(ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory)).get_heads())
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current == heads


def _database_ok() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure means "not healthy"
        current_app.logger.exception("health check: database")
        db.session.rollback()
        return False
    return True


def _index_dir_writable() -> bool:
    folder = Path(current_app.config["SEARCH_INDEX_DIR"])
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".health-"):
            pass
    except OSError:
        current_app.logger.exception("health check: search index folder")
        return False
    return True
