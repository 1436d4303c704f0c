"""Full-text search: the outbox, the Whoosh index and the PostgreSQL backend."""

import threading

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session


def init_app(app: Flask) -> None:
    """The search page and API, the CLI commands, the outbox's after-commit drain, a drain of leftovers."""
    from network.api import register_api
    from network.search import api, models, service  # noqa: F401 - models: the PostgreSQL backend's tables
    from network.search.cli import COMMANDS
    from network.search.views import bp

    app.register_blueprint(bp)
    register_api(api.blp)
    for command in COMMANDS:
        app.cli.add_command(command)
    if not event.contains(Session, "after_commit", service.drain_after_commit):
        event.listen(Session, "after_commit", service.drain_after_commit)

    started = threading.Event()

    @app.before_request
    def drain_leftovers() -> None:
        # What a crashed process committed but never indexed; once per process, never failing a request.
        if started.is_set():
            return
        started.set()
        service.drain_quietly(timeout=2.0)
