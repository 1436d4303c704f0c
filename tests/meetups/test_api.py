"""The meetup API: create, read, update, cancel, RSVP, poll answers; problems for bad input."""

import pytest
import time_machine

from network.auth import service as auth_service
from network.db import db
from tests.meetups.conftest import NOW

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def bearer_for(member) -> dict:
    _token, plain = auth_service.create_api_token(member, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def payload(school_id: int, **changes) -> dict:
    body = {
        "title": "Regionsmøde i Syd",
        "description": "Vi taler om **fastholdelse**.",
        "host_school_id": school_id,
        "address": "Skolevej 2, Vejle",
        "starts_at": "2026-10-25T10:00:00+01:00",
        "ends_at": "2026-10-25T14:00:00+01:00",
        "capacity": 1,
    }
    body.update(changes)
    return body


def test_openapi_documents_the_meetup_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/meetups",
        "/api/v1/meetups/{meetup_id}",
        "/api/v1/meetups/{meetup_id}/rsvp",
        "/api/v1/meetups/{meetup_id}/poll",
        "/api/v1/meetups/{meetup_id}/cancel",
    ):
        assert path in paths, path


def test_meetup_life_cycle_through_the_api(client, factory):
    organiser = factory.member()
    headers = bearer_for(organiser)
    response = client.post("/api/v1/meetups", json=payload(organiser.school_id), headers=headers)
    assert response.status_code == 201, response.get_json()
    meetup = response.get_json()
    assert meetup["starts_at"].startswith("2026-10-25T09:00:00")  # stored in UTC
    a, b = factory.member(), factory.member()
    first = client.put(
        f"/api/v1/meetups/{meetup['id']}/rsvp", json={"answer": "going"}, headers=bearer_for(a)
    )
    second = client.put(
        f"/api/v1/meetups/{meetup['id']}/rsvp", json={"answer": "going"}, headers=bearer_for(b)
    )
    assert first.get_json()["state"] == "going" and second.get_json()["state"] == "waitlist"

    changed = client.put(
        f"/api/v1/meetups/{meetup['id']}", json=payload(organiser.school_id, capacity=2), headers=headers
    )
    assert (
        changed.status_code == 200
        and changed.get_json()["going"] == 2
        and changed.get_json()["sequence"] == 1
    )
    assert (
        client.put(
            f"/api/v1/meetups/{meetup['id']}", json=payload(organiser.school_id), headers=bearer_for(a)
        ).status_code
        == 403
    )
    cancelled = client.post(f"/api/v1/meetups/{meetup['id']}/cancel", headers=headers)
    assert cancelled.get_json()["status"] == "cancelled"
    late = client.put(f"/api/v1/meetups/{meetup['id']}/rsvp", json={"answer": "maybe"}, headers=bearer_for(a))
    assert late.status_code == 409 and late.mimetype == "application/problem+json"


def test_bad_input_is_a_problem(client, factory):
    organiser = factory.member()
    headers = bearer_for(organiser)
    response = client.post(
        "/api/v1/meetups",
        json=payload(organiser.school_id, ends_at="2026-10-25T09:00:00+01:00"),
        headers=headers,
    )
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert response.get_json()["detail"] == "Mødet skal slutte efter, det begynder."
    one = payload(
        organiser.school_id,
        starts_at=None,
        ends_at=None,
        poll_options=[{"starts_at": "2026-11-02T10:00:00+01:00", "ends_at": "2026-11-02T12:00:00+01:00"}],
    )
    response = client.post("/api/v1/meetups", json=one, headers=headers)
    assert response.status_code == 400 and "mellem 2 og 6" in response.get_json()["detail"]
    assert client.get("/api/v1/meetups").status_code == 401


def test_invited_meetup_is_invisible_to_other_schools_in_the_api(client, factory):
    host, other = factory.school(), factory.school()
    organiser = factory.member(school=host)
    body = payload(host.id, visibility="invited", invited_school_ids=[host.id])
    meetup = client.post("/api/v1/meetups", json=body, headers=bearer_for(organiser)).get_json()
    outsider = bearer_for(factory.member(school=other))
    assert client.get(f"/api/v1/meetups/{meetup['id']}", headers=outsider).status_code == 404
    assert client.get("/api/v1/meetups", headers=outsider).get_json() == []
    rsvp = client.put(f"/api/v1/meetups/{meetup['id']}/rsvp", json={"answer": "going"}, headers=outsider)
    assert rsvp.status_code == 404


def test_poll_answers_through_the_api(client, factory):
    organiser = factory.member()
    body = payload(
        organiser.school_id,
        starts_at=None,
        ends_at=None,
        poll_options=[
            {"starts_at": "2026-11-02T10:00:00+01:00", "ends_at": "2026-11-02T12:00:00+01:00"},
            {"starts_at": "2026-11-03T10:00:00+01:00", "ends_at": "2026-11-03T12:00:00+01:00"},
        ],
    )
    meetup = client.post("/api/v1/meetups", json=body, headers=bearer_for(organiser)).get_json()
    assert meetup["status"] == "polling"
    option = meetup["poll_options"][0]["id"]
    response = client.put(
        f"/api/v1/meetups/{meetup['id']}/poll",
        json={"answers": [{"option_id": option, "answer": "if_need_be"}]},
        headers=bearer_for(factory.member()),
    )
    assert response.status_code == 200 and response.get_json()["poll_options"][0]["if_need_be"] == 1
    bad = client.put(
        f"/api/v1/meetups/{meetup['id']}/poll",
        json={"answers": [{"option_id": option, "answer": "kanske"}]},
        headers=bearer_for(factory.member()),
    )
    assert bad.status_code == 422


def test_a_20_mb_description_gets_a_quick_clear_422_and_nothing_is_made(client, factory):
    import time

    from network.meetups.models import Meetup

    organiser = factory.member()
    headers = bearer_for(organiser)
    started = time.monotonic()
    body = payload(organiser.school_id, description="x" * 20 * 1024 * 1024)
    response = client.post("/api/v1/meetups", json=body, headers=headers)
    assert time.monotonic() - started < 10
    assert response.status_code == 422
    assert "description" in response.get_json()["errors"]["json"]
    just_over = payload(organiser.school_id, description="x" * 20_001)
    assert client.post("/api/v1/meetups", json=just_over, headers=headers).status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(Meetup)) == 0
