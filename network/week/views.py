"""The first run after joining (Min uge itself is the front page, main.index)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.db import db
from network.errors import DomainError
from network.web import show_domain_error
from network.week.first_run import complete_first_run
from network.week.forms import FirstRunForm

bp = Blueprint("week", __name__)


@bp.route("/velkommen", methods=["GET", "POST"])
@login_required
def welcome():
    """Complete the profile, choose what to follow, and meet the network's way of working."""
    me = current_user._get_current_object()
    form = FirstRunForm(
        data={
            "tools": list(me.tools),
            "focus_areas": list(me.focus_areas),
            "open_for_sparring": me.open_for_sparring,
        }
    )
    if form.validate_on_submit():
        try:
            complete_first_run(
                me,
                tools=form.tools.data or [],
                focus_areas=form.focus_areas.data or [],
                open_for_sparring=bool(form.open_for_sparring.data),
                follow_tools=form.follow_tools.data or [],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Tak! Her er din uge i netværket."), "success")
            return redirect(url_for("main.index"), code=303)
    return render_template("week/welcome.html", form=form), 422 if form.errors else 200
