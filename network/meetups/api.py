"""Meetups: create, read, update, cancel; RSVP; date-poll answers."""

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import validate

from network.api.schemas import Schema, SchoolRefSchema, Text
from network.api.security import BEARER_DOC, current_member, token_required
from network.db import commit
from network.meetups import drafts, polls, service
from network.meetups.models import POLL_ANSWERS, VISIBILITIES, Meetup

blp = Blueprint("api_meetups", __name__, url_prefix="/api/v1", description="Meetups (netværksmøder)")


class AgendaItemSchema(Schema):
    title = ma.fields.String(required=True, validate=validate.Length(min=1, max=drafts.TITLE_MAX))
    case_id = ma.fields.Integer(allow_none=True, load_default=None)
    project_id = ma.fields.Integer(allow_none=True, load_default=None)
    case_title = ma.fields.String(dump_only=True, allow_none=True)
    project_title = ma.fields.String(dump_only=True, allow_none=True)


class PollOptionSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    starts_at = ma.fields.AwareDateTime(required=True)
    ends_at = ma.fields.AwareDateTime(required=True)
    yes = ma.fields.Integer(dump_only=True)
    if_need_be = ma.fields.Integer(dump_only=True)
    no = ma.fields.Integer(dump_only=True)


class MeetupInSchema(Schema):
    """A meetup to create or change. Times are ISO 8601 with an offset; give starts_at or poll_options."""

    title = ma.fields.String(required=True, validate=validate.Length(min=1, max=drafts.TITLE_MAX))
    description = Text(load_default="", validate=validate.Length(max=drafts.DESCRIPTION_MAX))
    host_school_id = ma.fields.Integer(required=True)
    address = ma.fields.String(load_default="", validate=validate.Length(max=drafts.ADDRESS_MAX))
    online_url = ma.fields.String(load_default="", validate=validate.Length(max=drafts.URL_MAX))
    starts_at = ma.fields.AwareDateTime(allow_none=True, load_default=None)
    ends_at = ma.fields.AwareDateTime(allow_none=True, load_default=None)
    capacity = ma.fields.Integer(load_default=30, validate=validate.Range(min=1, max=10000))
    rsvp_deadline = ma.fields.AwareDateTime(allow_none=True, load_default=None)
    visibility = ma.fields.String(load_default="network", validate=validate.OneOf(VISIBILITIES))
    invited_school_ids = ma.fields.List(ma.fields.Integer(), load_default=list)
    co_organiser_ids = ma.fields.List(ma.fields.Integer(), load_default=list)
    agenda = ma.fields.List(ma.fields.Nested(AgendaItemSchema), load_default=list)
    poll_options = ma.fields.List(ma.fields.Nested(PollOptionSchema), load_default=list)


class MeetupSchema(Schema):
    id = ma.fields.Integer(required=True)
    uid = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    description = Text(required=True)
    status = ma.fields.String(required=True, metadata={"enum": ["polling", "scheduled", "cancelled"]})
    host_school = ma.fields.Nested(SchoolRefSchema, allow_none=True)
    address = ma.fields.String()
    online_url = ma.fields.String()
    starts_at = ma.fields.DateTime(allow_none=True)
    ends_at = ma.fields.DateTime(allow_none=True)
    capacity = ma.fields.Integer()
    going = ma.fields.Integer()
    waitlist = ma.fields.Integer()
    rsvp_deadline = ma.fields.DateTime(allow_none=True)
    visibility = ma.fields.String()
    invited_schools = ma.fields.List(ma.fields.Nested(SchoolRefSchema))
    organisers = ma.fields.List(ma.fields.Dict())
    agenda = ma.fields.List(ma.fields.Nested(AgendaItemSchema))
    poll_options = ma.fields.List(ma.fields.Nested(PollOptionSchema))
    my_rsvp = ma.fields.String(allow_none=True)
    sequence = ma.fields.Integer()
    notes = Text()


class RsvpInSchema(Schema):
    answer = ma.fields.String(required=True, validate=validate.OneOf(("going", "maybe", "not_going")))


class RsvpSchema(Schema):
    state = ma.fields.String(required=True, metadata={"enum": ["going", "waitlist", "maybe", "not_going"]})
    going = ma.fields.Integer()
    capacity = ma.fields.Integer()


class PollAnswerInSchema(Schema):
    option_id = ma.fields.Integer(required=True)
    answer = ma.fields.String(required=True, validate=validate.OneOf(POLL_ANSWERS))


class PollInSchema(Schema):
    answers = ma.fields.List(ma.fields.Nested(PollAnswerInSchema), required=True)


def _body(meetup: Meetup) -> dict:
    viewer = current_member()
    counts = service.rsvp_counts(meetup)
    mine = service.rsvp_of(viewer, meetup)
    return {
        "id": meetup.id,
        "uid": meetup.uid,
        "title": meetup.title,
        "description": meetup.description,
        "status": meetup.status,
        "host_school": {"id": meetup.host_school.id, "name": meetup.host_school.name}
        if meetup.host_school
        else None,
        "address": meetup.address,
        "online_url": meetup.online_url,
        "starts_at": meetup.starts_at,
        "ends_at": meetup.ends_at,
        "capacity": meetup.capacity,
        "going": counts["going"],
        "waitlist": counts["waitlist"],
        "rsvp_deadline": meetup.rsvp_deadline,
        "visibility": meetup.visibility,
        "invited_schools": [{"id": s.id, "name": s.name} for s in meetup.invited_schools],
        "organisers": [{"id": o.id, "name": o.name} for o in meetup.organisers],
        # An anonymous case shows its title only, never its author.
        "agenda": [
            {
                "title": i.title,
                "case_id": i.case.id if i.case else None,
                "project_id": i.project.id if i.project else None,
                "case_title": i.case.title if i.case else None,
                "project_title": i.project.title if i.project else None,
            }
            for i in service.agenda_as_seen(viewer, meetup)
        ],
        "poll_options": [
            {"id": o.id, "starts_at": o.starts_at, "ends_at": o.ends_at, **polls.tally(o)}
            for o in meetup.poll_options
        ],
        "my_rsvp": mine.state if mine else None,
        "sequence": meetup.sequence,
        "notes": meetup.notes,
    }


def _draft(body: dict) -> drafts.MeetupDraft:
    return drafts.MeetupDraft(
        **{k: v for k, v in body.items() if k not in ("agenda", "poll_options")},
        agenda=[drafts.AgendaDraft(**a) for a in body.get("agenda", [])],
        poll_options=[(o["starts_at"], o["ends_at"]) for o in body.get("poll_options", [])],
    )


@blp.route("/meetups")
class MeetupsResource(MethodView):
    decorators = [token_required]

    @blp.doc(**BEARER_DOC)
    @blp.response(200, MeetupSchema(many=True))
    def get(self):
        """Upcoming meetups and open date polls the caller may see."""
        return [_body(m) for m in service.upcoming(current_member())]

    @blp.doc(**BEARER_DOC)
    @blp.arguments(MeetupInSchema)
    @blp.response(201, MeetupSchema)
    @blp.alt_response(400, description="A rule was broken, e.g. the end is before the start")
    def post(self, body: dict):
        """Create a meetup; the caller becomes its organiser."""
        meetup = service.create_meetup(current_member(), _draft(body))
        commit()
        return _body(meetup)


@blp.route("/meetups/<int:meetup_id>")
class MeetupResource(MethodView):
    decorators = [token_required]

    @blp.doc(**BEARER_DOC)
    @blp.response(200, MeetupSchema)
    @blp.alt_response(404, description="No such meetup, or not visible to the caller")
    def get(self, meetup_id: int):
        """One meetup."""
        return _body(service.get_meetup(current_member(), meetup_id))

    @blp.doc(**BEARER_DOC)
    @blp.arguments(MeetupInSchema)
    @blp.response(200, MeetupSchema)
    @blp.alt_response(403, description="Only organisers and coordinators")
    def put(self, body: dict, meetup_id: int):
        """Replace a meetup's details (organisers and coordinators)."""
        meetup = service.update_meetup(current_member(), meetup_id, _draft(body))
        commit()
        return _body(meetup)


@blp.route("/meetups/<int:meetup_id>/cancel")
class CancelResource(MethodView):
    decorators = [token_required]

    @blp.doc(**BEARER_DOC)
    @blp.response(200, MeetupSchema)
    @blp.alt_response(403, description="Only organisers and coordinators")
    def post(self, meetup_id: int):
        """Cancel a meetup; those who answered are told."""
        meetup = service.cancel_meetup(current_member(), meetup_id)
        commit()
        return _body(meetup)


@blp.route("/meetups/<int:meetup_id>/rsvp")
class RsvpResource(MethodView):
    decorators = [token_required]

    @blp.doc(**BEARER_DOC)
    @blp.arguments(RsvpInSchema)
    @blp.response(200, RsvpSchema)
    @blp.alt_response(409, description="Cancelled, not scheduled yet, or after the deadline")
    def put(self, body: dict, meetup_id: int):
        """Answer going / maybe / not going; a full meetup puts "going" on the waitlist."""
        rsvp = service.respond(current_member(), meetup_id, body["answer"])
        commit()
        meetup = service.get_meetup(current_member(), meetup_id)
        return {"state": rsvp.state, "going": service.going_count(meetup), "capacity": meetup.capacity}


@blp.route("/meetups/<int:meetup_id>/poll")
class PollResource(MethodView):
    decorators = [token_required]

    @blp.doc(**BEARER_DOC)
    @blp.arguments(PollInSchema)
    @blp.response(200, MeetupSchema)
    @blp.alt_response(409, description="The poll is closed")
    def put(self, body: dict, meetup_id: int):
        """Answer the date poll: yes / if_need_be / no per candidate time."""
        answers = {a["option_id"]: a["answer"] for a in body["answers"]}
        polls.answer_poll(current_member(), meetup_id, answers)
        commit()
        return _body(service.get_meetup(current_member(), meetup_id))
