"""Finding cases: the list with its filters and sorting, "Mine sager" and "Sager jeg følger"."""

import dataclasses

from sqlalchemy import exists, func, select

from network.cases.access import visible_cases_clause
from network.cases.models import (
    STATUSES,
    Case,
    CaseFocus,
    CaseFollow,
    CaseTag,
    CaseTool,
    Reply,
    normalize_tag,
)
from network.db import db
from network.members.models import Member


@dataclasses.dataclass
class CaseFilters:
    status: str = ""
    tool: str = ""
    focus: str = ""
    tag: str = ""
    unanswered: bool = False
    sort: str = "newest"  # newest | active | unanswered
    mine: bool = False
    following: bool = False


def _live_reply_count():  # a scalar subquery
    return (
        select(func.count(Reply.id))
        .where(Reply.case_id == Case.id, Reply.deleted_at.is_(None), Reply.is_hidden.is_(False))
        .correlate(Case)
        .scalar_subquery()
    )


def case_query(viewer: Member, filters: CaseFilters):  # a Select
    """The cases the viewer may see that match the filters, sorted as asked."""
    replies = _live_reply_count()
    query = select(Case).where(visible_cases_clause(viewer))
    query = query.where(Case.author_id == viewer.id) if filters.mine else query.where(Case.status != "draft")
    if filters.following:
        query = query.where(exists().where(CaseFollow.case_id == Case.id, CaseFollow.member_id == viewer.id))
    if filters.status in STATUSES:
        query = query.where(Case.status == filters.status)
    if filters.tool:
        query = query.where(exists().where(CaseTool.case_id == Case.id, CaseTool.tool == filters.tool))
    if filters.focus:
        query = query.where(exists().where(CaseFocus.case_id == Case.id, CaseFocus.focus == filters.focus))
    if filters.tag:
        query = query.where(
            exists().where(CaseTag.case_id == Case.id, CaseTag.tag == normalize_tag(filters.tag))
        )
    if filters.unanswered:
        query = query.where(replies == 0)
    if filters.sort == "active":
        query = query.order_by(Case.last_activity_at.desc(), Case.id.desc())
    elif filters.sort == "unanswered":
        query = query.order_by(replies.asc(), Case.published_at.desc(), Case.id.desc())
    else:
        query = query.order_by(func.coalesce(Case.published_at, Case.created_at).desc(), Case.id.desc())
    return query


def list_cases(viewer: Member, filters: CaseFilters, page: int = 1, per_page: int = 20):
    """One page of cases."""
    return db.paginate(case_query(viewer, filters), page=page, per_page=per_page, error_out=False)


def reply_counts(cases: list[Case]) -> dict[int, int]:
    """Live replies (neither deleted nor hidden) per case, in one query for a whole page."""
    ids = [case.id for case in cases]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Reply.case_id, func.count(Reply.id))
        .where(Reply.case_id.in_(ids), Reply.deleted_at.is_(None), Reply.is_hidden.is_(False))
        .group_by(Reply.case_id)
    )
    return dict.fromkeys(ids, 0) | dict(rows.all())
