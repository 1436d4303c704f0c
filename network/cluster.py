"""Run the several-process tier on one machine: nginx with sticky sessions in front of N gunicorn
processes, PostgreSQL for data and search, Redis for Socket.IO and rate limits.

`make run-cluster` (or `python -m network.cluster`) uses the local PostgreSQL and Redis. The same
pieces on real hosts are described in docs/operations.md. Tests start it through `Cluster`.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

NGINX_CONF = """\
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
    access_log {run}/nginx-access.log;
    client_body_temp_path {run}/client_body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    client_max_body_size 25m;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream ledernetvaerket {{
        ip_hash;  # sticky sessions: Socket.IO's handshake must reach the same process
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://ledernetvaerket;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Request-ID $request_id;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""


class Cluster:
    """nginx on `port`, gunicorn processes on the ports after it; stop() ends them all."""

    def __init__(self, *, port: int, processes: int, run_dir: Path, env: dict[str, str]) -> None:
        self.port, self.run_dir, self.env = port, run_dir, env
        self.backend_ports = [port + 1 + i for i in range(processes)]
        self.children: dict[str, subprocess.Popen] = {}
        self.bin = Path(sys.executable).parent

    def prepare(self) -> None:
        """Migrate, and load the demo network into an empty database."""
        for args in (["init-db"], ["seed-demo", "--if-empty"]):
            subprocess.run([str(self.bin / "network"), *args], env=self.env, check=True)

    def start_backend(self, backend_port: int) -> None:
        # The child keeps its own copy of the log file descriptor; ours closes at once.
        with open(self.run_dir / f"gunicorn-{backend_port}.log", "ab") as log:
            self.children[f"web-{backend_port}"] = subprocess.Popen(
                [str(self.bin / "gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{backend_port}"],
                env=self.env,
                stdout=log,
                stderr=log,
                cwd=Path(__file__).resolve().parent.parent,
            )

    def start(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        for backend_port in self.backend_ports:
            self.start_backend(backend_port)
        for backend_port in self.backend_ports:
            wait_until_ready(f"http://127.0.0.1:{backend_port}/readyz")
        servers = "\n".join(f"        server 127.0.0.1:{p};" for p in self.backend_ports)
        conf = self.run_dir / "nginx.conf"
        conf.write_text(NGINX_CONF.format(run=self.run_dir, servers=servers, port=self.port))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.children["nginx"] = subprocess.Popen([nginx, "-c", str(conf), "-p", str(self.run_dir)])
        wait_until_ready(f"http://127.0.0.1:{self.port}/healthz")

    def kill(self, name: str) -> None:
        """Kill one child hard (SIGKILL), as a crash would."""
        process = self.children.pop(name)
        process.kill()
        process.wait()

    def stop(self) -> None:
        for process in self.children.values():
            process.send_signal(signal.SIGTERM)
        for process in self.children.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.children.clear()


def wait_until_ready(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own localhost
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer 200 within {seconds} s")


def cluster_env(database_url: str, redis_url: str, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment every process of the cluster shares."""
    env = dict(base if base is not None else os.environ)
    env.update(
        {
            "NETWORK_DATABASE_URL": database_url,
            "NETWORK_SOCKETIO_MESSAGE_QUEUE": redis_url,
            "NETWORK_RATELIMIT_STORAGE_URI": redis_url,
            "NETWORK_SEARCH_BACKEND": "postgres",
            "NETWORK_PROXY_COUNT": "1",  # nginx in front: rate limits count per client, not per nginx
        }
    )
    env.setdefault("NETWORK_ENV", "development")
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "5000")))
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "NETWORK_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/ledernetvaerket"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("NETWORK_REDIS_URL", "redis://127.0.0.1:6379/1")
    )
    args = parser.parse_args()
    run_dir = Path("instance/cluster").resolve()
    cluster = Cluster(
        port=args.port,
        processes=args.processes,
        run_dir=run_dir,
        env={
            "NETWORK_BASE_URL": f"http://127.0.0.1:{args.port}",
            **cluster_env(args.database_url, args.redis_url),
        },
    )
    cluster.prepare()
    cluster.start()
    print(
        f"Ledernetværket (cluster) på http://127.0.0.1:{args.port}: nginx + gunicorn på "
        f"{', '.join(map(str, cluster.backend_ports))}; logs i {run_dir}. Stop med Ctrl+C."
    )
    try:
        while all(p.poll() is None for p in cluster.children.values()):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
