"""Case pages: the list, "Mine sager", "Sager jeg følger", writing a case, the case page, replies."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from network.auth.forms import ConfirmForm
from network.cases import (
    listing,
    reading,
    service,
    social,
)
from network.cases import replies as reply_service
from network.cases.forms import (
    CaseFilterForm,
    CaseForm,
    FlagForm,
    FollowTopicForm,
    ReplyForm,
    StatusForm,
    template_helpers,
)
from network.cases.models import Case
from network.db import db
from network.domain import TOOLS
from network.errors import DomainError
from network.search import service as search
from network.web import confirmation, safe_next, show_domain_error

bp = Blueprint("cases", __name__)
bp.context_processor(template_helpers)


def case_or_404(case_id: int) -> Case:
    try:
        return service.get_case(current_user, case_id)
    except DomainError:
        abort(404)


def render_detail(
    case: Case,
    *,
    reply_form: ReplyForm | None = None,
    status_form: StatusForm | None = None,
    status: int = 200,
    mark_read: bool = False,
):  # a response
    me = current_user._get_current_object()  # once, not through the proxy for each of 50 replies
    owner = service.is_owner(me, case)
    visible = reply_service.visible_replies(me, case)
    unread = reading.unread_reply_ids(me, case, visible) if case.status != "draft" else []
    if mark_read and case.status != "draft":
        reading.mark_read(me, case, visible)
    if owner and status_form is None:
        status_form = StatusForm(status=case.status, learning_summary=case.learning_summary)
    html = render_template(
        "cases/detail.html",
        case=case,
        author=service.author_as_seen(current_user, case),
        replies=[(r, service.reply_author_as_seen(me, r), reply_service.can_edit(me, r)) for r in visible],
        unread_ids=set(unread),
        first_unread_id=unread[0] if unread else None,
        is_owner=owner,
        following=social.is_following(current_user, case),
        reply_form=reply_form or ReplyForm(),
        status_form=status_form if owner else None,
        flag_form=FlagForm(),
        action_form=ConfirmForm(),
        topic_choices=_unfollowed_topics(case),
        peers=social.suggest_peers(case) if owner and case.status not in ("draft", "closed") else [],
        invited=social.invited_ids(case) if owner else set(),
        similar=search.similar_to("case", case.id, current_user, 5) if case.status != "draft" else [],
    )
    if mark_read:
        db.session.commit()  # after rendering: a commit expires the loaded replies
    return html, status


def _unfollowed_topics(case: Case) -> list[tuple[str, str, str]]:
    """The case's tools and tags the viewer does not follow yet: (kind, value, label)."""
    followed = {(t.kind, t.value) for t in social.followed_topics(current_user)}
    topics = [("tool", t, str(TOOLS[t])) for t in case.tools] + [("tag", t, t) for t in case.tags]
    return [topic for topic in topics if topic[:2] not in followed]


def fail_on_case_page(error: DomainError, case_id: int):  # a response
    """A broken rule on a small form of the case page: the page again, a message, the right 4xx."""
    show_domain_error(None, error)
    return render_detail(case_or_404(case_id), status=error.status)


def _list(template: str, *, mine: bool = False, following: bool = False, endpoint: str):
    form = CaseFilterForm(request.args)
    form.validate()
    filters = listing.CaseFilters(
        status=form.status.data if not form.status.errors else "",
        tool=form.tool.data if not form.tool.errors else "",
        focus=form.focus.data if not form.focus.errors else "",
        tag=(form.tag.data or "") if not form.tag.errors else "",
        unanswered=bool(form.unanswered.data),
        sort=form.sort.data if form.sort.data in ("newest", "active", "unanswered") else "newest",
        mine=mine,
        following=following,
    )
    page = listing.list_cases(current_user, filters, page=request.args.get("side", 1, type=int))
    counts = listing.reply_counts(page.items)
    unread = reading.unread_states(current_user, page.items)
    rows = [
        (case, service.author_as_seen(current_user, case), counts[case.id], unread.get(case.id))
        for case in page.items
    ]
    extra = {}
    if following:
        extra = {"topics": social.followed_topics(current_user), "topic_form": FollowTopicForm()}
    return render_template(template, form=form, page=page, rows=rows, endpoint=endpoint, **extra)


@bp.route("/sager")
@login_required
def index():
    """All cases one may see, with filters, sorting and pages."""
    return _list("cases/index.html", endpoint="cases.index")


@bp.route("/sager/mine")
@login_required
def mine():
    """One's own cases, drafts included."""
    return _list("cases/mine.html", mine=True, endpoint="cases.mine")


@bp.route("/sager/foelger")
@login_required
def following():
    """The cases one follows, and the tags and tools one follows."""
    return _list("cases/following.html", following=True, endpoint="cases.following")


def _fields(form: CaseForm) -> service.CaseFields:
    return service.CaseFields(
        title=form.title.data or "",
        problem=form.problem.data or "",
        context=form.context.data or "",
        tried=form.tried.data or "",
        question=form.question.data or "",
        al_stage=form.al_stage.data,
        visibility=form.visibility.data,
        tools=form.tools.data or [],
        focus_areas=form.focus_areas.data or [],
        tags=form.tags.data or "",
    )


@bp.route("/sager/ny", methods=["GET", "POST"], defaults={"case_id": None})
@bp.route("/sager/<int:case_id>/rediger", methods=["GET", "POST"])
@login_required
def edit(case_id: int | None):
    """Write a new case or edit one's own: save a draft, or publish."""
    case = case_or_404(case_id) if case_id is not None else None
    if case is not None and not service.is_owner(current_user, case):
        abort(403)
    form = CaseForm(obj=case if request.method == "GET" else None)
    if request.method == "GET" and case is not None:
        form.tools.data, form.focus_areas.data = list(case.tools), list(case.focus_areas)
        form.tags.data = ", ".join(case.tags)
    if form.validate_on_submit():
        was_published = case is not None and case.status != "draft"
        try:
            case = service.save_case(current_user, case, _fields(form), publish=form.publish.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            if was_published:
                flash(_("Sagen er gemt."), "success")
            elif case.status != "draft":
                flash(_("Din sag er delt med netværket."), "success")
            else:
                flash(_("Kladden er gemt. Du finder den under Mine sager."), "success")
            if case.status == "draft":
                return redirect(url_for("cases.edit", case_id=case.id), code=303)
            return redirect(url_for("cases.detail", case_id=case.id), code=303)
    status = 422 if form.errors or request.method == "POST" else 200
    return render_template("cases/edit.html", form=form, case=case), status


@bp.route("/sager/kladde", methods=["POST"])
@login_required
def autosave():
    """Autosave a draft from the page's script (JSON answer); the form posts the same fields."""
    form = CaseForm()
    case_id = request.form.get("case_id", type=int)
    case = None
    if case_id:
        try:
            case = service.get_case(current_user, case_id)
        except DomainError as error:
            return jsonify(error=str(error.message)), 404
    if not form.validate():
        return jsonify(error=_("Kladden kunne ikke gemmes."), fields=form.errors), 422
    try:
        case = service.save_draft(current_user, case, _fields(form))
    except DomainError as error:
        db.session.rollback()
        return jsonify(error=str(error.message)), error.status
    db.session.commit()
    return jsonify(
        id=case.id,
        saved_at=case.draft_saved_at.isoformat(),
        edit_url=url_for("cases.edit", case_id=case.id),
        message=_("Kladden er gemt."),
    )


@bp.route("/sager/<int:case_id>")
@login_required
def detail(case_id: int):
    """The case page: the dilemma, the replies, and what the viewer may do; the replies count as read."""
    return render_detail(case_or_404(case_id), mark_read=True)


@bp.route("/sager/<int:case_id>/status", methods=["POST"])
@login_required
def change_status(case_id: int):
    """Move the case along: in progress, follow-up, closed with a learning summary."""
    case = case_or_404(case_id)
    if not service.is_owner(current_user, case):
        abort(403)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            service.change_status(current_user, case, form.status.data, form.learning_summary.data or "")
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Sagens status er gemt."), "success")
            return redirect(url_for("cases.detail", case_id=case.id), code=303)
    return render_detail(case_or_404(case_id), status_form=form, status=422)


@bp.route("/sager/<int:case_id>/foelg", methods=["POST"])
@login_required
def follow(case_id: int):
    """Follow a case."""
    case = case_or_404(case_id)
    return _follow_action(lambda: social.follow_case(current_user, case), case, _("Du følger nu sagen."))


@bp.route("/sager/<int:case_id>/stop-foelg", methods=["POST"])
@login_required
def unfollow(case_id: int):
    """Stop following a case."""
    case = case_or_404(case_id)
    return _follow_action(
        lambda: social.unfollow_case(current_user, case), case, _("Du følger ikke længere sagen.")
    )


def _follow_action(action, case: Case, message: str):
    target = safe_next(url_for("cases.detail", case_id=case.id))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        action()
    except DomainError as error:
        return fail_on_case_page(error, case.id)
    db.session.commit()
    flash(message, "success")
    return redirect(target, code=303)


@bp.route("/sager/emner/foelg", methods=["POST"])
@login_required
def follow_topic():
    """Follow a tag or a tool."""
    form = FollowTopicForm()
    target = safe_next(url_for("cases.following"))
    if not form.validate_on_submit():
        abort(400)
    try:
        social.follow_topic(current_user, form.kind.data or "", form.value.data or "")
    except DomainError as error:
        show_domain_error(None, error)
        return _list("cases/following.html", following=True, endpoint="cases.following"), error.status
    db.session.commit()
    flash(_("Du får besked om nye sager om emnet."), "success")
    return redirect(target, code=303)


@bp.route("/sager/emner/stop-foelg", methods=["POST"])
@login_required
def unfollow_topic():
    """Stop following a tag or a tool."""
    form = FollowTopicForm()
    target = safe_next(url_for("cases.following"))
    if not form.validate_on_submit():
        abort(400)
    try:
        social.unfollow_topic(current_user, form.kind.data or "", form.value.data or "")
    except DomainError as error:
        show_domain_error(None, error)
        return _list("cases/following.html", following=True, endpoint="cases.following"), error.status
    db.session.commit()
    flash(_("Du følger ikke længere emnet."), "success")
    return redirect(target, code=303)


@bp.route("/sager/<int:case_id>/inviter", methods=["POST"])
@login_required
def invite(case_id: int):
    """Invite the suggested peers to give sparring, in one click."""
    case = case_or_404(case_id)
    if not service.is_owner(current_user, case):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    chosen = request.form.getlist("member_id", type=int) or None
    try:
        invited = social.invite_peers(current_user, case, chosen)
    except DomainError as error:
        return fail_on_case_page(error, case.id)
    db.session.commit()
    flash(_("%(n)d kolleger er inviteret til sparring.", n=len(invited)), "success")
    return redirect(url_for("cases.detail", case_id=case.id), code=303)


DELETE = confirmation(
    "cases.delete",
    _l("Slet sagen med alle svar? Det kan ikke fortrydes."),
    _l("Slet sagen"),
)


@bp.route("/sager/<int:case_id>/slet", methods=["POST"])
@login_required
def delete(case_id: int):
    """Delete a case (its author, or a coordinator)."""
    case = case_or_404(case_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not service.can_delete_case(current_user, case):
        abort(403)
    if (question := DELETE.ask()) is not None:
        return question
    try:
        service.delete_case(current_user, case)
    except DomainError:
        abort(403)
    db.session.commit()
    flash(_("Sagen er slettet."), "success")
    return redirect(url_for("cases.mine"), code=303)
