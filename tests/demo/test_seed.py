"""Loading the demo network: complete, built through the services, dated in the past, safe to load again."""

import re

import pytest
from sqlalchemy import func, select

from network.cases.models import Case, Reply
from network.db import db
from network.demo import COORDINATOR_EMAIL, DEMO_PASSWORD, MEMBER_EMAIL, seed
from network.demo.data import DemoDataError, build
from network.demo.people import MemberSpec
from network.domain import EDUCATION_AREAS, FOCUS_AREAS, REGIONS, TOOLS
from network.meetups.models import Meetup
from network.members import service
from network.members.models import Member, School
from network.notifications.models import Notification
from network.projects.models import ALProject
from network.rooms.models import Message, Room
from network.search import outbox
from network.search import service as search
from tests.demo.conftest import member

MODELS = (School, Member, Case, Reply, ALProject, Meetup, Room, Message)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _counts() -> dict[str, int]:
    return {model.__name__: _count(model) for model in MODELS}


def test_an_empty_database_gets_the_whole_network(demo_app, demo):
    _, summary = demo_app
    schools = list(db.session.scalars(select(School)))
    members = list(db.session.scalars(select(Member)))

    assert summary == (
        "Demodata: 23 skoler (23 nye), 90 medlemmer (90 nye), 39 sager (39 nye), "
        "24 AL-projekter (24 nye), 5 netværksmøder (5 nye), 4 rum (4 nye)."
    )
    assert {s.region for s in schools} == set(REGIONS)
    assert all(s.is_demo and s.city and 1 <= len(s.education_areas) <= 4 for s in schools)
    assert all(m.is_demo and m.school is not None for m in members)


def test_demo_members_have_plausible_profiles(demo):
    members = list(db.session.scalars(select(Member)))

    emails = [m.email.lower() for m in members]
    assert len(set(emails)) == len(emails)
    assert all(re.fullmatch(r"[a-z0-9.\-]+@([a-z0-9\-]+\.)?demo\.ledernetvaerket\.dk", e) for e in emails)
    assert len({m.name for m in members}) == len(members)
    for m in members:
        assert m.title and m.bio
        assert 1 <= len(m.tools) <= 3 and set(m.tools) <= set(TOOLS)
        assert 1 <= len(m.focus_areas) <= 4 and set(m.focus_areas) <= set(FOCUS_AREAS)
        assert 1 <= len(m.education_areas) <= 2
        assert set(m.education_areas) <= set(m.school.education_areas) <= set(EDUCATION_AREAS)
        assert m.created_at < m.last_active_at
    assert sum(m.open_for_sparring for m in members) > len(members) * 0.7
    assert any(m.private_fields for m in members)
    # Nobody gets a mail per event: seeding tells members about replies, and mails nobody.
    assert "event" not in {m.email_frequency for m in members}
    # Members without a password cannot sign in: only the two demo logins can.
    assert {m.email for m in members if m.password_hash} == {COORDINATOR_EMAIL, MEMBER_EMAIL}


def test_the_demo_logins_sign_in_with_the_demo_password(demo_app, demo):
    app, _ = demo_app
    coordinator, leader = member(COORDINATOR_EMAIL), member(MEMBER_EMAIL)
    assert (coordinator.role, leader.role) == ("coordinator", "member")
    for login in (coordinator, leader):
        assert login.title and login.bio and login.phone and login.tools and login.focus_areas
        assert not service.check_password(login, "forkert-adgangskode")
        client = app.test_client()
        response = client.post("/log-ind", data={"email": login.email.upper(), "password": DEMO_PASSWORD})
        assert response.status_code == 302
        assert login.name in client.get("/").get_data(as_text=True)


def test_everything_happened_in_the_past_and_in_order(demo):
    now = db.session.scalar(select(func.max(Member.last_active_at)))
    cases = list(db.session.scalars(select(Case).where(Case.status != "draft")))

    for case in cases:
        assert case.author.created_at < case.published_at <= case.last_activity_at <= now
        for reply in case.replies:
            assert case.published_at < reply.created_at and reply.author.created_at < reply.created_at
        if case.closed_at:
            assert max(r.created_at for r in case.replies) < case.closed_at <= now
    published = sorted(case.published_at for case in cases)
    assert (now - published[0]).days > 120 and (now - published[-1]).days < 10
    for project in db.session.scalars(select(ALProject)):
        assert project.created_by.created_at < project.created_at <= now
    messages = list(db.session.scalars(select(Message)))
    assert all(m.author.created_at < m.created_at <= now for m in messages)


def test_it_was_built_through_the_services(demo):
    """What the services do besides writing rows happened: followers told, everything indexed."""
    leader = member(MEMBER_EMAIL)
    told = list(db.session.scalars(select(Notification).where(Notification.member_id == leader.id)))
    kinds = {n.kind for n in told}

    # Replies on their own cases, and new cases under the theme tag they follow ("grundforløb").
    assert {"case.reply", "case.new"} <= kinds
    # The services wrote every change to the search outbox; what the commit could not index in
    # time (a busy machine) waits there for the index worker, as in production.
    search.drain(timeout=60)
    assert outbox.pending() == 0
    found = search.search(leader, search.SearchQuery(q="fredagsfravær"))
    assert [hit.title for hit in found.hits if hit.kind == "case"] == ["Fredagsfravær på grundforløbet"]
    reports = [a for p in db.session.scalars(select(ALProject)) for a in p.attachments]
    assert {a.kind for a in reports} == {"pdf", "docx", "md"}
    assert all(a.extraction == "ok" and "Problemstilling" in a.text for a in reports)
    found = search.search(leader, search.SearchQuery(q="Sådan fulgte vi projektet", kind="project"))
    assert found.total == len({a.project_id for a in reports})


def test_loading_again_adds_nothing(demo):
    before = _counts()

    summary = seed()

    assert _counts() == before
    assert summary.count("(0 nye)") == 6


def test_loading_again_keeps_what_users_changed_and_adds_back_only_what_is_missing(app):
    with app.app_context():
        seed()
        counts = _counts()
        leader = service.find_member_by_email(MEMBER_EMAIL)
        service.update_profile(leader, leader, service.ProfileChanges(title="Direktør", tools=["language"]))
        gone = db.session.scalars(select(Member).order_by(Member.id.desc())).first()
        gone_email = gone.email
        db.session.delete(gone)
        db.session.commit()

        summary = seed()

        leader = service.find_member_by_email(MEMBER_EMAIL)
        assert (leader.title, list(leader.tools)) == ("Direktør", ["language"])
        assert "90 medlemmer (1 ny)" in summary and summary.count("(0 nye)") == 5
        assert service.find_member_by_email(gone_email) is not None
        assert _counts() == counts


def test_only_if_empty_does_nothing_on_a_database_with_members(ctx):
    school = School(name="Rigtig Skole", city="Odense", region="syddanmark", kind="other")
    db.session.add(school)
    db.session.add(Member(email="a@example.dk", name="Anna Berg", school=school))
    db.session.commit()

    summary = seed(only_if_empty=True)

    assert (_count(School), _count(Member)) == (1, 1)
    assert "ikke" in summary


def test_a_mistake_in_a_data_file_names_the_file_and_the_entry():
    with pytest.raises(DemoDataError, match=r"data/members.toml, member 3: unknown key titel"):
        build(MemberSpec, {"titel": "Leder"}, "data/members.toml, member 3")
    with pytest.raises(DemoDataError, match="member 3: .*missing"):
        build(MemberSpec, {"name": "Anna"}, "data/members.toml, member 3")
