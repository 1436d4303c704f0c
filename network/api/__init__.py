"""The JSON API under /api/v1, documented at /api/v1/openapi.json (flask-smorest).

What all APIs share lives here: problems, base schemas, token security and the OpenAPI document.
Each feature keeps its resources in its own ``api.py`` and registers them with ``register_api``.
"""

from flask import Flask
from flask_smorest import Blueprint

from network.api.problems import ProblemSchema
from network.extensions import api, csrf


def init_app(app: Flask) -> None:
    """The OpenAPI document and its bearer security scheme."""
    api.init_app(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "A personal API token"}
    )


def register_api(blp: Blueprint) -> None:
    """Add a feature's resources to the API and its document."""
    # Bearer tokens only, never the session cookie: so CSRF cannot apply to the API.
    csrf.exempt(blp)
    api.register_blueprint(blp)


__all__ = ["ProblemSchema", "init_app", "register_api"]
