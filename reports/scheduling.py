"""What the daily beat run requests on its own (each kind says when: reports.kinds), never twice for a scope."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from .kinds import KINDS
from .kinds.base import ISSUE_PERIOD_KINDS, RECENT
from .models import ConsolidatedReport, ReportingPeriod
from .services import consolidated_report_request


def _exists(**filters) -> bool:
    return ConsolidatedReport.objects.filter(**filters).exists()


def scheduled_reports_request(*, today: date | None = None) -> list[int]:
    today = today or timezone.localdate()
    requested: list[int] = []

    def request(**kwargs):
        try:
            report, created = consolidated_report_request(actor=None, scheduled=True, today=today, **kwargs)
        except ValidationError:  # e.g. a province without its lead agency: nothing to issue from
            return
        if created:
            requested.append(report.pk)

    due = list(ReportingPeriod.objects.filter(deadline__lt=today, deadline__gte=today - RECENT,
                                              kind__in=ISSUE_PERIOD_KINDS).select_related("province"))
    for kind, spec in KINDS.items():
        for scope in spec.scheduled(today=today, due=due):
            if not _exists(kind=kind, **scope):
                request(kind=kind, **scope)
    return requested
