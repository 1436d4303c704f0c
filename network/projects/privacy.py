"""What the AL project archive holds about a member, for "Mine data" and account deletion.

A project is shared work: leaving the network takes the member off its leaders. With "remove",
projects that only they led (and made) go too. Report files the member uploaded always go: a PDF
cannot be reliably stripped of the names in it.
"""

from sqlalchemy import select

from network.db import db
from network.members.models import Member
from network.privacy.registry import Export, eraser, exporter
from network.projects.attachments import attachment_path
from network.projects.files import delete_after_commit
from network.projects.models import ALProject, ProjectAttachment, project_leaders
from network.search import outbox


def _projects_of(member: Member) -> list[ALProject]:
    led = select(project_leaders.c.project_id).where(project_leaders.c.member_id == member.id)
    return list(
        db.session.scalars(
            select(ALProject).where((ALProject.id.in_(led)) | (ALProject.created_by_id == member.id))
        )
    )


@exporter("projects")
def export_projects(member: Member) -> Export:
    projects = _projects_of(member)
    files = {}
    for project in projects:
        for attachment in project.attachments:
            if attachment.uploaded_by_id == member.id:
                files[f"{project.id}-{attachment.filename}"] = attachment_path(attachment)
    return Export(
        [
            {
                "id": p.id,
                "title": p.title,
                "status": p.status,
                "problem": p.problem,
                "actions": p.actions,
                "experiments": p.experiments,
                "reflection": p.reflection,
                "new_actions": p.new_actions,
                "results": p.results,
                "leaders": [m.name for m in p.leaders],
                "reports": [a.filename for a in p.attachments],
            }
            for p in projects
        ],
        files,
    )


@eraser("projects")
def erase_projects(member: Member, mode: str) -> None:
    for project in _projects_of(member):
        others = [m for m in project.leaders if m.id != member.id]
        outbox.enqueue("project", project.id)
        if mode == "remove" and not others:
            for attachment in project.attachments:
                delete_after_commit(attachment_path(attachment))
            db.session.delete(project)
            continue
        project.leaders = others
        if project.created_by_id == member.id:
            project.created_by_id = None
    for attachment in db.session.scalars(
        select(ProjectAttachment).where(ProjectAttachment.uploaded_by_id == member.id)
    ):
        delete_after_commit(attachment_path(attachment))
        outbox.enqueue("project", attachment.project_id)
        db.session.delete(attachment)
