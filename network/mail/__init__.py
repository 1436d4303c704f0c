"""Outgoing mail through an outbox: queued with the change that caused it, sent by a worker.

``send_mail`` renders the mail (plain text and HTML, in the recipient's language) and adds it to
the outbox in the caller's transaction; nothing leaves the request. The worker (network/mail/worker.py)
sends it over SMTP when NETWORK_MAIL_SERVER is set, else writes it as an .eml file to the mail
folder, so a newcomer can follow an invite on a laptop with no mail server.
"""

import typing as t

from flask import Flask

from network.mail.compose import absolute_url, page_url, safe_header
from network.mail.models import OutgoingMail

__all__ = ["OutgoingMail", "absolute_url", "init_app", "page_url", "safe_header", "send_mail"]


def send_mail(
    to: str, subject: object, template: str, *, category: str | None = None, **context: t.Any
) -> OutgoingMail:
    """Render ``templates/mail/<template>.txt`` and ``.html`` and queue the mail in this transaction.

    ``context["member"]``, when it is the recipient, sets the language and, for a mail of a
    category (``preferences.TEMPLATE_CATEGORIES``, or ``category=``), its unsubscribe link.
    The mail is sent after the commit; a rollback sends nothing.
    """
    from network.mail import outbox, preferences
    from network.mail.compose import render_mail

    member = context.get("member")
    recipient = (
        member if member is not None and str(getattr(member, "email", "")).lower() == to.lower() else None
    )
    category = category if category is not None else preferences.TEMPLATE_CATEGORIES.get(template, "")
    mail = render_mail(to, subject, template, recipient=recipient, category=category, context=context)
    return outbox.queue(mail)


def init_app(app: Flask) -> None:
    """The unsubscribe pages, the mail worker of this process, `network mail-worker`, retention."""
    from network.mail import privacy, worker  # noqa: F401 - privacy registers its handlers and job
    from network.mail.views import bp

    app.register_blueprint(bp)
    worker.init_app(app)
