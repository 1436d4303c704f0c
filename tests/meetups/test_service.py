"""Meetup rules: creating, capacity, waitlist, promotion, visibility, outcome, search document."""

import datetime as dt

import pytest
import time_machine

from network.cases.models import Case
from network.db import db
from network.errors import NotAllowed, NotFound
from network.meetups import drafts, service
from network.meetups.drafts import MeetupError
from network.meetups.service import RsvpClosed
from network.notifications.models import Notification
from network.search.outbox import SearchOutbox
from tests.meetups.conftest import NOW, draft_of, local


def notifications(member, kind=None):
    query = db.select(Notification).where(Notification.member_id == member.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query))


@time_machine.travel(NOW, tick=False)
def test_capacity_fills_then_waitlist_in_order(factory, make_meetup):
    organiser = factory.member("Olga Arrangør")
    meetup = make_meetup(organiser, capacity=2)
    a, b, c, d = (factory.member(f"Deltager {n}") for n in "ABCD")
    states = [service.respond(m, meetup.id, "going").state for m in (a, b, c, d)]
    db.session.commit()
    assert states == ["going", "going", "waitlist", "waitlist"]
    assert service.going_count(meetup) == 2
    assert [r.member.name for r in service.waitlist(meetup)] == ["Deltager C", "Deltager D"]


@time_machine.travel(NOW, tick=False)
def test_a_cancellation_promotes_the_first_in_line_who_is_notified(factory, make_meetup):
    organiser = factory.member()
    meetup = make_meetup(organiser, capacity=1)
    first, second, third = (factory.member(f"Leder {n}") for n in (1, 2, 3))
    for member in (first, second, third):
        service.respond(member, meetup.id, "going")
    db.session.commit()

    service.respond(first, meetup.id, "not_going")
    db.session.commit()

    assert service.rsvp_of(second, meetup).state == "going"
    assert service.rsvp_of(third, meetup).state == "waitlist"
    promoted = notifications(second, "meetup_promoted")
    assert len(promoted) == 1 and meetup.title in promoted[0].title
    assert notifications(third, "meetup_promoted") == []


@time_machine.travel(NOW, tick=False)
def test_answering_going_twice_keeps_the_place(factory, make_meetup):
    meetup = make_meetup(factory.member(), capacity=1)
    member = factory.member()
    service.respond(member, meetup.id, "going")
    assert service.respond(member, meetup.id, "going").state == "going"
    assert service.going_count(meetup) == 1


@time_machine.travel(NOW, tick=False)
def test_raising_capacity_promotes_from_waitlist_and_lowering_below_going_is_refused(factory, make_meetup):
    organiser = factory.member()
    meetup = make_meetup(organiser, capacity=1)
    a, b = factory.member(), factory.member()
    service.respond(a, meetup.id, "going")
    service.respond(b, meetup.id, "going")
    db.session.commit()
    service.update_meetup(organiser, meetup.id, draft_of(meetup, capacity=2))
    db.session.commit()
    assert service.rsvp_of(b, meetup).state == "going"
    assert meetup.sequence == 1

    with pytest.raises(MeetupError) as error:
        service.update_meetup(organiser, meetup.id, draft_of(meetup, capacity=1))
    assert error.value.field == "capacity"
    assert "2 har allerede meldt sig til" in str(error.value.message)


def test_end_before_start_is_refused(factory, make_meetup):
    with pytest.raises(MeetupError) as error:
        make_meetup(factory.member(), starts_at=local(2026, 10, 1, 12), ends_at=local(2026, 10, 1, 10))
    assert error.value.field == "end_time"
    assert "slutte efter" in str(error.value.message)


def test_online_link_must_be_http(factory, make_meetup):
    with pytest.raises(MeetupError) as error:
        make_meetup(factory.member(), online_url="javascript:alert(1)")
    assert error.value.field == "online_url"


def test_a_place_or_link_is_required(factory, make_meetup):
    with pytest.raises(MeetupError) as error:
        make_meetup(factory.member(), address="")
    assert error.value.field == "address"


def test_rsvp_after_deadline_is_refused_but_withdrawing_still_frees_the_place(factory, make_meetup):
    with time_machine.travel(NOW, tick=False):
        meetup = make_meetup(factory.member(), capacity=1, rsvp_deadline=local(2026, 9, 20, 23, 59))
        going, waiting = factory.member(), factory.member()
        service.respond(going, meetup.id, "going")
        service.respond(waiting, meetup.id, "going")
        db.session.commit()
    member = factory.member()
    with time_machine.travel(local(2026, 9, 21, 8), tick=False):
        for answer in ("going", "maybe", "not_going"):
            with pytest.raises(RsvpClosed):
                service.respond(member, meetup.id, answer)
        with pytest.raises(RsvpClosed):
            service.respond(going, meetup.id, "maybe")
        service.respond(going, meetup.id, "not_going")
    assert service.rsvp_of(waiting, meetup).state == "going"
    with time_machine.travel(local(2026, 10, 1, 11), tick=False), pytest.raises(RsvpClosed):
        service.respond(waiting, meetup.id, "not_going")  # the meetup has begun


@time_machine.travel(NOW, tick=False)
def test_invited_only_meetup_is_hidden_from_other_schools(factory, make_meetup):
    host = factory.school("Værtsskolen")
    guest = factory.school("Gæsteskolen")
    outsider_school = factory.school("Udeskolen")
    organiser = factory.member(school=host)
    meetup = make_meetup(organiser, visibility="invited", invited_school_ids=[guest.id])
    guest_member = factory.member(school=guest)
    outsider = factory.member(school=outsider_school)
    coordinator = factory.coordinator(school=outsider_school)

    assert service.can_view_meetup(guest_member, meetup)
    assert service.can_view_meetup(coordinator, meetup)
    assert not service.can_view_meetup(outsider, meetup)
    assert meetup not in service.upcoming(outsider)
    assert meetup in service.upcoming(guest_member)
    with pytest.raises(NotFound):
        service.respond(outsider, meetup.id, "going")
    with pytest.raises(NotAllowed):
        service.cancel_meetup(guest_member, meetup.id)
    assert service.search_document(meetup.id)["visible_school_ids"] == sorted([host.id, guest.id])


@time_machine.travel(NOW, tick=False)
def test_co_organiser_may_manage(factory, make_meetup):
    organiser, co = factory.member(), factory.member()
    meetup = make_meetup(organiser, co_organiser_ids=[co.id])
    assert service.can_manage_meetup(co, meetup)
    service.cancel_meetup(co, meetup.id)
    assert meetup.is_cancelled and meetup.sequence == 1


@time_machine.travel(NOW, tick=False)
def test_cancelling_notifies_those_coming_and_leaves_search(factory, make_meetup, app):
    from network.search import service as search
    from network.search.backend import SearchQuery

    organiser = factory.member()
    meetup = make_meetup(organiser, title="Sparring om praktikpladser")
    member = factory.member()
    service.respond(member, meetup.id, "maybe")
    db.session.commit()
    found = search.search(member, SearchQuery(q="praktikpladser", kind="meetup"))
    assert [hit.object_id for hit in found.hits] == [meetup.id]
    service.cancel_meetup(organiser, meetup.id)
    db.session.commit()
    assert len(notifications(member, "meetup_cancelled")) == 1
    assert service.search_document(meetup.id) is None
    assert search.search(member, SearchQuery(q="praktikpladser", kind="meetup")).hits == []
    assert db.session.scalar(db.select(db.func.count()).select_from(SearchOutbox)) == 0  # drained


@time_machine.travel(NOW, tick=False)
def test_a_meetup_for_invited_schools_never_enters_the_search(factory, make_meetup):
    from network.search import service as search
    from network.search.backend import SearchQuery

    host = factory.school("Værtsskolen")
    organiser = factory.member(school=host)
    make_meetup(
        organiser, title="Lukket møde om praktikpladser", visibility="invited", invited_school_ids=[host.id]
    )
    db.session.commit()
    for viewer in (factory.member(), factory.member(school=host), factory.coordinator()):
        results = search.search(viewer, SearchQuery(q="praktikpladser"))
        assert results.hits == [] and results.total == 0


def _case(status="open", hidden=False, title="Lærere der ikke vil samarbejde", visibility="anonymous"):
    case = Case(title=title, status=status, is_hidden=hidden, visibility=visibility)
    db.session.add(case)
    db.session.commit()
    return case


@time_machine.travel(NOW, tick=False)
def test_agenda_links_only_open_visible_cases(factory, make_meetup):
    organiser = factory.member()
    open_case = _case()
    closed_case = _case(status="closed")
    hidden_case = _case(hidden=True)
    meetup = make_meetup(organiser, agenda=[drafts.AgendaDraft("Sparring", case_id=open_case.id)])
    assert meetup.agenda[0].case.title == open_case.title
    for case in (closed_case, hidden_case):
        with pytest.raises(MeetupError):
            make_meetup(organiser, agenda=[drafts.AgendaDraft("Sparring", case_id=case.id)])
        db.session.rollback()
    assert open_case in drafts.linkable_cases() and closed_case not in drafts.linkable_cases()


def test_outcome_after_the_meetup_is_searchable(factory, make_meetup):
    organiser = factory.member()
    with time_machine.travel(NOW, tick=False):
        meetup = make_meetup(organiser, agenda=[drafts.AgendaDraft("Fravær på grundforløbet")])
        member = factory.member()
        service.respond(member, meetup.id, "going")
        db.session.commit()
        with pytest.raises(MeetupError):
            service.record_outcome(
                organiser, meetup.id, notes="x", attended_member_ids=[], discussed_case_ids=[]
            )
    case = _case()
    with time_machine.travel(local(2026, 10, 1, 15), tick=False):
        service.record_outcome(
            organiser,
            meetup.id,
            notes="Vi aftalte **faste** makkerpar.",
            attended_member_ids=[member.id],
            discussed_case_ids=[case.id],
        )
        db.session.commit()
        assert service.rsvp_of(member, meetup).attended
        assert meetup in service.archive(member)
    document = service.search_document(meetup.id)
    assert document["kind"] == "meetup" and document["visible_school_ids"] is None
    assert "faste makkerpar" in document["body"] and "**" not in document["body"]
    assert "Fravær på grundforløbet" in document["body"]
    assert document["year"] == 2026 and document["school_id"] == organiser.school_id


def test_times_are_stored_in_utc_from_copenhagen_wall_clock():
    # 25 October 2026: summer time ends at 03:00 local; 10:00 that day is UTC+1.
    assert local(2026, 10, 25, 10) == dt.datetime(2026, 10, 25, 9, 0, tzinfo=dt.UTC)
    assert local(2026, 10, 24, 10) == dt.datetime(2026, 10, 24, 8, 0, tzinfo=dt.UTC)
