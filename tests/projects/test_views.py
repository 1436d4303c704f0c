"""Project pages: who sees and edits what, uploads and downloads."""

import io

import pytest

from network.db import db
from network.projects.models import ALProject
from tests.conftest import CONFIRMED
from tests.projects.files import pdf_bytes


@pytest.fixture
def owned(factory, projects):
    leader = factory.member()
    return leader, projects.project(leader, title="Synlig ledelse", problem="Jeg vil være mere synlig.")


def test_visitors_are_sent_to_sign_in(client, owned):
    _leader, project = owned
    for url in (
        "/projekter",
        f"/projekter/{project.id}",
        "/projekter/nyt",
        f"/projekter/{project.id}/rediger",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/log-ind" in response.headers["Location"]


def test_members_see_the_list_and_the_page(client, auth, factory, owned):
    _leader, project = owned
    auth.login(factory.member())
    assert "Synlig ledelse" in client.get("/projekter").get_data(as_text=True)
    page = client.get(f"/projekter/{project.id}").get_data(as_text=True)
    assert "Jeg vil være mere synlig." in page and "Redigér" not in page


def test_another_member_may_not_edit_or_upload(client, auth, factory, owned):
    _leader, project = owned
    auth.login(factory.member())
    assert client.get(f"/projekter/{project.id}/rediger").status_code == 403
    assert client.post(f"/projekter/{project.id}/rediger", data={"title": "Kapret"}).status_code == 403
    data = {"file": (io.BytesIO(b"tekst"), "x.txt")}
    assert client.post(f"/projekter/{project.id}/rapporter", data=data).status_code == 403


def test_the_leader_and_a_coordinator_edit(client, auth, factory, owned):
    leader, project = owned
    auth.login(leader)
    response = client.post(
        f"/projekter/{project.id}/rediger", data={"title": "Synlig ledelse 2", "status": "completed"}
    )
    assert response.status_code == 302
    assert db.session.get(ALProject, project.id).title == "Synlig ledelse 2"
    auth.logout()
    auth.login(factory.coordinator())
    assert client.get(f"/projekter/{project.id}/rediger").status_code == 200


def test_a_member_creates_a_project_and_keeps_what_was_typed_on_error(client, auth, factory):
    auth.login(factory.member())
    response = client.post(
        "/projekter/nyt", data={"title": "", "problem": "Mit problem", "status": "ongoing"}
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Giv projektet en titel." in body and "Mit problem" in body
    response = client.post(
        "/projekter/nyt", data={"title": "Nyt", "problem": "Mit problem", "status": "ongoing"}
    )
    assert response.status_code == 302


def test_upload_and_download_as_attachment(client, auth, factory, owned):
    leader, project = owned
    auth.login(leader)
    data = {"file": (io.BytesIO(pdf_bytes("Rapport om synlighed")), "Slutrapport 2016.pdf")}
    response = client.post(f"/projekter/{project.id}/rapporter", data=data, follow_redirects=True)
    assert "Filen er gemt" in response.get_data(as_text=True)
    attachment = db.session.get(ALProject, project.id).attachments[0]
    auth.logout()
    auth.login(factory.member())
    download = client.get(f"/projekter/{project.id}/rapporter/{attachment.id}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.data.startswith(b"%PDF")
    download.close()
    auth.logout()
    assert client.get(f"/projekter/{project.id}/rapporter/{attachment.id}").status_code == 302


def test_a_bad_upload_gets_a_clear_message(client, auth, owned):
    leader, project = owned
    auth.login(leader)
    data = {"file": (io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00"), "billede.pdf")}
    response = client.post(f"/projekter/{project.id}/rapporter", data=data, follow_redirects=True)
    assert "vi tager imod PDF, Word (DOCX), tekst og Markdown" in response.get_data(as_text=True)


def test_hidden_projects_are_404_for_members_and_shown_with_a_notice_to_their_leaders(
    client, auth, factory, owned
):
    leader, project = owned
    project = db.session.get(ALProject, project.id)
    project.is_hidden = True
    db.session.commit()
    auth.login(factory.member())
    assert client.get(f"/projekter/{project.id}").status_code == 404
    auth.logout()
    auth.login(leader)
    page = client.get(f"/projekter/{project.id}")
    assert page.status_code == 200
    assert "Projektet er skjult af en koordinator" in page.get_data(as_text=True)


def test_only_coordinators_hide_a_project_and_it_leaves_search(client, auth, factory, owned):
    leader, project = owned
    auth.login(leader)
    assert client.post(f"/projekter/{project.id}/skjul", data={"hidden": "1"}).status_code == 403
    assert "Synlig ledelse" in client.get("/soeg?q=synlig").get_data(as_text=True)
    auth.logout()
    auth.login(factory.coordinator())
    assert client.post(f"/projekter/{project.id}/skjul", data={"hidden": "1"}).status_code == 303
    assert db.session.get(ALProject, project.id).is_hidden
    auth.logout()
    auth.login(leader)
    assert "Synlig ledelse" not in client.get("/soeg?q=synlig").get_data(as_text=True)


def test_only_editors_remove_reports(client, auth, factory, owned):
    leader, project = owned
    auth.login(leader)
    data = {"file": (io.BytesIO(b"Noter fra teammodet"), "noter.txt")}
    client.post(f"/projekter/{project.id}/rapporter", data=data)
    attachment = db.session.get(ALProject, project.id).attachments[0]
    auth.logout()
    auth.login(factory.member())
    assert (
        client.post(f"/projekter/{project.id}/rapporter/{attachment.id}/slet", data=CONFIRMED).status_code
        == 403
    )
    auth.logout()
    auth.login(leader)
    assert (
        client.post(f"/projekter/{project.id}/rapporter/{attachment.id}/slet", data=CONFIRMED).status_code
        == 303
    )
    assert db.session.get(ALProject, project.id).attachments == []


def test_a_named_leader_is_told_and_can_remove_themself(client, auth, factory, projects):
    from network.notifications.models import Notification

    author, named = factory.member(), factory.member("Lene Navngiven")
    project = projects.project(author, leader_ids=[author.id, named.id])
    told = db.session.scalars(db.select(Notification).where(Notification.member_id == named.id)).all()
    assert [n.kind for n in told] == ["project_leader"] and author.name in told[0].title
    assert not db.session.scalars(db.select(Notification).where(Notification.member_id == author.id)).all()
    auth.login(named)
    assert "Fjern mig som leder" in client.get(told[0].url).get_data(as_text=True)
    client.post(f"/projekter/{project.id}/fjern-mig")
    db.session.expire_all()
    assert [leader.id for leader in project.leaders] == [author.id]
    assert client.post(f"/projekter/{project.id}/fjern-mig").status_code == 403


def test_a_project_period_reads_as_months_in_the_readers_language(client, auth, factory, projects):
    import datetime as dt

    leader = factory.member()
    project = projects.project(leader, period_start=dt.date(2014, 8, 1), period_end=dt.date(2015, 6, 30))
    auth.login(leader)
    page = client.get(f"/projekter/{project.id}").get_data(as_text=True)
    assert "aug. 2014 – jun. 2015" in page and "2014-08-01" not in page
    client.post("/sprog", data={"lang": "en"})
    assert "Aug 2014 – Jun 2015" in client.get(f"/projekter/{project.id}").get_data(as_text=True)
