"""The leadership dashboard's findings chart: open and overdue findings at the end of each of the last 12 months.

The world of tests/audits/conftest.py: in each province the records of STP and SNV are signed on 10/03/2026 with
one finding each, due on 10/05/2026. The stories below give each finding a past (responses with their dates),
then the series is read "as of" 15/07/2026, so the numbers do not depend on the clock.
"""

import json
import re
from datetime import date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Province
from audits import dashboard, services
from audits.models import Finding, FindingResponse, FindingStatus
from audits.selectors import findings_in_scope
from tests.audits.conftest import respond

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 7, 15)
MONTHS = ["08/2025", "09/2025", "10/2025", "11/2025", "12/2025", "01/2026", "02/2026", "03/2026", "04/2026",
          "05/2026", "06/2026", "07/2026"]


def at(day: date, hour: int = 10):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def decide(world, key: str, *, submitted: date, decided: date | None = None, accept: bool = True):
    """The agency responded on `submitted`; the inspector accepted or rejected it on `decided` (if given)."""
    finding = world.findings[key]
    response = respond(world, key)
    prefix = key.split("_")[0]
    if decided is not None:
        if accept:
            services.finding_accept(actor=world.cast.users[f"{prefix}_inspector"], finding=finding, today=decided)
        else:
            services.finding_reject(actor=world.cast.users[f"{prefix}_inspector"], finding=finding,
                                    reason="Chưa có biên bản họp xem xét.", today=decided)
    FindingResponse.objects.filter(pk=response.pk).update(submitted_at=at(submitted),
                                                          decided_at=at(decided) if decided else None)


@pytest.fixture
def stories(world):
    """An Giang: STP answered on 20/04 (before the due date), accepted on 05/06; SNV never answered.
    Cao Bằng: STP never answered; SNV answered late on 20/05, not accepted on 10/06 (back to the agency)."""
    decide(world, "ag_stp", submitted=date(2026, 4, 20), decided=date(2026, 6, 5))
    decide(world, "cb_snv", submitted=date(2026, 5, 20), decided=date(2026, 6, 10), accept=False)
    return world


def series(user, today=AS_OF):
    return [(f"{m['end']:%m/%Y}", m["open"], m["overdue"]) for m in dashboard.findings_over_time(user=user,
                                                                                              today=today)]


def test_month_ends_are_the_last_days_and_today():
    ends = dashboard.month_ends(date(2026, 3, 15))
    assert len(ends) == 12
    assert ends[0] == date(2025, 4, 30) and ends[1] == date(2025, 5, 31) and ends[10] == date(2026, 2, 28)
    assert ends[-1] == date(2026, 3, 15)
    assert dashboard.month_ends(date(2026, 1, 1))[-2] == date(2025, 12, 31)


def test_open_and_overdue_at_each_month_end_in_the_province(stories):
    assert series(stories.cast.users["ag_inspector"]) == [
        *[(m, 0, 0) for m in MONTHS[:7]],
        ("03/2026", 2, 0),  # signed on 10/03, due on 10/05
        ("04/2026", 2, 0),
        ("05/2026", 2, 2),  # SNV overdue; STP too: its response is under review, not accepted (issue 13)
        ("06/2026", 1, 1),  # STP accepted on 05/06
        ("07/2026", 1, 1),
    ]


def test_a_response_not_accepted_is_overdue_again_and_the_nation_sees_both_provinces(stories):
    assert series(stories.cast.users["cb_leader"])[7:] == [
        ("03/2026", 2, 0), ("04/2026", 2, 0),
        ("05/2026", 2, 2),  # SNV's late response under review at the end of May: still overdue (issue 13)
        ("06/2026", 2, 2),  # not accepted on 10/06: waiting for the agency again, past its due date
        ("07/2026", 2, 2),
    ]
    assert series(stories.cast.users["ministry"])[7:] == [
        ("03/2026", 4, 0), ("04/2026", 4, 0), ("05/2026", 4, 4), ("06/2026", 3, 3), ("07/2026", 3, 3)]


def test_the_last_point_is_the_overdue_rule_of_the_board(stories):
    for key in ("ag_inspector", "cb_ubnd", "ministry"):
        user = stories.cast.users[key]
        last = dashboard.findings_over_time(user=user, today=AS_OF)[-1]
        scoped = findings_in_scope(user=user)
        assert last["overdue"] == scoped.overdue(AS_OF).count()
        assert last["open"] == scoped.exclude(status=FindingStatus.ACCEPTED).count()


def test_findings_of_unsigned_records_are_not_counted(open_world):
    assert all(open_ == overdue == 0 for _m, open_, overdue in series(open_world.cast.users["ag_inspector"]))
    assert Finding.objects.count() == 4


def panel_request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def panel_for(user):
    return dashboard.panels(panel_request(user))


def test_only_province_and_national_roles_get_the_chart(world):
    users = world.cast.users
    for key in ("ag_inspector", "ag_leader", "ag_ubnd", "ministry", "admin"):
        assert [p["template"] for p in panel_for(users[key])] == ["audits/dashboard/findings_trend.html"], key
    for key in ("ag_officer", "ag_head"):
        assert [p["template"] for p in panel_for(users[key])] == ["audits/dashboard/agency_panel.html"], key
    assert panel_for(users["nobody"]) == []


def chart_of(page: str) -> dict:
    found = re.search(r'<script id="chart-findings" type="application/json">(.*?)</script>', page, re.S)
    assert found, "no chart data"
    return json.loads(found.group(1))


def test_the_home_page_draws_the_chart_with_its_table_and_links(client, world):
    """Real clock: the findings (due 10/05/2026) were never answered, so they are open and overdue today."""
    client.force_login(world.cast.users["ag_leader"])
    page = client.get("/").content.decode()
    assert 'data-chart="chart-findings"' in page and "chart.umd.min.js" in page
    chart = chart_of(page)
    assert len(chart["labels"]) == 12 and chart["stacked"]
    assert chart["labels"][-1] == f"{timezone.localdate():%m/%Y}"
    overdue, not_overdue = chart["datasets"]
    assert overdue["data"][-1] == 2 and not_overdue["data"][-1] == 0  # An Giang only: STP and SNV
    assert set(overdue["links"]) == {"/findings/?show=overdue"} and set(not_overdue["links"]) == {"/findings/"}
    section = page[page.index('data-testid="findings-trend"'):]
    section = section[:section.index("</section>")]
    table = section[section.index("<details>"):section.index("</details>")]
    assert table.count("<tr>") == 13  # the header and the 12 months
    assert f"<th scope=\"row\">{timezone.localdate():%m/%Y}</th>" in table
    assert '<a href="/findings/?show=overdue">2</a>' in table and "100%" in table
    # The links lead to the findings behind the numbers.
    board = client.get("/findings/?show=overdue").content.decode()
    assert board.count('href="/findings/') >= 2 and "Sở Tư pháp" in board and "Sở Nội vụ" in board


def test_agency_users_have_no_findings_chart(client, world):
    client.force_login(world.cast.users["ag_officer"])
    assert "chart-findings" not in client.get("/").content.decode()


def test_queries_do_not_grow_with_the_findings(stories):
    def count() -> int:
        cache.clear()
        user = get_user_model().objects.get(username="ministry")  # its scope not looked up yet
        with CaptureQueriesContext(connection) as queries:
            dashboard.findings_trend_panel(panel_request(user))
        return len(queries.captured_queries)

    small = count()
    template = stories.findings["cb_stp"]
    for number in range(2, 30):  # more findings, some with responses, in both provinces
        finding = Finding.objects.create(
            inspection=template.inspection, province=template.province, agency=template.agency,
            responsible_agency=template.agency, number=number,
            checklist_item=template.checklist_item, classification=template.classification,
            description="Chưa cập nhật danh mục tài liệu.", due_on=date(2026, 5, 10),
            record_signed=template.record_signed)
        FindingResponse.objects.create(finding=finding, action_taken="Đã cập nhật.",
                                       submitted_by=stories.users["cb_stp_officer"], submitted_at=at(date(2026, 5, 2)))
    assert count() == small <= 2 + Province.objects.count()  # the scope, the provinces, one count of each's findings


def test_the_series_is_shared_per_scope_for_a_few_minutes(stories, settings):
    """With DASHBOARD_CACHE_SECONDS (off in the tests), a second look reads no finding; each province its own, and
    the nation's is the sum of the provinces' kept figures."""
    settings.DASHBOARD_CACHE_SECONDS = 120
    cache.clear()

    def panel(key):
        with CaptureQueriesContext(connection) as queries:
            chart = dashboard.findings_trend_panel(panel_request(stories.cast.users[key]))["context"]["findings_chart"]
        return chart, [q for q in queries.captured_queries if "audits_finding" in q["sql"]]

    ag, read = panel("ag_inspector")
    again, read_again = panel("ag_leader")  # the same province
    assert again == ag and read and not read_again
    cb, read = panel("cb_leader")
    assert read and ag != cb  # no province sees another's
    nation, read = panel("ministry")
    assert len(read) == 0  # both provinces' figures are kept: added up, nothing read
    for overdue_or_open in (0, 1):
        provinces = (chart["datasets"][overdue_or_open]["data"] for chart in (ag, cb))
        assert [a + c for a, c in zip(*provinces, strict=True)] == nation["datasets"][overdue_or_open]["data"]
    assert sum(nation["datasets"][0]["data"]) and sum(nation["datasets"][1]["data"])
    cache.clear()
    nation_again, read = panel("ministry")
    assert nation_again == nation and len(read) == 1  # no province's kept: the nation counted in one pass
    assert panel("cb_leader")[1], "and not kept for a province"
