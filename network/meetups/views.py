"""Meetup pages under /netvaerksmoeder: lists, month calendar, the meetup, RSVP, poll, feeds."""

import calendar as pycalendar
import datetime as dt

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from network.db import db, utcnow
from network.errors import DomainError
from network.mail import absolute_url
from network.meetups import calendar, drafts, polls, service
from network.meetups.forms import POLL_LABELS, ActionForm, MeetupForm, OutcomeForm, RsvpForm
from network.meetups.models import POLL_ANSWERS
from network.members import service as members
from network.members.models import Member
from network.web import csv_response, show_domain_error

bp = Blueprint("meetups", __name__, url_prefix="/netvaerksmoeder")


def _or_404(meetup_id: int):  # noqa: ANN202
    try:
        return service.get_meetup(current_user, meetup_id)
    except DomainError:
        abort(404)


def _managed_or_abort(meetup_id: int):  # noqa: ANN202
    meetup = _or_404(meetup_id)
    if not service.can_manage_meetup(current_user, meetup):
        abort(403)
    return meetup


@bp.route("")
@login_required
def index():
    """Upcoming meetups and open date polls."""
    return render_template("meetups/index.html", meetups=service.upcoming(current_user), view="list")


@bp.route("/arkiv")
@login_required
def archive():
    """Past meetups."""
    return render_template("meetups/index.html", meetups=service.archive(current_user), view="archive")


@bp.route("/kalender")
@login_required
def month():
    """A month as an accessible table; ?maaned=2026-10."""
    today = service.to_local(utcnow()).date()
    try:
        year, month_no = (int(p) for p in request.args.get("maaned", f"{today:%Y-%m}").split("-"))
        first = dt.date(year, month_no, 1)
    except ValueError:
        abort(404)
    if not 1900 < year < 3000:
        abort(404)
    meetups = service.in_month(current_user, year, month_no)
    by_day: dict[dt.date, list] = {}
    for meetup in meetups:
        by_day.setdefault(service.to_local(meetup.starts_at).date(), []).append(meetup)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month_no)
    prev_month = (first - dt.timedelta(days=1)).replace(day=1)
    next_month = (first + dt.timedelta(days=32)).replace(day=1)
    return render_template(
        "meetups/month.html",
        first=first,
        weeks=weeks,
        by_day=by_day,
        prev_month=prev_month,
        next_month=next_month,
        today=today,
        view="month",
    )


@bp.route("/mine")
@login_required
def mine():
    """My meetups and my calendar subscription."""
    return _mine_page(new_feed_url=None)


def _mine_page(new_feed_url: str | None):  # noqa: ANN202
    return render_template(
        "meetups/mine.html",
        meetups=service.my_meetups(current_user),
        has_feed=calendar.has_feed(current_user),
        new_feed_url=new_feed_url,
        form=ActionForm(),
        view="mine",
    )


@bp.route("/kalenderabonnement", methods=["POST"])
@login_required
def create_feed():
    """Make a new secret feed URL (the old one stops working); shown once."""
    if not ActionForm().validate_on_submit():
        abort(400)
    token = calendar.create_feed_token(current_user)
    db.session.commit()
    flash(_("Dit kalenderabonnement er klar. Kopiér adressen nu – den vises kun én gang."), "success")
    return _mine_page(new_feed_url=absolute_url(url_for("meetups.feed", token=token)))


@bp.route("/kalenderabonnement/stop", methods=["POST"])
@login_required
def revoke_feed():
    """Stop the member's feed URL."""
    if not ActionForm().validate_on_submit():
        abort(400)
    calendar.revoke_feed_tokens(current_user)
    db.session.commit()
    flash(_("Kalenderabonnementet er stoppet."), "success")
    return redirect(url_for("meetups.mine"))


@bp.route("/abonnement/<token>.ics")
def feed(token: str):
    """A member's personal calendar feed; no sign-in, the secret token is the key."""
    try:
        body = calendar.feed_for_token(token, absolute_url("/"))
    except DomainError:
        abort(404)
    return _ics_response(body, "ledernetvaerket.ics")


def _ics_response(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _form_members() -> list[Member]:
    return list(
        db.session.scalars(select(Member).where(Member.is_active_member.is_(True)).order_by(Member.name))
    )


def _meetup_form(meetup=None) -> MeetupForm:  # noqa: ANN001
    form = MeetupForm()
    form.fill_choices(drafts.linkable_cases(), drafts.linkable_projects(), _form_members())
    if request.method == "GET" and meetup is not None:
        form.fill_from(meetup)
    elif request.method == "GET":
        form.host_school_id.data = current_user.school_id
    return form


@bp.route("/nyt", methods=["GET", "POST"])
@login_required
def create():
    """Plan a new meetup."""
    form = _meetup_form()
    if form.validate_on_submit():
        try:
            meetup = service.create_meetup(current_user, form.to_draft())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Netværksmødet er oprettet."), "success")
            return redirect(url_for("meetups.detail", meetup_id=meetup.id))
    return render_template("meetups/edit.html", form=form, meetup=None), 422 if form.errors else 200


@bp.route("/<int:meetup_id>/rediger", methods=["GET", "POST"])
@login_required
def edit(meetup_id: int):
    """Change a meetup (organisers and coordinators)."""
    meetup = _managed_or_abort(meetup_id)
    form = _meetup_form(meetup)
    if form.validate_on_submit():
        try:
            service.update_meetup(current_user, meetup.id, form.to_draft())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Netværksmødet er gemt."), "success")
            return redirect(url_for("meetups.detail", meetup_id=meetup.id))
    return render_template("meetups/edit.html", form=form, meetup=meetup), 422 if form.errors else 200


@bp.route("/<int:meetup_id>")
@login_required
def detail(meetup_id: int):
    """The meetup page."""
    meetup = _or_404(meetup_id)
    rsvp = service.rsvp_of(current_user, meetup)
    rsvp_form = RsvpForm(
        answer=rsvp.state if rsvp and rsvp.state != "waitlist" else ("going" if rsvp else None)
    )
    manage = service.can_manage_meetup(current_user, meetup)
    queue = service.waitlist(meetup)
    position = next((i + 1 for i, r in enumerate(queue) if r.member_id == current_user.id), None)
    return render_template(
        "meetups/detail.html",
        meetup=meetup,
        agenda=service.agenda_as_seen(current_user, meetup),
        discussed_cases=service.discussed_cases_as_seen(current_user, meetup),
        rsvp=rsvp,
        rsvp_form=rsvp_form,
        action_form=ActionForm(),
        counts=service.rsvp_counts(meetup),
        waitlist_position=position,
        manage=manage,
        attendees=service.attendees(meetup) if manage else [],
        deadline=service.rsvp_deadline(meetup),
        is_open=service.rsvp_deadline(meetup) is None or utcnow() <= service.rsvp_deadline(meetup),
        is_past=meetup.ends_at is not None and meetup.ends_at < utcnow(),
        has_started=meetup.starts_at is not None and meetup.starts_at <= utcnow(),
        my_poll=polls.my_answers(current_user, meetup),
        tally=polls.tally,
        poll_labels=POLL_LABELS,
        poll_answers=POLL_ANSWERS,
        to_local=service.to_local,
    )


@bp.route("/<int:meetup_id>/svar", methods=["POST"])
@login_required
def rsvp(meetup_id: int):
    """Answer going / maybe / not going."""
    meetup = _or_404(meetup_id)
    form = RsvpForm()
    if not form.validate_on_submit():
        flash(_("Vælg et svar."), "error")
        return redirect(url_for("meetups.detail", meetup_id=meetup.id))
    try:
        answer = service.respond(current_user, meetup.id, form.answer.data)
    except DomainError as error:
        show_domain_error(None, error)
        return redirect(url_for("meetups.detail", meetup_id=meetup_id))
    db.session.commit()
    if answer.state == "waitlist":
        flash(_("Mødet er fuldt. Du står på ventelisten og får besked, hvis der bliver plads."), "info")
    else:
        flash(_("Dit svar er gemt."), "success")
    return redirect(url_for("meetups.detail", meetup_id=meetup_id))


@bp.route("/<int:meetup_id>/aflys", methods=["POST"])
@login_required
def cancel(meetup_id: int):
    """Cancel the meetup (organisers and coordinators)."""
    meetup = _managed_or_abort(meetup_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        service.cancel_meetup(current_user, meetup.id)
    except DomainError as error:
        show_domain_error(None, error)
    else:
        db.session.commit()
        flash(_("Netværksmødet er aflyst, og deltagerne har fået besked."), "success")
    return redirect(url_for("meetups.detail", meetup_id=meetup_id))


@bp.route("/<int:meetup_id>/afstemning", methods=["POST"])
@login_required
def answer_poll(meetup_id: int):
    """Answer the date poll: yes / if need be / no per candidate time."""
    meetup = _or_404(meetup_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    answers = {}
    for option in meetup.poll_options:
        value = request.form.get(f"option-{option.id}")
        if value:
            answers[option.id] = value
    try:
        polls.answer_poll(current_user, meetup.id, answers)
    except DomainError as error:
        show_domain_error(None, error)
    else:
        db.session.commit()
        flash(_("Dine svar på datoafstemningen er gemt."), "success")
    return redirect(url_for("meetups.detail", meetup_id=meetup_id))


@bp.route("/<int:meetup_id>/afstemning/<int:option_id>/vaelg", methods=["POST"])
@login_required
def pick_option(meetup_id: int, option_id: int):
    """Schedule the meetup at one of the poll's times (organisers)."""
    meetup = _managed_or_abort(meetup_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        polls.pick_option(current_user, meetup.id, option_id)
    except DomainError as error:
        if error.status == 404:
            abort(404)
        show_domain_error(None, error)
    else:
        db.session.commit()
        flash(_("Tidspunktet er valgt, og alle der svarede har fået besked."), "success")
    return redirect(url_for("meetups.detail", meetup_id=meetup_id))


@bp.route("/<int:meetup_id>/fjern-mig-som-medarrangoer", methods=["POST"])
@login_required
def leave_organisers(meetup_id: int):
    """A co-organiser takes themself off the meetup."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        service.leave_organisers(current_user, meetup_id)
    except DomainError as error:
        abort(error.status)
    db.session.commit()
    flash(_("Du står ikke længere som medarrangør."), "success")
    return redirect(url_for("meetups.detail", meetup_id=meetup_id))


@bp.route("/<int:meetup_id>/deltagere.csv")
@login_required
def attendees_csv(meetup_id: int):
    """The attendee list as CSV (organisers and coordinators)."""
    meetup = _managed_or_abort(meetup_id)
    # Any member may organise a meetup, so the list shows each attendee as the organiser may
    # see them: a private title or e-mail stays out, as on the profile page.
    profiles = [members.visible_profile(current_user, row.member) for row in service.attendees(meetup)]
    rows = [
        (
            profile["name"],
            profile["school"].name if profile["school"] else "",
            profile.get("title", ""),
            profile.get("email", ""),
        )
        for profile in profiles
    ]
    return csv_response(f"deltagere-{meetup.id}.csv", [_("Navn"), _("Skole"), _("Titel"), _("E-mail")], rows)


@bp.route("/<int:meetup_id>.ics")
@login_required
def ics(meetup_id: int):
    """The meetup as an .ics file."""
    meetup = _or_404(meetup_id)
    if meetup.starts_at is None:
        abort(404)
    return _ics_response(
        calendar.meetup_calendar([meetup], absolute_url("/")), f"netvaerksmoede-{meetup.id}.ics"
    )


@bp.route("/<int:meetup_id>/efter", methods=["GET", "POST"])
@login_required
def outcome(meetup_id: int):
    """After the meetup: notes, who attended, cases discussed (organisers)."""
    meetup = _managed_or_abort(meetup_id)
    form = OutcomeForm()
    people = [r for r in meetup.rsvps if r.state == "going"]
    form.attended.choices = [(r.member_id, r.member.name) for r in people]
    cases = {c.id: c for c in [*drafts.linkable_cases(), *meetup.discussed_cases]}
    form.discussed_cases.choices = [(c.id, c.title) for c in cases.values()]
    if request.method == "GET":
        form.notes.data = meetup.notes
        form.attended.data = [r.member_id for r in people if r.attended]
        form.discussed_cases.data = [c.id for c in meetup.discussed_cases]
    if form.validate_on_submit():
        try:
            service.record_outcome(
                current_user,
                meetup.id,
                notes=form.notes.data,
                attended_member_ids=form.attended.data or [],
                discussed_case_ids=form.discussed_cases.data or [],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Referat og fremmøde er gemt."), "success")
            return redirect(url_for("meetups.detail", meetup_id=meetup.id))
    return render_template("meetups/outcome.html", form=form, meetup=meetup), 422 if form.errors else 200


WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


@bp.app_template_filter("local_time")
def local_time_filter(moment: dt.datetime | None, with_day: bool = True) -> str:
    """A UTC time as Copenhagen wall-clock text, e.g. "søndag 25.10.2026 kl. 02:30"."""
    local = service.to_local(moment)
    if local is None:
        return ""
    text = f"{local:%d.%m.%Y} kl. {local:%H:%M}"
    return f"{_(WEEKDAYS[local.weekday()])} {text}" if with_day else text


@bp.app_template_filter("local_clock")
def local_clock_filter(moment: dt.datetime | None) -> str:
    local = service.to_local(moment)
    return f"{local:%H:%M}" if local else ""


@bp.app_template_filter("meetup_markdown")
def markdown_filter(text: str | None):  # noqa: ANN201
    """Members' Markdown, sanitised (network/markdown.py)."""
    from network.markdown import render_markdown

    return render_markdown(text)
