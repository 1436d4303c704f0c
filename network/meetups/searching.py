"""Meetups in the search index.

Only meetups for the whole network are indexed: one for invited schools stays out of the index
altogether, so neither its hits nor the facet counts can reveal it to anyone else.
"""

from sqlalchemy import select

from network.db import db
from network.meetups.models import AgendaItem, Meetup
from network.meetups.service import search_document
from network.search.documents import Document, register_builder, register_dependents


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


def _meetup_ids(among: list[int] | None = None) -> set[int]:
    query = select(Meetup.id).where(Meetup.status != "cancelled", Meetup.visibility != "invited")
    if among is not None:
        query = query.where(Meetup.id.in_(among))
    return set(db.session.scalars(query))


def _meetups_quoting_case(case_id: int) -> list[tuple[str, int]]:
    """The meetups whose agenda names the case: their document holds its title."""
    query = select(AgendaItem.meetup_id).where(AgendaItem.case_id == case_id).distinct()
    return [("meetup", meetup_id) for meetup_id in db.session.scalars(query)]


register_builder("meetup", _meetup_document, _meetup_ids, _meetup_ids)
register_dependents("case", _meetups_quoting_case)
