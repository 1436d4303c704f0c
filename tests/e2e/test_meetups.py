"""A meetup for two, in a real browser: three say yes, the third waits, one cancels, the third gets in."""

import datetime as dt
import re

import icalendar
from playwright.sync_api import Page, expect

from tests.e2e.conftest import HOME_SCHOOL, OTHER_SCHOOL, LiveServer, create_member
from tests.e2e.steps import sign_in

PASSWORD = "kaffe-kage-og-sparring-i-kantinen"
LEADERS = [
    ("ida.moedevej@e2e.test", "Ida Mødevej", HOME_SCHOOL),
    ("jens.tilmeld@e2e.test", "Jens Tilmeld", OTHER_SCHOOL),
    ("lise.venteliste@e2e.test", "Lise Venteliste", OTHER_SCHOOL),
]


def answer(page: Page, url: str, choice: str) -> None:
    page.goto(url)
    page.get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Gem svar").click()


def test_waitlist_promotion_and_calendar_file(
    coordinator_page: Page, new_context, live_server: LiveServer
) -> None:
    for email, name, school in LEADERS:
        create_member(live_server.env, email, name, school, "member", PASSWORD)

    # Given the coordinator plans a meetup for two on the day summer time ends (31 October 2027)
    page = coordinator_page
    page.goto("/netvaerksmoeder")
    page.get_by_role("link", name="Planlæg et netværksmøde").click()
    page.get_by_label("Titel").fill("Sparring om fravær i grundforløbet")
    page.get_by_label("Beskrivelse").fill("Vi deler **erfaringer** med fravær.")
    page.get_by_label("Værtsskole").select_option(label=HOME_SCHOOL)
    page.get_by_label("Adresse").fill("Skolevej 1, 5000 Odense")
    page.locator("#start_date").fill("2027-10-31")
    page.locator("#start_time").fill("10:00")
    page.locator("#end_time").fill("14:30")
    page.get_by_label("Antal pladser").fill("2")
    page.get_by_role("button", name="Gem netværksmøde").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sparring om fravær i grundforløbet")
    expect(page.get_by_test_id("meetup-start")).to_have_text("søndag 31. okt. 2027 kl. 10:00")
    url = re.sub(r"^https?://[^/]+", "", page.url)

    # When three leaders answer "going"
    pages = []
    for email, _name, _school in LEADERS:
        leader = new_context().new_page()
        sign_in(leader, email, PASSWORD)
        answer(leader, url, "Jeg kommer")
        pages.append(leader)
    first, _second, third = pages

    # Then the third is on the waitlist, and the page says 2/2 with one waiting
    expect(third.get_by_text("Du står som nummer 1 på ventelisten.")).to_be_visible()
    expect(third.locator(".seats")).to_have_text("2/2")
    expect(third.get_by_role("definition").filter(has=third.locator(".seats"))).to_contain_text(
        "1 på venteliste"
    )

    # When the first cancels
    answer(first, url, "Jeg kommer ikke")

    # Then the third is promoted and sees it in the bell
    third.goto(url)
    expect(third.get_by_text("Du er tilmeldt.")).to_be_visible()
    bell = third.get_by_role("banner").get_by_role("link", name=re.compile("Notifikationer"))
    expect(bell).to_contain_text("1")
    bell.click()
    expect(third.get_by_text("Du har fået en plads til “Sparring om fravær i grundforløbet”")).to_be_visible()

    # And the organiser sees both attendees with their schools
    page.reload()
    expect(page.get_by_role("cell", name="Lise Venteliste")).to_be_visible()
    expect(page.get_by_role("cell", name="Ida Mødevej")).to_have_count(0)

    # And the downloaded .ics starts at 10:00 Copenhagen time (UTC+1 after the clocks go back)
    third.goto(url)
    with third.expect_download() as download_info:
        third.get_by_role("link", name="Hent i kalender (.ics)").click()
    path = download_info.value.path()
    event = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert (start.hour, start.minute) == (10, 0)
    assert start.utcoffset() == dt.timedelta(hours=1)
    assert str(event["summary"]) == "Sparring om fravær i grundforløbet"


def _create_quick_meetup(page: Page) -> str:
    page.goto("/netvaerksmoeder/nyt")
    page.get_by_label("Titel").fill("Netværksmøde om feedback")
    page.get_by_label("Værtsskole").select_option(label=HOME_SCHOOL)
    page.get_by_label("Onlinelink").fill("https://moede.example.org/feedback")
    page.locator("#start_date").fill("2027-03-04")
    page.locator("#start_time").fill("14:00")
    page.locator("#end_time").fill("15:30")
    page.get_by_role("button", name="Gem netværksmøde").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Netværksmøde om feedback")
    return re.sub(r"^https?://[^/]+", "", page.url)


def test_meetup_pages_are_accessible_and_fit_a_phone(
    coordinator_page: Page, coordinator_phone_page: Page, axe, csp_errors: list[str]
) -> None:
    url = _create_quick_meetup(coordinator_page)
    for path in (
        url,
        "/netvaerksmoeder",
        "/netvaerksmoeder/kalender?maaned=2027-03",
        "/netvaerksmoeder/mine",
        "/netvaerksmoeder/nyt",
    ):
        coordinator_page.goto(path)
        axe.assert_no_serious_violations(coordinator_page)
        coordinator_phone_page.goto(path)
        overflow, wider = coordinator_phone_page.evaluate(
            """() => {
                const width = document.documentElement.clientWidth;
                const wider = [...document.querySelectorAll('body *')]
                    .filter((e) => e.getBoundingClientRect().right > width + 1)
                    .map((e) => `<${e.tagName.toLowerCase()}> in .${e.parentElement.className}`);
                return [document.documentElement.scrollWidth - width, wider.slice(0, 5)];
            }"""
        )
        assert overflow <= 0, f"{path} is {overflow} px wider than a phone; sticking out: {wider}"
    # The month table is navigable to the next month
    coordinator_page.goto("/netvaerksmoeder/kalender?maaned=2027-02")
    coordinator_page.get_by_role("link", name="Næste måned").click()
    expect(
        coordinator_page.get_by_role("link", name=re.compile("14:00 Netværksmøde om feedback"))
    ).to_be_visible()
    assert csp_errors == []


def test_a_poll_with_one_option_is_refused_and_nothing_typed_is_lost(coordinator_page: Page) -> None:
    page = coordinator_page
    page.goto("/netvaerksmoeder/nyt")
    expect(page.locator("#poll_options")).to_be_hidden()
    page.get_by_label("Titel").fill("Temadag om progressiv læring")
    page.get_by_label("Værtsskole").select_option(label=OTHER_SCHOOL)
    page.get_by_label("Adresse").fill("Havnegade 3, Esbjerg")
    page.get_by_label("Datoafstemning: foreslå 2–6 tidspunkter").check()
    expect(page.locator("#fixed_time")).to_be_hidden()
    page.locator("#poll_options-0-day").fill("2027-05-04")
    page.locator("#poll_options-0-start_time").fill("09:00")
    page.locator("#poll_options-0-end_time").fill("15:00")
    page.get_by_role("button", name="Gem netværksmøde").click()
    # One summary at the top names it (no flash besides)
    expect(page.get_by_role("alert")).to_contain_text("Foreslå mellem 2 og 6 tidspunkter.")
    expect(page.locator(".flash")).to_have_count(0)
    expect(page.get_by_label("Titel")).to_have_value("Temadag om progressiv læring")
    expect(page.locator("#poll_options-0-day")).to_have_value("2027-05-04")

    # With a second option the poll opens
    page.locator("#poll_options-1-day").fill("2027-05-11")
    page.locator("#poll_options-1-start_time").fill("09:00")
    page.locator("#poll_options-1-end_time").fill("15:00")
    page.get_by_role("button", name="Gem netværksmøde").click()
    expect(page.get_by_role("heading", name="Hvornår kan du?")).to_be_visible()
    expect(page.get_by_role("group", name=re.compile("tirsdag 4. maj 2027 kl. 09:00"))).to_be_visible()

    # Picking the date mails everyone, so it asks first; "Fortryd" leaves the poll open
    pick = page.get_by_role("button", name=re.compile("Vælg tirsdag 4. maj 2027"))
    pick.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("alle inviterede får en e-mail")
    dialog.get_by_role("button", name="Fortryd").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("heading", name="Hvornår kan du?")).to_be_visible()
    # and "Vælg og send besked" picks it
    pick.click()
    dialog.get_by_role("button", name="Vælg og send besked").click()
    expect(page.get_by_text("Tidspunktet er valgt")).to_be_visible()


def test_the_meetup_form_starts_with_one_agenda_row_and_adds_more(coordinator_page: Page) -> None:
    page = coordinator_page
    page.goto("/netvaerksmoeder/nyt")
    agenda = page.locator("#agenda")
    # Given an empty form: one agenda row, not five
    expect(agenda.locator(".agenda-row:visible")).to_have_count(1)
    # When she adds an item
    agenda.get_by_role("button", name="Tilføj et punkt").click()
    # Then a second row opens, with the cursor in it
    expect(agenda.locator(".agenda-row:visible")).to_have_count(2)
    expect(page.locator("#agenda-1-title")).to_be_focused()
