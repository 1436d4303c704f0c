"""The rooms pages: list, create, room, no-JS posting, invitations, sessions and transcripts."""

import json
import re
from html import unescape

from network.db import db
from network.rooms.models import Message, ReflectingSession, Room, RoomMember
from tests.rooms.conftest import cid, invite, make_case, make_room


def test_visitors_are_sent_to_sign_in(client, factory):
    room = make_room(factory.member())
    for url in ("/rum", "/rum/nyt", f"/rum/{room.id}", f"/rum/{room.id}/udskrift"):
        assert client.get(url).status_code == 302


def test_the_rooms_page_lists_rooms_with_unread_and_nav(client, auth, factory):
    anna, bo = factory.member(), factory.member()
    room = make_room(anna, name="Pædagogisk ledelse")
    db.session.add(Message(room_id=room.id, author_id=anna.id, client_id=cid(), body="Hej"))
    db.session.commit()
    auth.login(bo)
    html = client.get("/rum").get_data(as_text=True)
    assert "Pædagogisk ledelse" in html and "1 ulæst" in html
    assert 'href="/rum"' in html  # the nav item
    client.get(f"/rum/{room.id}")
    assert "Ingen ulæste" in client.get("/rum").get_data(as_text=True)


def test_only_coordinators_create_standing_rooms(client, auth, factory):
    auth.login(factory.member())
    assert client.get("/rum/nyt").status_code == 302  # no own case: nothing to open
    auth.logout()
    auth.login(factory.coordinator())
    response = client.post(
        "/rum/nyt", data={"name": "Region Nord", "access": "open", "case_id": 0, "region": "nordjylland"}
    )
    assert response.status_code == 302
    room = db.session.query(Room).one()
    assert (room.kind, room.region) == ("standing", "nordjylland")


def test_a_case_author_opens_a_room_for_their_case(client, auth, factory):
    author, other = factory.member(), factory.member()
    case = make_case(author)
    auth.login(other)
    assert (
        client.post("/rum/nyt", data={"name": "Mit rum", "access": "open", "case_id": case.id}).status_code
        == 302
    )
    assert db.session.query(Room).count() == 0  # other has no case to pick: sent back
    auth.logout()
    auth.login(author)
    response = client.post(
        "/rum/nyt", data={"name": "Sparring på min sag", "access": "invite", "case_id": case.id}
    )
    assert response.status_code == 302
    room = db.session.query(Room).one()
    assert (room.kind, room.case_id, room.owner_id) == ("case", case.id, author.id)


def test_an_empty_name_keeps_what_was_typed(client, auth, factory):
    auth.login(factory.coordinator())
    response = client.post(
        "/rum/nyt", data={"name": "", "description": "Mit lange oplæg", "access": "open", "case_id": 0}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Giv rummet et navn." in html and "Mit lange oplæg" in html


def test_invite_only_rooms_are_closed_to_others(client, auth, factory):
    owner, guest, outsider = factory.member(), factory.member(), factory.member()
    room = make_room(owner, name="Lukket", access="invite")
    auth.login(outsider)
    assert client.get(f"/rum/{room.id}").status_code == 403
    assert client.get(f"/rum/{room.id}/udskrift").status_code == 403
    assert "Lukket" not in client.get("/rum").get_data(as_text=True)
    assert client.post(f"/rum/{room.id}/inviter", data={"member_ids": [outsider.id]}).status_code == 403
    auth.logout()
    auth.login(owner)
    client.post(f"/rum/{room.id}/inviter", data={"member_ids": [guest.id]})
    assert db.session.get(RoomMember, (room.id, guest.id)).is_invited
    auth.logout()
    auth.login(guest)
    assert client.get(f"/rum/{room.id}").status_code == 200


def test_posting_without_javascript(client, auth, factory):
    anna = factory.member()
    room = make_room(anna)
    auth.login(anna)
    response = client.post(
        f"/rum/{room.id}/besked", data={"body": "Hej <script>alert(1)</script>", "client_id": cid()}
    )
    assert response.status_code == 302
    html = client.get(f"/rum/{room.id}").get_data(as_text=True)
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    bad = client.post(f"/rum/{room.id}/besked", data={"body": "x" * 4001, "client_id": cid()})
    assert bad.status_code == 422


def test_a_session_from_the_page_and_its_transcript(client, auth, factory):
    facilitator = factory.coordinator(name="Fie Facilitator")
    giver, team = factory.member(name="Carl Sagsgiver"), factory.member(name="Tine Team")
    case = make_case(giver, title="Fravær på grundforløbet")
    room = make_room(facilitator)
    auth.login(team)
    form = {
        "case_id": case.id,
        "case_giver_id": giver.id,
        "team_ids": [team.id],
        "minutes_present": 5,
        "minutes_questions": 5,
        "minutes_reflecting": 5,
        "minutes_response": 5,
        "minutes_roundup": 5,
    }
    assert client.post(f"/rum/{room.id}/session", data=form).status_code == 403
    auth.logout()
    auth.login(facilitator)
    assert client.post(f"/rum/{room.id}/session", data={**form, "minutes_present": 0}).status_code == 422
    assert client.post(f"/rum/{room.id}/session", data=form).status_code == 302
    session = db.session.query(ReflectingSession).one()
    assert [p["minutes"] for p in session.phases] == [5, 5, 5, 5, 5]
    html = client.get(f"/rum/{room.id}").get_data(as_text=True)
    assert "Sagsgiver fremlægger" in html and "Carl Sagsgiver" in html

    session.phase_index = 4
    db.session.commit()
    auth.logout()
    auth.login(giver)
    summary = {"next_actions": "Tale med holdets lærere.", "learnings": "Lyt før du svarer."}
    saved = client.post(f"/rum/sessioner/{session.id}/opsamling", data=summary)
    # While the session runs, saving the summary keeps the case giver in the room.
    assert saved.status_code == 302 and saved.location.startswith(f"/rum/{room.id}")
    page = client.get(f"/rum/sessioner/{session.id}").get_data(as_text=True)
    assert "Tale med holdets lærere." in page and "Tine Team" in page
    assert client.get(f"/rum/{room.id}/udskrift").status_code == 200


def test_a_member_outside_the_session_cannot_write_its_summary(client, auth, factory):
    facilitator, giver, team = factory.coordinator(), factory.member(), factory.member()
    room = make_room(facilitator)
    case = make_case(giver)
    session = ReflectingSession(
        room_id=room.id,
        case_id=case.id,
        facilitator_id=facilitator.id,
        case_giver_id=giver.id,
        phases=[{"key": "roundup", "minutes": 5}],
        status="running",
    )
    db.session.add(session)
    db.session.commit()
    auth.login(team)
    client.post(f"/rum/sessioner/{session.id}/opsamling", data={"next_actions": "Mit forslag"})
    assert db.session.get(ReflectingSession, session.id).next_actions == ""
    invite(room, team)


def test_after_the_session_the_summary_is_written_on_its_transcript_page(client, auth, factory):
    facilitator, giver, team = factory.coordinator(), factory.member(), factory.member()
    room = make_room(facilitator)
    case = make_case(giver)
    session = ReflectingSession(
        room_id=room.id,
        case_id=case.id,
        title="Afsluttet",
        facilitator_id=facilitator.id,
        case_giver_id=giver.id,
        phases=[{"key": "roundup", "minutes": 5}],
        status="finished",
    )
    db.session.add(session)
    db.session.commit()
    auth.login(team)
    assert "Gem opsamlingen" not in client.get(f"/rum/sessioner/{session.id}").get_data(as_text=True)
    auth.logout()
    auth.login(facilitator)
    assert "Gem opsamlingen" in client.get(f"/rum/sessioner/{session.id}").get_data(as_text=True)
    response = client.post(f"/rum/sessioner/{session.id}/opsamling", data={"learnings": "Vi lyttede."})
    assert response.status_code == 302
    assert "Vi lyttede." in client.get(f"/rum/sessioner/{session.id}").get_data(as_text=True)


def test_outsiders_reach_nothing_in_an_invite_only_room(client, auth, factory):
    owner, giver, outsider = factory.coordinator(), factory.member(), factory.member()
    room = make_room(owner, access="invite")
    case = make_case(giver)
    session = ReflectingSession(
        room_id=room.id,
        case_id=case.id,
        facilitator_id=owner.id,
        case_giver_id=giver.id,
        phases=[{"key": "roundup", "minutes": 5}],
        status="finished",
    )
    db.session.add(session)
    db.session.commit()
    auth.login(outsider)
    assert client.post(f"/rum/{room.id}/besked", data={"body": "Hej", "client_id": cid()}).status_code == 403
    assert client.post(f"/rum/{room.id}/session", data={"case_id": case.id}).status_code == 403
    assert client.get(f"/rum/sessioner/{session.id}").status_code == 403
    assert client.post(f"/rum/sessioner/{session.id}/opsamling", data={"learnings": "x"}).status_code == 403
    assert client.get("/rum/sessioner/999").status_code == 404
    assert db.session.query(Message).count() == 0


def test_session_setup_offers_open_cases_and_defaults_the_case_giver_to_the_author(client, auth, factory):
    """Issue 19 §2: closed cases are not offered; the case giver is the case's author, unless anonymous."""
    facilitator = factory.coordinator(name="Fie Facilitator")
    author, hidden = factory.member(name="Åse Author"), factory.member(name="Hemmelig Hansen")
    case = make_case(author, title="Det åbne forløb")
    make_case(author, title="Det lukkede forløb", status="closed")
    anonymous = make_case(hidden, title="Et anonymt dilemma", visibility="anonymous")
    room = make_room(facilitator, kind="case", case_id=case.id)
    auth.login(facilitator)
    html = client.get(f"/rum/{room.id}").get_data(as_text=True)
    assert "Det åbne forløb" in html and "Et anonymt dilemma" in html
    assert "Det lukkede forløb" not in html
    assert f'<option selected value="{author.id}">Åse Author</option>' in html
    # The page follows the chosen case's author, but an anonymous case's author would be named by it.
    found = re.search(r"data-case-authors=(?:\"([^\"]*)\"|'([^']*)')", html)
    assert found, "the case select carries its authors"
    authors = json.loads(unescape(found.group(1) or found.group(2)))
    assert authors == {str(case.id): author.id}
    assert str(anonymous.id) not in authors
