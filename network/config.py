"""Configuration classes. Every key can be overridden by a ``NETWORK_<KEY>`` environment variable.

``NETWORK_ENV`` picks the class: ``development`` (the embedded tier, default) or ``production``.
Values are parsed as JSON where possible, so ``NETWORK_MAIL_PORT=587`` is an int and
``NETWORK_MAIL_USE_TLS=true`` a bool; anything else stays a string.
"""

import datetime as dt
import os
from urllib.parse import urlsplit

DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production, see check_production


class BaseConfig:
    # Core
    SECRET_KEY = DEV_SECRET_KEY
    DATABASE_URL = ""  # empty: SQLite file in the instance folder
    SEARCH_INDEX_DIR = ""  # empty: search_index/ beside the package
    SEARCH_BACKEND = "whoosh"
    SOCKETIO_MESSAGE_QUEUE = ""
    # Live rooms: flood control, messages per member per 10 seconds (counted in the database)
    ROOMS_FLOOD_MESSAGES = 8
    # Every socket event: per connection, events per second kept up and at once (a member's
    # connections together get twice that); network/rooms/throttle.py
    ROOMS_EVENT_RATE = 3.0
    ROOMS_EVENT_BURST = 30
    RATELIMIT_STORAGE_URI = "memory://"
    # Redis away: rate limits keep counting in this process's memory instead of failing requests;
    # Flask-Limiter checks now and then whether Redis is back. Short timeouts: no hanging request.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS: dict = {"socket_connect_timeout": 2, "socket_timeout": 2}
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024
    SHOW_DEMO_LOGINS = False
    STYLE_PAGE = False  # the living style page /stil (on in development and test)
    LOG_FORMAT = "text"  # or "json": one JSON object per line, with the request id
    LOG_LEVEL = "INFO"

    # AL projects and search (issue 4)
    ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024  # largest report a member may attach to a project
    EXTRACTION_TIMEOUT_SECONDS = 20  # text extraction runs in a child process killed after this
    EXTRACTION_MEMORY_BYTES = 512 * 1024 * 1024  # address-space limit of that child process
    SEARCH_PAGE_SIZE = 10
    SEARCH_DRAIN_AFTER_COMMIT = True  # drain the outbox in-process after each commit (off: index-worker)

    # Languages
    LANGUAGES = ["da", "en"]
    BABEL_DEFAULT_LOCALE = "da"
    BABEL_DEFAULT_TIMEZONE = "Europe/Copenhagen"

    # Mail: SMTP when MAIL_SERVER is set, else .eml files in instance/mail/
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_SENDER = "Ledernetværket <no-reply@ledernetvaerket.dk>"
    # Mail leaves the request through the outbox (network/mail): who sends it, see network/mail/worker.py.
    MAIL_WORKER = "thread"  # "thread" in each web process, or "external" (`network mail-worker`)
    MAIL_WORKER_POLL_SECONDS = 5  # how often a worker looks for mail queued by other processes
    MAIL_TIMEOUT_SECONDS = 30  # per SMTP connection and command
    MAIL_RETRY_SECONDS = 30  # first retry after a failed send; doubles each time, at most an hour
    MAIL_GIVE_UP_HOURS = 72  # a mail not sent by then is given up (logged; `mail-worker --retry-given-up`)
    # Where every link in a mail points, e.g. https://ledernetvaerket.dk. Never the request's Host
    # (a forged Host would otherwise put a reset token under someone else's address). Required in
    # production; elsewhere empty means SERVER_NAME, else http://127.0.0.1:$PORT (see settle_base_url).
    BASE_URL = ""
    # Host names the app answers to (Flask's TRUSTED_HOSTS); other Host headers get 400. None: in
    # production, BASE_URL's host plus the loopback names (for health checks), elsewhere any host.
    TRUSTED_HOSTS: list[str] | None = None

    # Accounts
    INVITE_MAX_AGE_DAYS = 14
    PASSWORD_RESET_MAX_AGE_MINUTES = 120
    PASSWORD_MIN_LENGTH = 10
    LOCKOUT_THRESHOLD = 10  # wrong passwords in a row before the account locks (unlock by mail)
    # Sign-in attempts (form and POST /api/v1/auth/token together) per client address, and per
    # account from any address; invites and resets have LOGIN_RATE_LIMIT per address of their own.
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    LOGIN_ACCOUNT_RATE_LIMIT = "5 per minute;30 per hour"
    # How many proxies (nginx) stand in front of the app and add X-Forwarded-For/-Proto. 0: none,
    # the socket's address is the client's; 1 behind the documented nginx. Too high lets a client
    # choose its own address (and rate-limit bucket); too low makes every client the proxy.
    PROXY_COUNT = 0
    AVATAR_MAX_BYTES = 2 * 1024 * 1024
    AVATAR_SIZE_PX = 256
    LAST_ACTIVE_RESOLUTION_SECONDS = 300

    # Retention (0 keeps forever); `network purge-old-data` deletes what is older, e.g. nightly
    MAIL_FILE_RETENTION_DAYS = 30
    ROOM_MESSAGE_RETENTION_DAYS = 0

    # The coordinator's overview
    OVERVIEW_FIRST_REPLY_DAYS = 7  # a case without a reply for this long is "waiting"
    OVERVIEW_QUIET_DAYS = 60  # a school with no activity for this long has "gone quiet"
    # Cases: remind the owner of an open case to write "what happened?" after these many weeks.
    CASE_REMINDER_WEEKS = [4, 12]

    # Sessions and cookies
    REMEMBER_COOKIE_DURATION = dt.timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = dt.timedelta(days=14)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    FORCE_HTTPS = False
    WTF_CSRF_TIME_LIMIT = None  # a long form must not expire while a leader writes it

    # API (flask-smorest)
    API_TITLE = "Ledernetværket API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    API_PAGE_SIZE_MAX = 100

    # Meetups: how many days before a meetup those going are reminded (`network send-reminders`)
    MEETUP_REMINDER_DAYS = 2

    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}


class DevelopmentConfig(BaseConfig):
    """The embedded tier: SQLite, Whoosh, one process, demo data and demo logins."""

    SHOW_DEMO_LOGINS = True
    STYLE_PAGE = True  # /stil: every component of the design system on one page


class ProductionConfig(BaseConfig):
    """One server or several: secrets from the environment, HTTPS-only cookies."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    FORCE_HTTPS = True
    PREFERRED_URL_SCHEME = "https"
    LOG_FORMAT = "json"


class TestConfig(BaseConfig):
    TESTING = True
    STYLE_PAGE = True
    LOG_LEVEL = "WARNING"
    RATELIMIT_STORAGE_URI = "memory://"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - fast hashing in tests only
    MAIL_WORKER = "after-commit"  # a test reads the mail right after the request that queued it


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestConfig,
}


def config_class() -> type[BaseConfig]:
    """The config class named by NETWORK_ENV (default: development)."""
    name = os.environ.get("NETWORK_ENV", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"NETWORK_ENV must be one of {sorted(CONFIGS)}, not {name!r}")
    return CONFIGS[name]


class UnsafeProductionConfig(RuntimeError):
    """Raised when the production config would run with unsafe settings."""


LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "::1"]


def settle_base_url(config: dict) -> None:
    """Fix BASE_URL and TRUSTED_HOSTS once, at start-up, so no link ever depends on a request.

    Production must set BASE_URL (check_production refuses to start without it). Elsewhere an
    empty one becomes SERVER_NAME's address, else the local development server's.
    """
    production = config.get("ENV_NAME") == "production" and not config.get("TESTING")
    base = str(config.get("BASE_URL") or "").rstrip("/")
    if not base and not production:
        if config.get("SERVER_NAME"):
            base = f"{config.get('PREFERRED_URL_SCHEME', 'http')}://{config['SERVER_NAME']}"
        else:
            base = f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"
    config["BASE_URL"] = base
    host = urlsplit(base).hostname
    if production and config.get("TRUSTED_HOSTS") is None and host:
        config["TRUSTED_HOSTS"] = [host, *LOOPBACK_HOSTS]


def check_production(config: dict) -> None:
    """Refuse to start in production with the development secret, cookies sent over HTTP, or no BASE_URL."""
    if config.get("TESTING") or config.get("ENV_NAME") != "production":
        return
    if not config.get("SECRET_KEY") or config["SECRET_KEY"] == DEV_SECRET_KEY:
        raise UnsafeProductionConfig("Set NETWORK_SECRET_KEY to a long random value in production.")
    if not (config.get("SESSION_COOKIE_SECURE") and config.get("REMEMBER_COOKIE_SECURE")):
        raise UnsafeProductionConfig("Production cookies must be HTTPS-only (SESSION_COOKIE_SECURE).")
    base = urlsplit(str(config.get("BASE_URL") or ""))
    if base.scheme not in ("http", "https") or not base.hostname:
        raise UnsafeProductionConfig(
            "Set NETWORK_BASE_URL to the site's address (e.g. https://ledernetvaerket.dk) in production: "
            "every link in a mail is built from it."
        )
