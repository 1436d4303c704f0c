"""Error pages for the site; the API answers problem+json instead (network.api).

The request boundary (docs/architecture.md): a ``DomainError`` that leaves a view or an API resource
is answered here, once, after a rollback of what the failed attempt wrote.
"""

from flask import Flask, flash, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, SecurityError

from network.api.problems import domain_problem, problem_response
from network.db import db
from network.errors import DomainError

MESSAGES = {
    400: _l("Forespørgslen kunne ikke forstås."),
    401: _l("Du skal logge ind for at se denne side."),
    403: _l("Du har ikke adgang til denne side."),
    404: _l("Siden findes ikke."),
    405: _l("Den handling er ikke tilladt her."),
    410: _l("Siden findes ikke længere."),
    413: _l("Filen er for stor."),
    429: _l("Du har prøvet for mange gange. Vent lidt, og prøv igen."),
    500: _l("Der skete en fejl hos os. Prøv igen om lidt."),
    503: _l("Tjenesten er midlertidigt utilgængelig. Prøv igen om lidt."),
}


MESSAGES_NOT_SAVED = _l("Det, du sendte, blev ikke gemt. Gå tilbage, og send det igen om lidt.")
RETRY_AFTER_SECONDS = "5"  # a database restart usually takes seconds

MESSAGES_BAD_VALUE = _l("En af værdierne er uden for det tilladte område eller indeholder ugyldige tegn.")


def register_error_handlers(app: Flask) -> None:
    """Friendly Danish pages for HTTP errors, and for an expired or missing CSRF token."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = _l(
            "Formularen var udløbet eller ufuldstændig. Gå tilbage, genindlæs siden og prøv igen. "
            "Kopiér gerne din tekst først."
        )
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        """A broken rule: a problem+json for the API; for a page, its message as a flash and a 4xx page."""
        db.session.rollback()
        if request.path.startswith("/api/"):
            return domain_problem(error)
        flash(str(error.message), "error")
        code = error.status
        message = MESSAGES.get(code, MESSAGES[400])
        return render_template("errors/error.html", code=code, message=message), code

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if isinstance(error, SecurityError):
            # A Host outside TRUSTED_HOSTS: no URLs can be built for it, so no page, just the words.
            return str(MESSAGES[400]), 400, {"Content-Type": "text/plain; charset=utf-8"}
        # The error's own headers (Allow on a 405, WWW-Authenticate, Retry-After), not its body's type.
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        if request.path.startswith("/api/"):
            data = getattr(error, "data", None) or {}
            headers |= data.get("headers") or {}
            return problem_response(
                error.code or 500, error.description, errors=data.get("messages"), headers=headers
            )
        code = error.code or 500
        message = MESSAGES.get(code, error.description)
        return render_template("errors/error.html", code=code, message=message), code, headers

    def database_unavailable(error: Exception):
        """The database is away (restarting, unreachable): say so; the pool reconnects by itself."""
        app.logger.error(
            "database unavailable on %s: %s", request.path.split("?")[0], str(error).splitlines()[0]
        )
        # The member cannot be loaded now; the page is rendered as for a visitor, without a query.
        g._login_user = app.login_manager.anonymous_user()
        headers = {"Retry-After": RETRY_AFTER_SECONDS}
        if request.path.startswith("/api/"):
            return problem_response(503, str(MESSAGES[503]), headers=headers)
        detail = MESSAGES_NOT_SAVED if request.method not in ("GET", "HEAD") else None
        page = render_template("errors/error.html", code=503, message=MESSAGES[503], detail=detail)
        return page, 503, headers

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        try:
            db.session.rollback()
        except Exception:  # the connection may be gone with the database
            db.session.remove()
        if isinstance(error, (OverflowError, DataError)):
            # A number too large for the database, or a NUL character in text: bad input, not a crash.
            app.logger.info("refused out-of-range input on %s: %s", request.path, error)
            message = MESSAGES_BAD_VALUE
            if request.path.startswith("/api/"):
                return problem_response(400, str(message))
            return render_template("errors/error.html", code=400, message=message), 400
        if _database_away(error):
            return database_unavailable(error)
        app.logger.exception("unhandled error on %s", request.path)
        if request.path.startswith("/api/"):
            return problem_response(500)
        return render_template("errors/error.html", code=500, message=MESSAGES[500]), 500


def _database_away(error: Exception) -> bool:
    """A lost or refused database connection, as opposed to a bug or bad input."""
    if isinstance(error, (OperationalError, InterfaceError)):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated
