"""What mail holds about a member, and how it is forgotten when the account is deleted.

- Mails *to* the member: queued ones are dropped; written .eml files are deleted.
- Mails to others that *mention* the member (a notification "Anna Holm nævnte dig", an invite they
  sent): their e-mail and full name are replaced as in every other text that stays
  (``registry.replacements_for``), in the queued rows and in the .eml files, subject and both parts.

What cannot be reached is said in docs/security.md: mails already delivered over SMTP.
"""

import datetime as dt
import html
import os
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, or_, select

from network.db import db
from network.mail.models import OutgoingMail
from network.members.models import Member
from network.privacy.registry import eraser, replacements_for
from network.reminders import each_item, retention_job

Replacements = list[tuple[str, str]]


@eraser("mail")
def erase_mail(member: Member, mode: str) -> None:
    """Drop mail queued for the member; scrub them from queued and written mails to others."""
    replacements = replacements_for(member)
    to_member = func.lower(OutgoingMail.to_address) == member.email.lower()
    db.session.execute(delete(OutgoingMail).where(to_member))
    mentions = or_(
        *(
            column.contains(needle, autoescape=True)
            for column in (OutgoingMail.subject, OutgoingMail.text_body, OutgoingMail.html_body)
            for needle, _replacement in _variants(replacements)
        )
    )
    for mail in db.session.scalars(select(OutgoingMail).where(mentions)):
        mail.subject = _scrub(mail.subject, replacements)
        mail.text_body = _scrub(mail.text_body, replacements)
        mail.html_body = _scrub(mail.html_body, replacements)
    scrub_mail_files(Path(current_app.config["MAIL_DIR"]), member.email, replacements)


def _variants(replacements: Replacements) -> Replacements:
    # In an HTML part a name may stand escaped ("O&#39;Brien"); the replacement is escaped alike.
    escaped = [(html.escape(needle), html.escape(new)) for needle, new in replacements]
    return [*replacements, *(pair for pair in escaped if pair not in replacements)]


def _scrub(text: str, replacements: Replacements) -> str:
    for needle, replacement in _variants(replacements):
        text = text.replace(needle, replacement)
    return text


def scrub_mail_files(folder: Path, email: str, replacements: Replacements) -> int:
    """Delete .eml files to `email`; rewrite the others that mention the member. Returns files touched."""
    if not folder.exists():
        return 0
    parser = BytesParser(policy=policy.default)
    touched = 0
    for path in sorted(folder.glob("*.eml")):
        message = parser.parsebytes(path.read_bytes())
        recipients = " ".join(str(message.get(header, "")) for header in ("To", "Cc", "Bcc")).lower()
        if email.lower() in recipients:
            path.unlink(missing_ok=True)
            touched += 1
        elif _scrub_message(message, replacements):
            _rewrite(path, message)
            touched += 1
    return touched


def _scrub_message(message: EmailMessage, replacements: Replacements) -> bool:
    changed = False
    subject = str(message.get("Subject", ""))
    if _scrub(subject, replacements) != subject:
        message.replace_header("Subject", _scrub(subject, replacements))
        changed = True
    for part in message.walk():
        if part.get_content_maintype() != "text":
            continue
        content = part.get_content()
        scrubbed = _scrub(content, replacements)
        if scrubbed != content:
            part.set_content(scrubbed, subtype=part.get_content_subtype())
            changed = True
    return changed


def _rewrite(path: Path, message: EmailMessage) -> None:
    stat = path.stat()
    partial = path.with_suffix(".partial")
    partial.write_bytes(bytes(message))
    partial.replace(path)
    # The file keeps its date, so the retention clock (MAIL_FILE_RETENTION_DAYS) is not reset.
    os.utime(path, (stat.st_atime, stat.st_mtime))


@retention_job
def purge_old_mail_files(now: dt.datetime) -> str:
    """Delete written mail files older than MAIL_FILE_RETENTION_DAYS, one file at a time."""
    days = current_app.config["MAIL_FILE_RETENTION_DAYS"]
    folder = Path(current_app.config["MAIL_DIR"])
    if not days or not folder.exists():
        return "E-mailfiler: intet at slette."
    cutoff = (now - dt.timedelta(days=days)).timestamp()

    def remove_if_old(path: Path) -> bool:
        if path.stat().st_mtime >= cutoff:
            return False
        path.unlink(missing_ok=True)
        return True

    tally = each_item(sorted(folder.glob("*.eml")), remove_if_old, what="mail file")
    return tally.report(f"E-mailfiler: {{done}} slettet (ældre end {days} dage).")
