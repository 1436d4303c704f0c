"""Meetups in the search index.

Only meetups for the whole network are indexed: one for invited schools stays out of the index
altogether, so neither its hits nor the facet counts can reveal it to anyone else.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from network.db import db
from network.meetups.models import AgendaItem, Meetup
from network.meetups.service import search_document
from network.search.documents import Document, ids_where, register_builder, register_dependents


def _meetup_document(meetup_id: int) -> Document | None:
    data = search_document(meetup_id)
    if data is None or data["visible_school_ids"] is not None:
        return None
    return Document(
        kind="meetup",
        object_id=data["id"],
        title=data["title"],
        body=data["body"],
        school=data["school"],
        year=data["year"],
        date=data["date"],
    )


register_builder(
    "meetup",
    _meetup_document,
    ids_where(Meetup, Meetup.status != "cancelled", Meetup.visibility != "invited"),
    label=_l("Netværksmøder"),
    endpoint="meetups.detail",
    id_arg="meetup_id",
    table=Meetup.__tablename__,
)


def _meetups_quoting_case(case_id: int) -> list[tuple[str, int]]:
    """The meetups whose agenda names the case: their document holds its title."""
    query = select(AgendaItem.meetup_id).where(AgendaItem.case_id == case_id).distinct()
    return [("meetup", meetup_id) for meetup_id in db.session.scalars(query)]


register_dependents("case", _meetups_quoting_case)
