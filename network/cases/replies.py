"""Rules for sparring replies: kinds, the 24-hour edit window with history, soft delete, helpful."""

import datetime as dt

from flask_babel import lazy_gettext as _l

from network.cases import social
from network.cases.access import CaseNotFound, can_view_case, is_owner
from network.cases.models import REPLY_KINDS, Case, Reply, ReplyRevision
from network.cases.service import CaseClosed
from network.db import db, utcnow
from network.errors import Conflict, DomainError, NotAllowed, NotFound
from network.members.models import Member
from network.search import outbox

BODY_MAX = 5_000
EDIT_WINDOW = dt.timedelta(hours=24)


class ReplyNotFound(NotFound):
    default_message = _l("Svaret findes ikke.")


class EditWindowClosed(NotAllowed):
    default_message = _l("Et svar kan kun redigeres i 24 timer, efter det er skrevet.")


class InvalidReply(DomainError):
    status = 422


def get_reply(viewer: Member, reply_id: int) -> Reply:
    """A reply on a case the viewer may see; deleted replies are gone, hidden ones only for coordinators."""
    reply = db.session.get(Reply, reply_id)
    if reply is None or reply.deleted_at is not None or not can_view_case(viewer, reply.case):
        raise ReplyNotFound()
    if reply.is_hidden and not viewer.is_coordinator:
        raise ReplyNotFound()
    return reply


def _check(kind: str, body: str) -> str:
    if kind not in REPLY_KINDS:
        raise InvalidReply(_l("Vælg, hvilken slags svar det er."), field="kind")
    body = body.strip()
    if not body:
        raise InvalidReply(_l("Skriv dit svar."), field="body")
    if len(body) > BODY_MAX:
        raise InvalidReply(_l("Svaret må højst være på %(n)d tegn.", n=BODY_MAX), field="body")
    return body


def add_reply(author: Member, case: Case, *, kind: str, body: str) -> Reply:
    """Answer a case one may see; not a closed one. The case's followers are told."""
    if not can_view_case(author, case) or case.status == "draft":
        raise CaseNotFound()
    if case.status == "closed":
        raise CaseClosed()
    if case.is_hidden:
        raise Conflict(_l("Sagen er skjult af en koordinator."))
    reply = Reply(case=case, author=author, kind=kind, body=_check(kind, body))
    db.session.add(reply)
    case.last_activity_at = utcnow()
    db.session.flush()
    social.follow_case(author, case, quiet=True)
    social.announce_reply(case, reply)
    outbox.enqueue("case", case.id)
    return reply


def can_edit(member: Member | None, reply: Reply) -> bool:
    """Whether the member may still edit the reply (own, not deleted, within 24 hours)."""
    return (
        member is not None
        and reply.author_id == member.id
        and reply.deleted_at is None
        and utcnow() - reply.created_at <= EDIT_WINDOW
    )


def edit_reply(actor: Member, reply: Reply, *, kind: str, body: str) -> Reply:
    """Change one's own reply within 24 hours; the earlier text is kept as a revision."""
    if reply.author_id != actor.id:
        raise NotAllowed(_l("Du kan kun redigere dine egne svar."))
    if reply.deleted_at is not None:
        raise ReplyNotFound()
    if utcnow() - reply.created_at > EDIT_WINDOW:
        raise EditWindowClosed()
    body = _check(kind, body)
    if (kind, body) == (reply.kind, reply.body):
        return reply
    reply.revisions.append(ReplyRevision(kind=reply.kind, body=reply.body))
    reply.kind, reply.body, reply.edited_at = kind, body, utcnow()
    db.session.flush()
    outbox.enqueue("case", reply.case_id)
    return reply


def can_delete_reply(actor: Member, reply: Reply) -> bool:
    """One's own reply, or any as a coordinator."""
    return reply.author_id == actor.id or actor.is_coordinator


def delete_reply(actor: Member, reply: Reply) -> None:
    """Soft-delete one's own reply (a coordinator may too); notifications about it are withdrawn."""
    if not can_delete_reply(actor, reply):
        raise NotAllowed(_l("Du kan kun slette dine egne svar."))
    if reply.deleted_at is not None:
        raise ReplyNotFound()
    reply.deleted_at = utcnow()
    reply.helpful_at = None
    social.notifications.withdraw("reply", reply.id)
    db.session.flush()
    outbox.enqueue("case", reply.case_id)


def mark_helpful(actor: Member, reply: Reply, helpful: bool = True) -> Reply:
    """The case owner marks (or unmarks) a reply as helpful; its author is told."""
    case = reply.case
    if not is_owner(actor, case):
        raise NotAllowed(_l("Kun den, der har skrevet sagen, kan markere svar som hjælpsomme."))
    if reply.deleted_at is not None or reply.is_hidden:
        raise ReplyNotFound()
    was = reply.helpful_at is not None
    reply.helpful_at = utcnow() if helpful else None
    db.session.flush()
    author = reply.author
    if helpful and not was and author is not None and author.id != actor.id and can_view_case(author, case):
        social.notifications.notify(
            author,
            "case.helpful",
            _l("Dit svar på sagen »%(title)s« er markeret som hjælpsomt", title=case.title),
            url=social.case_url(case),
            subject_type="reply",
            subject_id=reply.id,
        )
    return reply


def visible_replies(viewer: Member, case: Case) -> list[Reply]:
    """The replies the viewer sees on the case: not deleted; hidden ones only for coordinators."""
    return [r for r in case.replies if r.deleted_at is None and (not r.is_hidden or viewer.is_coordinator)]
