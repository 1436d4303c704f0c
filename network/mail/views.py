"""The mail preferences and unsubscribe pages, reached from a signed link without signing in."""

import contextlib

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField

from network.db import db
from network.extensions import csrf
from network.forms import BaseForm
from network.mail import preferences
from network.members.models import Member

bp = Blueprint("mail", __name__)


class ChoiceForm(BaseForm):
    choice = RadioField(_l("Hvad vil du have?"))


def _language(member: Member):  # a context manager
    """The member's chosen language; without one, the browser's (as on every page)."""
    return force_locale(member.locale) if member.locale else contextlib.nullcontext()


def _resolve(token: str) -> tuple[Member, str]:
    try:
        return preferences.member_for_token(token)
    except preferences.InvalidPreferencesLink:
        abort(404)


def _page(member: Member, category: str, token: str, *, unsubscribed: bool = False, status: int = 200):
    form = ChoiceForm(choice=preferences.current_choice(member, category))
    form.choice.choices = list(preferences.choices(category).items())
    page = render_template(
        "mail/pages/preferences.html",
        member=member,
        category=category,
        category_label=preferences.label(category),
        subscribed=preferences.is_subscribed(member, category),
        unsubscribed=unsubscribed,
        form=form,
        token=token,
    )
    return page, status


@bp.get("/e-mail/afmeld/<token>")
def unsubscribe(token: str):
    """The page of a mail's unsubscribe link: what you get, one button to stop it, and the choices."""
    member, category = _resolve(token)
    with _language(member):
        return _page(member, category, token)


@bp.post("/e-mail/afmeld/<token>")
@csrf.exempt  # RFC 8058: a mail client posts here without a session; the signed token is the key
def unsubscribe_now(token: str):
    """Stop the link's category of mails: the page's button, or a mail client's one-click POST."""
    member, category = _resolve(token)
    preferences.unsubscribe(member, category)
    db.session.commit()
    if request.form.get("List-Unsubscribe") == "One-Click":
        return _("Du er afmeldt."), 200, {"Content-Type": "text/plain; charset=utf-8"}
    with _language(member):
        return _page(member, category, token, unsubscribed=True)


@bp.post("/e-mail/valg/<token>")
def choose(token: str):
    """Save the choice made on the link's page."""
    member, category = _resolve(token)
    form = ChoiceForm()
    form.choice.choices = list(preferences.choices(category).items())
    with _language(member):
        if not form.validate():
            return _page(member, category, token, status=400)
        preferences.choose(member, category, form.choice.data)
        db.session.commit()
        flash(_("Dit valg er gemt."), "success")
    return redirect(url_for("mail.unsubscribe", token=token), code=303)
