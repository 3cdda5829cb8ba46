"""The inspection findings an agency's own report states are those the consolidated report of the same year counts
for it (`reports.indicators.findings_of_year`): the findings of that year's inspections whose record was signed by
the date. A finding of an earlier year's inspection is in that year's reports, in both."""

from datetime import datetime

import pytest
from django.utils import timezone

from audits.models import Inspection
from reports import gathering
from reports.models import ConsolidatedReport, PeriodKind, ReportingPeriod
from reports.prefill import agency_report_facts
from tests.audits.conftest import YEAR, build_world

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime(YEAR, 11, 20, 10))


@pytest.fixture
def world(cast):
    return build_world(cast)


def _both(cast, year: int):
    period = ReportingPeriod.objects.create(province=cast.provinces["ag"], year=year, kind=PeriodKind.ANNUAL,
                                            window_start=timezone.datetime(year - 1, 12, 15).date(),
                                            window_end=timezone.datetime(year, 11, 14).date(),
                                            deadline=timezone.datetime(year, 11, 19).date())
    report = ConsolidatedReport(kind="provincial", province=period.province, period=period, year=year,
                                period_kind=period.kind)
    stp = cast.agencies["ag_stp"]
    row = next(r for r in gathering.gather(report, now=NOW).rows if r.agency_id == stp.pk)
    facts = agency_report_facts(agency=stp, period=period, today=NOW.date())["findings"]
    return row, facts


def test_the_years_findings_in_both(cast, world):
    row, facts = _both(cast, YEAR)
    assert (facts["open"], facts["overdue"]) == (row.findings_open, row.findings_overdue) == (1, 1)


def test_a_finding_of_last_years_inspection_is_in_neither_of_this_years_reports(cast, world):
    Inspection.objects.filter(agency=cast.agencies["ag_stp"], year=YEAR).update(year=YEAR - 1)
    row, facts = _both(cast, YEAR)
    assert (row.findings_open, row.findings_overdue) == (0, 0)
    assert (facts["total"], facts["open"], facts["overdue"]) == (0, 0, 0)
