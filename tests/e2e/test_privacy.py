"""GDPR end to end: a member downloads "Mine data", then deletes the account for good."""

import json
import zipfile

from playwright.sync_api import expect

from tests.e2e.steps import accept_invite, invite_link, send_invite, sign_in

COORDINATOR = ("koordinator@e2e.test", "kaffe-og-tavlekridt")
EMAIL, PASSWORD = "gdpr.leder@e2e.test", "min-egen-lange-sætning"


def test_download_my_data_then_delete_the_account(new_context, live_server, axe, tmp_path):
    # Given a member who joined through an invite
    coordinator = new_context().new_page()
    sign_in(coordinator, *COORDINATOR)
    send_invite(coordinator, EMAIL)
    page = new_context().new_page()
    accept_invite(
        page,
        invite_link(live_server.latest_mail(to=EMAIL)),
        name="Gitte Dataejer",
        school="E2E Erhvervsskole",
        password=PASSWORD,
        title="Afdelingsleder",
    )

    # When she opens "Mine data" and downloads everything
    page.get_by_role("link", name="Mine data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine data")
    axe.assert_no_serious_violations(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Hent mine data").click()
    archive = tmp_path / "mine-data.zip"
    info.value.save_as(archive)
    data = json.loads(zipfile.ZipFile(archive).read("data.json"))
    assert data["profile"]["email"] == EMAIL and data["profile"]["name"] == "Gitte Dataejer"

    # And deletes her account, first with a wrong password (nothing happens), then for real
    page.get_by_label("Slet alt, hvad jeg har skrevet").check()
    page.get_by_label("Din adgangskode").fill("forkert adgangskode")
    page.get_by_label("Jeg forstår, at min konto slettes for altid").check()
    page.get_by_role("button", name="Slet min konto").click()
    expect(page.get_by_text("Adgangskoden er forkert.").first).to_be_visible()
    page.get_by_label("Din adgangskode").fill(PASSWORD)
    page.get_by_label("Jeg forstår, at min konto slettes for altid").check()
    page.get_by_role("button", name="Slet min konto").click()

    # Then she is signed out, cannot sign in again, and the directory no longer knows her
    expect(page.get_by_text("Din konto er slettet.")).to_be_visible()
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Adgangskode", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.locator("#password-error")).to_have_text("Forkert e-mail eller adgangskode.")
    coordinator.goto("/medlemmer?q=Gitte")
    expect(coordinator.get_by_text("Ingen medlemmer passer på din søgning.")).to_be_visible()
