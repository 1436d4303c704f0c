"""Pages for joining, signing in and out, passwords and API tokens."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from network.auth import service
from network.auth.forms import (
    AcceptInviteForm,
    ApiTokenForm,
    ChangePasswordForm,
    ConfirmForm,
    InviteForm,
    LoginForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from network.auth.throttle import throttle_sign_in
from network.db import db
from network.errors import DomainError
from network.extensions import limiter
from network.members.forms import school_choices
from network.web import coordinator_required, safe_next, show_domain_error

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _start_session(member, remember: bool = False) -> None:  # noqa: ANN001
    # A fresh session at sign-in: nothing from before (a planted session id) carries over.
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    login_user(member, remember=remember)


@bp.route("/log-ind", methods=["GET", "POST"])
@throttle_sign_in
def login():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        member = service.authenticate(form.email.data, form.password.data)
        db.session.commit()  # failed attempts count, even when the answer is "no"
        if member is None:
            form.password.errors.append(_("Forkert e-mail eller adgangskode."))
        else:
            _start_session(member, remember=form.remember.data)
            db.session.commit()
            return redirect(safe_next(url_for("main.index")))
    status = 401 if form.is_submitted() and (form.errors or form.password.errors) else 200
    demo = current_app.config["SHOW_DEMO_LOGINS"]
    return render_template("auth/login.html", form=form, show_demo_logins=demo), status


@bp.route("/laas-op/<token>")
def unlock(token: str):
    """Unlock an account from the link mailed when it locked."""
    try:
        service.unlock(token)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(
            _("Din konto er låst op. Log ind igen – og vælg 'Glemt adgangskode', hvis du er i tvivl."),
            "success",
        )
    return redirect(url_for("auth.login"))


@bp.route("/log-ud", methods=["POST"])
def logout():
    """Sign out and forget the session."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if current_user.is_authenticated:
        # A copied session or remember-me cookie must not outlive the sign-out.
        service.sign_out(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("Du er logget ud."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/konto/log-ud-overalt", methods=["POST"])
@login_required
def end_all_sessions():
    """Sign out on every device and revoke every API token."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    revoked = service.end_all_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(
        ngettext(
            "Du er logget ud overalt, og %(num)d API-nøgle er tilbagekaldt.",
            "Du er logget ud overalt, og %(num)d API-nøgler er tilbagekaldt.",
            revoked,
        ),
        "info",
    )
    return redirect(url_for("auth.login"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def accept_invite(token: str):
    """Join the network from an invite link: name, school and password."""
    if current_user.is_authenticated:
        flash(_("Du er allerede logget ind. Log ud først, hvis linket er til en anden."), "info")
        return redirect(url_for("main.index"))
    try:
        invite = service.invite_from_token(token)
    except DomainError as error:
        return render_template("auth/invite_invalid.html", message=error.message), error.status
    form = AcceptInviteForm()
    form.school_id.choices = school_choices(_("Vælg skole …"))
    if request.method == "GET":
        form.name.data = invite.name
        form.school_id.data = invite.school_id or 0
    if form.validate_on_submit():
        try:
            member = service.accept_invite(
                token,
                name=form.name.data,
                password=form.password.data,
                school_id=form.school_id.data,
                title=form.title.data or "",
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            _start_session(member)
            flash(_("Velkommen til Ledernetværket! Fortæl de andre lidt om dig selv."), "success")
            return redirect(url_for("members.edit_profile"))
    status = 422 if form.errors else 200
    return render_template("auth/accept_invite.html", form=form, invite=invite), status


@bp.route("/glemt-adgangskode", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():
    """Ask for a password reset link by email."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        service.request_password_reset(form.email.data)
        db.session.commit()
        flash(_("Hvis adressen hører til et medlem, har vi sendt et link til en ny adgangskode."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form), 422 if form.errors else 200


@bp.route("/ny-adgangskode/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from an emailed link."""
    try:
        service.member_from_reset_token(token)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            member = service.reset_password(token, form.password.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            _start_session(member)
            flash(_("Din adgangskode er skiftet."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/reset_password.html", form=form), 422 if form.errors else 200


@bp.route("/konto", methods=["GET", "POST"])
@login_required
def account():
    """Change one's password and manage API tokens."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            service.change_password(current_user, form.current_password.data, form.password.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            _start_session(current_user._get_current_object())
            flash(_("Din adgangskode er skiftet. Du er logget ud på dine andre enheder."), "success")
            return redirect(url_for("auth.account"))
    return _account_page(form, ApiTokenForm(formdata=None))


def _account_page(password_form, token_form, new_token: str | None = None):  # noqa: ANN001, ANN202
    tokens = service.list_api_tokens(current_user)
    status = 422 if password_form.errors or token_form.errors else 200
    return render_template(
        "auth/account.html",
        form=password_form,
        token_form=token_form,
        tokens=tokens,
        new_token=new_token,
        confirm_form=ConfirmForm(),
    ), status


@bp.route("/konto/api-noegler", methods=["POST"])
@login_required
def create_token():
    """Make a personal API token; it is shown once."""
    form = ApiTokenForm()
    if not form.validate_on_submit():
        return _account_page(ChangePasswordForm(formdata=None), form)
    _token, plain = service.create_api_token(current_user, form.name.data)
    db.session.commit()
    flash(_("Din nye API-nøgle vises kun denne ene gang. Gem den et sikkert sted."), "success")
    return _account_page(ChangePasswordForm(formdata=None), ApiTokenForm(formdata=None), new_token=plain)


@bp.route("/konto/api-noegler/<int:token_id>/tilbagekald", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    """Revoke one of one's API tokens."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.revoke_api_token(current_user, token_id)
    except DomainError as error:
        abort(error.status)
    db.session.commit()
    flash(_("API-nøglen er tilbagekaldt."), "info")
    return redirect(url_for("auth.account"))


@bp.route("/invitationer", methods=["GET", "POST"])
@coordinator_required
def invites():
    """Invite new members by email (coordinators)."""
    form = InviteForm()
    form.school_id.choices = school_choices(_("Ingen forslag"))
    outcomes = None
    if form.validate_on_submit():
        try:
            outcomes = service.invite_members(
                current_user,
                form.emails.data,
                role=form.role.data,
                school_id=form.school_id.data or None,
                message=form.message.data or "",
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            sent = sum(o.status in ("invited", "resent") for o in outcomes)
            flash(
                ngettext("%(num)d invitation sendt.", "%(num)d invitationer sendt.", sent),
                "success" if sent else "info",
            )
            if all(o.status in ("invited", "resent") for o in outcomes):
                return redirect(url_for("auth.invites"))
    status = 422 if form.errors else 200
    return render_template(
        "auth/invites.html",
        form=form,
        outcomes=outcomes,
        invites=service.list_invites(current_user),
        confirm_form=ConfirmForm(),
    ), status


@bp.route("/invitationer/<int:invite_id>/tilbagekald", methods=["POST"])
@coordinator_required
def revoke_invite(invite_id: int):
    """Withdraw a pending invite (coordinators)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.revoke_invite(current_user, invite_id)
    except DomainError as error:
        abort(error.status)
    db.session.commit()
    flash(_("Invitationen er trukket tilbage."), "info")
    return redirect(url_for("auth.invites"))
