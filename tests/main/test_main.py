from network import create_app


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
