"""Unbound extension objects; create_app() binds them to an app."""

import http
import typing as t

from apispec import BasePlugin
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_smorest.spec.plugins import integerconverter2paramschema
from flask_smorest.utils import prepare_response
from flask_socketio import SocketIO
from flask_talisman import Talisman
from flask_wtf import CSRFProtect
from werkzeug.routing import IntegerConverter

from network.db import db

__all__ = ["api", "babel", "csrf", "db", "limiter", "login_manager", "migrate", "socketio", "talisman"]

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
migrate = Migrate()
limiter = Limiter(key_func=get_remote_address)


class NetworkSocketIO(SocketIO):
    """Flask-SocketIO whose Redis message queue survives Redis going away (network.rooms.relay)."""

    def init_app(self, app, **kwargs) -> None:  # noqa: ANN001
        url = kwargs.get("message_queue") or ""
        if url.startswith(("redis://", "rediss://", "unix://")):
            from network.rooms.relay import RelayManager

            kwargs["client_manager"] = RelayManager(url)
        elif not url:
            # Flask-SocketIO keeps its options between init_app calls (tests make many apps):
            # without a queue, an earlier app's manager must not linger.
            kwargs["client_manager"] = None
        super().init_app(app, **kwargs)


socketio = NetworkSocketIO()
talisman = Talisman()


# The largest id a table holds (PostgreSQL `integer`); <int:…> in a URL accepts 0 up to it.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """Flask's <int:…>, bounded to what the database holds: a larger number is a 404, not an error.

    flask-smorest documents the bound as the path parameter's ``maximum``.
    """

    def __init__(
        self, map: t.Any, fixed_digits: int = 0, min: int = 0, max: int = MAX_ID, signed: bool = False
    ):  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


class SchemaOptionsPlugin(BasePlugin):
    """Document a schema's ``Meta.min_properties`` (e.g. a PATCH needs at least one field)."""

    def schema_helper(self, name: str, definition: dict, **kwargs: t.Any) -> dict | None:
        schema = kwargs.get("schema")
        count = getattr(getattr(schema, "Meta", None), "min_properties", None)
        return {"minProperties": count} if count else None


class NetworkApi(Api):
    """flask-smorest, documenting every error as RFC 9457 application/problem+json."""

    PROBLEM_CONTENT_TYPE = "application/problem+json"

    def __init__(self) -> None:
        from network.api.problems import ProblemSchema

        self.ERROR_SCHEMA = ProblemSchema
        super().__init__(spec_kwargs={"extra_plugins": [SchemaOptionsPlugin()]})
        self.register_converter(IdConverter, integerconverter2paramschema)

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, self.PROBLEM_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, self.PROBLEM_CONTENT_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


api = NetworkApi()
