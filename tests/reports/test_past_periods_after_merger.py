"""A merger or a closing recorded after a period's window leaves that period as it was (reports/indicators.py: a
past period's report gives the same figures after later data; DOMAIN.md §3: a merged agency's history stays
readable). The report's agencies (`gathering.agencies_for`), the period's completeness (`selectors._period_facts`)
and the dashboard's counts (`dashboard.completeness_counts`) all count the agencies active on the period's date
(`agencies.selectors.active_on`, `ReportingPeriod.as_of`)."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from agencies.models import SuccessionKind
from agencies.services import agency_deactivate, agency_succession_create
from reports import dashboard, gathering
from reports.models import AgencyReport, AgencyReportStatus, ConsolidatedReport, PeriodKind, ReportingPeriod
from reports.selectors import completeness

pytestmark = pytest.mark.django_db
YEAR = 2026
AFTER = date(YEAR, 11, 20)  # "today" in these tests: after the 6-month window (data to 14/06)


def six_month(cast) -> ReportingPeriod:
    return ReportingPeriod.objects.create(province=cast.provinces["ag"], year=YEAR, kind=PeriodKind.SIX_MONTH,
                                          window_start=date(YEAR - 1, 12, 15), window_end=date(YEAR, 6, 14),
                                          deadline=date(YEAR, 6, 20))


def report_of(period: ReportingPeriod) -> ConsolidatedReport:
    return ConsolidatedReport(kind="provincial", province=period.province, period=period, year=YEAR,
                              period_kind=PeriodKind.SIX_MONTH)


def now():
    return timezone.make_aware(datetime(AFTER.year, AFTER.month, AFTER.day, 10))


def merge(cast, predecessor, successor, effective_date):
    agency_succession_create(actor=cast.users["admin"], predecessor=predecessor, successor=successor,
                             kind=SuccessionKind.MERGER, effective_date=effective_date, today=AFTER)


def names(data) -> list[str]:
    return sorted(row.name for row in data.rows)


def test_a_later_merger_leaves_a_past_period_report_as_it_was(cast):
    report = report_of(six_month(cast))
    first = gathering.gather(report, now=now())
    assert first.as_of == date(YEAR, 6, 14)
    assert "Sở Nội vụ" in names(first)
    # 01/10, long after the window closed on 14/06: Sở Nội vụ merges into Sở Tư pháp
    merge(cast, cast.agencies["ag_snv"], cast.agencies["ag_stp"], date(YEAR, 10, 1))
    again = gathering.gather(report, now=now())
    assert again.figures.values == first.figures.values
    assert names(again) == names(first)
    # a closing recorded later, likewise
    agency_deactivate(actor=cast.users["admin"], agency=cast.agencies["ag_skhcn"])
    assert gathering.gather(report, now=now()).figures["in_scope"] == first.figures["in_scope"]


def test_a_merger_within_the_window_leaves_the_agency_out(cast):
    """The period's date decides: merged on 01/05, before the window's end, the agency is no longer there."""
    report = report_of(six_month(cast))
    first = gathering.gather(report, now=now())
    merge(cast, cast.agencies["ag_snv"], cast.agencies["ag_stp"], date(YEAR, 5, 1))
    again = gathering.gather(report, now=now())
    assert again.figures["in_scope"] == first.figures["in_scope"] - 1
    assert names(again) == [name for name in names(first) if name != "Sở Nội vụ"]


def test_a_later_merger_leaves_a_received_report_in_the_completeness(cast):
    period = six_month(cast)
    snv = cast.agencies["ag_snv"]
    submitted = timezone.make_aware(datetime(YEAR, 6, 18, 9))
    AgencyReport.objects.create(period=period, agency=snv, status=AgencyReportStatus.ACCEPTED,
                                first_submitted_at=submitted, submitted_at=submitted)

    def counts():
        page = completeness(period=period, with_contacts=False).total
        board = dashboard.completeness_counts(
            periods=[{"id": period.pk, "year": period.year, "province_id": period.province_id,
                      "window_end": period.window_end}], today=AFTER)[period.pk]
        assert (board["expected"], board["on_time"], board["late"], board["missing"]) == (
            page.expected, page.on_time, page.late, page.missing)  # the dashboard counts as the page does
        return page.expected, page.on_time

    before = counts()
    assert before[1] == 1
    merge(cast, snv, cast.agencies["ag_stp"], date(YEAR, 10, 1))
    assert counts() == before


def test_the_dashboard_counts_each_period_as_of_its_own_date_in_two_queries(cast, django_assert_num_queries):
    """An annual period whose window ends after the merger no longer expects the merged agency; the 6-month period
    before it still does. Two queries, whatever the number of periods and dates."""
    six = six_month(cast)
    annual = ReportingPeriod.objects.create(province=cast.provinces["ag"], year=YEAR, kind=PeriodKind.ANNUAL,
                                            window_start=date(YEAR - 1, 12, 15), window_end=date(YEAR, 11, 14),
                                            deadline=date(YEAR, 11, 20))
    merge(cast, cast.agencies["ag_snv"], cast.agencies["ag_stp"], date(YEAR, 10, 1))
    periods = [{"id": p.pk, "year": p.year, "province_id": p.province_id, "window_end": p.window_end}
               for p in (six, annual)]
    with django_assert_num_queries(2):
        counts = dashboard.completeness_counts(periods=periods, today=AFTER)
    assert counts[six.pk]["expected"] == counts[annual.pk]["expected"] + 1
