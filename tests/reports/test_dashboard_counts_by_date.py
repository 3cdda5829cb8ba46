"""The dashboard's counts (`dashboard.completeness_counts`) are those of each period's completeness page
(`selectors.completeness`) when the periods are judged at different dates (`ReportingPeriod.as_of`) and computed
together, as the national dashboard does: an agency closed or merged between two periods' dates, an agency closed
on a day nobody recorded, an agency moved to another province after it reported, the obligation of another year,
a report submitted after the deadline (portal time zone), an encouraged agency with and without a QMS applied."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from agencies.models import AgencyObligation, AgencySuccession, ObligationLevel, SuccessionKind
from qms.models import Stage
from reports import dashboard, selectors
from reports.models import AgencyReport, AgencyReportStatus, PeriodKind, ReportingPeriod
from tests.factories import AgencyFactory
from tests.reports.conftest import give_qms

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 1)
MANDATORY, ENCOURAGED, NOT_APPLICABLE = (ObligationLevel.MANDATORY, ObligationLevel.ENCOURAGED,
                                         ObligationLevel.NOT_APPLICABLE)


def local(day: date, hour: int, minute: int = 0):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def submitted(period, agency, at):
    AgencyReport.objects.create(period=period, agency=agency, status=AgencyReportStatus.SUBMITTED,
                                first_submitted_at=at, submitted_at=at)


@pytest.fixture
def periods(cast):
    ag, cb = cast.provinces["ag"], cast.provinces["cb"]
    a = cast.agencies
    closed = AgencyFactory(name="Ban đã giải thể", province=ag, is_active=False, closed_on=date(2025, 9, 1))
    unrecorded = AgencyFactory(name="Ban giải thể không rõ ngày", province=ag, is_active=False)
    merged = AgencyFactory(name="Chi cục đã sáp nhập", province=ag)  # the daily task has not closed it yet
    AgencySuccession.objects.create(predecessor=merged, successor=a["ag_stp"], kind=SuccessionKind.MERGER,
                                    effective_date=date(2025, 8, 1))
    moved = AgencyFactory(name="Ban chuyển sang Cao Bằng", province=cb)  # reported for An Giang, then moved
    encouraged_qms = AgencyFactory(name="Sở có HTQLCL", province=ag)
    give_qms(encouraged_qms, today=date(2025, 6, 1), stage=Stage.APPLYING)
    levels = {
        2025: {a["ag_stp"]: MANDATORY, a["ag_skhcn"]: MANDATORY, a["ag_snv"]: ENCOURAGED,
               a["ag_ubnd"]: NOT_APPLICABLE, closed: MANDATORY, unrecorded: MANDATORY, merged: MANDATORY,
               moved: MANDATORY, encouraged_qms: ENCOURAGED, a["cb_stp"]: MANDATORY},
        2026: {a["ag_stp"]: MANDATORY, a["ag_ubnd"]: MANDATORY, a["ag_skhcn"]: NOT_APPLICABLE,
               a["ag_snv"]: NOT_APPLICABLE, merged: MANDATORY, closed: MANDATORY},
    }
    for year, by_agency in levels.items():
        for agency, level in by_agency.items():  # the cast's agencies have a mandatory obligation in 2026
            AgencyObligation.objects.update_or_create(agency=agency, year=year, defaults={"level": level})
    six = ReportingPeriod.objects.create(  # judged on 14/06/2025: the closed and the merged agencies were there
        province=ag, year=2025, kind=PeriodKind.SIX_MONTH, window_start=date(2024, 12, 15),
        window_end=date(2025, 6, 14), deadline=date(2025, 6, 20))
    annual = ReportingPeriod.objects.create(  # judged on 14/11/2025: neither was
        province=ag, year=2025, kind=PeriodKind.ANNUAL, window_start=date(2024, 12, 15),
        window_end=date(2025, 11, 14), deadline=date(2025, 11, 20))
    adhoc = ReportingPeriod.objects.create(  # its window is still open: judged today
        province=ag, year=2026, kind=PeriodKind.AD_HOC, title="Rà soát", window_start=date(2026, 1, 1),
        window_end=date(2026, 4, 30), deadline=date(2026, 2, 15))
    cb_annual = ReportingPeriod.objects.create(
        province=cb, year=2025, kind=PeriodKind.ANNUAL, window_start=date(2024, 12, 15),
        window_end=date(2025, 11, 14), deadline=date(2025, 11, 20))
    submitted(six, a["ag_stp"], local(date(2025, 6, 20), 23, 30))  # the last evening: on time
    submitted(six, a["ag_skhcn"], local(date(2025, 6, 21), 0, 30))  # half an hour late
    submitted(six, closed, local(date(2025, 6, 18), 9))
    submitted(six, merged, local(date(2025, 6, 25), 9))  # late
    submitted(six, unrecorded, local(date(2025, 6, 18), 9))  # closed on an unknown day: never counted
    submitted(six, moved, local(date(2025, 6, 18), 9))  # now in Cao Bằng: not An Giang's any more
    submitted(six, a["ag_snv"], local(date(2025, 6, 18), 9))  # encouraged, no QMS: not expected
    submitted(six, encouraged_qms, local(date(2025, 6, 19), 9))
    submitted(six, a["ag_ubnd"], local(date(2025, 6, 18), 9))  # not applicable in 2025 (mandatory in 2026)
    submitted(annual, a["ag_stp"], local(date(2025, 11, 30), 9))  # late
    submitted(annual, closed, local(date(2025, 11, 18), 9))  # closed on 01/09, before the annual's date
    submitted(annual, merged, local(date(2025, 11, 18), 9))  # merged on 01/08, likewise
    submitted(annual, encouraged_qms, local(date(2025, 11, 18), 9))
    submitted(adhoc, a["ag_ubnd"], local(date(2026, 2, 10), 9))
    submitted(adhoc, merged, local(date(2026, 2, 10), 9))
    submitted(cb_annual, a["cb_stp"], local(date(2025, 11, 21), 9))  # late
    submitted(cb_annual, moved, local(date(2025, 11, 18), 9))
    return {"six": six, "annual": annual, "adhoc": adhoc, "cb_annual": cb_annual}


def test_every_period_counts_as_its_page_at_its_own_date(cast, periods):
    started = dashboard.started_periods(user=cast.users["ministry"], today=TODAY)  # all four, in two queries
    board = {p["id"]: (p["expected"], p["on_time"], p["late"], p["missing"]) for p in started}
    for key, period in periods.items():
        page = selectors.completeness(period=period, with_contacts=False).total
        assert board[period.pk] == (page.expected, page.on_time, page.late, page.missing), key
    # 14/06/2025: STP, the QMS one and the closed agency on time; SKHCN and the merged agency late
    assert board[periods["six"].pk] == (5, 3, 2, 0)
    assert board[periods["annual"].pk] == (3, 1, 1, 1)  # 14/11/2025: the QMS one on time, STP late, SKHCN missing
    assert board[periods["adhoc"].pk] == (2, 1, 0, 1)  # today, 2026's obligations: UBND on time, STP missing
    assert board[periods["cb_annual"].pk] == (2, 1, 1, 0)  # the moved agency counts for Cao Bằng's periods now
