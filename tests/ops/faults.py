"""Private Redis and PostgreSQL servers for the fault tests: started, killed and restarted at will.

Never the shared services on 5432 and 6379: each instance runs on a free port of its own, in a
temporary folder, and is gone when the test ends.
"""

import contextlib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import typing as t
from pathlib import Path

import requests

from tests.rooms.live import free_port

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def poll(condition: t.Callable[[], t.Any], timeout: float = 20.0, message: str = "") -> t.Any:
    """Call `condition` until it returns something truthy (and return that), or fail after `timeout`."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = condition()
        except Exception as error:  # e.g. connection refused while a server starts
            last_error, result = error, None
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {message} (last error: {last_error})")


class PrivateRedis:
    """`redis-server` on a free port, without persistence; kill() and start() again on the same port."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    def start(self) -> "PrivateRedis":
        self.folder.mkdir(parents=True, exist_ok=True)
        args = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        with (self.folder / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(
                ["redis-server", *args, "--dir", str(self.folder)], stdout=log, stderr=subprocess.STDOUT
            )
        poll(self.answers, timeout=10, message=f"redis on port {self.port}")
        return self

    def answers(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def kill(self) -> None:
        """Gone at once, as a crash or a lost host would be."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)


class PrivatePostgres:
    """A PostgreSQL 15 cluster in a temporary folder owned by the `postgres` user, on a free port.

    PostgreSQL refuses to run as root, so every command runs through `runuser -u postgres`.
    """

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="network-faults-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    @staticmethod
    def unavailable_reason() -> str:
        """Why this machine cannot run a private PostgreSQL ("" when it can)."""
        if os.geteuid() != 0:
            return "a private PostgreSQL is started as the postgres user, which needs root"
        if not (POSTGRES_BIN / "initdb").exists() or not shutil.which("runuser"):
            return f"needs PostgreSQL binaries in {POSTGRES_BIN} and runuser"
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "needs a postgres system user"
        return ""

    def _run(self, *args: str, timeout: float = 60) -> None:
        command = ["runuser", "-u", "postgres", "--", str(POSTGRES_BIN / args[0]), *args[1:]]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {result.stdout}\n{result.stderr}\n{self.log()}")

    def init(self) -> "PrivatePostgres":
        shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")
        return self

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "postgres.log"),
            "-w",
            "-o",
            options,
            "start",
        )

    def stop(self) -> None:
        """A fast shutdown: open connections are cut, as in a restart for an upgrade."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def log(self) -> str:
        path = self.folder / "postgres.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


def signed_in_session(base_url: str, email: str, password: str) -> requests.Session:
    """A requests session signed in through the real sign-in form (CSRF token and all)."""
    session = requests.Session()
    session.headers["Accept-Language"] = "da"
    session.post(f"{base_url}/log-ind", data=login_form(session, base_url, email, password), timeout=10)
    assert "Log ud" in session.get(f"{base_url}/", timeout=10).text, "sign-in failed"
    return session


def login_form(session: requests.Session, base_url: str, email: str, password: str) -> dict:
    page = session.get(f"{base_url}/log-ind", timeout=10)
    match = CSRF.search(page.text)
    assert match, "no CSRF token on the sign-in page"
    return {"csrf_token": match.group(1) or match.group(2), "email": email, "password": password}


def in_own_thread(work: t.Callable[[], None], timeout: float = 60) -> None:
    """Run `work` in a fresh thread and re-raise what it raised.

    Playwright's sync API refuses to start where an event loop already runs (the e2e session's
    browser may hold one in the main thread); a new thread has none.
    """
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # handed back to the test thread
            failure.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), f"the browser scenario did not finish within {timeout} s"
    if failure:
        raise failure[0]
