"""The archive of Action Learning (AL) projects and their reports."""

from flask import Flask


def init_app(app: Flask) -> None:
    """The archive's pages and API, its search documents and its part of "Mine data"."""
    from network.api import register_api
    from network.projects import api, privacy, searching  # noqa: F401 - they register themselves
    from network.projects.views import bp

    app.register_blueprint(bp)
    register_api(api.blp)
