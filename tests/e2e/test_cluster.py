"""The several-process tier for real: nginx (sticky) + two gunicorn processes, PostgreSQL, Redis.

Runs when NETWORK_TEST_DATABASE_URL and NETWORK_TEST_REDIS_URL are set (CI sets both) and nginx
is installed; it uses a PostgreSQL schema of its own.
"""

import os
import shutil
import uuid

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from network.cluster import Cluster, cluster_env
from tests.rooms.live import LiveClient, free_port, wait_for

DATABASE_URL = os.environ.get("NETWORK_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("NETWORK_TEST_REDIS_URL", "")

pytestmark = pytest.mark.skipif(
    not (DATABASE_URL and REDIS_URL and shutil.which("nginx")),
    reason="needs NETWORK_TEST_DATABASE_URL, NETWORK_TEST_REDIS_URL and nginx",
)
DEMO_PASSWORD = "demo-sparring"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    schema = f"cluster_{uuid.uuid4().hex[:8]}"
    engine = create_engine(DATABASE_URL)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(DATABASE_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    folder = tmp_path_factory.mktemp("cluster")
    base = {k: v for k, v in os.environ.items() if not k.startswith("NETWORK_")}
    env = cluster_env(url.render_as_string(hide_password=False), REDIS_URL, base)
    env.update(
        NETWORK_INSTANCE_PATH=str(folder / "instance"),
        NETWORK_SECRET_KEY="cluster-secret",
        NETWORK_SEARCH_INDEX_DIR=str(folder / "index"),
        NETWORK_ROOMS_FLOOD_MESSAGES="1000",
        NETWORK_LOGIN_RATE_LIMIT="1000 per minute",
        NETWORK_LOGIN_ACCOUNT_RATE_LIMIT="1000 per minute",
    )
    port = free_port()
    while free_port() in (port + 1, port + 2):
        port = free_port()
    running = Cluster(port=port, processes=2, run_dir=folder / "run", env=env)
    running.prepare()
    running.start()
    yield running
    running.stop()
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def backend(cluster, n: int) -> str:
    return f"http://127.0.0.1:{cluster.backend_ports[n]}"


def token(base: str, email: str) -> str:
    response = requests.post(
        f"{base}/api/v1/auth/token", json={"email": email, "password": DEMO_PASSWORD}, timeout=10
    )
    assert response.status_code == 201, response.text
    return response.json()["token"]


def bearer(value: str) -> dict:
    return {"Authorization": f"Bearer {value}"}


def test_posts_and_search_hits_cross_processes(cluster):
    one, two = backend(cluster, 0), backend(cluster, 1)
    leader = token(one, "leder@demo.ledernetvaerket.dk")
    coordinator = token(two, "koordinator@demo.ledernetvaerket.dk")
    created = requests.post(
        f"{one}/api/v1/cases",
        headers=bearer(leader),
        timeout=10,
        json={
            "title": "Klyngetest om skemalægning",
            "problem": "Skemaet skifter hver uge på grundforløbet.",
            "question": "Hvordan skaber vi ro om skemaet?",
        },
    )
    assert created.status_code == 201, created.text
    case_id = created.json()["id"]
    seen = requests.get(f"{two}/api/v1/cases/{case_id}", headers=bearer(coordinator), timeout=10)
    assert seen.status_code == 200 and seen.json()["title"] == "Klyngetest om skemalægning"
    hits = requests.get(
        f"{two}/api/v1/search", params={"q": "skemalægning"}, headers=bearer(coordinator), timeout=10
    ).json()
    assert case_id in [hit["id"] for hit in hits["hits"] if hit["kind"] == "case"]


def test_room_messages_cross_processes_and_survive_a_killed_process(cluster):
    one, two = backend(cluster, 0), backend(cluster, 1)
    leader, coordinator = (
        token(one, "leder@demo.ledernetvaerket.dk"),
        token(two, "koordinator@demo.ledernetvaerket.dk"),
    )
    rooms = requests.get(f"{one}/api/v1/rooms", headers=bearer(leader), timeout=10).json()
    room_id = next(room["id"] for room in rooms if room["access"] == "open")
    anna = LiveClient(one, leader, room_id).connect()
    bo = LiveClient(two, coordinator, room_id).connect()
    try:
        wait_for(lambda: anna.joined.is_set() and bo.joined.is_set(), message="both joined")
        start = len(bo.bodies())
        anna.send("Fra proces ét i klyngen")
        wait_for(lambda: "Fra proces ét i klyngen" in bo.bodies(), message="delivery across processes")
        bo.send("Svar fra proces to i klyngen")
        wait_for(lambda: "Svar fra proces to i klyngen" in anna.bodies(), message="reply across processes")

        cluster.kill(f"web-{cluster.backend_ports[0]}")  # anna's process dies mid-conversation
        bo.send("Skrevet mens proces ét var væk")
        cluster.start_backend(cluster.backend_ports[0])
        wait_for(
            lambda: "Skrevet mens proces ét var væk" in anna.bodies(),
            timeout=40,
            message="anna reconnected and caught up",
        )
        expected = [
            "Fra proces ét i klyngen",
            "Svar fra proces to i klyngen",
            "Skrevet mens proces ét var væk",
        ]
        assert anna.bodies()[-3:] == expected and bo.bodies()[start:] == expected
        stored = requests.get(
            f"{two}/api/v1/rooms/{room_id}/messages",
            params={"limit": 100},
            headers=bearer(coordinator),
            timeout=10,
        ).json()
        bodies = [m["body"] for m in stored["items"]]
        assert bodies[-3:] == expected  # nothing stored was lost with the killed process
    finally:
        anna.close()
        bo.close()


def test_the_proxy_serves_pages_and_health(cluster):
    base = f"http://127.0.0.1:{cluster.port}"
    assert requests.get(f"{base}/healthz", timeout=10).json()["status"] == "ok"
    page = requests.get(f"{base}/log-ind", timeout=10)
    assert page.status_code == 200 and "Log ind" in page.text and page.headers["X-Request-ID"]
