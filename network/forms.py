"""The base of every form, and the one rule for text arriving at any edge: no control characters.

A NUL character cannot be stored in PostgreSQL text, and the other C0 control characters are never
typed on purpose (a paste from a PDF, a fuzzer). They are dropped before validation, so the text is
saved without them instead of refused. Tab, newline and carriage return are text and stay.
"""

import re
import typing as t

from flask_wtf import FlaskForm
from wtforms import Form
from wtforms.fields import Field, PasswordField, StringField

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean_text(value: t.Any) -> t.Any:
    """The string without C0 control characters (except tab, newline, CR); anything else as it is."""
    if isinstance(value, str):
        return _CONTROL_CHARACTERS.sub("", value)
    return value


class CleanTextMeta:
    """Form options that put ``clean_text`` first among the filters of every text field."""

    def bind_field(self, form: Form, unbound_field: t.Any, options: dict[str, t.Any]) -> Field:
        field = super().bind_field(form, unbound_field, options)  # type: ignore[misc]
        # A password is hashed, never stored as text: it is checked exactly as typed.
        if isinstance(field, StringField) and not isinstance(field, PasswordField):
            field.filters = (clean_text, *field.filters)
        return field


class BaseForm(FlaskForm):
    """A page's form (CSRF-protected); its text fields arrive without control characters."""

    Meta = CleanTextMeta


class BaseSubform(Form):
    """A repeated row inside a form (``FormField``), cleaned the same way."""

    Meta = CleanTextMeta
