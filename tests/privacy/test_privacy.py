"""Mine data and account deletion: after deletion no personal data is left anywhere."""

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import String, Text, select

from network.auth import service as auth_service
from network.db import db
from network.meetups import service as meetups
from network.members import service as members
from network.notifications import service as notifications
from network.privacy import service
from network.projects.attachments import add_attachment
from network.rooms import service as rooms
from tests.conftest import mail_parts, read_mails
from tests.meetups.conftest import local
from tests.members.test_service import png_bytes
from tests.rooms.conftest import make_room

PASSWORD = "en-lang-god-sætning"


@pytest.fixture
def person(factory, cases, app, make_meetup, projects):
    """A member with a profile, an avatar, tokens, cases, replies, mails and notifications."""
    school = factory.school("Privatskolen")
    member = factory.member(
        "Zelma Quistgaard",
        email="zelma.q@privat.test",
        school=school,
        phone="+45 99 88 77 66",
        bio="Bio-markør-7731",
    )
    members.set_avatar(member, io.BytesIO(png_bytes()))
    auth_service.create_api_token(member, "Mit regneark")
    named = cases.case(member, title="Navngiven sag fra Zelma")
    cases.case(member, title="Anonym sag fra Zelma", visibility="anonymous")
    cases.case(member, title="Kladde fra Zelma", publish=False)
    other = factory.member("Ole Anden")
    cases.reply(member, cases.case(other, title="Oles sag"), body="Zelmas spørgsmål til Ole")
    cases.reply(other, named, body="Oles svar til Zelma")
    future = local(2027, 3, 1, 10)
    own_meetup = make_meetup(member, title="Zelmas netværksmøde", capacity=1, starts_at=future)
    meetups.respond(other, own_meetup.id, "going")
    full = make_meetup(other, title="Oles fulde møde", capacity=1, starts_at=future)
    meetups.respond(member, full.id, "going")
    waiting = factory.member("Vera Venteliste")
    meetups.respond(waiting, full.id, "going")  # on the waitlist behind Zelma
    solo = projects.project(member, title="Zelmas AL-projekt om fravær", problem="Fravær på grundforløbet")
    add_attachment(
        member,
        solo,
        "zelma-quistgaard-rapport.txt",
        "Rapport af Zelma Quistgaard om fravær og fastholdelse.".encode(),
    )
    shared = projects.project(other, title="Fælles AL-projekt", problem="Feedback i teamet")
    shared.leaders = [other, member]
    db.session.commit()
    room = make_room(factory.coordinator(), name="Sparring Syd")
    rooms.post_message(member, room, "Zelmas rumbesked om fravær", rooms.new_client_id())
    rooms.post_message(other, room, "Hej @Zelma, godt spørgsmål", rooms.new_client_id())
    # A mail to Ole that names Zelma: "Zelma Quistgaard nævnte dig i Sparring Syd".
    rooms.post_message(member, room, "Godt set, @Ole Anden", rooms.new_client_id())
    notifications.notify(member, "test", "Besked til Zelma")  # also writes a mail file
    auth_service.request_password_reset(member.email)
    db.session.commit()
    return member


def personal_strings(member) -> list[str]:
    return [member.name, member.email, "Quistgaard", "+45 99 88 77 66", "Bio-markør-7731"]


def text_in_database() -> str:
    """Every text value in every table, as one string to search."""
    chunks = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (String, Text, db.JSON))]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)).all():
            chunks.extend(str(value) for value in row if value is not None)
    return "\n".join(chunks)


def text_in_index(app) -> str:
    """Every stored field of every document in the index files, deleted-but-not-merged ones too."""
    from whoosh import index

    from network.search import service as search

    search.forget_deleted()
    with index.open_dir(str(search.backend()._target())).reader() as reader:
        return "\n".join(str(value) for fields in reader.all_stored_fields() for value in fields.values())


def text_in_files(app) -> str:
    """Every uploaded file's bytes, and every mail file decoded (its parts may be quoted-printable)."""
    chunks = []
    for folder in (app.config["UPLOAD_DIR"], app.config["MAIL_DIR"]):
        for path in Path(folder).rglob("*"):
            if path.is_file():
                chunks.append(path.read_bytes().decode("utf-8", "ignore"))
    for mail in read_mails(app):
        chunks += [str(mail["Subject"]), str(mail["To"]), *mail_parts(mail)]
    return "\n".join(chunks)


def test_export_holds_profile_content_and_files(person):
    archive = zipfile.ZipFile(io.BytesIO(service.export_member(person)))
    data = json.loads(archive.read("data.json"))
    assert data["profile"]["email"] == "zelma.q@privat.test" and data["profile"]["phone"] == "+45 99 88 77 66"
    titles = {c["title"] for c in data["cases"]["cases"]}
    assert {"Navngiven sag fra Zelma", "Anonym sag fra Zelma", "Kladde fra Zelma"} <= titles
    assert [r["body"] for r in data["cases"]["replies"]] == ["Zelmas spørgsmål til Ole"]
    assert "files/profile/avatar.png" in archive.namelist()
    assert data["api_tokens"][0]["name"] == "Mit regneark"
    assert "token_hash" not in archive.read("data.json").decode()


@pytest.mark.parametrize("mode", ["remove", "anonymise"])
def test_deleting_an_account_leaves_no_personal_data(person, app, factory, mode):
    strings = personal_strings(person)
    assert any(s in text_in_database() for s in strings)  # the check can fail
    assert person.email in text_in_files(app)
    assert person.name in text_in_index(app)  # a named case and the projects carry the name
    service.delete_account(person, password=PASSWORD, mode=mode)
    db.session.commit()
    everything = text_in_database() + text_in_files(app) + text_in_index(app)
    for value in strings:
        assert value not in everything, value
    # Ole's mail that named her is kept, with her name replaced in the subject and both parts.
    to_ole = [m for m in read_mails(app) if "nævnte dig i Sparring Syd" in str(m["Subject"])]
    assert [str(m["Subject"]) for m in to_ole] == ["Tidligere medlem nævnte dig i Sparring Syd"]
    assert all("Tidligere medlem nævnte dig" in part for part in mail_parts(to_ole[0]))
    titles = text_in_database()
    assert "Oles svar til Zelma" not in titles if mode == "remove" else "Navngiven sag fra Zelma" in titles
    assert "Kladde fra Zelma" not in titles  # drafts always go
    assert ("Zelmas spørgsmål til Ole" in titles) == (mode == "anonymise")
    assert "Zelmas netværksmøde" in titles  # meetups stay for those who signed up
    assert ("Zelmas rumbesked om fravær" in titles) == (mode == "anonymise")
    assert ("Zelmas AL-projekt om fravær" in titles) == (mode == "anonymise")
    assert "Fælles AL-projekt" in titles  # shared work stays, without her
    full = next(m for m in meetups.upcoming(factory.coordinator()) if m.title == "Oles fulde møde")
    assert [r.member.name for r in meetups.attendees(full)] == ["Vera Venteliste"]  # promoted


def test_anonymised_content_shows_former_member(person, client, auth, factory):
    service.delete_account(person, password=PASSWORD, mode="anonymise")
    db.session.commit()
    auth.login(factory.member())
    page = client.get("/sager").get_data(as_text=True)
    assert "Navngiven sag fra Zelma" in page and "Zelma Quistgaard" not in page


def test_deleting_needs_the_password_and_keeps_the_last_admin(factory):
    member = factory.member()
    with pytest.raises(service.WrongPassword):
        service.delete_account(member, password="forkert", mode="remove")
    admin = factory.admin()
    with pytest.raises(service.DomainError):
        service.delete_account(admin, password=PASSWORD, mode="remove")


def test_my_data_pages(client, auth, factory, person):
    assert client.get("/mine-data").status_code == 302
    assert client.post("/mine-data/download").status_code == 302
    assert client.get("/privatliv").status_code == 200  # public
    auth.login(person)
    response = client.post("/mine-data/download")
    assert response.mimetype == "application/zip"
    assert "zelma.q@privat.test" in zipfile.ZipFile(io.BytesIO(response.data)).read("data.json").decode()
    wrong = client.post("/mine-data/slet", data={"mode": "remove", "password": "forkert", "confirm": "y"})
    assert wrong.status_code == 422 and "Adgangskoden er forkert." in wrong.get_data(as_text=True)
    unconfirmed = client.post("/mine-data/slet", data={"mode": "remove", "password": PASSWORD})
    assert unconfirmed.status_code == 422
    done = client.post("/mine-data/slet", data={"mode": "remove", "password": PASSWORD, "confirm": "y"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/log-ind")
    assert client.get("/").status_code == 302  # signed out
    assert members.find_member_by_email("zelma.q@privat.test") is None


def test_deletion_is_logged_without_the_person(person, factory):
    admin = factory.admin()
    members.change_role(admin, person, "coordinator")
    db.session.commit()
    name = person.name
    service.delete_account(person, password=PASSWORD, mode="remove")
    db.session.commit()
    from network.audit import service as audit

    entries = audit.entries(admin).items
    assert entries[0].action == "member.deleted"
    assert all(name not in (e.detail + e.actor_name) for e in entries)


def test_old_room_messages_are_purged_when_retention_is_set(app, factory, runner):
    room = make_room(factory.coordinator())
    author = factory.member()
    with time_machine.travel(dt.datetime(2026, 1, 5, tzinfo=dt.UTC)):
        rooms.post_message(author, room, "Gammel besked", rooms.new_client_id())
    rooms.post_message(author, room, "Ny besked", rooms.new_client_id())
    db.session.commit()
    assert "gemmes uden tidsgrænse" in runner.invoke(args=["purge-old-data"]).output
    app.config["ROOM_MESSAGE_RETENTION_DAYS"] = 90
    assert "1 slettet" in runner.invoke(args=["purge-old-data"]).output
    assert [m.body for m in rooms.all_messages(room)] == ["Ny besked"]


def test_old_mail_files_are_purged(app, factory, runner):
    import os
    import time

    factory.member()
    from network.mail import send_mail

    with app.test_request_context():
        send_mail(
            "x@skole.test",
            "Gammel",
            "notification",
            member=factory.member(),
            notification=type("N", (), {"title": "t", "body": ""})(),
            link="",
        )
        db.session.commit()  # the mail leaves through the outbox once its transaction commits
    folder = Path(app.config["MAIL_DIR"])
    old = next(folder.glob("*.eml"))
    past = time.time() - 40 * 86400
    os.utime(old, (past, past))
    result = runner.invoke(args=["purge-old-data"])
    assert "1 slettet" in result.output and not old.exists()


def test_the_scrub_never_touches_other_members_or_short_names(factory, cases):
    bo = factory.member("Bo", email="bo@skole.test")
    neighbour = factory.member("Bolette Bo Hansen", email="xbo@skole.test")
    case = cases.case(neighbour, title="Bordet fanger", problem="Bo og Bolette taler om bordet.")
    service.delete_account(bo, password=PASSWORD, mode="anonymise")
    db.session.commit()
    assert members.find_member_by_email("xbo@skole.test").name == "Bolette Bo Hansen"
    assert db.session.get(type(case), case.id).problem == "Bo og Bolette taler om bordet."
