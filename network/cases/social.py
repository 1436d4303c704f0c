"""Following cases, tags and tools; who is told about what; matching peers for sparring.

Nobody is notified about content they may not see, and notification texts never name the
author of a case (so an anonymous author cannot leak through the bell or a mail).
"""

import collections
import typing as t

from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from network.cases.access import CaseNotFound, can_view_case, is_owner, reply_author_as_seen
from network.cases.models import Case, CaseFollow, CaseInvitation, Reply, TopicFollow, normalize_tag
from network.db import db
from network.domain import TOOLS
from network.errors import Conflict, DomainError, NotAllowed, NotFound
from network.members.models import Member, MemberFocus, MemberTool
from network.notifications import service as notifications
from network.notifications.models import Notification

MATCH_LIMIT = 5


class AlreadyFollowing(Conflict):
    default_message = _l("Du følger allerede dette.")


class NotFollowing(NotFound):
    default_message = _l("Du følger ikke dette.")


def case_url(case: Case) -> str:
    """The case page's path; built from the URL map, so cron jobs (no request) can link too."""
    adapter = current_app.url_map.bind(
        "localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/"
    )
    return adapter.build("cases.detail", {"case_id": case.id})


# --- following ---------------------------------------------------------------------------


def is_following(member: Member, case: Case) -> bool:
    """Whether the member follows the case."""
    return db.session.get(CaseFollow, (case.id, member.id)) is not None


def follow_case(member: Member, case: Case, *, quiet: bool = False) -> None:
    """Follow a case one may see; following twice is a Conflict (unless quiet)."""
    if not can_view_case(member, case):
        raise CaseNotFound()
    if is_following(member, case):
        if quiet:
            return
        raise AlreadyFollowing()
    db.session.add(CaseFollow(case_id=case.id, member_id=member.id))
    db.session.flush()


def unfollow_case(member: Member, case: Case) -> None:
    """Stop following a case."""
    follow = db.session.get(CaseFollow, (case.id, member.id))
    if follow is None:
        raise NotFollowing()
    db.session.delete(follow)
    db.session.flush()


def followed_topics(member: Member) -> list[TopicFollow]:
    """The tags and tools the member follows."""
    return list(
        db.session.scalars(
            select(TopicFollow)
            .where(TopicFollow.member_id == member.id)
            .order_by(TopicFollow.kind, TopicFollow.value)
        )
    )


def follow_topic(member: Member, kind: str, value: str) -> None:
    """Follow a tag or a tool: new cases about it are notified."""
    if kind == "tool":
        if value not in TOOLS:
            raise DomainError(_l("Ukendt værktøj."), field="value")
    elif kind == "tag":
        value = normalize_tag(value)
        if not value or len(value) > 60:
            raise DomainError(_l("Skriv et tema på højst 60 tegn."), field="value")
    else:
        raise DomainError(_l("Du kan følge et tema eller et værktøj."), field="kind")
    if db.session.get(TopicFollow, (member.id, kind, value)) is not None:
        raise AlreadyFollowing()
    db.session.add(TopicFollow(member_id=member.id, kind=kind, value=value))
    db.session.flush()


def unfollow_topic(member: Member, kind: str, value: str) -> None:
    """Stop following a tag or a tool."""
    follow = db.session.get(TopicFollow, (member.id, kind, value))
    if follow is None:
        raise NotFollowing()
    db.session.delete(follow)
    db.session.flush()


# --- telling people ----------------------------------------------------------------------


def _tell(
    members: t.Iterable[Member],
    case: Case,
    kind: str,
    title: "str | LazyString",
    *,
    subject: tuple[str, int] | None = None,
    anchor: str = "",
    details: dict[str, str] | None = None,
) -> int:
    """Notify each member once, only if they may see the case; ``anchor`` points into the page."""
    subject_type, subject_id = subject or ("case", case.id)
    told: set[int] = set()
    for member in members:
        if member.id in told or not member.is_active_member or not can_view_case(member, case):
            continue
        told.add(member.id)
        notifications.notify(
            member,
            kind,
            title,
            url=case_url(case) + anchor,
            subject_type=subject_type,
            subject_id=subject_id,
            **(details or {}),
        )
    return len(told)


def followers(case: Case) -> list[Member]:
    """The members who follow the case."""
    return list(
        db.session.scalars(
            select(Member)
            .join(CaseFollow, CaseFollow.member_id == Member.id)
            .where(CaseFollow.case_id == case.id)
        )
    )


def notify_followers(
    case: Case,
    kind: str,
    title: "str | LazyString",
    *,
    exclude: Member | None = None,
    subject: tuple[str, int] | None = None,
    anchor: str = "",
    details: dict[str, str] | None = None,
) -> int:
    """Tell the case's followers (not the one who acted) about an event on it."""
    if case.is_hidden or case.status == "draft":
        return 0
    members = [m for m in followers(case) if exclude is None or m.id != exclude.id]
    return _tell(members, case, kind, title, subject=subject, anchor=anchor, details=details)


def announce_new_case(case: Case) -> int:
    """Tell those who follow one of the case's tags or tools that it was published."""
    conditions = [(TopicFollow.kind == "tag") & TopicFollow.value.in_(list(case.tags))]
    conditions.append((TopicFollow.kind == "tool") & TopicFollow.value.in_(list(case.tools)))
    member_ids = set(db.session.scalars(select(TopicFollow.member_id).where(conditions[0] | conditions[1])))
    member_ids.discard(case.author_id)
    if not member_ids:
        return 0
    members = db.session.scalars(select(Member).where(Member.id.in_(member_ids)).order_by(Member.id))
    title = _l("Ny sag om et emne, du følger: %(title)s", title=case.title)
    return _tell(members, case, "case.new", title)


def announce_reply(case: Case, reply: Reply) -> int:
    """Tell the case's followers about a new reply: who, what kind, an excerpt, and a link to it."""
    title = _l("Nyt sparringssvar på sagen »%(title)s«", title=case.title)
    # The case giver answering their anonymous case keeps its cover: no name then.
    seen = reply_author_as_seen(None, reply)
    details = {
        "actor_name": "" if seen.is_hidden else str(seen.name),
        "reply_kind": reply.kind,
        "excerpt": reply.body,
    }
    return notify_followers(
        case,
        "case.reply",
        title,
        exclude=reply.author,
        subject=("reply", reply.id),
        anchor=f"#svar-{reply.id}",
        details=details,
    )


def withdraw_case_notifications(case: Case) -> int:
    """Remove every notification about the case and its replies (it was hidden or deleted)."""
    count = notifications.withdraw("case", case.id)
    reply_ids = [r.id for r in case.replies]
    if reply_ids:
        result = db.session.execute(
            delete(Notification).where(
                Notification.subject_type == "reply", Notification.subject_id.in_(reply_ids)
            )
        )
        count += result.rowcount or 0
    return count


# --- matching peers ----------------------------------------------------------------------


def suggest_peers(case: Case, limit: int = MATCH_LIMIT) -> list[Member]:
    """Up to five members open for sparring whose tools and focus areas match the case's.

    Other schools first; never the author (see match_members).
    """
    return match_members(
        list(case.tools),
        list(case.focus_areas),
        exclude_id=case.author_id,
        school_id=case.author.school_id if case.author is not None else None,
        limit=limit,
    )


def match_members(
    tools: list[str],
    focus_areas: list[str],
    *,
    exclude_id: int | None,
    school_id: int | None,
    limit: int = MATCH_LIMIT,
) -> list[Member]:
    """Members open for sparring sharing the most tools and focus areas, other schools than
    ``school_id`` first.

    A tool or focus area a member keeps private does not count (as in the directory), since the
    match would reveal it. The matching links are counted in SQL, so only the members who match
    are loaded (this runs on every view of an open case by its author, and on Min uge).
    """
    matches: collections.Counter[int] = collections.Counter()
    for link, column, wanted in (
        (MemberTool, MemberTool.tool, tools),
        (MemberFocus, MemberFocus.focus, focus_areas),
    ):
        if not wanted:
            continue
        rows = db.session.execute(
            select(link.member_id, func.count()).where(column.in_(list(wanted))).group_by(link.member_id)
        )
        for member_id, count in rows:
            matches[member_id] += count
    matches.pop(exclude_id, None)
    if not matches:
        return []
    candidates = db.session.scalars(
        select(Member)
        .where(
            Member.id.in_(list(matches)),
            Member.is_active_member.is_(True),
            Member.open_for_sparring.is_(True),
        )
        # Their profiles are shown (Min uge's peer cards): load the lists with the members.
        .options(
            selectinload(Member.tool_links), selectinload(Member.focus_links), selectinload(Member.area_links)
        )
    )
    scored = []
    for member in candidates:
        # Seen as an ordinary member would: private fields of the candidate never match.
        hidden = set(member.private_fields or [])
        score = matches[member.id]
        if hidden & {"tools", "focus_areas"}:
            score = _public_score(member, tools, focus_areas, hidden)
        if score == 0:
            continue
        other_school = school_id is None or member.school_id != school_id
        scored.append((-int(other_school), -score, member.name, member.id, member))
    scored.sort(key=lambda row: row[:4])
    return [row[-1] for row in scored[:limit]]


def _public_score(member: Member, tools: list[str], focus_areas: list[str], hidden: set[str]) -> int:
    """The match counted only over the fields the member shows (rare: few hide them)."""
    shown_tools = set(member.tools) if "tools" not in hidden else set()
    shown_focus = set(member.focus_areas) if "focus_areas" not in hidden else set()
    return len(shown_tools & set(tools)) + len(shown_focus & set(focus_areas))


def invited_ids(case: Case) -> set[int]:
    """The members already invited to the case."""
    return set(db.session.scalars(select(CaseInvitation.member_id).where(CaseInvitation.case_id == case.id)))


def invite_peers(actor: Member, case: Case, member_ids: t.Iterable[int] | None = None) -> list[Member]:
    """The owner invites suggested peers (all of them, or the chosen ones) in one click."""
    if not is_owner(actor, case):
        raise NotAllowed(_l("Kun den, der har skrevet sagen, kan invitere til sparring."))
    if case.status in ("draft", "closed") or case.is_hidden:
        raise Conflict(_l("Der kan kun inviteres til sparring på en åben sag."))
    suggestions = suggest_peers(case)
    if member_ids is not None:
        chosen = set(member_ids)
        suggestions = [m for m in suggestions if m.id in chosen]
    already = invited_ids(case)
    invited = []
    title = _l("Du er inviteret til at give sparring på sagen »%(title)s«", title=case.title)
    for member in suggestions:
        if member.id in already or not can_view_case(member, case):
            continue
        db.session.add(CaseInvitation(case_id=case.id, member_id=member.id))
        notifications.notify(
            member, "case.invited", title, url=case_url(case), subject_type="case", subject_id=case.id
        )
        invited.append(member)
    db.session.flush()
    return invited
