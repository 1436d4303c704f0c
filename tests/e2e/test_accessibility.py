"""Accessibility in a real browser: axe-core on the main pages, a phone-width check, strict CSP."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import COORDINATOR_NAME, Axe

SIGNED_IN_PAGES = {
    "forsiden": "/",
    "medlemsoversigten": "/medlemmer",
    "profilredigering": "/profil",
    "skoleoversigten": "/skoler",
    "invitationer": "/invitationer",
    "konto": "/konto",
}


def test_the_sign_in_page_has_no_serious_accessibility_problems(
    page: Page, axe: Axe, csp_errors: list[str]
) -> None:
    # Given a visitor who is not signed in
    # When she opens the sign-in page
    page.goto("/log-ind")
    expect(page.get_by_role("button", name="Log ind")).to_be_visible()

    # Then axe finds nothing serious or critical, and the CSP blocked nothing the page needs
    axe.assert_no_serious_violations(page)
    assert csp_errors == []


@pytest.mark.parametrize("path", SIGNED_IN_PAGES.values(), ids=SIGNED_IN_PAGES.keys())
def test_a_signed_in_page_has_no_serious_accessibility_problems(
    coordinator_page: Page, axe: Axe, csp_errors: list[str], path: str
) -> None:
    # Given the coordinator, signed in
    # When she opens the page
    response = coordinator_page.goto(path)
    assert response is not None and response.status == 200
    expect(coordinator_page.get_by_role("heading", level=1)).to_be_visible()

    # Then axe finds nothing serious or critical, and the CSP blocked nothing the page needs
    axe.assert_no_serious_violations(coordinator_page)
    assert csp_errors == []


def test_a_profile_page_has_no_serious_accessibility_problems(
    coordinator_page: Page, axe: Axe, csp_errors: list[str]
) -> None:
    # Given the coordinator, signed in
    coordinator_page.goto("/")

    # When she opens her profile from the menu
    coordinator_page.get_by_role("link", name="Min profil").click()
    expect(coordinator_page).to_have_url(re.compile(r"/medlemmer/\d+$"))
    expect(coordinator_page.get_by_role("heading", name=COORDINATOR_NAME)).to_be_visible()

    # Then axe finds nothing serious or critical, and the CSP blocked nothing the page needs
    axe.assert_no_serious_violations(coordinator_page)
    assert csp_errors == []


def test_a_school_page_has_no_serious_accessibility_problems(
    coordinator_page: Page, axe: Axe, csp_errors: list[str]
) -> None:
    # Given the coordinator on the list of schools
    coordinator_page.goto("/skoler")

    # When she opens her own school
    coordinator_page.get_by_role("link", name="E2E Erhvervsskole").click()
    expect(coordinator_page).to_have_url(re.compile(r"/skoler/\d+$"))
    expect(coordinator_page.get_by_role("heading", level=1)).to_contain_text("E2E Erhvervsskole")

    # Then axe finds nothing serious or critical, and the CSP blocked nothing the page needs
    axe.assert_no_serious_violations(coordinator_page)
    assert csp_errors == []


def _has_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")


def test_the_sign_in_page_fits_a_phone(phone_page: Page, csp_errors: list[str]) -> None:
    # Given a visitor on a 360 px wide phone
    # When she opens the sign-in page
    phone_page.goto("/log-ind")
    expect(phone_page.get_by_role("button", name="Log ind")).to_be_visible()

    # Then nothing sticks out sideways
    assert not _has_horizontal_scroll(phone_page)
    assert csp_errors == []


def test_the_directory_fits_a_phone_and_the_menu_opens(
    coordinator_phone_page: Page, csp_errors: list[str]
) -> None:
    page = coordinator_phone_page
    # Given the coordinator on a 360 px wide phone
    # When she opens the member directory
    page.goto("/medlemmer")
    expect(page.get_by_role("heading", name="Medlemmer", level=1)).to_be_visible()

    # Then nothing sticks out sideways
    assert not _has_horizontal_scroll(page)

    # And the bell and search are in the header without opening the menu
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name=re.compile("^Notifikationer"))).to_be_visible()
    expect(header.get_by_role("link", name="Søg", exact=True)).to_be_visible()
    expect(header.get_by_role("searchbox")).to_be_hidden()  # the full box waits on the search page

    # And the navigation is folded away behind a menu button
    menu = page.get_by_role("button", name="Menu")
    navigation = page.get_by_role("navigation", name="Hovedmenu")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(navigation).to_be_hidden()

    # When she taps the menu button
    menu.tap()

    # Then the navigation opens, and says so to a screen reader
    expect(navigation).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(navigation.get_by_role("link", name="Skoler")).to_be_visible()
    assert not _has_horizontal_scroll(page)
    assert csp_errors == []
