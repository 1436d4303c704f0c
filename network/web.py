"""Small helpers the page views of every feature share."""

import csv
import functools
import io
import typing as t
from urllib.parse import urlsplit

from flask import Response, abort, flash, request
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from network.db import db
from network.errors import DomainError


def coordinator_required(view: t.Callable) -> t.Callable:
    """Only coordinators and admins may open this page."""

    @functools.wraps(view)
    @login_required
    def wrapped(*args: t.Any, **kwargs: t.Any) -> t.Any:
        if not current_user.is_coordinator:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def show_domain_error(form: FlaskForm | None, error: DomainError) -> None:
    """Put each broken rule next to its field; only one without a field on this form is flashed.

    A rule shown at its field is not flashed too: the form's summary already lists it once.
    Rolls back whatever the failed attempt wrote; the form keeps what the user typed.
    """
    db.session.rollback()
    placed = False
    for name, message in error.fields.items():
        field = getattr(form, name, None) if form is not None else None
        if field is not None:
            field.errors = [*field.errors, str(message)]
            placed = True
    if not placed:
        flash(str(error.message), "error")


def safe_next(default: str) -> str:
    """The ``next`` parameter when it points inside this site, else the default."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc:
        return target
    return default


def _csv_safe(value: object) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet; an apostrophe makes it text.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_response(filename: str, header: list[str], rows: t.Iterable[t.Iterable[object]]) -> Response:
    """A CSV download (UTF-8 with BOM, so Excel reads æøå), formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows([[_csv_safe(cell) for cell in row] for row in rows])
    return Response(
        "\ufeff" + buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
