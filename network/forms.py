"""The base of every form, and the one rule for text arriving at any edge (forms, API, sockets).

1. No control characters. A NUL character cannot be stored in PostgreSQL text, and the other C0
   control characters are never typed on purpose (a paste from a PDF, a fuzzer). They are dropped
   before validation, so the text is saved without them instead of refused.
2. A one-line field holds one line. A title, a name or a tag travels into mail headers, lists and
   calendar lines, where a line break breaks things; a browser's text input cannot send one, so
   one that arrives came from a paste or a script. Every line break (and tab) becomes one space.
   Only fields that are multi-line by nature keep tab, newline and carriage return: a form's
   ``TextAreaField``, an API schema's ``Text`` field, a socket event's ``multiline`` text.
"""

import re
import typing as t

from flask_wtf import FlaskForm
from wtforms import Form
from wtforms.fields import Field, PasswordField, StringField, TextAreaField
from wtforms.validators import Length

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Everything a text renderer or a mail header may take as the end of a line, and tabs.
_LINE_BREAKS = re.compile(r"[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+")


# The longest a text may be where its feature sets no limit of its own: a backstop, so no field,
# in a form or an API schema, takes megabytes (issue 14, finding 10).
LINE_MAX = 500
TEXT_MAX = 20_000


def has_length_limit(validators: t.Iterable[t.Any]) -> bool:
    """Whether one of these (WTForms or marshmallow) validators caps the length."""
    return any(type(v).__name__ == "Length" and getattr(v, "max", None) is not None for v in validators)


def clean_text(value: t.Any) -> t.Any:
    """The string without C0 control characters (except tab, newline, CR); anything else as it is."""
    if isinstance(value, str):
        return _CONTROL_CHARACTERS.sub("", value)
    return value


def clean_line(value: t.Any) -> t.Any:
    """A one-line text: ``clean_text``, and each run of line breaks or tabs one space."""
    if isinstance(value, str):
        return _LINE_BREAKS.sub(" ", clean_text(value))
    return value


class CleanTextMeta:
    """Form options that put the cleaning rule first among the filters of every text field."""

    def bind_field(self, form: Form, unbound_field: t.Any, options: dict[str, t.Any]) -> Field:
        field = super().bind_field(form, unbound_field, options)  # type: ignore[misc]
        # A password is hashed, never stored as text: it is checked exactly as typed.
        if isinstance(field, TextAreaField):
            field.filters = (clean_text, *field.filters)
            limit = TEXT_MAX
        elif isinstance(field, StringField) and not isinstance(field, PasswordField):
            field.filters = (clean_line, *field.filters)
            limit = LINE_MAX
        else:
            return field
        if not has_length_limit(field.validators):
            field.validators = [*field.validators, Length(max=limit)]
        return field


class BaseForm(FlaskForm):
    """A page's form (CSRF-protected); its text fields arrive without control characters."""

    Meta = CleanTextMeta


class BaseSubform(Form):
    """A repeated row inside a form (``FormField``), cleaned the same way."""

    Meta = CleanTextMeta
