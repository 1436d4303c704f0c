"""Searching the AL archive in a real browser: Danish word forms, highlights, facets, similar projects."""

from playwright.sync_api import Page, expect

from tests.e2e.conftest import COORDINATOR_EMAIL, COORDINATOR_PASSWORD, Axe
from tests.e2e.steps import sign_in


def write_project(page: Page, title: str, problem: str, tool: str, axe: Axe | None = None) -> None:
    page.goto("/projekter/nyt")
    if axe is not None:
        axe.assert_no_serious_violations(page)
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Problemformulering").fill(problem)
    page.get_by_label(tool).check()
    page.get_by_role("button", name="Gem projekt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_lærernes_motivation_finds_motivationen_hos_lærerne(
    page: Page, axe: Axe, csp_errors: list[str]
) -> None:
    # Given two projects about teachers' motivation, worded differently, with different tools
    sign_in(page, COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    write_project(
        page,
        "Sparring i lærerteamet",
        "Motivationen hos lærerne er faldet efter mange forandringer.",
        "Motivationspædagogik",
        axe,
    )
    write_project(
        page,
        "Værkstedet som læringsrum",
        "Lærere i værkstedet savner motivation og fælles retning.",
        "Pædagogisk ledelse",
    )

    # When she searches from the box in the header for "lærernes motivation"
    page.get_by_role("banner").get_by_role("searchbox", name="Søg i netværket").fill("lærernes motivation")
    page.keyboard.press("Enter")

    # Then the project that only speaks of "motivationen hos lærerne" is found, its words highlighted
    hit = page.locator(".hit").filter(has_text="Sparring i lærerteamet")
    expect(hit).to_be_visible()
    expect(hit.locator("mark").first).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("2 resultater")
    axe.assert_no_serious_violations(page)

    # And a facet click narrows the hits
    page.locator(".facets").get_by_role("link", name="Motivationspædagogik").click()
    expect(page.get_by_role("status")).to_contain_text("1 resultat")
    expect(page.locator(".hit")).to_have_count(1)

    # And the project page lists the other as similar
    page.get_by_role("link", name="Sparring i lærerteamet").click()
    similar = page.locator(".similar")
    expect(similar.get_by_role("link", name="Værkstedet som læringsrum")).to_be_visible()
    axe.assert_no_serious_violations(page)
    assert csp_errors == []


def test_the_project_list_and_search_work_at_phone_width(phone_page: Page, axe: Axe) -> None:
    sign_in(phone_page, COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    for path in ("/projekter", "/soeg?q=motivation"):
        phone_page.goto(path)
        expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways at phone width ({width}px)"
        axe.assert_no_serious_violations(phone_page)


def test_a_misspelled_word_shows_the_hits_of_the_suggestion(
    page: Page, axe: Axe, csp_errors: list[str]
) -> None:
    # Given a project about classroom management
    sign_in(page, COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    write_project(
        page, "Klasserumsledelse i værkstedet", "Nye lærere mangler faste rutiner.", "Pædagogisk ledelse"
    )

    # When she searches with a letter too many
    page.goto("/soeg")
    page.get_by_label("Søg i AL-projekter, sager og netværksmøder").fill("klasserumsledelsse")
    page.get_by_role("button", name="Søg", exact=True).click()

    # Then the project is shown straight away, saying what was searched for instead
    expect(page.locator(".suggestion")).to_contain_text("Viser resultater for klasserumsledelse")
    expect(page.locator(".hit").filter(has_text="Klasserumsledelse i værkstedet")).to_be_visible()
    axe.assert_no_serious_violations(page)

    # And one click searches for exactly what she typed
    page.get_by_role("link", name="Søg i stedet efter klasserumsledelsse").click()
    expect(page.get_by_text("Ingen resultater")).to_be_visible()
    expect(page.locator(".suggestion")).to_contain_text("Mente du klasserumsledelse?")
    assert csp_errors == []
