"""The rooms' few needs from cases, in one place: which cases may be used, and saving outcomes."""

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from network.cases import access
from network.cases import service as cases
from network.cases.models import Case
from network.db import db
from network.members.models import Member
from network.notifications.service import notify
from network.rooms.errors import CaseNotUsable, NotAllowed, SessionError


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


def check_session_case(room, case: Case, case_giver_id: int | None) -> None:  # noqa: ANN001 - a Room
    """A session works on the room's own case, or on a case its own author brings as case giver.

    Nobody runs a session (and later saves its summary) on another member's case behind their back.
    """
    if case.id != room.case_id and case.author_id != case_giver_id:
        raise SessionError(
            _("En session arbejder med rummets egen sag eller med sagsgiverens egen sag."), field="case_id"
        )


def owner_accepts(session, actor: Member) -> bool:  # noqa: ANN001 - a ReflectingSession
    """Whether the summary may go onto the case: the room's own case, or its owner writes it."""
    case = db.session.get(Case, session.case_id) if session.case_id else None
    if case is None:
        return False
    return case.id == session.room.case_id or case.author_id == actor.id


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


def record_outcome(session, *, actor: Member, revised: bool = False) -> bool:  # noqa: ANN001
    """Save the session's agreed next actions and learnings to its case (shown on the case page).

    Only on the room's own case or by the case's owner (owner_accepts); otherwise the summary
    stays with the session and the owner is asked to save it onto their case. The owner is told
    whenever someone else writes on their case. A revised summary replaces the one this session
    saved before, instead of adding a second. Returns whether the case got the summary.
    """
    case = db.session.get(Case, session.case_id) if session.case_id else None
    if case is None:
        return False
    accepted = owner_accepts(session, actor)
    _tell_owner(case, session, actor, accepted)
    if not accepted:
        return False
    earlier = [o for o in case.outcomes if o.session_title == session.title[:200]]
    if revised and earlier:
        earlier[-1].next_actions, earlier[-1].learnings = session.next_actions, session.learnings
        db.session.flush()
        return True
    cases.record_session_outcome(
        case,
        next_actions=session.next_actions,
        learnings=session.learnings,
        session_title=session.title,
        actor=actor,
    )
    return True


def _tell_owner(case: Case, session, actor: Member, accepted: bool) -> None:  # noqa: ANN001
    owner = case.author
    if owner is None or owner.id == actor.id:
        return
    if accepted:
        title = _("Opsamlingen fra sessionen %(title)s er gemt på din sag", title=session.title)
        url = url_for("cases.detail", case_id=case.id)
    else:
        title = _(
            "Opsamlingen fra sessionen %(title)s venter på, at du gemmer den på din sag", title=session.title
        )
        url = url_for("rooms.session_transcript", session_id=session.id)
    notify(owner, "session_summary", title, url=url, subject_type="case", subject_id=case.id)
