"""Control characters in text input are dropped at the edge (forms and API), so the text is saved."""

import marshmallow as ma
from flask_wtf import FlaskForm
from sqlalchemy import select

from network.api.schemas import Schema
from network.auth import service as auth_service
from network.cases.models import Case
from network.db import db
from network.forms import BaseForm, clean_text

CASE_FORM = {
    "title": "Fravær\x00 på grundforløbet",
    "problem": "Mange elever\x07 udebliver\x00 om fredagen.\r\nIsær i foråret.",
    "context": "Tre hold,\tfire lærere.",
    "tried": "Sms til forældre.",
    "question": "Hvordan får vi lærerne med\x1b på en fælles indsats?",
    "al_stage": "problem",
    "tools": ["motivation"],
    "focus_areas": ["learning_environment"],
    "tags": "fravær, fællesskab",
    "visibility": "named",
    "publish": "1",
}


def bearer(member) -> dict:
    _token, plain = auth_service.create_api_token(member, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_clean_text_keeps_tab_newline_and_carriage_return():
    assert clean_text("a\x00b\x01\x08\x0b\x0c\x0e\x1fc\t\r\nd\x7fæ") == "abc\t\r\nd\x7fæ"
    assert clean_text(None) is None and clean_text(3) == 3


def test_a_case_posted_with_nul_characters_is_saved_without_them(client, auth, factory):
    author = factory.member("Olga Ejer")
    auth.login(author)
    response = client.post("/sager/ny", data=CASE_FORM)
    assert response.status_code == 303
    case = db.session.scalar(select(Case).where(Case.author_id == author.id))
    assert case.title == "Fravær på grundforløbet"
    assert case.problem == "Mange elever udebliver om fredagen.\r\nIsær i foråret."
    assert case.context == "Tre hold,\tfire lærere."
    assert case.question == "Hvordan får vi lærerne med på en fælles indsats?"
    assert "Fravær på grundforløbet" in client.get(response.headers["Location"]).text


def test_a_profile_bio_with_a_nul_character_is_saved_without_it(client, auth, factory):
    me = factory.member("Bo Bio")
    auth.login(me)
    response = client.post(
        "/profil", data={"name": "Bo\x00 Bio", "bio": "Jeg\x00 leder EUX.", "school_id": me.school_id}
    )
    assert response.status_code == 302
    db.session.refresh(me)
    assert (me.name, me.bio) == ("Bo Bio", "Jeg leder EUX.")


def test_a_field_of_only_control_characters_counts_as_empty(client, auth, factory):
    auth.login(factory.member())
    response = client.post("/sager/ny", data={**CASE_FORM, "title": "\x00\x00"})
    assert response.status_code != 303
    assert db.session.scalar(select(Case)) is None


def test_an_api_case_with_nul_characters_is_saved_without_them(client, factory):
    author = factory.member()
    body = {
        "title": "Nye lærere\x00 bliver hurtigt trætte",
        "problem": "Vi mister nye lærere\x00 i løbet af det første år.",
        "question": "Hvordan tager vi\r\nbedre\x00 imod dem?",
        "tools": ["leadership"],
        "tags": ["intro\x00duktion"],
        "visibility": "anonymous",
    }
    response = client.post("/api/v1/cases", json=body, headers=bearer(author))
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["title"] == "Nye lærere bliver hurtigt trætte"
    case = db.session.get(Case, created["id"])
    assert case.problem == "Vi mister nye lærere i løbet af det første år."
    assert case.question == "Hvordan tager vi\r\nbedre imod dem?"
    assert list(case.tags) == ["introduktion"]


def test_an_api_query_string_with_a_nul_character_is_cleaned(client, factory):
    response = client.get("/api/v1/members?q=Bo\x00&tool=motivation", headers=bearer(factory.member()))
    assert response.status_code == 200


def test_every_form_and_api_schema_uses_the_cleaning_base(app):
    forms = [f for f in _subclasses(FlaskForm) if f.__module__.startswith("network.")]
    assert forms
    unclean = [f"{f.__module__}.{f.__name__}" for f in forms if not issubclass(f, BaseForm)]
    assert unclean == []
    schemas = [s for s in _subclasses(ma.Schema) if s.__module__.startswith("network.")]
    assert schemas and all(issubclass(s, Schema) for s in schemas)


# --- one-line fields hold one line (issue 14, finding 3) -----------------------------------------


def test_clean_line_makes_every_line_break_one_space():
    from network.forms import clean_line

    assert clean_line("Fravær\r\nBcc: x@y\u2028på\u0085hold\x00et\tnu") == "Fravær Bcc: x@y på holdet nu"
    assert clean_line(None) is None


def test_a_title_with_line_breaks_is_one_line_from_the_api_and_replies_still_work(client, factory):
    from network.cases import social

    author, follower = factory.member(), factory.member(email_frequency="event")
    body = {
        "title": "Nye lærere\r\nBcc: alle@andre.test",
        "problem": "Vi mister nye lærere.\r\nIsær i første år.",
        "question": "Hvordan tager vi imod dem?",
        "tools": ["leadership"],
        "visibility": "named",
        "publish": True,
    }
    response = client.post("/api/v1/cases", json=body, headers=bearer(author))
    assert response.status_code == 201, response.get_json()
    case = db.session.get(Case, response.get_json()["id"])
    assert case.title == "Nye lærere Bcc: alle@andre.test"
    assert case.problem == "Vi mister nye lærere.\r\nIsær i første år."  # a text area keeps its lines
    social.follow_case(follower, case)
    db.session.commit()
    answer = client.post(
        f"/api/v1/cases/{case.id}/replies", json={"kind": "question", "body": "Hvem?"}, headers=bearer(author)
    )
    assert answer.status_code == 201, answer.get_json()


def test_a_title_with_line_breaks_is_one_line_from_the_form(client, auth, factory):
    author = factory.member("Olga Ejer")
    auth.login(author)
    response = client.post("/sager/ny", data={**CASE_FORM, "title": "Fravær\r\npå\rgrundforløbet"})
    assert response.status_code == 303
    case = db.session.scalar(select(Case).where(Case.author_id == author.id))
    assert case.title == "Fravær på grundforløbet"
    assert case.problem == "Mange elever udebliver om fredagen.\r\nIsær i foråret."


def test_a_session_title_from_a_socket_event_is_one_line(app, factory):
    from network.rooms.models import ReflectingSession
    from tests.rooms.conftest import Sockets, emit, make_case, make_room

    sockets = Sockets(app)

    facilitator, giver, team = factory.coordinator(), factory.member(), factory.member()
    room, case = make_room(facilitator), make_case(giver)
    sock = sockets.connect(facilitator)
    emit(sock, "join", {"room_id": room.id})
    start = {"room_id": room.id, "case_id": case.id, "case_giver_id": giver.id, "team_ids": [team.id]}
    answer = emit(sock, "session_start", {**start, "title": "Torsdag\r\nkl. 14"})
    assert answer["ok"], answer
    sockets.close()
    assert db.session.get(ReflectingSession, answer["session"]["id"]).title == "Torsdag kl. 14"


def test_every_long_api_text_field_says_whether_it_keeps_line_breaks(app):
    """A field meant for paragraphs must be ``Text``; everything else arrives as one line."""
    from marshmallow import validate as v

    from network.api.schemas import Text

    def max_length(field: ma.fields.Field) -> int:
        limits = [x.max for x in field.validators if isinstance(x, v.Length) and x.max]
        return max(limits, default=0)

    schemas = [s for s in _subclasses(ma.Schema) if s.__module__.startswith("network.")]
    long_one_liners = [
        f"{schema.__name__}.{name}"
        for schema in schemas
        for name, field in schema().load_fields.items()
        if type(field) is ma.fields.String and max_length(field) > 500
    ]
    assert long_one_liners == []
    assert any(isinstance(f, Text) for s in schemas for f in s().load_fields.values())
