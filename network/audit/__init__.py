"""The append-only audit log of coordinator and admin actions and looks at anonymous authors."""

from flask import Flask


def init_app(app: Flask) -> None:
    """The audit log's page, and its eraser."""
    from network.audit import privacy  # noqa: F401 - privacy registers its handlers
    from network.audit.views import bp

    app.register_blueprint(bp)
