"""Upgrading a database from the previous release, with its data, to today's schema (issue #7).

The data is written with raw SQL at the previous release's schema, as that release's code left it;
after ``upgrade`` the app's own models, services and pages must read it and work with it, and one
``downgrade`` step must keep it.
"""

import datetime as dt
import secrets
import typing as t

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import bindparam, exc, select, text
from werkzeug.security import generate_password_hash

from network.cases import replies
from network.cases.models import Case
from network.db import UTCDateTime, db
from network.meetups.models import Meetup
from network.members.models import Member
from network.members.service import find_member_by_email
from network.projects.files import folder as upload_dir
from network.projects.models import ALProject
from network.rooms.models import Message
from network.search import service as search
from network.search.outbox import pending
from tests.conftest import PASSWORD, make_test_app
from tests.test_migrations import schema_differences

# The Alembic head of the last release (tag v0.1.0 = commit de51cf4). At each release, tag the commit and
# set this to its head (`network db heads`); give the raw SQL below a row in each table it added.
# See "Releases and migrations" in docs/operations.md.
PREVIOUS_RELEASE = "0008"

AT = dt.datetime(2026, 10, 1, 9, 30, tzinfo=dt.UTC)
MEETUP_START = dt.datetime(2027, 1, 14, 9, tzinfo=dt.UTC)
REPORT = b"Rapport: lektiecafeen halverede fravaeret."


# Tables keyed by their foreign keys (no id column of their own).
_NO_ID = (
    "school_education_areas",
    "member_tools",
    "member_focus_areas",
    "case_tags",
    "case_tools",
    "case_follows",
    "project_leaders",
    "room_members",
    "meetup_organisers",
)


def insert(table: str, **values: t.Any) -> int | None:
    """One row through plain SQL, as the old release would have written it; returns its id."""
    columns = ", ".join(values)
    placeholders = ", ".join(f":{name}" for name in values)
    returning = "" if table in _NO_ID else " RETURNING id"
    typed = [
        bindparam(name, type_=UTCDateTime() if isinstance(value, dt.datetime) else sa.Date())
        for name, value in values.items()
        if isinstance(value, dt.date)
    ]
    statement = text(f"INSERT INTO {table} ({columns}) VALUES ({placeholders}){returning}")  # noqa: S608
    result = db.session.execute(statement.bindparams(*typed), values)
    return result.scalar_one() if returning else None


def fill_previous_release() -> dict[str, t.Any]:
    """One row (or two) in each feature's main tables, at the previous release's schema."""
    ids: dict[str, t.Any] = {"report_file": secrets.token_hex(16)}
    school = insert(
        "schools", name="Syddansk Erhvervsskole", city="Odense", region="syddanmark", kind="model",
        is_demo=False, created_at=AT,
    )  # fmt: skip
    insert("school_education_areas", school_id=school, area="technology")
    member = {
        "password_hash": generate_password_hash(PASSWORD, method="scrypt"), "role": "member",
        "school_id": school, "title": "Uddannelsesleder", "phone": "", "bio": "Leder af EUX.",
        "open_for_sparring": True, "private_fields": "[]", "is_active_member": True, "is_demo": False,
        "created_at": AT,
    }  # fmt: skip
    anna = insert("members", email="anna@skole.test", name="Anna Andersen", session_token="a" * 32, **member)
    bo = insert("members", email="bo@skole.test", name="Bo Berg", session_token="b" * 32, **member)
    insert("member_tools", member_id=anna, tool="motivation")
    insert("member_focus_areas", member_id=anna, focus="direction")

    case = insert(
        "cases", author_id=anna, title="Fravær på grundforløbet om fredagen",
        problem="Mange elever udebliver om fredagen.", context="Tre hold.", tried="Sms hjem.",
        question="Hvordan får vi lærerne med?", al_stage="problem", visibility="named", status="open",
        learning_summary="", is_hidden=False, created_at=AT, published_at=AT, updated_at=AT,
        last_activity_at=AT,
    )  # fmt: skip
    insert("case_tags", case_id=case, tag="fravær")
    insert("case_tools", case_id=case, tool="motivation")
    insert("case_follows", case_id=case, member_id=bo, created_at=AT)
    reply = insert(
        "case_replies", case_id=case, author_id=bo, kind="question", body="Hvad siger eleverne selv?",
        created_at=AT, is_hidden=False,
    )  # fmt: skip
    insert("search_outbox", kind="case", object_id=case, created_at=AT)
    insert(
        "notifications", member_id=anna, kind="reply", title="Bo Berg svarede på din sag", body="",
        url=f"/sager/{case}", subject_type="case", subject_id=case, created_at=AT,
    )  # fmt: skip

    project = insert(
        "al_projects", title="Lektiecafé i grundforløbet", school_id=school, created_by_id=anna,
        former_leaders="", status="ongoing", problem="Eleverne laver ikke lektier.", actions="",
        experiments="", reflection="", new_actions="", results="", is_hidden=False, created_at=AT,
        updated_at=AT, period_start=dt.date(2026, 8, 1),
    )  # fmt: skip
    insert("project_leaders", project_id=project, member_id=anna)
    attachment = insert(
        "project_attachments", project_id=project, uploaded_by_id=anna, filename="rapport.txt",
        stored_name=ids["report_file"], kind="txt", size=len(REPORT), text=REPORT.decode(),
        extraction="ok", created_at=AT,
    )  # fmt: skip

    room = insert(
        "rooms", name="Fraværsrummet", description="", kind="standing", access="open", region="",
        tool="", theme="Fravær", owner_id=anna, is_demo=False, created_at=AT,
    )  # fmt: skip
    insert(
        "room_members", room_id=room, member_id=anna, is_invited=False, last_read_message_id=0, created_at=AT
    )
    for author, body in ((anna, "Godmorgen, rummet er åbent."), (bo, "Tak, jeg er her.")):
        insert(
            "room_messages", room_id=room, author_id=author, client_id=secrets.token_hex(8), body=body,
            phase="", created_at=AT,
        )  # fmt: skip

    meetup = insert(
        "meetups", uid="v1-meetup@ledernetvaerket", title="Netværksmøde i Odense", description="",
        host_school_id=school, address="Vestre Stationsvej 1", online_url="",
        starts_at=MEETUP_START, ends_at=MEETUP_START + dt.timedelta(hours=3),
        capacity=30, visibility="network", status="scheduled", sequence=0, notes="", created_by_id=anna,
        is_demo=False, created_at=AT, updated_at=AT,
    )  # fmt: skip
    insert("meetup_organisers", meetup_id=meetup, member_id=anna)
    for who in (anna, bo):
        insert(
            "meetup_rsvps", meetup_id=meetup, member_id=who, state="going", attended=False,
            created_at=AT, updated_at=AT,
        )  # fmt: skip
    db.session.commit()
    ids.update(school=school, anna=anna, bo=bo, case=case, reply=reply, project=project)
    ids.update(attachment=attachment, room=room, meetup=meetup)
    return ids


@pytest.fixture
def released_app(database_url, tmp_path):
    """An app whose database was created by the previous release's migrations and holds its data."""
    app = make_test_app(database_url, tmp_path)
    with app.app_context():
        db.drop_all()
        upgrade(revision=PREVIOUS_RELEASE)
        app.config["V1_IDS"] = fill_previous_release()
    yield app
    with app.app_context():
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()


COUNTED = ("schools", "members", "cases", "case_replies", "al_projects", "project_attachments")
COUNTED += ("rooms", "room_messages", "meetups", "meetup_rsvps", "notifications")


def row_counts() -> dict[str, int]:
    return {table: db.session.scalar(text(f"SELECT count(*) FROM {table}")) for table in COUNTED}  # noqa: S608


def assert_emails_unique_regardless_of_case() -> None:
    with pytest.raises(exc.IntegrityError), db.session.begin_nested():
        db.session.execute(text("UPDATE members SET email = 'ANNA@skole.test' WHERE email = 'bo@skole.test'"))
    db.session.rollback()


def test_upgrade_from_the_previous_release_keeps_the_data_usable(released_app):
    app, ids = released_app, released_app.config["V1_IDS"]
    with app.app_context():
        before = row_counts()
        assert before == {**dict.fromkeys(COUNTED, 1), "members": 2, "room_messages": 2, "meetup_rsvps": 2}

        db.session.close()  # PostgreSQL: an open transaction would block the migration's DDL
        upgrade()
        assert schema_differences() == []
        assert row_counts() == before
        assert_emails_unique_regardless_of_case()

        # The models read every feature's rows.
        anna = find_member_by_email("Anna@Skole.test")
        assert anna.name == "Anna Andersen" and anna.school.name == "Syddansk Erhvervsskole"
        assert list(anna.tools) == ["motivation"] and anna.failed_login_count == 0
        case = db.session.get(Case, ids["case"])
        assert case.author == anna and list(case.tags) == ["fravær"]
        assert [r.body for r in case.replies] == ["Hvad siger eleverne selv?"]
        project = db.session.get(ALProject, ids["project"])
        assert project.period_start == dt.date(2026, 8, 1)
        assert [a.filename for a in project.attachments] == ["rapport.txt"]
        room_bodies = db.session.scalars(select(Message.body).where(Message.room_id == ids["room"]))
        assert sorted(room_bodies) == ["Godmorgen, rummet er åbent.", "Tak, jeg er her."]
        meetup = db.session.get(Meetup, ids["meetup"])
        assert meetup.starts_at == MEETUP_START
        assert sorted(r.state for r in meetup.rsvps) == ["going", "going"]

        # The old outbox row is drained into a new index and found.
        search.backend().rebuild(iter(()))
        assert pending() == 1
        search.drain()
        assert pending() == 0
        hits = search.search(anna, search.SearchQuery(q="fredagen")).hits
        assert [(hit.kind, hit.object_id) for hit in hits] == [("case", ids["case"])]

        # New rows follow the old ones (PostgreSQL sequences were advanced by the old inserts).
        bo = db.session.get(Member, ids["bo"])
        new_reply = replies.add_reply(bo, case, kind="experience", body="Vi ringer hjem om torsdagen.")
        db.session.commit()
        assert new_reply.id > ids["reply"]
        upload_dir().joinpath(ids["report_file"]).write_bytes(REPORT)

    # The member signs in with the old password, and the pages show the old data.
    client = app.test_client()
    response = client.post("/log-ind", data={"email": "ANNA@skole.test", "password": PASSWORD})
    assert response.status_code == 302, response.text
    page = client.get(f"/sager/{ids['case']}")
    assert page.status_code == 200
    assert "Fravær på grundforløbet om fredagen" in page.text and "Hvad siger eleverne selv?" in page.text
    assert "Vi ringer hjem om torsdagen." in page.text
    assert "rapport.txt" in client.get(f"/projekter/{ids['project']}").text
    with client.get(f"/projekter/{ids['project']}/rapporter/{ids['attachment']}") as report:
        assert report.status_code == 200 and report.data == REPORT
    assert "Godmorgen, rummet er åbent." in client.get(f"/rum/{ids['room']}").text
    assert "Netværksmøde i Odense" in client.get(f"/netvaerksmoeder/{ids['meetup']}").text

    # One step down keeps the data (and the case-insensitive email index); then up again.
    with app.app_context():
        after = row_counts()
        db.session.close()
        downgrade(revision="-1")
        assert row_counts() == after
        assert_emails_unique_regardless_of_case()
        db.session.close()
        upgrade()
        assert schema_differences() == []
        assert row_counts() == after
        assert db.session.get(Case, ids["case"]).title == "Fravær på grundforløbet om fredagen"
