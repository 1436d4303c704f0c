"""Privacy by design: "Mine data" export, account deletion, retention of old data."""

from flask import Flask


def init_app(app: Flask) -> None:
    """The "Mine data" and account deletion pages (the features register what they hold)."""
    from network.privacy.views import bp

    app.register_blueprint(bp)
