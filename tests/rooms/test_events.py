"""The /rooms namespace: who may connect, and every event with its authorization."""

import datetime as dt

import time_machine

from network.auth.service import create_api_token
from network.db import db
from network.notifications.models import Notification
from network.rooms.models import Message
from tests.rooms.conftest import cid, emit, events, invite, make_room, received


def test_anonymous_connection_is_refused(app, sockets):
    sock = sockets.connect(None)
    assert not sock.is_connected("/rooms")


def test_a_bad_api_token_is_refused(app, sockets):
    sock = sockets.connect(None, auth={"token": "not-a-token"})
    assert not sock.is_connected("/rooms")


def test_a_member_connects_with_the_sign_in_cookie(factory, sockets):
    member = factory.member()
    assert sockets.connect(member).is_connected("/rooms")


def test_a_member_connects_with_an_api_token(factory, sockets):
    member = factory.member()
    _token, plain = create_api_token(member, "bot")
    db.session.commit()
    assert sockets.connect(None, auth={"token": plain}).is_connected("/rooms")


def test_a_message_is_stored_then_broadcast_to_everyone_in_the_room(factory, sockets):
    anna, bo = factory.member(name="Anna Andersen"), factory.member(name="Bo Berg")
    room = make_room(anna)
    a, b = sockets.connect(anna), sockets.connect(bo)
    assert emit(a, "join", {"room_id": room.id})["ok"]
    assert emit(b, "join", {"room_id": room.id})["ok"]
    received(a), received(b)

    answer = emit(a, "message", {"room_id": room.id, "body": "Hej **alle**", "client_id": cid()})

    assert answer["ok"] and answer["created"]
    stored = db.session.get(Message, answer["message"]["id"])
    assert stored.body == "Hej **alle**"
    (seen,) = events(b, "message")
    assert seen["id"] == stored.id
    assert "<strong>alle</strong>" in seen["html"]


def test_control_characters_in_a_message_are_dropped_not_refused(factory, sockets):
    anna = factory.member()
    room = make_room(anna)
    a = sockets.connect(anna)
    answer = emit(
        a, "message", {"room_id": room.id, "body": "Hej\x00 alle\x07\nNy linje", "client_id": cid()}
    )
    assert answer["ok"], answer
    assert db.session.get(Message, answer["message"]["id"]).body == "Hej alle\nNy linje"


def test_a_retry_with_the_same_client_id_never_duplicates(factory, sockets):
    anna = factory.member()
    room = make_room(anna)
    a = sockets.connect(anna)
    client_id = cid()
    first = emit(a, "message", {"room_id": room.id, "body": "Én gang", "client_id": client_id})
    again = emit(a, "message", {"room_id": room.id, "body": "Én gang", "client_id": client_id})
    assert first["message"]["id"] == again["message"]["id"]
    assert again["created"] is False
    assert db.session.query(Message).count() == 1


def test_join_with_the_last_id_seen_returns_what_was_missed_in_order(factory, sockets):
    anna, bo = factory.member(), factory.member()
    room = make_room(anna)
    a = sockets.connect(anna)
    ids = [
        emit(a, "message", {"room_id": room.id, "body": f"nr {i}", "client_id": cid()})["message"]["id"]
        for i in range(5)
    ]

    b = sockets.connect(bo)
    emit(b, "join", {"room_id": room.id, "last_id": ids[1]})

    (history,) = events(b, "history")
    assert [m["id"] for m in history["messages"]] == ids[2:]


def test_earlier_history_comes_page_by_page(factory, sockets):
    anna = factory.member()
    room = make_room(anna)
    db.session.add_all(
        [Message(room_id=room.id, author_id=anna.id, client_id=cid(), body=f"{i}") for i in range(60)]
    )
    db.session.commit()
    a = sockets.connect(anna)
    emit(a, "join", {"room_id": room.id})
    (latest,) = events(a, "history")
    assert len(latest["messages"]) == 50
    emit(a, "history", {"room_id": room.id, "before_id": latest["messages"][0]["id"]})
    (page,) = events(a, "history_page")
    assert [m["body"] for m in page["messages"]] == [str(i) for i in range(10)]
    assert page["more"] is False


def test_an_invite_only_room_refuses_members_outside_it(factory, sockets):
    owner, guest, outsider = factory.member(), factory.member(), factory.member()
    room = make_room(owner, access="invite")
    invite(room, guest)
    out = sockets.connect(outsider)

    for event, data in (
        ("join", {"room_id": room.id}),
        ("message", {"room_id": room.id, "body": "Må jeg?", "client_id": cid()}),
        ("history", {"room_id": room.id}),
        ("typing", {"room_id": room.id}),
        ("read", {"room_id": room.id, "message_id": 1}),
    ):
        answer = emit(out, event, data)
        assert answer["ok"] is False
        assert answer["error"]["code"] == "not_in_room"
    errors = events(out, "error")
    assert len(errors) == 5 and errors[0]["message"] == "Du har ikke adgang til dette rum."
    assert db.session.query(Message).count() == 0

    assert emit(sockets.connect(guest), "join", {"room_id": room.id})["ok"]
    assert emit(sockets.connect(factory.coordinator()), "join", {"room_id": room.id})["ok"]


def test_an_error_goes_to_that_client_alone_and_the_room_carries_on(factory, sockets):
    anna, bo = factory.member(), factory.member()
    room = make_room(anna)
    a, b = sockets.connect(anna), sockets.connect(bo)
    emit(a, "join", {"room_id": room.id}), emit(b, "join", {"room_id": room.id})
    received(a), received(b)

    emit(a, "message", {"room_id": room.id, "body": "x" * 4001, "client_id": cid()})
    assert events(a, "error")[0]["code"] == "invalid_message"
    assert events(b, "error") == []

    assert emit(a, "message", {"room_id": room.id, "body": "Kort", "client_id": cid()})["ok"]
    assert [m["body"] for m in events(b, "message")] == ["Kort"]


def test_malformed_and_unknown_events_get_a_clear_error(factory, sockets):
    anna = factory.member()
    room = make_room(anna)
    a = sockets.connect(anna)
    cases = [
        ("nonsense", {"room_id": room.id}),
        ("message", "just a string"),
        ("message", {"room_id": "1", "body": "x", "client_id": cid()}),
        ("message", {"room_id": room.id, "body": 42, "client_id": cid()}),
        ("message", {"room_id": room.id, "body": "hej", "client_id": "<script>"}),
        ("message", {"room_id": room.id, "body": "   ", "client_id": cid()}),
        ("join", {"room_id": 99999}),
        ("session_start", {"room_id": room.id, "team_ids": "all"}),
    ]
    for event, data in cases:
        answer = emit(a, event, data)
        assert answer["ok"] is False, event
        assert answer["error"]["message"]
    a.emit("message", namespace="/rooms")  # no payload at all
    assert events(a, "error")[-1]["code"] == "invalid_event"
    assert a.is_connected("/rooms")
    assert emit(a, "message", {"room_id": room.id, "body": "Stadig her", "client_id": cid()})["ok"]


def test_floods_are_refused_per_member(factory, sockets):
    anna, bo = factory.member(), factory.member()
    room = make_room(anna)
    a, b = sockets.connect(anna), sockets.connect(bo)
    answers = [
        emit(a, "message", {"room_id": room.id, "body": f"{i}", "client_id": cid()}) for i in range(12)
    ]
    assert [x["ok"] for x in answers].count(True) == 8
    assert answers[-1]["error"]["code"] == "rate_limited"
    assert emit(b, "message", {"room_id": room.id, "body": "Jeg må godt", "client_id": cid()})["ok"]


def test_the_author_edits_and_deletes_within_fifteen_minutes(factory, sockets):
    anna, bo = factory.member(), factory.member()
    room = make_room(anna)
    a, b = sockets.connect(anna), sockets.connect(bo)
    emit(b, "join", {"room_id": room.id})
    message_id = emit(a, "message", {"room_id": room.id, "body": "Stavfjel", "client_id": cid()})["message"][
        "id"
    ]

    assert (
        emit(b, "edit", {"message_id": message_id, "body": "Ikke din"})["error"]["code"]
        == "edit_window_closed"
    )
    assert emit(a, "edit", {"message_id": message_id, "body": "Stavefejl"})["message"]["body"] == "Stavefejl"
    assert events(b, "message_updated")[-1]["body"] == "Stavefejl"
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)):
        assert emit(a, "delete", {"message_id": message_id})["error"]["code"] == "edit_window_closed"
    assert emit(a, "delete", {"message_id": message_id})["message"]["deleted"] is True


def test_mentions_notify_the_member_named(factory, sockets):
    anna, bo = factory.member(name="Anna Andersen"), factory.member(name="Bo Berg")
    room = make_room(anna)
    a = sockets.connect(anna)
    emit(a, "message", {"room_id": room.id, "body": "Hvad tænker du, @Bo Berg?", "client_id": cid()})
    notes = db.session.query(Notification).filter_by(member_id=bo.id).all()
    assert len(notes) == 1 and "Anna Andersen" in notes[0].title
    emit(a, "message", {"room_id": room.id, "body": "Ingen nævnt her", "client_id": cid()})
    assert db.session.query(Notification).filter_by(member_id=bo.id).count() == 1


def test_deleting_a_message_withdraws_its_mentions(factory, sockets):
    anna, bo = factory.member(name="Anna Andersen"), factory.member(name="Bo Berg")
    room = make_room(anna)
    a = sockets.connect(anna)
    answer = emit(a, "message", {"room_id": room.id, "body": "@Bo se her", "client_id": cid()})
    assert db.session.query(Notification).filter_by(member_id=bo.id).count() == 1
    emit(a, "delete", {"message_id": answer["message"]["id"]})
    assert db.session.query(Notification).filter_by(member_id=bo.id).count() == 0


def test_typing_and_presence_reach_the_others(factory, sockets):
    anna, bo = factory.member(name="Anna Andersen"), factory.member(name="Bo Berg")
    room = make_room(anna)
    a, b = sockets.connect(anna), sockets.connect(bo)
    emit(a, "join", {"room_id": room.id})
    emit(b, "join", {"room_id": room.id})
    assert {m["name"] for m in events(a, "presence")[-1]["online"]} == {"Anna Andersen", "Bo Berg"}
    emit(a, "typing", {"room_id": room.id})
    assert events(b, "typing")[0]["member"]["name"] == "Anna Andersen"
    assert events(a, "typing") == []
    assert emit(a, "heartbeat", {})["ok"]

    b.disconnect("/rooms")
    assert [m["name"] for m in events(a, "presence")[-1]["online"]] == ["Anna Andersen"]
    emit(a, "leave", {"room_id": room.id})


def test_read_marks_how_far_the_member_has_read(factory, sockets, client, auth):
    anna, bo = factory.member(), factory.member()
    room = make_room(anna, name="Læserummet")
    a, b = sockets.connect(anna), sockets.connect(bo)
    ids = [
        emit(a, "message", {"room_id": room.id, "body": f"{i}", "client_id": cid()})["message"]["id"]
        for i in range(3)
    ]
    auth.login(bo)
    assert "3 ulæste" in client.get("/rum").get_data(as_text=True)
    assert emit(b, "read", {"room_id": room.id, "message_id": ids[1]})["ok"]
    assert "1 ulæst" in client.get("/rum").get_data(as_text=True)


# --- a socket ends with the session it opened in (issue 14, finding 7) --------------------------


def test_a_socket_opened_before_a_password_change_cannot_post_after_it(app, factory, sockets):
    from network.auth.service import change_password

    member = factory.member()
    room = make_room(member)
    sock = sockets.connect(member)
    emit(sock, "join", {"room_id": room.id})
    assert emit(sock, "message", {"room_id": room.id, "body": "Før", "client_id": cid()})["ok"]
    change_password(member, "en-lang-god-sætning", "et helt nyt og langt kodeord")
    db.session.commit()
    answer = emit(sock, "message", {"room_id": room.id, "body": "Efter", "client_id": cid()})
    assert answer["ok"] is False and answer["error"]["code"] == "unauthenticated"
    assert not sock.is_connected("/rooms")
    assert [m.body for m in db.session.query(Message)] == ["Før"]


def test_a_socket_signed_in_with_an_api_token_ends_when_the_token_is_revoked(factory, sockets):
    from network.auth.service import end_all_sessions

    member = factory.member()
    room = make_room(member)
    _token, plain = create_api_token(member, "robot")
    db.session.commit()
    sock = sockets.connect(None, auth={"token": plain})
    assert emit(sock, "join", {"room_id": room.id})["ok"]
    end_all_sessions(member)
    db.session.commit()
    assert emit(sock, "heartbeat", {})["error"]["code"] == "unauthenticated"
    assert not sock.is_connected("/rooms")


# --- every event is throttled, and one event's work is bounded (issue 14, finding 9) ------------


def _flood(sock, n: int, room_id: int) -> list[dict]:  # noqa: ANN001
    return [emit(sock, "join", {"room_id": room_id}) for _ in range(n)]


def test_a_flood_of_joins_is_refused_after_the_burst_and_others_are_unaffected(app, factory, sockets):
    app.config.update(ROOMS_EVENT_RATE=0.5, ROOMS_EVENT_BURST=5)
    flooder, other = factory.member(), factory.member()
    room = make_room(other)
    answers = _flood(sockets.connect(flooder), 40, room.id)
    accepted = [a for a in answers if a["ok"]]
    assert 5 <= len(accepted) <= 7  # the burst, plus what trickled back in meanwhile
    assert {a["error"]["code"] for a in answers if not a["ok"]} == {"rate_limited"}
    # A second connection of the same member shares the member's budget (twice one connection's).
    more = _flood(sockets.connect(flooder), 40, room.id)
    assert len([a for a in more if a["ok"]]) <= 10 - len(accepted) + 2
    # Someone else is not held back by it.
    calm = sockets.connect(other)
    assert all(a["ok"] for a in _flood(calm, 5, room.id))


def test_every_kind_of_event_spends_from_the_budget(app, factory, sockets):
    app.config.update(ROOMS_EVENT_RATE=0.5, ROOMS_EVENT_BURST=3)
    member = factory.member()
    room = make_room(member)
    sock = sockets.connect(member)
    answers = [
        emit(sock, event, data)
        for event, data in [
            ("heartbeat", {}),
            ("history", {"room_id": room.id}),
            ("typing", {"room_id": room.id}),
            ("read", {"room_id": room.id}),
            ("leave", {"room_id": room.id}),
            ("no_such_event", {}),
        ]
    ]
    assert [a["ok"] for a in answers[:3]] == [True, True, True]
    assert all(a["error"]["code"] == "rate_limited" for a in answers[3:])


def test_one_connection_is_in_at_most_ten_rooms(factory, sockets):
    member = factory.member()
    rooms = [make_room(member, name=f"Rum {i}") for i in range(11)]
    sock = sockets.connect(member)
    answers = [emit(sock, "join", {"room_id": r.id}) for r in rooms]
    assert all(a["ok"] for a in answers[:10])
    assert answers[10]["error"]["code"] == "invalid_event"
    assert emit(sock, "join", {"room_id": rooms[0].id})["ok"]  # again into one it is in: fine
    assert emit(sock, "leave", {"room_id": rooms[1].id})["ok"]
    assert emit(sock, "join", {"room_id": rooms[10].id})["ok"]


def test_joining_again_does_not_tell_the_room_again(factory, sockets):
    member, watcher = factory.member(), factory.member()
    room = make_room(member)
    eyes = sockets.connect(watcher)
    emit(eyes, "join", {"room_id": room.id})
    events(eyes, "presence")  # its own arrival
    sock = sockets.connect(member)
    for _ in range(5):
        emit(sock, "join", {"room_id": room.id})
    assert len(events(eyes, "presence")) == 1
