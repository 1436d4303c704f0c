"""RFC 9457 problem details: how every API error is answered."""

import typing as t

import marshmallow as ma
from flask import Response, json
from werkzeug.http import HTTP_STATUS_CODES

from network.api.schemas import Schema
from network.errors import DomainError

PROBLEM_MIMETYPE = "application/problem+json"


class ProblemSchema(Schema):
    """An API error (RFC 9457), documented for every endpoint."""

    type = ma.fields.String(metadata={"description": "A URI naming the kind of problem"})
    title = ma.fields.String(metadata={"description": "Short summary of the status"})
    status = ma.fields.Integer(metadata={"description": "The HTTP status code"})
    detail = ma.fields.String(metadata={"description": "What went wrong, for a person to read"})
    errors = ma.fields.Dict(metadata={"description": "Field-by-field validation messages"})


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    errors: t.Any = None,
    headers: t.Mapping[str, str] | None = None,
) -> Response:
    """A problem+json response."""
    body: dict[str, t.Any] = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
    }
    if detail:
        body["detail"] = str(detail)
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def domain_problem(error: DomainError) -> Response:
    """A broken rule as a problem: its status and message, and its field when it has one."""
    errors = {field: [str(message)] for field, message in error.fields.items()} or None
    return problem_response(error.status, str(error.message), errors=errors)
