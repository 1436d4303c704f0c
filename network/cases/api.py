"""Cases and replies: list, read, create and update cases; replies; helpful; following.

The same services and rules as the pages; the author is always shown as the caller may see them.
"""

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import validate

from network.api.schemas import PageArgs, PageMeta, Schema, Text
from network.api.security import BEARER_DOC, current_member, token_required
from network.cases import listing, service, social
from network.cases import replies as reply_service
from network.cases.models import AL_STAGES, REPLY_KINDS, STATUSES, VISIBILITIES, Case, Reply
from network.db import commit
from network.domain import FOCUS_AREAS, TOOLS
from network.errors import NotAllowed
from network.members.api import page_body

blp = Blueprint("api_cases", __name__, url_prefix="/api/v1", description="Cases and sparring replies")


class CaseAuthorSchema(Schema):
    """Who wrote it, as the caller may see it: an anonymous author has no id, and no school."""

    name = ma.fields.String(required=True)
    member_id = ma.fields.Integer(allow_none=True, required=True)
    school = ma.fields.String(allow_none=True, required=True)
    is_you = ma.fields.Boolean(required=True)


class ReplySchema(Schema):
    id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True, metadata={"enum": list(REPLY_KINDS)})
    body = Text(required=True, metadata={"description": "Markdown"})
    author = ma.fields.Nested(CaseAuthorSchema, required=True)
    created_at = ma.fields.DateTime(required=True)
    edited_at = ma.fields.DateTime(allow_none=True, required=True)
    helpful = ma.fields.Boolean(required=True)
    editable = ma.fields.Boolean(required=True, metadata={"description": "The caller may still edit it"})


TO_THE_DAY = "On an anonymous case, to the day (midnight UTC) for everyone but its author"


class CaseSummarySchema(Schema):
    id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"enum": list(STATUSES)})
    visibility = ma.fields.String(required=True, metadata={"enum": list(VISIBILITIES)})
    al_stage = ma.fields.String(required=True, metadata={"enum": list(AL_STAGES)})
    author = ma.fields.Nested(CaseAuthorSchema, required=True)
    tools = ma.fields.List(ma.fields.String(), required=True)
    focus_areas = ma.fields.List(ma.fields.String(), required=True)
    tags = ma.fields.List(ma.fields.String(), required=True)
    reply_count = ma.fields.Integer(required=True)
    published_at = ma.fields.DateTime(allow_none=True, required=True, metadata={"description": TO_THE_DAY})
    last_activity_at = ma.fields.DateTime(required=True, metadata={"description": TO_THE_DAY})


class CaseSchema(CaseSummarySchema):
    problem = Text(required=True)
    context = Text(required=True)
    tried = Text(required=True)
    question = Text(required=True)
    learning_summary = Text(required=True)
    closed_at = ma.fields.DateTime(allow_none=True, required=True)
    is_owner = ma.fields.Boolean(required=True)
    following = ma.fields.Boolean(required=True)
    replies = ma.fields.List(ma.fields.Nested(ReplySchema), required=True)


class CasePageSchema(PageMeta):
    items = ma.fields.List(ma.fields.Nested(CaseSummarySchema), required=True)


class CaseFilterArgs(PageArgs):
    status = ma.fields.String(load_default="", validate=validate.OneOf(["", *STATUSES[1:]]))
    tool = ma.fields.String(load_default="", validate=validate.OneOf(["", *TOOLS]))
    focus = ma.fields.String(load_default="", validate=validate.OneOf(["", *FOCUS_AREAS]))
    tag = ma.fields.String(load_default="", validate=validate.Length(max=60))
    unanswered = ma.fields.Boolean(load_default=False)
    sort = ma.fields.String(
        load_default="newest", validate=validate.OneOf(["newest", "active", "unanswered"])
    )
    mine = ma.fields.Boolean(load_default=False, metadata={"description": "Only my cases, drafts included"})
    following = ma.fields.Boolean(load_default=False, metadata={"description": "Only cases I follow"})


class CaseWriteSchema(Schema):
    """A case's fields; on create, `publish: false` keeps it as a draft."""

    class Meta:
        unknown = ma.RAISE

    title = ma.fields.String(validate=validate.Length(max=service.TITLE_MAX))
    problem = Text(validate=validate.Length(max=service.TEXT_MAX))
    context = Text(validate=validate.Length(max=service.TEXT_MAX))
    tried = Text(validate=validate.Length(max=service.TEXT_MAX))
    question = Text(validate=validate.Length(max=service.TEXT_MAX))
    al_stage = ma.fields.String(validate=validate.OneOf(list(AL_STAGES)))
    visibility = ma.fields.String(validate=validate.OneOf(list(VISIBILITIES)))
    tools = ma.fields.List(ma.fields.String(validate=validate.OneOf(list(TOOLS))))
    focus_areas = ma.fields.List(ma.fields.String(validate=validate.OneOf(list(FOCUS_AREAS))))
    tags = ma.fields.List(ma.fields.String(validate=validate.Length(max=service.TAG_MAX)))


class CaseCreateSchema(CaseWriteSchema):
    publish = ma.fields.Boolean(load_default=True)


class CasePatchSchema(CaseWriteSchema):
    status = ma.fields.String(validate=validate.OneOf(list(service.PUBLISHED_STATUSES)))
    learning_summary = Text(validate=validate.Length(max=service.TEXT_MAX))
    publish = ma.fields.Boolean(metadata={"description": "true publishes a draft"})


class ReplyWriteSchema(Schema):
    class Meta:
        unknown = ma.RAISE

    kind = ma.fields.String(load_default="question", validate=validate.OneOf(list(REPLY_KINDS)))
    body = Text(required=True, validate=validate.Length(min=1, max=reply_service.BODY_MAX))


def _author(view: service.AuthorView) -> dict:
    return {"name": view.name, "member_id": view.member_id, "school": view.school_name, "is_you": view.is_you}


def _summary(case: Case, reply_count: int | None = None) -> dict:
    viewer = current_member()
    return {
        "id": case.id,
        "title": case.title,
        "status": case.status,
        "visibility": case.visibility,
        "al_stage": case.al_stage,
        "author": _author(service.author_as_seen(viewer, case)),
        "tools": list(case.tools),
        "focus_areas": list(case.focus_areas),
        "tags": list(case.tags),
        "reply_count": service.reply_count(case) if reply_count is None else reply_count,
        "published_at": service.time_as_seen(viewer, case, case.published_at),
        "last_activity_at": service.time_as_seen(viewer, case, case.last_activity_at),
    }


def _reply(reply: Reply) -> dict:
    viewer = current_member()
    return {
        "id": reply.id,
        "kind": reply.kind,
        "body": reply.body,
        "author": _author(service.reply_author_as_seen(viewer, reply)),
        "created_at": service.time_as_seen(viewer, reply.case, reply.created_at),
        "edited_at": service.time_as_seen(viewer, reply.case, reply.edited_at),
        "helpful": reply.helpful_at is not None,
        "editable": reply_service.can_edit(viewer, reply),
    }


def _case_body(case: Case) -> dict:
    viewer = current_member()
    return {
        **_summary(case),
        "problem": case.problem,
        "context": case.context,
        "tried": case.tried,
        "question": case.question,
        "learning_summary": case.learning_summary,
        "closed_at": service.time_as_seen(viewer, case, case.closed_at),
        "is_owner": service.is_owner(viewer, case),
        "following": social.is_following(viewer, case),
        "replies": [_reply(r) for r in reply_service.visible_replies(viewer, case)],
    }


def _fields(body: dict) -> service.CaseFields:
    names = (
        "title",
        "problem",
        "context",
        "tried",
        "question",
        "al_stage",
        "visibility",
        "tools",
        "focus_areas",
    )
    return service.CaseFields(**{k: body[k] for k in names if k in body}, tags=body.get("tags"))


@blp.route("/cases")
class CasesResource(MethodView):
    decorators = [token_required]

    @blp.doc(**BEARER_DOC)
    @blp.arguments(CaseFilterArgs, location="query")
    @blp.response(200, CasePageSchema)
    def get(self, args: dict):
        """Cases the caller may see, filtered, sorted and paginated."""
        filters = listing.CaseFilters(**{k: args[k] for k in listing.CaseFilters.__dataclass_fields__})
        page = listing.list_cases(current_member(), filters, page=args["page"], per_page=args["per_page"])
        counts = listing.reply_counts(page.items)
        return page_body(page, [_summary(c, counts[c.id]) for c in page.items])

    @blp.doc(**BEARER_DOC)
    @blp.arguments(CaseCreateSchema)
    @blp.response(201, CaseSchema)
    @blp.alt_response(422, description="A required field is missing or a value is not allowed")
    def post(self, body: dict):
        """Write a case: published at once, or a draft with `publish: false`."""
        case = service.save_case(current_member(), None, _fields(body), publish=body["publish"])
        commit()
        return _case_body(case), 201


@blp.route("/cases/<int:case_id>")
class CaseResource(MethodView):
    decorators = [token_required]

    @blp.doc(**BEARER_DOC)
    @blp.response(200, CaseSchema)
    @blp.alt_response(404, description="No such case, or not one the caller may see")
    def get(self, case_id: int):
        """One case with its replies."""
        return _case_body(service.get_case(current_member(), case_id))

    @blp.doc(**BEARER_DOC)
    @blp.arguments(CasePatchSchema)
    @blp.response(200, CaseSchema)
    @blp.alt_response(403, description="Not the caller's case")
    @blp.alt_response(404, description="No such case")
    @blp.alt_response(422, description="A rule was broken, e.g. closing without a learning summary")
    def patch(self, body: dict, case_id: int):
        """Change one's own case: its fields, publish a draft, or move its status."""
        me = current_member()
        case = service.get_case(me, case_id)
        if not service.is_owner(me, case):
            raise NotAllowed()
        service.save_case(me, case, _fields(body), publish=bool(body.get("publish")))
        if "status" in body:
            service.change_status(me, case, body["status"], body.get("learning_summary", ""))
        commit()
        return _case_body(service.get_case(me, case_id))


@blp.route("/cases/<int:case_id>/replies")
class RepliesResource(MethodView):
    decorators = [token_required]

    @blp.doc(**BEARER_DOC)
    @blp.arguments(ReplyWriteSchema)
    @blp.response(201, ReplySchema)
    @blp.alt_response(404, description="No such case")
    @blp.alt_response(409, description="The case is closed")
    def post(self, body: dict, case_id: int):
        """Answer a case with a reflective question, an experience or a suggestion."""
        me = current_member()
        reply = reply_service.add_reply(
            me, service.get_case(me, case_id), kind=body["kind"], body=body["body"]
        )
        commit()
        return _reply(reply), 201


@blp.route("/replies/<int:reply_id>")
class ReplyResource(MethodView):
    decorators = [token_required]

    @blp.doc(**BEARER_DOC)
    @blp.arguments(ReplyWriteSchema)
    @blp.response(200, ReplySchema)
    @blp.alt_response(403, description="Not the caller's reply, or the 24-hour window has passed")
    @blp.alt_response(404, description="No such reply")
    def patch(self, body: dict, reply_id: int):
        """Edit one's own reply within 24 hours (the earlier text is kept)."""
        me = current_member()
        reply = reply_service.edit_reply(
            me, reply_service.get_reply(me, reply_id), kind=body["kind"], body=body["body"]
        )
        commit()
        return _reply(reply)

    @blp.doc(**BEARER_DOC)
    @blp.response(204)
    @blp.alt_response(403, description="Not the caller's reply")
    @blp.alt_response(404, description="No such reply")
    def delete(self, reply_id: int):
        """Delete one's own reply."""
        me = current_member()
        reply_service.delete_reply(me, reply_service.get_reply(me, reply_id))
        commit()
        return None


@blp.route("/replies/<int:reply_id>/helpful")
class HelpfulResource(MethodView):
    decorators = [token_required]

    @blp.doc(**BEARER_DOC)
    @blp.response(200, ReplySchema)
    @blp.alt_response(403, description="Only the case's author marks replies")
    def put(self, reply_id: int):
        """Mark a reply to one's case as helpful."""
        return _helpful(reply_id, True)

    @blp.doc(**BEARER_DOC)
    @blp.response(200, ReplySchema)
    @blp.alt_response(403, description="Only the case's author marks replies")
    def delete(self, reply_id: int):
        """Take the helpful mark back."""
        return _helpful(reply_id, False)


def _helpful(reply_id: int, helpful: bool):  # noqa: ANN202
    me = current_member()
    reply = reply_service.mark_helpful(me, reply_service.get_reply(me, reply_id), helpful)
    commit()
    return _reply(reply)


@blp.route("/cases/<int:case_id>/follow")
class FollowResource(MethodView):
    decorators = [token_required]

    @blp.doc(**BEARER_DOC)
    @blp.response(204)
    @blp.alt_response(409, description="Already following")
    @blp.alt_response(404, description="No such case")
    def put(self, case_id: int):
        """Follow a case: new replies and status changes are notified."""
        me = current_member()
        social.follow_case(me, service.get_case(me, case_id))
        commit()
        return None

    @blp.doc(**BEARER_DOC)
    @blp.response(204)
    @blp.alt_response(404, description="No such case, or not following it")
    def delete(self, case_id: int):
        """Stop following a case."""
        me = current_member()
        social.unfollow_case(me, service.get_case(me, case_id))
        commit()
        return None
