"""The OpenAPI document and the rules agree (issue 14, finding 16)."""

import pytest

from network.auth.service import create_api_token
from network.db import db
from network.extensions import MAX_ID
from network.rooms import service as rooms
from tests.rooms.conftest import cid, make_room


@pytest.fixture
def member_and_headers(factory):
    member = factory.member()
    _token, plain = create_api_token(member, "test")
    db.session.commit()
    return member, {"Authorization": f"Bearer {plain}"}


@pytest.fixture
def document(client) -> dict:
    return client.get("/api/v1/openapi.json").json


def test_patch_me_with_nothing_to_change_is_a_422_problem_as_documented(client, member_and_headers, document):
    _member, headers = member_and_headers
    response = client.patch("/api/v1/me", json={}, headers=headers)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert document["components"]["schemas"]["MePatch"]["minProperties"] == 1


@pytest.mark.parametrize("number", [MAX_ID + 1, 2**63, 2**64 + 1, 10**30])
def test_an_id_beyond_the_databases_range_is_a_404_as_documented(
    client, member_and_headers, document, number
):
    _member, headers = member_and_headers
    response = client.get(f"/api/v1/members/{number}", headers=headers)
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert client.get(f"/medlemmer/{number}").status_code in (302, 404)  # the pages share the rule
    (parameter,) = document["paths"]["/api/v1/members/{member_id}"]["parameters"]
    assert parameter["schema"]["maximum"] == MAX_ID


def test_client_id_rule_is_the_documented_pattern(client, factory, member_and_headers, document):
    member, headers = member_and_headers
    room = make_room(member)
    schema = document["components"]["schemas"]["NewMessage"]["properties"]["client_id"]
    assert schema["pattern"] == rooms.CLIENT_ID.pattern
    url = f"/api/v1/rooms/{room.id}/messages"
    refused = client.post(url, json={"body": "Hej", "client_id": "ikke-hex-!"}, headers=headers)
    assert refused.status_code == 422 and "client_id" in refused.json["errors"]["json"]
    assert (
        client.post(url, json={"body": "Hej", "client_id": cid().upper()}, headers=headers).status_code == 201
    )


def test_the_attachment_download_documents_its_content_type(document):
    operation = document["paths"]["/api/v1/projects/{project_id}/attachments/{attachment_id}"]["get"]
    assert "application/octet-stream" in operation["responses"]["200"]["content"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [("DELETE", "/api/v1/schools", "GET"), ("PUT", "/api/v1/me", "PATCH"), ("PUT", "/log-ind", "POST")],
)
def test_a_405_says_which_methods_are_allowed(client, member_and_headers, method, path, allowed):
    _member, headers = member_and_headers
    response = client.open(path, method=method, headers=headers)
    assert response.status_code == 405
    assert allowed in {m.strip() for m in response.headers["Allow"].split(",")}
