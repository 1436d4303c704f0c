"""Meetup pages: authorization for every route, forms that keep what was typed, times, CSV, feeds."""

import csv
import io

import icalendar
import pytest
import time_machine

from network.db import db
from network.meetups import calendar, drafts, service
from network.meetups.models import Meetup
from tests.meetups.conftest import NOW, local

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(factory, make_meetup):
    """An invited-only meetup at the host school, and people in every role."""
    host, guest, other = (
        factory.school("Værtsskolen"),
        factory.school("Gæsteskolen"),
        factory.school("Udeskolen"),
    )
    people = {
        "organiser": factory.member("Olga Arrangør", school=host),
        "co": factory.member("Carl Medarrangør", school=guest),
        "member": factory.member("Mia Gæst", school=guest),
        "outsider": factory.member("Ulla Ude", school=other),
        "coordinator": factory.coordinator(name="Kim Koordinator", school=other),
    }
    meetup = make_meetup(
        people["organiser"],
        title="Fravær på tværs",
        visibility="invited",
        invited_school_ids=[guest.id],
        co_organiser_ids=[people["co"].id],
    )
    return meetup, people


ROUTES = [
    ("get", "/netvaerksmoeder/{id}"),
    ("get", "/netvaerksmoeder/{id}.ics"),
    ("get", "/netvaerksmoeder/{id}/rediger"),
    ("get", "/netvaerksmoeder/{id}/deltagere.csv"),
    ("get", "/netvaerksmoeder/{id}/efter"),
    ("post", "/netvaerksmoeder/{id}/svar"),
    ("post", "/netvaerksmoeder/{id}/aflys"),
    ("post", "/netvaerksmoeder/{id}/afstemning"),
]
# Expected status per role; 404 for the outsider: they must not learn the meetup exists.
EXPECTED = {
    "/netvaerksmoeder/{id}": {
        "member": 200,
        "outsider": 404,
        "organiser": 200,
        "co": 200,
        "coordinator": 200,
    },
    "/netvaerksmoeder/{id}.ics": {
        "member": 200,
        "outsider": 404,
        "organiser": 200,
        "co": 200,
        "coordinator": 200,
    },
    "/netvaerksmoeder/{id}/rediger": {
        "member": 403,
        "outsider": 404,
        "organiser": 200,
        "co": 200,
        "coordinator": 200,
    },
    "/netvaerksmoeder/{id}/deltagere.csv": {
        "member": 403,
        "outsider": 404,
        "organiser": 200,
        "co": 200,
        "coordinator": 200,
    },
    "/netvaerksmoeder/{id}/efter": {
        "member": 403,
        "outsider": 404,
        "organiser": 200,
        "co": 200,
        "coordinator": 200,
    },
    "/netvaerksmoeder/{id}/svar": {
        "member": 302,
        "outsider": 404,
        "organiser": 302,
        "co": 302,
        "coordinator": 302,
    },
    "/netvaerksmoeder/{id}/aflys": {
        "member": 403,
        "outsider": 404,
        "organiser": 302,
        "co": 302,
        "coordinator": 302,
    },
    "/netvaerksmoeder/{id}/afstemning": {
        "member": 302,
        "outsider": 404,
        "organiser": 302,
        "co": 302,
        "coordinator": 302,
    },
}


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_visitors_are_sent_to_sign_in(client, world, method, path):
    meetup, _people = world
    response = getattr(client, method)(path.format(id=meetup.id), data={"answer": "going"})
    assert response.status_code == 302 and "/log-ind" in response.headers["Location"]


@pytest.mark.parametrize("role", ["member", "outsider", "organiser", "co", "coordinator"])
@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_every_route_checks_who_may_do_what(app, client, auth, world, role, method, path):
    meetup, people = world
    auth.login(people[role])
    response = getattr(client, method)(path.format(id=meetup.id), data={"answer": "going"})
    assert response.status_code == EXPECTED[path][role]


@pytest.mark.parametrize(
    "path", ["/netvaerksmoeder", "/netvaerksmoeder/kalender?maaned=2026-10", "/netvaerksmoeder/mine"]
)
def test_outsiders_never_see_an_invited_meetup_in_lists(client, auth, world, path):
    meetup, people = world
    auth.login(people["outsider"])
    assert meetup.title not in client.get(path).get_data(as_text=True)
    auth.logout()
    auth.login(people["member"])
    if "mine" not in path:
        assert meetup.title in client.get(path).get_data(as_text=True)


def test_list_pages_need_sign_in(client):
    for path in (
        "/netvaerksmoeder",
        "/netvaerksmoeder/kalender",
        "/netvaerksmoeder/mine",
        "/netvaerksmoeder/nyt",
    ):
        assert client.get(path).status_code == 302


def _form(**changes):
    data = {
        "title": "Netværksdag om fastholdelse",
        "description": "Vi ses *i kantinen*.",
        "host_school_id": "",
        "address": "Havnevej 4, Esbjerg",
        "online_url": "",
        "mode": "fixed",
        "start_date": "2026-10-25",
        "start_time": "10:00",
        "end_date": "",
        "end_time": "15:00",
        "capacity": "2",
        "visibility": "network",
    }
    data.update(changes)
    return data


def test_organiser_creates_a_meetup_on_the_day_summer_time_ends(client, auth, factory):
    member = factory.member("Olga Arrangør")
    auth.login(member)
    response = client.post("/netvaerksmoeder/nyt", data=_form(host_school_id=member.school_id))
    assert response.status_code == 302
    meetup = db.session.scalars(db.select(Meetup)).one()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "søndag 25.10.2026 kl. 10:00" in page and "15:00" in page
    assert "0/2" in page
    assert "<em>i kantinen</em>" in page
    body = client.get(f"/netvaerksmoeder/{meetup.id}.ics").data
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert event.decoded("dtstart").strftime("%H:%M %z") == "10:00 +0100"
    month = client.get("/netvaerksmoeder/kalender?maaned=2026-10").get_data(as_text=True)
    assert "10:00 Netværksdag om fastholdelse" in month


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_time": "09:00"}, "Mødet skal slutte efter, det begynder."),
        (
            {
                "mode": "poll",
                "poll_options-0-day": "2026-11-02",
                "poll_options-0-start_time": "10:00",
                "poll_options-0-end_time": "12:00",
            },
            "Foreslå mellem 2 og 6 tidspunkter.",
        ),
        ({"online_url": "javascript:alert(1)"}, "Linket skal begynde med http:// eller https://."),
        ({"start_date": ""}, "Angiv en dato."),
    ],
)
def test_bad_meetup_input_gets_a_clear_message_and_keeps_what_was_typed(
    client, auth, factory, changes, message
):
    member = factory.member()
    auth.login(member)
    response = client.post("/netvaerksmoeder/nyt", data=_form(host_school_id=member.school_id, **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert 'value="Netværksdag om fastholdelse"' in page and "Havnevej 4, Esbjerg" in page
    assert db.session.scalar(db.select(db.func.count(Meetup.id))) == 0


def test_capacity_below_those_going_is_refused_on_edit(client, auth, factory, make_meetup):
    organiser = factory.member()
    meetup = make_meetup(organiser, capacity=3)
    for _ in range(2):
        service.respond(factory.member(), meetup.id, "going")
    db.session.commit()
    auth.login(organiser)
    data = _form(host_school_id=organiser.school_id, title="Nyt navn", capacity="1", start_date="2026-10-01")
    response = client.post(f"/netvaerksmoeder/{meetup.id}/rediger", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "2 har allerede meldt sig til. Kapaciteten kan ikke være lavere." in page
    assert 'value="Nyt navn"' in page


def test_rsvp_after_deadline_shows_a_clear_message(client, auth, factory, make_meetup):
    meetup = make_meetup(factory.member(), rsvp_deadline=local(2026, 9, 20, 12))
    member = factory.member()
    auth.login(member)
    with time_machine.travel(local(2026, 9, 21, 8), tick=False):
        response = client.post(
            f"/netvaerksmoeder/{meetup.id}/svar", data={"answer": "going"}, follow_redirects=True
        )
    assert "Fristen for tilmelding er overskredet." in response.get_data(as_text=True)
    assert service.rsvp_of(member, meetup) is None


def test_after_the_deadline_one_can_still_send_regrets(client, auth, factory, make_meetup):
    meetup = make_meetup(factory.member(), rsvp_deadline=local(2026, 9, 20, 12))
    member = factory.member()
    service.respond(member, meetup.id, "going")
    db.session.commit()
    auth.login(member)
    with time_machine.travel(local(2026, 9, 21, 8), tick=False):
        page = client.get(f"/netvaerksmoeder/{meetup.id}").get_data(as_text=True)
        assert "Svarfristen er overskredet." in page and "Meld afbud" in page
        client.post(f"/netvaerksmoeder/{meetup.id}/svar", data={"answer": "not_going"})
    assert service.rsvp_of(member, meetup).state == "not_going"


def test_rsvp_page_shows_seats_and_waitlist(client, auth, factory, make_meetup):
    meetup = make_meetup(factory.member(), capacity=1)
    service.respond(factory.member(), meetup.id, "going")
    db.session.commit()
    member = factory.member()
    auth.login(member)
    response = client.post(
        f"/netvaerksmoeder/{meetup.id}/svar", data={"answer": "going"}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Du står på ventelisten" in page and "1/1" in page and "1 på venteliste" in page
    assert "nummer 1 på ventelisten" in page


def test_csv_export_lists_schools_and_defuses_formulas(client, auth, factory, make_meetup):
    organiser = factory.member()
    meetup = make_meetup(organiser)
    school = factory.school('=HYPERLINK("x")')
    service.respond(factory.member("+Evil Name", school=school), meetup.id, "going")
    service.respond(factory.member("Anna Almindelig"), meetup.id, "going")
    db.session.commit()
    auth.login(organiser)
    response = client.get(f"/netvaerksmoeder/{meetup.id}/deltagere.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:2] == ["Navn", "Skole"]
    cells = [cell for row in rows[1:] for cell in row]
    assert "'+Evil Name" in cells and '\'=HYPERLINK("x")' in cells and "Anna Almindelig" in cells
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)


def test_feed_routes(client, auth, factory, make_meetup):
    member = factory.member()
    meetup = make_meetup(member, title="Mit møde")
    auth.login(member)
    page = client.post("/netvaerksmoeder/kalenderabonnement").get_data(as_text=True)
    token = page.split("/netvaerksmoeder/abonnement/")[1].split(".ics")[0]
    auth.logout()
    response = client.get(f"/netvaerksmoeder/abonnement/{token}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert meetup.uid in response.get_data(as_text=True)
    assert client.get("/netvaerksmoeder/abonnement/ukendt.ics").status_code == 404
    auth.login(member)
    client.post("/netvaerksmoeder/kalenderabonnement/stop")
    assert client.get(f"/netvaerksmoeder/abonnement/{token}.ics").status_code == 404
    assert not calendar.has_feed(member)


def test_feed_token_routes_need_sign_in(client):
    assert client.post("/netvaerksmoeder/kalenderabonnement").status_code == 302
    assert client.post("/netvaerksmoeder/kalenderabonnement/stop").status_code == 302


def test_poll_through_the_pages(client, auth, factory, make_meetup):
    organiser = factory.member()
    options = [(local(2026, 11, d, 13), local(2026, 11, d, 16)) for d in (2, 3)]
    meetup = make_meetup(organiser, starts_at=None, ends_at=None, poll_options=options)
    first = meetup.poll_options[0]
    member = factory.member()
    auth.login(member)
    client.post(f"/netvaerksmoeder/{meetup.id}/afstemning", data={f"option-{first.id}": "yes"})
    assert client.post(f"/netvaerksmoeder/{meetup.id}/afstemning/{first.id}/vaelg").status_code == 403
    auth.logout()
    auth.login(organiser)
    page = client.get(f"/netvaerksmoeder/{meetup.id}").get_data(as_text=True)
    assert "Ja: 1" in page
    response = client.post(f"/netvaerksmoeder/{meetup.id}/afstemning/{first.id}/vaelg", follow_redirects=True)
    assert "mandag 02.11.2026 kl. 13:00" in response.get_data(as_text=True)


def test_anonymous_case_on_the_agenda_shows_title_only(client, auth, factory, make_meetup):
    from network.cases.models import Case

    author = factory.member("Hemmelig Forfatter")
    case = Case(title="Når teamet går i stå", status="open", visibility="anonymous", author_id=author.id)
    db.session.add(case)
    db.session.commit()
    meetup = make_meetup(factory.member(), agenda=[drafts.AgendaDraft("Sparring", case_id=case.id)])
    auth.login(factory.member())
    page = client.get(f"/netvaerksmoeder/{meetup.id}").get_data(as_text=True)
    assert "Når teamet går i stå" in page and "Hemmelig Forfatter" not in page


def test_markdown_cannot_run_script(client, auth, factory, make_meetup):
    meetup = make_meetup(factory.member(), description="<script>alert(1)</script> [x](javascript:alert(1))")
    auth.login(factory.member())
    page = client.get(f"/netvaerksmoeder/{meetup.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and 'href="javascript' not in page
    assert "&lt;script&gt;" in page


def test_unknown_month_is_404(client, auth, factory):
    auth.login(factory.member())
    assert client.get("/netvaerksmoeder/kalender?maaned=2026-13").status_code == 404
    assert client.get("/netvaerksmoeder/kalender?maaned=abc").status_code == 404


def test_csv_export_leaves_out_what_attendees_keep_private(client, auth, factory, make_meetup):
    organiser = factory.member()
    meetup = make_meetup(organiser)
    hidden = factory.member(
        "Privat Person", title="Hemmelig titel", email="privat@skole.test", private_fields=["title", "email"]
    )
    open_one = factory.member("Åben Person", title="Åben titel", email="aaben@skole.test")
    for member in (hidden, open_one):
        service.respond(member, meetup.id, "going")
    db.session.commit()
    auth.login(organiser)
    text = client.get(f"/netvaerksmoeder/{meetup.id}/deltagere.csv").get_data(as_text=True)
    assert "Privat Person" in text and "Åben titel" in text and "aaben@skole.test" in text
    assert "Hemmelig titel" not in text and "privat@skole.test" not in text
    auth.logout()
    auth.login(factory.coordinator())
    text = client.get(f"/netvaerksmoeder/{meetup.id}/deltagere.csv").get_data(as_text=True)
    assert "Hemmelig titel" in text and "privat@skole.test" in text


@time_machine.travel(NOW, tick=False)
def test_a_hidden_case_leaves_the_agenda_the_api_and_the_search(client, auth, factory, make_meetup):
    from network.auth import service as auth_service
    from network.cases import moderation
    from network.cases.models import Case
    from network.search import service as search
    from network.search.backend import SearchQuery

    author = factory.member()
    case = Case(title="Skolelederens hemmelige sparringsdilemma", status="open", author_id=author.id)
    db.session.add(case)
    db.session.commit()
    meetup = make_meetup(factory.member(), agenda=[drafts.AgendaDraft("Sparring", case_id=case.id)])
    reader = factory.member()
    _token, plain = auth_service.create_api_token(reader, "scan")
    db.session.commit()
    query = SearchQuery(q="sparringsdilemma", kind="meetup")
    assert [hit.object_id for hit in search.search(reader, query).hits] == [meetup.id]

    moderation.set_hidden(factory.coordinator(), case, True)
    db.session.commit()

    auth.login(reader)
    page = client.get(f"/netvaerksmoeder/{meetup.id}").get_data(as_text=True)
    assert "Sparring" in page and case.title not in page
    body = client.get(f"/api/v1/meetups/{meetup.id}", headers={"Authorization": f"Bearer {plain}"}).get_json()
    assert body["agenda"] == [
        {"title": "Sparring", "case_id": None, "project_id": None, "case_title": None, "project_title": None}
    ]
    assert search.search(reader, query).hits == []


def test_a_named_co_organiser_is_told_and_can_remove_themself(client, auth, factory, make_meetup):
    from network.notifications.models import Notification

    organiser, named = factory.member(), factory.member("Nora Navngiven")
    meetup = make_meetup(organiser, co_organiser_ids=[named.id])
    told = db.session.scalars(db.select(Notification).where(Notification.member_id == named.id)).all()
    assert [n.kind for n in told] == ["meetup_co_organiser"] and organiser.name in told[0].title
    auth.login(named)
    page = client.get(told[0].url).get_data(as_text=True)
    assert "Fjern mig som medarrangør" in page
    client.post(f"/netvaerksmoeder/{meetup.id}/fjern-mig-som-medarrangoer")
    db.session.expire_all()
    assert [o.id for o in meetup.organisers] == [organiser.id]
    auth.logout()
    auth.login(organiser)
    assert client.post(f"/netvaerksmoeder/{meetup.id}/fjern-mig-som-medarrangoer").status_code == 403
