"""Cases: dilemmas posted for sparring, replies, and following a case to what happened."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Case, reply and moderation pages, the API, search documents, reminders and "Mine data"."""
    from network.api import register_api
    from network.cases import api, jobs, privacy, searching  # noqa: F401 - they register themselves
    from network.cases.moderation_views import bp as moderation_bp
    from network.cases.reply_views import bp as replies_bp
    from network.cases.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(replies_bp)
    register_api(api.blp)
