"""The rooms' few needs from cases, in one place until the cases service is merged.

MERGE: replace the bodies below with calls to ``network.cases.service``: ``can_view_case`` for
``usable_case`` and ``record_session_outcome(case, next_actions=, learnings=, session_title=,
actor=)`` in ``record_outcome``. Until then the outcome stays on the ReflectingSession row and
nothing here writes to the cases tables.
"""

from sqlalchemy import select

from network.cases.models import Case
from network.db import db
from network.members.models import Member
from network.rooms.errors import CaseNotUsable, NotAllowed


def usable_case(viewer: Member, case_id: int | None) -> Case:
    """The case when it exists, is published and not hidden; else CaseNotUsable."""
    case = db.session.get(Case, case_id) if case_id else None
    # MERGE: use network.cases.service.can_view_case(viewer, case) instead of these checks.
    if case is None or case.is_hidden or case.status == "draft":
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


def record_outcome(session, *, actor: Member) -> None:  # noqa: ANN001 - a ReflectingSession
    """Save the session's agreed next actions and learnings to its case.

    MERGE: call network.cases.service.record_session_outcome(case, next_actions=session.next_actions,
    learnings=session.learnings, session_title=session.title, actor=actor) here. For now the
    ReflectingSession row (with its case_id) is the record.
    """
    return None
