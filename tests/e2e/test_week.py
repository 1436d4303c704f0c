"""Min uge in a real browser: a reply by someone else appears as new, the jump to the first
unread reply, and the notification that links to the exact reply."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import HOME_SCHOOL, OTHER_SCHOOL, LiveServer, _network
from tests.e2e.steps import sign_in

OWNER = ("ulla@uge.e2e.test", "Ulla Ugeleder", "ugen-begynder-med-et-dilemma")
PEER = ("rasmus@uge.e2e.test", "Rasmus Refleksion", "spørg-før-du-råder-altid")


def test_a_reply_is_new_on_min_uge_jumps_to_itself_and_is_read_after_opening(
    page: Page, new_context, live_server: LiveServer
) -> None:
    for (email, name, password), school in ((OWNER, HOME_SCHOOL), (PEER, OTHER_SCHOOL)):
        _network(
            live_server.env, "create-member", "--email", email, "--name", name,
            "--school", school, "--role", "member", "--password", password,
        )  # fmt: skip

    # Given Ulla shares a dilemma from Min uge
    sign_in(page, OWNER[0], OWNER[2])
    expect(page.get_by_text("Intet nyt siden sidst")).to_be_visible()
    page.get_by_role("link", name="Del et dilemma").first.click()
    page.get_by_label("Titel").fill("Teammøder, der kun handler om drift")
    page.get_by_label("Problemstilling").fill("Vores teammøder bliver brugt på beskeder, ikke på pædagogik.")
    page.get_by_label("Det vil jeg gerne have sparring på").fill("Hvordan flytter jeg tiden til det faglige?")
    page.get_by_role("button", name="Del sagen").click()
    expect(page.get_by_text("Din sag er delt med netværket.")).to_be_visible()
    case_path = re.sub(r"^https?://[^/]+", "", page.url)

    # When Rasmus from another school answers it
    rasmus = new_context().new_page()
    sign_in(rasmus, PEER[0], PEER[2])
    rasmus.goto(case_path)
    rasmus.get_by_label("Dit svar").fill("Hvad ville der ske, hvis driften kom på skrift før mødet?")
    rasmus.get_by_role("button", name="Send svar").click()
    expect(rasmus.get_by_text("Tak for dit svar.")).to_be_visible()
    reply_id = rasmus.locator(".reply").last.get_attribute("id")

    # Then the reply is new on Ulla's Min uge, and "1 nyt svar" jumps to it
    page.goto("/")
    news = page.locator("section", has=page.get_by_role("heading", name="Nyt siden sidst"))
    expect(news).to_contain_text("Teammøder, der kun handler om drift")
    news.get_by_role("link", name="1 nyt svar").click()
    expect(page).to_have_url(re.compile(f"{re.escape(case_path)}#{reply_id}$"))
    expect(page.locator(f"#{reply_id}")).to_contain_text("Nyt")
    expect(page.locator(f"#{reply_id}")).to_be_in_viewport()

    # And once she has read it, it is no longer new
    page.goto("/")
    expect(page.get_by_text("Intet nyt siden sidst")).to_be_visible()

    # And the notification names who answered, and opens the exact reply
    page.goto("/notifikationer")
    note = page.locator(".notification").first
    expect(note).to_contain_text("Rasmus Refleksion")
    expect(note).to_contain_text("Et reflekterende spørgsmål")
    note.locator("a strong").click()
    expect(page).to_have_url(re.compile(f"{re.escape(case_path)}#{reply_id}$"))
