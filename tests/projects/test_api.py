"""The AL project API: create, read, update, reports; sign-in and ownership."""

import io

import pytest

from network.auth import service as auth_service
from network.db import db
from tests.projects.files import docx_bytes


def bearer_for(member) -> dict:
    _token, plain = auth_service.create_api_token(member, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


@pytest.fixture
def leader(factory):
    return factory.member()


def test_without_a_token_nothing(client):
    assert client.get("/api/v1/projects").status_code == 401
    assert client.post("/api/v1/projects", json={"title": "x"}).status_code == 401
    assert client.get("/api/v1/search?q=x").status_code == 401


def test_create_read_update_and_list(client, leader, factory):
    headers = bearer_for(leader)
    created = client.post(
        "/api/v1/projects",
        json={"title": "Feedback", "problem": "Lærerne vil have feedback.", "tools": ["leadership"]},
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    project = created.get_json()
    assert project["leader_ids"] == [leader.id] and project["tools"] == ["leadership"]
    changed = client.patch(f"/api/v1/projects/{project['id']}", json={"status": "completed"}, headers=headers)
    assert changed.get_json()["status"] == "completed" and changed.get_json()["title"] == "Feedback"
    listed = client.get("/api/v1/projects?tool=leadership", headers=headers).get_json()
    assert [p["title"] for p in listed["items"]] == ["Feedback"]
    other = bearer_for(factory.member())
    assert client.get(f"/api/v1/projects/{project['id']}", headers=other).status_code == 200
    refused = client.patch(f"/api/v1/projects/{project['id']}", json={"title": "Kapret"}, headers=other)
    assert refused.status_code == 403
    assert client.get("/api/v1/projects/9999", headers=other).status_code == 404


def test_a_bad_project_is_a_problem_with_field_errors(client, leader):
    response = client.post("/api/v1/projects", json={"title": " "}, headers=bearer_for(leader))
    assert response.status_code == 400
    assert "title" in response.get_json()["errors"]


def test_reports_upload_and_download(client, leader):
    headers = bearer_for(leader)
    project = client.post("/api/v1/projects", json={"title": "Rapport"}, headers=headers).get_json()
    response = client.post(
        f"/api/v1/projects/{project['id']}/attachments",
        data={"file": (io.BytesIO(docx_bytes("Elevsamtaler hver uge")), "slut.docx")},
        headers=headers,
    )
    assert response.status_code == 201
    attachment = response.get_json()
    assert attachment["kind"] == "docx" and attachment["text_extracted"] == "ok"
    download = client.get(attachment["url"], headers=headers)
    assert download.headers["Content-Disposition"].startswith("attachment")
    download.close()
    bad = client.post(
        f"/api/v1/projects/{project['id']}/attachments",
        data={"file": (io.BytesIO(b"\x00\x01"), "x.pdf")},
        headers=headers,
    )
    assert bad.status_code == 400


def test_a_report_missing_on_disk_is_a_404_problem(client, leader, app):
    from pathlib import Path

    headers = bearer_for(leader)
    project = client.post("/api/v1/projects", json={"title": "Rapport"}, headers=headers).get_json()
    attachment = client.post(
        f"/api/v1/projects/{project['id']}/attachments",
        data={"file": (io.BytesIO(b"Noter om feedback"), "noter.txt")},
        headers=headers,
    ).get_json()
    for path in Path(app.config["UPLOAD_DIR"], "projects").glob("*"):
        path.unlink()
    response = client.get(attachment["url"], headers=headers)
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_search_api_returns_hits_snippets_and_facets(client, leader):
    headers = bearer_for(leader)
    client.post("/api/v1/projects", json={"title": "Elevsamtaler", "tools": ["motivation"]}, headers=headers)
    data = client.get("/api/v1/search?q=elevsamtaler&tool=motivation", headers=headers).get_json()
    assert data["total"] == 1 and data["hits"][0]["title"] == "Elevsamtaler"
    assert {"value": "motivation", "count": 1} in data["facets"]["tool"]
    assert client.get('/api/v1/search?q="((', headers=headers).status_code == 200


def test_search_api_answers_a_misspelled_word_with_the_suggestions_hits(client, leader):
    headers = bearer_for(leader)
    client.post("/api/v1/projects", json={"title": "Klasserumsledelse"}, headers=headers)
    data = client.get("/api/v1/search?q=klasserumsledelsse", headers=headers).get_json()
    assert data["corrected_from"] == "klasserumsledelsse" and data["suggestion"] == "klasserumsledelse"
    assert [hit["title"] for hit in data["hits"]] == ["Klasserumsledelse"]
    typed = client.get("/api/v1/search?q=klasserumsledelsse&verbatim=true", headers=headers).get_json()
    assert (
        typed["total"] == 0 and typed["corrected_from"] == "" and typed["suggestion"] == "klasserumsledelse"
    )


def test_project_text_fields_have_the_forms_limits(client, leader):
    headers = bearer_for(leader)
    project = client.post("/api/v1/projects", json={"title": "Feedback"}, headers=headers).get_json()
    for field, size in (("problem", 20_001), ("results", 20_001), ("former_leaders", 301), ("title", 201)):
        response = client.patch(
            f"/api/v1/projects/{project['id']}", json={field: "x" * size}, headers=headers
        )
        assert response.status_code == 422, field
        assert field in response.get_json()["errors"]["json"]
    fits = client.patch(f"/api/v1/projects/{project['id']}", json={"problem": "x" * 20_000}, headers=headers)
    assert fits.status_code == 200
