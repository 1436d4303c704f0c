"""Socket flood benchmark: how one member's flood of /rooms events slows other members' API calls.

One member's client sends FLOOD `join` events (and a `history` event after every fifth) as fast as
it can; meanwhile another member calls GET /api/v1/cases again and again. The same run measures
the API alone first (the baseline), then during the flood, against a server with the per-event
budget switched off (as before issue 14, finding 9) and one with the default budget.

    .venv/bin/python -m bench.socket_flood --write docs/benchmarks.md
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NETWORK_ENV", "test")

import socketio  # noqa: E402

from bench.rooms import write_section  # noqa: E402
from network.auth.service import create_api_token  # noqa: E402
from network.db import db  # noqa: E402
from tests.conftest import make_test_app  # noqa: E402
from tests.factories import Factory  # noqa: E402
from tests.rooms.conftest import make_case, make_room  # noqa: E402
from tests.rooms.live import Server  # noqa: E402

FLOOD = 1000
CALLS = 20


def prepare(folder: Path) -> tuple[str, int, str, str]:
    url = f"sqlite:///{folder / 'bench.db'}"
    app = make_test_app(url, folder)
    with app.app_context():
        factory = Factory()
        flooder, reader = factory.member(name="Flemming Flod"), factory.member(name="Rikke Læser")
        room = make_room(reader, name="Bench")
        for i in range(30):
            make_case(reader, title=f"Sag nummer {i}")
        tokens = create_api_token(flooder, "bench")[1], create_api_token(reader, "bench")[1]
        db.session.commit()
        room_id = room.id
        db.session.remove()
        db.engine.dispose()
    return url, room_id, *tokens


def api_call(server: Server, token: str) -> float:
    request = urllib.request.Request(
        f"{server.url}/api/v1/cases", headers={"Authorization": f"Bearer {token}"}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
    return 1000 * (time.perf_counter() - started)


def calls_until(server: Server, token: str, done: threading.Event, at_least: int) -> list[float]:
    times: list[float] = []
    while not done.is_set() or len(times) < at_least:
        times.append(api_call(server, token))
    return times


def flood(server: Server, room_id: int, token: str, reader_token: str) -> dict:
    baseline = [api_call(server, reader_token) for _ in range(CALLS)]
    sio = socketio.Client(reconnection=False)
    sio.connect(server.url, namespaces=["/rooms"], auth={"token": token}, transports=["websocket"])
    answered = {"ok": 0, "refused": 0}
    lock, done = threading.Lock(), threading.Event()

    def ack(answer: dict) -> None:
        with lock:
            answered["ok" if answer.get("ok") else "refused"] += 1
            if answered["ok"] + answered["refused"] >= FLOOD:
                done.set()

    measured: list[float] = []
    reader = threading.Thread(target=lambda: measured.extend(calls_until(server, reader_token, done, CALLS)))
    started = time.perf_counter()
    reader.start()
    for i in range(FLOOD):
        event, data = ("history", {"room_id": room_id}) if i % 5 == 4 else ("join", {"room_id": room_id})
        sio.emit(event, data, namespace="/rooms", callback=ack)
    done.wait(timeout=300)
    drained = time.perf_counter() - started
    done.set()
    reader.join()
    sio.disconnect()
    return {
        "base_p50": statistics.median(baseline),
        "base_max": max(baseline),
        "p50": statistics.median(measured),
        "max": max(measured),
        "calls": len(measured),
        "drained": drained,
        **answered,
    }


def table(rows: list[tuple[str, dict]]) -> str:
    lines = [
        "| server | events answered ok / refused | flood handled in s | API p50 ms alone → during flood | "
        "API max ms alone → during flood | p50 ratio | max ratio |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rows:
        counts = f"{r['ok']} / {r['refused']} | {r['drained']:.1f}"
        p50 = f"{r['base_p50']:.0f} → {r['p50']:.0f}"
        top = f"{r['base_max']:.0f} → {r['max']:.0f}"
        ratios = f"{r['p50'] / r['base_p50']:.1f}× | {r['max'] / r['base_max']:.1f}×"
        lines.append(f"| {name} | {counts} | {p50} | {top} | {ratios} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    rows = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-flood-") as tmp:
        folder = Path(tmp)
        url, room_id, flooder_token, reader_token = prepare(folder)
        for name, budget in (("no event budget (before)", "1000000"), ("default event budget", "")):
            server = Server(url, folder)
            if budget:
                server.env.update(NETWORK_ROOMS_EVENT_RATE=budget, NETWORK_ROOMS_EVENT_BURST=budget)
            server.start()
            try:
                row = flood(server, room_id, flooder_token, reader_token)
            finally:
                server.stop()
            print(name, row, flush=True)
            rows.append((name, row))
    elapsed = time.monotonic() - started
    print(table(rows))
    if args.write:
        body = (
            "## Socket flood\n\n"
            f"`bench/socket_flood.py` (issue 14, finding 9): one member's python-socketio client sends "
            f"{FLOOD} `/rooms` events as fast as it can (`join`, and `history` every fifth) while another "
            f"member calls `GET /api/v1/cases` in a loop until the flood is answered (at least {CALLS} "
            f"calls). The baseline is {CALLS} calls alone against the same server just before. Server: "
            "`network run` (threading mode) on SQLite, on the shared 2-core machine; the client runs "
            f"there too. The run took {elapsed:.0f} s.\n\n" + table(rows) + "\n"
        )
        write_section(args.write, body, heading="## Socket flood")


if __name__ == "__main__":
    main()
