"""Who sends what the outbox holds: a background thread, `network mail-worker`, or (tests) the committer.

``MAIL_WORKER`` chooses:

- ``thread`` (default): each web process runs one background thread, started with the first
  request (after gunicorn forks) and woken by every commit that queued mail;
- ``external``: the web processes only queue; `network mail-worker` (one or more, any host) sends;
- ``after-commit`` (the tests): the committing thread sends at once after its commit, so a test
  reads the mail right after the request, deterministically.
"""

import logging
import threading

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import event
from sqlalchemy.orm import Session

from network.db import db
from network.mail import outbox

log = logging.getLogger(__name__)

MODES = ("thread", "external", "after-commit")


class MailThread:
    """The in-process worker: sleeps until woken (a commit queued mail) or a retry falls due."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.wake = threading.Event()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="mail-worker", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self.stopped.set()
        self.wake.set()
        self.thread.join(timeout)

    def _run(self) -> None:
        poll = float(self.app.config["MAIL_WORKER_POLL_SECONDS"])
        while not self.stopped.is_set():
            wait = poll
            try:
                with self.app.app_context():
                    outbox.deliver_due()
                    due_in = outbox.next_due_in()
                    db.session.remove()
                if due_in is not None:
                    wait = min(poll, max(due_in, 0.05))
            except Exception:  # the database may be away; the thread must live on
                log.exception("mail worker round failed; trying again in %.0f s", poll)
            self.wake.wait(wait)
            self.wake.clear()


def _thread_for(app: Flask) -> MailThread | None:
    return app.extensions.get("network_mail_thread")


def start_thread(app: Flask) -> MailThread:
    """Start this process's mail thread once (idempotent)."""
    with _START_LOCK:
        found = _thread_for(app)
        if found is None:
            found = MailThread(app)
            app.extensions["network_mail_thread"] = found
            found.start()
    return found


_START_LOCK = threading.Lock()


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    outbox.forget_queued(session)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    """A commit queued mail: wake this process's worker (or, in the tests, send it now)."""
    if not session.info.pop(outbox.QUEUED, False):
        return
    app = current_app._get_current_object()
    mode = app.config["MAIL_WORKER"]
    if mode == "thread":
        worker = _thread_for(app)
        if worker is not None:
            worker.wake.set()
    elif mode == "after-commit":
        # A fresh app context gets a fresh database session: the committing one may not run SQL here.
        with app.app_context():
            outbox.deliver_due()


def init_app(app: Flask) -> None:
    """The mail worker of this process and the `network mail-worker` command."""
    if app.config["MAIL_WORKER"] not in MODES:
        raise RuntimeError(f"NETWORK_MAIL_WORKER must be one of {MODES}, not {app.config['MAIL_WORKER']!r}")
    app.cli.add_command(mail_worker)
    if app.config["MAIL_WORKER"] != "thread":
        return

    @app.before_request
    def _start_mail_thread() -> None:
        # Started by the first request, so it runs in the serving process (after gunicorn forks),
        # never in a CLI command; it then sends what an earlier process left in the outbox.
        if _thread_for(app) is None:
            start_thread(app)


@click.command("mail-worker")
@click.option("--once", is_flag=True, help="Send what is due now, then stop (e.g. from cron).")
@click.option("--retry-given-up", is_flag=True, help="Queue the mails given up on again, then go on.")
@with_appcontext
def mail_worker(once: bool, retry_given_up: bool) -> None:
    """Send the mail outbox (with NETWORK_MAIL_WORKER=external); retries with backoff, Ctrl-C stops."""
    if retry_given_up:
        click.echo(f"{outbox.retry_given_up()} opgivne e-mails sat i kø igen.")
    if once:
        sent = outbox.deliver_due()
        click.echo(f"{sent} e-mail(s) sendt. I kø: {_status_line()}")
        return
    poll = float(current_app.config["MAIL_WORKER_POLL_SECONDS"])
    click.echo(
        f"Sender e-mails fra udbakken (kigger efter nye hvert {poll:.0f}. sekund). I kø: {_status_line()}"
    )
    stopped = threading.Event()
    try:
        while not stopped.is_set():
            try:
                outbox.deliver_due()
                due_in = outbox.next_due_in()
            except Exception:  # the database or mail server may be away: try again
                log.exception("mail worker round failed")
                db.session.rollback()
                due_in = None
            stopped.wait(poll if due_in is None else min(poll, max(due_in, 0.2)))
    except KeyboardInterrupt:
        click.echo("Stoppet.")


def _status_line() -> str:
    counts = outbox.status()
    return f"{counts['waiting']} venter, {counts['retrying']} prøves igen, {counts['given_up']} opgivet"
