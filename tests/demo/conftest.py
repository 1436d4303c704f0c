"""One demo network per database backend, loaded once and shared by the demo tests that only read it.

Loading takes a while (every case, meetup and session is played through the services), so tests
that change the network make their own with the ``app`` fixture instead.
"""

import pytest
from sqlalchemy import select

from network.db import db
from network.demo import seed
from network.members.models import Member
from tests.conftest import BACKENDS, make_test_app


@pytest.fixture(scope="package", params=BACKENDS)
def demo_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """An app with the demo network loaded into an empty database (as ``make run`` does it)."""
    tmp = tmp_path_factory.mktemp("demo")
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp / 'network.db'}"
    # Reading a PDF or DOCX report runs a child Python that imports the whole `network` package
    # (seconds; tens of seconds on a busy machine): a generous limit, so the demo's own reports
    # are read even then. The time limit itself is tested in tests/projects/test_attachments.py.
    app = make_test_app(url, tmp, EXTRACTION_TIMEOUT_SECONDS=120)
    with app.app_context():
        summary = seed(only_if_empty=True)
    yield app, summary
    with app.app_context():
        db.session.remove()
        if url.startswith("postgresql"):
            db.drop_all()
        db.engine.dispose()


@pytest.fixture
def demo(demo_app):
    """An app context on the shared demo network."""
    app, _ = demo_app
    with app.app_context():
        yield app
        db.session.rollback()


def member(email: str) -> Member:
    """A demo member by email."""
    return db.session.scalars(select(Member).where(Member.email == email)).one()
