"""Forms for meetups: the meetup itself (fixed time or date poll), RSVP, poll answers, notes."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from network.domain import choices
from network.forms import BaseForm, BaseSubform
from network.meetups import drafts, service
from network.meetups.models import Meetup
from network.members.forms import CheckboxesField, school_choices
from network.members.models import Member

VISIBILITY_LABELS = {"network": _l("Hele netværket"), "invited": _l("Kun inviterede skoler")}
MODE_LABELS = {"fixed": _l("Fast tidspunkt"), "poll": _l("Datoafstemning: foreslå 2–6 tidspunkter")}
RSVP_LABELS = {"going": _l("Jeg kommer"), "maybe": _l("Måske"), "not_going": _l("Jeg kommer ikke")}
POLL_LABELS = {"yes": _l("Ja"), "if_need_be": _l("Hvis nødvendigt"), "no": _l("Nej")}


class AgendaItemForm(BaseSubform):
    title = StringField(_l("Punkt"), validators=[Optional(), Length(max=drafts.TITLE_MAX)])
    case_id = SelectField(_l("Sag vi sparrer om"), coerce=int, validators=[Optional()])
    project_id = SelectField(_l("AL-projekt"), coerce=int, validators=[Optional()])


class PollOptionForm(BaseSubform):
    day = DateField(_l("Dato"), validators=[Optional()])
    start_time = TimeField(_l("Fra"), validators=[Optional()])
    end_time = TimeField(_l("Til"), validators=[Optional()])


class MeetupForm(BaseForm):
    title = StringField(
        _l("Titel"), validators=[DataRequired(_l("Skriv en titel.")), Length(max=drafts.TITLE_MAX)]
    )
    description = TextAreaField(
        _l("Beskrivelse"),
        validators=[Length(max=drafts.DESCRIPTION_MAX)],
        description=_l("Du kan bruge Markdown."),
    )
    host_school_id = SelectField(
        _l("Værtsskole"), coerce=int, validators=[DataRequired(_l("Vælg værtsskolen."))]
    )
    address = StringField(_l("Adresse"), validators=[Length(max=drafts.ADDRESS_MAX)])
    online_url = StringField(
        _l("Onlinelink"), validators=[Length(max=drafts.URL_MAX)], description=_l("Begynder med https://")
    )
    mode = RadioField(_l("Tidspunkt"), choices=choices(MODE_LABELS), default="fixed")
    start_date = DateField(_l("Dato"), validators=[Optional()])
    start_time = TimeField(_l("Starttidspunkt"), validators=[Optional()])
    end_date = DateField(_l("Slutdato"), validators=[Optional()], description=_l("Tom: samme dag"))
    end_time = TimeField(_l("Sluttidspunkt"), validators=[Optional()])
    poll_options = FieldList(FormField(PollOptionForm), min_entries=6, max_entries=6)
    capacity = IntegerField(
        _l("Antal pladser"),
        default=30,
        validators=[DataRequired(_l("Angiv antal pladser.")), NumberRange(min=1, max=10000)],
    )
    deadline_date = DateField(_l("Tilmeldingsfrist, dato"), validators=[Optional()])
    deadline_time = TimeField(_l("Tilmeldingsfrist, klokkeslæt"), validators=[Optional()])
    visibility = SelectField(_l("Hvem kan se mødet"), choices=choices(VISIBILITY_LABELS), default="network")
    invited_school_ids = CheckboxesField(_l("Inviterede skoler"), coerce=int)
    co_organiser_ids = SelectMultipleField(_l("Medarrangører"), coerce=int, validators=[Optional()])
    agenda = FieldList(FormField(AgendaItemForm), min_entries=5, max_entries=5)
    submit = SubmitField(_l("Gem netværksmøde"))

    def fill_choices(self, cases: list, projects: list, members: list[Member]) -> None:
        self.host_school_id.choices = school_choices(_l("Vælg skole"))
        self.invited_school_ids.choices = school_choices()
        self.co_organiser_ids.choices = [SelectChoice(m.id, m.name) for m in members]
        case_choices = [SelectChoice(0, _l("Ingen")), *(SelectChoice(c.id, c.title) for c in cases)]
        project_choices = [SelectChoice(0, _l("Intet")), *(SelectChoice(p.id, p.title) for p in projects)]
        for entry in self.agenda:
            entry.form.case_id.choices = case_choices
            entry.form.project_id.choices = project_choices

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        """A fixed time needs a date, a start and an end (Optional() stops field-level checks)."""
        ok = super().validate(extra_validators)
        if self.mode.data == "fixed":
            required = (
                (self.start_date, _l("Angiv en dato.")),
                (self.start_time, _l("Angiv et starttidspunkt.")),
                (self.end_time, _l("Angiv et sluttidspunkt.")),
            )
            for field, message in required:
                if not field.data and not field.errors:
                    field.errors = [*field.errors, message]
                    ok = False
        return ok

    def fill_from(self, meetup: Meetup) -> None:
        """Put a stored meetup into the form, in Copenhagen time."""
        self.title.data, self.description.data = meetup.title, meetup.description
        self.host_school_id.data = meetup.host_school_id
        self.address.data, self.online_url.data = meetup.address, meetup.online_url
        self.mode.data = "poll" if meetup.is_polling else "fixed"
        if meetup.starts_at:
            start, end = service.to_local(meetup.starts_at), service.to_local(meetup.ends_at)
            self.start_date.data, self.start_time.data = start.date(), start.time()
            self.end_date.data, self.end_time.data = end.date(), end.time()
        if meetup.rsvp_deadline:
            deadline = service.to_local(meetup.rsvp_deadline)
            self.deadline_date.data, self.deadline_time.data = deadline.date(), deadline.time()
        self.capacity.data = meetup.capacity
        self.visibility.data = meetup.visibility
        self.invited_school_ids.data = [s.id for s in meetup.invited_schools]
        self.co_organiser_ids.data = [o.id for o in meetup.organisers if o.id != meetup.created_by_id]
        for entry, item in zip(self.agenda, meetup.agenda, strict=False):
            entry.form.title.data = item.title
            entry.form.case_id.data = item.case_id or 0
            entry.form.project_id.data = item.project_id or 0

    def to_draft(self) -> drafts.MeetupDraft:
        """The form as a draft for the service, times converted from Copenhagen to UTC."""
        starts_at = ends_at = None
        poll: list[tuple[dt.datetime, dt.datetime]] = []
        if self.mode.data == "fixed":
            starts_at = service.local_datetime(self.start_date.data, self.start_time.data)
            ends_at = service.local_datetime(self.end_date.data or self.start_date.data, self.end_time.data)
        else:
            for entry in self.poll_options:
                row = entry.form
                if row.day.data and row.start_time.data and row.end_time.data:
                    poll.append(
                        (
                            service.local_datetime(row.day.data, row.start_time.data),
                            service.local_datetime(row.day.data, row.end_time.data),
                        )
                    )
        deadline = None
        if self.deadline_date.data:
            deadline = service.local_datetime(
                self.deadline_date.data, self.deadline_time.data or dt.time(23, 59)
            )
        return drafts.MeetupDraft(
            title=self.title.data or "",
            description=self.description.data or "",
            host_school_id=self.host_school_id.data,
            address=self.address.data or "",
            online_url=self.online_url.data or "",
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=self.capacity.data,
            rsvp_deadline=deadline,
            visibility=self.visibility.data,
            invited_school_ids=list(self.invited_school_ids.data or []),
            co_organiser_ids=list(self.co_organiser_ids.data or []),
            agenda=[
                drafts.AgendaDraft(
                    title=e.form.title.data or "",
                    case_id=e.form.case_id.data or None,
                    project_id=e.form.project_id.data or None,
                )
                for e in self.agenda
            ],
            poll_options=poll,
        )


class RsvpForm(BaseForm):
    answer = RadioField(
        _l("Dit svar"), choices=choices(RSVP_LABELS), validators=[DataRequired(_l("Vælg et svar."))]
    )
    submit = SubmitField(_l("Gem svar"))


class ActionForm(BaseForm):
    """A button-only POST (cancel, pick a poll option, feed tokens): just the CSRF token."""

    submit = SubmitField(_l("OK"))


class OutcomeForm(BaseForm):
    notes = TextAreaField(
        _l("Referat"), validators=[Length(max=drafts.NOTES_MAX)], description=_l("Du kan bruge Markdown.")
    )
    attended = CheckboxesField(_l("Hvem deltog"), coerce=int)
    discussed_cases = CheckboxesField(_l("Sager vi drøftede"), coerce=int)
    submit = SubmitField(_l("Gem referat og fremmøde"))
