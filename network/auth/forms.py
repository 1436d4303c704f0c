"""Forms for joining, signing in and managing one's access."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from network.domain import ROLES, choices
from network.errors import DomainError
from network.forms import BaseForm
from network.members.service import normalize_email


def valid_email(form: FlaskForm, field: Field) -> None:
    """WTForms validator using the same rule as the services."""
    try:
        field.data = normalize_email(field.data or "")
    except DomainError as error:
        raise ValidationError(str(error.message)) from error


PASSWORD_HELP = _l("Mindst 10 tegn. Brug gerne en sætning, du kan huske.")


class LoginForm(BaseForm):
    saves = False
    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Skriv din e-mail.")), Length(max=254)])
    password = PasswordField(_l("Adgangskode"), validators=[DataRequired(_l("Skriv din adgangskode."))])
    remember = BooleanField(_l("Husk mig på denne enhed"))
    submit = SubmitField(_l("Log ind"))


class InviteForm(BaseForm):
    emails = TextAreaField(
        _l("E-mailadresser"),
        validators=[DataRequired(_l("Skriv mindst én e-mailadresse.")), Length(max=100_000)],
        description=_l(
            "Én eller flere adresser, adskilt af linjeskift, komma eller semikolon. "
            "Du kan også indsætte en CSV med kolonnerne email og navn."
        ),
    )
    school_id = SelectField(
        _l("Skole (forslag)"), coerce=int, description=_l("Den inviterede kan selv vælge en anden skole.")
    )
    role = SelectField(_l("Rolle"), choices=choices(ROLES))
    message = TextAreaField(_l("Personlig hilsen (valgfri)"), validators=[Length(max=2000)])
    submit = SubmitField(_l("Send invitationer"))


class AcceptInviteForm(BaseForm):
    name = StringField(_l("Dit navn"), validators=[DataRequired(_l("Skriv dit navn.")), Length(max=120)])
    title = StringField(
        _l("Titel"),
        validators=[Length(max=120)],
        description=_l("F.eks. uddannelsesleder eller afdelingsleder"),
    )
    school_id = SelectField(_l("Skole"), coerce=int, validators=[DataRequired(_l("Vælg din skole."))])
    password = PasswordField(
        _l("Adgangskode"), validators=[DataRequired(_l("Vælg en adgangskode."))], description=PASSWORD_HELP
    )
    password_again = PasswordField(
        _l("Gentag adgangskode"),
        validators=[
            DataRequired(_l("Gentag adgangskoden.")),
            EqualTo("password", _l("De to adgangskoder er ikke ens.")),
        ],
    )
    submit = SubmitField(_l("Opret min profil"))


class ResetRequestForm(BaseForm):
    saves = False
    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Skriv din e-mail.")), valid_email])
    submit = SubmitField(_l("Send link"))


class ResetPasswordForm(BaseForm):
    password = PasswordField(
        _l("Ny adgangskode"), validators=[DataRequired(_l("Vælg en adgangskode."))], description=PASSWORD_HELP
    )
    password_again = PasswordField(
        _l("Gentag ny adgangskode"),
        validators=[
            DataRequired(_l("Gentag adgangskoden.")),
            EqualTo("password", _l("De to adgangskoder er ikke ens.")),
        ],
    )
    submit = SubmitField(_l("Gem ny adgangskode"))


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField(
        _l("Nuværende adgangskode"), validators=[DataRequired(_l("Skriv din nuværende adgangskode."))]
    )


class ApiTokenForm(BaseForm):
    name = StringField(
        _l("Navn på nøglen"),
        validators=[DataRequired(_l("Giv nøglen et navn.")), Length(max=80)],
        description=_l("F.eks. 'Mit regneark' – så du kan kende den igen."),
    )
    submit = SubmitField(_l("Opret API-nøgle"))


class ConfirmForm(BaseForm):
    """A bare POST form carrying only the CSRF token (sign out, revoke, remove)."""

    saves = False

    submit = SubmitField(_l("Bekræft"))
