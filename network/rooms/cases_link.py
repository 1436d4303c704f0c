"""The rooms' few needs from cases, in one place: which cases may be used, and saving outcomes."""

from sqlalchemy import select

from network.cases import access
from network.cases import service as cases
from network.cases.models import Case
from network.db import db
from network.members.models import Member
from network.rooms.errors import CaseNotUsable, NotAllowed


def usable_case(viewer: Member, case_id: int | None) -> Case:
    """The case when it exists, is published and not hidden; else CaseNotUsable."""
    case = db.session.get(Case, case_id) if case_id else None
    if case is None or case.is_hidden or case.status == "draft" or not access.can_view_case(viewer, case):
        raise CaseNotUsable(field="case_id")
    return case


def require_case_owner(member: Member, case: Case) -> None:
    """Only the case's author may open a room for it."""
    if case.author_id != member.id:
        raise NotAllowed(field="case_id")


def cases_of(member: Member) -> list[Case]:
    """The member's own published cases, for choosing one to open a room for."""
    query = (
        select(Case)
        .where(Case.author_id == member.id, Case.status != "draft", Case.is_hidden.is_(False))
        .order_by(Case.id.desc())
    )
    return list(db.session.scalars(query))


def visible_cases(viewer: Member, limit: int = 200) -> list[Case]:
    """Published cases a facilitator may run a session on."""
    query = (
        select(Case)
        .where(Case.status != "draft", Case.is_hidden.is_(False))
        .order_by(Case.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def record_outcome(session, *, actor: Member, revised: bool = False) -> None:  # noqa: ANN001
    """Save the session's agreed next actions and learnings to its case (shown on the case page).

    A revised summary replaces the one this session saved before, instead of adding a second.
    """
    case = db.session.get(Case, session.case_id) if session.case_id else None
    if case is None:
        return
    earlier = [o for o in case.outcomes if o.session_title == session.title[:200]]
    if revised and earlier:
        earlier[-1].next_actions, earlier[-1].learnings = session.next_actions, session.learnings
        db.session.flush()
        return
    cases.record_session_outcome(
        case,
        next_actions=session.next_actions,
        learnings=session.learnings,
        session_title=session.title,
        actor=actor,
    )
