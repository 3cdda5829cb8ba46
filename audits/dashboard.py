"""What the agency has to do about inspections: shown on its home page (see qms_portal.panels)."""

from django.utils import timezone

from agencies.permissions import scope_of

from .models import FindingStatus
from .selectors import finding_list, inspections_in_scope, next_step


def panels(request) -> list[dict]:
    if not scope_of(request.user).is_agency:
        return []
    today = timezone.localdate()
    findings = [{"finding": f, "next": next_step(f, today)}
                for f in finding_list(user=request.user, today=today).exclude(status=FindingStatus.ACCEPTED)[:10]]
    waiting = list(inspections_in_scope(user=request.user).filter(self_assessment_submitted_at__isnull=True,
                                                                  record__isnull=True)
                   .select_related("agency").order_by("expected_from", "pk")[:5])
    return [{"order": 20, "template": "audits/dashboard/agency_panel.html",
             "context": {"findings": findings, "inspections": waiting}}]
