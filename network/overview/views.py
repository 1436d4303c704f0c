"""The coordinator's overview page and its CSV exports."""

from flask import Blueprint, abort, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from network.cases.service import author_as_seen
from network.overview import service
from network.overview.charts import bar_chart
from network.web import coordinator_required, csv_response

bp = Blueprint("overview", __name__)


@bp.route("/oversigt")
@coordinator_required
def index():
    """The network's health: activity per school, waiting cases, quiet schools (coordinators)."""
    activity = service.activity(current_user)
    labels = [format_date(m, "MMM yy") for m in activity.months]
    attendance = service.meetup_attendance(current_user)
    attendance_chart = bar_chart(
        [format_date(a.starts_at, "d/M") for a in reversed(attendance)],
        [a.attended for a in reversed(attendance)],
    )
    return render_template(
        "overview/index.html",
        activity=activity,
        month_labels=labels,
        chart=bar_chart(labels, activity.network_per_month),
        waiting=service.cases_waiting_for_first_reply(current_user),
        follow_up=service.cases_waiting_for_follow_up(current_user),
        quiet=service.quiet_schools(current_user),
        attendance=attendance,
        attendance_chart=attendance_chart,
        author_as_seen=author_as_seen,
        first_reply_days=request.args.get("dage", type=int),
    )


@bp.route("/oversigt/<report>.csv")
@coordinator_required
def export(report: str):
    """One table of the overview as CSV (coordinators)."""
    if report == "aktivitet":
        activity = service.activity(current_user)
        header = [_("Skole"), _("Medlemmer"), *(m.isoformat()[:7] for m in activity.months)]
        rows = [[s.school.name, s.members, *s.per_month] for s in activity.schools]
    elif report in ("venter-paa-svar", "venter-paa-opfoelgning"):
        cases = (
            service.cases_waiting_for_first_reply(current_user)
            if report == "venter-paa-svar"
            else service.cases_waiting_for_follow_up(current_user)
        )
        header = [_("Sag"), _("Titel"), _("Status"), _("Offentliggjort"), _("Forfatter")]
        rows = [
            [
                c.id,
                c.title,
                c.status,
                c.published_at.date().isoformat() if c.published_at else "",
                author_as_seen(current_user, c).name,
            ]
            for c in cases
        ]
    elif report == "fremmoede":
        header = [_("Netværksmøde"), _("Dato"), _("Pladser"), _("Tilmeldte"), _("Mødte op")]
        rows = [
            [m.title, m.starts_at.date().isoformat(), m.capacity, m.going, m.attended]
            for m in service.meetup_attendance(current_user)
        ]
    elif report == "stille-skoler":
        header = [_("Skole"), _("Medlemmer"), _("Sidst aktiv")]
        rows = [
            [s.school.name, s.members, s.last_active_at.date().isoformat() if s.last_active_at else ""]
            for s in service.quiet_schools(current_user)
        ]
    else:
        abort(404)
    return csv_response(f"{report}.csv", header, rows)
