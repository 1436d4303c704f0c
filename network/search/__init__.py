"""Full-text search: the outbox, the Whoosh index and the PostgreSQL backend."""

import threading

from flask import Flask


def init_app(app: Flask) -> None:
    """The search page, the CLI commands, and a drain of leftovers when the process starts serving."""
    from network.search.cli import COMMANDS
    from network.search.views import bp

    app.register_blueprint(bp)
    for command in COMMANDS:
        app.cli.add_command(command)

    started = threading.Event()

    @app.before_request
    def drain_leftovers() -> None:
        # What a crashed process committed but never indexed; once per process, never failing a request.
        if started.is_set():
            return
        started.set()
        from network.search import service

        service.drain_quietly(timeout=2.0)
