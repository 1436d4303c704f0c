"""Live rooms over HTTP: list rooms, read history after an id, post a message (the socket's rules)."""

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import validate

from network.api.schemas import Schema, Text
from network.api.security import BEARER_DOC, current_member, token_required
from network.db import after_commit, commit
from network.extensions import socketio
from network.rooms import personas, service, sessions
from network.rooms.events import room_key

blp = Blueprint("api_rooms", __name__, url_prefix="/api/v1", description="Live sparring rooms")


class RoomSchema(Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, metadata={"enum": ["standing", "case"]})
    access = ma.fields.String(required=True, metadata={"enum": ["open", "invite"]})
    region = ma.fields.String(required=True)
    tool = ma.fields.String(required=True)
    theme = ma.fields.String(required=True)
    case_id = ma.fields.Integer(allow_none=True)
    unread = ma.fields.Integer(required=True)
    online = ma.fields.List(ma.fields.Dict(), required=True)


class MessageAuthorSchema(Schema):
    id = ma.fields.Integer(allow_none=True)
    name = ma.fields.String()


class MessageSchema(Schema):
    id = ma.fields.Integer(required=True)
    room_id = ma.fields.Integer(required=True)
    client_id = ma.fields.String(required=True)
    author = ma.fields.Nested(MessageAuthorSchema, required=True)
    body = Text(required=True, metadata={"description": "Markdown as written"})
    html = ma.fields.String(required=True, metadata={"description": "Rendered and sanitised"})
    phase = ma.fields.String(required=True)
    session_id = ma.fields.Integer(allow_none=True)
    created_at = ma.fields.String(required=True)
    edited_at = ma.fields.String(allow_none=True)
    deleted = ma.fields.Boolean(required=True)


class HistoryArgs(Schema):
    after_id = ma.fields.Integer(load_default=0, validate=validate.Range(min=0))
    limit = ma.fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class HistorySchema(Schema):
    items = ma.fields.List(ma.fields.Nested(MessageSchema), required=True)
    next_after_id = ma.fields.Integer(required=True, metadata={"description": "Pass as after_id for more"})
    more = ma.fields.Boolean(required=True)


class NewMessageSchema(Schema):
    body = Text(required=True, validate=validate.Length(min=1, max=service.MAX_MESSAGE_CHARS))
    client_id = ma.fields.String(
        required=True,
        validate=validate.Regexp(
            service.CLIENT_ID
        ),  # the rule the service applies, so the document states it
        metadata={"description": "Your own id (a UUID): a retry with the same id never duplicates"},
    )


@blp.route("/rooms")
class RoomsResource(MethodView):
    decorators = [token_required]

    @blp.doc(**BEARER_DOC)
    @blp.response(200, RoomSchema(many=True))
    def get(self):
        """The rooms the caller may enter, with unread counts and who is online."""
        return [
            {
                **{k: getattr(item.room, k) for k in RoomSchema().fields if hasattr(item.room, k)},
                "unread": item.unread,
                "online": item.online,
            }
            for item in service.rooms_for(current_member())
        ]


@blp.route("/rooms/<int:room_id>/messages")
class RoomMessagesResource(MethodView):
    decorators = [token_required]

    @blp.doc(**BEARER_DOC)
    @blp.arguments(HistoryArgs, location="query")
    @blp.response(200, HistorySchema)
    @blp.alt_response(403, description="Not in this room")
    @blp.alt_response(404, description="No such room")
    def get(self, args: dict, room_id: int):
        """Messages after ``after_id``, oldest first, at most ``limit``."""
        room = service.room_for(current_member(), room_id)
        page = service.messages_after(room, args["after_id"], limit=args["limit"] + 1)
        more = len(page) > args["limit"]
        page = page[: args["limit"]]
        seen = personas.for_room(room.id)
        return {
            "items": [service.message_payload(m, seen, current_member()) for m in page],
            "next_after_id": page[-1].id if page else args["after_id"],
            "more": more,
        }

    @blp.doc(**BEARER_DOC)
    @blp.arguments(NewMessageSchema)
    @blp.response(201, MessageSchema)
    @blp.alt_response(200, schema=MessageSchema, description="A retry: the message already stored")
    @blp.alt_response(403, description="Not in this room, or not your turn in the session")
    @blp.alt_response(429, description="Too many messages")
    def post(self, body: dict, room_id: int):
        """Post a message under the same rules as the socket; it is broadcast to the room."""
        room = service.room_for(current_member(), room_id)
        message, created = sessions.post(current_member(), room, body["body"], body["client_id"])
        seen = personas.for_room(room.id)
        broadcast = service.message_payload(message, seen)
        after_commit(lambda: socketio.emit("message", broadcast, to=room_key(room.id), namespace="/rooms"))
        commit()
        return service.message_payload(message, seen, current_member()), 201 if created else 200
