"""The Socket.IO namespace /rooms: thin handlers that validate, call the services and emit.

Every event is answered: its acknowledgement is ``{"ok": true, ...}`` or ``{"ok": false, "error":
{...}}``, and a refused event also sends an ``error`` event (Danish message plus a code) to that
client alone. The room and the server carry on.
"""

import dataclasses
import logging
import threading
import time
import typing as t

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import Namespace, join_room, leave_room
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from network.auth.service import api_token_fingerprint, member_for_api_token, still_signed_in
from network.db import after_commit, commit, db, rollback
from network.errors import DomainError
from network.members.models import Member
from network.rooms import payload, personas, presence, relay, service, sessions, throttle
from network.rooms.errors import NotInRoom, SessionError
from network.rooms.models import Room
from network.rooms.payload import BadEvent

log = logging.getLogger(__name__)

MAX_TEXT = service.MAX_MESSAGE_CHARS
TYPING_EVERY_SECONDS = 2.0
MAX_ROOMS_PER_CONNECTION = 10  # a page is in one room; bounds what one connection's joins cost
Payload = dict[str, t.Any]


class SignedOut(DomainError):
    """The session or API token this connection signed in with has ended."""

    code = "unauthenticated"
    status = 401


@dataclasses.dataclass(frozen=True)
class Connection:
    """Who a connection is, and the credential it signed in with (checked again on every event)."""

    member_id: int
    session_token: str | None = None
    token_fingerprint: str | None = None


class DatabaseAway(DomainError):
    """The database is restarting or unreachable: the event can be sent again in a moment."""

    code = "unavailable"
    status = 503


def room_key(room_id: int) -> str:
    """The Socket.IO room every connection in a sparring room joins."""
    return f"room:{room_id}"


class RoomsNamespace(Namespace):
    """``/rooms``: members only; one class, one ``on_<event>`` method per event."""

    EVENTS = (
        "join",
        "leave",
        "message",
        "edit",
        "delete",
        "history",
        "typing",
        "read",
        "heartbeat",
        "session_start",
        "session_advance",
        "session_extend",
        "session_pause",
        "session_resume",
        "session_summary",
    )

    def __init__(self, namespace: str = "/rooms") -> None:
        super().__init__(namespace)
        # sid -> connection, set at connect. A sid lives in one process only (sticky sessions).
        self._members: dict[str, Connection] = {}
        self._typing: dict[str, float] = {}
        self._budget = throttle.EventBudget()
        self._lock = threading.Lock()

    # --- dispatch ----------------------------------------------------------------------------

    def trigger_event(self, event: str, *args: t.Any) -> t.Any:
        """Connect and disconnect as usual; every other event through one guarded path."""
        if event in ("connect", "disconnect"):
            return super().trigger_event(event, *args)
        return self.socketio._handle_event(self._dispatch, event, self.namespace, *args)

    def _dispatch(self, *args: t.Any) -> Payload:
        event = request.event["message"]
        try:
            self._spend()  # before any database work: a flood costs next to nothing
            member = self._member()
            if event not in self.EVENTS:
                raise BadEvent(_("Ukendt hændelse: %(event)s.", event=str(event)[:40]))
            if len(args) != 1 or not isinstance(args[0], dict):
                raise BadEvent(_("Hændelsen skal sendes med et objekt af felter."))
            result = getattr(self, f"on_{event}")(member, args[0])
            commit()  # the handlers never commit; their broadcasts wait for this
            return {"ok": True, **(result or {})}
        except SignedOut as error:
            rollback()
            refused = self._refuse(event, error, args)
            self.disconnect(request.sid)  # signed out, or the password changed: the socket ends too
            return refused
        except DomainError as error:
            rollback()
            return self._refuse(event, error, args)
        except StaleDataError:
            rollback()
            changed = SessionError(_("Sessionen blev ændret i samme øjeblik. Se den nye fase, og prøv igen."))
            return self._refuse(event, changed, args)
        except (OperationalError, InterfaceError) as error:
            _forget_connection()
            log.error("rooms: event %s: database unavailable: %s", event, str(error).splitlines()[0])
            away = DatabaseAway(_("Tjenesten er midlertidigt utilgængelig. Prøv igen om lidt."))
            return self._refuse(event, away, args)
        except Exception:
            rollback()
            log.exception("rooms: event %s failed", event)
            return self._refuse(event, DomainError(_("Der skete en fejl på serveren. Prøv igen.")), args)

    def _refuse(self, event: str, error: DomainError, args: tuple) -> Payload:
        body = {
            "code": getattr(error, "code", "not_allowed" if error.status == 403 else "refused"),
            "message": str(error.message),
            "event": str(event)[:40],
        }
        data = args[0] if args and isinstance(args[0], dict) else {}
        if isinstance(data.get("client_id"), str):
            body["client_id"] = data["client_id"][:36]
        self.emit("error", body, room=request.sid)
        return {"ok": False, "error": body}

    def _spend(self) -> None:
        connection = self._members.get(request.sid)
        if connection is not None:  # no connection: _member refuses it
            throttle.spend(self._budget, request.sid, connection.member_id, current_app.config)

    def _member(self) -> Member:
        """The connection's member, while the session or token it signed in with still holds."""
        connection = self._members.get(request.sid)
        member = db.session.get(Member, connection.member_id) if connection else None
        if member is None or not member.is_active:
            raise NotInRoom(_("Du er ikke logget ind."))
        if not still_signed_in(
            member, session_token=connection.session_token, token_fingerprint=connection.token_fingerprint
        ):
            raise SignedOut(_("Du er logget ud. Log ind igen."))
        return member

    # --- connection --------------------------------------------------------------------------

    def on_connect(self, auth: t.Any = None) -> None:
        """Members only: the sign-in cookie, or ``auth={"token": API_TOKEN}``."""
        member = current_user._get_current_object() if current_user.is_authenticated else None
        connection = Connection(member.id, session_token=member.session_token) if member else None
        if member is None and isinstance(auth, dict) and isinstance(auth.get("token"), str):
            member = member_for_api_token(auth["token"][:200])
            db.session.commit()  # the token's last-used time
            if member is not None:
                connection = Connection(
                    member.id, token_fingerprint=api_token_fingerprint(auth["token"][:200])
                )
        if member is None or not member.is_active or connection is None:
            db.session.rollback()
            raise ConnectionRefusedError({"code": "unauthenticated", "message": _("Log ind for at deltage.")})
        with self._lock:
            self._members[request.sid] = connection

    def on_disconnect(self, reason: t.Any = None) -> None:
        sid = request.sid
        with self._lock:
            self._members.pop(sid, None)
            self._typing.pop(sid, None)
        self._budget.forget(("sid", sid))
        try:
            for room_id in presence.leave(sid):
                self._broadcast_presence(room_id)
            commit()
        except Exception:
            rollback()
            log.exception("rooms: presence cleanup failed")

    # --- rooms and messages ------------------------------------------------------------------

    def on_join(self, member: Member, data: Payload) -> Payload:
        """Enter a room; receive what was missed since ``last_id`` (or the latest page)."""
        room = service.room_for(member, payload.integer(data, "room_id"))
        last_id = payload.integer(data, "last_id", required=False)
        if presence.room_count(request.sid, besides=room.id) >= MAX_ROOMS_PER_CONNECTION:
            raise BadEvent(_("Du kan højst være i %(max)d rum ad gangen.", max=MAX_ROOMS_PER_CONNECTION))
        join_room(room_key(room.id))
        arrived = presence.enter(request.sid, member, room)
        missed = service.messages_after(room, last_id)
        service.mark_read(member, room)
        session = sessions.active_session(room)
        seen = personas.for_room(room.id)
        history = {
            "room_id": room.id,
            "after_id": last_id,
            "messages": [service.message_payload(m, seen, member) for m in missed],
            "more": bool(last_id) and len(missed) >= service.CATCH_UP_MAX,
        }
        sid = request.sid
        after_commit(lambda: self.emit("history", history, room=sid))
        if session is not None:
            state = sessions.session_state(session)
            after_commit(lambda: self.emit("session", state, room=sid))
        if not relay.link_ok(self.socketio.server):
            # Members on other processes are out of reach until Redis is back: say so at once.
            after_commit(lambda: self.emit(relay.LINK_EVENT, {"ok": False}, room=sid))
        if arrived:  # joining again (a reconnect's catch-up) changes nobody's list
            self._broadcast_presence(room.id)
        return {"room_id": room.id, "count": len(missed)}

    def on_leave(self, member: Member, data: Payload) -> Payload:
        room_id = payload.integer(data, "room_id")
        leave_room(room_key(room_id))
        was_in = presence.leave(request.sid, room_id)
        if was_in:  # leaving a room one never joined changes nothing and tells nobody anything
            self._broadcast_presence(room_id)
        return {}

    def on_message(self, member: Member, data: Payload) -> Payload:
        """Store, then broadcast; a retry with the same client_id is answered with the stored one."""
        room = service.room_for(member, payload.integer(data, "room_id"))
        body = payload.text(data, "body", MAX_TEXT, limit_message=True, multiline=True)
        message, created = sessions.post(member, room, body, data.get("client_id"))
        seen = personas.for_room(room.id)
        broadcast = service.message_payload(message, seen)
        # Also on a retry: the first broadcast may have been lost; clients drop ids they have.
        after_commit(lambda: self.emit("message", broadcast, room=room_key(room.id)))
        return {"message": service.message_payload(message, seen, member), "created": created}

    def on_edit(self, member: Member, data: Payload) -> Payload:
        message = service.edit_message(
            member,
            payload.integer(data, "message_id"),
            payload.text(data, "body", MAX_TEXT, True, multiline=True),
        )
        return self._message_changed(member, message)

    def on_delete(self, member: Member, data: Payload) -> Payload:
        message = service.delete_message(member, payload.integer(data, "message_id"))
        return self._message_changed(member, message)

    def _message_changed(self, member: Member, message) -> Payload:  # noqa: ANN001 - a Message
        seen = personas.for_room(message.room_id)
        changed = service.message_payload(message, seen)
        key = room_key(message.room_id)
        after_commit(lambda: self.emit("message_updated", changed, room=key))
        return {"message": service.message_payload(message, seen, member)}

    def on_history(self, member: Member, data: Payload) -> Payload:
        """One earlier page, before ``before_id``."""
        room = service.room_for(member, payload.integer(data, "room_id"))
        page = service.messages_before(room, payload.integer(data, "before_id", required=False))
        seen = personas.for_room(room.id)
        body = {
            "room_id": room.id,
            "messages": [service.message_payload(m, seen, member) for m in page],
            "more": len(page) >= service.HISTORY_PAGE,
        }
        self.emit("history_page", body, room=request.sid)
        return {"count": len(page)}

    def on_typing(self, member: Member, data: Payload) -> Payload:
        room = service.room_for(member, payload.integer(data, "room_id"))
        now = time.monotonic()
        with self._lock:
            if now - self._typing.get(request.sid, 0.0) < TYPING_EVERY_SECONDS:
                return {"throttled": True}
            self._typing[request.sid] = now
        body = {"room_id": room.id, "member": personas.for_room(room.id).seen(member)}
        self.socketio.emit(
            "typing", body, to=room_key(room.id), skip_sid=request.sid, namespace=self.namespace
        )
        return {}

    def on_read(self, member: Member, data: Payload) -> Payload:
        room = service.room_for(member, payload.integer(data, "room_id"))
        service.mark_read(member, room, payload.integer(data, "message_id"))
        return {}

    def on_heartbeat(self, member: Member, data: Payload) -> Payload:
        presence.heartbeat(request.sid)
        return {}

    # --- reflecting-team sessions ------------------------------------------------------------

    def on_session_start(self, member: Member, data: Payload) -> Payload:
        room = service.room_for(member, payload.integer(data, "room_id"))
        minutes = data.get("minutes") or {}
        if not isinstance(minutes, dict) or len(minutes) > 10:
            raise BadEvent(_("Varighederne skal sendes som fase: minutter."))
        plan = sessions.SessionPlan(
            case_id=payload.integer(data, "case_id"),
            case_giver_id=payload.integer(data, "case_giver_id"),
            team_ids=payload.ids(data, "team_ids"),
            observer_ids=payload.ids(data, "observer_ids"),
            minutes={str(k)[:20]: v for k, v in minutes.items()},
            title=payload.text(data, "title", 200, required=False),
        )
        session = sessions.start_session(member, room, plan)
        return self._session_changed(session)

    def on_session_advance(self, member: Member, data: Payload) -> Payload:
        return self._session_changed(sessions.advance(member, self._session(member, data)))

    def on_session_extend(self, member: Member, data: Payload) -> Payload:
        session = self._session(member, data)
        return self._session_changed(sessions.extend(member, session, payload.integer(data, "minutes")))

    def on_session_pause(self, member: Member, data: Payload) -> Payload:
        return self._session_changed(sessions.pause(member, self._session(member, data)))

    def on_session_resume(self, member: Member, data: Payload) -> Payload:
        return self._session_changed(sessions.resume(member, self._session(member, data)))

    def on_session_summary(self, member: Member, data: Payload) -> Payload:
        session = self._session(member, data)
        on_case = sessions.save_summary(
            member,
            session,
            payload.text(data, "next_actions", 10_000, required=False, multiline=True),
            payload.text(data, "learnings", 10_000, required=False, multiline=True),
        )
        return {**self._session_changed(session), "on_case": on_case}

    def _session(self, member: Member, data: Payload):  # noqa: ANN202 - a ReflectingSession
        session = sessions.get_session(payload.integer(data, "session_id"))
        service.room_for(member, session.room_id)
        return session

    def _session_changed(self, session) -> Payload:  # noqa: ANN001
        state = sessions.session_state(session)
        key = room_key(session.room_id)
        after_commit(lambda: self.emit("session", state, room=key))
        return {"session": state}

    # --- presence ----------------------------------------------------------------------------

    def _broadcast_presence(self, room_id: int) -> None:
        after_commit(lambda: self._send_presence(room_id))

    def _send_presence(self, room_id: int) -> None:
        room = db.session.get(Room, room_id)
        if room is None:
            return
        online = service.seen_online(presence.online_in(room), personas.for_room(room_id))
        self.emit("presence", {"room_id": room_id, "online": online}, room=room_key(room_id))


def _forget_connection() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection went with the database
        db.session.remove()


def register(socketio) -> None:  # noqa: ANN001 - a flask_socketio.SocketIO
    """Called from create_app: serve the /rooms namespace."""
    socketio.on_namespace(RoomsNamespace("/rooms"))
