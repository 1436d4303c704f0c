import datetime as dt

import pytest
import time_machine

from network.db import db
from network.errors import NotAllowed
from network.overview import service

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


def test_month_starts_cover_the_last_twelve_months():
    starts = service.month_starts(NOW, 12)
    assert starts[0] == dt.date(2025, 12, 1) and starts[-1] == dt.date(2026, 11, 1) and len(starts) == 12


def test_activity_counts_distinct_members_per_school_and_month(factory, cases):
    north, south = factory.school("Nordskolen"), factory.school("Sydskolen")
    anna, bo = factory.member("Anna", school=north), factory.member("Bo", school=south)
    coordinator = factory.coordinator()
    with time_machine.travel(dt.datetime(2026, 9, 10, tzinfo=dt.UTC)):
        case = cases.case(anna)
        cases.reply(bo, case)
        cases.reply(bo, case, body="Og hvad siger eleverne?")
    with time_machine.travel(dt.datetime(2026, 11, 3, tzinfo=dt.UTC)):
        cases.reply(anna, case, body="Tak, det prøver jeg.")
    result = service.activity(coordinator, now=NOW)
    by_name = {s.school.name: s.per_month for s in result.schools}
    assert by_name["Nordskolen"][-3] == 1 and by_name["Nordskolen"][-1] == 1
    assert by_name["Sydskolen"][-3] == 1  # two replies, one member
    assert result.network_per_month[-3] == 2 and result.network_per_month[-2] == 0


def test_cases_waiting_for_a_first_reply(factory, cases):
    author, coordinator = factory.member(), factory.coordinator()
    with time_machine.travel(NOW - dt.timedelta(days=10)):
        old = cases.case(author, title="Gammel sag uden svar")
        answered = cases.case(author, title="Besvaret sag")
        cases.reply(factory.member(), answered)
    cases.case(author, title="Ny sag")
    waiting = service.cases_waiting_for_first_reply(coordinator, days=7, now=NOW)
    assert [c.id for c in waiting] == [old.id]


def test_cases_waiting_for_follow_up(factory, cases):
    author, coordinator = factory.member(), factory.coordinator()
    with time_machine.travel(NOW - dt.timedelta(weeks=6)):
        stale = cases.case(author, title="Seks uger gammel")
    cases.case(author, title="Frisk sag")
    assert [c.id for c in service.cases_waiting_for_follow_up(coordinator, now=NOW)] == [stale.id]


def test_quiet_schools(factory, cases):
    quiet, lively = factory.school("Stilleskolen"), factory.school("Livligskolen")
    factory.member(school=quiet, last_active_at=NOW - dt.timedelta(days=200))
    active = factory.member(school=lively, last_active_at=NOW - dt.timedelta(days=2))
    with time_machine.travel(NOW - dt.timedelta(days=2)):
        cases.case(active)
    names = [s.school.name for s in service.quiet_schools(factory.coordinator(), days=60, now=NOW)]
    assert "Stilleskolen" in names and "Livligskolen" not in names


def test_only_coordinators_and_admins(client, auth, factory):
    with pytest.raises(NotAllowed):
        service.activity(factory.member())
    assert client.get("/oversigt").status_code == 302
    member = factory.member()
    auth.login(member)
    assert client.get("/oversigt").status_code == 403
    assert client.get("/oversigt/aktivitet.csv").status_code == 403
    auth.logout()
    auth.login(factory.admin())
    assert client.get("/oversigt").status_code == 200


def test_overview_page_shows_chart_and_anonymous_cases_without_author(client, auth, factory, cases):
    author = factory.member("Hemmelig Forfatter")
    with time_machine.travel(NOW - dt.timedelta(days=30)):
        cases.case(author, title="En anonym sag", visibility="anonymous")
    db.session.commit()
    auth.login(factory.coordinator())
    page = client.get("/oversigt").get_data(as_text=True)
    assert "<title>Oversigt · Ledernetværket</title>" in page
    assert "<svg" in page and "En anonym sag" in page
    assert "Hemmelig Forfatter" not in page


@pytest.mark.parametrize(
    "report", ["aktivitet", "venter-paa-svar", "venter-paa-opfoelgning", "stille-skoler", "fremmoede"]
)
def test_csv_exports(client, auth, factory, cases, report):
    author = factory.member("Anonym Person")
    with time_machine.travel(NOW - dt.timedelta(days=60)):
        cases.case(author, title='=HYPERLINK("http://evil")', visibility="anonymous")
    auth.login(factory.coordinator())
    response = client.get(f"/oversigt/{report}.csv")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "Anonym Person" not in text
    assert "\n=HYPERLINK" not in text and ";=HYPERLINK" not in text


def test_unknown_report_is_404(client, auth, factory):
    auth.login(factory.coordinator())
    assert client.get("/oversigt/hemmelig.csv").status_code == 404


def test_meetup_attendance_counts_sign_ups_and_who_came(factory, make_meetup):
    from network.meetups import service as meetups
    from tests.meetups.conftest import local

    organiser, coordinator = factory.member(), factory.coordinator()
    a, b = factory.member(), factory.member()
    with time_machine.travel(dt.datetime(2026, 9, 1, tzinfo=dt.UTC)):
        meetup = make_meetup(organiser, title="Efterårsmødet", starts_at=local(2026, 10, 1, 10), capacity=5)
        meetups.respond(a, meetup.id, "going")
        meetups.respond(b, meetup.id, "going")
        db.session.commit()
    rsvp = meetups.rsvp_of(a, meetup)
    rsvp.attended = True
    db.session.commit()
    [row] = service.meetup_attendance(coordinator, now=NOW)
    assert (row.title, row.capacity, row.going, row.attended) == ("Efterårsmødet", 5, 2, 1)
    result = service.activity(coordinator, now=NOW)
    assert result.network_per_month[-3] >= 2  # answering a meetup counts as activity in September
