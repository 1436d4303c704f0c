"""Who has read what on cases: new cases, new replies, and where the first unread reply is.

A member's read state (CaseRead) is how far they have read a case, as RoomMember is for a room.
A case the member wrote or follows is *tracked*: its replies by others past that point are new
("3 nye svar"). A case they never opened and do not follow is *new* while it is recent.
"""

import dataclasses
import datetime as dt

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from network.cases.models import Case, CaseFollow, CaseRead, Reply
from network.db import db, utcnow
from network.members.models import Member

NEW_CASE_DAYS = 14  # a case nobody told you about counts as new this long after it was published


@dataclasses.dataclass(frozen=True)
class CaseUnread:
    """What is new on one case for one member."""

    is_new: bool = False  # never opened, recent, not one's own
    new_replies: int = 0  # replies by others since the member last read the case
    first_unread_id: int | None = None  # the reply to jump to

    @property
    def anchor(self) -> str:
        """The fragment of the first unread reply ("" when there is none)."""
        return f"#svar-{self.first_unread_id}" if self.first_unread_id else ""


def _live_reply():  # a SQL expression
    return and_(Reply.deleted_at.is_(None), Reply.is_hidden.is_(False))


def unread_states(member: Member, cases: list[Case]) -> dict[int, CaseUnread]:
    """New and unread for a page of cases, in three queries whatever the page's size."""
    ids = [case.id for case in cases if case.status != "draft"]
    if not ids:
        return {}
    read_ids = set(
        db.session.scalars(
            select(CaseRead.case_id).where(CaseRead.member_id == member.id, CaseRead.case_id.in_(ids))
        )
    )
    followed = set(
        db.session.scalars(
            select(CaseFollow.case_id).where(CaseFollow.member_id == member.id, CaseFollow.case_id.in_(ids))
        )
    )
    counts = {
        case_id: (count, first)
        for case_id, count, first in db.session.execute(
            select(Reply.case_id, func.count(Reply.id), func.min(Reply.id))
            .outerjoin(CaseRead, and_(CaseRead.case_id == Reply.case_id, CaseRead.member_id == member.id))
            .where(
                Reply.case_id.in_(ids),
                _live_reply(),
                Reply.id > func.coalesce(CaseRead.last_read_reply_id, 0),
                or_(Reply.author_id.is_(None), Reply.author_id != member.id),
            )
            .group_by(Reply.case_id)
        )
    }
    recent = utcnow() - dt.timedelta(days=NEW_CASE_DAYS)
    states = {}
    for case in cases:
        if case.id not in ids:
            continue
        own = case.author_id == member.id
        if own or case.id in read_ids or case.id in followed:
            count, first = counts.get(case.id, (0, None))
            states[case.id] = CaseUnread(new_replies=count, first_unread_id=first)
        else:
            published = case.published_at or case.created_at
            states[case.id] = CaseUnread(is_new=published >= recent)
    return states


def unread_reply_ids(member: Member, case: Case, replies: list[Reply]) -> list[int]:
    """The replies on the case page that are new to the member, oldest first (before marking read)."""
    state = db.session.get(CaseRead, (case.id, member.id))
    if state is not None:
        last = state.last_read_reply_id
    elif case.author_id == member.id or db.session.get(CaseFollow, (case.id, member.id)) is not None:
        last = 0
    else:
        return []  # a case one opens for the first time: all of it is new, nothing to single out
    return [r.id for r in replies if r.id > last and r.author_id != member.id]


def mark_read(member: Member, case: Case, replies: list[Reply]) -> None:
    """Remember that the member has read the case up to its newest reply they were shown."""
    newest = max((r.id for r in replies), default=0)
    state = db.session.get(CaseRead, (case.id, member.id))
    if state is None:
        try:
            with db.session.begin_nested():  # two tabs opening the case at once: one row wins
                db.session.add(CaseRead(case_id=case.id, member_id=member.id, last_read_reply_id=newest))
        except IntegrityError:
            state = db.session.get(CaseRead, (case.id, member.id))
    if state is not None and newest > state.last_read_reply_id:
        state.last_read_reply_id = newest
        state.read_at = utcnow()
