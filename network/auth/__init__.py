"""Joining the closed network: invites, sign-in, password reset and API tokens."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Sign-in, invites and password pages; the token API; the tokens in "Mine data"."""
    from network.api import register_api
    from network.auth import api, privacy  # noqa: F401 - privacy registers its handlers
    from network.auth.views import bp

    app.register_blueprint(bp)
    register_api(api.blp)
