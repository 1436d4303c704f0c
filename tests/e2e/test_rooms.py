"""Live rooms in two real browsers: chat across contexts, a reflecting-team session, reloads."""

import re
import sqlite3
from datetime import UTC, datetime

from playwright.sync_api import expect

from tests.e2e.conftest import (
    COORDINATOR_EMAIL,
    COORDINATOR_PASSWORD,
    OTHER_MEMBER_EMAIL,
    OTHER_MEMBER_NAME,
    OTHER_MEMBER_PASSWORD,
    LiveServer,
)
from tests.e2e.steps import sign_in


def _published_case(live_server: LiveServer, title: str, visibility: str = "named") -> None:
    """A published case by the other member, written straight to the server's database."""
    path = live_server.env["NETWORK_DATABASE_URL"].removeprefix("sqlite:///")
    now = datetime.now(UTC).isoformat(sep=" ")
    with sqlite3.connect(path) as db:
        (author_id,) = db.execute("SELECT id FROM members WHERE email = ?", (OTHER_MEMBER_EMAIL,)).fetchone()
        db.execute(
            "INSERT INTO cases (author_id, title, problem, context, tried, question, al_stage, visibility,"
            " status, learning_summary, is_hidden, created_at, published_at, updated_at, last_activity_at)"
            " VALUES (?, ?, '', '', '', '', 'problem', ?, 'open', '', 0, ?, ?, ?, ?)",
            (author_id, title, visibility, now, now, now, now),
        )


def test_two_members_chat_run_a_session_and_reload(
    new_context, live_server: LiveServer, csp_errors, axe
) -> None:
    coordinator = new_context().new_page()
    sign_in(coordinator, COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    coordinator.get_by_role("link", name="Rum", exact=True).click()
    coordinator.get_by_role("link", name="Opret rum").click()
    coordinator.get_by_label("Rummets navn").fill("E2E Sparring")
    coordinator.get_by_role("button", name="Opret rummet").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("E2E Sparring")
    expect(coordinator.locator("#connection")).to_have_text("Forbundet")
    room_url = coordinator.url

    member = new_context().new_page()
    sign_in(member, OTHER_MEMBER_EMAIL, OTHER_MEMBER_PASSWORD)
    member.goto(room_url)
    expect(member.locator("#connection")).to_have_text("Forbundet")

    # A message typed in one browser appears in the other.
    member.get_by_label("Besked").fill("Hej fra **Vestjylland**")
    member.get_by_role("button", name="Send").click()
    expect(coordinator.locator("#messages")).to_contain_text("Hej fra Vestjylland")
    expect(coordinator.locator("#messages strong", has_text="Vestjylland")).to_be_visible()
    coordinator.get_by_label("Besked").fill("Velkommen!")
    coordinator.get_by_label("Besked").press("Enter")
    expect(member.locator("#messages")).to_contain_text("Velkommen!")
    expect(coordinator.locator("#online")).to_contain_text(OTHER_MEMBER_NAME)

    # The author corrects her own message; the other browser sees the correction.
    mine = coordinator.locator("#messages li", has_text="Velkommen!")
    mine.get_by_role("button", name="Ret").click()
    coordinator.get_by_label("Ret beskeden").fill("Velkommen til rummet!")
    coordinator.get_by_role("button", name="Gem").click()
    expect(member.locator("#messages")).to_contain_text("Velkommen til rummet!")

    # The coordinator starts a session with the other member as case giver.
    _published_case(live_server, "Fælles forløb i teamet")
    coordinator.reload()
    coordinator.get_by_text("Start en reflekterende team-session").click()
    coordinator.get_by_label("Sag", exact=True).select_option(label="Fælles forløb i teamet")
    coordinator.get_by_label("Sagsgiver", exact=True).select_option(label=OTHER_MEMBER_NAME)
    coordinator.get_by_label("Det reflekterende team", exact=True).select_option(label="Kirsten Koordinator")
    coordinator.get_by_role("button", name="Start sessionen").click()
    expect(coordinator.locator("#phase-label")).to_have_text("Sagsgiver fremlægger")
    expect(member.locator("#phase-label")).to_have_text("Sagsgiver fremlægger")
    countdown = member.locator("#countdown")
    expect(countdown).to_have_text(re.compile(r"^\d+:\d\d tilbage$"))
    first = countdown.inner_text()
    expect(countdown).not_to_have_text(first, timeout=5000)  # it runs
    expect(member.get_by_label("Besked")).to_be_enabled()

    # Reflecting phase: the case giver only listens.
    coordinator.get_by_role("button", name="Næste fase").click()
    expect(coordinator.locator("#phase-label")).to_have_text("Opklarende spørgsmål")
    coordinator.get_by_role("button", name="Næste fase").click()
    expect(member.locator("#phase-label")).to_have_text("Det reflekterende team")
    expect(member.get_by_label("Besked")).to_be_disabled()
    expect(coordinator.get_by_label("Besked")).to_be_enabled()

    # A reload keeps the history and the phase.
    member.reload()
    expect(member.locator("#messages")).to_contain_text("Hej fra Vestjylland")
    expect(member.locator("#messages")).to_contain_text("Velkommen til rummet!")
    expect(member.get_by_label("Besked")).to_be_disabled()
    axe.assert_no_serious_violations(member)
    member.goto("/rum")
    expect(member.get_by_role("heading", name="E2E Sparring")).to_be_visible()
    axe.assert_no_serious_violations(member)
    assert csp_errors == []


def test_the_author_of_an_anonymous_case_spars_in_its_room_under_its_persona(
    new_context, live_server: LiveServer, csp_errors
) -> None:
    """Issue 14, finding 1: others see "Anonym leder"; she still corrects her own messages."""
    _published_case(live_server, "Et dilemma uden navn", visibility="anonymous")
    author = new_context().new_page()
    sign_in(author, OTHER_MEMBER_EMAIL, OTHER_MEMBER_PASSWORD)
    author.get_by_role("link", name="Rum", exact=True).click()
    author.get_by_role("link", name="Opret rum").click()
    author.get_by_label("Rummets navn").fill("Anonym sparring")
    author.get_by_role("button", name="Opret rummet").click()
    expect(author.locator("#connection")).to_have_text("Forbundet")
    room_url = author.url

    peer = new_context().new_page()
    sign_in(peer, COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    peer.goto(room_url)
    expect(peer.locator("#connection")).to_have_text("Forbundet")

    author.get_by_label("Besked").fill("Hvad ville I gøre?")
    author.get_by_role("button", name="Send").click()
    expect(peer.locator("#messages")).to_contain_text("Hvad ville I gøre?")
    expect(peer.locator("#messages strong").first).to_have_text("Anonym leder")
    expect(peer.locator("#online")).to_contain_text("Anonym leder")
    expect(peer.locator("#online")).not_to_contain_text(OTHER_MEMBER_NAME)
    expect(peer.locator("#messages")).not_to_contain_text(OTHER_MEMBER_NAME)

    mine = author.locator("#messages li", has_text="Hvad ville I gøre?")
    mine.get_by_role("button", name="Ret").click()
    author.get_by_label("Ret beskeden").fill("Hvad ville I gøre nu?")
    author.get_by_role("button", name="Gem").click()
    expect(peer.locator("#messages")).to_contain_text("Hvad ville I gøre nu?")
    expect(peer.locator("#messages strong").first).to_have_text("Anonym leder")
    peer.reload()
    expect(peer.locator("#messages")).not_to_contain_text(OTHER_MEMBER_NAME)
    assert csp_errors == []
