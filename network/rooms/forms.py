"""Forms for creating rooms, inviting, posting without JavaScript, and running sessions."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from network.domain import REGIONS, TOOLS, choices
from network.forms import BaseForm
from network.members.forms import CheckboxesField
from network.rooms.models import DEFAULT_MINUTES
from network.rooms.service import MAX_MESSAGE_CHARS

ACCESS = {"open": _l("Åbent for alle medlemmer"), "invite": _l("Kun for inviterede")}


class RoomForm(BaseForm):
    name = StringField(
        _l("Rummets navn"), validators=[DataRequired(_l("Giv rummet et navn.")), Length(max=120)]
    )
    description = TextAreaField(_l("Hvad bruges rummet til?"), validators=[Optional(), Length(max=2000)])
    access = SelectField(_l("Hvem kan være med"), choices=choices(ACCESS), default="open")
    case_id = SelectField(
        _l("Sag"),
        coerce=int,
        validators=[Optional()],
        description=_l("Vælg en af dine egne sager for at åbne et rum til sparring på den."),
    )
    region = SelectField(_l("Region"), choices=choices(REGIONS, _l("Ingen region")), validators=[Optional()])
    tool = SelectField(_l("Værktøj"), choices=choices(TOOLS, _l("Intet værktøj")), validators=[Optional()])
    theme = StringField(_l("Tema"), validators=[Optional(), Length(max=120)])


class MessageForm(BaseForm):
    body = TextAreaField(
        _l("Besked"),
        validators=[DataRequired(_l("Skriv en besked først.")), Length(max=MAX_MESSAGE_CHARS)],
        description=_l("Du kan bruge **fed**, *kursiv*, lister og links. Skriv @navn for at nævne nogen."),
    )
    client_id = HiddenField()


class InviteForm(BaseForm):
    member_ids = CheckboxesField(
        _l("Inviter medlemmer"), coerce=int, validators=[DataRequired(_l("Vælg mindst ét medlem."))]
    )


class SessionForm(BaseForm):
    title = StringField(_l("Overskrift (valgfri)"), validators=[Optional(), Length(max=200)])
    case_id = SelectField(_l("Sag"), coerce=int, validators=[DataRequired(_l("Vælg en sag."))])
    case_giver_id = SelectField(
        _l("Sagsgiver"), coerce=int, validators=[DataRequired(_l("Vælg sagsgiveren."))]
    )
    team_ids = CheckboxesField(
        _l("Det reflekterende team"), coerce=int, validators=[DataRequired(_l("Vælg mindst ét teammedlem."))]
    )
    observer_ids = CheckboxesField(_l("Observatører"), coerce=int, validators=[Optional()])
    minutes_present = IntegerField(
        _l("Fremlæggelse (minutter)"), default=DEFAULT_MINUTES["present"], validators=[NumberRange(1, 120)]
    )
    minutes_questions = IntegerField(
        _l("Opklarende spørgsmål (minutter)"),
        default=DEFAULT_MINUTES["questions"],
        validators=[NumberRange(1, 120)],
    )
    minutes_reflecting = IntegerField(
        _l("Det reflekterende team (minutter)"),
        default=DEFAULT_MINUTES["reflecting"],
        validators=[NumberRange(1, 120)],
    )
    minutes_response = IntegerField(
        _l("Sagsgiver svarer (minutter)"),
        default=DEFAULT_MINUTES["response"],
        validators=[NumberRange(1, 120)],
    )
    minutes_roundup = IntegerField(
        _l("Opsamling (minutter)"), default=DEFAULT_MINUTES["roundup"], validators=[NumberRange(1, 120)]
    )


class SummaryForm(BaseForm):
    next_actions = TextAreaField(_l("Aftalte næste skridt"), validators=[Optional(), Length(max=10_000)])
    learnings = TextAreaField(_l("Det tager vi med os (læring)"), validators=[Optional(), Length(max=10_000)])
