"""What an organiser fills in for a meetup, and the rules every draft must follow.

``apply_draft`` checks a draft and writes it onto a meetup; ``service.create_meetup`` and
``service.update_meetup`` call it inside their transaction.
"""

import dataclasses
import datetime as dt
import typing as t
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from network.db import db
from network.errors import DomainError
from network.meetups.models import AgendaItem, Meetup, PollOption
from network.members.models import Member, School

LINKABLE_CASE_STATUSES = ("open", "in_progress", "follow_up")
MIN_POLL_OPTIONS, MAX_POLL_OPTIONS = 2, 6
# The longest each field may be, in characters: read by the form, the API schema and apply_draft.
TITLE_MAX, DESCRIPTION_MAX, NOTES_MAX = 200, 20_000, 50_000
ADDRESS_MAX, URL_MAX = 300, 500


class MeetupError(DomainError):
    default_message = _l("Netværksmødet kunne ikke gemmes.")


@dataclasses.dataclass
class AgendaDraft:
    title: str
    case_id: int | None = None
    project_id: int | None = None


@dataclasses.dataclass
class MeetupDraft:
    """What an organiser fills in; times are aware datetimes (UTC)."""

    title: str
    description: str = ""
    host_school_id: int | None = None
    address: str = ""
    online_url: str = ""
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    capacity: int = 30
    rsvp_deadline: dt.datetime | None = None
    visibility: str = "network"
    invited_school_ids: list[int] = dataclasses.field(default_factory=list)
    co_organiser_ids: list[int] = dataclasses.field(default_factory=list)
    agenda: list[AgendaDraft] = dataclasses.field(default_factory=list)
    # Candidate times (start, end) for a date poll; used only when starts_at is None.
    poll_options: list[tuple[dt.datetime, dt.datetime]] = dataclasses.field(default_factory=list)


def apply_draft(meetup: Meetup, draft: MeetupDraft, actor: Member, *, creating: bool) -> None:
    title = (draft.title or "").strip()
    if not title:
        raise MeetupError(_l("Skriv en titel."), field="title")
    address, online_url = (draft.address or "").strip(), (draft.online_url or "").strip()
    for name, value, limit in (
        ("title", title, TITLE_MAX),
        ("description", draft.description or "", DESCRIPTION_MAX),
        ("address", address, ADDRESS_MAX),
        ("online_url", online_url, URL_MAX),
        *(("agenda", item.title.strip(), TITLE_MAX) for item in draft.agenda),
    ):
        if len(value) > limit:
            raise MeetupError(_l("Teksten må højst være på %(n)d tegn.", n=limit), field=name)
    if online_url:
        parts = urlsplit(online_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise MeetupError(_l("Linket skal begynde med http:// eller https://."), field="online_url")
    if not address and not online_url:
        raise MeetupError(_l("Angiv en adresse, et onlinelink eller begge."), field="address")
    if draft.capacity is None or draft.capacity < 1:
        raise MeetupError(_l("Kapaciteten skal være mindst 1."), field="capacity")
    if draft.visibility not in ("network", "invited"):
        raise MeetupError(_l("Vælg hvem der kan se mødet."), field="visibility")
    schools = _schools(draft.invited_school_ids)
    if draft.visibility == "invited" and not schools:
        raise MeetupError(_l("Vælg mindst én inviteret skole."), field="invited_school_ids")
    host = db.session.get(School, draft.host_school_id) if draft.host_school_id else None
    if host is None:
        raise MeetupError(_l("Vælg værtsskolen."), field="host_school_id")

    if draft.starts_at is None and creating:
        _check_poll_options(draft.poll_options)
        meetup.status = "polling"
        meetup.poll_options = [PollOption(starts_at=s, ends_at=e) for s, e in draft.poll_options]
    elif draft.starts_at is None and not meetup.is_polling:
        raise MeetupError(_l("Angiv dato og starttidspunkt."), field="start_date")
    elif draft.starts_at is not None:
        if draft.ends_at is None or draft.ends_at <= draft.starts_at:
            raise MeetupError(_l("Mødet skal slutte efter, det begynder."), field="end_time")
        if draft.rsvp_deadline and draft.rsvp_deadline > draft.starts_at:
            raise MeetupError(_l("Tilmeldingsfristen skal ligge før mødet."), field="deadline_date")
        meetup.starts_at, meetup.ends_at = draft.starts_at, draft.ends_at
        if meetup.is_polling:
            meetup.status = "scheduled"
    meetup.rsvp_deadline = draft.rsvp_deadline

    meetup.title = title
    meetup.description = draft.description or ""
    meetup.host_school_id = host.id
    meetup.host_school = host
    meetup.address, meetup.online_url = address, online_url
    meetup.capacity = draft.capacity
    meetup.visibility = draft.visibility
    meetup.invited_schools = schools if draft.visibility == "invited" else []
    co_organisers = _members(draft.co_organiser_ids)
    creator = meetup.created_by_id or actor.id
    keep = [o for o in meetup.organisers if o.id == creator]
    meetup.organisers = keep + [m for m in co_organisers if m.id != creator]
    meetup.agenda = [
        AgendaItem(
            position=i,
            title=item.title.strip(),
            case_id=_linkable_case(item.case_id),
            project_id=_linkable_project(item.project_id),
        )
        for i, item in enumerate(a for a in draft.agenda if a.title.strip())
    ]


def _check_poll_options(options: list[tuple[dt.datetime, dt.datetime]]) -> None:
    if not MIN_POLL_OPTIONS <= len(options) <= MAX_POLL_OPTIONS:
        raise MeetupError(_l("Foreslå mellem 2 og 6 tidspunkter."), field="poll_options")
    if any(end <= start for start, end in options):
        raise MeetupError(_l("Hvert forslag skal slutte efter, det begynder."), field="poll_options")


def _schools(ids: t.Iterable[int]) -> list[School]:
    ids = sorted({i for i in ids if i})
    schools = list(db.session.scalars(select(School).where(School.id.in_(ids)))) if ids else []
    if len(schools) != len(ids):
        raise MeetupError(_l("Vælg skoler fra listen."), field="invited_school_ids")
    return schools


def _members(ids: t.Iterable[int]) -> list[Member]:
    ids = sorted({i for i in ids if i})
    members = list(db.session.scalars(select(Member).where(Member.id.in_(ids)))) if ids else []
    if len(members) != len(ids):
        raise MeetupError(_l("Vælg medarrangører fra listen."), field="co_organiser_ids")
    return members


def _linkable_case(case_id: int | None) -> int | None:
    """A case may be on the agenda while it is open for sparring and not hidden."""
    if not case_id:
        return None
    from network.cases.models import Case

    case = db.session.get(Case, case_id)
    if case is None or case.is_hidden or case.status not in LINKABLE_CASE_STATUSES:
        raise MeetupError(_l("Kun åbne sager kan sættes på dagsordenen."), field="agenda")
    return case.id


def _linkable_project(project_id: int | None) -> int | None:
    if not project_id:
        return None
    from network.projects.models import ALProject

    project = db.session.get(ALProject, project_id)
    if project is None or project.is_hidden:
        raise MeetupError(_l("AL-projektet findes ikke."), field="agenda")
    return project.id


def linkable_cases() -> list:
    """Cases that may go on an agenda (open, in progress or follow-up; not hidden)."""
    from network.cases.models import Case

    query = (
        select(Case)
        .where(Case.status.in_(LINKABLE_CASE_STATUSES), Case.is_hidden.is_(False))
        .order_by(Case.title)
    )
    return list(db.session.scalars(query))


def linkable_projects() -> list:
    from network.projects.models import ALProject

    return list(
        db.session.scalars(select(ALProject).where(ALProject.is_hidden.is_(False)).order_by(ALProject.title))
    )
