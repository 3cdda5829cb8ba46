"""The agency's next periodic report, on its home page (see qms_portal.panels)."""

from django.utils import timezone

from agencies.permissions import scope_of

from .models import AgencyReport
from .selectors import current_periods


def panels(request) -> list[dict]:
    scope = scope_of(request.user)
    if not scope.is_agency:
        return []
    today = timezone.localdate()
    periods = list(current_periods(user=request.user, today=today).order_by("deadline")[:4])
    reports = {r.period_id: r for r in AgencyReport.objects.filter(period__in=periods, agency_id=scope.agency_id)}
    rows = [{"period": p, "report": reports.get(p.pk), "late": p.deadline < today} for p in periods]
    return [{"order": 30, "template": "reports/dashboard/agency_panel.html", "context": {"rows": rows}}]
