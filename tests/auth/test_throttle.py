"""Sign-in throttling behind the proxy: per client address and per account, one count for the
sign-in form and the token endpoint together (issue 14, finding 15)."""

from tests.conftest import PASSWORD, make_test_app


def sign_in(client, email: str, address: str, *, api: bool = False, via: str | None = None) -> int:
    """One wrong-password attempt from ``address`` (through a proxy at ``via`` when given)."""
    environ = {"REMOTE_ADDR": via or address}
    headers = {"X-Forwarded-For": address} if via else {}
    if api:
        body = {"email": email, "password": "forkert kode"}
        return client.post("/api/v1/auth/token", json=body, environ_base=environ, headers=headers).status_code
    data = {"email": email, "password": "forkert kode"}
    return client.post("/log-ind", data=data, environ_base=environ, headers=headers).status_code


def test_behind_one_proxy_each_client_has_its_own_count(database_url, tmp_path, factory):
    app = make_test_app(database_url, tmp_path, PROXY_COUNT=1, LOGIN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    nginx = "10.0.0.1"
    with app.app_context():
        emails = [factory.member().email for _ in range(4)]
    assert [sign_in(client, emails[i], "203.0.113.7", via=nginx) for i in range(3)] == [401, 401, 429]
    # Another client behind the same nginx is not blocked by the first one's attempts ...
    assert sign_in(client, emails[3], "198.51.100.9", via=nginx) == 401
    # ... and a client cannot pick a fresh address by sending its own X-Forwarded-For first:
    # with one proxy, only the address nginx appended counts.
    forged = {"X-Forwarded-For": "192.0.2.1, 203.0.113.7"}
    response = app.test_client().post(
        "/log-ind",
        data={"email": emails[3], "password": "forkert kode"},
        environ_base={"REMOTE_ADDR": nginx},
        headers=forged,
    )
    assert response.status_code == 429


def test_without_a_proxy_forwarded_headers_are_ignored(database_url, tmp_path, factory):
    app = make_test_app(database_url, tmp_path, LOGIN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    with app.app_context():
        emails = [factory.member().email for _ in range(3)]
    codes = [sign_in(client, emails[i], f"203.0.113.{i}", via="10.0.0.1") for i in range(3)]
    assert codes == [401, 401, 429]  # one socket address, one count, whatever the header says


def test_form_and_token_endpoint_share_the_count_per_address(database_url, tmp_path, factory):
    app = make_test_app(database_url, tmp_path, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    with app.app_context():
        emails = [factory.member().email for _ in range(4)]
    assert sign_in(client, emails[0], "203.0.113.7") == 401
    assert sign_in(client, emails[1], "203.0.113.7", api=True) == 401
    assert sign_in(client, emails[2], "203.0.113.7") == 401
    assert sign_in(client, emails[3], "203.0.113.7", api=True) == 429


def test_one_account_is_throttled_from_any_address_and_either_door(database_url, tmp_path, factory):
    app = make_test_app(
        database_url, tmp_path, LOGIN_ACCOUNT_RATE_LIMIT="3 per minute", LOCKOUT_THRESHOLD=100
    )
    client = app.test_client()
    with app.app_context():
        target, other = factory.member(email="maal@skole.test"), factory.member()
        target_email, other_email = target.email, other.email
    assert sign_in(client, target_email, "203.0.113.1") == 401
    assert sign_in(client, "MAAL@skole.test ", "203.0.113.2", api=True) == 401  # the same account
    assert sign_in(client, target_email, "203.0.113.3") == 401
    assert sign_in(client, target_email, "203.0.113.4", api=True) == 429
    assert sign_in(client, target_email, "203.0.113.5") == 429
    # Other accounts are not held up, and the right password still works for them.
    data = {"email": other_email, "password": PASSWORD}
    assert client.post("/log-ind", data=data, environ_base={"REMOTE_ADDR": "203.0.113.6"}).status_code == 302
