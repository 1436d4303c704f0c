"""One authorization table: every route of app.url_map and every /rooms socket event, per role.

Each row names a Flask endpoint (``request.url_rule.endpoint``) and one or more doors into it: a
method, the URL's arguments and the data, built from a small world (tests/authorization_world.py),
and the outcome each role should meet:

    ok       2xx, or a redirect that is not to the sign-in page and brings no error message
    login    pages: a redirect to the sign-in page; /api/: 401
    denied   403, or 404 where the app hides that the thing exists
    refused  a redirect back with an error message (the page's way of saying no to a POST)
    allowed  the door opened: anything but login, 403, 404 or a server error (a POST whose data
             we do not make valid, so a 400/422 answer counts)
    any-4xx  bad input only: some 4xx

One test per (endpoint, door, role), so a failure names exactly which door is wrong. The world
is built once per backend and put back before every test, so a door that deletes or changes
something never leaks into the next one.

A route or socket event without a row fails ``test_every_route_has_a_row`` /
``test_every_socket_event_has_a_row``; so does a row whose route is gone.

A door that lets the wrong people in (or keeps the right ones out) keeps the *right* expectation
in its row and names the roles it fails for in ``bugs={"member": "BUG: ..."}``: those tests are
strict xfails, so the fix turns them into passes and the mark must then be removed.
"""

import dataclasses
import inspect
import io
import shutil
import typing as t
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import url_for
from sqlalchemy import Integer, func, select, text

from network.cases import moderation, social
from network.cases.models import Case
from network.db import db
from network.extensions import limiter
from network.mail import preferences
from network.members.models import Member
from network.projects import service as projects
from network.rooms import sessions
from network.rooms.events import RoomsNamespace
from network.rooms.models import ReflectingSession
from tests.authorization_world import ROLES, World, build_world
from tests.conftest import BACKENDS, PASSWORD, make_test_app
from tests.rooms.conftest import Sockets, emit

SIGNED_IN_ROLES = ROLES[1:]
OUTCOMES = {"ok", "login", "denied", "refused", "allowed", "any-4xx"}


def expect(default: str = "ok", *, visitor: str = "login", **roles: str) -> dict[str, str]:
    """The outcome per role: ``default`` for every signed-in role unless named."""
    table = {"visitor": visitor, **dict.fromkeys(SIGNED_IN_ROLES, default), **roles}
    assert set(table) == set(ROLES), table
    assert set(table.values()) <= OUTCOMES, table
    return table


PUBLIC = expect(visitor="ok")
SIGNED_IN = expect()
COORDINATORS = expect("denied", coordinator="ok", admin="ok")
ADMINS = expect("denied", admin="ok")
OWNER = expect("denied", owner="ok")
OWNER_OR_COORDINATORS = expect("denied", owner="ok", coordinator="ok", admin="ok")
# The owner's room is invite-only: its owner and the coordinators are in it, the members are not.
IN_ROOM = OWNER_OR_COORDINATORS
# The invited meetup is for school A: school B's member may not learn it exists.
SCHOOL_A_MEETUP = expect(other_school="denied")


Args = t.Callable[[World], dict[str, t.Any]]
Prepare = t.Callable[[World, str], None]


@dataclasses.dataclass(frozen=True)
class Door:
    """One way into an endpoint: a method, the URL's arguments, the data, and who gets in."""

    method: str
    outcomes: dict[str, str]
    args: Args = lambda w: {}
    data: Args | None = None  # form fields for pages, a JSON body for /api/
    name: str = ""  # tells two doors of one endpoint apart
    prepare: Prepare | None = None  # set the stage for the role, e.g. follow the case first
    bugs: dict[str, str] = dataclasses.field(default_factory=dict)  # role -> what is wrong


def mail_link(category: str) -> Args:
    """The owner's signed preferences and unsubscribe link for one mail category."""
    return lambda w: {"token": preferences.token_for(db.session.get(Member, w.owner.id), category)}


FORGED_MAIL_LINK: Args = lambda w: {"token": "eyJtIjoxLCJjIjoiYWN0aXZpdHkifQ.forged-signature"}  # noqa: E731
NOBODY = expect("denied", visitor="denied")


def no_fields(w: World) -> dict[str, t.Any]:
    """An empty form: enough to see whether the door opens."""
    return {}


def doors(*items: Door) -> tuple[Door, ...]:
    return items


# --- stage setters -------------------------------------------------------------------------


def _person(w: World, role: str) -> Member | None:
    return db.session.get(Member, w.people[role].id) if role != "visitor" else None


def following_case(w: World, role: str) -> None:
    member = _person(w, role)
    if member is not None:
        social.follow_case(member, db.session.get(Case, w.case), quiet=True)


def not_following_case(w: World, role: str) -> None:
    member = _person(w, role)
    if member is not None and social.is_following(member, db.session.get(Case, w.case)):
        social.unfollow_case(member, db.session.get(Case, w.case))


def following_topic(w: World, role: str) -> None:
    member = _person(w, role)
    if member is not None:
        social.follow_topic(member, "tag", "fravær")


def hidden_case(w: World, role: str) -> None:
    """A coordinator has hidden the owner's case: only its author and the coordinators see it."""
    moderation.set_hidden(_person(w, "coordinator"), db.session.get(Case, w.case), True, "Navne i teksten.")


def hidden_project(w: World, role: str) -> None:
    """A coordinator has hidden the owner's AL project."""
    projects.set_hidden(_person(w, "coordinator"), projects.get_project(w.project), True)


def report_upload(w: World) -> dict[str, t.Any]:
    return {"file": (io.BytesIO("Hvad vi lærte af teammøderne.".encode()), "opfoelgning.txt")}


def stamp_migrations(w: World, role: str) -> None:
    # The test schema comes from create_all; readyz wants it marked as the newest migration.
    from flask_migrate import stamp

    stamp()


def running_session(w: World, role: str) -> None:
    owner, coordinator = _person(w, "owner"), _person(w, "coordinator")
    room = db.session.get(ReflectingSession, w.finished_session).room
    plan = sessions.SessionPlan(case_id=w.case, case_giver_id=owner.id, team_ids=[coordinator.id])
    sessions.start_session(owner, room, plan)


def paused_session(w: World, role: str) -> None:
    running_session(w, role)
    db.session.flush()
    session = sessions.active_session(db.session.get(ReflectingSession, w.finished_session).room)
    sessions.pause(_person(w, "owner"), session)


def active_session_id(w: World) -> int:
    session = sessions.active_session(db.session.get(ReflectingSession, w.finished_session).room)
    return session.id


def new_client_id() -> str:
    return str(uuid.uuid4())


def meetup_json(w: World, **fields: t.Any) -> dict[str, t.Any]:
    return {
        "title": "Sparring om skemalægning",
        "host_school_id": w.school_a,
        "address": "Skolevej 2, Vejle",
        "starts_at": "2030-03-04T10:00:00+01:00",
        "ends_at": "2030-03-04T13:00:00+01:00",
        "capacity": 12,
        **fields,
    }


CASE_FORM = {
    "title": "Lærerne vil ikke dele materialer",
    "problem": "Teamet deler ikke materialer, og nye lærere starter forfra.",
    "question": "Hvordan gør jeg deling til en vane?",
    "al_stage": "problem",
    "visibility": "named",
    "tools": "leadership",
    "focus_areas": "support_teachers",
    "tags": "videndeling",
}


# --- the table -----------------------------------------------------------------------------

TABLE: dict[str, tuple[Door, ...]] = {
    # main
    "main.index": doors(Door("GET", SIGNED_IN)),
    "main.healthz": doors(Door("GET", PUBLIC)),
    "main.readyz": doors(Door("GET", PUBLIC, prepare=stamp_migrations)),
    "main.set_language": doors(Door("POST", PUBLIC, data=lambda w: {"lang": "en"})),
    # auth
    "auth.login": doors(
        Door("GET", PUBLIC),
        Door("POST", PUBLIC, data=lambda w: {"email": w.member.email, "password": PASSWORD}),
    ),
    # Signing out and an unlock link always end on the sign-in page, for everyone.
    "auth.logout": doors(Door("POST", expect("login"))),
    "auth.unlock": doors(Door("GET", expect("login"), args=lambda w: {"token": "ikke-et-gyldigt-link"})),
    "auth.accept_invite": doors(
        Door("GET", PUBLIC, args=lambda w: {"token": w.invite_token}),
        Door(
            "POST",
            expect("allowed", visitor="allowed"),
            args=lambda w: {"token": w.invite_token},
            data=no_fields,
        ),
    ),
    "auth.forgot_password": doors(
        Door("GET", PUBLIC),
        Door("POST", expect("allowed", visitor="allowed"), data=lambda w: {"email": ""}),
    ),
    "auth.reset_password": doors(
        Door("GET", PUBLIC, args=lambda w: {"token": w.reset_token}),
        Door(
            "POST",
            expect("allowed", visitor="allowed"),
            args=lambda w: {"token": w.reset_token},
            data=no_fields,
        ),
    ),
    "auth.account": doors(Door("GET", SIGNED_IN), Door("POST", expect("allowed"), data=no_fields)),
    "auth.create_token": doors(Door("POST", SIGNED_IN, data=lambda w: {"name": "Min robot"})),
    "auth.end_all_sessions": doors(Door("POST", expect("login"))),
    "auth.revoke_token": doors(Door("POST", OWNER, args=lambda w: {"token_id": w.owner_token})),
    "auth.invites": doors(
        Door("GET", COORDINATORS),
        Door("POST", expect("denied", coordinator="allowed", admin="allowed"), data=lambda w: {"emails": ""}),
    ),
    "auth.revoke_invite": doors(Door("POST", COORDINATORS, args=lambda w: {"invite_id": w.invite})),
    # members and schools
    "members.directory": doors(Door("GET", SIGNED_IN)),
    "members.profile": doors(Door("GET", SIGNED_IN, args=lambda w: {"member_id": w.owner.id})),
    "members.avatar": doors(Door("GET", SIGNED_IN, args=lambda w: {"member_id": w.owner.id})),
    "members.change_role": doors(
        Door(
            "POST", ADMINS, args=lambda w: {"member_id": w.member.id}, data=lambda w: {"role": "coordinator"}
        )
    ),
    "members.edit_profile": doors(Door("GET", SIGNED_IN), Door("POST", expect("allowed"), data=no_fields)),
    "members.schools": doors(Door("GET", SIGNED_IN)),
    "members.school": doors(Door("GET", SIGNED_IN, args=lambda w: {"school_id": w.school_a})),
    "members.edit_school": doors(
        Door("GET", COORDINATORS, name="new"),
        Door("POST", expect("denied", coordinator="allowed", admin="allowed"), data=no_fields, name="new"),
        Door("GET", COORDINATORS, args=lambda w: {"school_id": w.school_a}),
        Door(
            "POST",
            expect("denied", coordinator="allowed", admin="allowed"),
            args=lambda w: {"school_id": w.school_a},
            data=no_fields,
        ),
    ),
    # notifications, audit, overview, privacy
    "notifications.index": doors(Door("GET", SIGNED_IN)),
    "notifications.follow": doors(Door("GET", OWNER, args=lambda w: {"notification_id": w.notification})),
    "notifications.mark_all_read": doors(Door("POST", SIGNED_IN)),
    "audit.index": doors(Door("GET", ADMINS)),
    "overview.index": doors(Door("GET", COORDINATORS)),
    "overview.export": doors(Door("GET", COORDINATORS, args=lambda w: {"report": "aktivitet"})),
    # mail: a signed link is the key, without signing in; a forged one opens nothing for anyone
    "mail.unsubscribe": doors(
        Door("GET", PUBLIC, args=mail_link("activity")),
        Door("GET", PUBLIC, args=mail_link("reminders"), name="reminders"),
        Door("GET", NOBODY, args=FORGED_MAIL_LINK, name="forged"),
    ),
    "mail.unsubscribe_now": doors(
        Door("POST", PUBLIC, args=mail_link("activity"), data=lambda w: {"List-Unsubscribe": "One-Click"}),
        Door("POST", PUBLIC, args=mail_link("reminders"), name="page button"),
        Door("POST", NOBODY, args=FORGED_MAIL_LINK, name="forged"),
    ),
    "mail.choose": doors(
        Door("POST", expect("allowed", visitor="allowed"), args=mail_link("activity"), data=no_fields),
        Door("POST", NOBODY, args=FORGED_MAIL_LINK, data=no_fields, name="forged"),
    ),
    "privacy.policy": doors(Door("GET", PUBLIC)),
    # the living style page: development and test configs only, sample content, no data
    "style.style_page": doors(Door("GET", PUBLIC)),
    "privacy.my_data": doors(Door("GET", SIGNED_IN)),
    "privacy.download": doors(Door("POST", SIGNED_IN)),
    "privacy.delete_account": doors(Door("POST", expect("allowed"), data=lambda w: {"password": "forkert"})),
    # cases
    "cases.index": doors(Door("GET", SIGNED_IN)),
    "cases.mine": doors(Door("GET", SIGNED_IN)),
    "cases.following": doors(Door("GET", SIGNED_IN)),
    "cases.detail": doors(
        Door("GET", SIGNED_IN, args=lambda w: {"case_id": w.case}),
        # A draft is its author's alone, coordinators included.
        Door("GET", OWNER, args=lambda w: {"case_id": w.draft}, name="draft"),
        Door(
            "GET",
            OWNER_OR_COORDINATORS,
            args=lambda w: {"case_id": w.case},
            name="hidden",
            prepare=hidden_case,
        ),
    ),
    "cases.edit": doors(
        Door("GET", SIGNED_IN, name="new"),
        Door("POST", expect("allowed"), data=lambda w: {"title": "Et nyt udkast"}, name="new"),
        Door("GET", OWNER, args=lambda w: {"case_id": w.case}),
        Door("GET", OWNER, args=lambda w: {"case_id": w.draft}, name="draft"),
        Door("POST", OWNER, args=lambda w: {"case_id": w.case}, data=lambda w: CASE_FORM),
    ),
    "cases.autosave": doors(
        Door("POST", SIGNED_IN, data=lambda w: {"title": "Et hurtigt udkast"}, name="new"),
        Door("POST", OWNER, data=lambda w: {"case_id": w.draft, "title": "Udkastet igen"}, name="draft"),
        # A published case is no draft: others are refused (403), its author is told it is published (409).
        Door(
            "POST",
            expect("denied", owner="allowed"),
            data=lambda w: {"case_id": w.case, "title": "Overskrevet"},
            name="published",
        ),
    ),
    "cases.change_status": doors(
        Door("POST", OWNER, args=lambda w: {"case_id": w.case}, data=lambda w: {"status": "in_progress"})
    ),
    "cases.follow": doors(
        Door("POST", SIGNED_IN, args=lambda w: {"case_id": w.case}, prepare=not_following_case)
    ),
    "cases.unfollow": doors(
        Door("POST", SIGNED_IN, args=lambda w: {"case_id": w.case}, prepare=following_case)
    ),
    "cases.follow_topic": doors(Door("POST", SIGNED_IN, data=lambda w: {"kind": "tag", "value": "fravær"})),
    "cases.unfollow_topic": doors(
        Door("POST", SIGNED_IN, data=lambda w: {"kind": "tag", "value": "fravær"}, prepare=following_topic)
    ),
    "cases.invite": doors(Door("POST", OWNER, args=lambda w: {"case_id": w.case})),
    "cases.delete": doors(
        Door("POST", OWNER_OR_COORDINATORS, args=lambda w: {"case_id": w.case}),
        Door("POST", OWNER, args=lambda w: {"case_id": w.draft}, name="draft"),
    ),
    "case_replies.reply": doors(
        Door(
            "POST",
            SIGNED_IN,
            args=lambda w: {"case_id": w.case},
            data=lambda w: {"kind": "question", "body": "Hvad nu?"},
        )
    ),
    "case_replies.edit_reply": doors(
        Door("GET", OWNER, args=lambda w: {"reply_id": w.reply}),
        Door(
            "POST",
            OWNER,
            args=lambda w: {"reply_id": w.reply},
            data=lambda w: {"kind": "experience", "body": "Rettet."},
        ),
    ),
    "case_replies.delete_reply": doors(
        Door("POST", OWNER_OR_COORDINATORS, args=lambda w: {"reply_id": w.reply})
    ),
    # Only the case's author marks a reply as helpful.
    "case_replies.helpful": doors(Door("POST", OWNER, args=lambda w: {"reply_id": w.reply})),
    "case_moderation.flag": doors(
        Door("GET", SIGNED_IN, args=lambda w: {"case_id": w.case}),
        Door("GET", OWNER, args=lambda w: {"case_id": w.draft}, name="draft"),
        Door("GET", SIGNED_IN, args=lambda w: {"case_id": w.case, "reply_id": w.reply}, name="reply"),
        Door(
            "POST",
            SIGNED_IN,
            args=lambda w: {"case_id": w.case, "reply_id": w.reply},
            data=lambda w: {"reason": "Svaret nævner en elev ved navn."},
            name="reply",
        ),
        Door(
            "POST",
            SIGNED_IN,
            args=lambda w: {"case_id": w.case},
            data=lambda w: {"reason": "Et navn står i teksten."},
        ),
    ),
    "case_moderation.queue": doors(Door("GET", COORDINATORS)),
    "case_moderation.moderate": doors(
        Door("POST", COORDINATORS, args=lambda w: {"kind": "sag", "subject_id": w.case, "action": "skjul"})
    ),
    "case_moderation.reveal": doors(Door("POST", COORDINATORS, args=lambda w: {"case_id": w.case})),
    # meetups
    "meetups.index": doors(Door("GET", SIGNED_IN)),
    "meetups.archive": doors(Door("GET", SIGNED_IN)),
    "meetups.month": doors(Door("GET", SIGNED_IN)),
    "meetups.mine": doors(Door("GET", SIGNED_IN)),
    "meetups.create": doors(Door("GET", SIGNED_IN), Door("POST", expect("allowed"), data=no_fields)),
    "meetups.detail": doors(
        Door("GET", SIGNED_IN, args=lambda w: {"meetup_id": w.meetup}),
        Door("GET", SCHOOL_A_MEETUP, args=lambda w: {"meetup_id": w.invited_meetup}, name="invited"),
    ),
    "meetups.edit": doors(
        Door("GET", OWNER_OR_COORDINATORS, args=lambda w: {"meetup_id": w.meetup}),
        Door("GET", OWNER_OR_COORDINATORS, args=lambda w: {"meetup_id": w.invited_meetup}, name="invited"),
        Door(
            "POST",
            expect("denied", owner="allowed", coordinator="allowed", admin="allowed"),
            args=lambda w: {"meetup_id": w.meetup},
            data=no_fields,
        ),
    ),
    "meetups.ics": doors(Door("GET", SIGNED_IN, args=lambda w: {"meetup_id": w.meetup})),
    "meetups.attendees_csv": doors(
        Door("GET", OWNER_OR_COORDINATORS, args=lambda w: {"meetup_id": w.meetup})
    ),
    "meetups.rsvp": doors(
        Door("POST", SIGNED_IN, args=lambda w: {"meetup_id": w.meetup}, data=lambda w: {"answer": "going"})
    ),
    # Only a co-organiser may take themself off; the creator stays (the world has no co-organiser).
    "meetups.leave_organisers": doors(Door("POST", expect("denied"), args=lambda w: {"meetup_id": w.meetup})),
    "meetups.cancel": doors(Door("POST", OWNER_OR_COORDINATORS, args=lambda w: {"meetup_id": w.meetup})),
    "meetups.answer_poll": doors(
        Door(
            "POST",
            SCHOOL_A_MEETUP,
            args=lambda w: {"meetup_id": w.invited_meetup},
            data=lambda w: {f"option-{w.poll_option}": "yes"},
        )
    ),
    "meetups.pick_option": doors(
        Door(
            "POST",
            OWNER_OR_COORDINATORS,
            args=lambda w: {"meetup_id": w.invited_meetup, "option_id": w.poll_option},
        )
    ),
    "meetups.outcome": doors(
        Door("GET", OWNER_OR_COORDINATORS, args=lambda w: {"meetup_id": w.meetup}),
        Door(
            "POST",
            expect("denied", owner="allowed", coordinator="allowed", admin="allowed"),
            args=lambda w: {"meetup_id": w.meetup},
            data=lambda w: {"notes": "Godt møde."},
        ),
    ),
    "meetups.create_feed": doors(Door("POST", SIGNED_IN)),
    "meetups.revoke_feed": doors(Door("POST", SIGNED_IN)),
    # The feed's secret token is the key: no sign-in.
    "meetups.feed": doors(
        Door("GET", PUBLIC, args=lambda w: {"token": w.feed_token}),
        Door("GET", expect("denied", visitor="denied"), args=lambda w: {"token": "gaet-ikke"}, name="wrong"),
    ),
    # rooms
    "rooms.index": doors(Door("GET", SIGNED_IN)),
    "rooms.create": doors(Door("GET", SIGNED_IN), Door("POST", expect("allowed"), data=no_fields)),
    "rooms.room": doors(Door("GET", IN_ROOM, args=lambda w: {"room_id": w.room})),
    "rooms.transcript": doors(Door("GET", IN_ROOM, args=lambda w: {"room_id": w.room})),
    "rooms.post_message": doors(
        Door(
            "POST",
            IN_ROOM,
            args=lambda w: {"room_id": w.room},
            data=lambda w: {"body": "Hej alle.", "client_id": new_client_id()},
        )
    ),
    "rooms.invite": doors(
        Door("POST", IN_ROOM, args=lambda w: {"room_id": w.room}, data=lambda w: {"member_ids": w.member.id})
    ),
    "rooms.start_session": doors(
        Door(
            "POST",
            expect("denied", owner="allowed", coordinator="allowed", admin="allowed"),
            args=lambda w: {"room_id": w.room},
            data=no_fields,
        )
    ),
    "rooms.session_transcript": doors(
        Door("GET", IN_ROOM, args=lambda w: {"session_id": w.finished_session})
    ),
    # The facilitator (the owner) writes the summary; a coordinator may enter but is told no.
    "rooms.summary": doors(
        Door(
            "POST",
            expect("denied", owner="ok", coordinator="refused", admin="refused"),
            args=lambda w: {"session_id": w.finished_session},
            data=lambda w: {"next_actions": "Vi prøver en fælles mappe."},
        )
    ),
    # AL projects: every member reads them; leaders, the creator and coordinators change them.
    "projects.index": doors(Door("GET", SIGNED_IN)),
    "projects.detail": doors(
        Door("GET", SIGNED_IN, args=lambda w: {"project_id": w.project}),
        # Hidden by a coordinator: gone for everyone else; its own leader still sees it (as a
        # case's author does), with a notice, so they know why and can mend it.
        Door(
            "GET",
            OWNER_OR_COORDINATORS,
            args=lambda w: {"project_id": w.project},
            name="hidden",
            prepare=hidden_project,
        ),
    ),
    "projects.create": doors(Door("GET", SIGNED_IN), Door("POST", expect("allowed"), data=no_fields)),
    "projects.edit": doors(
        Door("GET", OWNER_OR_COORDINATORS, args=lambda w: {"project_id": w.project}),
        Door(
            "POST",
            expect("denied", owner="allowed", coordinator="allowed", admin="allowed"),
            args=lambda w: {"project_id": w.project},
            data=no_fields,
        ),
    ),
    "projects.upload": doors(
        Door("POST", OWNER_OR_COORDINATORS, args=lambda w: {"project_id": w.project}, data=report_upload)
    ),
    "projects.download": doors(
        Door("GET", SIGNED_IN, args=lambda w: {"project_id": w.project, "attachment_id": w.attachment}),
        Door(
            "GET",
            OWNER_OR_COORDINATORS,
            args=lambda w: {"project_id": w.project, "attachment_id": w.attachment},
            name="hidden",
            prepare=hidden_project,
        ),
    ),
    "projects.delete_attachment": doors(
        Door(
            "POST",
            OWNER_OR_COORDINATORS,
            args=lambda w: {"project_id": w.project, "attachment_id": w.attachment},
        )
    ),
    # Only a named leader may take themself off (the owner leads the world's project).
    "projects.leave": doors(Door("POST", OWNER, args=lambda w: {"project_id": w.project})),
    "projects.hide": doors(
        Door("POST", COORDINATORS, args=lambda w: {"project_id": w.project}, data=lambda w: {"hidden": "1"})
    ),
    # search
    "search.index": doors(Door("GET", SIGNED_IN, args=lambda w: {"q": "lærerne"})),
    "search.similar": doors(Door("GET", SIGNED_IN, args=lambda w: {"text": "lærerne deler ikke materialer"})),
    # the API: bearer tokens; flask-smorest's own document is public
    "api-docs.openapi_json": doors(Door("GET", PUBLIC)),
    "api_auth.TokenResource": doors(
        Door(
            "POST",
            PUBLIC,
            data=lambda w: {"email": w.member.email, "password": PASSWORD, "name": "Robot"},
        )
    ),
    "api_members.MembersResource": doors(Door("GET", SIGNED_IN)),
    "api_members.MemberResource": doors(Door("GET", SIGNED_IN, args=lambda w: {"member_id": w.owner.id})),
    "api_members.SchoolsResource": doors(Door("GET", SIGNED_IN)),
    "api_members.MeResource": doors(
        Door("GET", SIGNED_IN), Door("PATCH", SIGNED_IN, data=lambda w: {"title": "Afdelingsleder"})
    ),
    "api_cases.CasesResource": doors(
        Door("GET", SIGNED_IN),
        Door("POST", SIGNED_IN, data=lambda w: {"title": "Et udkast fra API'et", "publish": False}),
    ),
    "api_cases.CaseResource": doors(
        Door("GET", SIGNED_IN, args=lambda w: {"case_id": w.case}),
        Door("GET", OWNER, args=lambda w: {"case_id": w.draft}, name="draft"),
        Door(
            "GET",
            OWNER_OR_COORDINATORS,
            args=lambda w: {"case_id": w.case},
            name="hidden",
            prepare=hidden_case,
        ),
        Door("PATCH", OWNER, args=lambda w: {"case_id": w.case}, data=lambda w: {"title": "En ny titel"}),
    ),
    "api_cases.FollowResource": doors(
        Door("PUT", SIGNED_IN, args=lambda w: {"case_id": w.case}, prepare=not_following_case),
        Door("DELETE", SIGNED_IN, args=lambda w: {"case_id": w.case}, prepare=following_case),
        Door("PUT", OWNER, args=lambda w: {"case_id": w.draft}, name="draft"),
    ),
    "api_cases.RepliesResource": doors(
        Door(
            "POST",
            SIGNED_IN,
            args=lambda w: {"case_id": w.case},
            data=lambda w: {"body": "Hvad tænker lærerne?"},
        )
    ),
    "api_cases.ReplyResource": doors(
        Door(
            "PATCH", OWNER, args=lambda w: {"reply_id": w.reply}, data=lambda w: {"body": "Rettet via API."}
        ),
        Door("DELETE", OWNER_OR_COORDINATORS, args=lambda w: {"reply_id": w.reply}),
    ),
    "api_cases.HelpfulResource": doors(
        Door("PUT", OWNER, args=lambda w: {"reply_id": w.reply}),
        Door("DELETE", OWNER, args=lambda w: {"reply_id": w.reply}),
    ),
    "api_meetups.MeetupsResource": doors(Door("GET", SIGNED_IN), Door("POST", SIGNED_IN, data=meetup_json)),
    "api_meetups.MeetupResource": doors(
        Door("GET", SIGNED_IN, args=lambda w: {"meetup_id": w.meetup}),
        Door("GET", SCHOOL_A_MEETUP, args=lambda w: {"meetup_id": w.invited_meetup}, name="invited"),
        Door("PUT", OWNER_OR_COORDINATORS, args=lambda w: {"meetup_id": w.meetup}, data=meetup_json),
    ),
    "api_meetups.CancelResource": doors(
        Door("POST", OWNER_OR_COORDINATORS, args=lambda w: {"meetup_id": w.meetup})
    ),
    "api_meetups.RsvpResource": doors(
        Door("PUT", SIGNED_IN, args=lambda w: {"meetup_id": w.meetup}, data=lambda w: {"answer": "going"}),
        # The invited meetup is still a date poll: those who may see it are told "not yet" (409).
        Door(
            "PUT",
            expect("allowed", other_school="denied"),
            args=lambda w: {"meetup_id": w.invited_meetup},
            data=lambda w: {"answer": "going"},
            name="invited",
        ),
    ),
    "api_meetups.PollResource": doors(
        Door(
            "PUT",
            SCHOOL_A_MEETUP,
            args=lambda w: {"meetup_id": w.invited_meetup},
            data=lambda w: {"answers": [{"option_id": w.poll_option, "answer": "yes"}]},
        )
    ),
    "api_projects.ProjectsResource": doors(
        Door("GET", SIGNED_IN), Door("POST", SIGNED_IN, data=lambda w: {"title": "Et projekt fra API'et"})
    ),
    "api_projects.ProjectResource": doors(
        Door("GET", SIGNED_IN, args=lambda w: {"project_id": w.project}),
        Door(
            "GET",
            OWNER_OR_COORDINATORS,
            args=lambda w: {"project_id": w.project},
            name="hidden",
            prepare=hidden_project,
        ),
        Door(
            "PATCH",
            OWNER_OR_COORDINATORS,
            args=lambda w: {"project_id": w.project},
            data=lambda w: {"title": "Synlig ledelse, anden runde"},
        ),
    ),
    "api_projects.upload_attachment": doors(
        Door("POST", OWNER_OR_COORDINATORS, args=lambda w: {"project_id": w.project}, data=report_upload)
    ),
    "api_projects.download_attachment": doors(
        Door("GET", SIGNED_IN, args=lambda w: {"project_id": w.project, "attachment_id": w.attachment}),
        Door(
            "GET",
            OWNER_OR_COORDINATORS,
            args=lambda w: {"project_id": w.project, "attachment_id": w.attachment},
            name="hidden",
            prepare=hidden_project,
        ),
    ),
    "api_search.SearchResource": doors(Door("GET", SIGNED_IN, args=lambda w: {"q": "lærerne"})),
    "api_rooms.RoomsResource": doors(Door("GET", SIGNED_IN)),
    "api_rooms.RoomMessagesResource": doors(
        Door("GET", IN_ROOM, args=lambda w: {"room_id": w.room}),
        Door(
            "POST",
            IN_ROOM,
            args=lambda w: {"room_id": w.room},
            data=lambda w: {"body": "Hej.", "client_id": new_client_id()},
        ),
    ),
}

# flask-smorest's documentation endpoints: not our routes, but they must have a (public) row.
SMOREST_DOC_ENDPOINTS = {"api-docs.openapi_json", "api-docs.openapi_redoc", "api-docs.openapi_swagger_ui"}


# --- socket events -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Event:
    """One /rooms event: its payload from the world and who may send it."""

    outcomes: dict[str, str]
    data: Args = lambda w: {}
    prepare: Prepare | None = None
    bugs: dict[str, str] = dataclasses.field(default_factory=dict)


# Connecting needs a sign-in; the visitor is refused at the door, so every event is "login" for them.
IN_ROOM_EVENT = expect("denied", owner="ok", coordinator="ok", admin="ok")
CONNECTED = expect()

EVENTS: dict[str, Event] = {
    "connect": Event(CONNECTED),
    "disconnect": Event(CONNECTED),
    "join": Event(IN_ROOM_EVENT, data=lambda w: {"room_id": w.room}),
    # Leaving a socket room one never joined is harmless: no check, nothing to learn.
    "leave": Event(CONNECTED, data=lambda w: {"room_id": w.room}),
    "message": Event(
        IN_ROOM_EVENT, data=lambda w: {"room_id": w.room, "body": "Hej.", "client_id": new_client_id()}
    ),
    # Only the author edits or deletes a message: coordinators in the room are told no.
    "edit": Event(OWNER, data=lambda w: {"message_id": w.message, "body": "Rettet."}),
    "delete": Event(OWNER, data=lambda w: {"message_id": w.message}),
    "history": Event(IN_ROOM_EVENT, data=lambda w: {"room_id": w.room}),
    "typing": Event(IN_ROOM_EVENT, data=lambda w: {"room_id": w.room}),
    "read": Event(IN_ROOM_EVENT, data=lambda w: {"room_id": w.room, "message_id": w.message}),
    "heartbeat": Event(CONNECTED),
    "session_start": Event(
        IN_ROOM_EVENT,
        data=lambda w: {
            "room_id": w.room,
            "case_id": w.case,
            "case_giver_id": w.owner.id,
            "team_ids": [w.coordinator.id],
        },
    ),
    "session_advance": Event(
        IN_ROOM_EVENT, data=lambda w: {"session_id": active_session_id(w)}, prepare=running_session
    ),
    "session_extend": Event(
        IN_ROOM_EVENT,
        data=lambda w: {"session_id": active_session_id(w), "minutes": 5},
        prepare=running_session,
    ),
    "session_pause": Event(
        IN_ROOM_EVENT, data=lambda w: {"session_id": active_session_id(w)}, prepare=running_session
    ),
    "session_resume": Event(
        IN_ROOM_EVENT, data=lambda w: {"session_id": active_session_id(w)}, prepare=paused_session
    ),
    # The facilitator or the case giver (both the owner here) write the summary.
    "session_summary": Event(
        OWNER, data=lambda w: {"session_id": w.finished_session, "next_actions": "Mappen."}
    ),
}
SOCKET_DENIALS = {
    "not_in_room",
    "not_allowed",
    "edit_window_closed",
    "room_not_found",
    "message_not_found",
    "out_of_turn",
}


# --- the world, once per backend, put back before every test -------------------------------


class Snapshot:
    """Every row of every table and every uploaded file, to put the world back as it was built."""

    def __init__(self, uploads: Path) -> None:
        self.uploads = uploads
        self.files = {p.relative_to(uploads): p.read_bytes() for p in uploads.rglob("*") if p.is_file()}
        self.tables = db.metadata.sorted_tables
        self.rows = {
            table.name: [dict(row._mapping) for row in db.session.execute(table.select())]
            for table in self.tables
        }

    def restore(self) -> None:
        shutil.rmtree(self.uploads, ignore_errors=True)
        for name, content in self.files.items():
            (self.uploads / name).parent.mkdir(parents=True, exist_ok=True)
            (self.uploads / name).write_bytes(content)
        db.session.remove()
        postgres = db.engine.dialect.name == "postgresql"
        with db.engine.begin() as conn:
            if postgres:
                names = ", ".join(f'"{table.name}"' for table in self.tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                conn.execute(text("PRAGMA defer_foreign_keys=ON"))
                for table in reversed(self.tables):
                    conn.execute(table.delete())
            for table in self.tables:
                if self.rows[table.name]:
                    conn.execute(table.insert(), self.rows[table.name])
            if postgres:
                for table in self.tables:
                    _restart_sequences(conn, table)


def _restart_sequences(conn, table) -> None:  # noqa: ANN001
    """PostgreSQL: the next id after the restored rows, as if they had been inserted one by one."""
    for column in table.primary_key.columns:
        if not isinstance(column.type, Integer):
            continue
        sequence = conn.scalar(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name}
        )
        if sequence is None:
            continue
        highest = conn.scalar(select(func.max(column))) or 0
        conn.execute(text("SELECT setval(:s, :v, false)"), {"s": sequence, "v": highest + 1})


@dataclasses.dataclass
class Stage:
    app: t.Any
    world: World
    snapshot: Snapshot


@pytest.fixture(scope="module", params=BACKENDS)
def stage(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> t.Iterator[Stage]:
    """One app and one world per backend for the whole table; each test puts the world back first."""
    folder = tmp_path_factory.mktemp(f"authorization-{request.param}")
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{folder / 'network.db'}"
    app = make_test_app(url, Path(folder))
    with app.app_context():
        world = build_world(app)
        db.session.commit()
        snapshot = Snapshot(Path(app.config["UPLOAD_DIR"]))
    yield Stage(app, world, snapshot)
    with app.app_context():
        db.session.remove()
        if request.param == "postgresql":
            db.drop_all()
        db.engine.dispose()


@pytest.fixture
def set_stage(stage: Stage) -> t.Iterator[Stage]:
    """The world as built, an app context for the test, and a fresh rate limit."""
    with stage.app.app_context():
        stage.snapshot.restore()
        limiter.reset()
        yield stage
        db.session.remove()


# --- how an answer reads -------------------------------------------------------------------


def sign_in_path(app) -> str:  # noqa: ANN001
    with app.test_request_context():
        return url_for("auth.login")


def error_flashes(client) -> list[str]:  # noqa: ANN001
    with client.session_transaction() as session:
        return [message for category, message in session.get("_flashes", []) if category == "error"]


def read_answer(response, client, *, api: bool, login_path: str) -> str:  # noqa: ANN001
    """What a user would call the answer: ok, login, denied, refused, or the bare status."""
    status = response.status_code
    if api and status == 401:
        return "login"
    if 300 <= status < 400:
        if urlsplit(response.location).path == login_path:
            return "login"
        return "refused" if error_flashes(client) else "ok"
    if status in (403, 404):
        return "denied"
    if 200 <= status < 300:
        return "ok"
    return str(status)


def matches(expected: str, actual: str) -> bool:
    if expected == "allowed":
        return actual not in ("login", "denied") and not actual.startswith("5")
    if expected == "any-4xx":
        return actual == "denied" or actual.startswith("4")
    return expected == actual


# --- the tests -----------------------------------------------------------------------------


def _door_cases() -> list:
    cases = []
    for endpoint, row in TABLE.items():
        for door in row:
            door_id = f"{endpoint} {door.method}{' ' + door.name if door.name else ''}"
            for role in ROLES:
                marks = []
                if role in door.bugs:
                    marks.append(pytest.mark.xfail(strict=True, reason=door.bugs[role]))
                cases.append(pytest.param(endpoint, door, role, id=f"{door_id} [{role}]", marks=marks))
    return cases


@pytest.mark.parametrize(("endpoint", "door", "role"), _door_cases())
def test_door(set_stage: Stage, endpoint: str, door: Door, role: str) -> None:
    app, w = set_stage.app, set_stage.world
    if door.prepare:
        door.prepare(w, role)
        db.session.commit()
    client = app.test_client()
    with app.test_request_context():
        path = url_for(endpoint, **door.args(w))
    api = path.startswith("/api/")
    headers = {}
    if role != "visitor":
        if api:
            headers["Authorization"] = f"Bearer {w.tokens[role]}"
        else:
            signed_in = client.post(
                sign_in_path(app), data={"email": w.people[role].email, "password": PASSWORD}
            )
            assert signed_in.status_code == 302, f"{role} could not sign in"
    data = door.data(w) if door.data else None
    if api and not _has_file(data):
        response = client.open(path, method=door.method, json=data, headers=headers)
    elif api:
        response = client.open(path, method=door.method, data=data, headers=headers)
    else:
        response = client.open(path, method=door.method, data=data)
    response.close()  # a file answer (an avatar, a zip) holds its file open until closed
    expected = door.outcomes[role]
    actual = read_answer(response, client, api=api, login_path=sign_in_path(app))
    assert matches(expected, actual), (
        f"{door.method} {path} as {role}: expected {expected}, got {actual} "
        f"(HTTP {response.status_code}{' → ' + response.location if response.location else ''})"
    )


def _has_file(data: dict[str, t.Any] | None) -> bool:
    return any(isinstance(value, tuple) for value in (data or {}).values())


def _event_cases() -> list:
    cases = []
    for event, row in EVENTS.items():
        for role in ROLES:
            marks = [pytest.mark.xfail(strict=True, reason=row.bugs[role])] if role in row.bugs else []
            cases.append(pytest.param(event, row, role, id=f"{event} [{role}]", marks=marks))
    return cases


@pytest.mark.parametrize(("event", "row", "role"), _event_cases())
def test_socket_event(set_stage: Stage, event: str, row: Event, role: str) -> None:
    app, w = set_stage.app, set_stage.world
    if row.prepare:
        row.prepare(w, role)
        db.session.commit()
    sockets = Sockets(app)
    try:
        person = db.session.get(Member, w.people[role].id) if role != "visitor" else None
        sock = sockets.connect(person)
        if role == "visitor":
            # Refused at connect: no sign-in, no events.
            assert not sock.is_connected("/rooms"), "a visitor's connection was accepted"
            assert row.outcomes[role] == "login"
            return
        assert sock.is_connected("/rooms"), f"{role} could not connect"
        if event == "connect":
            assert row.outcomes[role] == "ok"
            return
        if event == "disconnect":
            sock.disconnect("/rooms")
            assert not sock.is_connected("/rooms")
            assert row.outcomes[role] == "ok"
            return
        sock.get_received("/rooms")
        answer = emit(sock, event, row.data(w))
        refusals = [e["args"] for e in sock.get_received("/rooms") if e["name"] == "error"]
        expected = row.outcomes[role]
        if answer.get("ok"):
            actual = "ok"
        elif answer.get("error", {}).get("code") in SOCKET_DENIALS and refusals:
            actual = "denied"
        else:
            actual = f"refused ({answer.get('error')})"
        assert matches(expected, actual), f"{event} as {role}: expected {expected}, got {actual}"
    finally:
        sockets.close()


# --- the table stays complete --------------------------------------------------------------


def test_every_route_has_a_row(set_stage: Stage) -> None:
    endpoints = {rule.endpoint for rule in set_stage.app.url_map.iter_rules()} - {"static"}
    missing = sorted(endpoints - set(TABLE))
    gone = sorted(set(TABLE) - endpoints)
    assert not missing, f"routes without a row in the authorization table: {missing}"
    assert not gone, f"rows whose route no longer exists: {gone}"
    for endpoint in endpoints & SMOREST_DOC_ENDPOINTS:
        assert all(d.outcomes == PUBLIC for d in TABLE[endpoint]), f"{endpoint} should be a public row"


def test_every_rule_and_method_has_a_door(set_stage: Stage) -> None:
    """Every method of every URL rule (an endpoint may have two) is tried by some door."""
    app, w = set_stage.app, set_stage.world
    tried = set()
    adapter = app.url_map.bind("netvaerk.test")
    for endpoint, row in TABLE.items():
        for door in row:
            with app.test_request_context():
                path = url_for(endpoint, **door.args(w))
            rule, _args = adapter.match(urlsplit(path).path, method=door.method, return_rule=True)
            tried.add((rule.rule, door.method))
    untried = [
        f"{rule.endpoint} {method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        if (rule.rule, method) not in tried
    ]
    assert not untried, f"methods no door tries: {untried}"


def test_every_socket_event_has_a_row() -> None:
    handlers = {
        name[3:]
        for name, _ in inspect.getmembers(RoomsNamespace, inspect.isfunction)
        if name.startswith("on_")
    }
    assert handlers == set(RoomsNamespace.EVENTS) | {"connect", "disconnect"}, "EVENTS and on_ methods differ"
    assert not handlers - set(EVENTS), f"socket events without a row: {sorted(handlers - set(EVENTS))}"
    assert not set(EVENTS) - handlers, f"rows whose event no longer exists: {sorted(set(EVENTS) - handlers)}"
