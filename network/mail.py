"""Outgoing mail: SMTP when NETWORK_MAIL_SERVER is set, else .eml files in instance/mail/.

The file fallback lets a newcomer follow an invite on a laptop with no mail server.
"""

import smtplib
import ssl
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, has_request_context, render_template, request

from network.db import utcnow


def send_mail(to: str, subject: str, template: str, **context: object) -> EmailMessage:
    """Render ``templates/mail/<template>.txt`` and send it (or write it as an .eml file)."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="ledernetvaerket.dk")
    message.set_content(render_template(f"mail/{template}.txt", **context))
    if current_app.config["MAIL_SERVER"]:
        _send_smtp(message)
    else:
        _write_file(message)
    return message


def absolute_url(path: str) -> str:
    """An absolute link for a mail: BASE_URL when set, else the current request's host."""
    if not path.startswith("/"):
        return path
    base = current_app.config["BASE_URL"].rstrip("/")
    if not base and has_request_context():
        base = request.host_url.rstrip("/")
    elif not base and current_app.config.get("SERVER_NAME"):
        base = f"{current_app.config['PREFERRED_URL_SCHEME']}://{current_app.config['SERVER_NAME']}"
    return base + path


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
    current_app.logger.info("mail sent to %s: %s", message["To"], message["Subject"])


def _write_file(message: EmailMessage) -> None:
    folder = Path(current_app.config["MAIL_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    path.write_bytes(bytes(message))
    current_app.logger.info("mail to %s written to %s (no NETWORK_MAIL_SERVER set)", message["To"], path)
