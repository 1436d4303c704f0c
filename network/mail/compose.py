"""Render a mail: plain text and HTML from templates/mail/, in the recipient's language, safe headers.

A mail is rendered when it is queued (inside the request or job that caused it) and stored whole
in the outbox, so the worker only sends and never needs the request, the models or the locale.
"""

import typing as t
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from flask import render_template as flask_render_template
from flask_babel import force_locale

from network.forms import clean_line
from network.mail.models import OutgoingMail

SUBJECT_MAX = 200  # characters; mail clients cut long subjects anyway


def safe_header(value: object, max_chars: int = SUBJECT_MAX) -> str:
    """One line of text fit for a mail header, whatever the value holds (line breaks, controls, length)."""
    text = " ".join(str(clean_line(str(value))).split())
    if len(text) > max_chars:
        text = text[: max_chars - 1].rstrip() + "…"
    return text


def absolute_url(path: str) -> str:
    """An absolute link for a mail or feed: always under BASE_URL, never the request's Host header."""
    if not path.startswith("/"):
        return path
    return current_app.config["BASE_URL"] + path


def page_url(endpoint: str, **values: t.Any) -> str:
    """The absolute link to one of our pages, the same inside a request, a job or the CLI."""
    return absolute_url(current_app.url_map.bind("").build(endpoint, values))


def describe(notification: t.Any) -> dict[str, str]:
    """Who did it, what kind of reply, and an excerpt: what a notification tells a mail, as far as it can.

    Read by name, so a notification without these details (or a test's stand-in) gives empty ones.
    """
    from network import domain

    kind = getattr(notification, "reply_kind", "") or ""
    kinds = getattr(domain, "REPLY_KINDS", {})
    return {
        "who": getattr(notification, "actor_name", "") or "",
        "what": str(kinds[kind]) if kind in kinds else "",
        "excerpt": getattr(notification, "excerpt", "") or getattr(notification, "body", "") or "",
    }


def recipient_locale(recipient: t.Any) -> str:
    """The language of a mail: the member's chosen language, else the network's default (Danish)."""
    chosen = getattr(recipient, "locale", None)
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def render_mail(
    to: str,
    subject: object,
    template: str,
    *,
    recipient: t.Any = None,
    category: str = "",
    context: dict[str, t.Any],
) -> OutgoingMail:
    """The outbox row for one mail: both parts rendered in the recipient's language, headers made safe.

    ``subject`` may be a lazy string: it is translated here, in the recipient's language.
    """
    from network.mail import preferences

    with force_locale(recipient_locale(recipient)):
        subject_text = safe_header(subject)
        headers: dict[str, str] = {}
        extra: dict[str, t.Any] = {"subject": subject_text, "recipient": recipient, "category": category}
        if recipient is not None and category:
            unsubscribe_url = absolute_url(preferences.unsubscribe_path(recipient, category))
            extra |= {"unsubscribe_url": unsubscribe_url, "category_label": preferences.label(category)}
            # RFC 8058: the mail client may POST "List-Unsubscribe=One-Click" to this address.
            headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            headers["Auto-Submitted"] = "auto-generated"
        values = {**context, **extra, "home_url": absolute_url("/"), "describe": describe}
        text_body = flask_render_template(f"mail/{template}.txt", **values)
        html_body = flask_render_template(f"mail/{template}.html", **values)
    return OutgoingMail(
        to_address=safe_header(to, 254),
        subject=subject_text,
        text_body=text_body,
        html_body=html_body,
        headers=headers,
        message_id=make_msgid(idstring=uuid.uuid4().hex[:12], domain="ledernetvaerket.dk"),
        category=category,
    )


def build_message(mail: OutgoingMail, sender: str) -> EmailMessage:
    """The MIME message of an outbox row: multipart/alternative, plain text first, then HTML."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to_address
    message["Subject"] = safe_header(mail.subject)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = mail.message_id
    for name, value in (mail.headers or {}).items():
        message[safe_header(name, 80)] = safe_header(value, 900)
    message.set_content(mail.text_body)
    if mail.html_body:
        message.add_alternative(mail.html_body, subtype="html")
    return message
