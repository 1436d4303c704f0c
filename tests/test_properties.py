"""Property tests (Hypothesis) for the core rules: any sequence of actions keeps each rule.

Each example builds its own meetup, case or room inside the test's database, so the
function-scoped fixtures (one app and database per test) are shared by the examples on purpose.
"""

import datetime as dt
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from network.cases import moderation
from network.cases import service as cases
from network.cases.models import Case
from network.db import db, utcnow
from network.errors import DomainError
from network.meetups import drafts
from network.meetups import service as meetups
from network.meetups.models import Rsvp
from network.rooms import sessions
from network.rooms.errors import OutOfTurn
from network.search.outbox import SearchOutbox
from tests.rooms.conftest import make_case, make_room

PROPERTY_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    # The fixtures give one app and database per test; every example makes its own objects in it.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --- (a) meetup capacity and waitlist ----------------------------------------------------------

MEMBERS = 6
ANSWERS = ("going", "maybe", "not_going")


@pytest.fixture(autouse=True)
def _no_indexing_after_commit(ctx):
    """These rules are about the database; indexing after each of hundreds of commits only costs time."""
    ctx.config["SEARCH_DRAIN_AFTER_COMMIT"] = False


@pytest.fixture
def people(factory):
    """Six members of one school and a coordinator who organises the meetups."""
    school = factory.school()
    return {
        "organiser": factory.coordinator(school=school),
        "members": [factory.member(school=school) for _ in range(MEMBERS)],
    }


def _new_meetup(organiser, capacity: int):
    start = utcnow() + dt.timedelta(days=30)
    draft = drafts.MeetupDraft(
        title="Sparring om fravær",
        description="Vi deler erfaringer.",
        host_school_id=organiser.school_id,
        address="Skolevej 1, Odense",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        capacity=capacity,
    )
    meetup = meetups.create_meetup(organiser, draft)
    db.session.commit()
    return meetup


@PROPERTY_SETTINGS
@given(
    capacity=st.integers(min_value=1, max_value=4),
    answers=st.lists(
        st.tuples(st.integers(min_value=0, max_value=MEMBERS - 1), st.sampled_from(ANSWERS)),
        min_size=1,
        max_size=25,
    ),
)
def test_rsvps_never_overfill_and_the_waitlist_is_promoted_in_order(people, capacity, answers):
    meetup = _new_meetup(people["organiser"], capacity)
    members = people["members"]
    going: list[int] = []  # the model: who goes, and the waitlist in the order they joined it
    waiting: list[int] = []
    now = utcnow()
    for step, (who, answer) in enumerate(answers):
        member = members[who]
        meetups.respond(member, meetup.id, answer, now=now + dt.timedelta(seconds=step))
        db.session.commit()
        if answer == "going":
            if member.id not in going and member.id not in waiting:
                (going if len(going) < capacity else waiting).append(member.id)
        else:
            if member.id in waiting:
                waiting.remove(member.id)
            if member.id in going:
                going.remove(member.id)
                # A freed place goes to the first waiting member.
                if waiting:
                    going.append(waiting.pop(0))
        assert meetups.going_count(meetup) <= capacity
        actual_going = set(
            db.session.scalars(
                select(Rsvp.member_id).where(Rsvp.meetup_id == meetup.id, Rsvp.state == "going")
            )
        )
        assert actual_going == set(going), (step, who, answer)
        assert [r.member_id for r in meetups.waitlist(meetup)] == waiting, (step, who, answer)
        # Nobody waits while there is a free place.
        assert not waiting or len(going) == capacity


# --- (b) search outbox consistency ---------------------------------------------------------------

CASE_ACTIONS = ("publish", "edit", "hide", "restore", "close", "reopen", "delete")


def _outbox_rows() -> list[tuple[str, int]]:
    return [
        (row.kind, row.object_id)
        for row in db.session.scalars(select(SearchOutbox).order_by(SearchOutbox.id))
    ]


def _publish(author) -> Case:
    return cases.publish_case(
        author,
        None,
        cases.CaseFields(
            title="Lærerne vil ikke dele materialer",
            problem="Teamet deler ikke undervisningsmaterialer.",
            question="Hvordan får jeg gjort deling til en vane?",
            tags="videndeling",
        ),
    )


def _change_case(action: str, author, coordinator, case: Case | None, step: int) -> Case | None:
    """Do one change; returns the case the next change works on (None once deleted)."""
    if action == "publish" or case is None:
        return _publish(author)
    if action == "edit":
        cases.update_case(author, case, cases.CaseFields(title=f"Ny titel {step}"))
    elif action == "hide":
        moderation.set_hidden(coordinator, case, True, "skjult i testen")
    elif action == "restore":
        moderation.set_hidden(coordinator, case, False)
    elif action == "close":
        cases.change_status(author, case, "closed", "Vi fandt en fælles mappe.")
    elif action == "reopen":
        cases.change_status(author, case, "open")
    elif action == "delete":
        cases.delete_case(author, case)
        return None
    return case


@PROPERTY_SETTINGS
@given(
    steps=st.lists(st.tuples(st.sampled_from(CASE_ACTIONS), st.booleans()), min_size=1, max_size=12),
)
def test_every_case_change_writes_one_outbox_row_and_a_rollback_none(people, steps):
    author, coordinator = people["members"][0], people["organiser"]
    case: Case | None = None
    for step, (action, commit) in enumerate(steps):
        before = _outbox_rows()
        case_id = case.id if case is not None else None
        changed = _change_case(action, author, coordinator, case, step)
        db.session.flush()
        after = _outbox_rows()
        # Exactly one new row, in the same transaction, naming the case that changed.
        target = changed.id if changed is not None else case_id
        assert after[: len(before)] == before
        assert after[len(before) :] == [("case", target)], (action, after[len(before) :])
        if commit:
            db.session.commit()
            case = changed
        else:
            db.session.rollback()
            assert _outbox_rows() == before, action
            case = db.session.get(Case, case_id) if case_id is not None else None


# --- (c) case life cycle -------------------------------------------------------------------------

PUBLISHED = ("open", "in_progress", "follow_up", "closed")


@PROPERTY_SETTINGS
@given(
    changes=st.lists(
        st.tuples(
            st.sampled_from((*PUBLISHED, "draft", "deleted", "")),
            st.sampled_from(("", "   ", "Vi lærte at spørge lærerne først.")),
        ),
        min_size=1,
        max_size=12,
    ),
    start_as_draft=st.booleans(),
)
def test_status_changes_follow_the_life_cycle_and_closing_needs_a_summary(people, changes, start_as_draft):
    author, stranger = people["members"][0], people["members"][1]
    if start_as_draft:
        case = cases.save_draft(author, None, cases.CaseFields(title="Kladde"))
        db.session.commit()
        with pytest.raises(DomainError):
            cases.change_status(author, case, "closed", "Noget lærte vi.")
        db.session.rollback()
        assert db.session.get(Case, case.id).status == "draft"
        cases.publish_case(author, case, cases.CaseFields(problem="Et problem.", question="Et spørgsmål?"))
    else:
        case = _publish(author)
    db.session.commit()
    for status, summary in changes:
        before = case.status
        # Only the owner changes the status.
        with pytest.raises(DomainError):
            cases.change_status(stranger, case, "in_progress")
        db.session.rollback()
        allowed = status in PUBLISHED and (status != "closed" or bool(summary.strip()))
        try:
            cases.change_status(author, case, status, summary)
        except DomainError:
            db.session.rollback()
            assert not allowed, (before, status, summary)
            assert db.session.get(Case, case.id).status == before
            continue
        db.session.commit()
        assert allowed, (before, status, summary)
        assert case.status == status
        assert case.status != "draft"  # a published case never goes back to a draft
        if status == "closed":
            assert case.learning_summary.strip() and case.closed_at is not None
        else:
            assert case.closed_at is None


# --- (d) reflecting-team session phases ------------------------------------------------------------

ROLES = ("facilitator", "case_giver", "team", "observer", "bystander")
SESSION_ACTIONS = st.one_of(
    st.tuples(st.sampled_from(("advance", "pause", "resume")), st.just(0)),
    st.tuples(st.just("extend"), st.integers(min_value=1, max_value=10)),
    st.tuples(st.just("post"), st.integers(min_value=0, max_value=len(ROLES) - 1)),
)


@pytest.fixture
def cast(ctx, factory):
    # Many posts in a few seconds are the point here, not flooding.
    ctx.config["ROOMS_FLOOD_MESSAGES"] = 1_000_000
    return {
        "facilitator": factory.coordinator(name="Fie Facilitator"),
        "case_giver": factory.member(name="Carl Sagsgiver"),
        "team": factory.member(name="Tine Team"),
        "observer": factory.member(name="Ole Observatør"),
        "bystander": factory.member(name="Bent Udenfor"),
    }


def _may_post(session, role: str) -> bool:
    """The model of the rules (docs/architecture.md, "Domain words"), written apart from the service."""
    if role in ("observer", "bystander"):
        return False
    if session.status == "paused":
        return role == "facilitator"
    if session.phase == "reflecting":
        return role in ("facilitator", "team")
    if session.phase == "response":
        return role == "case_giver"
    if session.phase == "present":
        return role in ("facilitator", "case_giver")
    return True  # questions, round-up


@PROPERTY_SETTINGS
@given(actions=st.lists(SESSION_ACTIONS, min_size=1, max_size=20))
def test_nobody_posts_out_of_turn_whatever_the_facilitator_does(cast, actions):
    room = make_room(cast["facilitator"])
    case = make_case(cast["case_giver"])
    session = sessions.start_session(
        cast["facilitator"],
        room,
        sessions.SessionPlan(
            case_id=case.id,
            case_giver_id=cast["case_giver"].id,
            team_ids=[cast["team"].id],
            observer_ids=[cast["observer"].id],
        ),
    )
    db.session.commit()
    for action, argument in actions:
        if session.status == "finished":
            break
        facilitator = cast["facilitator"]
        if action == "post":
            role = ROLES[argument]
            expected = _may_post(session, role)
            try:
                sessions.post(cast[role], room, f"{role} i {session.phase}", str(uuid.uuid4()))
            except OutOfTurn:
                db.session.rollback()
                assert not expected, (session.phase, session.status, role)
                continue
            db.session.commit()
            assert expected, (session.phase, session.status, role)
            # The hard rules of the method, whatever the model says.
            assert role != "observer"
            assert not (role == "case_giver" and session.phase == "reflecting")
            assert not (role != "case_giver" and session.phase == "response")
            continue
        try:
            if action == "advance":
                sessions.advance(facilitator, session)
            elif action == "pause":
                sessions.pause(facilitator, session)
            elif action == "resume":
                sessions.resume(facilitator, session)
            else:
                sessions.extend(facilitator, session, argument)
        except DomainError:
            db.session.rollback()
            # Pausing a paused session and resuming a running one are the only refusals.
            assert (action, session.status) in (("pause", "paused"), ("resume", "running"))
            continue
        db.session.commit()


def test_outbox_counts_per_case_are_visible_in_sql(people):
    """A guard for the helper above: the outbox table is the one the service writes."""
    case = _publish(people["members"][0])
    db.session.commit()
    count = db.session.scalar(
        select(func.count()).select_from(SearchOutbox).where(SearchOutbox.object_id == case.id)
    )
    assert count == 1
