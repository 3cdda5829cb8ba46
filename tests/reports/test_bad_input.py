"""Bad input gets a clear 400 (or 404/409), never a 500, and changes nothing."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from reports.models import AgencyReport, ConsolidatedReport, ReportingPeriod

from .conftest import done_report

pytestmark = pytest.mark.django_db

# The conftest's clients ask for English; a refusal is asked for in Vietnamese, the portal's language, so that its
# message is compared with the catalogue's translation.
VI = {"HTTP_ACCEPT_LANGUAGE": "vi"}


def vi(msgid: str, values: dict | None = None) -> str:
    """The Vietnamese of `msgid`, which the catalogues must translate."""
    with translation.override("vi"):
        text = gettext(msgid)
    assert text != msgid, f"not translated: {msgid}"
    return text % values if values else text


@pytest.mark.parametrize(("payload", "field"), [
    ({"kind": "weekly", "period": 1}, "kind"),
    ({"kind": "provincial"}, "period"),
    ({"kind": "provincial", "period": "abc"}, "period"),
    ({"kind": "national"}, "year"),
    ({"kind": "national", "year": 1999}, "year"),
    ({"kind": "provincial", "period": "{period}", "narrative": {"preface": "x"}}, "narrative"),
    ({"kind": "provincial", "period": "{period}", "narrative": ["direction"]}, "narrative"),
    ({"kind": "provincial", "period": "{period}", "narrative": {"direction": "x" * 20001}}, "narrative"),
])
def test_report_request_bad_input(api, cast, reporting, payload, field, django_capture_on_commit_callbacks):
    payload = {k: (reporting["ag"].pk if v == "{period}" else v) for k, v in payload.items()}
    with django_capture_on_commit_callbacks(execute=False):
        response = api.as_user(cast.users["admin"]).post("/api/v1/reports/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not ConsolidatedReport.objects.exists()


def test_request_for_a_province_without_its_lead_agency(api, cast, reporting, django_capture_on_commit_callbacks):
    reporting["ag"].province.portal_settings.delete()
    with django_capture_on_commit_callbacks(execute=False):
        response = api.as_user(cast.users["ag_leader"]).post("/api/v1/reports/", {
            "kind": "provincial", "period": reporting["ag"].pk}, format="json")
    assert response.status_code == 400
    assert "lead agency" in str(response.json())


@pytest.mark.parametrize("query", ["", "?format=doc", "?format=../../etc/passwd"])
def test_download_format(api, cast, reporting, query):
    report = done_report(period=reporting["ag"])
    response = api.as_user(cast.users["ag_leader"]).get(f"/api/v1/reports/{report.pk}/download/{query}")
    if query == "":
        assert response.status_code == 200  # PDF by default
    else:
        assert response.status_code == 400 and "format" in response.json()


@pytest.mark.parametrize("query", ["", "?period=", "?period=abc", "?period=-1", "?period=99999"])
def test_completeness_bad_period(api, cast, reporting, query):
    response = api.as_user(cast.users["ag_leader"]).get(f"/api/v1/completeness/{query}")
    assert response.status_code == (404 if query.endswith("99999") else 400)


@pytest.mark.parametrize(("payload", "field"), [
    ({"funding": {"maintenance": -5}}, "funding"),
    ({"funding": {"yachts": 5}}, "funding"),
    ({"funding": {"maintenance": "mười triệu"}}, "funding"),
    ({"funding": "15000000"}, "funding"),
    ({"proposals": "x" * 10001}, "proposals"),
    ({"difficulties": "a\x00b"}, "difficulties"),
    ({"version": 0}, "version"),
])
def test_agency_report_bad_input(api, cast, agency_reports, payload, field):
    report = agency_reports["ag_stp"]
    response = api.as_user(cast.users["ag_officer"]).patch(f"/api/v1/agency-reports/{report.pk}/", payload,
                                                           format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert AgencyReport.objects.get(pk=report.pk).version == report.version


@pytest.mark.parametrize("version", ["abc", "1e5", "99999999999999999999"])
def test_a_tampered_version_on_the_report_page_is_a_400(client, cast, agency_reports, version):
    """The report page's hidden `version` was read with int(): another value in it was a 500. It is read as the
    query parameters are (qms_portal.queries.int_param): a 400 naming it, and nothing is saved."""
    report = agency_reports["ag_stp"]
    client.force_login(cast.users["ag_officer"])
    response = client.post(f"/reports/agency/{report.pk}/", {"version": version, "difficulties": "Thiếu người",
                                                              "proposals": "Không"})
    assert response.status_code == 400 and "version" in response.content.decode()
    assert AgencyReport.objects.get(pk=report.pk).difficulties == "Không"


def test_stale_version_is_a_conflict(api, cast, agency_reports):
    report = agency_reports["ag_stp"]
    client = api.as_user(cast.users["ag_officer"])
    assert client.patch(f"/api/v1/agency-reports/{report.pk}/", {"proposals": "A", "version": report.version},
                        format="json").status_code == 200
    response = client.patch(f"/api/v1/agency-reports/{report.pk}/", {"proposals": "B", "version": report.version},
                            format="json")
    assert response.status_code == 409


@pytest.mark.parametrize(("payload", "field"), [
    ({"kind": "ad_hoc", "title": "", "window_start": "2026-01-01", "window_end": "2026-02-01",
      "deadline": "2026-02-10"}, "title"),
    ({"kind": "ad_hoc", "title": "Đột xuất", "window_start": "2026-03-01", "window_end": "2026-02-01",
      "deadline": "2026-03-10"}, "window_end"),
    ({"kind": "ad_hoc", "title": "Đột xuất", "window_start": "2026-03-01", "window_end": "2026-03-05",
      "deadline": "2026-02-10"}, "deadline"),
    ({"kind": "ad_hoc", "title": "Đột xuất"}, "window_start"),
    ({"kind": "annual"}, "kind"),  # the fixture's annual period exists already
    ({"kind": "quarterly"}, "kind"),
    ({"kind": "annual", "year": 1990}, "year"),
])
def test_period_bad_input(api, cast, reporting, payload, field):
    payload = {"province": cast.provinces["ag"].code, "year": reporting["ag"].year, **payload}
    before = ReportingPeriod.objects.count()
    response = api.as_user(cast.users["admin"]).post("/api/v1/reporting-periods/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert ReportingPeriod.objects.count() == before


@pytest.mark.parametrize(("query", "field", "message"), [
    ("?period=abc", "period", ("Enter a whole number.", {})),  # Django's form fields: the filters are filtersets
    ("?status=lost", "status", ("Select a valid choice. %(value)s is not one of the available choices.",
                                {"value": "lost"})),
    ("?kind=weekly", "kind", ("Select a valid choice. %(value)s is not one of the available choices.",
                              {"value": "weekly"})),
])
def test_list_filters(api, cast, reporting, query, field, message):
    client = api.as_user(cast.users["ag_leader"])
    endpoint = "/api/v1/reports/" if "kind" in query else "/api/v1/agency-reports/"
    response = client.get(f"{endpoint}{query}", **VI)
    assert response.status_code == 400
    assert response.json() == {field: [vi(*message)]}


def test_reasons_are_required(api, cast, agency_reports):
    report = agency_reports["ag_stp"]
    api.as_user(cast.users["ag_head"]).post(f"/api/v1/agency-reports/{report.pk}/submit/")
    for action in ("return", "reopen"):
        response = api.as_user(cast.users["ag_leader"]).post(f"/api/v1/agency-reports/{report.pk}/{action}/", {},
                                                              format="json")
        assert response.status_code == 400 and "reason" in response.json()


@pytest.mark.parametrize("code", ["../../etc", "A" * 200, "%00", "<script>"])
def test_verification_of_garbage_is_404(client, code):
    assert client.get(f"/verify/{code}/").status_code == 404
