"""The request boundary (docs/architecture.md): a broken rule is answered once, for pages and API alike."""

from sqlalchemy import func, select

from network.db import after_commit, commit, db
from network.errors import Conflict
from network.members.models import School


def _add_school_then_break_a_rule() -> None:
    db.session.add(School(name="Halvt gemt skole", region="hovedstaden"))
    db.session.flush()
    raise Conflict("Navnet er optaget.", field="name")


def _school_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(School.id)))


def test_a_broken_rule_on_a_page_is_a_flash_and_its_4xx_and_nothing_is_kept(app, client):
    app.add_url_rule("/proeve/regel", "proeve_regel", _add_school_then_break_a_rule)
    response = client.get("/proeve/regel")
    assert response.status_code == 409
    assert response.mimetype == "text/html"
    assert "Navnet er optaget." in response.get_data(as_text=True)  # the flash on the error page
    assert _school_count(app) == 0


def test_a_broken_rule_in_the_api_is_a_problem_with_its_field_and_nothing_is_kept(app, client):
    app.add_url_rule("/api/v1/proeve/regel", "api_proeve_regel", _add_school_then_break_a_rule)
    response = client.get("/api/v1/proeve/regel")
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["detail"] == "Navnet er optaget."
    assert body["errors"] == {"name": ["Navnet er optaget."]}
    assert _school_count(app) == 0


def test_what_waits_for_the_commit_runs_after_it_and_never_after_a_rule_broke(app):
    told: list[int] = []

    def store_then_tell(fail: bool) -> str:
        school = School(name=f"Skole {len(told)} {fail}", region="hovedstaden")
        db.session.add(school)
        db.session.flush()
        after_commit(lambda: told.append(_school_count(app)))
        if fail:
            raise Conflict()
        commit()
        return "ok"

    app.add_url_rule("/proeve/gem", "proeve_gem", lambda: store_then_tell(False))
    app.add_url_rule("/proeve/fejl", "proeve_fejl", lambda: store_then_tell(True))
    client = app.test_client()
    assert client.get("/proeve/gem").status_code == 200
    assert told == [1]  # the broadcast saw the committed row
    assert client.get("/proeve/fejl").status_code == 409
    assert told == [1]  # nothing was told of what was rolled back
