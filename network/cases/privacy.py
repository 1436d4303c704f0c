"""What the cases feature holds about a member, for "Mine data" and account deletion."""

from sqlalchemy import delete, select, update

from network.cases.models import Case, CaseSessionOutcome, Flag, Reply
from network.cases.social import withdraw_case_notifications
from network.db import db
from network.members.models import Member
from network.notifications.models import Notification
from network.privacy.registry import Export, eraser, exporter
from network.search import outbox


def _case_data(case: Case) -> dict:
    return {
        "id": case.id,
        "title": case.title,
        "problem": case.problem,
        "context": case.context,
        "tried": case.tried,
        "question": case.question,
        "visibility": case.visibility,
        "status": case.status,
        "learning_summary": case.learning_summary,
        "tools": list(case.tools),
        "focus_areas": list(case.focus_areas),
        "tags": list(case.tags),
        "created_at": case.created_at.isoformat(),
        "published_at": case.published_at.isoformat() if case.published_at else None,
    }


@exporter("cases")
def export_cases(member: Member) -> Export:
    cases = db.session.scalars(select(Case).where(Case.author_id == member.id).order_by(Case.id))
    replies = db.session.scalars(select(Reply).where(Reply.author_id == member.id).order_by(Reply.id))
    flags = db.session.scalars(select(Flag).where(Flag.member_id == member.id))
    return Export(
        {
            "cases": [_case_data(c) for c in cases],
            "replies": [
                {
                    "case_id": r.case_id,
                    "kind": r.kind,
                    "body": r.body,
                    "created_at": r.created_at.isoformat(),
                    "deleted": r.deleted_at is not None,
                    "earlier_versions": [v.body for v in r.revisions],
                }
                for r in replies
            ],
            "flags": [{"subject": f"{f.subject_type} {f.subject_id}", "reason": f.reason} for f in flags],
        }
    )


@eraser("cases")
def erase_cases(member: Member, mode: str) -> None:
    """Remove: the member's cases and replies go. Anonymise: they stay, credited to nobody.

    Drafts always go: nobody else has seen them.
    """
    own = list(db.session.scalars(select(Case).where(Case.author_id == member.id)))
    for case in own:
        outbox.enqueue("case", case.id)  # the index drops or rewrites it after commit
        if mode == "remove" or case.status == "draft":
            withdraw_case_notifications(case)  # they quote the case and its replies
            db.session.delete(case)
        else:
            case.author = None
    replies = select(Reply.id).where(Reply.author_id == member.id)
    if mode == "remove":
        for case_id in set(db.session.scalars(select(Reply.case_id).where(Reply.author_id == member.id))):
            outbox.enqueue("case", case_id)
        # Notifications about the replies quote them (an excerpt): they go with them.
        db.session.execute(
            delete(Notification).where(
                Notification.subject_type == "reply", Notification.subject_id.in_(replies)
            )
        )
        db.session.execute(delete(Reply).where(Reply.id.in_(replies)))
    else:
        db.session.execute(update(Reply).where(Reply.id.in_(replies)).values(author_id=None))
    db.session.execute(update(Flag).where(Flag.member_id == member.id).values(member_id=None))
    db.session.execute(
        update(CaseSessionOutcome)
        .where(CaseSessionOutcome.recorded_by_id == member.id)
        .values(recorded_by_id=None)
    )
