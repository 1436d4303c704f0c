"""In-app notifications (the bell) and the mails that go with them."""

import typing as t

from flask import Flask


def init_app(app: Flask) -> None:
    """The bell: its page, its number in every page, the notifications in "Mine data"."""
    from flask_login import current_user

    from network.notifications import privacy  # noqa: F401 - privacy registers its handlers
    from network.notifications.service import unread_count
    from network.notifications.views import bp

    app.register_blueprint(bp)

    def unread_notifications() -> int:
        """The bell's number, counted only when a page asks for it."""
        return unread_count(current_user) if current_user.is_authenticated else 0

    @app.context_processor
    def inject_unread_notifications() -> dict[str, t.Any]:
        return {"unread_notifications": unread_notifications}
