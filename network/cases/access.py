"""Who may see a case and who owns it: the rules every part of cases (and rooms) asks.

Below service.py and social.py, so both can ask without importing each other the wrong way round.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_

from network.cases.models import Case
from network.db import db
from network.errors import NotFound
from network.members.models import Member


class CaseNotFound(NotFound):
    default_message = _l("Sagen findes ikke, eller du har ikke adgang til den.")


def can_view_case(viewer: Member | None, case: Case) -> bool:
    """Whether the viewer may see the case at all (drafts: only the author; hidden: + coordinators)."""
    if viewer is None or not getattr(viewer, "is_authenticated", True):
        return False
    is_author = case.author_id is not None and case.author_id == viewer.id
    if case.status == "draft":
        return is_author
    if case.is_hidden:
        return is_author or viewer.is_coordinator
    return True


def visible_cases_clause(viewer: Member):  # a SQL expression
    """SQL: the cases the viewer may see (the same rule as can_view_case)."""
    own = Case.author_id == viewer.id
    published = and_(Case.status != "draft", Case.is_hidden.is_(False))
    if viewer.is_coordinator:
        published = Case.status != "draft"
    return or_(own, published)


def get_case(viewer: Member, case_id: int) -> Case:
    """A case the viewer may see, or CaseNotFound (also when it exists but is not theirs to see)."""
    case = db.session.get(Case, case_id)
    if case is None or not can_view_case(viewer, case):
        raise CaseNotFound()
    return case


def is_owner(member: Member | None, case: Case) -> bool:
    """Whether the member wrote the case."""
    return member is not None and case.author_id is not None and case.author_id == member.id
