"""Case-insensitive uniqueness folds every letter, not only ASCII, on SQLite as on PostgreSQL.

SQLite's built-in lower() leaves "Ø" as it is, so an existing school gave a 500, "ørsted skole"
beside "Ørsted Skole" made a duplicate, and `create-member --school` crashed (issue 14, finding 12).
"""

import pytest
from sqlalchemy import exc, func, select

from network.db import db
from network.members import service
from network.members.models import School

SCHOOL = {"city": "Aarhus", "region": "midtjylland", "kind": "other"}


@pytest.mark.parametrize("name", ["Ørsted Skole", "ørsted skole", "  ØRSTED SKOLE "])
def test_adding_an_existing_school_in_any_case_is_a_form_error(client, auth, factory, name):
    factory.school("Ørsted Skole")
    auth.login(factory.coordinator())
    response = client.post("/skoler/ny", data={"name": name, **SCHOOL})
    assert response.status_code == 422
    assert "Der findes allerede en skole med det navn." in response.text
    assert (
        db.session.scalar(select(func.count()).select_from(School).where(School.name.ilike("%rsted%"))) == 1
    )


def test_the_database_refuses_a_school_that_differs_only_in_case(ctx, factory):
    factory.school("Æblehavens Skole")
    db.session.add(School(name="æblehavens skole", region="midtjylland"))
    with pytest.raises(exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_an_email_is_one_account_whatever_the_case_of_its_letters(ctx, factory):
    school = factory.school()
    member = service.create_member(
        email="Øjvind@skole.test",
        name="Øjvind Ås",
        school_id=school.id,
        role="member",
        password="kaffe og kridt på tavlen",
    )
    db.session.commit()
    assert service.find_member_by_email("øJVIND@skole.test").id == member.id
    with pytest.raises(service.EmailTaken):
        service.create_member(
            email="øjvind@skole.test",
            name="Ø",
            school_id=school.id,
            role="member",
            password="kaffe og kridt på tavlen",
        )


def test_create_member_reuses_an_existing_school_named_in_another_case(runner, factory, app):
    with app.app_context():
        factory.school("Ørsted Skole")
    result = runner.invoke(
        args=[
            "create-member",
            *("--email", "leder@oersted.test", "--name", "Lea Leder", "--school", "ØRSTED SKOLE"),
            *("--password", "kaffe og kridt på tavlen"),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Ny skole oprettet" not in result.output
    with app.app_context():
        schools = db.session.scalars(select(School)).all()
        assert [s.name for s in schools] == ["Ørsted Skole"]
        assert schools[0].members[0].email == "leder@oersted.test"
