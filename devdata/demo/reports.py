"""Demo data for the reports (run by `manage.py seed_demo` after agencies and audits; safe to run again).

- 6-month and annual periods of the previous and the current year for both demo provinces.
- An Giang's annual reports of the current year: some on time, some late, some missing. So that "late" can be
  shown before the default deadline (20/12), An Giang's demo annual period has an earlier deadline set by the
  province (a week ago), as provinces may (DOMAIN.md §6). Sở Tư pháp (the demo ISO officer's agency) has no
  report yet, so the journey "the agency submits its report" can be tried.
- No consolidated report: requesting one needs a worker, and is the point of the demo.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from agencies.models import Agency, Province
from reports.models import AgencyReport, AgencyReportStatus, PeriodKind, ReportingPeriod
from reports.prefill import agency_report_facts
from reports.selectors import is_expected, period_agencies
from reports.services import period_defaults, reporting_periods_ensure

DIFFICULTIES = [
    "Cán bộ đầu mối ISO thay đổi sau sắp xếp tổ chức bộ máy, cần được tập huấn lại.",
    "Nhiều thủ tục hành chính được sửa đổi trong năm nên việc cập nhật quy trình còn chậm.",
    "Kinh phí duy trì hệ thống còn hạn chế.",
]
PROPOSALS = [
    "Đề nghị Sở Khoa học và Công nghệ tổ chức tập huấn về TCVN ISO 9001:2015 cho cán bộ mới.",
    "Đề nghị bố trí kinh phí duy trì, cải tiến hệ thống theo Thông tư số 116/2015/TT-BTC.",
    "Không có.",
]


def _at(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed_demo() -> list:
    today = timezone.localdate()
    provinces = list(Province.objects.current().filter(code__in=[91, 4]))
    for year in (today.year - 1, today.year):
        reporting_periods_ensure(year=year, provinces=provinces)
    an_giang = next((p for p in provinces if p.code == 91), None)
    if an_giang is None:
        return []
    period = ReportingPeriod.objects.get(province=an_giang, year=today.year, kind=PeriodKind.ANNUAL)
    default_deadline = period_defaults(year=today.year, kind=PeriodKind.ANNUAL)["deadline"]
    early = today - timedelta(days=7)
    if today <= default_deadline and period.deadline == default_deadline and early > period.window_start:
        period.window_end, period.deadline = early - timedelta(days=5), early
        period._change_reason = "demo: deadline set earlier by the province"
        period.save()
    if AgencyReport.objects.filter(period=period).exists():
        return []
    _seed_agency_reports(period, today)
    return []


def _seed_agency_reports(period: ReportingPeriod, today) -> None:
    rng = random.Random(2024)
    agencies = [a for a in period_agencies(period=period) if is_expected(a) and a.short_code != "STP"]
    reports = []
    deadline = period.deadline
    for index, agency in enumerate(agencies):
        roll = rng.random()
        if roll < 0.25:
            continue  # missing
        if roll < 0.30:
            status, submitted = AgencyReportStatus.DRAFT, None  # started, not submitted: still missing
        elif roll < 0.50:
            status, submitted = AgencyReportStatus.SUBMITTED, deadline + timedelta(days=rng.randint(1, 5))
        else:
            status = AgencyReportStatus.ACCEPTED if roll < 0.8 else AgencyReportStatus.SUBMITTED
            submitted = deadline - timedelta(days=rng.randint(0, 20))
        submitted = min(submitted, today) if submitted else None
        reports.append(AgencyReport(
            period=period, agency=agency, status=status, data=_facts(agency, period),
            data_as_of=_at(submitted) if submitted else timezone.now(),
            difficulties=DIFFICULTIES[index % len(DIFFICULTIES)], proposals=PROPOSALS[index % len(PROPOSALS)],
            funding={"maintenance": rng.choice([0, 5_000_000, 10_000_000, 15_000_000])},
            first_submitted_at=_at(submitted) if submitted else None,
            submitted_at=_at(submitted) if submitted else None))
    bulk_create_with_history(reports, AgencyReport, batch_size=500)


def _facts(agency: Agency, period: ReportingPeriod) -> dict:
    return agency_report_facts(agency=agency, period=period)
