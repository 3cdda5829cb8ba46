"""What the daily beat run requests on its own, after each period's deadline (never twice for a period)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from .models import ConsolidatedReport, PeriodKind, ReportingPeriod, ReportKind
from .services import consolidated_report_request

RECENT = timedelta(days=30)  # a deadline further back than this was dealt with by people, not the schedule


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

    due = ReportingPeriod.objects.filter(deadline__lt=today, deadline__gte=today - RECENT,
                                         kind__in=[PeriodKind.SIX_MONTH, PeriodKind.ANNUAL]).select_related("province")
    for period in due:
        if not _exists(kind=ReportKind.PROVINCIAL, period=period):
            request(kind=ReportKind.PROVINCIAL, period=period)
        if period.kind == PeriodKind.ANNUAL and not _exists(kind=ReportKind.MINISTRY, period=period):
            request(kind=ReportKind.MINISTRY, period=period)
    # The inspection summary goes to UBND tỉnh every November (DOMAIN.md §5).
    if today.month == 11 and today.day >= 25:
        for period in ReportingPeriod.objects.filter(year=today.year, kind=PeriodKind.ANNUAL):
            if not _exists(kind=ReportKind.INSPECTION_SUMMARY, period=period):
                request(kind=ReportKind.INSPECTION_SUMMARY, period=period)
    # The national roll-up once every province's deadline of the period has passed.
    for year in (today.year - 1, today.year):
        for kind in (PeriodKind.SIX_MONTH, PeriodKind.ANNUAL):
            latest = ReportingPeriod.objects.filter(year=year, kind=kind).aggregate(d=Max("deadline"))["d"]
            if latest and today - RECENT <= latest < today and not _exists(kind=ReportKind.NATIONAL, year=year,
                                                                            period_kind=kind):
                request(kind=ReportKind.NATIONAL, year=year, period_kind=kind)
    return requested
