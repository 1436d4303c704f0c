"""Reports attached to projects: checked from their bytes, stored under random names, text extracted."""

import re
import secrets
import unicodedata
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from network.db import db
from network.errors import DomainError, NotAllowed, NotFound
from network.members.models import Member
from network.projects import files
from network.projects.extract import detect_kind, extract_text
from network.projects.models import ALProject, ProjectAttachment
from network.projects.service import can_edit
from network.search.outbox import enqueue

EXTRACTION_MESSAGES = {
    "ok": "",
    "empty": _l("Der er ingen tekst i filen, så den kan ikke findes via søgningen."),
    "encrypted": _l("Filen er krypteret eller beskyttet med adgangskode, så teksten kan ikke søges i."),
    "failed": _l("Teksten i filen kunne ikke læses (filen er måske beskadiget), så den kan ikke søges i."),
}


class InvalidAttachment(DomainError):
    default_message = _l("Filen kunne ikke gemmes.")


def safe_filename(name: str) -> str:
    """The uploader's file name without folders or odd characters (Danish letters kept)."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r"[^\w.\- ]+", "_", name).strip(" ._") or "rapport"
    return name[:120]


def add_attachment(editor: Member, project: ALProject, filename: str, data: bytes) -> ProjectAttachment:
    """Attach a PDF, DOCX, TXT or Markdown report; the text is extracted within a time and memory bound."""
    if not can_edit(editor, project):
        raise NotAllowed()
    limit = current_app.config["ATTACHMENT_MAX_BYTES"]
    if not data:
        raise InvalidAttachment(_l("Filen er tom."), field="file")
    if len(data) > limit:
        raise InvalidAttachment(
            _l("Filen er for stor: højst %(mb)d MB.", mb=limit // (1024 * 1024)), field="file"
        )
    kind = detect_kind(data, filename)
    if kind is None:
        raise InvalidAttachment(
            _l("Filen kan ikke bruges: vi tager imod PDF, Word (DOCX), tekst og Markdown."), field="file"
        )
    stored_name = secrets.token_hex(16)
    part = files.write_pending(stored_name, data)  # its real name only once the row is committed
    state, text = extract_text(
        kind,
        str(part),
        timeout=current_app.config["EXTRACTION_TIMEOUT_SECONDS"],
        memory_bytes=current_app.config["EXTRACTION_MEMORY_BYTES"],
    )
    attachment = ProjectAttachment(
        project_id=project.id,
        uploaded_by_id=editor.id,
        filename=safe_filename(filename or f"rapport.{kind}"),
        stored_name=stored_name,
        kind=kind,
        size=len(data),
        text=text if state == "ok" else "",
        extraction=state,
    )
    project.attachments.append(attachment)
    db.session.flush()
    enqueue("project", project.id)
    return attachment


def get_attachment(project: ALProject, attachment_id: int) -> ProjectAttachment:
    attachment = db.session.get(ProjectAttachment, attachment_id)
    if attachment is None or attachment.project_id != project.id:
        raise NotFound()
    return attachment


def attachment_path(attachment: ProjectAttachment) -> Path:
    return files.folder() / attachment.stored_name


def delete_attachment(editor: Member, project: ALProject, attachment: ProjectAttachment) -> None:
    """Remove a report; its file goes when the change is committed."""
    if not can_edit(editor, project):
        raise NotAllowed()
    files.delete_after_commit(attachment_path(attachment))
    project.attachments.remove(attachment)
    db.session.flush()
    enqueue("project", project.id)
