"""Live rooms benchmark: N real python-socketio clients in one room against real server processes.

Measures fan-out latency (p50/p99 from send to arrival at every client), deliveries per second and
server memory per connection; first one process, then two processes sharing Redis (clients split
between them) when NETWORK_TEST_REDIS_URL (or --redis) is set. Bounded: a few minutes at most.

    .venv/bin/python bench/rooms.py --sizes 50 200 500 --write docs/benchmarks.md
"""

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NETWORK_ENV", "test")

import socketio  # noqa: E402

from network.auth.service import create_api_token  # noqa: E402
from network.db import db  # noqa: E402
from tests.conftest import make_test_app  # noqa: E402
from tests.factories import Factory  # noqa: E402
from tests.rooms.conftest import make_room  # noqa: E402
from tests.rooms.live import Server  # noqa: E402

MESSAGES = 20
GAP_SECONDS = 0.1


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def prepare(folder: Path) -> tuple[str, int, str, str]:
    url = f"sqlite:///{folder / 'bench.db'}"
    app = make_test_app(url, folder)
    with app.app_context():
        factory = Factory()
        sender, listener = factory.member(name="Sara Sender"), factory.member(name="Lars Lytter")
        room = make_room(sender, name="Bench")
        tokens = create_api_token(sender, "bench")[1], create_api_token(listener, "bench")[1]
        db.session.commit()
        room_id = room.id
        db.session.remove()
        db.engine.dispose()
    return url, room_id, *tokens


def run(servers: list[Server], room_id: int, sender_token: str, listener_token: str, n: int) -> dict:
    arrivals: dict[str, list[float]] = {}
    lock = threading.Lock()
    clients = []

    def listener(sio: socketio.Client) -> None:
        def on_message(message: dict) -> None:
            now = time.perf_counter()
            with lock:
                arrivals.setdefault(message["client_id"], []).append(now)

        sio.on("message", on_message, namespace="/rooms")

    before = [rss_kib(s.process.pid) for s in servers]
    for i in range(n):
        sio = socketio.Client(reconnection=False)
        listener(sio)
        sio.connect(
            servers[i % len(servers)].url,
            namespaces=["/rooms"],
            auth={"token": listener_token},
            transports=["websocket"],
            wait_timeout=10,
        )
        sio.call("join", {"room_id": room_id}, namespace="/rooms", timeout=30)
        clients.append(sio)
        if (i + 1) % 50 == 0:
            print(f"  {i + 1}/{n} connected", file=sys.stderr, flush=True)
    time.sleep(1.0)
    after = [rss_kib(s.process.pid) for s in servers]

    sender = socketio.Client(reconnection=False)
    sender.connect(
        servers[0].url, namespaces=["/rooms"], auth={"token": sender_token}, transports=["websocket"]
    )
    sent: dict[str, float] = {}
    for _ in range(MESSAGES):
        client_id = str(uuid.uuid4())
        sent[client_id] = time.perf_counter()
        sender.emit(
            "message", {"room_id": room_id, "body": "Målt besked", "client_id": client_id}, namespace="/rooms"
        )
        time.sleep(GAP_SECONDS)
    print("  sent", file=sys.stderr, flush=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with lock:
            if sum(len(v) for v in arrivals.values()) >= n * MESSAGES:
                break
        time.sleep(0.1)
    print(f"  waited; {sum(len(v) for v in arrivals.values())} arrivals", file=sys.stderr, flush=True)
    latencies = sorted(1000 * (t - sent[c]) for c, times in arrivals.items() if c in sent for t in times)
    delivered = len(latencies)
    first = min(sent.values())
    last = max(t for times in arrivals.values() for t in times) if arrivals else first
    close_all([*clients, sender])
    return {
        "n": n,
        "processes": len(servers),
        "delivered": f"{delivered}/{n * MESSAGES}",
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p99": latencies[int(0.99 * (len(latencies) - 1))] if latencies else float("nan"),
        "rate": delivered / max(last - first, 1e-9),
        "kib_per_conn": sum(a - b for a, b in zip(after, before, strict=True)) / n,
    }


def close_all(clients: list[socketio.Client]) -> None:
    """Drop the connections in parallel, without the polite close handshake (it is slow at scale)."""

    def drop(sio: socketio.Client) -> None:
        with contextlib.suppress(Exception):
            sio.eio.disconnect(abort=True)

    threads = [threading.Thread(target=drop, args=(sio,), daemon=True) for sio in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)


def table(rows: list[dict]) -> str:
    lines = [
        "| clients | processes | delivered | p50 ms | p99 ms | deliveries/s | server KiB per connection |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']} | {r['processes']}{' + Redis' if r['processes'] > 1 else ''} | {r['delivered']} | "
            f"{r['p50']:.1f} | {r['p99']:.1f} | {r['rate']:.0f} | {r['kib_per_conn']:.0f} |"
        )
    return "\n".join(lines)


def write_section(path: Path, body: str, heading: str = "## Live rooms") -> None:
    """Replace (or append) one self-contained section (by its heading), leaving the others alone."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    start = text.find(heading)
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + body + (text[end + 1 :] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + body
    path.write_text(text.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 500])
    parser.add_argument("--redis", default=os.environ.get("NETWORK_TEST_REDIS_URL", ""))
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    rows = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-rooms-") as tmp:
        folder = Path(tmp)
        url, room_id, sender_token, listener_token = prepare(folder)
        setups = [[Server(url, folder)]]
        if args.redis:
            setups.append([Server(url, folder, queue=args.redis), Server(url, folder, queue=args.redis)])
        for servers in setups:
            for server in servers:
                server.start()
            try:
                for n in args.sizes:
                    row = run(servers, room_id, sender_token, listener_token, n)
                    print(row, flush=True)
                    rows.append(row)
            finally:
                for server in servers:
                    server.stop()
    elapsed = time.monotonic() - started
    print(table(rows))
    if args.write:
        body = (
            "## Live rooms\n\n"
            f"`bench/rooms.py`: N python-socketio clients (websocket, token sign-in) join one room; "
            f"one more client posts {MESSAGES} messages {int(GAP_SECONDS * 1000)} ms apart. Latency is "
            "from the emit to the arrival at each client (same machine, same clock); deliveries/s counts "
            "every arrival over the span from the first send to the last arrival; memory is the server "
            "processes' RSS growth divided by N. Server: `network run` (Flask-SocketIO, threading mode, "
            "simple-websocket) on SQLite. The Redis rows run two processes sharing a Redis message queue, "
            "the clients split between them and the sender on the first. The clients run on the same "
            "2-core machine as the servers (shared with other work), so the numbers include the clients' "
            f"own CPU use. The run took {elapsed:.0f} s.\n\n"
            f"{table(rows)}\n\nTarget: p99 ≤ 100 ms at 200 clients on one process.\n"
        )
        write_section(args.write, body)


if __name__ == "__main__":
    main()
