"""Report pages of issue 21: a report past its deadline is overdue, not "not started"; issues are not "v1"."""

from datetime import timedelta

import pytest

from reports import services
from reports.models import PeriodKind, ReportingPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_period(cast, reporting, today):
    """An Giang's 6-month period of this year, its deadline passed yesterday."""
    return ReportingPeriod.objects.create(
        province=cast.provinces["ag"], year=today.year, kind=PeriodKind.SIX_MONTH,
        window_start=today - timedelta(days=200), window_end=today - timedelta(days=20),
        deadline=today - timedelta(days=1))


def _page(client, user, path) -> str:
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_report_past_its_deadline_is_overdue(client, cast, reporting, late_period):
    client.cookies["django_language"] = "vi"
    page = _page(client, cast.users["ag_officer"], "/reports/")
    rows = page.split("<tbody>")[1].split("</tr>")
    late = next(row for row in rows if f"/reports/periods/{late_period.pk}/" in row)
    current = next(row for row in rows if f"/reports/periods/{reporting['ag'].pk}/" in row)
    assert "Quá hạn, chưa nộp" in late and "Chưa bắt đầu" not in late
    assert "Chưa bắt đầu" in current and "Quá hạn" not in current
    home = _page(client, cast.users["ag_officer"], "/")
    assert "Quá hạn, chưa nộp" in home
    period = _page(client, cast.users["ag_officer"], f"/reports/periods/{late_period.pk}/")
    assert "Quá hạn: hạn nộp là ngày" in period


def test_a_draft_past_its_deadline_is_overdue_a_submitted_one_is_not(client, cast, reporting, late_period, qms_files):
    client.cookies["django_language"] = "vi"
    report = services.agency_report_create(actor=cast.users["ag_officer"], period=late_period,
                                           agency=cast.agencies["ag_stp"])
    assert "Quá hạn, chưa nộp" in _page(client, cast.users["ag_officer"], f"/reports/agency/{report.pk}/")
    services.agency_report_update(actor=cast.users["ag_officer"], report=report,
                                  data={"difficulties": "Không", "proposals": "Không"})
    services.agency_report_submit(actor=cast.users["ag_head"], report=report)
    page = _page(client, cast.users["ag_officer"], f"/reports/agency/{report.pk}/")
    assert "Quá hạn, chưa nộp" not in page and "Nộp muộn" in page


def test_consolidated_reports_are_issues_not_versions(client, cast, reporting, qms_files,
                                                      django_capture_on_commit_callbacks):
    client.cookies["django_language"] = "vi"
    with django_capture_on_commit_callbacks(execute=True):
        report, _created = services.consolidated_report_request(actor=cast.users["ag_leader"], kind="provincial",
                                                                period=reporting["ag"])
    for path in ("/reports/", f"/reports/consolidated/{report.pk}/", f"/reports/periods/{reporting['ag'].pk}/"):
        page = _page(client, cast.users["ag_leader"], path)
        assert "(lần 1)" in page and "v1<" not in page and "v1 " not in page, path
