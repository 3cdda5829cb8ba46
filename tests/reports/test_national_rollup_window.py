"""The national roll-up of a period is judged at the end of that period's data window (Decree 09/2019: 6-month
15/12-14/06, annual 15/12-14/12), as each province's report of the period is: compiled by the schedule after every
province's deadline (20/06), the 6-month roll-up counted the audits and reviews held after 14/06 and gave a province
other figures than the province's own 6-month report."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from qms.models import InternalAudit, ManagementReview, QmsRecord, Stage
from reports import gathering
from reports.models import ConsolidatedReport, PeriodKind, ReportingPeriod
from tests.audits.conftest import YEAR, build_world

pytestmark = pytest.mark.django_db
LATER = timezone.make_aware(datetime(YEAR, 7, 20, 10))  # after every province's 6-month deadline


@pytest.fixture
def world(cast):
    return build_world(cast)


def test_the_six_month_rollup_says_what_the_provinces_six_month_report_says(cast, world):
    province = cast.provinces["ag"]
    period = ReportingPeriod.objects.create(province=province, year=YEAR, kind=PeriodKind.SIX_MONTH,
                                            window_start=date(YEAR - 1, 12, 15), window_end=date(YEAR, 6, 14),
                                            deadline=date(YEAR, 6, 20))
    qms = QmsRecord.objects.create(agency=cast.agencies["ag_stp"], stage=Stage.MAINTAINING)
    InternalAudit.objects.create(qms=qms, held_on=date(YEAR, 3, 10), auditors="Tổ ĐGNB")
    # held after the window closed: in neither report of the 6 months
    InternalAudit.objects.create(qms=QmsRecord.objects.create(agency=cast.agencies["ag_skhcn"],
                                                              stage=Stage.MAINTAINING),
                                 held_on=date(YEAR, 7, 1), auditors="Tổ ĐGNB")
    ManagementReview.objects.create(qms=qms, held_on=date(YEAR, 7, 2), chair="Giám đốc")

    provincial = gathering.gather(ConsolidatedReport(kind="provincial", province=province, period=period, year=YEAR,
                                                     period_kind=PeriodKind.SIX_MONTH), now=LATER)
    national = gathering.gather(ConsolidatedReport(kind="national", year=YEAR, period_kind=PeriodKind.SIX_MONTH),
                                now=LATER)
    assert national.as_of == provincial.as_of == date(YEAR, 6, 14)
    row = next(r for r in national.by_province if r.label == province.name)
    assert row.total == provincial.total.total
    assert {code: row.cell(code).met for code in row.cells} == {
        code: provincial.total.cell(code).met for code in provincial.total.cells}
    assert provincial.total.cell("internal_audit").met == 1 and row.cell("management_review").met == 0


def test_the_annual_rollup_stops_at_the_annual_window(cast, world):
    after_deadlines = timezone.make_aware(datetime(YEAR, 12, 28, 10))
    national = gathering.gather(ConsolidatedReport(kind="national", year=YEAR, period_kind=PeriodKind.ANNUAL),
                                now=after_deadlines)
    assert national.as_of == date(YEAR, 12, 14)
    early = timezone.make_aware(datetime(YEAR, 9, 1, 10))  # while the window runs: today
    assert gathering.gather(ConsolidatedReport(kind="national", year=YEAR, period_kind=PeriodKind.ANNUAL),
                            now=early).as_of == date(YEAR, 9, 1)
