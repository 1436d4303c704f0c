"""Cases in the search index: published cases that are not hidden.

An anonymous or school-hidden author's name, e-mail and school never enter the index.
"""

from flask_babel import lazy_gettext as _l

from network.cases.models import Case
from network.db import db, start_of_day
from network.search.documents import Document, ids_where, register_builder


def _case_document(case_id: int) -> Document | None:
    case = db.session.get(Case, case_id)
    if case is None or case.is_hidden or case.status == "draft":
        return None
    named = case.visibility == "named" and case.author is not None
    published = case.published_at or case.created_at
    if case.visibility == "anonymous":
        published = start_of_day(published)  # as cases.time_as_seen: the day, not the moment
    return Document(
        kind="case",
        object_id=case.id,
        title=case.title,
        problem=case.problem,
        body="\n\n".join(p for p in (case.context, case.tried, case.question, case.learning_summary) if p),
        school=case.author.school.name if named and case.author.school else "",
        tools=list(case.tools),
        focus=list(case.focus_areas),
        year=published.year,
        date=published,
        author=case.author.name if named else "",
        status=case.status,
    )


register_builder(
    "case",
    _case_document,
    ids_where(Case, Case.is_hidden.is_(False), Case.status != "draft"),
    label=_l("Sager"),
    endpoint="cases.detail",
    id_arg="case_id",
    table=Case.__tablename__,
    similar=True,
)
