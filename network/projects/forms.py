"""Forms for AL projects, their reports and the project list's filters."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from network.domain import FOCUS_AREAS, TOOLS, choices
from network.forms import BaseForm
from network.members.forms import CheckboxesField
from network.projects import service

STATUS_LABELS = {"ongoing": _l("I gang"), "completed": _l("Afsluttet")}

SECTIONS = {
    "problem": (
        _l("Problemformulering"),
        _l("Hvilket ledelsesproblem arbejder du med, og hvorfor er det vigtigt?"),
    ),
    "actions": (_l("Handlinger sat i gang"), _l("Hvad satte du i gang i din egen praksis?")),
    "experiments": (_l("Handling og eksperimenter"), _l("Hvad prøvede I af, og hvad skete der?")),
    "reflection": (_l("Refleksion i lederteamet"), _l("Hvad blev I klogere på, da I reflekterede sammen?")),
    "new_actions": (_l("Nye handlinger"), _l("Hvad gør I nu, på baggrund af refleksionen?")),
    "results": (_l("Resultater og læring"), _l("Hvad kom der ud af projektet, og hvad tager du med dig?")),
}


def _section(name: str) -> TextAreaField:
    label, help_text = SECTIONS[name]
    return TextAreaField(label, description=help_text, validators=[Length(max=service.SECTION_MAX)])


class ProjectForm(BaseForm):
    title = StringField(
        _l("Titel"), validators=[DataRequired(_l("Giv projektet en titel.")), Length(max=service.TITLE_MAX)]
    )
    school_id = SelectField(_l("Skole"), coerce=int, validators=[Optional()])
    leader_ids = SelectMultipleField(_l("Ledere (medlemmer)"), coerce=int, validators=[Optional()])
    former_leaders = StringField(
        _l("Tidligere deltagere"),
        description=_l("Navne på ledere, der ikke er medlemmer, adskilt med komma."),
        validators=[Length(max=service.FORMER_LEADERS_MAX)],
    )
    period_start = DateField(_l("Periode fra"), validators=[Optional()])
    period_end = DateField(_l("Periode til"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=choices(STATUS_LABELS))
    problem = _section("problem")
    actions = _section("actions")
    experiments = _section("experiments")
    reflection = _section("reflection")
    new_actions = _section("new_actions")
    results = _section("results")
    tools = CheckboxesField(_l("Værktøjer"), choices=choices(TOOLS))
    focus_areas = CheckboxesField(_l("Fokusområder"), choices=choices(FOCUS_AREAS))
    case_ids = SelectMultipleField(
        _l("Sager projektet hænger sammen med"), coerce=int, validators=[Optional()]
    )
    submit = SubmitField(_l("Gem projekt"))


class AttachmentForm(BaseForm):
    file = FileField(
        _l("Rapport"),
        description=_l("PDF, Word (DOCX), tekst eller Markdown, højst 20 MB."),
        validators=[FileRequired(_l("Vælg en fil."))],
    )
    submit = SubmitField(_l("Vedhæft"))


class ProjectFilterForm(BaseForm):
    class Meta:
        csrf = False

    school_id = SelectField(_l("Skole"), coerce=int, validators=[Optional()])
    tool = SelectField(_l("Værktøj"), choices=choices(TOOLS, _l("Alle værktøjer")), validators=[Optional()])
    focus = SelectField(
        _l("Fokusområde"), choices=choices(FOCUS_AREAS, _l("Alle fokusområder")), validators=[Optional()]
    )
    year = SelectField(_l("År"), coerce=int, validators=[Optional()])
    status = SelectField(_l("Status"), choices=choices(STATUS_LABELS, _l("Alle")), validators=[Optional()])
