"""Who may see a case and who owns it: the rules every part of cases (and rooms) asks.

Below service.py and social.py, so both can ask without importing each other the wrong way round.
"""

import dataclasses

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_

from network.cases.models import Case, Reply
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


# --- the author as one viewer may see them ---------------------------------------------------


@dataclasses.dataclass(frozen=True)
class AuthorView:
    """The author of a case as one viewer may see it. The one place that decides it."""

    name: str
    member_id: int | None = None  # None: do not link to a profile
    school_name: str | None = None
    is_you: bool = False
    is_hidden: bool = False  # the viewer sees a placeholder, not the person

    def __str__(self) -> str:
        return self.name


ANONYMOUS_NAME = _l("Anonym leder")


def author_as_seen(viewer: Member | None, case: Case) -> AuthorView:
    """The case's author as this viewer may see them, everywhere: pages, API, mails, exports.

    Anonymous: nobody but the author sees who it is (coordinators use reveal_author, which is
    logged). Named, school hidden: the name without the school, and without a link to the
    profile, which shows the school (issue 14, finding 17).
    """
    author = case.author
    is_you = viewer is not None and author is not None and viewer.id == author.id
    if author is None:
        return AuthorView(name=str(_l("Tidligere medlem")), is_hidden=True)
    if case.visibility == "anonymous":
        if is_you:
            return AuthorView(name=str(_l("Dig (anonymt for andre)")), is_you=True, is_hidden=True)
        return AuthorView(name=str(ANONYMOUS_NAME), is_hidden=True)
    if case.visibility == "school_hidden":
        return AuthorView(name=author.name, school_name=None, is_you=is_you)
    school = author.school.name if author.school else None
    return AuthorView(name=author.name, member_id=author.id, school_name=school, is_you=is_you)


def reply_author_as_seen(viewer: Member | None, reply: Reply) -> AuthorView:
    """A reply's author as the viewer may see them; the case giver answering keeps the case's cover."""
    case = reply.case
    if reply.author is None:
        return AuthorView(name=str(_l("Tidligere medlem")), is_hidden=True)
    if case.author_id is not None and reply.author_id == case.author_id:
        seen = author_as_seen(viewer, case)
        return dataclasses.replace(seen, name=f"{seen.name} · {_l('sagsgiver')}")
    is_you = viewer is not None and viewer.id == reply.author_id
    school = reply.author.school.name if reply.author.school else None
    return AuthorView(name=reply.author.name, member_id=reply.author_id, school_name=school, is_you=is_you)
