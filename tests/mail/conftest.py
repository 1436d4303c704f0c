"""Mail fixtures: a real SMTP server and an app that sends to it."""

import pytest

from network.db import db
from tests.conftest import make_test_app
from tests.mail.smtp import MailServer


@pytest.fixture
def smtp():
    """A real SMTP server, down until the test says ``up()``."""
    server = MailServer()
    yield server
    server.down()


@pytest.fixture
def smtp_app(database_url, tmp_path, smtp):
    """An app that sends over SMTP to ``smtp`` and leaves sending to a worker the test drives."""
    app = make_test_app(
        database_url,
        tmp_path,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp.port,
        MAIL_TIMEOUT_SECONDS=1,
        MAIL_WORKER="external",
    )
    yield app
    with app.app_context():
        db.session.remove()
        if database_url.startswith("postgresql"):
            db.drop_all()
        db.engine.dispose()


@pytest.fixture
def smtp_ctx(smtp_app):
    with smtp_app.app_context():
        yield smtp_app
