"""The demo is true to the programme it stands for (the booklet in ../shared/seeds).

47 leaders at 10 model schools and 43 at 13 implementation schools; AL projects run by the
model-school leaders, 2014–2016 and finished; "Action Learning", never "aktionslæring"; the leaders
closest to the teachers; a reflecting-team transcript about its own case; chat that promises only
what the product has.
"""

import collections
import datetime as dt
import re

from sqlalchemy import select

from network.cases.models import Case, CaseSessionOutcome, Reply
from network.db import db
from network.demo import COORDINATOR_EMAIL, MEMBER_EMAIL
from network.demo.data import all_texts
from network.demo.people import school_specs
from network.meetups.models import Meetup
from network.members.models import Member, School
from network.projects.models import ALProject
from network.rooms.models import Message, ReflectingSession, Room
from network.rooms.sessions import SPEAKERS, role_of
from tests.demo.conftest import member

CLOSE_TO_TEACHERS = {"Uddannelsesleder", "Afdelingsleder", "Teamleder"}
TITLES = CLOSE_TO_TEACHERS | {"Pædagogisk leder"}


def _members() -> list[Member]:
    return list(db.session.scalars(select(Member)))


def test_leaders_split_over_model_and_implementation_schools_as_in_the_booklet(demo):
    schools = list(db.session.scalars(select(School)))
    kinds = collections.Counter(school.kind for school in schools)
    leaders = collections.Counter(m.school.kind for m in _members())

    assert (kinds["model"], kinds["implementation"], len(schools)) == (10, 13, 23)
    assert (leaders["model"], leaders["implementation"], sum(leaders.values())) == (47, 43, 90)
    per_school = collections.Counter(m.school.name for m in _members())
    assert per_school == {spec.name: spec.leaders for spec in school_specs()}


def test_titles_are_the_leaders_closest_to_the_teachers(demo):
    titles = [m.title for m in _members()]

    assert set(titles) <= TITLES, set(titles) - TITLES
    close = sum(title in CLOSE_TO_TEACHERS for title in titles)
    assert close >= 0.8 * len(titles)
    assert {title for title in titles} >= CLOSE_TO_TEACHERS
    assert member(COORDINATOR_EMAIL).title == "Afdelingsleder"
    assert member(MEMBER_EMAIL).title == "Uddannelsesleder"


def test_al_projects_belong_to_model_school_leaders_and_ran_2014_to_2016(demo):
    projects = list(db.session.scalars(select(ALProject)))

    assert len(projects) >= 20
    for project in projects:
        assert project.status == "completed" and project.results.strip(), project.title
        assert dt.date(2014, 1, 1) <= project.period_start < project.period_end <= dt.date(2016, 12, 31)
        assert project.school.kind == "model", project.title
        assert project.leaders and all(leader.school_id == project.school_id for leader in project.leaders)
    # Every model-school leader ran exactly one; nobody from an implementation school ran one.
    led = collections.Counter(leader.id for project in projects for leader in project.leaders)
    model_leaders = {m.id for m in _members() if m.school.kind == "model"}
    assert set(led) == model_leaders and set(led.values()) == {1}
    assert any(project.leaders == [member(MEMBER_EMAIL)] for project in projects)


def _everything_written() -> list[str]:
    """Every text the demo put in the database, as members would read it."""
    texts = [m.bio for m in _members()] + [m.title for m in _members()]
    for case in db.session.scalars(select(Case)):
        texts += [case.title, case.problem, case.context, case.tried, case.question, case.learning_summary]
        texts += list(case.tags)
    texts += [reply.body for reply in db.session.scalars(select(Reply))]
    for project in db.session.scalars(select(ALProject)):
        texts += [project.title, project.problem, project.actions, project.experiments]
        texts += [project.reflection, project.new_actions, project.results]
        texts += [attachment.text for attachment in project.attachments]
    for meetup in db.session.scalars(select(Meetup)):
        texts += [meetup.title, meetup.description, meetup.notes or ""]
        texts += [item.title for item in meetup.agenda]
    texts += [room.name + " " + room.description for room in db.session.scalars(select(Room))]
    texts += [message.body for message in db.session.scalars(select(Message))]
    for session in db.session.scalars(select(ReflectingSession)):
        texts += [session.next_actions, session.learnings]
    return texts


def test_the_programme_says_action_learning_never_aktionslaering(demo):
    written = _everything_written()

    for name, text in all_texts().items():
        assert "aktionslæring" not in text.lower(), name
    assert not [text for text in written if "aktionslæring" in text.lower()]
    # The words it does use are there.
    assert any("AL-projekt" in text for text in written)
    assert any("Action Learning" in text for text in written)


def test_the_reflecting_team_transcript_is_about_its_case(demo):
    session = db.session.scalars(select(ReflectingSession)).one()
    case = db.session.get(Case, session.case_id)
    room = db.session.get(Room, session.room_id)
    said = list(
        db.session.scalars(select(Message).where(Message.session_id == session.id).order_by(Message.id))
    )
    transcript = " ".join(message.body for message in said).lower()

    assert room.case_id == case.id and session.case_giver_id == case.author_id
    assert session.status == "finished" and session.next_actions and session.learnings
    assert case.tags and all(tag in transcript for tag in case.tags), case.tags
    # Every phase was spoken in, in order, and only by those the phase lets speak.
    phases = [message.phase for message in said]
    assert phases == sorted(phases, key=[p["key"] for p in session.phases].index)
    assert set(phases) == {p["key"] for p in session.phases}
    for message in said:
        assert role_of(session, message.author) in SPEAKERS[message.phase], message.body
    outcome = db.session.scalars(select(CaseSessionOutcome).filter_by(case_id=case.id)).one()
    assert outcome.next_actions == session.next_actions


# "… netværksdagen i Holstebro", "sparringsdagen i Randers": a meetup named by its town.
MEETUP_IN_TOWN = re.compile(
    r"(?i:netværksdag|netværksmøde|sparringsdag|temadag|modelskolemøde|møde)\w*\s+(?:i|på)\s+([A-ZÆØÅ]\w+)"
)


def test_chat_mentions_only_meetups_the_demo_has_and_nothing_the_product_lacks(demo):
    towns = {meetup.host_school.city for meetup in db.session.scalars(select(Meetup))}
    bodies = [message.body for message in db.session.scalars(select(Message))]

    mentioned = {town for body in bodies for town in MEETUP_IN_TOWN.findall(body)}
    assert mentioned, "the chat talks about the demo's meetups"
    assert mentioned <= towns, mentioned - towns
    # Profiles hold no files: nobody says they put something on their profile.
    assert not [b for b in bodies if re.search(r"(?i)(lagt|uploadet|delt|ligger)\b.{0,40}\bprofil", b)]
