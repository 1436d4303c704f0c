"""The coordinator's overview of the network's health."""

from flask import Flask


def init_app(app: Flask) -> None:
    """The coordinator's overview page."""
    from network.overview.views import bp

    app.register_blueprint(bp)
