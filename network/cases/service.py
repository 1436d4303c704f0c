"""Rules for cases: who may see them and their author, drafts, publishing, the life of a case.

Replies live in replies.py, following and notifying in social.py, moderation in moderation.py,
cron jobs in jobs.py. Every function here flushes; the edge commits.
"""

import dataclasses
import datetime as dt
import typing as t

from flask_babel import lazy_gettext as _l

from network.audit import service as audit
from network.cases import social

# The access rules live one layer down (access.py); service names them too, for its callers.
from network.cases.access import ANONYMOUS_NAME as ANONYMOUS_NAME
from network.cases.access import AuthorView as AuthorView
from network.cases.access import CaseNotFound as CaseNotFound
from network.cases.access import author_as_seen as author_as_seen
from network.cases.access import can_view_case as can_view_case
from network.cases.access import get_case as get_case
from network.cases.access import is_owner
from network.cases.access import reply_author_as_seen as reply_author_as_seen
from network.cases.access import visible_cases_clause as visible_cases_clause
from network.cases.models import (
    AL_STAGES,
    VISIBILITIES,
    Case,
    CaseSessionOutcome,
    normalize_tag,
)
from network.db import db, start_of_day, utcnow
from network.domain import FOCUS_AREAS, TOOLS
from network.errors import Conflict, DomainError, NotAllowed
from network.members.models import Member
from network.search import outbox

TITLE_MAX = 200
TEXT_MAX = 10_000
TAG_MAX = 60
TAGS_MAX = 10
PUBLISHED_STATUSES = ("open", "in_progress", "follow_up", "closed")


class CaseClosed(Conflict):
    default_message = _l("Sagen er lukket, så der kan ikke svares på den længere.")


class InvalidCase(DomainError):
    status = 422
    default_message = _l("Sagen er ikke udfyldt rigtigt.")


# --- who may see what --------------------------------------------------------------------


def hides_timing(viewer: Member | None, case: Case) -> bool:
    """Whether the case's times are shown to the viewer to the day only: anonymous, not their own.

    An exact time lines up with one member's activity and so names the author (issue 14,
    finding 8); coordinators too get the day, since looking behind the cover is logged.
    """
    return case.visibility == "anonymous" and (viewer is None or viewer.id != case.author_id)


def time_as_seen(viewer: Member | None, case: Case, moment: dt.datetime | None) -> dt.datetime | None:
    """A time on the case (published, activity, a reply) as the viewer may see it."""
    return start_of_day(moment) if hides_timing(viewer, case) else moment


def reveal_author(coordinator: Member, case: Case) -> Member | None:
    """Who wrote an anonymous case, for moderation; coordinators only, and every look is logged."""
    if not coordinator.is_coordinator:
        raise NotAllowed()
    audit.record(coordinator, "case.author_revealed", "case", case.id)
    return case.author


# --- reading -----------------------------------------------------------------------------


def reply_count(case: Case) -> int:
    """Replies that are neither deleted nor hidden."""
    return sum(1 for r in case.replies if r.deleted_at is None and not r.is_hidden)


# --- writing -----------------------------------------------------------------------------


@dataclasses.dataclass
class CaseFields:
    """What the author writes; None means 'leave as it is'."""

    title: str | None = None
    problem: str | None = None
    context: str | None = None
    tried: str | None = None
    question: str | None = None
    al_stage: str | None = None
    visibility: str | None = None
    tools: list[str] | None = None
    focus_areas: list[str] | None = None
    tags: list[str] | str | None = None


def parse_tags(raw: list[str] | str) -> list[str]:
    """Tags from a comma-separated string or a list, once each, in order."""
    items = raw.split(",") if isinstance(raw, str) else raw
    tags: list[str] = []
    for item in items:
        tag = normalize_tag(item)
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _apply(case: Case, fields: CaseFields) -> None:
    """Copy the fields onto the case, checking limits and vocabularies (not required fields)."""
    if fields.title is not None:
        if len(fields.title.strip()) > TITLE_MAX:
            raise InvalidCase(_l("Titlen må højst være på %(n)d tegn.", n=TITLE_MAX), field="title")
        case.title = fields.title.strip()
    for name in ("problem", "context", "tried", "question"):
        value = getattr(fields, name)
        if value is not None:
            if len(value) > TEXT_MAX:
                raise InvalidCase(_l("Teksten må højst være på %(n)d tegn.", n=TEXT_MAX), field=name)
            setattr(case, name, value.strip())
    if fields.al_stage is not None:
        if fields.al_stage not in AL_STAGES:
            raise InvalidCase(_l("Vælg et trin i AL-cirklen."), field="al_stage")
        case.al_stage = fields.al_stage
    if fields.visibility is not None:
        if fields.visibility not in VISIBILITIES:
            raise InvalidCase(_l("Vælg, hvem der må se, at det er din sag."), field="visibility")
        case.visibility = fields.visibility
    if fields.tools is not None:
        case.tools = [key for key in TOOLS if key in set(fields.tools)]
    if fields.focus_areas is not None:
        case.focus_areas = [key for key in FOCUS_AREAS if key in set(fields.focus_areas)]
    if fields.tags is not None:
        tags = parse_tags(fields.tags)
        if len(tags) > TAGS_MAX or any(len(tag) > TAG_MAX for tag in tags):
            raise InvalidCase(
                _l("Højst %(n)d temaer, hvert på højst %(m)d tegn.", n=TAGS_MAX, m=TAG_MAX), field="tags"
            )
        case.tags = tags


def _require_complete(case: Case) -> None:
    """A published case needs a title, a problem statement and a question; names every one missing."""
    missing = {
        name: message
        for name, message in (
            ("title", _l("Giv sagen en titel.")),
            ("problem", _l("Beskriv problemstillingen.")),
            ("question", _l("Skriv, hvad du gerne vil have sparring på.")),
        )
        if not getattr(case, name).strip()
    }
    if missing:
        raise InvalidCase(next(iter(missing.values())), field=next(iter(missing)), fields=missing)


def save_draft(author: Member, case: Case | None, fields: CaseFields) -> Case:
    """Create or update a draft; nothing is required yet, so nothing typed is lost."""
    if case is None:
        case = Case(author=author, status="draft")
        db.session.add(case)
    elif not is_owner(author, case):
        raise NotAllowed(_l("Du kan kun redigere dine egne sager."))
    elif case.status != "draft":
        raise Conflict(_l("Sagen er allerede offentliggjort."))
    _apply(case, fields)
    case.draft_saved_at = utcnow()
    db.session.flush()
    return case


def publish_case(author: Member, case: Case | None, fields: CaseFields | None = None) -> Case:
    """Publish a case (from a draft or directly): it is open for sparring from now on."""
    case = save_draft(author, case, fields or CaseFields())
    _require_complete(case)
    now = utcnow()
    case.status, case.published_at, case.last_activity_at = "open", now, now
    db.session.flush()
    social.follow_case(author, case, quiet=True)
    social.announce_new_case(case)
    outbox.enqueue("case", case.id)
    return case


def update_case(actor: Member, case: Case, fields: CaseFields) -> Case:
    """Edit a published case; its author only."""
    if not is_owner(actor, case):
        raise NotAllowed(_l("Du kan kun redigere dine egne sager."))
    if case.status == "draft":
        return save_draft(actor, case, fields)
    _apply(case, fields)
    _require_complete(case)
    case.last_activity_at = utcnow()
    db.session.flush()
    outbox.enqueue("case", case.id)
    return case


def save_case(author: Member, case: Case | None, fields: CaseFields, *, publish: bool = False) -> Case:
    """Write a case, for the page and the API alike: a published case is updated; a new case or a
    draft is saved as a draft, or published when ``publish`` is set."""
    if case is not None and case.status != "draft":
        return update_case(author, case, fields)
    if publish:
        return publish_case(author, case, fields)
    return save_draft(author, case, fields)


STATUS_LABELS: dict[str, t.Any] = {
    "draft": _l("Kladde"),
    "open": _l("Åben"),
    "in_progress": _l("I gang"),
    "follow_up": _l("Opfølgning"),
    "closed": _l("Lukket"),
}


def change_status(actor: Member, case: Case, status: str, learning_summary: str = "") -> Case:
    """Move a case along its life; closing needs a learning summary ("Hvad skete der?")."""
    if not is_owner(actor, case):
        raise NotAllowed(_l("Kun den, der har skrevet sagen, kan ændre dens status."))
    if case.status == "draft":
        raise Conflict(_l("Offentliggør sagen først."))
    if status not in PUBLISHED_STATUSES:
        raise InvalidCase(_l("Ukendt status."), field="status")
    if len(learning_summary) > TEXT_MAX:
        raise InvalidCase(_l("Teksten må højst være på %(n)d tegn.", n=TEXT_MAX), field="learning_summary")
    if status == "closed":
        if not learning_summary.strip():
            raise InvalidCase(
                _l("Skriv kort, hvad der skete, før du lukker sagen."), field="learning_summary"
            )
        case.learning_summary = learning_summary.strip()
        case.closed_at = utcnow()
    else:
        case.closed_at = None
        if learning_summary.strip():
            case.learning_summary = learning_summary.strip()
    previous, case.status = case.status, status
    case.last_activity_at = utcnow()
    db.session.flush()
    outbox.enqueue("case", case.id)
    if previous != status:
        social.notify_followers(
            case,
            "case.status",
            str(
                _l(
                    "Sagen »%(title)s« har fået status: %(status)s",
                    title=case.title,
                    status=STATUS_LABELS[status],
                )
            ),
            exclude=actor,
        )
    return case


def can_delete_case(actor: Member, case: Case) -> bool:
    """Its author, or a coordinator."""
    return is_owner(actor, case) or actor.is_coordinator


def delete_case(actor: Member, case: Case) -> None:
    """Delete a case for good: its author, or a coordinator. Notifications about it are withdrawn."""
    if not can_delete_case(actor, case):
        raise NotAllowed()
    social.withdraw_case_notifications(case)
    if case.status != "draft":
        outbox.enqueue("case", case.id)
        if not is_owner(actor, case):
            audit.record(actor, "case.deleted", "case", case.id, case.title)
    db.session.delete(case)
    db.session.flush()


def record_session_outcome(
    case: Case, *, next_actions: str, learnings: str, session_title: str, actor: Member | None
) -> None:
    """Save what a reflecting-team session agreed (next actions, learnings) back to the case."""
    case.outcomes.append(
        CaseSessionOutcome(
            session_title=session_title.strip()[:200],
            next_actions=next_actions.strip(),
            learnings=learnings.strip(),
            recorded_by_id=actor.id if actor else None,
        )
    )
    case.last_activity_at = utcnow()
    db.session.flush()
    outbox.enqueue("case", case.id)
