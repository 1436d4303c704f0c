"""Ledernetværket: the app factory."""

import importlib
import os
import typing as t
from pathlib import Path

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from network import domain
from network import extensions as ext
from network.config import check_production, config_class, settle_base_url
from network.logs import configure_logging

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Strict CSP: no inline script or style anywhere; all JS lives in static/js and static/vendor.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def create_app(test_config: t.Mapping[str, t.Any] | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, API, sockets and CLI."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("NETWORK_INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    _configure(app, test_config)
    if app.config["PROXY_COUNT"]:
        # Behind nginx: the client's address and scheme from the last PROXY_COUNT proxies' headers
        # (rate limits count per client, not per proxy). The Host stays the one nginx passes.
        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.url_map.converters["int"] = ext.IdConverter  # every <int:…> id within the database's range
    _init_extensions(app)
    _import_models()
    _register_blueprints(app)
    _register_namespaces()
    _register_request_hooks(app)
    return app


def _configure(app: Flask, test_config: t.Mapping[str, t.Any] | None) -> None:
    app.config.from_object(config_class())
    app.config["ENV_NAME"] = os.environ.get("NETWORK_ENV", "development")
    app.config.from_prefixed_env(prefix="NETWORK")
    if test_config:
        app.config.from_mapping(test_config)

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'network.db'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    if app.config["DATABASE_URL"].startswith("sqlite"):
        # SQLite: wait for a writer instead of failing at once; threads share the file.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 15}}
    if not app.config["SEARCH_INDEX_DIR"]:
        app.config["SEARCH_INDEX_DIR"] = str(PROJECT_ROOT / "search_index")
    app.config.setdefault("MAIL_DIR", str(Path(app.instance_path) / "mail"))
    app.config.setdefault("UPLOAD_DIR", str(Path(app.instance_path) / "uploads"))
    settle_base_url(app.config)
    check_production(app.config)
    configure_logging(app)


def _select_locale() -> str:
    """Language: the one chosen in the menu, else the browser's, else Danish.

    Outside a request (CLI, mails from cron) it is the default, Danish.
    """
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _init_extensions(app: Flask) -> None:
    ext.db.init_app(app)
    ext.migrate.init_app(app, ext.db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    ext.csrf.init_app(app)
    ext.babel.init_app(
        app,
        locale_selector=_select_locale,
        default_translation_directories=str(PROJECT_ROOT / "translations"),
    )
    ext.limiter.init_app(app)
    ext.login_manager.init_app(app)
    ext.login_manager.login_view = "auth.login"
    ext.login_manager.session_protection = "strong"
    ext.login_manager.login_message = _l("Log ind for at se siden.")
    ext.login_manager.login_message_category = "info"
    from network.auth.service import load_member_from_session

    ext.login_manager.user_loader(load_member_from_session)
    ext.talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="strict-origin-when-cross-origin",
        frame_options="DENY",
    )
    ext.socketio.init_app(
        app,
        async_mode="threading",
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"] or None,
        manage_session=False,
    )
    ext.api.init_app(app)


def _import_models() -> None:
    """Every feature's models, so create_all (tests) and Alembic see the whole schema."""
    import network.audit.models
    import network.auth.models
    import network.cases.models
    import network.mail.models
    import network.meetups.models
    import network.members.models
    import network.notifications.models
    import network.projects.models
    import network.rooms.models
    import network.search.models
    import network.search.outbox  # noqa: F401

    _import_privacy_handlers()
    _import_registrations()


# Each searchable feature registers its kind with the search; this order is the search page's.
SEARCH_BUILDERS = ("network.projects.searching", "network.cases.searching", "network.meetups.searching")


# Each feature's scheduled jobs, registered with the one runner in network/reminders.py; the order
# is the order the cron commands run them in.
SCHEDULED_JOBS = (
    "network.cases.jobs",
    "network.meetups.reminders",
    "network.mail.privacy",
    "network.rooms.privacy",
)


def _import_registrations() -> None:
    for module in SEARCH_BUILDERS + SCHEDULED_JOBS:
        importlib.import_module(module)


def _import_privacy_handlers() -> None:
    """What each feature holds about a member, for "Mine data" and account deletion."""
    import network.audit.privacy
    import network.auth.privacy
    import network.cases.privacy
    import network.mail.privacy
    import network.meetups.privacy
    import network.members.privacy
    import network.notifications.privacy
    import network.projects.privacy
    import network.rooms.privacy  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    # One line per feature: its page blueprint. API endpoints register in network/api/__init__.py.
    from network import cli
    from network.api import register as register_api
    from network.audit.views import bp as audit_bp
    from network.auth.views import bp as auth_bp
    from network.cases.moderation_views import bp as case_moderation_bp
    from network.cases.reply_views import bp as case_replies_bp
    from network.cases.views import bp as cases_bp
    from network.mail import init_app as init_mail
    from network.main.views import bp as main_bp
    from network.meetups.views import bp as meetups_bp
    from network.members.views import bp as members_bp
    from network.notifications.views import bp as notifications_bp
    from network.overview.views import bp as overview_bp
    from network.privacy.views import bp as privacy_bp
    from network.projects.views import bp as projects_bp
    from network.rooms.views import bp as rooms_bp
    from network.search import init_app as init_search
    from network.ui import init_app as init_ui
    from network.week.views import bp as week_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(week_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(members_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(case_moderation_bp)
    app.register_blueprint(case_replies_bp)
    app.register_blueprint(overview_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(meetups_bp)
    app.register_blueprint(rooms_bp)
    app.register_blueprint(projects_bp)
    init_ui(app)  # avatar filters; the style page in development and test
    init_search(app)  # the search page, reindex/index-check/index-worker, leftover drain
    init_mail(app)  # the unsubscribe pages, the mail worker, `network mail-worker`
    register_api(app, ext.api)
    cli.register(app)


def _register_namespaces() -> None:
    # One line per feature with live events: its Socket.IO namespace.
    from network.rooms.events import register as register_rooms

    register_rooms(ext.socketio)


def _unread_notifications() -> int:
    """The bell's number, counted only when a page asks for it."""
    from network.notifications.service import unread_count

    return unread_count(current_user) if current_user.is_authenticated else 0


def _register_request_hooks(app: Flask) -> None:
    from network.main.errors import register_error_handlers
    from network.members.service import touch_last_active

    register_error_handlers(app)

    @app.context_processor
    def inject_globals() -> dict[str, t.Any]:
        return {
            "current_locale": str(get_locale()),
            "languages": app.config["LANGUAGES"],
            "vocab": domain,
            "unread_notifications": _unread_notifications,
        }

    @app.after_request
    def record_activity(response):
        # Only page and API requests count as activity; static files never load the member.
        if request.endpoint in (None, "static"):
            return response
        member = g.get("api_member") or (current_user if current_user.is_authenticated else None)
        if member is not None:
            touch_last_active(member)
        return response
