"""Min uge: each block shows what is new or waiting for the member, and says what to do when empty."""

import datetime as dt

from network.cases import moderation, social
from network.db import db, utcnow
from network.meetups import service as meetups
from network.rooms import service as rooms
from network.week import service as week
from tests.meetups.conftest import local
from tests.queries.test_query_counts import queries_for
from tests.rooms.conftest import make_room


def test_a_reply_by_someone_else_is_new_on_min_uge_until_the_case_is_opened(client, auth, factory, cases):
    me, peer = factory.member(), factory.member(name="Per Sparring")
    case = cases.case(me, title="Kollegial feedback i teamet")
    auth.login(me)
    client.get(f"/sager/{case.id}")
    reply = cases.reply(peer, case, body="Hvad ville en god feedback betyde for dig?")

    page = client.get("/").get_data(as_text=True)
    assert "Min uge" in page and "Kollegial feedback i teamet" in page
    assert f'href="/sager/{case.id}#svar-{reply.id}"' in page and "1 nyt svar" in page

    client.get(f"/sager/{case.id}")
    assert "1 nyt svar" not in client.get("/").get_data(as_text=True)
    assert week.new_replies(me) == []


def test_my_open_cases_say_what_each_waits_for(factory, cases):
    me, peer = factory.member(), factory.member()
    waiting = cases.case(me, title="Ingen har svaret endnu")
    follow_up = cases.case(me, title="Skal følges op")
    cases.reply(peer, follow_up)
    follow_up.status = "follow_up"
    db.session.commit()
    items = {item.case.title: item for item in week.my_open_cases(me)}
    assert items["Ingen har svaret endnu"].waits_for == "first_reply"
    assert items["Skal følges op"].waits_for == "summary"
    assert waiting.id in {item.case.id for item in week.my_open_cases(me)}


def test_sparring_shows_matching_cases_from_other_schools_only(factory, cases):
    school, other = factory.school(), factory.school()
    me = factory.member(school=school)
    me.tools = ["leadership"]
    same = factory.member(school=school)
    away = factory.member(school=other)
    cases.case(same, title="Fra min egen skole", tools=["leadership"])
    cases.case(away, title="Matcher mine værktøjer", tools=["leadership"])
    cases.case(away, title="Et andet værktøj", tools=["language"], focus_areas=[])
    titles = [item.case.title for item in week.cases_for_sparring(me)]
    assert titles == ["Matcher mine værktøjer"]


def test_meetups_show_my_answer_and_polls_waiting_for_it(factory, make_meetup):
    organiser, me = factory.coordinator(), factory.member()
    soon = utcnow() + dt.timedelta(days=7)
    meetup = make_meetup(organiser, title="Netværksdag i Odense", starts_at=soon)
    meetups.respond(me, meetup.id, "going")
    poll = make_meetup(
        organiser,
        title="Hvornår mødes vi?",
        starts_at=None,
        poll_options=[
            (local(2030, 1, 6, 10), local(2030, 1, 6, 12)),
            (local(2030, 1, 7, 10), local(2030, 1, 7, 12)),
        ],
    )
    db.session.commit()
    now = utcnow()
    assert [(i.meetup.title, i.rsvp) for i in week.next_meetups(me, now)] == [
        ("Netværksdag i Odense", "going")
    ]
    assert [m.id for m in week.polls_waiting(me, now)] == [poll.id]


def test_rooms_with_unread_messages_only_those_i_have_been_in(factory):
    me, other = factory.member(), factory.member()
    visited, never = make_room(other, name="Region Midt"), make_room(other, name="Fremmed rum")
    rooms.post_message(other, visited, "Velkommen", rooms.new_client_id())
    rooms.mark_read(me, visited, 0)
    rooms.post_message(other, visited, "Er der nogen?", rooms.new_client_id())
    rooms.post_message(other, never, "Hej", rooms.new_client_id())
    db.session.commit()
    assert [(r.room.name, r.unread) for r in week.rooms_with_unread(me)] == [("Region Midt", 2)]


def test_every_block_has_an_empty_state_that_says_what_to_do(client, auth, factory):
    auth.login(factory.member())
    page = client.get("/").get_data(as_text=True)
    for text in (
        "Intet nyt siden sidst",
        "Du har ingen åbne sager",
        "Ingen sager venter på dig lige nu",
        "Ingen møder i kalenderen",
        "Ingen ulæste beskeder",
        "Vi kender ikke dine værktøjer og fokusområder endnu",
    ):
        assert text in page
    assert 'href="/sager/ny"' in page and "Del et dilemma" in page
    assert "Til koordinatorerne" not in page


def test_coordinators_see_flags_unanswered_cases_and_quiet_schools(client, auth, factory, cases):
    coordinator, author = factory.coordinator(), factory.member()
    case = cases.case(author, title="Gammel sag uden svar")
    case.published_at = utcnow() - dt.timedelta(days=30)
    db.session.commit()

    moderation.flag(factory.member(), case, "Upassende")
    db.session.commit()
    auth.login(coordinator)
    page = client.get("/").get_data(as_text=True)
    assert "Til koordinatorerne" in page and "1 anmeldelse venter" in page
    assert "Gammel sag uden svar" in page


def test_min_uge_costs_the_same_with_little_and_much_going_on(app, client, auth, factory, cases):
    school = factory.school()
    me = factory.coordinator(school=school)
    me.tools = ["leadership"]
    db.session.commit()
    auth.login(me)

    def more(n: int) -> None:
        for i in range(n):
            away = factory.member(school=factory.school())
            away.tools = ["leadership"]
            mine = cases.case(me, title=f"Min sag {i}")
            social.follow_case(me, cases.case(away, title=f"Fulgt sag {i}"))
            cases.case(away, title=f"Sparring {i}", tools=["leadership"])
            cases.reply(away, mine)
            room = make_room(away, name=f"Rum {i}")
            rooms.post_message(away, room, "Hej", rooms.new_client_id())
            rooms.mark_read(me, room, 0)
            rooms.post_message(away, room, "Hej igen", rooms.new_client_id())
        db.session.commit()

    more(2)
    few = queries_for(app, client, "/")
    more(8)
    assert queries_for(app, client, "/") == few
