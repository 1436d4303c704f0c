"""The cases API: the same rules as the pages, problem+json errors, documented."""

import datetime as dt

import pytest
import time_machine

from network.auth import service as auth_service
from network.db import db


def bearer(member) -> dict:
    _token, plain = auth_service.create_api_token(member, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


NEW_CASE = {
    "title": "Nye lærere bliver hurtigt trætte",
    "problem": "Vi mister nye lærere i løbet af det første år.",
    "question": "Hvordan tager vi bedre imod dem?",
    "tools": ["leadership"],
    "tags": ["introduktion"],
    "visibility": "anonymous",
}


def test_every_case_endpoint_is_documented(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/cases",
        "/api/v1/cases/{case_id}",
        "/api/v1/cases/{case_id}/replies",
        "/api/v1/replies/{reply_id}",
        "/api/v1/replies/{reply_id}/helpful",
        "/api/v1/cases/{case_id}/follow",
    ):
        assert path in paths, path


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/cases"),
        ("post", "/api/v1/cases"),
        ("get", "/api/v1/cases/1"),
        ("patch", "/api/v1/cases/1"),
        ("post", "/api/v1/cases/1/replies"),
        ("patch", "/api/v1/replies/1"),
        ("delete", "/api/v1/replies/1"),
        ("put", "/api/v1/replies/1/helpful"),
        ("put", "/api/v1/cases/1/follow"),
        ("delete", "/api/v1/cases/1/follow"),
    ],
)
def test_a_visitor_without_a_token_gets_401(client, method, path):
    response = getattr(client, method)(path, json={})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_create_read_and_list_an_anonymous_case(client, factory):
    author = factory.member("Anne Anonym", email="anne@skole.test")
    other = factory.member()
    response = client.post("/api/v1/cases", json=NEW_CASE, headers=bearer(author))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "open" and body["is_owner"] and body["author"]["is_you"]
    seen = client.get(f"/api/v1/cases/{body['id']}", headers=bearer(other)).get_json()
    assert seen["author"] == {"name": "Anonym leder", "member_id": None, "school": None, "is_you": False}
    listing = client.get("/api/v1/cases", headers=bearer(other)).get_json()
    assert [c["id"] for c in listing["items"]] == [body["id"]]
    assert "Anne" not in str(listing) and "anne@skole.test" not in str(seen)


def test_a_case_without_the_essentials_is_a_422_problem_with_the_field(client, factory):
    response = client.post("/api/v1/cases", json={"title": "Kun en titel"}, headers=bearer(factory.member()))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "problem" in response.get_json()["errors"]


def test_drafts_are_private_until_published(client, factory):
    author, other = factory.member(), factory.member()
    draft = client.post(
        "/api/v1/cases", json={"title": "Kladde", "publish": False}, headers=bearer(author)
    ).get_json()
    assert draft["status"] == "draft"
    assert client.get(f"/api/v1/cases/{draft['id']}", headers=bearer(other)).status_code == 404
    published = client.patch(
        f"/api/v1/cases/{draft['id']}", json={**NEW_CASE, "publish": True}, headers=bearer(author)
    )
    assert published.get_json()["status"] == "open"


def test_only_the_owner_updates_and_closing_needs_a_summary(client, factory):
    author, other, coordinator = factory.member(), factory.member(), factory.coordinator()
    case = client.post("/api/v1/cases", json=NEW_CASE, headers=bearer(author)).get_json()
    url = f"/api/v1/cases/{case['id']}"
    assert client.patch(url, json={"title": "Min nu"}, headers=bearer(other)).status_code == 403
    assert client.patch(url, json={"title": "Min nu"}, headers=bearer(coordinator)).status_code == 403
    assert client.patch(url, json={"status": "closed"}, headers=bearer(author)).status_code == 422
    closed = client.patch(
        url, json={"status": "closed", "learning_summary": "Mentorordning virkede."}, headers=bearer(author)
    )
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert client.patch(url, json={"nonsense": 1}, headers=bearer(author)).status_code == 422


def test_replies_edit_delete_and_helpful(client, factory):
    author, other = factory.member(), factory.member()
    start = dt.datetime(2026, 5, 4, 8, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        case = client.post("/api/v1/cases", json=NEW_CASE, headers=bearer(author)).get_json()
        reply = client.post(
            f"/api/v1/cases/{case['id']}/replies",
            json={"body": "Hvad har de selv sagt?"},
            headers=bearer(other),
        )
        assert reply.status_code == 201 and reply.get_json()["kind"] == "question"
        reply_id = reply.get_json()["id"]
        url = f"/api/v1/replies/{reply_id}"
        assert client.patch(url, json={"body": "Overtaget"}, headers=bearer(author)).status_code == 403
        edited = client.patch(
            url, json={"kind": "experience", "body": "Hos os hjalp det."}, headers=bearer(other)
        )
        assert edited.get_json()["body"] == "Hos os hjalp det."
        assert client.put(f"{url}/helpful", headers=bearer(other)).status_code == 403
        assert client.put(f"{url}/helpful", headers=bearer(author)).get_json()["helpful"] is True
        assert client.delete(f"{url}/helpful", headers=bearer(author)).get_json()["helpful"] is False
    with time_machine.travel(start + dt.timedelta(hours=25), tick=False):
        late = client.patch(url, json={"body": "For sent"}, headers=bearer(other))
        assert late.status_code == 403 and "24 timer" in late.get_json()["detail"]
        assert client.delete(url, headers=bearer(author)).status_code == 403
        assert client.delete(url, headers=bearer(other)).status_code == 204
        assert client.delete(url, headers=bearer(other)).status_code == 404


def test_replying_to_a_closed_case_is_a_409_and_empty_is_422(client, factory):
    author, other = factory.member(), factory.member()
    case = client.post("/api/v1/cases", json=NEW_CASE, headers=bearer(author)).get_json()
    url = f"/api/v1/cases/{case['id']}/replies"
    assert client.post(url, json={"body": ""}, headers=bearer(other)).status_code == 422
    client.patch(
        f"/api/v1/cases/{case['id']}",
        json={"status": "closed", "learning_summary": "Slut."},
        headers=bearer(author),
    )
    response = client.post(url, json={"body": "Hej"}, headers=bearer(other))
    assert response.status_code == 409 and response.mimetype == "application/problem+json"


def test_follow_twice_is_409_and_unfollow_twice_404(client, factory):
    author, other = factory.member(), factory.member()
    case = client.post("/api/v1/cases", json=NEW_CASE, headers=bearer(author)).get_json()
    url = f"/api/v1/cases/{case['id']}/follow"
    headers = bearer(other)
    assert client.put(url, headers=headers).status_code == 204
    assert client.put(url, headers=headers).status_code == 409
    assert client.get(f"/api/v1/cases/{case['id']}", headers=headers).get_json()["following"] is True
    assert client.delete(url, headers=headers).status_code == 204
    assert client.delete(url, headers=headers).status_code == 404
    assert client.put("/api/v1/cases/9999/follow", headers=headers).status_code == 404


def test_list_filters_and_bad_values(client, factory):
    author = factory.member()
    headers = bearer(author)
    client.post("/api/v1/cases", json=NEW_CASE, headers=headers)
    client.post("/api/v1/cases", json={**NEW_CASE, "tools": ["language"], "tags": []}, headers=headers)
    assert client.get("/api/v1/cases?tool=language", headers=headers).get_json()["total"] == 1
    assert client.get("/api/v1/cases?tag=introduktion", headers=headers).get_json()["total"] == 1
    assert (
        client.get("/api/v1/cases?unanswered=true&sort=unanswered", headers=headers).get_json()["total"] == 2
    )
    assert client.get("/api/v1/cases?status=bogus", headers=headers).status_code == 422
