"""The JSON API under /api/v1, documented at /api/v1/openapi.json (flask-smorest)."""

from flask import Flask
from flask_smorest import Api

from network.api.problems import ProblemSchema
from network.extensions import csrf


def register(app: Flask, api: Api) -> None:
    """Register every API blueprint and the bearer security scheme."""
    from network.auth import api as auth
    from network.cases import api as cases
    from network.meetups import api as meetups
    from network.members import api as members
    from network.projects import api as projects
    from network.rooms import api as rooms
    from network.search import api as search

    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "A personal API token"}
    )
    for module in (auth, members, cases, projects, meetups, rooms, search):
        # Bearer tokens only, never the session cookie: so CSRF cannot apply to the API.
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp)


__all__ = ["ProblemSchema", "register"]
