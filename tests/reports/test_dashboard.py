"""The leadership dashboard's report chart: expected agency reports received on time, late or missing, per period.

An Giang in 2025 (past periods, so the numbers do not depend on the clock): SKHCN and STP must report
(mandatory), SNV may (encouraged) and has applied a QMS, UBND need not (not applicable), and an inactive agency
would have to. Cao Bằng: only its STP must report. The numbers must be those of each period's completeness page.
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

from agencies.models import AgencyObligation, ObligationLevel, Province
from qms.models import Stage
from reports import dashboard, selectors
from reports.models import AgencyReport, AgencyReportStatus, PeriodKind, ReportingPeriod
from tests.factories import AgencyFactory
from tests.reports.conftest import give_qms

pytestmark = pytest.mark.django_db

YEAR = 2025


def local(day: date, hour: int, minute: int = 0):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def period(province, kind, *, deadline: date, year=YEAR, title=""):
    return ReportingPeriod.objects.create(province=province, year=year, kind=kind, title=title,
                                          window_start=date(year, 1, 1), window_end=deadline, deadline=deadline)


def report(period_, agency, *, submitted=None, status=AgencyReportStatus.SUBMITTED):
    return AgencyReport.objects.create(period=period_, agency=agency, status=status if submitted else "draft",
                                       first_submitted_at=submitted, submitted_at=submitted)


@pytest.fixture
def year_2025(cast):
    a = cast.agencies
    levels = {"ag_skhcn": ObligationLevel.MANDATORY, "ag_stp": ObligationLevel.MANDATORY,
              "ag_snv": ObligationLevel.ENCOURAGED, "ag_ubnd": ObligationLevel.NOT_APPLICABLE,
              "cb_stp": ObligationLevel.MANDATORY}
    for key, level in levels.items():
        AgencyObligation.objects.create(agency=a[key], year=YEAR, level=level)
    give_qms(a["ag_snv"], today=date(YEAR, 6, 1), stage=Stage.APPLYING)
    closed = AgencyFactory(name="Ban Quản lý dự án (đã giải thể)", province=cast.provinces["ag"], is_active=False)
    AgencyObligation.objects.create(agency=closed, year=YEAR, level=ObligationLevel.MANDATORY)
    ag, cb = cast.provinces["ag"], cast.provinces["cb"]
    periods = {
        "six": period(ag, PeriodKind.SIX_MONTH, deadline=date(YEAR, 7, 15)),
        "adhoc": period(ag, PeriodKind.AD_HOC, deadline=date(YEAR, 9, 30), title="Rà soát TTHC"),
        "annual": period(ag, PeriodKind.ANNUAL, deadline=date(YEAR, 12, 20)),
        "cb_annual": period(cb, PeriodKind.ANNUAL, deadline=date(YEAR, 12, 20)),
    }
    six, annual = periods["six"], periods["annual"]
    report(six, a["ag_stp"], submitted=local(date(YEAR, 7, 10), 9))
    report(six, a["ag_skhcn"], submitted=local(date(YEAR, 7, 15), 23, 30))  # the last evening: on time
    report(six, a["ag_ubnd"], submitted=local(date(YEAR, 7, 20), 9))  # not expected: not counted
    report(annual, a["ag_stp"], submitted=local(date(YEAR, 12, 21), 0, 30))  # half an hour late
    report(annual, a["ag_skhcn"])  # a draft is not received
    report(annual, a["ag_snv"], submitted=local(date(YEAR, 12, 1), 9), status=AgencyReportStatus.RETURNED)
    report(annual, closed, submitted=local(date(YEAR, 12, 1), 9))
    report(periods["cb_annual"], a["cb_stp"], submitted=local(date(YEAR, 12, 2), 9))
    return periods


TODAY = date(2026, 3, 1)


def numbers(rows):
    return [(r["year"], r["kind"], r["expected"], r["on_time"], r["late"], r["missing"]) for r in rows]


def test_province_numbers_per_period_oldest_first(cast, year_2025):
    rows = dashboard.province_completeness(user=cast.users["ag_inspector"], today=TODAY)
    assert numbers(rows) == [
        (YEAR, "six_month", 3, 2, 0, 1),  # SNV missing
        (YEAR, "ad_hoc", 3, 0, 0, 3),
        (YEAR, "annual", 3, 1, 1, 1),  # SNV on time (returned since), STP late, SKHCN only a draft
    ]
    assert [r["link"] for r in rows] == [f"/reports/periods/{year_2025[k].pk}/" for k in ("six", "adhoc", "annual")]
    assert rows[2]["received"] == 2 and rows[2]["received_percent"] == 67


def test_the_numbers_are_those_of_the_completeness_page(cast, year_2025):
    rows = dashboard.province_completeness(user=cast.users["ag_leader"], today=TODAY)
    for row, key in zip(rows, ("six", "adhoc", "annual"), strict=True):
        page = selectors.completeness(period=year_2025[key], with_contacts=False).total
        assert (row["expected"], row["on_time"], row["late"], row["missing"], row["received"]) == (
            page.expected, page.on_time, page.late, page.missing, page.received), key


def test_periods_not_started_are_left_out_and_only_the_last_six_are_shown(cast, year_2025):
    ag = cast.provinces["ag"]
    period(ag, PeriodKind.ANNUAL, year=2026, deadline=date(2026, 12, 20))  # starts on 01/01/2026
    assert len(dashboard.province_completeness(user=cast.users["ag_inspector"], today=date(2025, 12, 31))) == 3
    for year in (2022, 2023, 2024):
        period(ag, PeriodKind.ANNUAL, year=year, deadline=date(year, 12, 20))
    rows = dashboard.province_completeness(user=cast.users["ag_inspector"], today=TODAY)
    assert [(r["year"], r["kind"]) for r in rows] == [(2023, "annual"), (2024, "annual"), (YEAR, "six_month"),
                                                      (YEAR, "ad_hoc"), (YEAR, "annual"), (2026, "annual")]


def test_the_nation_sums_the_provinces_per_regular_period(cast, year_2025):
    periods, provinces = dashboard.national_completeness(user=cast.users["ministry"], today=TODAY)
    assert numbers(periods) == [(YEAR, "six_month", 3, 2, 0, 1), (YEAR, "annual", 4, 2, 1, 1)]  # no ad hoc
    assert [p["link"] for p in periods] == ["#completeness-2025-six_month", "#completeness-2025-annual"]
    assert [p["name"] for p in provinces] == ["An Giang", "Cao Bằng"]
    an_giang, cao_bang = provinces
    assert cao_bang["cells"][0] is None  # Cao Bằng had no 6-month period
    assert (cao_bang["cells"][1]["received"], cao_bang["cells"][1]["expected"]) == (1, 1)
    assert an_giang["cells"][1]["link"] == f"/reports/periods/{year_2025['annual'].pk}/"


def chart_of(page: str) -> dict:
    found = re.search(r'<script id="chart-reports" type="application/json">(.*?)</script>', page, re.S)
    assert found, "no chart data"
    return json.loads(found.group(1))


def section_of(page: str) -> str:
    section = page[page.index('data-testid="report-completeness"'):]
    return section[:section.index("</section>")]


def test_the_province_home_page_draws_the_chart_with_its_table_and_links(client, cast, year_2025):
    client.force_login(cast.users["ag_ubnd"])
    page = client.get("/").content.decode()
    chart = chart_of(page)
    assert chart["stacked"] and chart["labels"] == ["6-month 2025", "Rà soát TTHC (2025)", "Annual 2025"]
    missing, on_time, late = chart["datasets"]
    assert (missing["data"], on_time["data"], late["data"]) == ([1, 3, 1], [2, 0, 1], [0, 0, 1])
    links = [f"/reports/periods/{year_2025[k].pk}/" for k in ("six", "adhoc", "annual")]
    assert missing["links"] == on_time["links"] == late["links"] == links
    section = section_of(page)
    assert 'data-chart="chart-reports"' in section and "<details>" in section
    for link in links:
        assert f'href="{link}"' in section
    assert "20/12/2025" in section and "2 (67%)" in section
    # Behind a bar: the period's completeness page, with the missing agency named.
    behind = client.get(links[0]).content.decode()
    assert "Sở Nội vụ" in behind[behind.index('id="h-missing"'):]


def test_the_national_home_page_links_each_bar_to_the_provinces(client, cast, year_2025):
    client.force_login(cast.users["ministry"])
    page = client.get("/").content.decode()
    chart = chart_of(page)
    assert chart["labels"] == ["6-month 2025", "Annual 2025"]
    section = section_of(page)
    assert 'id="completeness-2025-annual"' in section and 'href="#completeness-2025-annual"' in section
    assert f'href="/reports/periods/{year_2025["cb_annual"].pk}/">1/1</a>' in section


def test_other_provinces_and_agency_users_do_not_see_it(client, cast, year_2025):
    client.force_login(cast.users["cb_inspector"])
    assert numbers(dashboard.province_completeness(user=cast.users["cb_inspector"], today=TODAY)) == [
        (YEAR, "annual", 1, 1, 0, 0)]
    page = client.get("/").content.decode()
    assert chart_of(page)["labels"] == ["Annual 2025"] and f"/reports/periods/{year_2025['six'].pk}/" not in page
    for key in ("ag_officer", "ag_head"):
        client.force_login(cast.users[key])
        assert "chart-reports" not in client.get("/").content.decode()
        request = RequestFactory().get("/")
        request.user = cast.users[key]
        assert [p["template"] for p in dashboard.panels(request)] == ["reports/dashboard/agency_panel.html"]


def test_queries_do_not_grow_with_periods_and_agencies(cast, year_2025):
    def count(username: str) -> int:
        cache.clear()
        request = RequestFactory().get("/")
        request.user = get_user_model().objects.get(username=username)  # its scope not looked up yet
        with CaptureQueriesContext(connection) as queries:
            dashboard.completeness_panel(request)
        return len(queries.captured_queries)

    small = {name: count(name) for name in ("ag_inspector", "ministry")}
    for year in (2021, 2022, 2023, 2024):
        for prefix in ("ag", "cb"):
            for kind in (PeriodKind.SIX_MONTH, PeriodKind.ANNUAL):
                period(cast.provinces[prefix], kind, year=year, deadline=date(year, 12, 20))
    for n in range(15):
        agency = AgencyFactory(province=cast.provinces["ag" if n % 2 else "cb"])
        AgencyObligation.objects.create(agency=agency, year=YEAR, level=ObligationLevel.MANDATORY)
        report(year_2025["annual" if n % 2 else "cb_annual"], agency, submitted=local(date(YEAR, 12, 3), 9))
    assert {name: count(name) for name in small} == small
    # the nation: its scope and its provinces, then each province's periods as a province reader would read them
    assert small["ag_inspector"] <= 4 and small["ministry"] <= 2 + 3 * Province.objects.count()


def test_a_second_look_within_minutes_comes_from_the_cache(cast, year_2025, settings):
    settings.DASHBOARD_CACHE_SECONDS = 120
    request = RequestFactory().get("/")
    request.user = cast.users["ministry"]
    first = dashboard.completeness_panel(request)["context"]["reports_chart"]
    with CaptureQueriesContext(connection) as queries:
        assert dashboard.completeness_panel(request)["context"]["reports_chart"] == first
    assert not [q for q in queries.captured_queries if "reports_" in q["sql"]]


def test_the_national_panel_adds_up_the_provinces_kept_figures(cast, year_2025, settings):
    """The nation's figures are the provinces' added up (agencies.dashboard_figures): the same as computed over the
    whole country at once, and read from the provinces' figures when they are kept."""
    settings.DASHBOARD_CACHE_SECONDS = 120
    cache.clear()
    period(cast.provinces["cb"], PeriodKind.SIX_MONTH, deadline=date(YEAR, 7, 20))  # a later 6-month deadline
    direct = dashboard.national_completeness(user=cast.users["ministry"], today=timezone.localdate())
    assert numbers(direct[0])[0] == (YEAR, "six_month", 3 + 1, 2, 0, 1 + 1)

    def panel(key):
        request = RequestFactory().get("/")
        request.user = cast.users[key]
        with CaptureQueriesContext(connection) as queries:
            context = dashboard.completeness_panel(request)["context"]
        return context, [q for q in queries.captured_queries if "reports_" in q["sql"]]

    for key in ("ag_inspector", "cb_inspector"):
        assert panel(key)[1]  # each province's figures, read once and kept
    national, read = panel("ministry")
    unlabelled = [{k: v for k, v in column.items() if k != "label"} for column in national["periods"]]
    assert not read and (unlabelled, national["provinces"]) == direct
    assert national["periods"][0]["deadline"] == date(YEAR, 7, 20)  # the latest of the provinces' deadlines
    province, read = panel("cb_inspector")
    assert not read and numbers(province["periods"]) == [(YEAR, "six_month", 1, 0, 0, 1), (YEAR, "annual", 1, 1, 0, 0)]
