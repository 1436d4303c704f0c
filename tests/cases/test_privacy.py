"""An anonymous author stays anonymous everywhere; nothing a member writes runs as script."""

from html.parser import HTMLParser

import pytest

from network.auth import service as auth_service
from network.cases import jobs, replies, service
from network.db import db, utcnow
from tests.conftest import mail_parts, read_mails


def test_an_anonymous_authors_name_email_and_school_appear_nowhere_for_another_member(
    app, client, auth, factory, cases
):
    school = factory.school("Skjulestedets Erhvervsskole")
    author = factory.member("Anne Anonymsen", school=school, email="anne.anonymsen@skole.test")
    other = factory.member("Otto Læser", email_frequency="daily")
    case = cases.case(author, visibility="anonymous", title="Et dilemma om tillid", tags="tillid")
    cases.reply(other, case, "Hvad betyder tillid for dig?")
    cases.reply(author, case, "Tak, godt spørgsmål.", kind="experience")
    _token, plain = auth_service.create_api_token(other, "scan")
    db.session.commit()
    jobs.send_notification_digests(utcnow())
    db.session.commit()

    auth.login(other)
    client.post(f"/sager/{case.id}/foelg")  # already following after replying: a 409 page
    api = {"Authorization": f"Bearer {plain}"}
    responses = [
        client.get(url)
        for url in (
            "/sager",
            "/sager?tag=tillid",
            "/sager?sort=unanswered",
            "/sager/foelger",
            f"/sager/{case.id}",
            "/notifikationer",
            f"/sager/{case.id}/marker",
        )
    ]
    responses += [client.get(url, headers=api) for url in ("/api/v1/cases", f"/api/v1/cases/{case.id}")]
    responses.append(client.get("/api/v1/cases?following=true", headers=api))
    texts = [r.get_data(as_text=True) for r in responses]
    texts += ["".join(mail_parts(m)) + str(m["Subject"]) for m in read_mails(app) if m["To"] == other.email]
    assert all(r.status_code == 200 for r in responses)
    assert any("Et dilemma om tillid" in text for text in texts)
    for text in texts:
        for secret in ("Anne", "Anonymsen", "anne.anonymsen", "Skjulestedets"):
            assert secret not in text


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "[klik](javascript:alert(3))",
    '"><svg onload=alert(4)>',
    '<a href="javascript:alert(5)">x</a>',
    "<iframe src=javascript:alert(6)></iframe>",
    "`<style>body{}</style>`<details open ontoggle=alert(7)>",
]


class ScriptFinder(HTMLParser):
    """Collects anything in a page that could run script."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    @staticmethod
    def _is_our_icon(tag: str, values: dict) -> bool:
        # The page's own icons (the `icon` macro): <svg class="icon …" aria-hidden|role=img><use href=sprite>.
        return tag == "svg" and (values.get("class") or "").split()[:1] == ["icon"]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        if tag == "use" and not (values.get("href") or "").startswith("/static/vendor/icons.svg#"):
            self.found.append(f"use {values}")
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            self.found.append(f"script {values}")
        if tag in ("iframe", "svg", "object", "embed", "details", "style") and not self._is_our_icon(
            tag, values
        ):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}")
            if name in ("href", "src") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_text_field_of_a_case_or_reply_can_inject_markup(client, auth, factory, cases, payload):
    author, other = factory.member(), factory.member()
    fields = {name: f"{name} {payload}" for name in ("problem", "context", "tried", "question")}
    case = cases.case(author, title=f"Titel {payload}"[:200], tags=f"tema {payload}"[:60], **fields)
    reply = cases.reply(other, case, f"Svar {payload}")
    replies.edit_reply(other, reply, kind="question", body=f"Rettet {payload}")
    service.change_status(author, case, "closed", f"Læring {payload}")
    service.record_session_outcome(
        case, next_actions=f"Næste {payload}", learnings=f"Lært {payload}", session_title=payload, actor=None
    )
    db.session.commit()
    auth.login(other)
    client.post(f"/sager/{case.id}/svar/{reply.id}/marker", data={"reason": f"Grund {payload}"})
    pages = [f"/sager/{case.id}", "/sager", "/sager/foelger", f"/sager/svar/{reply.id}/rediger"]
    for url in pages:
        finder = ScriptFinder()
        finder.feed(client.get(url).get_data(as_text=True))
        assert finder.found == [], (url, finder.found)
    auth.logout()
    auth.login(factory.coordinator())
    for url in (f"/sager/{case.id}", "/sager/moderation"):
        finder = ScriptFinder()
        finder.feed(client.get(url).get_data(as_text=True))
        assert finder.found == [], (url, finder.found)


def test_an_anonymous_cases_times_say_the_day_and_nobodys_activity_says_more_than_the_week(
    client, auth, factory, cases
):
    author, reader = factory.member("Anne Anonymsen"), factory.member("Otto Læser")
    coordinator = factory.coordinator()
    case = cases.case(author, visibility="anonymous")
    own_reply = cases.reply(author, case, "Tak for spørgsmålet.", kind="experience")
    exact = [case.published_at, own_reply.created_at]
    author.last_active_at = case.published_at
    db.session.commit()
    tokens = {}
    for member in (author, reader, coordinator):
        _token, tokens[member.id] = auth_service.create_api_token(member, "scan")
    db.session.commit()

    def api(member, url):
        return client.get(url, headers={"Authorization": f"Bearer {tokens[member.id]}"}).get_json()

    for viewer in (reader, coordinator):
        body = api(viewer, f"/api/v1/cases/{case.id}")
        times = [body["published_at"], body["last_activity_at"], body["replies"][0]["created_at"]]
        assert all(t.endswith("T00:00:00+00:00") for t in times), times
        assert body["published_at"][:10] == case.published_at.date().isoformat()
        listed = api(viewer, "/api/v1/cases")["items"]
        assert [c["published_at"] for c in listed] == [body["published_at"]]
        members = api(viewer, "/api/v1/members?per_page=100")["items"]
        assert all("last_active_at" not in m for m in members)
        assert {m["active"] for m in members if m["id"] == author.id} == {"this_week"}
        auth.login(viewer)
        page = client.get(f"/sager/{case.id}").get_data(as_text=True)
        auth.logout()
        for moment in exact:
            assert moment.isoformat() not in page
            assert moment.isoformat()[:19] not in page
    assert api(author, f"/api/v1/cases/{case.id}")["published_at"] == case.published_at.isoformat()


def test_named_without_school_gives_no_way_to_the_profile(client, auth, factory, cases):
    school = factory.school("Skjulte Skole")
    author = factory.member("Nina Navngiven", school=school)
    reader = factory.member()
    case = cases.case(author, visibility="school_hidden")
    cases.reply(author, case, "Tak for svaret.", kind="experience")
    _token, plain = auth_service.create_api_token(reader, "scan")
    db.session.commit()
    auth.login(reader)
    page = client.get(f"/sager/{case.id}").get_data(as_text=True)
    assert "Nina Navngiven" in page
    assert f"/medlemmer/{author.id}" not in page and "Skjulte Skole" not in page
    body = client.get(f"/api/v1/cases/{case.id}", headers={"Authorization": f"Bearer {plain}"}).get_json()
    assert body["author"]["member_id"] is None and body["author"]["school"] is None
    assert body["replies"][0]["author"]["member_id"] is None
