"""Live rooms in two real browsers: chat across contexts, a reflecting-team session, reloads."""

import re
import sqlite3
from datetime import UTC, datetime, timedelta

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


def _start_session(coordinator, case_title: str) -> None:
    """The coordinator starts a session on the case, with the other member as case giver."""
    coordinator.reload()
    coordinator.get_by_text("Start en reflekterende team-session").click()
    coordinator.get_by_label("Sag", exact=True).select_option(label=case_title)
    # The case giver follows the case's author.
    expect(coordinator.get_by_label("Sagsgiver", exact=True).locator("option:checked")).to_have_text(
        OTHER_MEMBER_NAME
    )
    # The team through the picker: type part of a name, Enter picks it.
    team = coordinator.get_by_role("group", name="Det reflekterende team")
    team.get_by_role("searchbox").fill("kirs")
    expect(team.get_by_role("checkbox", name=OTHER_MEMBER_NAME)).to_be_hidden()
    team.get_by_role("searchbox").press("Enter")
    expect(team.get_by_role("checkbox", name="Kirsten Koordinator")).to_be_checked()
    expect(team).to_contain_text("1 valgt")
    coordinator.get_by_role("button", name="Start sessionen").click()


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
    _start_session(coordinator, "Fælles forløb i teamet")
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
    # Mention suggestions never offer the author behind the persona.
    peer.get_by_label("Besked").press_sequentially("@vald")
    expect(peer.locator("#mention-list [role=option]")).to_have_count(0)
    peer.get_by_label("Besked").fill("")

    mine = author.locator("#messages li", has_text="Hvad ville I gøre?")
    mine.get_by_role("button", name="Ret").click()
    author.get_by_label("Ret beskeden").fill("Hvad ville I gøre nu?")
    author.get_by_role("button", name="Gem").click()
    expect(peer.locator("#messages")).to_contain_text("Hvad ville I gøre nu?")
    expect(peer.locator("#messages strong").first).to_have_text("Anonym leder")
    peer.reload()
    expect(peer.locator("#messages")).not_to_contain_text(OTHER_MEMBER_NAME)
    assert csp_errors == []


def _many_messages(live_server: LiveServer, room_url: str, count: int) -> None:
    """Earlier conversation in the room, by the other member, written straight to the database."""
    room_id = int(room_url.rstrip("/").rsplit("/", 1)[1])
    path = live_server.env["NETWORK_DATABASE_URL"].removeprefix("sqlite:///")
    # An hour ago: outside the flood limit's window, so later tests may still post as this member.
    now = (datetime.now(UTC) - timedelta(hours=1)).isoformat(sep=" ")
    with sqlite3.connect(path) as db:
        (author_id,) = db.execute("SELECT id FROM members WHERE email = ?", (OTHER_MEMBER_EMAIL,)).fetchone()
        for n in range(count):
            db.execute(
                "INSERT INTO room_messages (room_id, author_id, client_id, body, phase, created_at)"
                " VALUES (?, ?, ?, ?, '', ?)",
                (room_id, author_id, f"00000000-0000-4000-8000-{n:012d}", f"Tidligere besked {n}", now),
            )


def _open_room(page, name: str) -> str:
    page.get_by_role("link", name="Rum", exact=True).click()
    page.get_by_role("link", name="Opret rum").click()
    page.get_by_label("Rummets navn").fill(name)
    page.get_by_role("button", name="Opret rummet").click()
    expect(page.locator("#connection")).not_to_have_text(re.compile("Forbinder"))
    return page.url


def _both_in_a_new_room(new_context, name: str) -> tuple:
    """The coordinator opens a room and the other member joins it: (coordinator, member, room url)."""
    coordinator = new_context().new_page()
    sign_in(coordinator, COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    room_url = _open_room(coordinator, name)
    member = new_context().new_page()
    sign_in(member, OTHER_MEMBER_EMAIL, OTHER_MEMBER_PASSWORD)
    member.goto(room_url)
    expect(member.locator("#connection")).to_have_text("Forbundet")
    return coordinator, member, room_url


def _at_bottom(page) -> bool:
    """The message list is scrolled to its end (measured, not assumed)."""
    return page.locator("#messages").evaluate("l => l.scrollHeight - l.scrollTop - l.clientHeight < 2")


def test_the_newest_message_is_in_view_and_a_pill_counts_new_ones_when_scrolled_up(
    new_context, live_server: LiveServer, csp_errors
) -> None:
    """Issue 19 §1: newest at the bottom on load and on arrival; scrolled up, "N nye beskeder ↓"."""
    coordinator = new_context().new_page()
    sign_in(coordinator, COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    room_url = _open_room(coordinator, "Lang samtale")
    _many_messages(live_server, room_url, 45)

    member = new_context().new_page()
    sign_in(member, OTHER_MEMBER_EMAIL, OTHER_MEMBER_PASSWORD)
    member.goto(room_url)
    expect(member.locator("#connection")).to_have_text("Forbundet")
    newest = member.locator("#messages li", has_text="Tidligere besked 44")
    expect(newest).to_be_in_viewport()
    assert _at_bottom(member)
    # One person's run of messages shows one avatar: the later ones are grouped under the first.
    expect(member.locator("#messages li.message-continued")).to_have_count(44)

    coordinator.get_by_label("Besked").fill("Nyt fra koordinatoren")
    coordinator.get_by_label("Besked").press("Enter")
    expect(member.locator("#messages li", has_text="Nyt fra koordinatoren")).to_be_in_viewport()
    assert _at_bottom(member)

    # Scrolled up to read, the reader stays put and a pill counts what arrived.
    member.locator("#messages").evaluate("l => { l.scrollTop = 0; }")
    for text in ("Første nye", "Anden nye"):
        coordinator.get_by_label("Besked").fill(text)
        coordinator.get_by_label("Besked").press("Enter")
        expect(member.locator("#messages")).to_contain_text(text)
    pill = member.get_by_role("button", name="2 nye beskeder ↓")
    expect(pill).to_be_visible()
    expect(member.locator("#messages li", has_text="Anden nye")).not_to_be_in_viewport()
    assert member.locator("#messages").evaluate("l => l.scrollTop") == 0
    pill.click()
    expect(member.locator("#messages li", has_text="Anden nye")).to_be_in_viewport()
    expect(pill).to_be_hidden()

    # After a reload, what came since the last visit is under an unread divider.
    coordinator.reload()
    expect(coordinator.locator("#unread-divider")).to_have_count(0)
    member.close()
    coordinator.get_by_label("Besked").fill("Mens du var væk")
    coordinator.get_by_label("Besked").press("Enter")
    again = new_context().new_page()
    sign_in(again, OTHER_MEMBER_EMAIL, OTHER_MEMBER_PASSWORD)
    again.goto(room_url)
    divider = again.locator("#unread-divider")
    expect(divider).to_be_visible()
    expect(again.locator("#unread-divider + li")).to_contain_text("Mens du var væk")
    assert csp_errors == []


def test_the_typing_indicator_clears_when_the_message_arrives(new_context, live_server: LiveServer) -> None:
    coordinator, member, _room_url = _both_in_a_new_room(new_context, "Skrivende")

    member.get_by_label("Besked").press_sequentially("Et øjeblik")
    expect(coordinator.locator("#typing")).to_have_text(f"{OTHER_MEMBER_NAME} skriver …")
    member.get_by_label("Besked").press("Enter")
    expect(member.locator("#messages")).to_contain_text("Et øjeblik")
    expect(coordinator.locator("#messages")).to_contain_text("Et øjeblik")
    # Well before the indicator's own 3 seconds run out.
    expect(coordinator.locator("#typing")).to_have_text("", timeout=1000)


def test_mention_autocomplete_suggests_names_but_never_a_persona(new_context) -> None:
    coordinator, member, _room_url = _both_in_a_new_room(new_context, "Nævn nogen")
    box = coordinator.get_by_label("Besked")
    box.press_sequentially("Tak @vald")
    option = coordinator.get_by_role("listbox", name="Forslag til navne").get_by_role("option")
    expect(option).to_have_text([OTHER_MEMBER_NAME])
    box.press("Enter")  # picks the name, does not send
    expect(box).to_have_value(f"Tak @{OTHER_MEMBER_NAME} ")
    expect(coordinator.locator("#mention-list")).to_be_hidden()
    box.press("Enter")
    expect(member.locator("#messages")).to_contain_text(f"Tak @{OTHER_MEMBER_NAME}")


DANISH_IN_THE_ROOM = re.compile(
    r"Forbundet|Forbinder|tilbage|skriver|nye beskeder|Ret\b|Slet\b|Sagsgiver|Opklarende|på pause|rettet"
)


def test_english_mode_shows_no_danish_in_the_room(new_context, live_server: LiveServer) -> None:
    """Issue 15 §7: rooms.js's texts and the dates come from the page's language."""
    _published_case(live_server, "A shared course")
    coordinator = new_context().new_page()
    sign_in(coordinator, COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    room_url = _open_room(coordinator, "Sparring room")

    member = new_context().new_page()
    sign_in(member, OTHER_MEMBER_EMAIL, OTHER_MEMBER_PASSWORD)
    member.locator("#lang-select").select_option("en")
    member.locator(".language-form button").click()
    expect(member.locator("html")).to_have_attribute("lang", "en")
    member.goto(room_url)
    expect(member.locator("#connection")).to_have_text("Connected")

    coordinator.get_by_label("Besked").fill("Hej med dig")
    coordinator.get_by_label("Besked").press("Enter")
    member.get_by_label("Message").press_sequentially("Hello")
    expect(coordinator.locator("#typing")).to_contain_text("skriver")
    member.get_by_label("Message").press("Enter")
    mine = member.locator("#messages li", has_text="Hello")
    expect(mine.get_by_role("button", name="Edit")).to_be_visible()
    coordinator.get_by_label("Besked").press_sequentially("Svar til dig", delay=300)  # past the throttle
    expect(member.locator("#typing")).to_have_text("Kirsten Koordinator is typing …")

    _start_session(coordinator, "A shared course")
    expect(member.locator("#phase-label")).to_have_text("Case giver presents")
    expect(member.locator("#countdown")).to_have_text(re.compile(r"^\d+:\d\d left$"))
    coordinator.get_by_role("button", name="Næste fase").click()
    expect(member.locator("#phase-label")).to_have_text("Clarifying questions")

    # Dates in the language: the same English short format for the history and a live message.
    times = member.locator("#messages time").all_inner_texts()
    english_short = r"\d\d?/\d\d?/\d\d, \d\d?:\d\d\s?[AP]M"
    assert len(times) == 2 and all(re.fullmatch(english_short, t) for t in times), times
    text = member.locator("#room").inner_text()
    assert not DANISH_IN_THE_ROOM.search(text), DANISH_IN_THE_ROOM.search(text)


def test_the_round_up_form_appears_live_and_ending_asks_first(new_context, live_server: LiveServer) -> None:
    """Issue 19 §2: the summary form appears at the round-up without a reload; saving stays in the room."""
    _published_case(live_server, "Et forløb der skal samles op")
    coordinator, member, room_url = _both_in_a_new_room(new_context, "Opsamlingsrum")
    _start_session(coordinator, "Et forløb der skal samles op")
    expect(member.locator("#phase-label")).to_have_text("Sagsgiver fremlægger")
    # The case text is beside the session for everyone.
    expect(member.locator("#session-case")).to_contain_text("Et forløb der skal samles op")
    expect(member.locator("#summary-form")).to_be_hidden()

    for phase in ("Opklarende spørgsmål", "Det reflekterende team", "Sagsgiver svarer", "Opsamling"):
        coordinator.get_by_role("button", name="Næste fase").click()
        expect(member.locator("#phase-label")).to_have_text(phase)
    # No reload: the case giver's and the facilitator's form is simply there.
    expect(member.get_by_label("Aftalte næste skridt")).to_be_visible()
    expect(coordinator.get_by_label("Aftalte næste skridt")).to_be_visible()

    member.get_by_label("Aftalte næste skridt").fill("Vi prøver et fælles forløb i januar.")
    member.get_by_role("button", name="Gem opsamlingen").click()
    expect(member).to_have_url(re.compile(re.escape(room_url)))
    expect(member.locator("#phase-label")).to_have_text("Opsamling")

    # Ending asks first; declining keeps the session running.
    coordinator.once("dialog", lambda dialog: dialog.dismiss())
    coordinator.get_by_role("button", name="Afslut sessionen").click()
    expect(coordinator.locator("#phase-label")).to_have_text("Opsamling")
    coordinator.once("dialog", lambda dialog: dialog.accept())
    coordinator.get_by_role("button", name="Afslut sessionen").click()
    expect(member.locator("#session-panel")).to_be_hidden()
