"""Mail categories and the signed links that change them without signing in (RFC 8058 unsubscribe).

A link carries a token signed with the secret key, scoped to one member and one category: it can
change that member's choice for that category and nothing else, and it never expires (a mail read
months later must still let its reader stop the next one).
"""

import typing as t

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from network.db import db
from network.domain import EMAIL_FREQUENCIES
from network.errors import DomainError, NotFound
from network.members.models import Member

# What a member can stop, and what each template's mail belongs to. Mails without a category
# (invites, password resets, unlock links) answer the reader's own action and carry no unsubscribe.
CATEGORIES: dict[str, t.Any] = {
    "activity": _l("e-mails om, hvad der sker i netværket"),
    "reminders": _l("påmindelser om at følge op på dine sager"),
}
TEMPLATE_CATEGORIES = {"notification": "activity", "digest": "activity", "case_reminder": "reminders"}


class InvalidPreferencesLink(NotFound):
    default_message = _l("Linket virker ikke. Log ind og vælg dine e-mails under din profil.")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="mail-preferences")


def token_for(member: Member, category: str) -> str:
    """The signed token of a preferences and unsubscribe link."""
    if category not in CATEGORIES:
        raise ValueError(f"not a mail category: {category}")
    return _serializer().dumps({"m": member.id, "c": category})


def unsubscribe_path(member: Member, category: str) -> str:
    """The path of the page (GET) and of the one-click unsubscribe (POST) for one member and category."""
    # Built from the URL map, not url_for: a cron job has no request and maybe no SERVER_NAME.
    return current_app.url_map.bind("").build("mail.unsubscribe", {"token": token_for(member, category)})


def member_for_token(token: str) -> tuple[Member, str]:
    """The member and category a link belongs to, or InvalidPreferencesLink (forged, or member gone)."""
    try:
        data = _serializer().loads(token)
        member = db.session.get(Member, int(data["m"]))
        category = str(data["c"])
    except (BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidPreferencesLink() from error
    if member is None or not member.is_active_member or category not in CATEGORIES:
        raise InvalidPreferencesLink()
    return member, category


def label(category: str) -> str:
    """What the category's mails are, as a phrase for a sentence."""
    return str(CATEGORIES[category])


def choices(category: str) -> dict[str, t.Any]:
    """The choices a link's page offers for its category (value -> label)."""
    if category == "activity":
        return EMAIL_FREQUENCIES
    return {"on": _l("Ja, mind mig om at følge op"), "off": _l("Nej, ingen påmindelser")}


def current_choice(member: Member, category: str) -> str:
    """The member's current choice for a category."""
    if category == "activity":
        return member.email_frequency
    return "on" if member.mail_reminders else "off"


def is_subscribed(member: Member, category: str) -> bool:
    """Whether the member gets this category's mails at all."""
    return current_choice(member, category) not in ("never", "off")


def choose(member: Member, category: str, choice: str) -> None:
    """Set the member's choice for one category."""
    if choice not in choices(category):
        raise DomainError(_l("Vælg en af mulighederne."), field="choice")
    if category == "activity":
        member.email_frequency = choice
    else:
        member.mail_reminders = choice == "on"
    current_app.logger.info("mail choice for %s changed to %s by link", category, choice)


def unsubscribe(member: Member, category: str) -> None:
    """Stop every mail of the category (the one-click unsubscribe)."""
    choose(member, category, "never" if category == "activity" else "off")
