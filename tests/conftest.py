"""Fixtures: a fresh app and database per test, on SQLite and (when configured) PostgreSQL.

Set NETWORK_TEST_DATABASE_URL (CI does) to run every database test again on PostgreSQL.
"""

import contextvars
import os
import re
import typing as t
from pathlib import Path

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

os.environ["NETWORK_ENV"] = "test"

from network import create_app
from network.db import db
from tests.factories import Factory

POSTGRES_URL = os.environ.get("NETWORK_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]
PASSWORD = "en-lang-god-sætning"
# The answer to the question an irreversible action asks first (network/web.py, Confirmation).
CONFIRMED = {"confirmed": "1"}


def _worker_schema() -> str:
    # Own schema per test process: parallel workers and parallel checkouts never collide.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"pytest_{re.sub(r'[^a-z0-9_]', '_', worker.lower())}_{os.getpid()}"


@pytest.fixture(scope="session")
def postgres_url() -> t.Iterator[str]:
    """A PostgreSQL URL whose search_path is a schema of this test worker's own."""
    if not POSTGRES_URL:
        pytest.skip("NETWORK_TEST_DATABASE_URL is not set")
    schema = _worker_schema()
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'network.db'}"


_apps_to_dispose: list = []


@pytest.fixture(autouse=True)
def _dispose_test_apps():
    """Close every database connection the test's apps opened, so none is left to the GC."""
    yield
    while _apps_to_dispose:
        app = _apps_to_dispose.pop()
        # A mail thread the test started would poll a database that is gone (and, in CPython
        # 3.11, race the next test's route compiling in ast.parse): stop it with its app.
        mail_thread = app.extensions.get("network_mail_thread")
        if mail_thread is not None:
            mail_thread.stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def make_test_app(database_url: str, tmp_path: Path, **overrides: t.Any):
    """An app on its own folders; the schema is created from the models (tests only)."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(tmp_path / "search_index"),
        "MAIL_DIR": str(tmp_path / "mail"),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": "netvaerk.test",
        **overrides,
    }
    app = create_app(config)
    app.test_client_class = IsolatedClient
    _apps_to_dispose.append(app)
    with app.app_context():
        db.drop_all()
        # A migration test elsewhere may have left Alembic's bookkeeping behind: start clean.
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
    return app


@pytest.fixture
def app(database_url: str, tmp_path: Path):
    app = make_test_app(database_url, tmp_path)
    yield app
    with app.app_context():
        db.session.remove()
        if database_url.startswith("postgresql"):
            db.drop_all()
        db.engine.dispose()


@pytest.fixture
def ctx(app):
    """An app context, for service tests."""
    with app.app_context():
        yield app


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as on a real server.

    Without this, a request reuses the test's app context: its database session and ``g``
    (with Flask-Login's cached user), which hides missing commits and stale sign-ins.
    """

    def open(self, *args: t.Any, **kwargs: t.Any):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()  # the test's own objects now reflect what the request committed
        return response


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def factory(ctx) -> Factory:
    """Makes schools and members with sensible defaults."""
    return Factory()


class Auth:
    """Signs a test client in and out through the real sign-in page."""

    def __init__(self, client) -> None:
        self.client = client

    def login(self, member, password: str = PASSWORD):
        return self.client.post("/log-ind", data={"email": member.email, "password": password})

    def logout(self):
        return self.client.post("/log-ud")


@pytest.fixture
def auth(client) -> Auth:
    return Auth(client)


def read_mails(app) -> list:
    """Every mail the app wrote to its mail folder, oldest first."""
    from email import policy
    from email.parser import BytesParser

    folder = Path(app.config["MAIL_DIR"])
    if not folder.exists():
        return []
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]


def mail_parts(message) -> tuple[str, str]:
    """The plain-text and HTML parts of a mail (every mail has both)."""
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None, f"{message['Subject']!r} is not text and HTML"
    return plain.get_content(), html.get_content()
