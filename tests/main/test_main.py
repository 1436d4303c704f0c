import re

import pytest

from network import create_app
from network.db import db
from network.notifications.service import notify


def test_front_page_sends_visitors_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/log-ind")


def test_front_page_greets_a_member_and_suggests_peers(client, auth, factory):
    factory.member("Åben Kollega", open_for_sparring=True)
    auth.login(factory.member("Lone Leder"))
    page = client.get("/").get_data(as_text=True)
    assert "Hej Lone Leder" in page and "Åben Kollega" in page


def test_healthz_is_ok_when_database_and_index_folder_work(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": True, "search_index": True}}


def test_healthz_is_503_when_the_index_folder_cannot_exist(client, app, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app.config["SEARCH_INDEX_DIR"] = str(blocker / "index")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": True, "search_index": False}


def test_healthz_is_503_when_the_database_is_away(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": "sqlite:////nonexistent-folder/x.db",
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": False, "search_index": True}


def test_security_headers(client):
    response = client.get("/log-ind")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.get_data(as_text=True)  # no inline script in the layout


def test_session_cookie_is_httponly_and_samesite(client, auth, factory):
    auth.login(factory.member())
    cookie = client.get_cookie("session", domain="netvaerk.test")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_danish_by_default_english_on_request(client):
    assert "Log ind på Ledernetværket" in client.get("/log-ind").get_data(as_text=True)
    page = client.get("/log-ind", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert 'lang="en"' in page


def test_language_menu_overrides_the_browser(client):
    client.post("/sprog", data={"lang": "en"})
    assert 'lang="en"' in client.get("/log-ind", headers={"Accept-Language": "da"}).get_data(as_text=True)
    client.post("/sprog", data={"lang": "klingon"})
    assert 'lang="en"' in client.get("/log-ind").get_data(as_text=True)


def test_language_menu_does_not_redirect_off_site(client):
    response = client.post("/sprog?next=//evil.example/", data={"lang": "da"})
    assert response.headers["Location"] == "/"


def test_unknown_page_is_a_danish_404(client):
    response = client.get("/findes-ikke")
    assert response.status_code == 404
    assert "Siden findes ikke." in response.get_data(as_text=True)


def test_unknown_api_path_is_a_problem(client):
    response = client.get("/api/v1/findes-ikke")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_sign_out_needs_post(client, auth, factory):
    auth.login(factory.member())
    assert client.get("/log-ud").status_code == 405
    assert client.get("/").status_code == 200


def test_readyz_waits_for_the_newest_migration(database_url, tmp_path):
    from flask_migrate import downgrade, upgrade

    from network.db import db
    from tests.conftest import make_test_app

    app = make_test_app(database_url, tmp_path)
    client = app.test_client()
    with app.app_context():
        db.drop_all()
        upgrade(revision="0001")
    not_ready = client.get("/readyz")
    assert not_ready.status_code == 503 and not_ready.get_json()["checks"]["migrations"] is False
    with app.app_context():
        upgrade()
    assert client.get("/readyz").get_json() == {
        "status": "ready",
        "checks": {"database": True, "migrations": True, "search_index": True},
    }
    with app.app_context():
        downgrade(revision="base")
        db.engine.dispose()


def test_request_id_is_echoed_and_kept_from_a_sane_proxy_header(client):
    assert len(client.get("/healthz").headers["X-Request-ID"]) == 32
    same = client.get("/healthz", headers={"X-Request-ID": "proxy-abc-12345"})
    assert same.headers["X-Request-ID"] == "proxy-abc-12345"
    odd = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert odd.headers["X-Request-ID"] != "<script>"


def test_json_logs_carry_the_request_id(database_url, tmp_path, capfd):
    import json

    from tests.conftest import make_test_app

    app = make_test_app(database_url, tmp_path, LOG_FORMAT="json", LOG_LEVEL="INFO")

    @app.route("/log-something")
    def log_something():
        app.logger.info("something happened")
        return "ok"

    app.test_client().get("/log-something", headers={"X-Request-ID": "req-12345678"})
    lines = [json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")]
    entry = next(line for line in lines if line["message"] == "something happened")
    assert entry["request_id"] == "req-12345678" and entry["level"] == "INFO"


def test_production_refuses_the_development_secret_and_plain_http_cookies(monkeypatch, tmp_path):
    from network.config import UnsafeProductionConfig

    monkeypatch.setenv("NETWORK_ENV", "production")
    monkeypatch.setenv("NETWORK_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(UnsafeProductionConfig, match="SECRET_KEY"):
        create_app()
    monkeypatch.setenv("NETWORK_SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("NETWORK_SESSION_COOKIE_SECURE", "false")
    with pytest.raises(UnsafeProductionConfig, match="HTTPS"):
        create_app()
    monkeypatch.setenv("NETWORK_SESSION_COOKIE_SECURE", "true")
    monkeypatch.setenv("NETWORK_BASE_URL", "https://netvaerk.example")
    app = create_app()
    assert app.config["LOG_FORMAT"] == "json" and not app.config["SHOW_DEMO_LOGINS"]
    response = app.test_client().get("/log-ind", base_url="https://netvaerk.example")
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_every_page_has_the_header_search_box_and_the_bell_with_its_count(client, auth, factory):
    member = factory.member("Bente Bruger")
    notify(member, "case_reply", "Nyt svar", email=False)
    notify(member, "case_reply", "Endnu et svar", email=False)
    db.session.commit()
    auth.login(member)
    for url in ("/", "/sager", "/medlemmer", "/netvaerksmoeder", "/rum"):
        page = client.get(url).get_data(as_text=True)
        header = page[page.index("<header") : page.index("</header>")]
        assert 'action="/soeg"' in header and 'name="q"' in header, url
        assert re.search(r'class="icon-link bell".*?<span class="count">2<', header, re.S), url
