"""End-to-end fixtures: one real server process per test session, a real Chromium per session,
and a fresh browser context (its own cookies) per test.

The server runs the embedded tier (NETWORK_ENV=development: SQLite, Whoosh, mails as .eml files)
on its own temporary folders, set up with the same `network` commands an operator would use.
"""

import contextlib
import dataclasses
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import typing as t
import urllib.error
import urllib.request
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = REPO_ROOT / "node_modules/axe-core/axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
# `network` run from this checkout: the installed entry point may belong to another checkout.
NETWORK = [sys.executable, "-c", "import sys; from network.cli import cli; sys.argv[0] = 'network'; cli()"]

COORDINATOR_EMAIL = "koordinator@e2e.test"
COORDINATOR_NAME = "Kirsten Koordinator"
COORDINATOR_PASSWORD = "kaffe-og-tavlekridt"
HOME_SCHOOL = "E2E Erhvervsskole"
OTHER_SCHOOL = "Vestjysk Handelsskole"
OTHER_MEMBER_EMAIL = "valdemar@vest.e2e.test"
OTHER_MEMBER_NAME = "Valdemar Vestergaard"
OTHER_MEMBER_PASSWORD = "rugbrød-og-regneark-på-lærerværelset"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in tests/e2e drives a real browser: mark it `e2e` (deselect with -m "not e2e")."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


# --- the server ------------------------------------------------------------------------------


@dataclasses.dataclass
class LiveServer:
    """A running `network run` process and the folders it writes to."""

    url: str
    mail_dir: Path
    env: dict[str, str]
    log_path: Path

    def mails(self, to: str | None = None) -> list:
        """Every mail written so far (oldest first), optionally only those to one address."""
        parser = BytesParser(policy=policy.default)
        messages = [parser.parsebytes(p.read_bytes()) for p in sorted(self.mail_dir.glob("*.eml"))]
        if to is not None:
            messages = [m for m in messages if to.lower() in str(m["To"]).lower()]
        return messages

    def latest_mail(self, to: str, timeout: float = 10.0) -> str:
        """The text body of the newest mail to `to`, waiting briefly for the server's mail worker.

        Mail leaves through the outbox: the server's worker thread writes it just after the commit.
        """
        deadline = time.monotonic() + timeout
        while not (messages := self.mails(to)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert messages, f"no mail to {to} in {self.mail_dir} after {timeout} s"
        return messages[-1].get_body(preferencelist=("plain",)).get_content()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _network(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [*NETWORK, *args], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    if result.returncode != 0:
        pytest.fail(
            f"`network {' '.join(args[:1])}` failed ({result.returncode}):\n{result.stdout}\n{result.stderr}",
            pytrace=False,
        )


def _wait_until_healthy(url: str, process: subprocess.Popen, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextlib.contextmanager
def serve(prefix: str, setup: t.Callable[[dict[str, str]], None]) -> t.Iterator[LiveServer]:
    """A `network run` on its own temporary folders, after `network init-db` and `setup(env)`."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    # Start from a clean slate: no NETWORK_* settings leak in from the shell or tests/conftest.py.
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETWORK_")}
    env.update(
        NETWORK_ENV="development",
        NETWORK_INSTANCE_PATH=str(tmp / "instance"),
        NETWORK_DATABASE_URL=f"sqlite:///{tmp / 'e2e.db'}",
        NETWORK_SEARCH_INDEX_DIR=str(tmp / "index"),
        NETWORK_SECRET_KEY="e2e-secret",
        NETWORK_MAIL_DIR=str(tmp / "mail"),
        NETWORK_UPLOAD_DIR=str(tmp / "uploads"),
        NETWORK_LOGIN_RATE_LIMIT="1000 per minute",
        NETWORK_LOGIN_ACCOUNT_RATE_LIMIT="1000 per minute",
        PYTHONUNBUFFERED="1",
    )
    _network(env, "init-db")
    setup(env)

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*NETWORK, "run", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(url=url, mail_dir=tmp / "mail", env=env, log_path=log_path)
    try:
        if not _wait_until_healthy(url, process):
            _stop(process)
            print(f"--- server log ({log_path}) ---\n{server.log()}")
            pytest.fail(
                f"the server at {url} did not answer /healthz with 200 within 20 s; "
                f"end of its log:\n{server.log()[-4000:]}",
                pytrace=False,
            )
        yield server
    finally:
        _stop(process)
        shutil.rmtree(tmp, ignore_errors=True)


def create_member(env: dict[str, str], email: str, name: str, school: str, role: str, password: str) -> None:
    """`network create-member`, as an operator adds a member."""
    args = {"--email": email, "--name": name, "--school": school, "--role": role, "--password": password}
    _network(env, "create-member", *[part for pair in args.items() for part in pair])


def _two_members(env: dict[str, str]) -> None:
    create_member(env, COORDINATOR_EMAIL, COORDINATOR_NAME, HOME_SCHOOL, "coordinator", COORDINATOR_PASSWORD)
    create_member(env, OTHER_MEMBER_EMAIL, OTHER_MEMBER_NAME, OTHER_SCHOOL, "member", OTHER_MEMBER_PASSWORD)


@pytest.fixture(scope="session")
def live_server() -> t.Iterator[LiveServer]:
    """The app as an operator runs it: `network init-db`, `create-member`, `network run`."""
    with serve("network-e2e-", _two_members) as server:
        yield server


# --- the browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (Debian's, not a downloaded one)."""
    if not CHROMIUM.exists():
        pytest.skip(f"end-to-end tests need Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def csp_errors() -> list[str]:
    """Console errors about the Content-Security-Policy, from every page of this test."""
    return []


@pytest.fixture
def new_context(browser, live_server: LiveServer, csp_errors: list[str]):
    """Makes browser contexts (each its own cookies: a separate person) closed after the test."""
    contexts = []

    def make(**options: t.Any):
        settings = {
            "base_url": live_server.url,
            "locale": "da-DK",
            "viewport": {"width": 1280, "height": 800},
            **options,
        }
        context = browser.new_context(**settings)
        context.set_default_timeout(10_000)

        def on_console(message) -> None:
            if message.type == "error" and "Content Security Policy" in message.text:
                csp_errors.append(f"{message.page.url if message.page else '?'}: {message.text}")

        context.on("console", on_console)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A desktop-sized page (1280×800) in a fresh context, Danish browser."""
    return new_context().new_page()


@pytest.fixture
def phone_page(new_context):
    """A phone-sized page (360×740, touch), signed out."""
    return new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True).new_page()


@pytest.fixture(scope="session")
def coordinator_state(browser, live_server: LiveServer) -> dict:
    """The coordinator's signed-in cookies, made once through the real sign-in page."""
    from tests.e2e.steps import sign_in

    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    try:
        page = context.new_page()
        sign_in(page, COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
        return context.storage_state()
    finally:
        context.close()


@pytest.fixture
def coordinator_page(new_context, coordinator_state: dict):
    """A desktop page where Kirsten Koordinator is signed in."""
    return new_context(storage_state=coordinator_state).new_page()


@pytest.fixture
def coordinator_phone_page(new_context, coordinator_state: dict):
    """A phone-sized page (360×740) where Kirsten Koordinator is signed in."""
    return new_context(
        storage_state=coordinator_state,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    ).new_page()


# --- accessibility ---------------------------------------------------------------------------


class Axe:
    """Runs axe-core in a page. Injected with evaluate(): the strict CSP would block a <script>."""

    BLOCKING = ("serious", "critical")

    def __init__(self, source: str) -> None:
        self.source = source

    def violations(self, page) -> list[dict]:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(self.source)
        result = page.evaluate("async () => await axe.run({resultTypes: ['violations']})")
        return result["violations"]

    def assert_no_serious_violations(self, page) -> None:
        blocking = [v for v in self.violations(page) if v.get("impact") in self.BLOCKING]
        if blocking:
            lines = [f"axe found {len(blocking)} serious/critical violation(s) on {page.url}:"]
            for violation in blocking:
                lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
                lines.append(f"  {violation['helpUrl']}")
                for node in violation["nodes"]:
                    lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            pytest.fail("\n".join(lines), pytrace=False)


@pytest.fixture(scope="session")
def axe() -> Axe:
    if not AXE_SOURCE.exists():
        pytest.skip(f"axe-core is not installed at {AXE_SOURCE} (run npm install)")
    return Axe(AXE_SOURCE.read_text(encoding="utf-8"))
