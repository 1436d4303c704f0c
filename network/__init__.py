"""Ledernetværket: the app factory."""

import importlib
import os
import typing as t
from pathlib import Path

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.middleware.proxy_fix import ProxyFix

from network import api, cli, domain
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


# Each feature is a package whose ``init_app(app)`` registers all it has: pages, API, socket
# namespace, CLI commands, scheduled jobs, search documents and privacy handlers
# (docs/architecture.md). The order is the order of the search page's kinds and of the cron jobs.
FEATURES = (
    "main",
    "week",  # Min uge, /velkommen, /om-netvaerket
    "auth",
    "members",
    "notifications",
    "audit",
    "mail",
    "projects",
    "cases",
    "overview",
    "privacy",
    "meetups",
    "rooms",
    "ui",  # the design system: avatar filters; the style page in development and test
    "search",
)


def create_app(test_config: t.Mapping[str, t.Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, then each feature through its ``init_app``."""
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
    for name in FEATURES:
        importlib.import_module(f"network.{name}").init_app(app)
    cli.register(app)
    _register_template_globals(app)
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
    api.init_app(app)  # the OpenAPI document; each feature adds its resources


def _register_template_globals(app: Flask) -> None:
    @app.context_processor
    def inject_globals() -> dict[str, t.Any]:
        return {
            "current_locale": str(get_locale()),
            "languages": app.config["LANGUAGES"],
            "vocab": domain,
        }
