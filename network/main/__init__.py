"""The front page, language choice, health checks and error pages."""

from flask import Flask


def init_app(app: Flask) -> None:
    """The front page, language choice and health checks; the error pages of the whole site."""
    from network.main.errors import register_error_handlers
    from network.main.views import bp

    app.register_blueprint(bp)
    register_error_handlers(app)
