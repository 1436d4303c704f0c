"""Min uge: the front page after sign-in (network/week/service.py computes its blocks)."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Min uge, the first run after an invite (/velkommen) and the story of the network."""
    from network.week.views import bp

    app.register_blueprint(bp)
