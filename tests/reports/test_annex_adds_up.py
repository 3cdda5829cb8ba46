"""The annex of a consolidated report adds up to its body: both count the findings of the year's inspections
(`reports.indicators.findings_of_year`). The annex counted an agency's findings of every year, so the 2027
inspection summary printed "quá hạn khắc phục: 0" in its body and a 2026 finding as overdue in its annex."""

from datetime import datetime

import pytest
from django.utils import timezone

from audits.models import Inspection, InspectionKind
from reports import gathering
from reports.models import ConsolidatedReport, PeriodKind
from tests.audits.conftest import YEAR, build_world
from tests.factories import ObligationFactory

pytestmark = pytest.mark.django_db

NEXT = YEAR + 1


def test_inspection_summary_annex_findings_agree_with_its_body(cast):
    build_world(cast)  # 2026: ag_stp and ag_snv have one signed finding each, due 10/05/2026, still open
    for key, agency in cast.agencies.items():
        if key.startswith("ag_"):
            ObligationFactory(agency=agency, year=NEXT)
    # ag_stp is inspected again in 2027 (an unplanned inspection, no finding yet)
    again = Inspection.objects.filter(agency=cast.agencies["ag_stp"], year=YEAR).get()
    again.pk, again.plan_entry, again.plan, again.year = None, None, None, NEXT
    again.kind, again.unplanned_reason = InspectionKind.UNPLANNED, "Phản ánh của người dân"
    again.decision, again.report_request = None, None
    again.save()

    report = ConsolidatedReport(kind="inspection_summary", province=cast.provinces["ag"], period=None, year=NEXT,
                                period_kind=PeriodKind.ANNUAL)
    data = gathering.gather(report, now=timezone.make_aware(datetime(NEXT, 11, 26, 10)))
    assert [r.name for r in data.rows] == [cast.agencies["ag_stp"].name]
    # the body: no finding of 2027, so nothing overdue
    assert data.figures["findings"] == 0
    assert data.figures["findings_overdue"] == 0
    row = data.rows[0]
    # the annex of the same document must add up to the body
    assert sum(r.findings_overdue for r in data.rows) == data.figures["findings_overdue"], (
        row.findings_open, row.findings_overdue, row.corrective_status)


def test_provincial_annex_overdue_adds_up_to_the_body(cast):
    build_world(cast)
    for key, agency in cast.agencies.items():
        if key.startswith("ag_"):
            ObligationFactory(agency=agency, year=NEXT)
    report = ConsolidatedReport(kind="provincial", province=cast.provinces["ag"], period=None, year=NEXT,
                                period_kind=PeriodKind.ANNUAL)
    data = gathering.gather(report, now=timezone.make_aware(datetime(NEXT, 3, 2, 10)))
    assert data.figures["findings_overdue"] == 0
    assert sum(r.findings_overdue for r in data.rows if r.expected) == data.figures["findings_overdue"]
