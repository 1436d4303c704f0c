"""The case pages: every route, who may use it, and what a user sees."""

import datetime as dt
import re

import pytest
import time_machine
from sqlalchemy import select

from network.audit.models import AuditEntry
from network.cases.models import Case, Flag, Reply
from network.db import db

FORM = {
    "title": "Fravær på grundforløbet",
    "problem": "Mange elever udebliver om fredagen.",
    "context": "Tre hold, fire lærere.",
    "tried": "Sms til forældre.",
    "question": "Hvordan får vi lærerne med på en fælles indsats?",
    "al_stage": "problem",
    "tools": ["motivation"],
    "focus_areas": ["learning_environment"],
    "tags": "fravær, fællesskab",
    "visibility": "named",
}


@pytest.fixture
def people(factory):
    return {
        "owner": factory.member("Olga Ejer"),
        "other": factory.member("Otto Anden"),
        "coordinator": factory.coordinator(name="Kim Koordinator"),
    }


PAGES = ["/sager", "/sager/mine", "/sager/foelger", "/sager/ny"]


@pytest.mark.parametrize(
    "url", [*PAGES, "/sager/1", "/sager/1/rediger", "/sager/moderation", "/sager/1/marker"]
)
def test_a_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/log-ind" in response.headers["Location"]


@pytest.mark.parametrize(
    "url",
    [
        "/sager/1/svar",
        "/sager/svar/1/slet",
        "/sager/svar/1/hjaelpsom",
        "/sager/1/status",
        "/sager/1/foelg",
        "/sager/1/stop-foelg",
        "/sager/1/inviter",
        "/sager/1/slet",
        "/sager/kladde",
        "/sager/1/forfatter",
        "/sager/moderation/sag/1/skjul",
    ],
)
def test_a_visitor_cannot_post(client, url):
    response = client.post(url, data={})
    assert response.status_code in (302, 401) and "/log-ind" in response.headers.get("Location", "/log-ind")


def test_pages_open_for_a_member(client, auth, people):
    auth.login(people["other"])
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Sager" in response.text


def test_a_member_posts_a_case_and_sees_it(client, auth, people):
    auth.login(people["owner"])
    response = client.post("/sager/ny", data={**FORM, "publish": "1"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).text
    assert "Fravær på grundforløbet" in page and "Olga Ejer" in page and "Sms til forældre." in page
    assert "Din sag er delt" in page


def test_save_draft_without_js_keeps_everything_and_missing_fields_are_shown(client, auth, people):
    auth.login(people["owner"])
    response = client.post("/sager/ny", data={"title": "Halv", "save_draft": "1"})
    assert response.status_code == 303 and "/rediger" in response.headers["Location"]
    edit = client.get(response.headers["Location"])
    assert 'value="Halv"' in edit.text and "Kladden er gemt" in edit.text
    case = db.session.scalar(select(Case))
    failed = client.post(f"/sager/{case.id}/rediger", data={"title": "Halv men bedre", "publish": "1"})
    assert failed.status_code == 422
    assert "Beskriv problemstillingen." in failed.text and 'value="Halv men bedre"' in failed.text
    assert client.get(f"/sager/{case.id}").status_code == 200
    auth.logout()
    auth.login(people["other"])
    assert client.get(f"/sager/{case.id}").status_code == 404
    assert client.get(f"/sager/{case.id}/rediger").status_code == 404


def test_autosave_creates_then_updates_one_draft(client, auth, people):
    auth.login(people["owner"])
    first = client.post("/sager/kladde", data={"title": "Autosave 1"})
    assert first.status_code == 200
    case_id = first.get_json()["id"]
    second = client.post("/sager/kladde", data={"title": "Autosave 2", "case_id": case_id})
    assert second.get_json()["id"] == case_id
    assert db.session.scalar(select(Case)).title == "Autosave 2"
    too_long = client.post("/sager/kladde", data={"title": "x" * 300, "case_id": case_id})
    assert too_long.status_code == 422
    auth.logout()
    auth.login(people["other"])
    assert client.post("/sager/kladde", data={"title": "Stjålet", "case_id": case_id}).status_code == 404


def test_autosave_needs_the_csrf_header_when_csrf_is_on(app, client, auth, people):
    auth.login(people["owner"])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/sager/kladde", data={"title": "Uden token"}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_only_the_owner_edits_and_changes_status(client, auth, people, cases):
    case = cases.case(people["owner"])
    for who in ("other", "coordinator"):
        auth.login(people[who])
        assert client.get(f"/sager/{case.id}/rediger").status_code == 403
        assert client.post(f"/sager/{case.id}/status", data={"status": "closed"}).status_code == 403
        assert client.post(f"/sager/{case.id}/inviter").status_code == 403
        auth.logout()
    auth.login(people["owner"])
    no_summary = client.post(f"/sager/{case.id}/status", data={"status": "closed", "learning_summary": ""})
    assert no_summary.status_code == 422 and "Skriv kort, hvad der skete" in no_summary.text
    closed = client.post(
        f"/sager/{case.id}/status", data={"status": "closed", "learning_summary": "Vi lavede en fælles plan."}
    )
    assert closed.status_code == 303
    page = client.get(f"/sager/{case.id}").text
    assert "Hvad skete der?" in page and "Vi lavede en fælles plan." in page
    assert "kan ikke svares" in page


def test_replying_editing_deleting_and_helpful(client, auth, people, cases):
    case = cases.case(people["owner"])
    auth.login(people["other"])
    empty = client.post(f"/sager/{case.id}/svar", data={"kind": "question", "body": ""})
    assert empty.status_code == 422 and "Skriv dit svar." in empty.text
    assert (
        client.post(
            f"/sager/{case.id}/svar", data={"kind": "question", "body": "Hvem ejer problemet?"}
        ).status_code
        == 303
    )
    reply = db.session.scalar(select(Reply))
    assert client.get(f"/sager/svar/{reply.id}/rediger").status_code == 200
    edited = client.post(
        f"/sager/svar/{reply.id}/rediger", data={"kind": "question", "body": "Hvem ejer det?"}
    )
    assert edited.status_code == 303
    assert client.post(f"/sager/svar/{reply.id}/hjaelpsom").status_code == 403
    auth.logout()

    auth.login(people["owner"])
    assert client.get(f"/sager/svar/{reply.id}/rediger").status_code == 403
    assert client.post(f"/sager/svar/{reply.id}/slet").status_code == 403
    assert client.post(f"/sager/svar/{reply.id}/hjaelpsom", data={"helpful": "1"}).status_code == 303
    assert "Hjælpsomt" in client.get(f"/sager/{case.id}").text
    auth.logout()

    auth.login(people["other"])
    history = client.get(f"/sager/svar/{reply.id}/rediger").text
    assert "Tidligere versioner" in history and "Hvem ejer problemet?" in history
    assert client.post(f"/sager/svar/{reply.id}/slet").status_code == 303
    assert "Hvem ejer det?" not in client.get(f"/sager/{case.id}").text


def test_editing_after_24_hours_is_refused_and_keeps_the_text(client, auth, people, cases):
    start = dt.datetime(2026, 4, 1, 8, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        case = cases.case(people["owner"])
        reply = cases.reply(people["other"], case)
    with time_machine.travel(start + dt.timedelta(days=2), tick=False):
        auth.login(people["other"])
        response = client.post(
            f"/sager/svar/{reply.id}/rediger", data={"kind": "question", "body": "Min nye tekst"}
        )
        assert (
            response.status_code == 403 and "24 timer" in response.text and "Min nye tekst" in response.text
        )


def test_following_twice_is_a_409_with_a_message(client, auth, people, cases):
    case = cases.case(people["owner"])
    auth.login(people["other"])
    assert client.post(f"/sager/{case.id}/foelg").status_code == 303
    twice = client.post(f"/sager/{case.id}/foelg")
    assert twice.status_code == 409 and "Du følger allerede dette." in twice.text
    assert case.title in client.get("/sager/foelger").text
    assert client.post(f"/sager/{case.id}/stop-foelg").status_code == 303
    assert client.post("/sager/emner/foelg", data={"kind": "tag", "value": "Fravær"}).status_code == 303
    assert "fravær" in client.get("/sager/foelger").text
    assert client.post("/sager/emner/stop-foelg", data={"kind": "tag", "value": "fravær"}).status_code == 303


def test_list_filters_and_sorting(client, auth, people, cases):
    cases.case(people["owner"], title="Om motivation", tools=["motivation"], tags="motivation")
    cases.case(people["owner"], title="Om sprog", tools=["language"], tags="sprog")
    auth.login(people["other"])
    page = client.get("/sager?tool=language&sort=active").text
    assert "Om sprog" in page and "Om motivation" not in page
    assert "Om motivation" in client.get("/sager?tag=motivation&unanswered=y&sort=unanswered").text
    assert client.get("/sager?status=bogus&sort=bogus&side=99").status_code == 200


def test_flag_once_and_the_coordinator_queue(client, auth, people, cases):
    case = cases.case(people["owner"])
    auth.login(people["other"])
    assert client.get(f"/sager/{case.id}/marker").status_code == 200
    assert client.post(f"/sager/{case.id}/marker", data={"reason": ""}).status_code == 422
    assert client.post(f"/sager/{case.id}/marker", data={"reason": "Navne på elever"}).status_code == 303
    twice = client.post(f"/sager/{case.id}/marker", data={"reason": "Igen"})
    assert twice.status_code == 409 and "allerede" in twice.text
    assert client.get("/sager/moderation").status_code == 403
    assert client.post(f"/sager/moderation/sag/{case.id}/skjul").status_code == 403
    assert client.post(f"/sager/{case.id}/forfatter").status_code == 403
    auth.logout()

    auth.login(people["coordinator"])
    queue = client.get("/sager/moderation").text
    assert "Navne på elever" in queue
    assert (
        client.post(f"/sager/moderation/sag/{case.id}/skjul", data={"note": "Elevnavne"}).status_code == 303
    )
    assert client.post(f"/sager/moderation/sag/{case.id}/noget").status_code == 400
    assert client.post("/sager/moderation/sag/9999/skjul").status_code == 404
    auth.logout()
    auth.login(people["other"])
    assert client.get(f"/sager/{case.id}").status_code == 404
    auth.logout()
    auth.login(people["coordinator"])
    assert client.post(f"/sager/moderation/sag/{case.id}/gendan").status_code == 303
    assert db.session.scalar(select(Flag)).resolution == "hidden"
    actions = list(db.session.scalars(select(AuditEntry.action)))
    assert actions == ["case.hidden", "case.restored"]


def test_a_coordinator_reveals_an_anonymous_author_and_it_is_logged(client, auth, people, cases):
    case = cases.case(people["owner"], visibility="anonymous")
    auth.login(people["coordinator"])
    assert "Olga Ejer" not in client.get(f"/sager/{case.id}").text
    revealed = client.post(f"/sager/{case.id}/forfatter")
    assert revealed.status_code == 200 and "Olga Ejer" in revealed.text
    assert db.session.scalar(select(AuditEntry)).action == "case.author_revealed"


def test_the_owner_invites_matched_peers(client, auth, people, cases, factory):
    peer = factory.member("Petra Peer")
    peer.tools = ["leadership"]
    db.session.commit()
    case = cases.case(people["owner"], tools=["leadership"])
    auth.login(people["owner"])
    assert "Petra Peer" in client.get(f"/sager/{case.id}").text
    response = client.post(f"/sager/{case.id}/inviter", follow_redirects=True)
    assert "1 kolleger er inviteret" in response.text


def test_deleting_a_case_owner_or_coordinator_only(client, auth, people, cases):
    case_id = cases.case(people["owner"]).id
    auth.login(people["other"])
    assert client.post(f"/sager/{case_id}/slet").status_code == 403
    auth.logout()
    auth.login(people["owner"])
    assert client.post(f"/sager/{case_id}/slet").status_code == 303
    assert client.get(f"/sager/{case_id}").status_code == 404


def test_the_nav_has_sager(client, auth, people):
    auth.login(people["other"])
    assert 'href="/sager"' in client.get("/").text


def test_following_a_tag_from_the_case_page_returns_there(client, auth, people, cases):
    case = cases.case(people["owner"], tags="mentorordning", tools=["language"])
    auth.login(people["other"])
    page = client.get(f"/sager/{case.id}").text
    assert "Følg mentorordning" in page and "Følg Den sproglige dimension" in page
    response = client.post(
        f"/sager/emner/foelg?next=/sager/{case.id}", data={"kind": "tag", "value": "mentorordning"}
    )
    assert response.headers["Location"].endswith(f"/sager/{case.id}")
    assert "Følg mentorordning" not in client.get(f"/sager/{case.id}").text
    twice = client.post("/sager/emner/foelg", data={"kind": "tag", "value": "mentorordning"})
    assert twice.status_code == 409 and "Du følger allerede dette." in twice.text


def test_a_coordinator_hides_a_reply_from_the_case_page_and_returns_there(client, auth, people, cases):
    case = cases.case(people["owner"])
    reply = cases.reply(people["other"], case, "Et svar med elevnavne")
    auth.login(people["coordinator"])
    response = client.post(f"/sager/moderation/svar/{reply.id}/skjul?next=/sager/{case.id}")
    assert response.headers["Location"].endswith(f"/sager/{case.id}")
    assert "Gendan svaret" in client.get(f"/sager/{case.id}").text
    auth.logout()
    auth.login(people["owner"])
    assert "Et svar med elevnavne" not in client.get(f"/sager/{case.id}").text


def test_case_page_lists_similar_projects(client, auth, factory, cases):
    from network.projects import service as projects

    author = factory.member()
    project = projects.create_project(
        author,
        projects.ProjectDraft(
            title="Fravær på grundforløbet",
            school_id=author.school_id,
            problem="Eleverne på grundforløbet har højt fravær om fredagen.",
        ),
    )
    db.session.commit()
    case = cases.case(author, title="Fredagsfravær", problem="Højt fravær om fredagen på grundforløbet.")
    auth.login(factory.member())
    page = client.get(f"/sager/{case.id}").get_data(as_text=True)
    assert f'href="/projekter/{project.id}"' in page and "Fravær på grundforløbet" in page


def test_flagging_is_called_anmeld_and_praising_keeps_marker(client, auth, people, cases):
    # "Marker" meant both "flag to a coordinator" and "mark as helpful"; flagging is "Anmeld".
    case = cases.case(people["owner"])
    reply = cases.reply(people["other"], case, "Et spørgsmål til dig?")
    auth.login(people["owner"])
    page = client.get(f"/sager/{case.id}").text
    flag_link = re.search(rf'<a href="/sager/{case.id}/svar/{reply.id}/marker">([^<]+)</a>', page)
    assert flag_link and flag_link.group(1) == "Anmeld"
    assert "Marker som hjælpsomt" in page
    auth.logout()
    auth.login(people["other"])
    page = client.get(f"/sager/{case.id}").text
    assert re.search(rf'<a href="/sager/{case.id}/marker">Anmeld til en koordinator</a>', page)
    assert "<h1>Anmeld til en koordinator</h1>" in client.get(f"/sager/{case.id}/marker").text
