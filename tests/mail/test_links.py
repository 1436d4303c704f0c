"""Every link in a mail is built from NETWORK_BASE_URL, never from the request's Host header.

Otherwise a forged ``Host: evil.example`` on "forgot password" mails a valid reset token under the
attacker's address (issue 14, finding 5).
"""

import os
import re

import pytest

from network import create_app
from network.cases import social
from network.config import UnsafeProductionConfig
from network.db import db
from tests.cases.conftest import CaseFactory
from tests.conftest import PASSWORD, make_test_app, read_mails

BASE = "https://netvaerk.example"
FORGED = "http://evil.example"
LINK = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture(params=[BASE, ""], ids=["base-url-set", "base-url-empty"])
def site(request, database_url, tmp_path):
    """An app without SERVER_NAME (as on a real server), so a request's Host would be its own."""
    return make_test_app(
        database_url, tmp_path, SERVER_NAME=None, BASE_URL=request.param, LOCKOUT_THRESHOLD=2
    )


def links_in_mails(app) -> list[str]:
    found = []
    for mail in read_mails(app):
        for part in mail.walk():
            if part.get_content_maintype() == "text":
                found += LINK.findall(part.get_content())
        found += LINK.findall(mail.get("List-Unsubscribe", ""))
    return found


def test_reset_invite_unlock_and_notification_links_ignore_a_forged_host(site, factory):
    with site.app_context():
        member = factory.member(email="leder@skole.test")
        coordinator = factory.coordinator()
        follower = factory.member()
        case = CaseFactory().case(member)
        social.follow_case(follower, case)
        db.session.commit()
        case_id, coordinator_email = case.id, coordinator.email
    client = site.test_client()

    client.post("/glemt-adgangskode", data={"email": "leder@skole.test"}, base_url=FORGED)
    for _ in range(2):  # LOCKOUT_THRESHOLD wrong passwords: the unlock mail goes out
        client.post("/log-ind", data={"email": "leder@skole.test", "password": "forkert"}, base_url=FORGED)
    client.post("/log-ind", data={"email": coordinator_email, "password": PASSWORD}, base_url=FORGED)
    client.post(
        "/invitationer", data={"emails": "ny@skole.test", "role": "member", "school_id": 0}, base_url=FORGED
    )
    client.post(
        f"/sager/{case_id}/svar", data={"kind": "question", "body": "Hvad siger lærerne?"}, base_url=FORGED
    )

    links = links_in_mails(site)
    paths = ("/ny-adgangskode/", "/laas-op/", "/invitation/", f"/sager/{case_id}")
    for path in paths:
        assert any(path in link for link in links), f"no mail linked to {path}: {links}"
    base = site.config["BASE_URL"]  # empty outside production: the local server's address
    assert base in (BASE, "http://127.0.0.1:" + os.environ.get("PORT", "5000"))
    assert links and all(link.startswith(base + "/") for link in links), links


def _production_env(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("NETWORK_ENV", "production")
    monkeypatch.setenv("NETWORK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("NETWORK_SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("NETWORK_DATABASE_URL", f"sqlite:///{tmp_path / 'network.db'}")


def test_production_refuses_to_start_without_base_url(monkeypatch, tmp_path):
    _production_env(monkeypatch, tmp_path)
    with pytest.raises(UnsafeProductionConfig, match="NETWORK_BASE_URL"):
        create_app()
    monkeypatch.setenv("NETWORK_BASE_URL", "netvaerk.example")  # no scheme: not an address
    with pytest.raises(UnsafeProductionConfig, match="NETWORK_BASE_URL"):
        create_app()


def test_production_answers_only_its_own_host_and_loopback(monkeypatch, tmp_path):
    _production_env(monkeypatch, tmp_path)
    monkeypatch.setenv("NETWORK_BASE_URL", BASE)
    client = create_app().test_client()
    assert client.get("/log-ind", base_url="https://evil.example").status_code == 400
    assert client.get("/log-ind", base_url=BASE).status_code == 200
    assert client.get("/log-ind", base_url="https://127.0.0.1:8001").status_code == 200  # health checks
