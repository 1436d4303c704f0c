"""Helpers for AL project tests: a project in one line."""

import pytest

from network.db import db
from network.projects import service


class ProjectFactory:
    def project(self, author, title: str = "Motivation på grundforløbet", **fields):
        draft = service.ProjectDraft(title=title, school_id=author.school_id, **fields)
        project = service.create_project(author, draft)
        db.session.commit()
        return project


@pytest.fixture
def projects(factory) -> ProjectFactory:  # factory gives the app context
    return ProjectFactory()
