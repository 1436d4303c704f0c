"""Forms for profiles, schools and the directory."""

import typing as t

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from network.domain import (
    EDUCATION_AREAS,
    EMAIL_FREQUENCIES,
    FOCUS_AREAS,
    REGIONS,
    ROLES,
    SCHOOL_TYPES,
    TOOLS,
    choices,
)
from network.forms import BaseForm
from network.members import service
from network.members.models import PRIVATE_CAPABLE_FIELDS


def school_choices(blank: t.Any = None) -> list[SelectChoice]:
    """The schools as choices for a school select, optionally led by a blank option (0)."""
    options = [SelectChoice(s.id, s.name) for s in service.list_schools()]
    return [SelectChoice(0, blank), *options] if blank is not None else options


class CheckboxesField(SelectMultipleField):
    """A group of checkboxes (easier on a phone than a multi-select)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


PRIVACY_LABELS = {
    "email": _l("E-mail"),
    "phone": _l("Telefon"),
    "title": _l("Titel"),
    "bio": _l("Om mig"),
    "education_areas": _l("Uddannelsesområder"),
    "tools": _l("Værktøjer"),
    "focus_areas": _l("Fokusområder"),
}


class ProfileForm(BaseForm):
    name = StringField(_l("Navn"), validators=[DataRequired(_l("Skriv dit navn.")), Length(max=120)])
    title = StringField(
        _l("Titel"),
        validators=[Length(max=120)],
        description=_l("F.eks. uddannelsesleder eller afdelingsleder"),
    )
    school_id = SelectField(_l("Skole"), coerce=int, validators=[DataRequired(_l("Vælg din skole."))])
    phone = StringField(_l("Telefon"), validators=[Length(max=40)])
    bio = TextAreaField(
        _l("Om mig"),
        validators=[Length(max=2000)],
        description=_l("Hvad arbejder du med, og hvad kan andre spørge dig om?"),
    )
    education_areas = CheckboxesField(_l("Uddannelsesområder, jeg leder"), choices=choices(EDUCATION_AREAS))
    tools = CheckboxesField(_l("Værktøjer, vi har implementeret"), choices=choices(TOOLS))
    focus_areas = CheckboxesField(_l("Mine fokusområder"), choices=choices(FOCUS_AREAS))
    open_for_sparring = BooleanField(_l("Jeg er åben for sparring"))
    private_fields = CheckboxesField(
        _l("Kun synligt for koordinatorer"),
        choices=choices({f: PRIVACY_LABELS[f] for f in PRIVATE_CAPABLE_FIELDS}),
        description=_l("Felter, du sætter kryds ved, kan andre medlemmer ikke se."),
    )
    email_frequency = SelectField(
        _l("E-mails om notifikationer"), choices=choices(EMAIL_FREQUENCIES), default="event"
    )
    avatar = FileField(_l("Profilbillede"), description=_l("JPEG, PNG, WebP eller GIF, højst 2 MB."))
    remove_avatar = BooleanField(_l("Fjern profilbillede"))
    submit = SubmitField(_l("Gem profil"))


class SchoolForm(BaseForm):
    name = StringField(_l("Navn"), validators=[DataRequired(_l("Skriv skolens navn.")), Length(max=200)])
    city = StringField(_l("By"), validators=[Length(max=100)])
    region = SelectField(_l("Region"), choices=choices(REGIONS))
    kind = SelectField(_l("Skoletype"), choices=choices(SCHOOL_TYPES))
    education_areas = CheckboxesField(_l("Uddannelsesområder"), choices=choices(EDUCATION_AREAS))
    submit = SubmitField(_l("Gem skole"))


class RoleForm(BaseForm):
    role = SelectField(_l("Rolle"), choices=choices(ROLES))
    submit = SubmitField(_l("Skift rolle"))


class DirectoryFilterForm(BaseForm):
    """The directory's filters: a GET form, so no CSRF token."""

    saves = False

    class Meta:
        csrf = False

    q = StringField(_l("Søg efter navn eller titel"), validators=[Optional(), Length(max=100)])
    school_id = SelectField(_l("Skole"), coerce=int, validators=[Optional()])
    region = SelectField(_l("Region"), choices=choices(REGIONS, _l("Alle regioner")), validators=[Optional()])
    tool = SelectField(_l("Værktøj"), choices=choices(TOOLS, _l("Alle værktøjer")), validators=[Optional()])
    focus = SelectField(
        _l("Fokusområde"), choices=choices(FOCUS_AREAS, _l("Alle fokusområder")), validators=[Optional()]
    )
    open_for_sparring = BooleanField(_l("Kun medlemmer, der er åbne for sparring"))
