"""Domain errors shared by every feature; the edges turn them into flashes, pages or problems."""

import typing as t

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """A rule of the network was broken; ``message`` is shown to the user as it is."""

    status = 400
    default_message = _l("Det kunne ikke lade sig gøre.")

    def __init__(
        self, message: str | None = None, field: str | None = None, fields: dict[str, t.Any] | None = None
    ) -> None:
        self.message = message or self.default_message
        self.field = field  # the form field the error belongs to, if any
        # Every broken rule at once, field name -> message, so one submit shows all of them.
        self.fields = dict(fields) if fields else ({field: self.message} if field else {})
        super().__init__(str(self.message))


class NotAllowed(DomainError):
    status = 403
    default_message = _l("Du har ikke adgang til at gøre dette.")


class NotFound(DomainError):
    status = 404
    default_message = _l("Siden eller emnet findes ikke.")


class Conflict(DomainError):
    status = 409
    default_message = _l("Det findes allerede.")
