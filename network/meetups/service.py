"""Rules for meetups: who sees them, creating and changing them, RSVP with waitlist, notes.

Times are stored in UTC; ``local_datetime``/``to_local`` convert from and to Europe/Copenhagen.
What a meetup may contain is checked in ``drafts.py``; date polls live in ``polls.py``,
calendars in ``calendar.py``, reminders in ``reminders.py``.
"""

import dataclasses
import datetime as dt
import typing as t
from zoneinfo import ZoneInfo

import nh3
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, true

from network.audit import service as audit
from network.db import db, utcnow
from network.errors import DomainError, NotAllowed, NotFound
from network.markdown import render_markdown
from network.meetups.drafts import MeetupDraft, MeetupError, apply_draft
from network.meetups.models import Meetup, Rsvp
from network.members.models import Member, School
from network.notifications.service import notify, tell_newly_named
from network.search.outbox import enqueue

TZ = ZoneInfo("Europe/Copenhagen")


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


def create_meetup(creator: Member, draft: MeetupDraft) -> Meetup:
    """Create a meetup (scheduled, or with a date poll when no time is given)."""
    if not creator.is_active:
        raise NotAllowed()
    meetup = Meetup(created_by_id=creator.id, sequence=0)
    meetup.organisers = [creator]
    apply_draft(meetup, draft, creator, creating=True)
    db.session.add(meetup)
    db.session.flush()
    _tell_new_co_organisers(creator, meetup, before={creator.id})
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
    before = {o.id for o in meetup.organisers}
    apply_draft(meetup, draft, actor, creating=False)
    _tell_new_co_organisers(actor, meetup, before)
    meetup.sequence += 1
    promote_from_waitlist(meetup)
    db.session.flush()
    enqueue("meetup", meetup.id)
    audit.record(actor, "meetup.update", "meetup", meetup.id, meetup.title)
    return meetup


def _tell_new_co_organisers(actor: Member, meetup: Meetup, before: set[int]) -> None:
    """Nobody is named co-organiser unknowingly: each new one is told, with a way out."""
    title = _l("%(name)s har gjort dig til medarrangør af “%(title)s”", name=actor.name, title=meetup.title)
    tell_newly_named(
        actor,
        meetup.organisers,
        before,
        "meetup_co_organiser",
        title=str(title),
        body=str(_l("Vil du ikke stå som medarrangør, kan du fjerne dig selv på mødets side.")),
        url=meetup_path(meetup.id),
        subject_type="meetup",
        subject_id=meetup.id,
    )


def leave_organisers(member: Member, meetup_id: int) -> Meetup:
    """A co-organiser takes themself off the meetup ("remove me"); the creator stays."""
    meetup = get_meetup(member, meetup_id)
    if member.id == meetup.created_by_id or member not in meetup.organisers:
        raise NotAllowed()
    meetup.organisers = [o for o in meetup.organisers if o.id != member.id]
    db.session.flush()
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


# --- what a viewer sees of linked cases and projects -------------------------------------------


@dataclasses.dataclass(frozen=True)
class AgendaEntry:
    """An agenda item as one viewer may see it: a case or project they may not see is None."""

    title: str
    case: t.Any = None  # a Case
    project: t.Any = None  # an ALProject


def agenda_as_seen(viewer: Member, meetup: Meetup) -> list[AgendaEntry]:
    """The agenda through the cases' and projects' own rules, so a hidden case leaves no title here."""
    from network.cases.service import can_view_case
    from network.projects.service import can_view_project

    return [
        AgendaEntry(
            title=item.title,
            case=item.case if item.case and can_view_case(viewer, item.case) else None,
            project=item.project if item.project and can_view_project(viewer, item.project) else None,
        )
        for item in meetup.agenda
    ]


def discussed_cases_as_seen(viewer: Member, meetup: Meetup) -> list:
    """The cases the meetup discussed that the viewer may see (one hidden since is left out)."""
    from network.cases.service import can_view_case

    return [case for case in meetup.discussed_cases if can_view_case(viewer, case)]


def _open_to_all(case: t.Any) -> bool:
    """The index is shared by every member: only a case any member may see goes into it."""
    return case is not None and case.status != "draft" and not case.is_hidden


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
    agenda = "\n".join(
        item.title + (f" ({item.case.title})" if _open_to_all(item.case) else "") for item in meetup.agenda
    )
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
