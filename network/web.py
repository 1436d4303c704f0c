"""Small helpers the page views of every feature share."""

import functools
import typing as t
from urllib.parse import urlsplit

from flask import abort, flash, request
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
    """Put a broken rule next to its field when it has one, else in a flash message.

    Rolls back whatever the failed attempt wrote; the form keeps what the user typed.
    """
    db.session.rollback()
    field = getattr(form, error.field, None) if form is not None and error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    flash(str(error.message), "error")


def safe_next(default: str) -> str:
    """The ``next`` parameter when it points inside this site, else the default."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc:
        return target
    return default
