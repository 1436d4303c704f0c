"""AL projects: who may write them, the rules of a project, the list filters, links to cases."""

import datetime as dt

import pytest

from network.cases.models import Case
from network.db import db
from network.errors import NotAllowed
from network.projects import service


def test_a_member_creates_a_project_and_leads_it(factory, projects):
    author = factory.member()
    project = projects.project(author, problem="Lærerne mangler motivation.", tools=["motivation"])
    assert project.leaders == [author]
    assert project.tools == ["motivation"]
    assert service.can_edit(author, project)


def test_only_leaders_creator_and_coordinators_may_edit(factory, projects):
    author, leader, other = factory.member(), factory.member(), factory.member()
    coordinator = factory.coordinator()
    project = projects.project(author, leader_ids=[author.id, leader.id])
    assert service.can_edit(leader, project)
    assert service.can_edit(coordinator, project)
    assert not service.can_edit(other, project)
    with pytest.raises(NotAllowed):
        service.update_project(other, project, service.ProjectDraft(title="Kapret"))


def test_a_project_needs_a_title_and_a_sane_period(factory):
    author = factory.member()
    with pytest.raises(service.InvalidProject) as error:
        service.create_project(author, service.ProjectDraft(title="  "))
    assert error.value.field == "title"
    with pytest.raises(service.InvalidProject) as error:
        service.create_project(
            author,
            service.ProjectDraft(
                title="Baglæns", period_start=dt.date(2016, 5, 1), period_end=dt.date(2015, 1, 1)
            ),
        )
    assert error.value.field == "period_end"


def test_the_list_filters_by_school_tool_focus_year_and_status(factory, projects):
    a, b = factory.member(), factory.member()
    first = projects.project(a, title="Et", tools=["motivation"], period_start=dt.date(2014, 8, 1))
    projects.project(
        b, title="To", focus_areas=["visible"], status="completed", period_start=dt.date(2015, 8, 1)
    )
    titles = lambda **f: [p.title for p in service.list_projects(a, service.ProjectFilters(**f)).items]  # noqa: E731
    assert titles(school_id=a.school_id) == ["Et"]
    assert titles(tool="motivation") == ["Et"]
    assert titles(focus="visible") == ["To"]
    assert titles(year=2014) == ["Et"]
    assert titles(status="completed") == ["To"]
    assert first.id


def test_hidden_projects_are_listed_only_for_coordinators_and_their_own_leaders(factory, projects):
    author, coordinator, other = factory.member(), factory.coordinator(), factory.member()
    project = projects.project(author)
    service.set_hidden(coordinator, project, True)
    db.session.commit()
    assert service.list_projects(other, service.ProjectFilters()).total == 0
    assert service.list_projects(author, service.ProjectFilters()).total == 1
    assert service.list_projects(coordinator, service.ProjectFilters()).total == 1


def test_only_published_visible_cases_can_be_linked(factory, projects):
    author = factory.member()
    published = Case(title="Åben sag", status="open", author_id=author.id)
    draft = Case(title="Kladde", status="draft", author_id=author.id)
    db.session.add_all([published, draft])
    db.session.commit()
    project = projects.project(author, case_ids=[published.id])
    assert [c.title for c in service.linked_cases(project)] == ["Åben sag"]
    with pytest.raises(service.InvalidProject):
        service.update_project(author, project, service.ProjectDraft(title="X", case_ids=[draft.id]))
