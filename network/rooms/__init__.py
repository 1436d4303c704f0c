"""Live sparring rooms and reflecting-team sessions (Socket.IO namespace /rooms)."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Room pages and API, the Socket.IO namespace /rooms, and "Mine data" with its retention job."""
    from network.api import register_api
    from network.extensions import socketio
    from network.rooms import api, privacy  # noqa: F401 - privacy registers its handlers and job
    from network.rooms.events import register as register_namespace
    from network.rooms.views import bp

    app.register_blueprint(bp)
    register_api(api.blp)
    register_namespace(socketio)
