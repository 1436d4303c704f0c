"""The small world the authorization table runs against: two schools, six roles, one of each object.

Everything is made through the services, as a member would make it, so the objects carry the
same links (followers, organisers, room membership) the real ones do.
"""

import dataclasses
import datetime as dt
import io
import re
import uuid

from PIL import Image

from network.auth import service as auth
from network.auth.models import Invite
from network.cases import replies
from network.cases import service as cases
from network.db import db, utcnow
from network.meetups import calendar, drafts
from network.meetups import service as meetups
from network.members import service as members
from network.members.models import Member, School
from network.notifications.service import notify
from network.rooms import service as rooms
from network.rooms import sessions
from tests.conftest import read_mails
from tests.factories import Factory

# Who knocks on each door: not signed in, a member of school A, the member of school A who owns
# the objects, a member of school B, a coordinator, an admin.
ROLES = ("visitor", "member", "owner", "other_school", "coordinator", "admin")


@dataclasses.dataclass(frozen=True)
class Person:
    id: int
    email: str


@dataclasses.dataclass(frozen=True)
class World:
    """The ids and secrets of the world: plain data, valid again after every restore."""

    school_a: int
    school_b: int
    people: dict[str, Person]  # every role but the visitor
    tokens: dict[str, str]  # role -> plain API token
    case: int  # the owner's published case
    draft: int  # the owner's draft
    reply: int  # the owner's reply on their case
    meetup: int  # network-wide, scheduled, organised by the owner
    invited_meetup: int  # for school A only, a date poll, organised by the owner
    poll_option: int  # the first candidate time of the invited meetup's poll
    room: int  # the owner's invite-only room for their case
    message: int  # the owner's message in the room
    finished_session: int  # a reflecting-team session the owner ran in the room
    notification: int  # the owner's
    owner_token: int  # the id of the owner's API token
    invite: int  # a pending invite sent by the coordinator
    invite_token: str
    reset_token: str  # the owner's password-reset link
    feed_token: str  # the owner's calendar feed
    project: int  # the owner's AL project
    attachment: int  # a report attached to it

    def __getattr__(self, role: str) -> Person:
        # w.owner, w.member, w.other_school, w.coordinator, w.admin
        try:
            return self.people[role]
        except KeyError:
            raise AttributeError(role) from None


def _png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def _case_fields(title: str) -> cases.CaseFields:
    return cases.CaseFields(
        title=title,
        problem="Teamet deler ikke materialer, og nye lærere starter forfra.",
        question="Hvordan gør jeg deling til en vane?",
        tools=["leadership"],
        focus_areas=["support_teachers"],
        tags="videndeling",
    )


def _meetup_draft(owner: Member, school: School, **fields: object) -> drafts.MeetupDraft:
    start = (utcnow() + dt.timedelta(days=30)).replace(microsecond=0)
    values = {
        "title": "Sparring om fravær",
        "description": "Vi deler erfaringer.",
        "host_school_id": school.id,
        "address": "Skolevej 1, Odense",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=3),
        "capacity": 10,
        **fields,
    }
    return drafts.MeetupDraft(**values)


def build_world(app) -> World:  # noqa: ANN001 - a Flask app
    """Make the world in the app's database (call inside an app context)."""
    make = Factory()
    school_a, school_b = make.school("Skole A"), make.school("Skole B")
    people = {
        "member": make.member("Mette Medlem", school=school_a),
        "owner": make.member("Ole Ejer", school=school_a),
        "other_school": make.member("Bo Andenskole", school=school_b),
        "coordinator": make.member("Kim Koordinator", school=school_b, role="coordinator"),
        "admin": make.member("Alma Admin", school=school_b, role="admin"),
    }
    owner, coordinator = people["owner"], people["coordinator"]
    tokens = {}
    for role, person in people.items():
        token, tokens[role] = auth.create_api_token(person, f"{role} robot")
        if role == "owner":
            owner_token_id = token.id
    members.set_avatar(owner, _png())

    case = cases.publish_case(owner, None, _case_fields("Lærerne vil ikke dele materialer"))
    draft = cases.save_draft(owner, None, _case_fields("Et udkast om skemaer"))
    reply = replies.add_reply(owner, case, kind="experience", body="Vi prøvede en fælles mappe.")

    meetup = meetups.create_meetup(owner, _meetup_draft(owner, school_a))
    soon = (utcnow() + dt.timedelta(days=40)).replace(microsecond=0)
    options = [
        (soon, soon + dt.timedelta(hours=2)),
        (soon + dt.timedelta(days=1), soon + dt.timedelta(days=1, hours=2)),
    ]
    invited_meetup = meetups.create_meetup(
        owner,
        _meetup_draft(
            owner,
            school_a,
            title="Kun for skole A",
            starts_at=None,
            ends_at=None,
            visibility="invited",
            invited_school_ids=[school_a.id],
            poll_options=options,
        ),
    )
    feed_token = calendar.create_feed_token(owner)

    room = rooms.create_case_room(owner, rooms.RoomDraft(name="Ole's rum", access="invite", case_id=case.id))
    plan = sessions.SessionPlan(case_id=case.id, case_giver_id=owner.id, team_ids=[coordinator.id])
    finished = sessions.start_session(owner, room, plan)
    for _phase in finished.phases:
        sessions.advance(owner, finished)
    message, _created = sessions.post(owner, room, "Velkommen i rummet.", str(uuid.uuid4()))

    notification = notify(owner, "test", "Et nyt svar på din sag", url=f"/sager/{case.id}", email=False)
    outcomes = auth.invite_members(coordinator, "ny.leder@skole.test")
    assert outcomes[0].status == "invited"
    invite = db.session.scalar(db.select(Invite).where(Invite.email == "ny.leder@skole.test"))
    invite_token = auth.invite_token(invite)
    db.session.commit()

    auth.request_password_reset(owner.email)
    db.session.commit()
    link = next(str(m.get_body(("plain",)).get_content()) for m in read_mails(app) if m["To"] == owner.email)
    reset_token = re.search(r"/ny-adgangskode/([^\s/]+)", link).group(1)

    project, attachment = _project(owner, school_a)

    return World(
        school_a=school_a.id,
        school_b=school_b.id,
        people={role: Person(m.id, m.email) for role, m in people.items()},
        tokens=tokens,
        case=case.id,
        draft=draft.id,
        reply=reply.id,
        meetup=meetup.id,
        invited_meetup=invited_meetup.id,
        poll_option=invited_meetup.poll_options[0].id,
        room=room.id,
        message=message.id,
        finished_session=finished.id,
        notification=notification.id,
        owner_token=owner_token_id,
        invite=invite.id,
        invite_token=invite_token,
        reset_token=reset_token,
        feed_token=feed_token,
        project=project,
        attachment=attachment,
    )


def _project(owner: Member, school: School) -> tuple[int, int]:
    """The owner's AL project with one report; (None, None) before the projects feature exists."""
    try:
        from network.projects import attachments
        from network.projects import service as projects
    except ImportError:
        return None, None
    project = projects.create_project(
        owner,
        projects.ProjectDraft(
            title="Synlig ledelse i lærerteamet",
            school_id=school.id,
            problem="Lærerne oplever ikke ledelsen som nærværende.",
            tools=["leadership"],
            focus_areas=["support_teachers"],
        ),
    )
    report = attachments.add_attachment(
        owner, project, "rapport.txt", "Vi afprøvede faste teammøder.".encode()
    )
    db.session.commit()
    return project.id, report.id
