"""The first run's one form: the profile fields that make matching work, and what to follow."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SubmitField

from network.domain import FOCUS_AREAS, TOOLS, choices
from network.forms import BaseForm
from network.members.forms import CheckboxesField


class FirstRunForm(BaseForm):
    tools = CheckboxesField(_l("Værktøjer, vi har implementeret"), choices=choices(TOOLS))
    focus_areas = CheckboxesField(_l("Mine fokusområder"), choices=choices(FOCUS_AREAS))
    open_for_sparring = BooleanField(_l("Jeg er åben for sparring"), default=True)
    follow_tools = CheckboxesField(_l("Giv mig besked om nye sager om"), choices=choices(TOOLS))
    submit = SubmitField(_l("Gem og gå til Min uge"))
