"""Checks of a socket event's fields: types, ranges and the one text-cleaning rule of every edge."""

import typing as t

from flask_babel import gettext as _

from network.errors import DomainError
from network.forms import clean_line, clean_text
from network.rooms import sessions
from network.rooms.errors import InvalidMessage

Payload = dict[str, t.Any]


class BadEvent(DomainError):
    """An event whose fields are missing or of the wrong kind."""

    code = "invalid_event"


def integer(data: Payload, key: str, *, required: bool = True) -> int | None:
    """A non-negative whole number that JavaScript can hold exactly."""
    value = data.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**53:
        raise BadEvent(_("Feltet %(field)s skal være et tal.", field=key))
    return value


def text(
    data: Payload,
    key: str,
    max_chars: int,
    limit_message: bool = False,
    *,
    required: bool = True,
    multiline: bool = False,
) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise BadEvent(_("Feltet %(field)s skal være tekst.", field=key))
    # The one rule of every edge (network/forms.py): no control characters; one line unless multiline.
    value = clean_text(value) if multiline else clean_line(value)
    if len(value) > max_chars:
        if limit_message:
            raise InvalidMessage(_("Beskeden er for lang: højst %(max)d tegn.", max=max_chars))
        raise BadEvent(_("Feltet %(field)s er for langt.", field=key))
    return value


def ids(data: Payload, key: str) -> list[int]:
    value = data.get(key) or []
    if not isinstance(value, list) or len(value) > sessions.MAX_TEAM:
        raise BadEvent(_("Feltet %(field)s skal være en liste af medlemmer.", field=key))
    if any(isinstance(v, bool) or not isinstance(v, int) for v in value):
        raise BadEvent(_("Feltet %(field)s skal være en liste af medlemmer.", field=key))
    return value
