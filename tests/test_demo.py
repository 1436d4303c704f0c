"""The demo network: complete, consistent and safe to load again."""

import re

from sqlalchemy import func, select

from network.db import db
from network.demo import COORDINATOR_EMAIL, DEMO_PASSWORD, MEMBER_EMAIL, SCHOOLS, seed
from network.domain import EDUCATION_AREAS, FOCUS_AREAS, REGIONS, TOOLS
from network.members import service
from network.members.models import Member, School


def _count(model) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_creates_the_programme_schools_and_members(app):
    with app.app_context():
        summary = seed()
        schools = list(db.session.scalars(select(School)))
        members = list(db.session.scalars(select(Member)))

        assert summary.startswith("Demodata:")
        assert len(schools) == 23
        kinds = [s.kind for s in schools]
        assert (kinds.count("model"), kinds.count("implementation")) == (10, 13)
        assert {s.region for s in schools} == set(REGIONS)
        assert all(s.is_demo and s.city and 1 <= len(s.education_areas) <= 4 for s in schools)
        assert len(members) >= 85
        assert all(m.is_demo and m.school is not None for m in members)
        assert all(s.members for s in schools)


def test_demo_members_have_plausible_profiles(app):
    with app.app_context():
        seed()
        members = list(db.session.scalars(select(Member)))

        emails = [m.email.lower() for m in members]
        assert len(set(emails)) == len(emails)
        assert all(re.fullmatch(r"[a-z0-9.\-]+@[a-z0-9.\-]+", e) for e in emails)
        assert len({m.name for m in members}) == len(members)
        for m in members:
            assert m.title and m.bio
            assert 1 <= len(m.tools) <= 3 and set(m.tools) <= set(TOOLS)
            assert 1 <= len(m.focus_areas) <= 4 and set(m.focus_areas) <= set(FOCUS_AREAS)
            assert 1 <= len(m.education_areas) <= 2
            assert set(m.education_areas) <= set(EDUCATION_AREAS)
            assert m.last_active_at is not None
        assert sum(m.open_for_sparring for m in members) > len(members) * 0.7
        assert any(m.private_fields for m in members)
        assert len({m.title for m in members}) >= 5
        # Members without a password cannot sign in: only the two demo logins can.
        assert {m.email for m in members if m.password_hash} == {COORDINATOR_EMAIL, MEMBER_EMAIL}


def test_seeding_twice_creates_nothing_new(app):
    with app.app_context():
        seed()
        schools, members = _count(School), _count(Member)

        summary = seed()

        assert (_count(School), _count(Member)) == (schools, members)
        assert "(0 nye)" in summary


def test_seeding_again_keeps_what_users_changed(app):
    with app.app_context():
        seed()
        member = service.find_member_by_email(MEMBER_EMAIL)
        member.title = "Direktør"
        member.tools = ["language"]
        db.session.commit()

        seed()

        member = service.find_member_by_email(MEMBER_EMAIL)
        assert member.title == "Direktør"
        assert list(member.tools) == ["language"]


def test_seeding_recreates_only_what_is_missing(app):
    with app.app_context():
        seed()
        members = _count(Member)
        db.session.delete(service.find_member_by_email(COORDINATOR_EMAIL))
        db.session.commit()

        summary = seed()

        assert _count(Member) == members
        assert "(1 ny)" in summary
        assert service.find_member_by_email(COORDINATOR_EMAIL) is not None


def test_demo_logins_exist_with_the_demo_password(app):
    with app.app_context():
        seed()
        coordinator = service.find_member_by_email(COORDINATOR_EMAIL.upper())
        leader = service.find_member_by_email(MEMBER_EMAIL)

        assert coordinator.role == "coordinator"
        assert leader.role == "member"
        for member in (coordinator, leader):
            assert member.school.is_demo
            assert member.title and member.bio and member.phone
            assert member.tools and member.focus_areas and member.education_areas
            assert service.check_password(member, DEMO_PASSWORD)
            assert not service.check_password(member, "forkert-adgangskode")


def test_only_if_empty_does_nothing_on_a_database_with_members(app):
    with app.app_context():
        school = School(name="Rigtig Skole", city="Odense", region="syddanmark", kind="other")
        db.session.add(school)
        db.session.add(Member(email="a@example.dk", name="Anna Berg", school=school))
        db.session.commit()

        summary = seed(only_if_empty=True)

        assert _count(School) == 1
        assert _count(Member) == 1
        assert "ikke" in summary


def test_only_if_empty_seeds_an_empty_database(app):
    with app.app_context():
        seed(only_if_empty=True)

        assert _count(School) == len(SCHOOLS)
        assert service.find_member_by_email(COORDINATOR_EMAIL) is not None
