"""Joining the network, in Danish, in a real browser: invite → mail → profile → directory."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    COORDINATOR_EMAIL,
    COORDINATOR_PASSWORD,
    OTHER_SCHOOL,
    LiveServer,
)
from tests.e2e.steps import accept_invite, invite_link, send_invite, sign_in

NEW_PASSWORD = "sparring-på-tværs-af-skolerne"


def test_a_coordinator_invites_a_leader_who_joins_and_finds_herself(
    page: Page, new_context, live_server: LiveServer
) -> None:
    # Given the coordinator on the Danish sign-in page
    page.goto("/log-ind")
    expect(page.get_by_role("heading", name="Log ind på Ledernetværket")).to_be_visible()
    email_field = page.get_by_label("E-mail")
    password_field = page.get_by_label("Adgangskode", exact=True)
    expect(email_field).to_be_visible()
    expect(password_field).to_be_visible()

    # When she signs in
    email_field.fill(COORDINATOR_EMAIL)
    password_field.fill(COORDINATOR_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", name="Hej Kirsten Koordinator")).to_be_visible()

    # And invites a new leader from the invitations page
    page.get_by_role("navigation", name="Din konto").get_by_role("link", name="Invitationer").click()
    expect(page).to_have_url(re.compile(r"/invitationer$"))
    page.get_by_label("E-mailadresser").fill("ny.leder@e2e.test")
    page.get_by_role("button", name="Send invitationer").click()

    # Then the invite is sent and listed as waiting
    expect(page.get_by_role("status")).to_contain_text("1 invitation sendt.")
    invite_row = page.get_by_role("row").filter(has_text="ny.leder@e2e.test")
    expect(invite_row).to_contain_text("Afventer")

    # And the leader gets a Danish mail with a personal link
    mail = live_server.latest_mail(to="ny.leder@e2e.test")
    assert "Kirsten Koordinator har inviteret dig til Ledernetværket" in mail
    link = invite_link(mail)

    # When the leader opens the link in her own browser and fills in the joining form
    leader = new_context().new_page()
    leader.goto(link)
    expect(leader.get_by_role("heading", name="Velkommen til Ledernetværket")).to_be_visible()
    expect(leader.get_by_text("Du er inviteret som ny.leder@e2e.test")).to_be_visible()
    leader.get_by_label("Dit navn").fill("Nina Nyleder")
    leader.get_by_label("Titel").fill("Afdelingsleder")
    leader.get_by_label("Skole").select_option(label=OTHER_SCHOOL)
    leader.get_by_label("Adgangskode", exact=True).fill(NEW_PASSWORD)
    leader.get_by_label("Gentag adgangskode").fill(NEW_PASSWORD)
    leader.get_by_role("button", name="Opret min profil").click()

    # Then she is a member and is asked to tell the others about herself
    expect(leader.get_by_role("heading", name="Rediger din profil")).to_be_visible()
    expect(leader.get_by_role("status")).to_contain_text("Velkommen til Ledernetværket!")
    expect(leader.get_by_role("textbox", name="Navn", exact=True)).to_have_value("Nina Nyleder")

    # When she edits her profile
    leader.get_by_role("textbox", name="Titel", exact=True).fill("Uddannelsesleder")
    leader.get_by_role("textbox", name="Om mig").fill("Leder grundforløbet og elsker holdsparring.")
    tools = leader.get_by_role("group", name="Værktøjer, vi har implementeret")
    tools.get_by_label("Motivationspædagogik").check()
    leader.get_by_label("Jeg er åben for sparring").check()
    leader.get_by_role("button", name="Gem profil").click()

    # Then the profile is saved and shows what she wrote
    expect(leader.get_by_role("status")).to_contain_text("Din profil er gemt.")
    expect(leader.get_by_role("heading", name="Nina Nyleder", level=1)).to_be_visible()
    profile = leader.get_by_role("article")
    expect(profile).to_contain_text("Uddannelsesleder")
    expect(profile).to_contain_text("Leder grundforløbet og elsker holdsparring.")
    expect(profile).to_contain_text("Motivationspædagogik")
    expect(profile).to_contain_text("Åben for sparring")
    expect(profile.get_by_role("link", name=OTHER_SCHOOL)).to_be_visible()

    # When she searches the directory for her name
    leader.get_by_role("link", name="Medlemmer").click()
    leader.get_by_label("Søg efter navn eller titel").fill("Nina")
    leader.get_by_role("button", name="Find").click()

    # Then she finds herself
    expect(leader.get_by_role("status")).to_have_text("1 medlem")
    card = leader.get_by_role("listitem").filter(has=leader.get_by_role("link", name="Nina Nyleder"))
    expect(card).to_contain_text("Uddannelsesleder")
    expect(card).to_contain_text(OTHER_SCHOOL)

    # When she signs out
    leader.get_by_role("button", name="Log ud").click()
    expect(leader.get_by_role("status")).to_contain_text("Du er logget ud.")
    expect(leader.get_by_role("button", name="Log ind")).to_be_visible()

    # Then she can sign in again with her new password
    sign_in(leader, "ny.leder@e2e.test", NEW_PASSWORD)
    expect(leader.get_by_role("heading", name="Hej Nina Nyleder")).to_be_visible()


def test_an_invite_link_works_once_and_a_tampered_link_not_at_all(
    coordinator_page: Page, new_context, live_server: LiveServer
) -> None:
    # Given a leader who has joined through her invite link
    send_invite(coordinator_page, "engang@e2e.test")
    link = invite_link(live_server.latest_mail(to="engang@e2e.test"))
    leader = new_context().new_page()
    accept_invite(leader, link, name="Else Engang", school=OTHER_SCHOOL, password=NEW_PASSWORD)
    expect(leader.get_by_role("heading", name="Rediger din profil")).to_be_visible()

    # When someone opens the same link again
    visitor = new_context().new_page()
    response = visitor.goto(link)

    # Then the page says in Danish that the invitation can no longer be used
    assert response is not None and response.status == 410
    expect(visitor.get_by_role("heading", name="Invitationen kan ikke bruges")).to_be_visible()
    expect(visitor.get_by_text("Invitationen er allerede brugt.")).to_be_visible()
    expect(visitor.get_by_role("link", name="Gå til log ind")).to_be_visible()

    # When the link is tampered with
    response = visitor.goto(link[:-3] + ("xyz" if not link.endswith("xyz") else "abc"))

    # Then it is refused as invalid
    assert response is not None and response.status == 404
    expect(visitor.get_by_role("heading", name="Invitationen kan ikke bruges")).to_be_visible()
    expect(visitor.get_by_text("Invitationslinket er ugyldigt.")).to_be_visible()


def test_a_joining_form_with_two_different_passwords_keeps_what_was_typed(
    coordinator_page: Page, page: Page, live_server: LiveServer
) -> None:
    # Given an invited leader on the joining page
    send_invite(coordinator_page, "tastefejl@e2e.test")
    page.goto(invite_link(live_server.latest_mail(to="tastefejl@e2e.test")))

    # When she types two different passwords
    page.get_by_label("Dit navn").fill("Tove Tastefejl")
    page.get_by_label("Titel").fill("Uddannelseschef")
    page.get_by_label("Skole").select_option(label=OTHER_SCHOOL)
    page.get_by_label("Adgangskode", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Gentag adgangskode").fill(NEW_PASSWORD + "!")
    page.get_by_role("button", name="Opret min profil").click()

    # Then the form is shown again with what she typed
    expect(page.get_by_role("alert")).to_contain_text("Formularen er ikke gemt endnu.")
    expect(page.get_by_label("Dit navn")).to_have_value("Tove Tastefejl")
    expect(page.get_by_label("Titel")).to_have_value("Uddannelseschef")
    expect(page.get_by_label("Skole")).to_have_value(
        page.get_by_role("option", name=OTHER_SCHOOL).get_attribute("value") or ""
    )

    # And the error is shown at the password field it belongs to
    again = page.get_by_label("Gentag adgangskode")
    expect(again).to_have_attribute("aria-invalid", "true")
    expect(again).to_have_accessible_description(re.compile("De to adgangskoder er ikke ens."))
    expect(page.get_by_text("De to adgangskoder er ikke ens.")).to_be_visible()
