"""A dilemma in a real browser: posted anonymously, answered with a question, closed with a learning."""

import re

from playwright.sync_api import Dialog, Page, expect

from tests.e2e.conftest import (
    HOME_SCHOOL,
    OTHER_MEMBER_EMAIL,
    OTHER_MEMBER_NAME,
    OTHER_MEMBER_PASSWORD,
    Axe,
    LiveServer,
    _network,
)
from tests.e2e.steps import sign_in

SPARRING_EMAIL = "signe@sparring.e2e.test"
SPARRING_PASSWORD = "spørgsmål-før-gode-råd-altid"
PAYLOAD = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def test_an_anonymous_dilemma_gets_a_question_is_marked_helpful_and_closed(
    page: Page, new_context, live_server: LiveServer, csp_errors: list[str], axe: Axe
) -> None:
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    _network(
        live_server.env, "create-member", "--email", SPARRING_EMAIL, "--name", "Signe Sparring",
        "--school", HOME_SCHOOL, "--role", "member", "--password", SPARRING_PASSWORD,
    )  # fmt: skip

    # Given Valdemar, signed in, on the case list
    page.on("dialog", refuse)
    sign_in(page, OTHER_MEMBER_EMAIL, OTHER_MEMBER_PASSWORD)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Sager").click()
    expect(page.get_by_role("heading", name="Sager", level=1)).to_be_visible()

    # When he writes a dilemma, the draft is saved on the server while he writes
    page.get_by_role("link", name="Del en sag").click()
    axe.assert_no_serious_violations(page)
    page.get_by_label("Titel").fill("Lærere, der ikke vil observeres")
    expect(page.locator("#autosave-status")).to_contain_text("Kladden er gemt", timeout=12_000)
    expect(page).to_have_url(re.compile(r"/sager/\d+/rediger$"))
    page.get_by_label("Problemstilling").fill(f"Mine lærere oplever observation som kontrol. {PAYLOAD}")
    page.get_by_label("Det vil jeg gerne have sparring på").fill("Hvordan gør jeg observation til sparring?")
    page.get_by_label("Anonymt – kun koordinatorer kan se, at det er mig").check()
    page.get_by_role("button", name="Del sagen").click()

    # Then it is shared, anonymous to others but recognisable to him
    expect(page.get_by_role("heading", name="Lærere, der ikke vil observeres")).to_be_visible()
    expect(page.get_by_text("Din sag er delt med netværket.")).to_be_visible()
    expect(page.get_by_text("Dig (anonymt for andre)")).to_be_visible()
    case_url = page.url

    # When Signe from another school opens it, she cannot tell who wrote it
    signe = new_context().new_page()
    signe.on("dialog", refuse)
    sign_in(signe, SPARRING_EMAIL, SPARRING_PASSWORD)
    signe.goto("/sager")
    axe.assert_no_serious_violations(signe)
    signe.get_by_role("link", name="Lærere, der ikke vil observeres").click()
    expect(signe.get_by_text("Anonym leder").first).to_be_visible()
    expect(signe.locator("main")).not_to_contain_text(OTHER_MEMBER_NAME)

    # And she answers with a reflective question (the form's first choice)
    expect(signe.get_by_label("Et reflekterende spørgsmål")).to_be_checked()
    signe.get_by_label("Dit svar").fill("Hvad ville lærerne selv gerne have feedback på?")
    signe.get_by_role("button", name="Send svar").click()
    expect(signe.get_by_text("Tak for dit svar.")).to_be_visible()

    # When Valdemar comes back, he marks the question as helpful
    page.goto(case_url)
    reply = page.locator(".reply").filter(has_text="Hvad ville lærerne selv gerne have feedback på?")
    expect(reply).to_contain_text("Signe Sparring")
    reply.get_by_role("button", name="Marker som hjælpsomt").click()
    expect(page.locator(".reply-helpful")).to_contain_text("Hjælpsomt")

    # And closes the case with what happened
    page.get_by_label("Status").select_option(label="Lukket")
    page.get_by_label("Hvad skete der?").fill(
        "Lærerne valgte selv fokus for observationen, og så gav det mening."
    )
    page.get_by_role("button", name="Gem status").click()
    expect(page.get_by_text("Sagens status er gemt.")).to_be_visible()
    expect(page.get_by_role("heading", name="Hvad skete der?")).to_be_visible()
    expect(page.locator(".case-meta")).to_contain_text("Lukket")
    axe.assert_no_serious_violations(page)

    # Then Signe is told about the closing in her bell, and no script ever ran
    signe.goto("/notifikationer")
    expect(signe.get_by_text("har fået status: Lukket")).to_be_visible()
    expect(signe.locator("main")).not_to_contain_text(OTHER_MEMBER_NAME)
    assert dialogs == []
    assert csp_errors == []


def test_the_case_pages_fit_a_phone(new_context, live_server: LiveServer, axe: Axe) -> None:
    # Given a member on a phone
    phone = new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True).new_page()
    sign_in(phone, OTHER_MEMBER_EMAIL, OTHER_MEMBER_PASSWORD)
    # When she opens the case list and the form for a new case
    for path in ("/sager", "/sager/ny", "/sager/foelger"):
        phone.goto(path)
        # Then nothing is wider than the screen, and axe finds nothing serious
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)
        axe.assert_no_serious_violations(phone)
