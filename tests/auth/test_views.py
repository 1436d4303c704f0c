import pytest

from network.auth import service
from network.db import db
from tests.conftest import PASSWORD, make_test_app, read_mails


def test_login_page_is_danish_and_shows_demo_logins_only_in_development(client, app):
    page = client.get("/log-ind").get_data(as_text=True)
    assert "Log ind på Ledernetværket" in page
    assert "leder@demo.ledernetvaerket.dk" not in page  # the test config is not the embedded tier
    app.config["SHOW_DEMO_LOGINS"] = True
    assert "leder@demo.ledernetvaerket.dk" in client.get("/log-ind").get_data(as_text=True)


def test_sign_in_and_out(client, auth, factory):
    member = factory.member(name="Lise Leder")
    response = auth.login(member)
    assert response.status_code == 302
    assert "Hej Lise Leder" in client.get("/").get_data(as_text=True)
    auth.logout()
    assert client.get("/").headers["Location"].endswith("/log-ind")


def test_wrong_password_keeps_the_email_and_says_why(client, factory):
    member = factory.member(email="leder@skole.test")
    response = client.post("/log-ind", data={"email": member.email, "password": "forkert kode"})
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Forkert e-mail eller adgangskode." in page
    assert 'value="leder@skole.test"' in page


def test_sign_in_starts_a_fresh_session(client, auth, factory):
    member = factory.member()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login(member)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_sign_in_is_rate_limited(client, factory, app):
    member = factory.member()
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    for _ in range(3):
        client.post("/log-ind", data={"email": member.email, "password": "forkert kode"})
    response = client.post("/log-ind", data={"email": member.email, "password": "en-lang-god-sætning"})
    assert response.status_code == 429
    assert "for mange gange" in response.get_data(as_text=True)


def test_safe_redirect_after_sign_in(client, factory):
    member = factory.member()
    data = {"email": member.email, "password": "en-lang-god-sætning"}
    response = client.post("/log-ind?next=https://evil.example/", data=data)
    assert response.headers["Location"] == "/"


def test_invite_flow_through_the_pages(client, auth, factory, app):
    coordinator = factory.coordinator()
    auth.login(coordinator)
    response = client.post(
        "/invitationer",
        data={"emails": "ny.leder@skole.test", "role": "member", "school_id": 0, "message": "Velkommen!"},
    )
    assert response.status_code == 302
    mail = read_mails(app)[-1]
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Velkommen!" in body
    link = next(line for line in body.splitlines() if "/invitation/" in line).strip()
    path = link.split("netvaerk.test", 1)[1]
    auth.logout()

    page = client.get(path).get_data(as_text=True)
    assert "ny.leder@skole.test" in page
    response = client.post(
        path,
        data={
            "name": "Ny Leder",
            "title": "Afdelingsleder",
            "school_id": coordinator.school_id,
            "password": "kaffe og kridt på tavlen",
            "password_again": "kaffe og kridt på tavlen",
        },
    )
    assert response.headers["Location"].endswith("/profil")
    assert "Ny Leder" in client.get("/").get_data(as_text=True)
    again = client.get(path)
    assert again.status_code == 302  # already signed in
    auth.logout()
    used = client.get(path)
    assert used.status_code == 410
    assert "allerede brugt" in used.get_data(as_text=True)


def test_accept_form_keeps_what_was_typed_on_errors(client, factory, app):
    coordinator = factory.coordinator()
    service.invite_members(coordinator, "ny@skole.test")
    db.session.commit()
    token = service.invite_token(service.list_invites(coordinator)[0])
    response = client.post(
        f"/invitation/{token}",
        data={
            "name": "Karen Ny",
            "title": "Teamleder",
            "school_id": coordinator.school_id,
            "password": "123456789012",
            "password_again": "123456789012",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "for almindelig" in page
    assert 'value="Karen Ny"' in page and 'value="Teamleder"' in page


@pytest.mark.parametrize("school_id", [0, 99999])
def test_accept_form_refuses_an_unknown_school(client, factory, school_id):
    coordinator = factory.coordinator()
    service.invite_members(coordinator, "ny@skole.test")
    db.session.commit()
    token = service.invite_token(service.list_invites(coordinator)[0])
    response = client.post(
        f"/invitation/{token}",
        data={
            "name": "Karen Ny",
            "school_id": school_id,
            "password": "kaffe og kridt på tavlen",
            "password_again": "kaffe og kridt på tavlen",
        },
    )
    assert response.status_code == 422
    assert 'value="Karen Ny"' in response.get_data(as_text=True)


def test_a_forged_invite_link_gets_a_clear_404(client):
    response = client.get("/invitation/not-a-real-token")
    assert response.status_code == 404
    assert "Invitationslinket er ugyldigt" in response.get_data(as_text=True)


def test_only_coordinators_see_and_send_invites(client, auth, factory):
    assert client.get("/invitationer").status_code == 302  # visitor: to sign-in
    auth.login(factory.member())
    assert client.get("/invitationer").status_code == 403
    assert client.post("/invitationer", data={"emails": "x@skole.test", "role": "member"}).status_code == 403


def test_invites_page_reports_each_address_and_keeps_the_list(client, auth, factory):
    auth.login(factory.coordinator())
    response = client.post(
        "/invitationer", data={"emails": "god@skole.test\nikke-en-adresse", "role": "member", "school_id": 0}
    )
    page = response.get_data(as_text=True)
    assert "Ikke en gyldig e-mailadresse." in page
    assert "ikke-en-adresse" in page  # the textarea still holds the pasted list


def test_coordinator_revokes_a_pending_invite(client, auth, factory):
    coordinator = factory.coordinator()
    service.invite_members(coordinator, "ny@skole.test")
    db.session.commit()
    invite = service.list_invites(coordinator)[0]
    auth.login(coordinator)
    assert client.post(f"/invitationer/{invite.id}/tilbagekald").status_code == 302
    db.session.expire_all()
    assert invite.status == "revoked"


def test_password_reset_through_the_pages(client, factory, app):
    member = factory.member(email="leder@skole.test")
    response = client.post("/glemt-adgangskode", data={"email": "leder@skole.test"})
    assert response.status_code == 302
    body = read_mails(app)[-1].get_body(preferencelist=("plain",)).get_content()
    path = next(line for line in body.splitlines() if "/ny-adgangskode/" in line).split("netvaerk.test", 1)[1]
    response = client.post(
        path, data={"password": "et helt nyt kodeord", "password_again": "et helt nyt kodeord"}
    )
    assert response.status_code == 302
    assert service.authenticate(member.email, "et helt nyt kodeord") is not None
    reused = client.get(path)
    assert reused.headers["Location"].endswith("/glemt-adgangskode")


def test_unknown_address_gets_the_same_answer_as_a_known_one(client, factory):
    factory.member(email="leder@skole.test")
    known = client.post("/glemt-adgangskode", data={"email": "leder@skole.test"}, follow_redirects=True)
    unknown = client.post("/glemt-adgangskode", data={"email": "ukendt@skole.test"}, follow_redirects=True)
    assert "Hvis adressen hører til et medlem" in known.get_data(as_text=True)
    assert "Hvis adressen hører til et medlem" in unknown.get_data(as_text=True)


def test_changing_password_signs_out_other_sessions(app, factory):
    member = factory.member()
    phone, laptop = app.test_client(), app.test_client()
    for c in (phone, laptop):
        c.post("/log-ind", data={"email": member.email, "password": "en-lang-god-sætning"})
    response = laptop.post(
        "/konto",
        data={
            "current_password": "en-lang-god-sætning",
            "password": "en anden lang sætning",
            "password_again": "en anden lang sætning",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302


def test_wrong_current_password_is_shown_next_to_the_field(client, auth, factory):
    auth.login(factory.member())
    response = client.post(
        "/konto",
        data={
            "current_password": "forkert",
            "password": "en anden lang sætning",
            "password_again": "en anden lang sætning",
        },
    )
    assert response.status_code == 422
    assert "Den nuværende adgangskode er forkert." in response.get_data(as_text=True)


def test_api_token_is_shown_once_then_only_its_prefix(client, auth, factory):
    member = factory.member()
    auth.login(member)
    page = client.post("/konto/api-noegler", data={"name": "Regneark"}).get_data(as_text=True)
    token = page.split('class="token-value">', 1)[1].split("<", 1)[0]
    assert token.startswith("lnv_")
    later = client.get("/konto").get_data(as_text=True)
    assert token not in later and token[:10] in later
    token_id = service.list_api_tokens(member)[0].id
    assert client.post(f"/konto/api-noegler/{token_id}/tilbagekald").status_code == 302
    assert service.member_for_api_token(token) is None


def test_revoking_someone_elses_token_is_404(client, auth, factory):
    owner = factory.member()
    token, _plain = service.create_api_token(owner, "x")
    db.session.commit()
    auth.login(factory.member())
    assert client.post(f"/konto/api-noegler/{token.id}/tilbagekald").status_code == 404


def test_every_post_needs_a_csrf_token(database_url, tmp_path, factory):
    app = make_test_app(database_url, tmp_path / "csrf", WTF_CSRF_ENABLED=True)
    with app.app_context():
        from tests.factories import Factory

        member = Factory().member(email="csrf@skole.test")
        email = member.email
    client = app.test_client()
    response = client.post("/log-ind", data={"email": email, "password": "en-lang-god-sætning"})
    assert response.status_code == 400
    assert "Formularen var udløbet" in response.get_data(as_text=True)
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def test_a_locked_account_looks_like_a_wrong_password_and_the_mail_unlocks_it(client, factory, app):
    app.config["LOCKOUT_THRESHOLD"] = 2
    member = factory.member(email="leder@skole.test")
    for _ in range(2):
        client.post("/log-ind", data={"email": member.email, "password": "forkert kode"})
    locked = client.post("/log-ind", data={"email": member.email, "password": "en-lang-god-sætning"})
    assert locked.status_code == 401 and "Forkert e-mail eller adgangskode." in locked.get_data(as_text=True)
    body = read_mails(app)[-1].get_body(preferencelist=("plain",)).get_content()
    path = next(line for line in body.splitlines() if "/laas-op/" in line).split("netvaerk.test", 1)[1]
    assert "låst op" in client.get(path, follow_redirects=True).get_data(as_text=True)
    ok = client.post("/log-ind", data={"email": member.email, "password": "en-lang-god-sætning"})
    assert ok.status_code == 302


# --- sign-out ends the session (issue 14, finding 7) --------------------------------------------


def _stolen_cookies(app, client) -> dict[str, str]:  # noqa: ANN001
    host = app.config["SERVER_NAME"]
    found = {name: client.get_cookie(name, domain=host) for name in ("session", "remember_token")}
    return {name: cookie.value for name, cookie in found.items() if cookie}


def _replay(app, cookies: dict[str, str]):  # noqa: ANN001, ANN202
    """Another browser with copied cookies opens the account page."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value, domain=app.config["SERVER_NAME"])
    return other.get("/konto")


def test_a_copied_session_or_remember_cookie_stops_working_at_sign_out(app, client, factory):
    member = factory.member()
    client.post("/log-ind", data={"email": member.email, "password": PASSWORD, "remember": "y"})
    both = _stolen_cookies(app, client)
    assert set(both) == {"session", "remember_token"}
    assert _replay(app, both).status_code == 200  # the copy works while the member is signed in
    assert _replay(app, {"remember_token": both["remember_token"]}).status_code == 200
    client.post("/log-ud")
    for cookies in (both, {"session": both["session"]}, {"remember_token": both["remember_token"]}):
        assert _replay(app, cookies).headers["Location"].startswith("/log-ind")


def test_a_password_change_revokes_api_tokens(client, auth, factory):
    from network.auth.service import create_api_token

    member = factory.member()
    _token, plain = create_api_token(member, "robot")
    db.session.commit()
    bearer = {"Authorization": f"Bearer {plain}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 200
    auth.login(member)
    new = "et helt nyt og langt kodeord"
    answer = client.post(
        "/konto", data={"current_password": PASSWORD, "password": new, "password_again": new}
    )
    assert answer.status_code == 302
    assert client.get("/api/v1/me", headers=bearer).status_code == 401


def test_end_all_sessions_and_tokens_from_the_account_page(app, client, auth, factory):
    from network.auth.service import create_api_token

    member = factory.member()
    _token, plain = create_api_token(member, "robot")
    db.session.commit()
    laptop = app.test_client()
    laptop.post("/log-ind", data={"email": member.email, "password": PASSWORD})
    auth.login(member)
    page = client.get("/konto").get_data(as_text=True)
    assert "Afslut alle sessioner og nøgler" in page
    answer = client.post("/konto/log-ud-overalt", follow_redirects=True)
    assert "Du er logget ud overalt, og 1 API-nøgle er tilbagekaldt." in answer.get_data(as_text=True)
    assert laptop.get("/konto").headers["Location"].startswith("/log-ind")
    assert client.get("/konto").headers["Location"].startswith("/log-ind")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 401
