"""The design system's Python side: template filters for avatars, and the living style page.

The style page (/stil) renders every component of templates/_macros/ui.html with sample content,
so a change to a token or a component is seen in one place. It is registered only where
STYLE_PAGE is on: the development and test configs, never production.
"""

import datetime as dt

from babel import Locale, dates
from flask import Blueprint, Flask, render_template
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms.fields import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from network.cases.service import AuthorView
from network.forms import BaseForm, error_summary
from network.meetups.service import to_local
from network.members.models import avatar_tone, initials
from network.web import confirm_attrs

bp = Blueprint("style", __name__)


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


# --- dates: one format everywhere, in the reader's language -------------------------------

# Patterns per language (CLDR, as Babel reads them); the names of days and months come from Babel.
DATE_PATTERNS = {
    "da": {"datetime": "EEEE d. MMM y 'kl.' HH:mm", "short": "d. MMM y 'kl.' HH:mm", "date": "d. MMM y"},
    "en": {"datetime": "EEEE d MMM y 'at' HH:mm", "short": "d MMM y 'at' HH:mm", "date": "d MMM y"},
}
RELATIVE_FOR = dt.timedelta(days=7)  # older than this, a date says more than "for 3 uger siden"


def _babel_locale() -> Locale:
    return get_locale() or Locale("da")


def _pattern(kind: str) -> str:
    return DATE_PATTERNS.get(_babel_locale().language, DATE_PATTERNS["da"])[kind]


def local_time(moment: dt.datetime | None, with_day: bool = True) -> str:
    """A time in Copenhagen, e.g. "søndag 25. okt. 2026 kl. 10:00" / "Sunday 25 Oct 2026 at 10:00"."""
    local = to_local(moment)
    if local is None:
        return ""
    return dates.format_datetime(local, _pattern("datetime" if with_day else "short"), locale=_babel_locale())


def local_clock(moment: dt.datetime | None) -> str:
    local = to_local(moment)
    return f"{local:%H:%M}" if local else ""


def local_date(moment: dt.date | dt.datetime | None) -> str:
    """A day, e.g. "25. okt. 2026" / "25 Oct 2026"."""
    if moment is None:
        return ""
    day = to_local(moment).date() if isinstance(moment, dt.datetime) else moment
    return dates.format_date(day, _pattern("date"), locale=_babel_locale())


def ago(moment: dt.datetime | None) -> Markup:
    """When something happened: "for 2 timer siden" / "2 hours ago", the exact time on hover.

    A <time> element with the machine-readable time; past a week it shows the date instead.
    """
    if moment is None:
        return Markup("")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    since = dt.datetime.now(dt.UTC) - moment
    if since > RELATIVE_FOR:
        shown = local_date(moment)
    elif since < dt.timedelta(minutes=1):
        shown = _("lige nu")
    else:
        shown = dates.format_timedelta(-since, add_direction=True, threshold=1.2, locale=_babel_locale())
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        moment.isoformat(), local_time(moment, with_day=False), shown
    )


def period(start: dt.date | None, end: dt.date | None) -> str:
    """A project's period in months: "aug. 2014 – jun. 2015", "fra aug. 2014", "til jun. 2015"."""

    def month(day: dt.date) -> str:
        return dates.format_date(day, "MMM y", locale=_babel_locale())

    if start and end:
        return f"{month(start)} – {month(end)}"
    if start:
        return _("fra %(month)s", month=month(start))
    if end:
        return _("til %(month)s", month=month(end))
    return ""


def init_app(app: Flask) -> None:
    app.add_template_filter(initials, "initials")
    app.add_template_filter(avatar_tone, "avatar_tone")
    app.add_template_filter(date_block, "date_block")
    app.add_template_filter(error_summary, "error_summary")
    for name, function in (
        ("local_time", local_time),
        ("local_clock", local_clock),
        ("local_date", local_date),
        ("ago", ago),
    ):
        app.add_template_filter(function, name)
    app.add_template_global(period, "period")
    app.add_template_global(confirm_attrs, "confirm_attrs")
    if app.config.get("STYLE_PAGE"):
        app.register_blueprint(bp)
