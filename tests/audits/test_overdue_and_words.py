"""Inspection pages of issue 21: past dates are flagged ("Quá hạn"), and statuses read as a clerk would write them."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from audits import services
from audits.models import Inspection, InspectionStatus
from audits.selectors import calendar
from tests.audits.conftest import approved_plan

pytestmark = pytest.mark.django_db


def _page(client, user, path) -> str:
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def plan(units):
    return approved_plan(units, "ag")  # four inspections expected 09-13/03/2026, none signed


def test_inspections_past_their_dates_are_overdue_until_signed(units, plan):
    inspector = units.users["ag_inspector"]
    months = calendar(user=inspector, today=date(2026, 3, 13))
    assert [i.is_overdue for rows in months.values() for i in rows] == [False] * 4  # the last expected day
    months = calendar(user=inspector, today=date(2026, 3, 14))
    assert [i.is_overdue for rows in months.values() for i in rows] == [True] * 4
    assert all(i.last_day == date(2026, 3, 13) for rows in months.values() for i in rows)
    stp = plan.inspections.get(agency=units.agencies["ag_stp"])
    Inspection.objects.filter(pk=stp.pk).update(status=InspectionStatus.SIGNED)
    assert sum(len(rows) for rows in calendar(user=inspector, today=date(2026, 3, 14)).values()) == 3
    assert len(calendar(user=inspector, today=date(2026, 3, 14), overdue_only=True)[date(2026, 3, 1)]) == 3


def test_the_calendar_flags_them_and_filters_them(client, units, plan):
    """The demo's 120 inspections of April to October were listed as "upcoming" in December, with no flag."""
    Inspection.objects.filter(plan=plan, agency=units.agencies["ag_snv"]).update(
        expected_from=timezone.localdate() + timedelta(days=5), expected_to=timezone.localdate() + timedelta(days=7))
    page = _page(client, units.users["ag_inspector"], "/inspections/calendar/")
    assert "Các cuộc kiểm tra chưa hoàn thành" in page and "sắp tới" not in page
    assert page.count('<span class="badge badge-bad" title="Dự kiến hoàn thành trước ngày 13/03/2026') == 3
    assert "Chỉ hiện 3 cuộc kiểm tra quá hạn" in page
    page = _page(client, units.users["ag_inspector"], "/inspections/calendar/?show=overdue")
    assert "Sở Nội vụ" not in page and "Sở Tư pháp" in page and "Hiện tất cả" in page


def test_answers_past_the_deadline_are_flagged_for_the_agency(client, units, plan):
    stp = plan.inspections.get(agency=units.agencies["ag_stp"])
    services.report_request_send(actor=units.users["ag_inspector"], inspections=[stp], deadline=date(2026, 3, 1),
                                 today=date(2026, 2, 20))
    page = _page(client, units.users["ag_officer"], "/findings/mine/")
    assert "Trả lời danh mục kiểm tra kèm minh chứng trước ngày 01/03/2026." in page
    assert 'next-step tone-bad' in page and "Quá hạn" in page
    page = _page(client, units.users["ag_inspector"], "/inspections/calendar/")
    assert "Quá hạn trả lời" in page


def test_an_unplanned_inspection_is_not_called_planned(client, units):
    inspection = services.inspection_create_unplanned(
        actor=units.users["ag_inspector"], agency=units.agencies["ag_snv"], form="documents",
        reason="Phản ánh của người dân.", scheduled_on=timezone.localdate() + timedelta(days=3))
    page = _page(client, units.users["ag_inspector"], f"/inspections/{inspection.pk}/")
    assert "Chưa tiến hành" in page and "Đột xuất" in page and "Theo kế hoạch" not in page


def test_a_finding_waiting_for_the_agency_is_not_remedied_yet(client, world):
    finding = world.findings["ag_stp"]
    page = _page(client, world.cast.users["ag_inspector"], f"/findings/{finding.pk}/")
    assert '<span class="badge badge-warn">Chưa khắc phục</span>' in page
    assert ">Mở<" not in page


def test_the_plan_names_its_approval_decision(client, units, plan):
    page = _page(client, units.users["ag_inspector"], f"/inspections/plans/{plan.pk}/")
    assert "<dt>Quyết định phê duyệt</dt><dd>Số 215/QĐ-UBND ngày 15/01/2026</dd>" in page
    assert "Người phê duyệt" not in page
