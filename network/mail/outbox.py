"""The mail outbox: queue a mail in the caller's transaction; deliver due mails one claim at a time.

Mail leaves the request: ``send_mail`` only adds a row, committed (or rolled back) with the change
that caused it. A worker then claims one due row at a time and sends it:

- a claim is an UPDATE guarded by "not claimed, or the claim ran out", after a
  ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two processes never hold the same row;
- a sent mail's row is deleted at once; a failed one is retried with exponential backoff
  (``MAIL_RETRY_SECONDS`` doubling up to an hour) until ``MAIL_GIVE_UP_HOURS``;
- a worker that dies leaves its claim to run out (``CLAIM_SECONDS``), and the next one sends it.

The one window left is a crash after the mail server accepted a mail and before its row was
deleted: that mail is sent again. Every other failure sends each mail once.
"""

import datetime as dt
import logging
import random
import smtplib
import socket
import uuid

from flask import current_app
from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from network.db import db, utcnow
from network.mail.models import OutgoingMail
from network.mail.transport import PermanentFailure, TemporaryFailure, Transport, open_transport

log = logging.getLogger(__name__)

QUEUED = "mail_outbox_queued"  # session.info flag: this transaction queued mail
MAX_BACKOFF = dt.timedelta(hours=1)


def queue(mail: OutgoingMail) -> OutgoingMail:
    """Add a rendered mail to the outbox, inside the caller's transaction."""
    mail.next_attempt_at = utcnow()
    db.session.add(mail)
    db.session.info[QUEUED] = True
    return mail


def claim_next(worker_id: str, now: dt.datetime | None = None) -> OutgoingMail | None:
    """Claim the oldest due mail for this worker (committed), or None when nothing is due."""
    now = now or utcnow()
    claimable = or_(OutgoingMail.claimed_until.is_(None), OutgoingMail.claimed_until < now)
    while True:
        candidate = db.session.scalar(
            select(OutgoingMail.id)
            .where(OutgoingMail.given_up_at.is_(None), OutgoingMail.next_attempt_at <= now, claimable)
            .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id)
            .limit(1)
            .with_for_update(skip_locked=True)  # PostgreSQL; SQLite has one writer at a time anyway
        )
        if candidate is None:
            db.session.commit()
            return None
        until = now + dt.timedelta(seconds=claim_seconds())
        won = db.session.execute(
            update(OutgoingMail)
            .where(OutgoingMail.id == candidate, claimable)
            .values(claimed_by=worker_id, claimed_until=until)
        ).rowcount
        db.session.commit()
        if won:
            return db.session.get(OutgoingMail, candidate)
        # Another process claimed it between our read and our write: look for the next one.


def claim_seconds() -> int:
    """How long a claim lasts: long enough to connect and send, even to a slow server."""
    return 4 * int(current_app.config["MAIL_TIMEOUT_SECONDS"]) + 60


def deliver_due(worker_id: str | None = None, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Send due mails over one connection until none is due or the mail server fails; returns how many.

    When the server cannot be reached the round ends: the mails left wait for the next round.
    """
    worker_id = worker_id or f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"
    sent = 0
    transport: Transport | None = None
    try:
        while sent < limit:
            mail = claim_next(worker_id, now)
            if mail is None:
                break
            try:
                if transport is None:
                    transport = open_transport(current_app.config)
                transport.send(mail)
            except PermanentFailure as error:
                _give_up(mail, worker_id, str(error))
                continue
            except TemporaryFailure as error:
                _retry_later(mail, worker_id, error, now)
                continue
            except (OSError, smtplib.SMTPException) as error:
                # The server is away or failing: every mail due now waits as long as this one.
                retry_at = _retry_later(mail, worker_id, error, now)
                _hold_due_mails(retry_at, error, now)
                break
            _done(mail, worker_id)
            sent += 1
    finally:
        if transport is not None:
            transport.close()
    return sent


def _done(mail: OutgoingMail, worker_id: str) -> None:
    db.session.execute(
        delete(OutgoingMail).where(OutgoingMail.id == mail.id, OutgoingMail.claimed_by == worker_id)
    )
    db.session.commit()
    log.info("mail %s to %s sent", mail.message_id, mail.to_address)


def _retry_later(
    mail: OutgoingMail, worker_id: str, error: Exception, now: dt.datetime | None
) -> dt.datetime:
    """Release the claim and set the next attempt (exponential backoff); give up when it is too late."""
    now = now or utcnow()
    attempts = mail.attempts + 1
    delay = min(
        dt.timedelta(seconds=current_app.config["MAIL_RETRY_SECONDS"] * 2 ** (attempts - 1)), MAX_BACKOFF
    )
    delay *= random.uniform(0.8, 1.2)  # spread retries of many mails and processes apart
    values: dict = {
        "attempts": attempts,
        "next_attempt_at": now + delay,
        "claimed_by": "",
        "claimed_until": None,
        "last_error": f"{type(error).__name__}: {error}"[:2000],
    }
    if now - mail.created_at > dt.timedelta(hours=current_app.config["MAIL_GIVE_UP_HOURS"]):
        values["given_up_at"] = now
        log.error(
            "mail %s to %s given up after %d attempts: %s", mail.message_id, mail.to_address, attempts, error
        )
    else:
        log.warning(
            "mail %s to %s not sent (attempt %d), retry in %s: %s",
            mail.message_id,
            mail.to_address,
            attempts,
            delay,
            error,
        )
    db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == mail.id, OutgoingMail.claimed_by == worker_id)
        .values(values)
    )
    db.session.commit()
    return values["next_attempt_at"]


def _hold_due_mails(retry_at: dt.datetime, error: Exception, now: dt.datetime | None) -> None:
    """The server cannot be reached: the other due mails count an attempt and wait until ``retry_at``."""
    now = now or utcnow()
    free = or_(OutgoingMail.claimed_until.is_(None), OutgoingMail.claimed_until < now)
    db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.given_up_at.is_(None), OutgoingMail.next_attempt_at <= now, free)
        .values(
            attempts=OutgoingMail.attempts + 1,
            next_attempt_at=retry_at,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
    )
    db.session.commit()


def _give_up(mail: OutgoingMail, worker_id: str, reason: str) -> None:
    log.error(
        "mail %s to %s refused by the mail server, not retried: %s", mail.message_id, mail.to_address, reason
    )
    db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == mail.id, OutgoingMail.claimed_by == worker_id)
        .values(
            attempts=mail.attempts + 1,
            given_up_at=utcnow(),
            claimed_by="",
            claimed_until=None,
            last_error=reason[:2000],
        )
    )
    db.session.commit()


def next_due_in(now: dt.datetime | None = None) -> float | None:
    """Seconds until a mail may next be claimed (0: one is due now), or None when none waits."""
    now = now or utcnow()
    waiting = OutgoingMail.given_up_at.is_(None)
    free = or_(OutgoingMail.claimed_until.is_(None), OutgoingMail.claimed_until < now)
    next_free = db.session.scalar(select(func.min(OutgoingMail.next_attempt_at)).where(waiting, free))
    # A claim held elsewhere ends at claimed_until at the latest (sent, released, or run out).
    next_claimed = db.session.scalar(select(func.min(OutgoingMail.claimed_until)).where(waiting, ~free))
    db.session.commit()
    times = [t for t in (next_free, next_claimed) if t is not None]
    if not times:
        return None
    return max(0.0, (min(times) - now).total_seconds())


def status() -> dict[str, int]:
    """How many mails wait, how many are being retried, and how many were given up."""
    given_up = OutgoingMail.given_up_at.is_not(None)
    retrying = and_(OutgoingMail.given_up_at.is_(None), OutgoingMail.attempts > 0)
    waiting = and_(OutgoingMail.given_up_at.is_(None), OutgoingMail.attempts == 0)
    counts = db.session.execute(
        select(*(func.coalesce(func.sum(case((c, 1), else_=0)), 0) for c in (waiting, retrying, given_up)))
    ).one()
    return dict(zip(("waiting", "retrying", "given_up"), (int(n) for n in counts), strict=True))


def retry_given_up() -> int:
    """Queue the given-up mails again (after the operator fixed the cause); returns how many."""
    result = db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.given_up_at.is_not(None))
        .values(given_up_at=None, attempts=0, next_attempt_at=utcnow(), last_error="")
    )
    db.session.commit()
    return result.rowcount or 0


def forget_queued(session: Session) -> None:
    """Drop the 'queued' flag (after a rollback nothing was queued)."""
    session.info.pop(QUEUED, None)
