"""Role x (own / other agency of the province / other province) x action, for every reports endpoint.

404 outside your scope, 403 inside it with too low a role, 2xx when allowed. The expected codes are written
out by hand, one row per user, so a change of rule shows up as a diff here.
"""

import pytest
from django.utils import timezone

from reports.models import AgencyReport, AgencyReportStatus, ConsolidatedReport

from .conftest import done_report

pytestmark = pytest.mark.django_db

USERS = ["ag_officer", "ag_head", "ag_inspector", "ag_leader", "ag_ubnd",
         "cb_officer", "cb_inspector", "cb_leader", "ministry", "admin"]

# --- periods: targets = the An Giang period, the Cao Bằng period --------------------------------------------
PERIOD_READ = {
    "ag_officer": (200, 404), "ag_head": (200, 404), "ag_inspector": (200, 404), "ag_leader": (200, 404),
    "ag_ubnd": (200, 404), "cb_officer": (404, 200), "cb_inspector": (404, 200), "cb_leader": (404, 200),
    "ministry": (200, 200), "admin": (200, 200),
}
PERIOD_UPDATE = {
    "ag_officer": (403, 404), "ag_head": (403, 404), "ag_inspector": (403, 404), "ag_leader": (200, 404),
    "ag_ubnd": (403, 404), "cb_officer": (404, 403), "cb_inspector": (404, 403), "cb_leader": (404, 200),
    "ministry": (403, 403), "admin": (200, 200),
}
PERIOD_CREATE = {  # an ad hoc period in An Giang / in Cao Bằng
    "ag_officer": (403, 403), "ag_head": (403, 403), "ag_inspector": (403, 403), "ag_leader": (201, 403),
    "ag_ubnd": (403, 403), "cb_officer": (403, 403), "cb_inspector": (403, 403), "cb_leader": (403, 201),
    "ministry": (403, 403), "admin": (201, 201),
}
COMPLETENESS = {
    "ag_officer": (403, 404), "ag_head": (403, 404), "ag_inspector": (200, 404), "ag_leader": (200, 404),
    "ag_ubnd": (200, 404), "cb_officer": (404, 403), "cb_inspector": (404, 200), "cb_leader": (404, 200),
    "ministry": (200, 200), "admin": (200, 200),
}
# --- agency reports: targets = ag_stp (own agency of ag_officer/ag_head), ag_snv, cb_stp ---------------------
REPORT_READ = {
    "ag_officer": (200, 404, 404), "ag_head": (200, 404, 404),
    "ag_inspector": (200, 200, 404), "ag_leader": (200, 200, 404), "ag_ubnd": (200, 200, 404),
    "cb_officer": (404, 404, 200), "cb_inspector": (404, 404, 200), "cb_leader": (404, 404, 200),
    "ministry": (200, 200, 200), "admin": (200, 200, 200),
}
REPORT_EDIT = {
    "ag_officer": (200, 404, 404), "ag_head": (200, 404, 404),
    "ag_inspector": (403, 403, 404), "ag_leader": (403, 403, 404), "ag_ubnd": (403, 403, 404),
    "cb_officer": (404, 404, 200), "cb_inspector": (404, 404, 403), "cb_leader": (404, 404, 403),
    "ministry": (403, 403, 403), "admin": (200, 200, 200),
}
REPORT_SUBMIT = {
    "ag_officer": (403, 404, 404), "ag_head": (200, 404, 404),
    "ag_inspector": (403, 403, 404), "ag_leader": (403, 403, 404), "ag_ubnd": (403, 403, 404),
    "cb_officer": (404, 404, 403), "cb_inspector": (404, 404, 403), "cb_leader": (404, 404, 403),
    "ministry": (403, 403, 403), "admin": (200, 200, 200),
}
REPORT_REVIEW = {  # accept, return, reopen (on submitted reports)
    "ag_officer": (403, 404, 404), "ag_head": (403, 404, 404),
    "ag_inspector": (200, 200, 404), "ag_leader": (200, 200, 404), "ag_ubnd": (403, 403, 404),
    "cb_officer": (404, 404, 403), "cb_inspector": (404, 404, 200), "cb_leader": (404, 404, 200),
    "ministry": (403, 403, 403), "admin": (200, 200, 200),
}
REPORT_CREATE = {  # POST /agency-reports/ for the province's STP, in the An Giang / Cao Bằng period
    "ag_officer": (201, 404), "ag_head": (201, 404), "ag_inspector": (403, 404), "ag_leader": (403, 404),
    "ag_ubnd": (403, 404), "cb_officer": (404, 201), "cb_inspector": (404, 403), "cb_leader": (404, 403),
    "ministry": (403, 403), "admin": (201, 201),
}
REPORT_LIST = {
    "ag_officer": {"ag_stp"}, "ag_head": {"ag_stp"}, "ag_inspector": {"ag_stp", "ag_snv"},
    "ag_ubnd": {"ag_stp", "ag_snv"}, "cb_officer": {"cb_stp"}, "cb_leader": {"cb_stp"},
    "ministry": {"ag_stp", "ag_snv", "cb_stp"}, "admin": {"ag_stp", "ag_snv", "cb_stp"}, "nobody": set(),
}
# --- consolidated reports: targets = An Giang's report, Cao Bằng's report ---------------------------------------
CONSOLIDATED_READ = {  # GET /reports/{id}/ and /reports/{id}/download/?format=pdf|xlsx|docx
    "ag_officer": (404, 404), "ag_head": (404, 404), "ag_inspector": (200, 404), "ag_leader": (200, 404),
    "ag_ubnd": (200, 404), "cb_officer": (404, 404), "cb_inspector": (404, 200), "cb_leader": (404, 200),
    "ministry": (200, 200), "admin": (200, 200),
}
CONSOLIDATED_REQUEST = {  # POST /reports/ provincial report for the An Giang / Cao Bằng period
    "ag_officer": (403, 404), "ag_head": (403, 404), "ag_inspector": (403, 404), "ag_leader": (202, 404),
    "ag_ubnd": (403, 404), "cb_officer": (404, 403), "cb_inspector": (404, 403), "cb_leader": (404, 202),
    "ministry": (403, 403), "admin": (202, 202),
}
INSPECTION_SUMMARY_REQUEST = {  # the inspecting unit may issue its own summary
    "ag_officer": 403, "ag_head": 403, "ag_inspector": 202, "ag_leader": 202, "ag_ubnd": 403, "ministry": 403,
    "admin": 202,
}
NATIONAL = {  # (request the roll-up, read it)
    "ag_officer": (403, 404), "ag_inspector": (403, 404), "ag_leader": (403, 404), "ag_ubnd": (403, 404),
    "cb_leader": (403, 404), "ministry": (202, 200), "admin": (202, 200),
}
CONSOLIDATED_LIST = {
    "ag_officer": set(), "ag_inspector": {"ag"}, "ag_leader": {"ag"}, "ag_ubnd": {"ag"}, "cb_leader": {"cb"},
    "ministry": {"ag", "cb", "national"}, "admin": {"ag", "cb", "national"}, "nobody": set(),
}

PERIODS = ("ag", "cb")
AGENCY_TARGETS = ("ag_stp", "ag_snv", "cb_stp")


def _cases(table, targets):
    return [(user, target, table[user][i]) for user in USERS for i, target in enumerate(targets)]


@pytest.mark.parametrize(("user", "target", "expected"), _cases(PERIOD_READ, PERIODS))
def test_period_read(api, cast, reporting, user, target, expected):
    response = api.as_user(cast.users[user]).get(f"/api/v1/reporting-periods/{reporting[target].pk}/")
    assert response.status_code == expected


@pytest.mark.parametrize(("user", "target", "expected"), _cases(PERIOD_UPDATE, PERIODS))
def test_period_update(api, cast, reporting, user, target, expected):
    period = reporting[target]
    new_deadline = period.deadline.replace(day=1) if period.deadline.day > 1 else period.deadline.replace(day=2)
    response = api.as_user(cast.users[user]).patch(f"/api/v1/reporting-periods/{period.pk}/",
                                                   {"deadline": new_deadline.isoformat()}, format="json")
    assert response.status_code == expected, response.content
    period.refresh_from_db()
    assert (period.deadline == new_deadline) == (expected == 200)


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize(("province", "column"), [("ag", 0), ("cb", 1)])
def test_period_create(api, cast, reporting, user, province, column, today):
    expected = PERIOD_CREATE[user][column]
    payload = {"province": cast.provinces[province].code, "year": today.year, "kind": "ad_hoc",
               "title": "Báo cáo đột xuất", "window_start": today.isoformat(), "window_end": today.isoformat(),
               "deadline": today.isoformat()}
    response = api.as_user(cast.users[user]).post("/api/v1/reporting-periods/", payload, format="json")
    assert response.status_code == expected, response.content
    assert reporting[province].province.reporting_periods.filter(kind="ad_hoc").exists() == (expected == 201)


@pytest.mark.parametrize(("user", "target", "expected"), _cases(COMPLETENESS, PERIODS))
def test_completeness(api, cast, reporting, user, target, expected):
    response = api.as_user(cast.users[user]).get(f"/api/v1/completeness/?period={reporting[target].pk}")
    assert response.status_code == expected


@pytest.mark.parametrize(("user", "target", "expected"), _cases(REPORT_READ, AGENCY_TARGETS))
def test_agency_report_read(api, cast, agency_reports, user, target, expected):
    response = api.as_user(cast.users[user]).get(f"/api/v1/agency-reports/{agency_reports[target].pk}/")
    assert response.status_code == expected


@pytest.fixture
def issued_reports(agency_reports, today):
    """The three reports as issued documents (submitted under a number)."""
    AgencyReport.objects.filter(pk__in=[r.pk for r in agency_reports.values()]).update(
        status=AgencyReportStatus.SUBMITTED, number="01/BC-TEST", issued_on=today, first_submitted_at=timezone.now())
    return agency_reports


@pytest.mark.parametrize(("user", "target", "expected"), _cases(REPORT_READ, AGENCY_TARGETS))
def test_agency_report_files(api, cast, issued_reports, user, target, expected):
    """An issued report's PDF (200, or 202 while the worker makes it) and Word file: for the report's readers."""
    client = api.as_user(cast.users[user])
    report = issued_reports[target]
    pdf = client.get(f"/api/v1/agency-reports/{report.pk}/pdf/")
    assert pdf.status_code in ((200, 202) if expected == 200 else (expected,)), pdf.content
    docx = client.get(f"/api/v1/agency-reports/{report.pk}/docx/")
    assert docx.status_code == expected
    if expected == 200:
        assert docx["Content-Disposition"].startswith("attachment") and docx["Content-Type"].endswith(".document")


@pytest.mark.parametrize("user", ["ag_officer", "ag_head", "ag_inspector", "ministry"])
def test_a_draft_agency_report_has_no_files(api, cast, agency_reports, user):
    """A draft (never submitted, or back with the agency) is no document: 404 for its readers too."""
    client = api.as_user(cast.users[user])
    for name in ("pdf", "docx"):
        assert client.get(f"/api/v1/agency-reports/{agency_reports['ag_stp'].pk}/{name}/").status_code == 404


@pytest.mark.parametrize(("user", "target", "expected"), _cases(REPORT_EDIT, AGENCY_TARGETS))
def test_agency_report_edit(api, cast, agency_reports, user, target, expected):
    report = agency_reports[target]
    response = api.as_user(cast.users[user]).patch(f"/api/v1/agency-reports/{report.pk}/",
                                                   {"proposals": "Đề nghị tập huấn"}, format="json")
    assert response.status_code == expected, response.content
    report.refresh_from_db()
    assert (report.proposals == "Đề nghị tập huấn") == (expected == 200)


@pytest.mark.parametrize(("user", "target", "expected"), _cases(REPORT_SUBMIT, AGENCY_TARGETS))
def test_agency_report_submit(api, cast, agency_reports, user, target, expected):
    report = agency_reports[target]
    response = api.as_user(cast.users[user]).post(f"/api/v1/agency-reports/{report.pk}/submit/", {}, format="json")
    assert response.status_code == expected, response.content
    report.refresh_from_db()
    assert (report.status == AgencyReportStatus.SUBMITTED) == (expected == 200)


@pytest.mark.parametrize(("action", "payload", "status_after"), [
    ("accept", {}, AgencyReportStatus.ACCEPTED),
    ("return", {"reason": "Thiếu số liệu kinh phí"}, AgencyReportStatus.RETURNED),
    ("reopen", {"reason": "Đơn vị xin bổ sung"}, AgencyReportStatus.DRAFT),
])
@pytest.mark.parametrize(("user", "target", "expected"), _cases(REPORT_REVIEW, AGENCY_TARGETS))
def test_agency_report_review(api, cast, agency_reports, user, target, expected, action, payload, status_after):
    AgencyReport.objects.update(status=AgencyReportStatus.SUBMITTED, first_submitted_at=timezone.now())
    report = agency_reports[target]
    response = api.as_user(cast.users[user]).post(f"/api/v1/agency-reports/{report.pk}/{action}/", payload,
                                                  format="json")
    assert response.status_code == expected, response.content
    report.refresh_from_db()
    assert (report.status == status_after) == (expected == 200)


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize(("province", "column"), [("ag", 0), ("cb", 1)])
def test_agency_report_create(api, cast, reporting, user, province, column):
    expected = REPORT_CREATE[user][column]
    agency = cast.agencies[f"{province}_stp"]
    response = api.as_user(cast.users[user]).post("/api/v1/agency-reports/", {
        "period": reporting[province].pk, "agency": agency.pk}, format="json")
    assert response.status_code == expected, response.content
    assert AgencyReport.objects.filter(agency=agency).exists() == (expected == 201)


@pytest.mark.parametrize(("user", "visible"), REPORT_LIST.items())
def test_agency_report_list_is_scoped(api, cast, agency_reports, user, visible):
    response = api.as_user(cast.users[user]).get("/api/v1/agency-reports/?page_size=100")
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {agency_reports[k].pk for k in visible}


@pytest.fixture
def consolidated(reporting):
    return {"ag": done_report(period=reporting["ag"]), "cb": done_report(period=reporting["cb"]),
            "national": done_report(kind="national", year=reporting["ag"].year, number="")}


@pytest.mark.parametrize(("user", "target", "expected"), _cases(CONSOLIDATED_READ, PERIODS))
@pytest.mark.parametrize("suffix", ["", "download/?format=pdf", "download/?format=xlsx", "download/?format=docx"])
def test_consolidated_read_and_download(api, cast, consolidated, user, target, expected, suffix):
    response = api.as_user(cast.users[user]).get(f"/api/v1/reports/{consolidated[target].pk}/{suffix}")
    assert response.status_code == expected
    if expected == 200 and suffix:
        stored = getattr(consolidated[target], suffix.rsplit("=", 1)[-1])
        assert b"".join(response.streaming_content) == stored.file.open("rb").read()


@pytest.mark.parametrize(("user", "target", "expected"), _cases(CONSOLIDATED_REQUEST, PERIODS))
def test_consolidated_request(api, cast, reporting, user, target, expected, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.as_user(cast.users[user]).post("/api/v1/reports/", {
            "kind": "provincial", "period": reporting[target].pk}, format="json")
    assert response.status_code == expected, response.content
    assert ConsolidatedReport.objects.filter(period=reporting[target]).exists() == (expected == 202)
    assert len(callbacks) == (1 if expected == 202 else 0)


@pytest.mark.parametrize(("user", "expected"), INSPECTION_SUMMARY_REQUEST.items())
def test_inspection_summary_request(api, cast, reporting, user, expected, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = api.as_user(cast.users[user]).post("/api/v1/reports/", {
            "kind": "inspection_summary", "period": reporting["ag"].pk}, format="json")
    assert response.status_code == expected, response.content


@pytest.mark.parametrize(("user", "expected"), NATIONAL.items())
def test_national_rollup(api, cast, consolidated, user, expected, today, django_capture_on_commit_callbacks):
    client = api.as_user(cast.users[user])
    assert client.get(f"/api/v1/reports/{consolidated['national'].pk}/").status_code == expected[1]
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post("/api/v1/reports/", {"kind": "national", "year": today.year}, format="json")
    assert response.status_code == expected[0], response.content


@pytest.mark.parametrize(("user", "visible"), CONSOLIDATED_LIST.items())
def test_consolidated_list_is_scoped(api, cast, consolidated, user, visible):
    response = api.as_user(cast.users[user]).get("/api/v1/reports/?page_size=100")
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {consolidated[k].pk for k in visible}


@pytest.mark.parametrize("path", ["/api/v1/reporting-periods/", "/api/v1/agency-reports/", "/api/v1/reports/",
                                  "/api/v1/completeness/?period=1", "/api/v1/reports/1/download/?format=pdf"])
def test_anonymous_is_refused(api, cast, path):
    assert api.get(path).status_code in (401, 403)


# --- pages: the same scope rule -------------------------------------------------------------------------------
@pytest.mark.parametrize(("user", "target", "expected"), _cases(CONSOLIDATED_READ, PERIODS))
@pytest.mark.parametrize("suffix", ["", "download/pdf/"])
def test_consolidated_pages(client, cast, consolidated, user, target, expected, suffix):
    client.force_login(cast.users[user])
    response = client.get(f"/reports/consolidated/{consolidated[target].pk}/{suffix}")
    assert response.status_code == expected


@pytest.mark.parametrize(("user", "target", "expected"), _cases(REPORT_READ, AGENCY_TARGETS))
def test_agency_report_pages(client, cast, agency_reports, user, target, expected):
    client.force_login(cast.users[user])
    assert client.get(f"/reports/agency/{agency_reports[target].pk}/").status_code == expected


@pytest.mark.parametrize(("user", "target", "expected"), _cases(PERIOD_READ, PERIODS))
def test_period_pages(client, cast, reporting, user, target, expected):
    client.force_login(cast.users[user])
    assert client.get(f"/reports/periods/{reporting[target].pk}/").status_code == expected
