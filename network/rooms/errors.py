"""The rooms' domain errors; each has a ``code`` that socket clients and the API can act on."""

from flask_babel import lazy_gettext as _l

from network.errors import Conflict, DomainError, NotAllowed, NotFound


class RoomNotFound(NotFound):
    code = "room_not_found"
    default_message = _l("Rummet findes ikke.")


class NotInRoom(NotAllowed):
    code = "not_in_room"
    default_message = _l("Du har ikke adgang til dette rum.")


class NotRoomManager(NotAllowed):
    code = "not_allowed"
    default_message = _l("Kun rummets ejer eller en koordinator kan gøre dette.")


class InvalidMessage(DomainError):
    code = "invalid_message"
    default_message = _l("Beskeden er ugyldig.")


class Flooding(DomainError):
    status = 429
    code = "rate_limited"
    default_message = _l("Du skriver for hurtigt. Vent et øjeblik, og prøv igen.")


class MessageNotFound(NotFound):
    code = "message_not_found"
    default_message = _l("Beskeden findes ikke.")


class EditWindowClosed(NotAllowed):
    code = "edit_window_closed"
    default_message = _l("Du kan kun rette eller slette dine egne beskeder de første 15 minutter.")


class OutOfTurn(NotAllowed):
    code = "out_of_turn"
    default_message = _l("Det er ikke din tur til at skrive i denne fase.")


class SessionError(Conflict):
    code = "session_error"
    default_message = _l("Sessionen kan ikke det lige nu.")


class CaseNotUsable(DomainError):
    code = "case_not_usable"
    default_message = _l("Sagen findes ikke eller kan ikke bruges her.")
