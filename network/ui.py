"""The design system's Python side: template filters for avatars, and the living style page.

The style page (/stil) renders every component of templates/_macros/ui.html with sample content,
so a change to a token or a component is seen in one place. It is registered only where
STYLE_PAGE is on: the development and test configs, never production.
"""

import datetime as dt
import zlib

from flask import Blueprint, Flask, render_template
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from wtforms.fields import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from network.cases.service import AuthorView
from network.forms import BaseForm
from network.meetups.service import to_local
from network.members.models import initials

AVATAR_TONES = 6

bp = Blueprint("style", __name__)


def avatar_tone(member_id: int | None) -> int:
    """A stable colour (1..6) per member, so the same person has the same colour everywhere."""
    return zlib.crc32(str(member_id or 0).encode()) % AVATAR_TONES + 1


class SampleForm(BaseForm):
    title = StringField(
        _l("Titel"),
        validators=[DataRequired(_l("Skriv en titel."))],
        description=_l("Én linje, der siger, hvad det handler om."),
    )
    body = TextAreaField(_l("Beskrivelse"), validators=[Optional()])
    agree = BooleanField(_l("Jeg er åben for sparring"))


@bp.get("/stil")
def style_page() -> str:
    samples = {
        "named": AuthorView(name="Hanne Lindholm", member_id=7, school_name="Aarhus Tech"),
        "anonymous": AuthorView(name="Anonym leder", is_hidden=True),
    }
    form = SampleForm(meta={"csrf": False})
    form.validate()  # shows a field with an error next to those without
    return render_template("style.html", samples=samples, form=form)


def date_block(moment: dt.datetime | None) -> tuple[str, str]:
    """Day of month and short month name, in Copenhagen time and the page's language ("4", "dec.")."""
    local = to_local(moment)
    if local is None:
        return ("", "")
    return (str(local.day), format_date(local, "MMM"))


def init_app(app: Flask) -> None:
    app.add_template_filter(initials, "initials")
    app.add_template_filter(avatar_tone, "avatar_tone")
    app.add_template_filter(date_block, "date_block")
    if app.config.get("STYLE_PAGE"):
        app.register_blueprint(bp)
