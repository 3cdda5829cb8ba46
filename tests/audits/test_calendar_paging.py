"""The calendar listed every unfinished inspection of the scope on one page (about 126 a province, thousands for the
nation). It is paged in SQL now, in date order across pages, in a number of queries that does not grow with the
inspections; an inspector planning the year filters it by month and by status, and the page links keep the
filters."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audits import services
from audits.models import Inspection, InspectionForm, InspectionKind, InspectionStatus
from audits.views import CALENDAR_PER_PAGE
from tests.audits.conftest import approved_plan
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="/inspections/(\d+)/"')


@pytest.fixture
def plan(units):
    return approved_plan(units, "ag")  # four inspections expected 09-13/03/2026


def more_inspections(units, plan, count: int, *, first: date, step: int = 2) -> list[Inspection]:
    """`count` unplanned inspections of An Giang, one every `step` days from `first` (in bulk: the page is tested,
    not the services)."""
    model = plan.inspections.first()
    province = units.provinces["ag"]
    start = Inspection.objects.count()
    agencies = [AgencyFactory(province=province, name=f"Trường THPT số {start + n:03d}") for n in range(count)]
    return Inspection.objects.bulk_create(
        Inspection(province=province, agency=agency, year=2026, kind=InspectionKind.UNPLANNED,
                   unplanned_reason="Phản ánh của người dân.", form=InspectionForm.DOCUMENTS,
                   inspecting_unit_id=model.inspecting_unit_id, checklist_version_id=model.checklist_version_id,
                   scheduled_on=first + timedelta(days=n * step))
        for n, agency in enumerate(agencies))


def _get(client, query=None):
    response = client.get("/inspections/calendar/", query or {})
    assert response.status_code == 200
    return response


def _ids(response) -> list[int]:
    return [int(pk) for pk in LINK.findall(response.content.decode())]


def test_the_calendar_is_paged_in_date_order_in_constant_queries(client, units, plan):
    client.force_login(units.users["ag_inspector"])
    more_inspections(units, plan, 10, first=date(2026, 2, 1))
    with CaptureQueriesContext(connection) as few:
        _get(client)
    more_inspections(units, plan, 2 * CALENDAR_PER_PAGE, first=date(2026, 4, 1))
    with CaptureQueriesContext(connection) as many:
        first = _get(client)
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]

    total = 4 + 10 + 2 * CALENDAR_PER_PAGE
    pages = [first, _get(client, {"page": 2}), _get(client, {"page": 3})]
    ids = [_ids(page) for page in pages]
    assert [len(i) for i in ids] == [CALENDAR_PER_PAGE, CALENDAR_PER_PAGE, total - 2 * CALENDAR_PER_PAGE]
    listed = [pk for page in ids for pk in page]
    assert len(set(listed)) == total
    dates = dict(Inspection.objects.values_list("pk", "scheduled_on"))
    expected = dict(Inspection.objects.values_list("pk", "expected_from"))
    in_order = [dates[pk] or expected[pk] for pk in listed]
    assert in_order == sorted(in_order)  # one order across the pages
    content = first.content.decode()
    assert "Trang 1/3" in content and 'href="?page=2"' in content
    assert f"{total} cuộc kiểm tra" in content  # the whole count, not the page's
    # a month split across two pages is headed again on the next one
    assert first.context["months"] and pages[1].context["months"]


def test_the_overdue_count_is_of_every_page(client, units, plan):
    client.force_login(units.users["ag_inspector"])
    today = timezone.localdate()
    more_inspections(units, plan, CALENDAR_PER_PAGE + 5, first=today - timedelta(days=CALENDAR_PER_PAGE + 10),
                     step=1)  # all past: overdue, with the plan's four of March 2026 if that is past too
    overdue = Inspection.objects.filter(scheduled_on__lt=today).count() + (
        4 if date(2026, 3, 13) < today else 0)
    response = _get(client)
    assert response.context["overdue"] == overdue
    page = _get(client, {"show": "overdue"})
    assert page.context["page"].paginator.count == overdue
    assert 'href="?show=overdue&amp;page=2"' in page.content.decode()  # the filter kept in the page links


def test_filter_by_month_and_status(client, units, plan):
    inspector = units.users["ag_inspector"]
    client.force_login(inspector)
    april = more_inspections(units, plan, 3, first=date(2026, 4, 6), step=7)  # 06, 13, 20/04
    may = more_inspections(units, plan, 2, first=date(2026, 5, 4))
    stp = plan.inspections.get(agency=units.agencies["ag_stp"])
    services.report_request_send(actor=inspector, inspections=[stp], deadline=date(2026, 2, 28),
                                 today=date(2026, 2, 2))

    response = _get(client, {"month": "2026-04"})
    assert sorted(_ids(response)) == sorted(i.pk for i in april)
    content = response.content.decode()
    assert '<option value="2026-04" selected>' in content  # the months with inspections are offered, with counts
    assert '<option value="2026-05">' in content and "05/2026 (2)" in content
    assert sorted(_ids(_get(client, {"month": "2026-05"}))) == sorted(i.pk for i in may)

    response = _get(client, {"status": InspectionStatus.REQUESTED})
    assert _ids(response) == [stp.pk]
    assert _ids(_get(client, {"status": InspectionStatus.REQUESTED, "month": "2026-04"})) == []
    both = _get(client, {"month": "2026-03", "status": InspectionStatus.PLANNED})
    assert sorted(_ids(both)) == sorted(plan.inspections.exclude(pk=stp.pk).values_list("pk", flat=True))


def test_the_page_links_keep_the_filters(client, units, plan):
    client.force_login(units.users["ag_inspector"])
    more_inspections(units, plan, CALENDAR_PER_PAGE + 1, first=date(2026, 6, 1), step=0)  # all on 01/06
    content = _get(client, {"month": "2026-06", "status": InspectionStatus.PLANNED}).content.decode()
    assert 'href="?month=2026-06&amp;status=planned&amp;page=2"' in content
    second = _get(client, {"month": "2026-06", "status": InspectionStatus.PLANNED, "page": 2})
    assert len(_ids(second)) == 1


@pytest.mark.parametrize("query", [{"month": "2026-13"}, {"month": "tháng 4"}, {"status": "signed"},
                                   {"status": "x"}, {"page": "0"}])
def test_a_filter_that_is_not_valid_is_a_400(client, units, plan, query):
    client.force_login(units.users["ag_inspector"])
    assert client.get("/inspections/calendar/", query).status_code == 400
