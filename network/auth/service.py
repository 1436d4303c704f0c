"""Rules for invites, sign-in, password reset and API tokens."""

import csv
import dataclasses
import datetime as dt
import functools
import hashlib
import io
import re
import secrets

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from network.audit import service as audit
from network.auth.models import ApiToken, Invite
from network.db import db, utcnow
from network.domain import ROLES
from network.errors import DomainError, NotAllowed, NotFound
from network.mail import page_url, send_mail
from network.members import service as members
from network.members.models import Member


class InvalidInvite(DomainError):
    status = 404
    default_message = _l("Invitationslinket er ugyldigt. Bed en koordinator om en ny invitation.")


class InviteExpired(DomainError):
    status = 410
    default_message = _l("Invitationen er udløbet. Bed en koordinator om at sende en ny.")


class InviteUsed(DomainError):
    status = 410
    default_message = _l("Invitationen er allerede brugt. Log ind med din e-mail og adgangskode.")


class InvalidResetLink(DomainError):
    status = 400
    default_message = _l("Linket til ny adgangskode er ugyldigt eller udløbet. Bestil et nyt.")


# --- invites -------------------------------------------------------------------------------


@dataclasses.dataclass
class InviteOutcome:
    """What happened to one address of an invite batch."""

    email: str
    status: str  # invited, resent, member, invalid
    message: str


def parse_addresses(text: str) -> list[tuple[str, str]]:
    """(email, name) pairs from a pasted list or CSV: one per line, or separated by , ; or space.

    A CSV with a header row may have the columns ``email`` and ``name`` (or ``navn``).
    """
    text = text.strip().lstrip("\ufeff")
    if not text:
        return []
    first_line = text.splitlines()[0].lower()
    if "email" in first_line or "e-mail" in first_line:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
        rows = csv.DictReader(io.StringIO(text), dialect=dialect)
        pairs = []
        for row in rows:
            lowered = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
            email = lowered.get("email") or lowered.get("e-mail") or ""
            pairs.append((email, lowered.get("name") or lowered.get("navn") or ""))
        return [p for p in pairs if p[0]]
    return [(token, "") for token in re.split(r"[\s,;]+", text) if token]


def invite_members(
    actor: Member, text: str, *, role: str = "member", school_id: int | None = None, message: str = ""
) -> list[InviteOutcome]:
    """Invite every address in a pasted list; coordinators only. Sends one mail per invite."""
    if not actor.is_coordinator:
        raise NotAllowed(_l("Kun koordinatorer kan invitere nye medlemmer."))
    if role not in ROLES or (role != "member" and not actor.is_admin):
        raise NotAllowed(_l("Kun administratorer kan invitere koordinatorer og administratorer."))
    school = members.require_school(school_id) if school_id else None
    pairs = parse_addresses(text)
    if not pairs:
        raise DomainError(_l("Skriv mindst én e-mailadresse."), field="emails")
    if len(pairs) > 500:
        raise DomainError(_l("Højst 500 adresser ad gangen."), field="emails")
    outcomes, seen = [], set()
    for raw_email, name in pairs:
        outcome = _invite_one(actor, raw_email, name, role, school, message, seen)
        outcomes.append(outcome)
    sent = [o.email for o in outcomes if o.status in ("invited", "resent")]
    if sent:
        audit.record(actor, "invite.sent", "invite", None, f"{role}: {', '.join(sent)}")
    return outcomes


def _invite_one(
    actor: Member, raw_email: str, name: str, role: str, school, message: str, seen: set[str]
) -> InviteOutcome:
    try:
        email = members.normalize_email(raw_email)
    except members.InvalidEmail:
        return InviteOutcome(raw_email, "invalid", _("Ikke en gyldig e-mailadresse."))
    if email.lower() in seen:
        return InviteOutcome(email, "invalid", _("Står flere gange på listen."))
    seen.add(email.lower())
    if members.find_member_by_email(email):
        return InviteOutcome(email, "member", _("Er allerede medlem."))
    invite = db.session.scalar(
        select(Invite).where(db.func.lower(Invite.email) == email.lower(), Invite.accepted_at.is_(None))
    )
    status = "resent" if invite else "invited"
    invite = invite or Invite(email=email)
    invite.name = name or invite.name
    invite.role, invite.school, invite.invited_by = role, school, actor
    invite.nonce = secrets.token_hex(16)
    invite.revoked_at = None
    invite.expires_at = utcnow() + dt.timedelta(days=current_app.config["INVITE_MAX_AGE_DAYS"])
    db.session.add(invite)
    db.session.flush()
    send_mail(
        email,
        _("Du er inviteret til Ledernetværket"),
        "invite",
        invite=invite,
        inviter=actor,
        personal_message=message.strip(),
        link=page_url("auth.accept_invite", token=invite_token(invite)),
    )
    text = _("Invitation sendt igen.") if status == "resent" else _("Invitation sendt.")
    return InviteOutcome(email, status, text)


def _invite_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="invite")


def invite_token(invite: Invite) -> str:
    """The signed token in an invite link."""
    return _invite_serializer().dumps({"id": invite.id, "nonce": invite.nonce})


def invite_from_token(token: str) -> Invite:
    """The pending invite a link points to, or an error that says why it cannot be used."""
    try:
        data = _invite_serializer().loads(token)
        invite = db.session.get(Invite, int(data["id"]))
        nonce = str(data["nonce"])
    except (BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidInvite() from error
    if invite is None or not secrets.compare_digest(invite.nonce, nonce) or invite.revoked_at:
        raise InvalidInvite()
    if invite.accepted_at:
        raise InviteUsed()
    if invite.expires_at <= utcnow():
        raise InviteExpired()
    return invite


def accept_invite(token: str, *, name: str, password: str, school_id: int | None, title: str = "") -> Member:
    """Turn a pending invite into a member with a password; the link then stops working."""
    invite = invite_from_token(token)
    if members.find_member_by_email(invite.email):
        raise InviteUsed()
    member = members.create_member(
        email=invite.email, name=name, school_id=school_id, role=invite.role, title=title
    )
    members.set_password(member, password)
    invite.accepted_at = utcnow()
    invite.member_id = member.id
    db.session.flush()
    return member


def revoke_invite(actor: Member, invite_id: int) -> Invite:
    """Withdraw a pending invite; coordinators only."""
    if not actor.is_coordinator:
        raise NotAllowed()
    invite = db.session.get(Invite, invite_id)
    if invite is None:
        raise NotFound()
    if invite.accepted_at is None:
        invite.revoked_at = utcnow()
        db.session.flush()
        audit.record(actor, "invite.revoked", "invite", invite.id, invite.email)
    return invite


def list_invites(actor: Member) -> list[Invite]:
    """Recent invites, newest first; coordinators only."""
    if not actor.is_coordinator:
        raise NotAllowed()
    return list(db.session.scalars(select(Invite).order_by(Invite.created_at.desc()).limit(200)))


# --- sign-in and password reset ------------------------------------------------------------


def authenticate(email: str, password: str) -> Member | None:
    """The member with these credentials, or None.

    Unknown addresses take as long as known ones. After LOCKOUT_THRESHOLD wrong passwords in a
    row the account locks and its owner gets a mail with an unlock link; a locked account
    answers like a wrong password, so a stranger learns nothing about which addresses exist.
    """
    member = members.find_member_by_email(email)
    if member is None or not member.is_active_member:
        members.check_password(Member(password_hash=_dummy_hash()), password)
        return None
    if member.locked_at is not None:
        members.check_password(member, password)
        return None
    if members.check_password(member, password):
        member.failed_login_count = 0
        return member
    member.failed_login_count += 1
    if member.failed_login_count >= current_app.config["LOCKOUT_THRESHOLD"]:
        _lock(member)
    return None


@functools.cache
def _dummy_hash_for(method: str) -> str:
    return generate_password_hash(secrets.token_hex(16), method=method)


def _dummy_hash() -> str:
    # The same hashing method (and so the same cost) as real passwords.
    return _dummy_hash_for(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def _unlock_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="unlock")


def _lock(member: Member) -> None:
    member.locked_at = utcnow()
    token = _unlock_serializer().dumps({"id": member.id, "at": member.locked_at.isoformat()})
    send_mail(
        member.email,
        _("Din konto på Ledernetværket er låst"),
        "account_locked",
        member=member,
        link=page_url("auth.unlock", token=token),
    )
    audit.record(None, "member.locked", "member", member.id, "too many failed sign-ins")


def unlock(token: str) -> Member:
    """Unlock an account from the mailed link (valid for a week, for this lock only)."""
    try:
        data = _unlock_serializer().loads(token, max_age=7 * 24 * 3600)
        member = db.session.get(Member, int(data["id"]))
        locked_at = str(data["at"])
    except (SignatureExpired, BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidResetLink(_l("Linket er ugyldigt eller udløbet. Brug 'Glemt adgangskode'.")) from error
    if member is None or member.locked_at is None or member.locked_at.isoformat() != locked_at:
        raise InvalidResetLink(_l("Linket er allerede brugt, eller kontoen er ikke låst."))
    _clear_lock(member)
    return member


def _clear_lock(member: Member) -> None:
    member.locked_at = None
    member.failed_login_count = 0


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _password_fingerprint(member: Member) -> str:
    # Part of the current hash: once the password changes, the link no longer matches.
    return hashlib.sha256(member.password_hash.encode()).hexdigest()[:16]


def request_password_reset(email: str) -> None:
    """Mail a reset link when the address belongs to a member; silent otherwise."""
    member = members.find_member_by_email(email)
    if member is None or not member.is_active_member:
        current_app.logger.info("password reset asked for an unknown address")
        return
    token = _reset_serializer().dumps({"id": member.id, "fp": _password_fingerprint(member)})
    send_mail(
        member.email,
        _("Ny adgangskode til Ledernetværket"),
        "password_reset",
        member=member,
        link=page_url("auth.reset_password", token=token),
        minutes=current_app.config["PASSWORD_RESET_MAX_AGE_MINUTES"],
    )


def member_from_reset_token(token: str) -> Member:
    """The member a reset link belongs to, or InvalidResetLink (expired, used or forged)."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE_MINUTES"] * 60
    try:
        data = _reset_serializer().loads(token, max_age=max_age)
        member = db.session.get(Member, int(data["id"]))
        fingerprint = str(data["fp"])
    except (SignatureExpired, BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidResetLink() from error
    if member is None or not secrets.compare_digest(_password_fingerprint(member), fingerprint):
        raise InvalidResetLink()
    return member


def reset_password(token: str, password: str) -> Member:
    """Set a new password from a reset link; the link works once and unlocks the account."""
    member = member_from_reset_token(token)
    members.set_password(member, password)
    revoke_all_api_tokens(member)
    _clear_lock(member)
    db.session.flush()
    return member


def change_password(member: Member, current: str, new: str) -> None:
    """Change one's own password; every session, open socket and API token ends."""
    if not members.check_password(member, current):
        raise DomainError(_l("Den nuværende adgangskode er forkert."), field="current_password")
    members.set_password(member, new)
    revoke_all_api_tokens(member)
    db.session.flush()


def sign_out(member: Member) -> None:
    """Sign-out ends the session for good: a copied session or remember-me cookie stops working.

    The token is the member's, so their other devices and open sockets are signed out too.
    """
    members.rotate_session_token(member)
    db.session.flush()


def end_all_sessions(member: Member) -> int:
    """Sign out everywhere: every session, remember-me cookie and open socket, and every API token.

    Returns how many API tokens were revoked.
    """
    members.rotate_session_token(member)
    revoked = revoke_all_api_tokens(member)
    db.session.flush()
    return revoked


# --- API tokens ----------------------------------------------------------------------------


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(member: Member, name: str) -> tuple[ApiToken, str]:
    """Make a token; the plain value is returned once and never stored."""
    name = name.strip()[:80] or _("API-nøgle")
    plain = "lnv_" + secrets.token_urlsafe(32)
    token = ApiToken(member=member, name=name, token_hash=_hash_token(plain), prefix=plain[:10])
    db.session.add(token)
    db.session.flush()
    return token, plain


def member_for_api_token(plain: str) -> Member | None:
    """The member a bearer token belongs to, or None when unknown or revoked."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(plain)))
    if token is None or token.revoked_at or not token.member.is_active_member:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        token.last_used_at = now
    return token.member


def list_api_tokens(member: Member) -> list[ApiToken]:
    """The member's live tokens, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.member_id == member.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc())
        )
    )


def revoke_api_token(member: Member, token_id: int) -> None:
    """Revoke one of one's own tokens."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.member_id != member.id:
        raise NotFound()
    token.revoked_at = utcnow()
    db.session.flush()


def revoke_all_api_tokens(member: Member) -> int:
    """Revoke every live API token of the member (at a password change, or "log ud overalt")."""
    tokens = list_api_tokens(member)
    now = utcnow()
    for token in tokens:
        token.revoked_at = now
    db.session.flush()
    return len(tokens)


def api_token_fingerprint(plain: str) -> str:
    """What an open socket keeps of the token it signed in with, to check it again later."""
    return _hash_token(plain)


def still_signed_in(member: Member, *, session_token: str | None, token_fingerprint: str | None) -> bool:
    """Whether the credential a socket connected with still holds (sign-out and password changes end it)."""
    if not member.is_active_member:
        return False
    if token_fingerprint is not None:
        token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_fingerprint))
        return token is not None and token.member_id == member.id and token.revoked_at is None
    return session_token is not None and secrets.compare_digest(member.session_token, session_token)


def load_member_from_session(session_id: str) -> Member | None:
    """Flask-Login's user loader: ``id:session_token``, so a rotated token signs out."""
    member_id, _sep, token = session_id.partition(":")
    try:
        member = db.session.get(Member, int(member_id))
    except ValueError:
        return None
    if member is None or not member.is_active_member or not token:
        return None
    return member if secrets.compare_digest(member.session_token, token) else None
