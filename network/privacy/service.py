"""Export everything about a member and delete an account, through every feature's handlers."""

from __future__ import annotations

import io
import json
import typing as t
import zipfile
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, Text, func, or_, select, update

from network.audit import service as audit
from network.db import db, utcnow
from network.errors import DomainError
from network.members import service as members
from network.privacy.registry import ERASERS, EXPORTERS, replacements_for
from network.search import outbox
from network.search.documents import kind_of_table

if t.TYPE_CHECKING:
    from network.members.models import Member

DELETE_MODES = ("remove", "anonymise")


class WrongPassword(DomainError):
    default_message = _l("Adgangskoden er forkert.")


def export_member(member: Member) -> bytes:
    """A zip with data.json (every feature's data about the member) and their files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        data = {"exported_at": utcnow().isoformat(), "member_id": member.id}
        for name, exporter in sorted(EXPORTERS.items()):
            export = exporter(member)
            data[name] = export.data
            for filename, path in export.files.items():
                if Path(path).is_file():
                    archive.write(path, f"files/{name}/{filename}")
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
        archive.writestr(
            "LÆS MIG.txt",
            str(
                _l(
                    "Her er alt, Ledernetværket har gemt om dig: data.json med dine oplysninger og indhold, "
                    "og mappen files med dine filer."
                )
            ),
        )
    return buffer.getvalue()


def delete_account(member: Member, *, password: str, mode: str) -> None:
    """Delete the member for good; their content goes (remove) or stays as "Tidligere medlem".

    Every feature's eraser runs in this one transaction, then the member row goes.
    """
    if not members.check_password(member, password):
        raise WrongPassword(field="password")
    if mode not in DELETE_MODES:
        raise DomainError(_l("Vælg, hvad der skal ske med dit indhold."), field="mode")
    if member.is_admin and members.admin_count() <= 1:
        raise DomainError(_l("Du er den eneste administrator. Giv en anden rollen først."))
    member_id = member.id
    for _name, erase in sorted(ERASERS.items()):
        erase(member, mode)
    _scrub_name_everywhere(member)
    db.session.delete(member)
    db.session.flush()
    audit.record(None, "member.deleted", "member", member_id, mode)


def _scrub_name_everywhere(member: Member) -> None:
    """Replace the member's full name and e-mail in every text that stays (theirs or others')."""
    replacements = replacements_for(member)
    for table in db.metadata.sorted_tables:
        if table.name in ("members", "schools", "invites"):
            continue  # other people's own records are never rewritten
        columns = [c for c in table.columns if isinstance(c.type, (String, Text)) and not c.primary_key]
        if not columns:
            continue
        mentions = or_(*(c.contains(needle, autoescape=True) for c in columns for needle, _ in replacements))
        kind = kind_of_table(table.name)  # a searchable row that mentioned the member is re-indexed
        if kind:
            for object_id in db.session.scalars(select(table.c.id).where(mentions)):
                outbox.enqueue(kind, object_id)
        for column in columns:
            for needle, replacement in replacements:
                db.session.execute(
                    update(table)
                    .where(column.contains(needle, autoescape=True))
                    .values({column.name: func.replace(column, needle, replacement)})
                )
    db.session.expire_all()
