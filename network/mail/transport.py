"""Where a mail goes: an SMTP server (one connection per round), or .eml files without one.

The file fallback lets a newcomer follow an invite on a laptop with no mail server.
"""

import smtplib
import ssl
import typing as t
import uuid
from pathlib import Path

from flask import current_app

from network.db import utcnow
from network.mail.compose import build_message
from network.mail.models import OutgoingMail


class PermanentFailure(Exception):
    """The mail server refused this mail for good (e.g. an unknown address): retrying will not help."""


class TemporaryFailure(Exception):
    """The mail server put this one mail off (a 4xx answer); the others may still go now."""


class Transport(t.Protocol):
    def send(self, mail: OutgoingMail) -> None: ...

    def close(self) -> None: ...


def open_transport(config: t.Mapping[str, t.Any]) -> "Transport":
    """SMTP when MAIL_SERVER is set, else the mail folder."""
    if config["MAIL_SERVER"]:
        return SmtpTransport(config)
    return FileTransport(Path(config["MAIL_DIR"]), config["MAIL_SENDER"])


class SmtpTransport:
    """One SMTP connection, opened at the first mail and reused for the rest of a round."""

    def __init__(self, config: t.Mapping[str, t.Any]) -> None:
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        timeout = config["MAIL_TIMEOUT_SECONDS"]
        if config["MAIL_USE_SSL"]:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                config["MAIL_SERVER"],
                config["MAIL_PORT"],
                timeout=timeout,
                context=ssl.create_default_context(),
            )
        else:
            smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
        try:
            if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, mail: OutgoingMail) -> None:
        """Hand one mail to the server; PermanentFailure when it refuses it for good."""
        message = build_message(mail, self.config["MAIL_SENDER"])
        reused = self.smtp is not None
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            self.smtp.send_message(message)
        except smtplib.SMTPServerDisconnected:
            # A kept connection the server closed meanwhile: the mail was never handed over.
            self.smtp = None
            if not reused:
                raise
            self.smtp = self._connect()
            self.smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _text in error.recipients.values()]
            if codes and all(500 <= code < 600 for code in codes):
                raise PermanentFailure(f"recipient refused: {error.recipients}") from error
            raise TemporaryFailure(f"recipient put off: {error.recipients}") from error
        except smtplib.SMTPSenderRefused:
            raise  # our own From address: a setting to fix, for every mail alike
        except smtplib.SMTPResponseException as error:
            answer = f"{error.smtp_code} {error.smtp_error!r}"
            if 500 <= error.smtp_code < 600:
                raise PermanentFailure(answer) from error
            raise TemporaryFailure(answer) from error

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


class FileTransport:
    """Writes each mail as an .eml file to the mail folder (no NETWORK_MAIL_SERVER set)."""

    def __init__(self, folder: Path, sender: str) -> None:
        self.folder = folder
        self.sender = sender

    def send(self, mail: OutgoingMail) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
        partial = path.with_suffix(".partial")
        # Written under another name and moved into place: a reader never sees half a mail.
        partial.write_bytes(bytes(build_message(mail, self.sender)))
        partial.replace(path)
        current_app.logger.info(
            "mail to %s written to %s (no NETWORK_MAIL_SERVER set)", mail.to_address, path
        )

    def close(self) -> None:
        return None
