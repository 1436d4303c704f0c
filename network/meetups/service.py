"""Rules for meetups: who sees them, creating and changing them, RSVP with waitlist, notes.

Times are stored in UTC; ``local_datetime``/``to_local`` convert from and to Europe/Copenhagen.
Date polls live in ``polls.py``, calendars in ``calendar.py``, reminders in ``reminders.py``.
"""

import dataclasses
import datetime as dt
import typing as t
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import nh3
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, true

from network.audit import service as audit
from network.db import db, utcnow
from network.errors import DomainError, NotAllowed, NotFound
from network.markdown import render_markdown
from network.meetups.models import AgendaItem, Meetup, PollOption, Rsvp
from network.members.models import Member, School
from network.notifications.service import notify
from network.search.outbox import enqueue

TZ = ZoneInfo("Europe/Copenhagen")
LINKABLE_CASE_STATUSES = ("open", "in_progress", "follow_up")
MIN_POLL_OPTIONS, MAX_POLL_OPTIONS = 2, 6


class MeetupError(DomainError):
    default_message = _l("Netværksmødet kunne ikke gemmes.")


class MeetupCancelled(DomainError):
    status = 409
    default_message = _l("Netværksmødet er aflyst.")


class RsvpClosed(DomainError):
    status = 409
    default_message = _l("Fristen for tilmelding er overskredet.")


class NotScheduled(DomainError):
    status = 409
    default_message = _l("Tidspunktet er ikke fastlagt endnu. Svar på datoafstemningen i stedet.")


def meetup_path(meetup_id: int) -> str:
    """The meetup page's path (also outside a request, e.g. in reminders)."""
    return f"/netvaerksmoeder/{meetup_id}"


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """A date and wall-clock time in Copenhagen as an aware UTC datetime."""
    return dt.datetime.combine(day, time, tzinfo=TZ).astimezone(dt.UTC)


def to_local(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored UTC time as Copenhagen wall-clock time."""
    return moment.astimezone(TZ) if moment else None


# --- who may see and change what ---------------------------------------------------------


def can_view_meetup(viewer: Member | None, meetup: Meetup) -> bool:
    """Whether the viewer may see the meetup at all (list, page, feed, API, search)."""
    if viewer is None or not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return False
    if meetup.visibility == "network" or viewer.is_coordinator:
        return True
    if any(o.id == viewer.id for o in meetup.organisers):
        return True
    school_ids = {s.id for s in meetup.invited_schools} | {meetup.host_school_id}
    return viewer.school_id is not None and viewer.school_id in school_ids


def can_manage_meetup(viewer: Member | None, meetup: Meetup) -> bool:
    """Organisers (creator and co-organisers) and coordinators manage a meetup."""
    if not can_view_meetup(viewer, meetup):
        return False
    return viewer.is_coordinator or any(o.id == viewer.id for o in meetup.organisers)


def visible_clause(viewer: Member) -> t.Any:
    """A WHERE clause keeping only the meetups the viewer may see."""
    if viewer.is_coordinator:
        return true()
    return or_(
        Meetup.visibility == "network",
        Meetup.host_school_id == viewer.school_id,
        Meetup.invited_schools.any(School.id == viewer.school_id),
        Meetup.organisers.any(Member.id == viewer.id),
    )


def get_meetup(viewer: Member, meetup_id: int) -> Meetup:
    """One meetup the viewer may see; NotFound otherwise (the others must not learn it exists)."""
    meetup = db.session.get(Meetup, meetup_id)
    if meetup is None or not can_view_meetup(viewer, meetup):
        raise NotFound()
    return meetup


def get_managed_meetup(viewer: Member, meetup_id: int) -> Meetup:
    """A meetup the viewer organises (or coordinates); NotFound/NotAllowed otherwise."""
    meetup = get_meetup(viewer, meetup_id)
    if not can_manage_meetup(viewer, meetup):
        raise NotAllowed()
    return meetup


# --- lists ----------------------------------------------------------------------------------


def upcoming(viewer: Member, now: dt.datetime | None = None) -> list[Meetup]:
    """Meetups not yet over (and open date polls), soonest first."""
    now = now or utcnow()
    query = (
        select(Meetup)
        .where(visible_clause(viewer), Meetup.status != "cancelled")
        .where(or_(Meetup.status == "polling", Meetup.ends_at >= now))
        .order_by(Meetup.starts_at.is_(None), Meetup.starts_at, Meetup.id)
    )
    return list(db.session.scalars(query))


def archive(viewer: Member, now: dt.datetime | None = None) -> list[Meetup]:
    """Past meetups, newest first: the network's archive."""
    now = now or utcnow()
    query = (
        select(Meetup)
        .where(visible_clause(viewer), Meetup.status == "scheduled", Meetup.ends_at < now)
        .order_by(Meetup.starts_at.desc())
    )
    return list(db.session.scalars(query))


def in_month(viewer: Member, year: int, month: int) -> list[Meetup]:
    """Scheduled (and cancelled) meetups starting in one Copenhagen calendar month."""
    first = dt.datetime(year, month, 1, tzinfo=TZ)
    after = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=TZ)
    query = (
        select(Meetup)
        .where(visible_clause(viewer), Meetup.starts_at >= first, Meetup.starts_at < after)
        .order_by(Meetup.starts_at)
    )
    return list(db.session.scalars(query))


def my_meetups(member: Member) -> list[Meetup]:
    """Meetups the member organises or answered going, maybe or waitlisted to."""
    answered = select(Rsvp.meetup_id).where(
        Rsvp.member_id == member.id, Rsvp.state.in_(("going", "maybe", "waitlist"))
    )
    query = (
        select(Meetup)
        .where(or_(Meetup.id.in_(answered), Meetup.organisers.any(Member.id == member.id)))
        .order_by(Meetup.starts_at.is_(None), Meetup.starts_at.desc())
    )
    return [m for m in db.session.scalars(query) if can_view_meetup(member, m)]


# --- creating and changing ------------------------------------------------------------------


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


def create_meetup(creator: Member, draft: MeetupDraft) -> Meetup:
    """Create a meetup (scheduled, or with a date poll when no time is given)."""
    if not creator.is_active:
        raise NotAllowed()
    meetup = Meetup(created_by_id=creator.id, sequence=0)
    meetup.organisers = [creator]
    _apply(meetup, draft, creator, creating=True)
    db.session.add(meetup)
    db.session.flush()
    enqueue("meetup", meetup.id)
    audit.record(creator, "meetup.create", "meetup", meetup.id, meetup.title)
    return meetup


def update_meetup(actor: Member, meetup_id: int, draft: MeetupDraft) -> Meetup:
    """Change a meetup; raises the calendar SEQUENCE and fills freed places from the waitlist."""
    meetup = _locked(meetup_id)
    if meetup is None or not can_manage_meetup(actor, meetup):
        raise NotFound() if meetup is None or not can_view_meetup(actor, meetup) else NotAllowed()
    if meetup.is_cancelled:
        raise MeetupCancelled()
    going = going_count(meetup)
    if draft.capacity < going:
        raise MeetupError(
            _l("%(n)d har allerede meldt sig til. Kapaciteten kan ikke være lavere.", n=going),
            field="capacity",
        )
    _apply(meetup, draft, actor, creating=False)
    meetup.sequence += 1
    promote_from_waitlist(meetup)
    db.session.flush()
    enqueue("meetup", meetup.id)
    audit.record(actor, "meetup.update", "meetup", meetup.id, meetup.title)
    return meetup


def cancel_meetup(actor: Member, meetup_id: int) -> Meetup:
    """Cancel a meetup; everyone who answered yes, maybe or waitlisted is told."""
    meetup = get_managed_meetup(actor, meetup_id)
    if meetup.is_cancelled:
        raise MeetupCancelled()
    meetup.status = "cancelled"
    meetup.cancelled_at = utcnow()
    meetup.sequence += 1
    for rsvp in meetup.rsvps:
        if rsvp.state in ("going", "maybe", "waitlist") and rsvp.member_id != actor.id:
            notify(
                rsvp.member,
                "meetup_cancelled",
                str(_l("Netværksmødet “%(title)s” er aflyst", title=meetup.title)),
                url=meetup_path(meetup.id),
                subject_type="meetup",
                subject_id=meetup.id,
            )
    db.session.flush()
    enqueue("meetup", meetup.id)
    audit.record(actor, "meetup.cancel", "meetup", meetup.id, meetup.title)
    return meetup


def _apply(meetup: Meetup, draft: MeetupDraft, actor: Member, *, creating: bool) -> None:
    title = (draft.title or "").strip()
    if not title:
        raise MeetupError(_l("Skriv en titel."), field="title")
    address, online_url = (draft.address or "").strip(), (draft.online_url or "").strip()
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

    meetup.title = title[:200]
    meetup.description = draft.description or ""
    meetup.host_school_id = host.id
    meetup.host_school = host
    meetup.address, meetup.online_url = address[:300], online_url[:500]
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
            title=item.title.strip()[:200],
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


# --- RSVP -----------------------------------------------------------------------------------


def _locked(meetup_id: int) -> Meetup | None:
    # Row lock: concurrent RSVPs to one meetup queue here, so the count below cannot go stale
    # (PostgreSQL). SQLite ignores FOR UPDATE; its single writer serialises the transactions.
    query = (
        select(Meetup)
        .where(Meetup.id == meetup_id)
        .with_for_update(of=Meetup)
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(query).unique().one_or_none()


def going_count(meetup: Meetup) -> int:
    return (
        db.session.scalar(select(func.count()).where(Rsvp.meetup_id == meetup.id, Rsvp.state == "going")) or 0
    )


def waitlist(meetup: Meetup) -> list[Rsvp]:
    """The waitlist in order: first come, first promoted."""
    query = (
        select(Rsvp)
        .where(Rsvp.meetup_id == meetup.id, Rsvp.state == "waitlist")
        .order_by(Rsvp.waitlisted_at, Rsvp.id)
    )
    return list(db.session.scalars(query))


def rsvp_of(member: Member, meetup: Meetup) -> Rsvp | None:
    return db.session.scalar(select(Rsvp).where(Rsvp.meetup_id == meetup.id, Rsvp.member_id == member.id))


def rsvp_deadline(meetup: Meetup) -> dt.datetime | None:
    """When answers close: the deadline, else the start."""
    return meetup.rsvp_deadline or meetup.starts_at


def respond(member: Member, meetup_id: int, answer: str, now: dt.datetime | None = None) -> Rsvp:
    """Answer going / maybe / not going; "going" to a full meetup joins the waitlist."""
    if answer not in ("going", "maybe", "not_going"):
        raise MeetupError(_l("Vælg et svar."), field="answer")
    now = now or utcnow()
    meetup = _locked(meetup_id)
    if meetup is None or not can_view_meetup(member, meetup):
        raise NotFound()
    if meetup.is_cancelled:
        raise MeetupCancelled()
    if meetup.is_polling:
        raise NotScheduled()
    rsvp = rsvp_of(member, meetup)
    deadline = rsvp_deadline(meetup)
    # After the deadline one may still say no until the meetup begins, so the place goes to the waitlist.
    withdrawing = answer == "not_going" and rsvp is not None and now < meetup.starts_at
    if deadline is not None and now > deadline and not withdrawing:
        raise RsvpClosed()
    if rsvp is None:
        rsvp = Rsvp(meetup_id=meetup.id, member_id=member.id, member=member, state="not_going")
        db.session.add(rsvp)
    previous = rsvp.state
    if answer == "going":
        if previous not in ("going", "waitlist"):
            if going_count(meetup) < meetup.capacity:
                rsvp.state, rsvp.waitlisted_at = "going", None
            else:
                rsvp.state, rsvp.waitlisted_at = "waitlist", now
    else:
        rsvp.state, rsvp.waitlisted_at = answer, None
    db.session.flush()
    if previous == "going" and rsvp.state != "going":
        promote_from_waitlist(meetup)
    return rsvp


def promote_from_waitlist(meetup: Meetup) -> list[Rsvp]:
    """Fill free places from the waitlist in order and tell each promoted member."""
    promoted = []
    free = meetup.capacity - going_count(meetup)
    for rsvp in waitlist(meetup)[: max(free, 0)]:
        rsvp.state, rsvp.waitlisted_at = "going", None
        promoted.append(rsvp)
        notify(
            rsvp.member,
            "meetup_promoted",
            str(_l("Du har fået en plads til “%(title)s”", title=meetup.title)),
            body=str(_l("En plads blev ledig, og du er rykket op fra ventelisten.")),
            url=meetup_path(meetup.id),
            subject_type="meetup",
            subject_id=meetup.id,
        )
    db.session.flush()
    return promoted


def attendees(meetup: Meetup) -> list[Rsvp]:
    """Those going, by school and name, for the organisers."""
    query = select(Rsvp).where(Rsvp.meetup_id == meetup.id, Rsvp.state == "going")
    rows = list(db.session.scalars(query))
    return sorted(rows, key=lambda r: ((r.member.school.name if r.member.school else ""), r.member.name))


def rsvp_counts(meetup: Meetup) -> dict[str, int]:
    rows = db.session.execute(
        select(Rsvp.state, func.count()).where(Rsvp.meetup_id == meetup.id).group_by(Rsvp.state)
    )
    counts = dict.fromkeys(("going", "waitlist", "maybe", "not_going"), 0)
    counts.update({state: n for state, n in rows})
    return counts


# --- after the meetup ------------------------------------------------------------------------


def record_outcome(
    actor: Member,
    meetup_id: int,
    *,
    notes: str,
    attended_member_ids: t.Iterable[int],
    discussed_case_ids: t.Iterable[int],
    now: dt.datetime | None = None,
) -> Meetup:
    """Save notes, who came and which cases were discussed (once the meetup has begun)."""
    meetup = get_managed_meetup(actor, meetup_id)
    now = now or utcnow()
    if meetup.is_cancelled or meetup.starts_at is None or meetup.starts_at > now:
        raise MeetupError(_l("Referat og fremmøde kan først skrives, når mødet er begyndt."))
    meetup.notes = notes or ""
    attended = set(attended_member_ids)
    for rsvp in meetup.rsvps:
        rsvp.attended = rsvp.member_id in attended
    from network.cases.models import Case

    ids = sorted(set(discussed_case_ids))
    cases = list(db.session.scalars(select(Case).where(Case.id.in_(ids)))) if ids else []
    meetup.discussed_cases = [c for c in cases if not c.is_hidden]
    db.session.flush()
    enqueue("meetup", meetup.id)
    audit.record(actor, "meetup.outcome", "meetup", meetup.id, meetup.title)
    return meetup


# --- search ---------------------------------------------------------------------------------


def _plain(markdown_text: str) -> str:
    return nh3.clean(str(render_markdown(markdown_text)), tags=set()).strip()


def search_document(meetup_id: int) -> dict | None:
    """The meetup as the search index wants it, or None when it is cancelled or gone."""
    meetup = db.session.get(Meetup, meetup_id)
    if meetup is None or meetup.is_cancelled:
        return None
    agenda = "\n".join(item.title + (f" ({item.case.title})" if item.case else "") for item in meetup.agenda)
    body = "\n\n".join(p for p in (_plain(meetup.description), agenda, _plain(meetup.notes)) if p)
    date = meetup.starts_at or (
        meetup.poll_options[0].starts_at if meetup.poll_options else meetup.created_at
    )
    visible = None
    if meetup.visibility == "invited":
        visible = sorted({s.id for s in meetup.invited_schools} | {meetup.host_school_id} - {None})
    return {
        "id": meetup.id,
        "kind": "meetup",
        "title": meetup.title,
        "body": body,
        "school_id": meetup.host_school_id,
        "school": meetup.host_school.name if meetup.host_school else "",
        "date": date,
        "year": to_local(date).year,
        "visible_school_ids": visible,
    }
