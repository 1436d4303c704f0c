"""Small helpers the page views of every feature share."""

import csv
import dataclasses
import functools
import io
import typing as t
from urllib.parse import urlsplit

from flask import Response, abort, flash, render_template, request
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup

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


@dataclasses.dataclass(frozen=True)
class Confirmation:
    """An irreversible or far-reaching action asks first (§6 of issue 15), one way everywhere.

    With script, the form's ``data-confirm`` attributes (``confirm_attrs``) open a <dialog> in
    static/js/app.js, which adds ``confirmed=1`` when the member says yes. Without script, the
    view answers the first POST with a page that asks the same and posts again, confirmed.
    The view asks after its own access checks, so who may not act never sees the question.
    """

    name: str
    question: t.Any  # a lazy string
    button: t.Any

    def ask(self) -> str | None:
        """The confirmation page when this POST is not confirmed yet, else None (go ahead)."""
        if request.form.get("confirmed") == "1":
            return None
        fields = [(k, v) for k, v in request.form.items(multi=True) if k != "confirmed"]
        came_from = urlsplit(request.referrer or "")
        back = "/"
        if came_from.netloc == request.host and came_from.path:  # "Fortryd" goes back, on this site only
            back = came_from.path + (f"?{came_from.query}" if came_from.query else "")
        return render_template("confirm.html", confirmation=self, fields=fields, back=back)


CONFIRMATIONS: dict[str, Confirmation] = {}


def confirmation(name: str, question: t.Any, button: t.Any) -> Confirmation:
    """Declare an action that asks first; ``name`` is what the template's ``confirm_attrs`` uses."""
    CONFIRMATIONS[name] = Confirmation(name, question, button)
    return CONFIRMATIONS[name]


def confirm_attrs(name: str) -> Markup:
    """The attributes that make a <form> ask first: ``<form {{ confirm_attrs("…") }}>``."""
    item = CONFIRMATIONS[name]
    return Markup(' data-confirm="{}" data-confirm-button="{}"').format(item.question, item.button)


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
