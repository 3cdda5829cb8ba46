"""Dashboard panels of the inspections (see qms_portal.panels).

- Agency users: what the agency has to do about its findings and inspections.
- Province and national roles: the findings still open, and overdue, at the end of each of the last 12 months.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.access import scope_of
from agencies.dashboard_figures import shared_figures
from qms_portal.numbers import percent
from qms_portal.panels import chart_spec

from .models import CLOSED_STATES, finding_open_on, finding_overdue_on
from .selectors import finding_list, findings_in_scope, inspections_in_scope, next_step, with_lateness

MONTHS = 12


def month_ends(today: date, count: int = MONTHS) -> list[date]:
    """The last day of each of the last `count` months, oldest first; the current month ends today."""
    ends = []
    this_month = today.year * 12 + today.month - 1
    for back in range(count - 1, 0, -1):
        year, month = divmod(this_month - back + 1, 12)  # the month after, whose first day follows the end
        ends.append(date(year, month + 1, 1) - timedelta(days=1))
    return [*ends, today]


def _end_of(day: date) -> datetime:
    """The first moment after `day` in the portal's time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def findings_over_time(*, user, today: date | None = None) -> list[dict]:
    """Findings open, and overdue, at the end of each of the last 12 months (the current one: today).

    Open at the end of day D: the inspection record was signed by D (the agency's obligations start there) and
    the finding was not accepted (closed) by D. Overdue: open and due before D, whatever the state of a response
    (`finding_overdue_on`: a finding stays overdue until its response is accepted). Past months use today's due
    date (a due date moved when a response was not accepted is not replayed).

    One query whatever the number of findings and months (conditional aggregates).
    """
    today = today or timezone.localdate()
    ends = month_ends(today)
    findings = findings_in_scope(user=user)

    def signed(day: date) -> Q:
        return Q(inspection__record__signed_on__lte=day)

    counts = (findings.filter(inspection__record__signed_on__lte=ends[-1])
              .filter(finding_open_on(ends[0]))
              .aggregate(**{f"open_{i}": Count("pk", filter=signed(day) & finding_open_on(day))
                            for i, day in enumerate(ends)},
                         **{f"due_{i}": Count("pk", filter=signed(day) & finding_overdue_on(day))
                            for i, day in enumerate(ends)}))
    return [{"end": day, "open": counts[f"open_{i}"], "overdue": counts[f"due_{i}"]} for i, day in enumerate(ends)]


def months_added(many: list[list[dict]], *, today: date) -> list[dict]:
    """The months of several provinces together (the nation's, `shared_figures`), from each one's
    `findings_over_time` of the same day."""
    return [{"end": day, "open": sum(months[i]["open"] for months in many),
             "overdue": sum(months[i]["overdue"] for months in many)} for i, day in enumerate(month_ends(today))]


def findings_trend_panel(request) -> dict:
    today = timezone.localdate()
    # Shared by everyone with the same scope for DASHBOARD_CACHE_SECONDS: a trend of months does not need the
    # last minute, and the national count reads every finding. The findings board shows the situation now.
    months = shared_figures("findings-over-time", user=request.user,
                            compute=lambda reader: findings_over_time(user=reader, today=today),
                            combine=lambda many: months_added(many, today=today))
    board = reverse("audits:findings-board")
    overdue_link = f"{board}?show=overdue"
    labels = [f"{m['end']:%m/%Y}" for m in months]
    chart = chart_spec(labels=labels, stacked=True, datasets=[
        {"label": _("Overdue"), "tone": "bad", "data": [m["overdue"] for m in months],
         "links": [overdue_link] * len(months)},
        {"label": _("Open, not overdue"), "tone": "warn", "data": [m["open"] - m["overdue"] for m in months],
         "links": [board] * len(months)},
    ])
    rows = [{"label": label, "end": m["end"], "open": m["open"], "overdue": m["overdue"],
             "percent": percent(m["overdue"], m["open"])} for label, m in zip(labels, months, strict=True)]
    return {"order": 40, "template": "audits/dashboard/findings_trend.html",
            "context": {"findings_chart": chart, "rows": rows, "today": today, "board_link": board,
                        "overdue_link": overdue_link}}


def panels(request) -> list[dict]:
    scope = scope_of(request.user)
    if scope.is_provincial or scope.is_national:
        return [findings_trend_panel(request)]
    if not scope.is_agency:
        return []
    today = timezone.localdate()
    findings = [{"finding": f, "next": next_step(f, today)}
                for f in finding_list(user=request.user, today=today).exclude(status__in=CLOSED_STATES)[:10]]
    waiting = list(with_lateness(inspections_in_scope(user=request.user), today=today)
                   .filter(self_assessment_submitted_at__isnull=True, record__isnull=True)
                   .select_related("agency", "report_request").order_by("expected_from", "pk")[:5])
    shown = [{"order": 20, "template": "audits/dashboard/agency_panel.html", "context": {"findings": findings}}]
    if waiting:  # an inspection coming, not a finding to answer: a card of its own, before the findings
        shown.append({"order": 15, "template": "audits/dashboard/self_assessment_panel.html",
                       "context": {"inspections": waiting}})
    return shown
