"""Steps a person takes in the app, shared by the end-to-end stories."""

import re

from playwright.sync_api import Page, expect

INVITE_LINK = re.compile(r"https?://\S+/invitation/\S+")


def sign_in(page: Page, email: str, password: str) -> None:
    """Sign in through /log-ind and land on the front page."""
    page.goto("/log-ind")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode", exact=True).fill(password)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hej")


def send_invite(page: Page, email: str) -> None:
    """As a coordinator, invite one address from /invitationer."""
    page.goto("/invitationer")
    page.get_by_label("E-mailadresser").fill(email)
    page.get_by_role("button", name="Send invitationer").click()
    expect(page.get_by_role("status")).to_contain_text("1 invitation sendt.")
    expect(page.get_by_role("cell", name=email, exact=True)).to_be_visible()


def invite_link(mail_body: str) -> str:
    """The accept-invite link in an invite mail."""
    match = INVITE_LINK.search(mail_body)
    assert match, f"no invite link in the mail:\n{mail_body}"
    return match.group(0)


def accept_invite(page: Page, link: str, *, name: str, school: str, password: str, title: str = "") -> None:
    """Open an invite link, fill in the joining form and create the profile."""
    page.goto(link)
    expect(page.get_by_role("heading", name="Velkommen til Ledernetværket")).to_be_visible()
    page.get_by_label("Dit navn").fill(name)
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Skole").select_option(label=school)
    page.get_by_label("Adgangskode", exact=True).fill(password)
    page.get_by_label("Gentag adgangskode").fill(password)
    page.get_by_role("button", name="Opret min profil").click()
