"""Faults with real services: Redis killed under two server processes, PostgreSQL restarted.

Each test starts its own Redis or PostgreSQL on a free port (never the shared ones) and real
`network run` processes against it, then takes the service away and brings it back.
"""

import contextlib
import sqlite3
import subprocess
import typing as t
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, select, text

from network import create_app
from network.auth.service import create_api_token
from network.db import db
from network.members.models import Member
from tests.cases.conftest import CaseFactory
from tests.conftest import PASSWORD, make_test_app
from tests.factories import Factory
from tests.ops.faults import (
    CSRF,
    PrivatePostgres,
    PrivateRedis,
    in_own_thread,
    login_form,
    poll,
    signed_in_session,
)
from tests.rooms.conftest import make_room
from tests.rooms.live import NETWORK, LiveClient, Server

CHROMIUM = Path("/usr/bin/chromium")
RECONNECTING = "Genopretter forbindelsen"
UNAVAILABLE = "Tjenesten er midlertidigt utilgængelig"


# --- Redis away under the several-process tier ------------------------------------------------


class RedisTier:
    """Two server processes sharing one database, with a private Redis as queue and limiter store."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.database = folder / "faults.db"
        self.redis = PrivateRedis(folder / "redis")
        self.servers: list[Server] = []
        self.people: dict[str, t.Any] = {}

    def prepare(self) -> None:
        app = make_test_app(f"sqlite:///{self.database}", self.folder)
        with app.app_context():
            factory = Factory()
            anna = factory.member(name="Anna Andersen", email="anna@faults.test")
            bo = factory.member(name="Bo Berg", email="bo@faults.test")
            room = make_room(anna, name="Sparring under nedbrud")
            case = CaseFactory().case(anna, title="Skemaet skifter hver uge")
            self.people = {
                "room_id": room.id,
                "case_id": case.id,
                "tokens": [create_api_token(member, "faults")[1] for member in (anna, bo)],
                "emails": [anna.email, bo.email],
            }
            db.session.commit()
            db.session.remove()
            db.engine.dispose()

    def start(self) -> None:
        self.redis.start()
        for _ in range(2):
            server = Server(f"sqlite:///{self.database}", self.folder, queue=self.redis.url)
            server.env["NETWORK_RATELIMIT_STORAGE_URI"] = self.redis.url
            self.servers.append(server.start())

    def ensure_redis(self) -> None:
        """Redis running again, whatever a failed test left behind."""
        if self.redis.process and self.redis.process.poll() is not None:
            self.redis.start()

    def stop(self) -> None:
        for server in self.servers:
            server.stop()
        self.redis.kill()

    def stored_bodies(self) -> list[str]:
        with sqlite3.connect(self.database) as conn:
            rows = conn.execute(
                "SELECT body FROM room_messages WHERE room_id = ? ORDER BY id", (self.people["room_id"],)
            )
            return [body for (body,) in rows]

    def server_errors(self) -> list[str]:
        """Lines of the servers' logs that show a 500 or a traceback."""
        lines = "\n".join(server.log() for server in self.servers).splitlines()
        return [line for line in lines if '" 500 ' in line or "Traceback" in line]


@pytest.fixture(scope="module")
def redis_tier(tmp_path_factory) -> t.Iterator[RedisTier]:
    if not PrivateRedis.available():
        pytest.skip("needs redis-server (Debian: apt-get install redis-server)")
    tier = RedisTier(tmp_path_factory.mktemp("redis-faults"))
    tier.prepare()
    try:
        tier.start()
        yield tier
    finally:
        tier.stop()


def test_redis_away_pages_keep_working_and_rooms_recover_without_loss(redis_tier):
    one, two = (server.url for server in redis_tier.servers)
    people = redis_tier.people
    room_id = people["room_id"]
    anna = LiveClient(one, people["tokens"][0], room_id).connect()
    bo = LiveClient(two, people["tokens"][1], room_id).connect()
    late = None
    try:
        poll(lambda: anna.joined.is_set() and bo.joined.is_set(), message="both joined")
        anna.send("Før nedbruddet")
        poll(lambda: "Før nedbruddet" in bo.bodies(), message="delivery from process one to two")

        # Given Redis dies under both processes,
        redis_tier.redis.kill()
        # then the rooms on both processes say they are reconnecting,
        poll(lambda: not anna.link_ok and not bo.link_ok, timeout=10, message="both told the link is down")

        # pages, sign-in (rate limited through Redis) and the API still answer,
        member = signed_in_session(one, people["emails"][0], PASSWORD)
        case_page = member.get(f"{one}/sager/{people['case_id']}", timeout=10)
        assert case_page.status_code == 200 and "Skemaet skifter hver uge" in case_page.text
        assert member.get(f"{one}/rum/{room_id}", timeout=10).status_code == 200
        fresh = requests.Session()
        signed_in = fresh.post(
            f"{two}/log-ind", data=login_form(fresh, two, people["emails"][1], PASSWORD), timeout=10
        )
        assert signed_in.status_code == 200 and "Log ud" in signed_in.text
        api = requests.get(
            f"{two}/api/v1/rooms/{room_id}/messages",
            headers={"Authorization": f"Bearer {people['tokens'][1]}"},
            timeout=10,
        )
        assert api.status_code == 200

        # a member joining now is told at once,
        late = LiveClient(one, people["tokens"][1], room_id).connect()
        poll(lambda: late.joined.is_set() and not late.link_ok, message="a new joiner is told too")
        # and messages are stored and acknowledged on either process, and reach that process's clients.
        anna.send("Under nedbruddet fra Anna")
        poll(lambda: not anna.pending, message="anna's post acknowledged")
        poll(lambda: "Under nedbruddet fra Anna" in late.bodies(), message="live delivery within process one")
        bo.send("Under nedbruddet fra Bo")
        poll(lambda: not bo.pending, message="bo's post acknowledged")

        # When Redis is back on the same port, every client catches up on what it missed,
        redis_tier.redis.start()
        expected = ["Før nedbruddet", "Under nedbruddet fra Anna", "Under nedbruddet fra Bo"]
        for client in (anna, bo, late):
            poll(lambda c=client: c.link_ok and c.bodies() == expected, timeout=15, message="catch-up")

        # and live delivery between the processes flows again.
        bo.send("Efter nedbruddet")
        poll(lambda: anna.bodies() == [*expected, "Efter nedbruddet"], message="delivery from two to one")
        assert redis_tier.stored_bodies() == [*expected, "Efter nedbruddet"]  # each stored once
        assert anna.errors == [] and bo.errors == []
        assert redis_tier.server_errors() == []
    finally:
        for client in (anna, bo, late):
            if client:
                client.close()
        redis_tier.ensure_redis()


@pytest.mark.e2e
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM}")
def test_room_page_says_it_is_reconnecting_while_redis_is_away(redis_tier):
    sync_api = pytest.importorskip("playwright.sync_api")
    one, two = (server.url for server in redis_tier.servers)
    people = redis_tier.people
    bo = LiveClient(two, people["tokens"][1], people["room_id"]).connect()

    def scenario() -> None:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                headless=True,
                args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            try:
                page = browser.new_context(base_url=one, locale="da-DK").new_page()
                page.set_default_timeout(15_000)
                page.goto("/log-ind")
                page.get_by_label("E-mail").fill(people["emails"][0])
                page.get_by_label("Adgangskode", exact=True).fill(PASSWORD)
                page.get_by_role("button", name="Log ind").click()
                page.wait_for_url(f"{one}/")
                page.goto(f"/rum/{people['room_id']}")
                connection = page.locator("#connection")
                sync_api.expect(connection).to_have_text("Forbundet")

                redis_tier.redis.kill()
                sync_api.expect(connection).to_contain_text(RECONNECTING)
                sync_api.expect(connection).to_have_class("connection connection-trouble")
                bo.send("Skrevet på proces to mens Redis var væk")
                poll(lambda: not bo.pending, message="bo's post stored")

                redis_tier.redis.start()
                sync_api.expect(connection).to_have_text("Forbundet")
                # Bo's process could not pass it on live; Anna's page fetched it on recovery.
                sync_api.expect(page.locator("#messages")).to_contain_text(
                    "Skrevet på proces to mens Redis var væk"
                )
            finally:
                browser.close()

    try:
        poll(bo.joined.is_set, message="bo joined")
        in_own_thread(scenario)
    finally:
        bo.close()
        redis_tier.ensure_redis()


def network(env: dict, *args: str) -> None:
    """Run a `network` command as an operator would."""
    result = subprocess.run(
        [str(NETWORK), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, f"network {args[0]} failed:\n{result.stdout}\n{result.stderr}"


# --- PostgreSQL restarting --------------------------------------------------------------------


@pytest.fixture
def private_postgres() -> t.Iterator[PrivatePostgres]:
    reason = PrivatePostgres.unavailable_reason()
    if reason:
        pytest.skip(reason)
    postgres = PrivatePostgres().init()
    try:
        postgres.start()
        yield postgres
    finally:
        postgres.destroy()


def test_postgres_restart_gives_a_clear_503_and_recovers_by_itself(private_postgres, tmp_path):
    url = private_postgres.url
    server = Server(url, tmp_path)
    # Set up as an operator would: migrate, make a member; then a case through the API.
    network(server.env, "init-db")
    network(
        server.env,
        "create-member",
        "--email",
        "anna@faults.test",
        "--name",
        "Anna Andersen",
        "--school",
        "Fejlskolen",
        "--role",
        "member",
        "--password",
        PASSWORD,
    )
    with app_context_on(url, tmp_path):
        anna = db.session.scalar(select(Member).where(Member.email == "anna@faults.test"))
        room_id = make_room(anna, name="Sparring under genstart").id
    server.start()
    sparring = None
    try:
        member = signed_in_session(server.url, "anna@faults.test", PASSWORD)
        token = requests.post(
            f"{server.url}/api/v1/auth/token",
            json={"email": "anna@faults.test", "password": PASSWORD},
            timeout=10,
        ).json()["token"]
        api = {"Authorization": f"Bearer {token}"}
        created = requests.post(
            f"{server.url}/api/v1/cases",
            headers=api,
            timeout=10,
            json={
                "title": "Skemaet skifter hver uge",
                "problem": "Skemaet på grundforløbet skifter hver uge.",
                "question": "Hvordan skaber vi ro om skemaet?",
            },
        )
        assert created.status_code == 201, created.text
        case_id = created.json()["id"]
        sparring = LiveClient(server.url, token, room_id).connect()
        poll(sparring.joined.is_set, message="joined the room")
        case_url, api_url = f"{server.url}/sager/{case_id}", f"{server.url}/api/v1/cases/{case_id}"
        before = member.get(case_url, timeout=10)
        assert before.status_code == 200
        csrf = CSRF.search(before.text)
        assert requests.get(api_url, headers=api, timeout=10).status_code == 200

        private_postgres.stop()
        page = member.get(case_url, timeout=10)
        assert page.status_code == 503, page.text[:500]
        assert UNAVAILABLE in page.text and "Traceback" not in page.text
        assert page.headers["Content-Type"].startswith("text/html")
        problem = requests.get(api_url, headers=api, timeout=10)
        assert problem.status_code == 503
        assert problem.headers["Content-Type"] == "application/problem+json"
        assert problem.json()["status"] == 503
        assert requests.get(f"{server.url}/healthz", timeout=10).status_code == 503
        form = {"csrf_token": csrf.group(1) or csrf.group(2)}
        post = member.post(f"{case_url}/foelg", data=form, timeout=10, allow_redirects=False)
        assert post.status_code == 503 and "blev ikke gemt" in post.text
        # In a live room the post is refused with the same words; rooms.js puts it back in the box.
        refused = sparring.sio.call(
            "message",
            {"room_id": room_id, "body": "Under genstart", "client_id": "a" * 36},
            namespace="/rooms",
        )
        assert refused["ok"] is False and refused["error"]["code"] == "unavailable"
        assert UNAVAILABLE in refused["error"]["message"]

        private_postgres.start()
        # No restart of the app: its pool notices the dead connections and opens new ones.
        poll(lambda: member.get(case_url, timeout=10).status_code == 200, timeout=15, message="page back")
        again = member.get(case_url, timeout=10)
        assert "Skemaet skifter hver uge" in again.text and "Log ud" in again.text  # still signed in
        assert requests.get(api_url, headers=api, timeout=10).json()["title"] == "Skemaet skifter hver uge"
        assert requests.get(f"{server.url}/healthz", timeout=10).status_code == 200
        sparring.send("Efter genstart")  # the same socket, still connected
        poll(lambda: sparring.bodies() == ["Efter genstart"], message="room works again")
        engine = create_engine(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM cases")).scalar() == 1
            assert conn.execute(text("SELECT count(*) FROM room_messages")).scalar() == 1
        engine.dispose()
    finally:
        if sparring:
            sparring.close()
        server.stop()


@contextlib.contextmanager
def app_context_on(url: str, folder: Path) -> t.Iterator[None]:
    """An app context on an existing (migrated) database, for a row the API cannot make."""
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": url, "SEARCH_INDEX_DIR": str(folder / "i")}
    )
    with app.app_context():
        try:
            yield
        finally:
            db.session.remove()
            db.engine.dispose()


def test_the_503_page_needs_no_database_even_for_a_signed_in_member(tmp_path):
    """The same page in-process, where no private PostgreSQL can run: the SQLite file vanishes."""
    database = tmp_path / "away.db"
    app = make_test_app(f"sqlite:///{database}", tmp_path)
    with app.app_context():
        anna = Factory().member(email="anna@faults.test")
        case_id = CaseFactory().case(anna).id
    client = app.test_client()
    client.post("/log-ind", data={"email": "anna@faults.test", "password": PASSWORD})
    assert client.get(f"/sager/{case_id}").status_code == 200

    with app.app_context():
        db.engine.dispose()
    database.rename(tmp_path / "elsewhere.db")
    database.mkdir()  # a folder where the file was: every connection attempt fails
    page = client.get(f"/sager/{case_id}")
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert UNAVAILABLE in page.get_data(as_text=True)
    sent = client.post(f"/sager/{case_id}/foelg")
    assert sent.status_code == 503 and "blev ikke gemt" in sent.get_data(as_text=True)
    problem = client.get(f"/api/v1/cases/{case_id}", headers={"Authorization": "Bearer nope"})
    assert problem.status_code == 503 and problem.mimetype == "application/problem+json"

    database.rmdir()
    (tmp_path / "elsewhere.db").rename(database)
    again = client.get(f"/sager/{case_id}")
    assert again.status_code == 200 and "Log ud" in again.get_data(as_text=True)
