"""The account deletion form."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, RadioField, SubmitField
from wtforms.validators import DataRequired

from network.domain import choices
from network.forms import BaseForm

MODES = {
    "anonymise": _l("Behold mine sager og svar, men vis dem som skrevet af \u201dTidligere medlem\u201d"),
    "remove": _l("Slet alt, hvad jeg har skrevet"),
}


class DeleteAccountForm(BaseForm):
    saves = False
    mode = RadioField(
        _l("Hvad skal der ske med dit indhold?"),
        choices=choices(MODES),
        default="anonymise",
        validators=[DataRequired(_l("Vælg, hvad der skal ske med dit indhold."))],
    )
    password = PasswordField(_l("Din adgangskode"), validators=[DataRequired(_l("Skriv din adgangskode."))])
    confirm = BooleanField(
        _l("Jeg forstår, at min konto slettes for altid"),
        validators=[DataRequired(_l("Sæt kryds for at bekræfte."))],
    )
    submit = SubmitField(_l("Slet min konto"))
