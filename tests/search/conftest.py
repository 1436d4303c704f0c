"""Search tests run on every backend: Whoosh always, PostgreSQL full-text when the database is PostgreSQL."""

import pytest

from network.db import db
from network.projects import service
from tests.conftest import make_test_app


class ProjectFactory:
    def project(self, author, title: str = "Motivation på grundforløbet", **fields):
        draft = service.ProjectDraft(title=title, school_id=author.school_id, **fields)
        project = service.create_project(author, draft)
        db.session.commit()
        return project


@pytest.fixture
def projects(factory) -> ProjectFactory:  # factory gives the app context
    return ProjectFactory()


@pytest.fixture(params=["whoosh", "postgres"])
def search_backend(request: pytest.FixtureRequest, database_url: str) -> str:
    if request.param == "postgres" and not database_url.startswith("postgresql"):
        pytest.skip("the PostgreSQL search backend needs NETWORK_TEST_DATABASE_URL")
    return request.param


@pytest.fixture
def app(database_url: str, tmp_path, search_backend: str):
    app = make_test_app(database_url, tmp_path, SEARCH_BACKEND=search_backend)
    yield app
    with app.app_context():
        db.session.remove()
        if database_url.startswith("postgresql"):
            db.drop_all()
        db.engine.dispose()


@pytest.fixture
def whoosh_only(search_backend: str) -> None:
    if search_backend != "whoosh":
        pytest.skip("about the Whoosh index folder")
