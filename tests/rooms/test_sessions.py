"""Reflecting-team sessions: each phase, each role, allowed and refused; the facilitator's controls."""

import datetime as dt

import pytest
import time_machine

from network.db import db
from network.rooms.models import ReflectingSession
from tests.rooms.conftest import cid, emit, events, make_case, make_room

SPEAKS = {
    # phase: who may post (facilitator, case giver, team member, observer, bystander)
    "present": {"facilitator", "case_giver"},
    "questions": {"facilitator", "case_giver", "team"},
    "reflecting": {"facilitator", "team"},
    "response": {"case_giver"},
    "roundup": {"facilitator", "case_giver", "team"},
}


@pytest.fixture
def cast(factory, sockets):
    """A room with a facilitator, a case giver, a team member, an observer and a bystander, all joined."""
    people = {
        "facilitator": factory.coordinator(name="Fie Facilitator"),
        "case_giver": factory.member(name="Carl Sagsgiver"),
        "team": factory.member(name="Tine Team"),
        "observer": factory.member(name="Ole Observatør"),
        "bystander": factory.member(name="Bent Udenfor"),
    }
    room = make_room(people["facilitator"])
    case = make_case(people["case_giver"])
    socks = {role: sockets.connect(member) for role, member in people.items()}
    for sock in socks.values():
        emit(sock, "join", {"room_id": room.id})
    return {"people": people, "room": room, "case": case, "socks": socks}


def start(cast, **minutes):  # noqa: ANN001, ANN201
    people = cast["people"]
    return emit(
        cast["socks"]["facilitator"],
        "session_start",
        {
            "room_id": cast["room"].id,
            "case_id": cast["case"].id,
            "case_giver_id": people["case_giver"].id,
            "team_ids": [people["team"].id],
            "observer_ids": [people["observer"].id],
            "minutes": minutes,
        },
    )


def test_every_role_in_every_phase(cast):
    answer = start(cast)
    assert answer["ok"], answer
    session_id = answer["session"]["id"]
    for phase, speakers in SPEAKS.items():
        state = db.session.get(ReflectingSession, session_id)
        assert state.phase == phase
        for role, sock in cast["socks"].items():
            reply = emit(
                sock, "message", {"room_id": cast["room"].id, "body": f"{role} i {phase}", "client_id": cid()}
            )
            if role in speakers:
                assert reply["ok"], (phase, role, reply)
                assert reply["message"]["phase"] == phase
            else:
                assert reply["ok"] is False, (phase, role)
                assert reply["error"]["code"] == "out_of_turn"
        emit(cast["socks"]["facilitator"], "session_advance", {"session_id": session_id})
    assert db.session.get(ReflectingSession, session_id).status == "finished"
    # After the session the room is open again for everyone.
    assert emit(
        cast["socks"]["bystander"],
        "message",
        {"room_id": cast["room"].id, "body": "Tak!", "client_id": cid()},
    )["ok"]


def test_the_case_giver_is_told_why_in_the_reflecting_phase(cast):
    session_id = start(cast)["session"]["id"]
    for _ in range(2):
        emit(cast["socks"]["facilitator"], "session_advance", {"session_id": session_id})
    events(cast["socks"]["case_giver"], "error")
    emit(
        cast["socks"]["case_giver"],
        "message",
        {"room_id": cast["room"].id, "body": "Må jeg?", "client_id": cid()},
    )
    (error,) = events(cast["socks"]["case_giver"], "error")
    assert error["message"] == "Nu taler det reflekterende team; som sagsgiver lytter du med."


def test_everyone_gets_phase_roles_and_an_absolute_deadline_with_server_time(cast):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        start(cast, present=7)
    state = events(cast["socks"]["bystander"], "session")[-1]
    assert state["phase"] == "present"
    assert state["deadline"] == "2026-03-02T09:07:00+00:00"
    assert state["server_time"] == "2026-03-02T09:00:00+00:00"
    assert state["case_giver"]["name"] == "Carl Sagsgiver"
    assert [m["name"] for m in state["team"]] == ["Tine Team"]
    assert [m["name"] for m in state["observers"]] == ["Ole Observatør"]
    assert [p["minutes"] for p in state["phases"]] == [7, 10, 15, 10, 10]


def test_a_late_joiner_receives_the_running_session(cast, sockets):
    start(cast)
    late = sockets.connect(cast["people"]["bystander"])
    emit(late, "join", {"room_id": cast["room"].id})
    assert events(late, "session")[0]["phase"] == "present"


def test_only_the_facilitator_controls_the_session(cast):
    session_id = start(cast)["session"]["id"]
    for role in ("case_giver", "team", "observer", "bystander"):
        for event in ("session_advance", "session_pause", "session_resume"):
            reply = emit(cast["socks"][role], event, {"session_id": session_id})
            assert reply["ok"] is False, (role, event)
        assert (
            emit(cast["socks"][role], "session_extend", {"session_id": session_id, "minutes": 5})["ok"]
            is False
        )
    assert db.session.get(ReflectingSession, session_id).phase == "present"


def test_only_the_owner_or_a_coordinator_starts_a_session(cast, factory, sockets):
    people = cast["people"]
    reply = emit(
        cast["socks"]["team"],
        "session_start",
        {
            "room_id": cast["room"].id,
            "case_id": cast["case"].id,
            "case_giver_id": people["case_giver"].id,
            "team_ids": [people["team"].id],
        },
    )
    assert reply["error"]["code"] == "not_allowed"
    assert start(cast)["ok"]
    assert start(cast)["error"]["code"] == "session_error"  # one at a time


def test_a_session_needs_a_published_case(cast):
    cast["case"].status = "draft"
    db.session.commit()
    assert start(cast)["error"]["code"] == "case_not_usable"


def test_durations_are_checked(cast):
    assert start(cast, present=0)["ok"] is False
    assert start(cast, present=500)["ok"] is False


def test_pause_resume_and_extend_keep_the_time_left(cast):
    fac = cast["socks"]["facilitator"]
    t0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(t0, tick=False) as clock:
        session_id = start(cast, present=10)["session"]["id"]
        clock.move_to(t0 + dt.timedelta(minutes=4))
        paused = emit(fac, "session_pause", {"session_id": session_id})["session"]
        assert paused["status"] == "paused" and paused["remaining_seconds"] == 360
        # While paused only the facilitator posts.
        reply = emit(
            cast["socks"]["case_giver"],
            "message",
            {"room_id": cast["room"].id, "body": "Hej", "client_id": cid()},
        )
        assert reply["error"]["code"] == "out_of_turn"
        assert emit(fac, "session_pause", {"session_id": session_id})["ok"] is False
        clock.move_to(t0 + dt.timedelta(minutes=30))
        resumed = emit(fac, "session_resume", {"session_id": session_id})["session"]
        assert resumed["deadline"] == "2026-03-02T09:36:00+00:00"
        extended = emit(fac, "session_extend", {"session_id": session_id, "minutes": 5})["session"]
        assert extended["deadline"] == "2026-03-02T09:41:00+00:00"


def test_the_summary_is_written_by_facilitator_or_case_giver_at_the_end(cast):
    fac = cast["socks"]["facilitator"]
    session_id = start(cast)["session"]["id"]
    summary = {
        "session_id": session_id,
        "next_actions": "Carl taler med teamet.",
        "learnings": "Spørg før du råder.",
    }
    assert emit(fac, "session_summary", summary)["error"]["code"] == "session_error"  # too early
    for _ in range(4):
        emit(fac, "session_advance", {"session_id": session_id})
    assert emit(cast["socks"]["team"], "session_summary", summary)["ok"] is False
    assert emit(cast["socks"]["case_giver"], "session_summary", summary)["ok"]
    emit(fac, "session_advance", {"session_id": session_id})
    session = db.session.get(ReflectingSession, session_id)
    assert session.status == "finished"
    assert session.next_actions == "Carl taler med teamet." and session.case_id == cast["case"].id
    assert emit(fac, "session_advance", {"session_id": session_id})["ok"] is False


def test_two_advances_from_the_same_phase_move_only_one_phase(cast):
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    from network.rooms import sessions

    session_id = start(cast)["session"]["id"]
    facilitator = cast["people"]["facilitator"]
    mine = db.session.get(ReflectingSession, session_id)
    assert mine.phase == "present"
    with Session(db.engine) as other:
        theirs = other.get(ReflectingSession, session_id)
        sessions.advance(other.get(type(facilitator), facilitator.id), theirs)
        other.commit()
    sessions.advance(facilitator, mine)  # still thinks it is in "present"
    with pytest.raises(StaleDataError):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(ReflectingSession, session_id).phase == "questions"


def test_everyone_named_in_a_session_is_told(cast):
    from network.notifications.models import Notification

    start(cast)
    told = {
        n.member_id
        for n in db.session.scalars(db.select(Notification).where(Notification.kind == "session_named"))
    }
    people = cast["people"]
    assert told == {people[role].id for role in ("case_giver", "team", "observer")}


# --- whose case a session works on (issue 14, finding 2) ---------------------------------------


def _finish(fac, session_id: int) -> None:
    for _ in range(4):
        emit(fac, "session_advance", {"session_id": session_id})


def test_a_session_cannot_take_another_members_case(cast, factory):
    """The room owner names someone else's case with themselves, or a third member, as case giver."""
    stranger_case = make_case(factory.member(name="Sara Fremmed"), title="Sara's sag")
    people = cast["people"]
    reply = emit(
        cast["socks"]["facilitator"],
        "session_start",
        {
            "room_id": cast["room"].id,
            "case_id": stranger_case.id,
            "case_giver_id": people["case_giver"].id,
            "team_ids": [people["team"].id],
        },
    )
    assert reply["error"]["code"] == "session_error"
    assert reply["error"]["message"].startswith("En session arbejder med rummets egen sag")
    assert db.session.query(ReflectingSession).count() == 0


def test_a_summary_reaches_someone_elses_case_only_when_its_owner_writes_it(cast):
    """The facilitator's summary waits at the session; the owner is asked, and their save puts it on."""
    from network.cases.models import Case
    from network.notifications.models import Notification

    fac, giver = cast["socks"]["facilitator"], cast["socks"]["case_giver"]
    session_id = start(cast)["session"]["id"]
    _finish(fac, session_id)
    summary = {"session_id": session_id, "next_actions": "Tal med teamet.", "learnings": ""}
    answer = emit(fac, "session_summary", summary)
    assert answer["ok"] and answer["on_case"] is False
    case = db.session.get(Case, cast["case"].id)
    assert case.outcomes == []
    asked = (
        db.session.query(Notification)
        .filter(Notification.kind != "session_named")
        .filter_by(member_id=cast["people"]["case_giver"].id)
        .one()
    )
    assert "venter på, at du gemmer den" in asked.title and f"/rum/sessioner/{session_id}" in asked.url
    answer = emit(giver, "session_summary", summary)
    assert answer["ok"] and answer["on_case"] is True
    db.session.expire_all()
    assert [o.next_actions for o in db.session.get(Case, cast["case"].id).outcomes] == ["Tal med teamet."]


def test_the_owner_is_told_when_a_summary_is_written_on_their_rooms_case(factory, sockets):
    """In a case room a coordinator facilitates; their summary goes onto the case, and the owner hears."""
    from network.cases.models import Case
    from network.notifications.models import Notification

    owner, coordinator, team = factory.member(), factory.coordinator(), factory.member()
    case = make_case(owner)
    room = make_room(owner, kind="case", case_id=case.id)
    fac = sockets.connect(coordinator)
    plan = {"room_id": room.id, "case_id": case.id, "case_giver_id": owner.id, "team_ids": [team.id]}
    session_id = emit(fac, "session_start", plan)["session"]["id"]
    _finish(fac, session_id)
    answer = emit(fac, "session_summary", {"session_id": session_id, "next_actions": "Prøv det af."})
    assert answer["on_case"] is True
    assert [o.next_actions for o in db.session.get(Case, case.id).outcomes] == ["Prøv det af."]
    told = (
        db.session.query(Notification)
        .filter(Notification.kind != "session_named")
        .filter_by(member_id=owner.id)
        .one()
    )
    assert "er gemt på din sag" in told.title and told.url == f"/sager/{case.id}"
