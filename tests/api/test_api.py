import pytest

from network.auth import service as auth_service
from network.db import db


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def token(factory):
    member = factory.member("Api Bruger", email="api@skole.test")
    _token, plain = auth_service.create_api_token(member, "test")
    db.session.commit()
    return plain


def test_openapi_document_lists_every_endpoint(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    for path in (
        "/api/v1/auth/token",
        "/api/v1/members",
        "/api/v1/members/{member_id}",
        "/api/v1/schools",
        "/api/v1/me",
    ):
        assert path in spec["paths"], path
    assert "bearerAuth" in spec["components"]["securitySchemes"]


def test_token_from_email_and_password(client, factory):
    factory.member(email="leder@skole.test")
    response = client.post(
        "/api/v1/auth/token", json={"email": "leder@skole.test", "password": "en-lang-god-sætning"}
    )
    assert response.status_code == 201
    assert client.get("/api/v1/me", headers=bearer(response.get_json()["token"])).status_code == 200


def test_wrong_password_is_a_problem(client, factory):
    factory.member(email="leder@skole.test")
    response = client.post("/api/v1/auth/token", json={"email": "leder@skole.test", "password": "forkert"})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 401


def test_malformed_body_is_a_422_problem_with_field_errors(client):
    response = client.post("/api/v1/auth/token", json={"email": "x"})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "password" in str(response.get_json()["errors"])


def test_token_endpoint_is_rate_limited(client, factory, app):
    app.config["LOGIN_RATE_LIMIT"] = "2 per minute"
    for _ in range(2):
        client.post("/api/v1/auth/token", json={"email": "a@skole.test", "password": "x"})
    response = client.post("/api/v1/auth/token", json={"email": "a@skole.test", "password": "x"})
    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("path", ["/api/v1/members", "/api/v1/members/1", "/api/v1/schools", "/api/v1/me"])
@pytest.mark.parametrize("header", [None, "Bearer lnv_forged", "Basic YTpi", "Bearer "])
def test_every_endpoint_needs_a_valid_token(client, factory, path, header):
    factory.member()
    headers = {"Authorization": header} if header else {}
    response = client.get(path, headers=headers)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_revoked_token_stops_working(client, factory):
    member = factory.member()
    token, plain = auth_service.create_api_token(member, "x")
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(plain)).status_code == 200
    auth_service.revoke_api_token(member, token.id)
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(plain)).status_code == 401


def test_members_list_filters_and_hides_private_fields(client, factory, token):
    factory.member("Anna Nord", tools=["motivation"], phone="+45 11 11 11 11", private_fields=["phone"])
    factory.member("Bo Syd", tools=["language"])
    body = client.get("/api/v1/members?tool=motivation", headers=bearer(token)).get_json()
    assert [m["name"] for m in body["items"]] == ["Anna Nord"]
    assert "phone" not in body["items"][0] and body["total"] == 1
    page = client.get("/api/v1/members?per_page=1&page=2", headers=bearer(token)).get_json()
    assert len(page["items"]) == 1 and page["pages"] == 3


def test_member_search_does_not_match_a_private_title_or_a_wildcard(client, factory, token):
    factory.member("Anna Nord", title="Konstitueret vicedirektør", private_fields=["title"])
    for q in ("vicedirektør", "%", "_"):
        body = client.get(f"/api/v1/members?q={q}", headers=bearer(token)).get_json()
        assert body["items"] == [], q


def test_bad_filter_values_are_422(client, token):
    response = client.get("/api/v1/members?tool=nonsense&per_page=1000", headers=bearer(token))
    assert response.status_code == 422
    assert set(response.get_json()["errors"]["query"]) == {"tool", "per_page"}


def test_member_and_schools(client, factory, token):
    school = factory.school("API Skolen")
    member = factory.member("Karen Api", school=school)
    body = client.get(f"/api/v1/members/{member.id}", headers=bearer(token)).get_json()
    assert body["name"] == "Karen Api" and body["school"]["name"] == "API Skolen"
    assert client.get("/api/v1/members/99999", headers=bearer(token)).status_code == 404
    schools = client.get("/api/v1/schools", headers=bearer(token)).get_json()
    assert "API Skolen" in [s["name"] for s in schools]


def test_patch_me_changes_only_my_profile(client, token):
    response = client.patch(
        "/api/v1/me", json={"title": "Uddannelseschef", "tools": ["leadership"]}, headers=bearer(token)
    )
    assert response.status_code == 200
    assert response.get_json()["title"] == "Uddannelseschef"
    assert client.get("/api/v1/me", headers=bearer(token)).get_json()["tools"] == ["leadership"]


@pytest.mark.parametrize(
    "body", [{"school_id": 99999}, {"tools": ["nonsense"]}, {"role": "admin"}, {"name": ""}]
)
def test_patch_me_refuses_bad_input_with_a_problem(client, token, body):
    response = client.patch("/api/v1/me", json=body, headers=bearer(token))
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"
    assert client.get("/api/v1/me", headers=bearer(token)).get_json()["role"] == "member"


def test_api_needs_no_csrf_token_but_ignores_session_cookies(app, factory, auth, client):
    member = factory.member()
    auth.login(member)  # a browser session alone is not enough for the API
    assert client.get("/api/v1/me").status_code == 401


def _string_properties(spec: dict):  # noqa: ANN202 - yields (schema, property, definition)
    for name, schema in spec["components"]["schemas"].items():
        for prop, definition in schema.get("properties", {}).items():
            items = definition.get("items", {})
            if definition.get("readOnly") or "enum" in definition or "enum" in items:
                continue  # an enum is bounded by its values
            if definition.get("type") == "string" or items.get("type") == "string":
                yield name, prop, definition


def test_every_string_the_api_takes_has_a_documented_maximum(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    missing = [
        f"{name}.{prop}"
        for name, prop, definition in _string_properties(spec)
        if "maxLength" not in definition
        and "maxLength" not in definition.get("items", {})
        and "password" not in prop
        and "format" not in definition
    ]
    assert missing == []


def test_forms_and_api_schemas_share_one_limit_per_field(app, client):
    from network.cases.forms import CaseForm
    from network.meetups.forms import MeetupForm
    from network.projects.forms import ProjectForm

    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    pairs = [
        (MeetupForm, "MeetupIn", ("title", "description", "address", "online_url")),
        (ProjectForm, "ProjectWrite", ("title", "former_leaders", "problem", "results")),
        (CaseForm, "CaseCreate", ("title", "problem", "context", "tried", "question")),
    ]
    with app.test_request_context():
        for form_class, schema, fields in pairs:
            form = form_class(meta={"csrf": False})
            for field in fields:
                limits = [v.max for v in form[field].validators if type(v).__name__ == "Length"]
                assert limits == [spec[schema]["properties"][field]["maxLength"]], (schema, field)
