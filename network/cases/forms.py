"""Forms for writing cases and replies, changing status, flagging, and the list's filters."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from network.cases.replies import BODY_MAX
from network.cases.service import STATUS_LABELS, TEXT_MAX, TITLE_MAX, hides_timing, time_as_seen
from network.domain import FOCUS_AREAS, TOOLS, choices
from network.forms import BaseForm
from network.markdown import render_markdown
from network.members.forms import CheckboxesField

AL_STAGE_LABELS = {
    "problem": _l("Jeg formulerer problemet"),
    "action": _l("Jeg er gået i gang i egen praksis"),
    "experiment": _l("Jeg handler og eksperimenterer"),
    "reflection": _l("Vi reflekterer i ledelsesteamet"),
    "new_actions": _l("Jeg overvejer nye handlinger"),
}

VISIBILITY_LABELS = {
    "named": _l("Med mit navn og min skole"),
    "school_hidden": _l("Med mit navn, men uden min skole"),
    "anonymous": _l("Anonymt – kun koordinatorer kan se, at det er mig"),
}

# Reflective questions first: the programme's way of giving sparring.
REPLY_KIND_LABELS = {
    "question": _l("Et reflekterende spørgsmål"),
    "experience": _l("En erfaring fra min egen praksis"),
    "suggestion": _l("Et forslag"),
}

STATUS_CHOICES = {
    "open": _l("Åben"),
    "in_progress": _l("I gang"),
    "follow_up": _l("Opfølgning"),
    "closed": _l("Lukket"),
}

SORT_LABELS = {
    "newest": _l("Nyeste"),
    "active": _l("Mest aktive"),
    "unanswered": _l("Ubesvarede først"),
}


class CaseForm(BaseForm):
    """A case along the AL cycle. Required fields are checked by the service on publish only."""

    title = StringField(_l("Titel"), validators=[Length(max=TITLE_MAX)])
    problem = TextAreaField(
        _l("Problemstilling"),
        validators=[Length(max=TEXT_MAX)],
        description=_l("Hvad er dilemmaet? Skriv det så konkret, du kan."),
    )
    context = TextAreaField(
        _l("Sammenhæng"),
        validators=[Length(max=TEXT_MAX)],
        description=_l("Hvem er involveret, og hvad er vigtigt at vide?"),
    )
    tried = TextAreaField(_l("Det har jeg prøvet"), validators=[Length(max=TEXT_MAX)])
    question = TextAreaField(
        _l("Det vil jeg gerne have sparring på"),
        validators=[Length(max=TEXT_MAX)],
        description=_l("Et spørgsmål, de andre kan hjælpe dig med at tænke over."),
    )
    al_stage = SelectField(
        _l("Hvor er du i AL-cirklen?"), choices=choices(AL_STAGE_LABELS), default="problem"
    )
    tools = CheckboxesField(_l("Værktøjer"), choices=choices(TOOLS))
    focus_areas = CheckboxesField(_l("Fokusområder"), choices=choices(FOCUS_AREAS))
    tags = StringField(
        _l("Temaer"),
        validators=[Length(max=700)],
        description=_l("Adskil med komma, f.eks. fravær, teamsamarbejde"),
    )
    visibility = RadioField(
        _l("Hvem må se, at det er din sag?"), choices=choices(VISIBILITY_LABELS), default="named"
    )
    save_draft = SubmitField(_l("Gem kladde"))
    publish = SubmitField(_l("Del sagen"))


class ReplyForm(BaseForm):
    kind = RadioField(
        _l("Hvilken slags svar?"),
        choices=choices(REPLY_KIND_LABELS),
        default="question",
        description=_l("Start gerne med et spørgsmål, der hjælper sagsgiveren til at tænke selv."),
    )
    body = TextAreaField(
        _l("Dit svar"),
        validators=[DataRequired(_l("Skriv dit svar.")), Length(max=BODY_MAX)],
        description=_l("Du kan bruge Markdown: *kursiv*, **fed**, lister og links."),
    )
    submit = SubmitField(_l("Send svar"))


class StatusForm(BaseForm):
    status = SelectField(_l("Status"), choices=choices(STATUS_CHOICES))
    learning_summary = TextAreaField(
        _l("Hvad skete der?"),
        validators=[Length(max=TEXT_MAX)],
        description=_l("Skrives, når du lukker sagen: hvad gjorde du, og hvad lærte du?"),
    )
    submit = SubmitField(_l("Gem status"))


class FlagForm(BaseForm):
    reason = TextAreaField(
        _l("Hvorfor skal en koordinator se på det?"),
        validators=[DataRequired(_l("Skriv en begrundelse.")), Length(max=1000)],
    )
    submit = SubmitField(_l("Send til en koordinator"))


class ModerationForm(BaseForm):
    note = StringField(_l("Note til loggen"), validators=[Optional(), Length(max=500)])


class FollowTopicForm(BaseForm):
    kind = HiddenField()
    value = HiddenField()


class CaseFilterForm(BaseForm):
    """The case list's filters: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), choices=choices(STATUS_CHOICES, _l("Alle")), validators=[Optional()])
    tool = SelectField(_l("Værktøj"), choices=choices(TOOLS, _l("Alle værktøjer")), validators=[Optional()])
    focus = SelectField(
        _l("Fokusområde"), choices=choices(FOCUS_AREAS, _l("Alle fokusområder")), validators=[Optional()]
    )
    tag = StringField(_l("Tema"), validators=[Optional(), Length(max=60)])
    unanswered = BooleanField(_l("Kun ubesvarede"))
    sort = SelectField(
        _l("Sortering"), choices=choices(SORT_LABELS), default="newest", validators=[Optional()]
    )


def template_helpers() -> dict:
    """What every case template uses: labels for the stored slugs, and Markdown rendering."""
    return {
        "status_labels": STATUS_LABELS,
        "al_stage_labels": AL_STAGE_LABELS,
        "reply_kind_labels": REPLY_KIND_LABELS,
        "visibility_labels": VISIBILITY_LABELS,
        "md": render_markdown,
        "hides_timing": hides_timing,
        "time_as_seen": time_as_seen,
    }
