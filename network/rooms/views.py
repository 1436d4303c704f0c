"""Pages: the rooms list, a room, transcripts, and the forms that work without JavaScript."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from network.db import after_commit, commit, db
from network.errors import DomainError
from network.extensions import socketio
from network.members.models import Member
from network.rooms import cases_link, personas, presence, service, sessions
from network.rooms.events import room_key
from network.rooms.forms import InviteForm, MessageForm, RoomForm, SessionForm, SummaryForm
from network.rooms.models import PHASES, ReflectingSession, Room
from network.web import show_domain_error

bp = Blueprint("rooms", __name__, url_prefix="/rum")


def _room_or_404(room_id: int) -> Room:
    try:
        return service.room_for(current_user, room_id)
    except DomainError as error:
        abort(error.status)


def _member_choices(exclude: int | None = None) -> list[SelectChoice]:
    members = db.session.scalars(select(Member).where(Member.is_active_member).order_by(Member.name))
    return [SelectChoice(m.id, m.name) for m in members if m.id != exclude]


@bp.route("")
@login_required
def index():
    """Every room the member may enter, with unread counts and who is online."""
    listings = service.rooms_for(current_user)
    return render_template("rooms/index.html", listings=listings, own_cases=cases_link.cases_of(current_user))


@bp.route("/nyt", methods=["GET", "POST"])
@login_required
def create():
    """A coordinator opens a standing room; a case's author opens a room for the case."""
    form = RoomForm()
    own = cases_link.cases_of(current_user)
    blank = [SelectChoice(0, _("Intet – et fast rum"))] if current_user.is_coordinator else []
    form.case_id.choices = blank + [SelectChoice(c.id, c.title) for c in own]
    if not form.case_id.choices:
        flash(_("Du kan åbne et rum, når du har en offentliggjort sag."), "info")
        return redirect(url_for("rooms.index"))
    if form.validate_on_submit():
        draft = service.RoomDraft(
            name=form.name.data,
            description=form.description.data or "",
            access=form.access.data,
            region=form.region.data or "",
            tool=form.tool.data or "",
            theme=form.theme.data or "",
            case_id=form.case_id.data or None,
        )
        try:
            if draft.case_id:
                room = service.create_case_room(current_user, draft)
            else:
                room = service.create_standing_room(current_user, draft)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Rummet er oprettet."), "success")
            return redirect(url_for("rooms.room", room_id=room.id))
    return render_template("rooms/create.html", form=form), 422 if form.errors else 200


@bp.route("/<int:room_id>")
@login_required
def room(room_id: int):
    """A room: the latest history rendered on the server; rooms.js keeps it live."""
    room = _room_or_404(room_id)
    messages = service.messages_before(room, None)
    read_until = service.last_read(current_user, room)
    service.mark_read(current_user, room)
    db.session.commit()
    return _render_room(room, messages, read_until=read_until)


def _render_room(
    room: Room,
    messages: list,
    *,
    message_form=None,  # noqa: ANN001
    session_form=None,  # noqa: ANN001
    status: int = 200,
    read_until: int | None = None,
):
    session = sessions.active_session(room)
    manager = service.can_manage(current_user, room)
    if session_form is None and manager and session is None:
        session_form = _session_form(room)
    invite_form = None
    if manager and room.access == "invite":
        invite_form = InviteForm()
        invite_form.member_ids.choices = _member_choices(exclude=current_user.id)
    past = [s for s in sessions.sessions_in(room) if s.status == "finished"]
    seen = personas.for_room(room.id)
    summary_form = None
    if session is not None and sessions.may_write_summary(current_user, session):
        summary_form = SummaryForm(next_actions=session.next_actions, learnings=session.learnings)
    case = cases_link.session_case(current_user, session)
    return (
        render_template(
            "rooms/room.html",
            room=room,
            messages=messages,
            form=message_form or MessageForm(client_id=service.new_client_id()),
            session=session,
            state=sessions.session_state(session) if session else None,
            role=sessions.role_of(session, current_user) if session else None,
            manager=manager,
            session_form=session_form,
            invite_form=invite_form,
            summary_form=summary_form,
            case=case,
            past_sessions=past,
            online=service.seen_online(presence.online_in(room), seen, current_user),
            seen=seen,
            read_until=read_until,
            mention_names=_mention_names(room, seen),
            phase_names={key: str(label) for key, label in sessions.PHASE_LABELS.items()},
            avatar_of=service.avatar_of,
            role_labels=sessions.ROLE_LABELS,
            phase_labels=sessions.PHASE_LABELS,
        ),
        status,
    )


def _mention_names(room: Room, seen: personas.Personas) -> list[str]:
    """Names the composer suggests after "@": members who may enter the room, never one under a persona."""
    members = db.session.scalars(select(Member).where(Member.is_active_member).order_by(Member.name))
    return [
        m.name
        for m in members
        if m.id != current_user.id and not seen.covered(m) and service.can_enter(m, room)
    ]


def _session_form(room: Room, formdata=None) -> SessionForm:  # noqa: ANN001
    form = SessionForm(formdata=formdata) if formdata is not None else SessionForm()
    if room.case_id and not form.case_id.data:
        form.case_id.data = room.case_id
    cases = cases_link.visible_cases(current_user, room)
    form.case_id.choices = [SelectChoice(c.id, c.title) for c in cases]
    form.case_authors = cases_link.named_authors(cases)
    if formdata is None and cases:
        form.case_id.data = form.case_id.data or cases[0].id
        form.case_giver_id.data = form.case_authors.get(form.case_id.data)
    people = _member_choices()
    form.case_giver_id.choices = people
    form.team_ids.choices = people
    form.observer_ids.choices = people
    return form


@bp.post("/<int:room_id>/besked")
@login_required
def post_message(room_id: int):
    """Post without JavaScript: the same rules as the socket, then back to the room."""
    room = _room_or_404(room_id)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            message, _created = sessions.post(current_user, room, form.body.data, form.client_id.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            payload = service.message_payload(message)
            after_commit(lambda: socketio.emit("message", payload, to=room_key(room.id), namespace="/rooms"))
            commit()
            return redirect(url_for("rooms.room", room_id=room.id) + f"#besked-{message.id}")
    return _render_room(room, service.messages_before(room, None), message_form=form, status=422)


@bp.post("/<int:room_id>/inviter")
@login_required
def invite(room_id: int):
    """The owner or a coordinator invites members to an invite-only room."""
    room = _room_or_404(room_id)
    if not service.can_manage(current_user, room):
        abort(403)
    form = InviteForm()
    form.member_ids.choices = _member_choices(exclude=current_user.id)
    if form.validate_on_submit():
        members = list(db.session.scalars(select(Member).where(Member.id.in_(form.member_ids.data))))
        added = service.invite(current_user, room, members)
        db.session.commit()
        flash(_("%(num)d inviteret.", num=added), "success")
    else:
        flash(_("Vælg mindst ét medlem."), "error")
    return redirect(url_for("rooms.room", room_id=room.id))


@bp.post("/<int:room_id>/session")
@login_required
def start_session(room_id: int):
    """The facilitator starts a reflecting-team session (minutes per phase set before the start)."""
    room = _room_or_404(room_id)
    if not service.can_manage(current_user, room):
        abort(403)
    form = _session_form(room, formdata=request.form)
    if form.validate_on_submit():
        plan = sessions.SessionPlan(
            case_id=form.case_id.data,
            case_giver_id=form.case_giver_id.data,
            team_ids=form.team_ids.data,
            observer_ids=form.observer_ids.data or [],
            minutes={key: getattr(form, f"minutes_{key}").data for key in PHASES},
            title=form.title.data or "",
        )
        try:
            session = sessions.start_session(current_user, room, plan)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            state = sessions.session_state(session)
            after_commit(lambda: socketio.emit("session", state, to=room_key(room.id), namespace="/rooms"))
            commit()
            return redirect(url_for("rooms.room", room_id=room.id))
    return _render_room(room, service.messages_before(room, None), session_form=form, status=422)


@bp.post("/sessioner/<int:session_id>/opsamling")
@login_required
def summary(session_id: int):
    """The facilitator or case giver saves the agreed next actions and learnings."""
    session = db.session.get(ReflectingSession, session_id) or abort(404)
    room = _room_or_404(session.room_id)
    back = (
        url_for("rooms.session_transcript", session_id=session.id)
        if session.status == "finished"
        else url_for("rooms.room", room_id=room.id, _anchor="session-panel")
    )
    form = SummaryForm()
    if not form.validate_on_submit():
        flash(_("Opsamlingen er for lang."), "error")
        return redirect(back)
    try:
        on_case = sessions.save_summary(current_user, session, form.next_actions.data, form.learnings.data)
    except DomainError as error:
        show_domain_error(form, error)
        return redirect(back)
    db.session.commit()
    if on_case:
        flash(_("Opsamlingen er gemt."), "success")
    else:
        flash(_("Opsamlingen er gemt ved sessionen. Sagens ejer er bedt om at gemme den på sagen."), "info")
    # While the session runs, saving keeps you in the room; afterwards it is on the transcript.
    return redirect(back)


@bp.route("/<int:room_id>/udskrift")
@login_required
def transcript(room_id: int):
    """The whole room as a readable, printable page (no JavaScript)."""
    room = _room_or_404(room_id)
    return render_template(
        "rooms/transcript.html",
        room=room,
        messages=service.all_messages(room),
        seen=personas.for_room(room.id),
        avatar_of=service.avatar_of,
        session=None,
        phase_labels=sessions.PHASE_LABELS,
    )


@bp.route("/sessioner/<int:session_id>")
@login_required
def session_transcript(session_id: int):
    """One reflecting-team session: roles, summary and what was said in each phase."""
    session = db.session.get(ReflectingSession, session_id) or abort(404)
    room = _room_or_404(session.room_id)
    summary_form = None
    if session.status == "finished" and sessions.may_write_summary(current_user, session):
        summary_form = SummaryForm(next_actions=session.next_actions, learnings=session.learnings)
    return render_template(
        "rooms/transcript.html",
        room=room,
        session=session,
        summary_form=summary_form,
        state=sessions.session_state(session),
        messages=service.all_messages(room, session_id=session.id),
        seen=personas.for_room(room.id),
        avatar_of=service.avatar_of,
        phase_labels=sessions.PHASE_LABELS,
    )


@bp.context_processor
def chat_helpers() -> dict:
    """Chat and case Markdown (sanitised) and local times in the rooms' templates."""
    from flask_babel import format_datetime

    from network.markdown import render_markdown, render_markdown_subset

    return {
        "chat_markdown": render_markdown_subset,
        "case_markdown": render_markdown,
        "format_datetime": format_datetime,
    }
