"""Bearer-token authentication for the API."""

import functools
import typing as t

from flask import g, request
from flask_babel import gettext as _

from network.api.problems import problem_response
from network.auth import service as auth
from network.db import db
from network.members.models import Member

BEARER_DOC = {"security": [{"bearerAuth": []}]}


def token_required(view: t.Callable) -> t.Callable:
    """Require ``Authorization: Bearer TOKEN``; the member is then ``current_member()``."""

    @functools.wraps(view)
    def wrapped(*args: t.Any, **kwargs: t.Any) -> t.Any:
        header = request.headers.get("Authorization", "")
        scheme, _sep, plain = header.partition(" ")
        member = auth.member_for_api_token(plain.strip()) if scheme.lower() == "bearer" else None
        if member is None:
            db.session.rollback()
            return problem_response(
                401,
                _("Mangler eller ugyldig API-nøgle. Send 'Authorization: Bearer <nøgle>'."),
                headers={"WWW-Authenticate": 'Bearer realm="ledernetvaerket"'},
            )
        db.session.commit()  # the token's last-used time, before the view's own work
        g.api_member = member
        return view(*args, **kwargs)

    return wrapped


def current_member() -> Member:
    """The member the current API request is made for."""
    return g.api_member
