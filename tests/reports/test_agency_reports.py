"""Agency periodic reports: prefilled facts, frozen on submission, reopened with a reason; completeness."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import AgencyKind, AgencyObligation, ObligationLevel
from qms.models import Procedure, Stage
from reports import selectors, services
from reports.models import AgencyReport, AgencyReportStatus, ReportingPeriod
from tests.factories import AgencyFactory, ObligationFactory

from .conftest import give_qms
from .test_bad_input import VI, vi

pytestmark = pytest.mark.django_db


def _submit(api, cast, report, **extra):
    return api.as_user(cast.users["ag_head"]).post(f"/api/v1/agency-reports/{report.pk}/submit/", {}, format="json",
                                                   **extra)


def test_officer_starts_a_report_prefilled_from_the_qms_file(api, cast, reporting, qms_files):
    response = api.as_user(cast.users["ag_officer"]).post("/api/v1/agency-reports/",
                                                          {"period": reporting["ag"].pk}, format="json")
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["procedures"] == {"total": 3, "covered": 2}
    assert data["qms"]["stage"] == Stage.MAINTAINING
    assert data["announcements"][0]["number"] == "12/QĐ-STP"
    assert len(data["internal_audits"]) == 1 and data["internal_audits"][0]["nonconformities"] == 2
    assert data["obligation"] == ObligationLevel.MANDATORY


def test_second_report_for_the_same_period_is_refused(api, cast, agency_reports, reporting):
    response = api.as_user(cast.users["ag_officer"]).post("/api/v1/agency-reports/",
                                                          {"period": reporting["ag"].pk}, format="json")
    assert response.status_code == 400
    assert "already has a report" in str(response.json())


def test_submitted_report_is_frozen(api, cast, agency_reports, qms_files):
    report = agency_reports["ag_stp"]
    assert _submit(api, cast, report).status_code == 200
    report.refresh_from_db()
    frozen = report.data
    assert frozen["procedures"]["total"] == 3
    # A later change of the QMS file does not change the submitted report...
    Procedure.objects.create(agency=cast.agencies["ag_stp"], code="new.1", name="Thủ tục mới", covered=True)
    report.refresh_from_db()
    assert report.data == frozen
    # ...and the agency cannot edit it any more.
    response = api.as_user(cast.users["ag_officer"]).patch(f"/api/v1/agency-reports/{report.pk}/",
                                                           {"proposals": "Sửa sau khi gửi"}, format="json")
    assert response.status_code == 400
    assert "frozen" in str(response.json())
    report.refresh_from_db()
    assert report.proposals == "Không" and report.data == frozen
    again = _submit(api, cast, report, **VI)
    assert again.status_code == 400  # not twice either
    assert again.json() == {"non_field_errors": [vi("This report has already been submitted.")]}


def test_reopen_needs_a_reason_and_records_it(api, cast, agency_reports, qms_files):
    report = agency_reports["ag_stp"]
    _submit(api, cast, report)
    leader = api.as_user(cast.users["ag_leader"])
    response = leader.post(f"/api/v1/agency-reports/{report.pk}/reopen/", {"reason": "  "}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    response = leader.post(f"/api/v1/agency-reports/{report.pk}/reopen/",
                           {"reason": "Đơn vị đề nghị bổ sung số liệu kinh phí"}, format="json")
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == AgencyReportStatus.DRAFT
    assert report.review_note == "Đơn vị đề nghị bổ sung số liệu kinh phí"
    assert report.history.first().history_change_reason.startswith("reopened: Đơn vị đề nghị")
    assert report.first_submitted_at is not None  # it was received, and stays so
    # Reopened: editable again, and the facts follow the QMS file until the next submission.
    Procedure.objects.create(agency=cast.agencies["ag_stp"], code="new.2", name="Thủ tục mới", covered=True)
    response = api.as_user(cast.users["ag_officer"]).patch(f"/api/v1/agency-reports/{report.pk}/",
                                                           {"funding": {"maintenance": 15_000_000}}, format="json")
    assert response.status_code == 200
    assert response.json()["data"]["procedures"]["total"] == 4
    assert response.json()["funding"] == {"maintenance": 15_000_000}


def test_accepted_report_can_be_reopened_but_a_draft_cannot(api, cast, agency_reports):
    report = agency_reports["ag_stp"]
    url = f"/api/v1/agency-reports/{report.pk}"

    def inspector():
        return api.as_user(cast.users["ag_inspector"])

    def refused(response, msgid):
        """A state conflict: 400 with the message under no field."""
        assert response.status_code == 400
        assert response.json() == {"non_field_errors": [vi(msgid)]}
        return True

    assert refused(inspector().post(f"{url}/reopen/", {"reason": "x"}, format="json", **VI),
                   "Only a submitted or accepted report can be reopened.")
    assert refused(inspector().post(f"{url}/accept/", **VI), "Only a submitted report can be accepted.")
    _submit(api, cast, report)
    assert inspector().post(f"{url}/accept/").status_code == 200
    assert refused(inspector().post(f"{url}/return/", {"reason": "x"}, format="json", **VI),  # not submitted
                   "Only a submitted report can be returned.")
    assert inspector().post(f"{url}/reopen/", {"reason": "Sai số liệu"}, format="json").status_code == 200


def test_returned_report_is_corrected_and_resubmitted_keeping_its_first_date(api, cast, agency_reports):
    report = agency_reports["ag_stp"]
    _submit(api, cast, report)
    report.refresh_from_db()
    first = report.first_submitted_at
    response = api.as_user(cast.users["ag_inspector"]).post(f"/api/v1/agency-reports/{report.pk}/return/",
                                                            {"reason": "Thiếu kiến nghị"}, format="json")
    assert response.json()["status"] == AgencyReportStatus.RETURNED
    assert api.as_user(cast.users["ag_officer"]).patch(f"/api/v1/agency-reports/{report.pk}/",
                                                       {"proposals": "Tập huấn"}, format="json").status_code == 200
    assert _submit(api, cast, report).status_code == 200
    report.refresh_from_db()
    assert report.first_submitted_at == first and report.submitted_at > first


def test_incomplete_report_cannot_be_submitted(api, cast, reporting):
    report = AgencyReport.objects.create(period=reporting["ag"], agency=cast.agencies["ag_stp"], proposals="Không")
    response = _submit(api, cast, report)
    assert response.status_code == 400
    assert set(response.json()) == {"difficulties"}
    report.refresh_from_db()
    assert report.status == AgencyReportStatus.DRAFT


def test_report_for_a_period_that_has_not_started(api, cast, reporting, today):
    future = ReportingPeriod.objects.create(province=cast.provinces["ag"], year=today.year, kind="ad_hoc",
                                            title="Kỳ tương lai", window_start=today + timedelta(days=3),
                                            window_end=today + timedelta(days=30), deadline=today + timedelta(days=40))
    response = api.as_user(cast.users["ag_officer"]).post("/api/v1/agency-reports/", {"period": future.pk},
                                                          format="json")
    assert response.status_code == 400
    assert "has not started" in str(response.json())
    response = api.as_user(cast.users["ag_leader"]).post("/api/v1/reports/", {"kind": "provincial",
                                                                              "period": future.pk}, format="json")
    assert response.status_code == 400
    assert "has not started" in str(response.json())


def test_completeness_by_kind_on_time_late_missing(api, cast, reporting, agency_reports, today):
    period = reporting["ag"]
    # STP on time, SNV late; SKHCN (a department) and UBND (the provincial committee) missing.
    _submit(api, cast, agency_reports["ag_stp"])
    _submit(api, cast, agency_reports["ag_snv"])
    AgencyReport.objects.filter(pk=agency_reports["ag_snv"].pk).update(
        first_submitted_at=timezone.now() + timedelta(days=period.deadline.toordinal() - today.toordinal() + 2))
    # An encouraged school without a QMS is not expected; an encouraged one that applies a QMS is.
    idle = AgencyFactory(name="Trường THPT A", kind=AgencyKind.PUBLIC_SERVICE_UNIT, province=cast.provinces["ag"])
    school = AgencyFactory(name="Trường THPT B", kind=AgencyKind.PUBLIC_SERVICE_UNIT, province=cast.provinces["ag"])
    for agency in (idle, school):
        ObligationFactory(agency=agency, year=today.year, level=ObligationLevel.ENCOURAGED)
    give_qms(school, today=today, stage=Stage.APPLYING)
    # An agency whose obligation is "not applicable" is not expected.
    na = AgencyFactory(name="Sở X", province=cast.provinces["ag"])
    ObligationFactory(agency=na, year=today.year, level=ObligationLevel.NOT_APPLICABLE)

    response = api.as_user(cast.users["ag_inspector"]).get(f"/api/v1/completeness/?period={period.pk}")
    assert response.status_code == 200
    body = response.json()
    by_kind = {row["kind"]: row for row in body["by_kind"]}
    assert {k: (r["expected"], r["received"], r["on_time"], r["late"], r["missing"]) for k, r in by_kind.items()} == {
        AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE: (1, 0, 0, 0, 1),
        AgencyKind.DEPARTMENT: (3, 2, 1, 1, 1),
        AgencyKind.PUBLIC_SERVICE_UNIT: (1, 0, 0, 0, 1),
    }
    assert body["total"]["expected"] == 5 and body["total"]["received"] == 2 and body["total"]["received_percent"] == 40
    missing = {row["name"] for row in body["missing"]}
    assert missing == {cast.agencies["ag_skhcn"].name, cast.agencies["ag_ubnd"].name, "Trường THPT B"}
    assert [row["name"] for row in body["late"]] == ["Sở Nội vụ"]


def test_missing_agencies_come_with_their_contacts(api, cast, reporting):
    cast.users["ag_officer"].email = "lan@stp.example"
    cast.users["ag_officer"].save()
    response = api.as_user(cast.users["ag_leader"]).get(f"/api/v1/completeness/?period={reporting['ag'].pk}")
    stp = next(row for row in response.json()["missing"] if row["id"] == cast.agencies["ag_stp"].pk)
    assert "lan@stp.example" in {person["email"] for person in stp["contacts"]}


def test_completeness_costs_the_same_queries_for_more_agencies(cast, reporting, today):
    period = reporting["ag"]
    with CaptureQueriesContext(connection) as few:
        selectors.completeness(period=period)
    for n in range(25):
        agency = AgencyFactory(name=f"Xã {n}", kind=AgencyKind.COMMUNE_PEOPLES_COMMITTEE, province=period.province)
        ObligationFactory(agency=agency, year=today.year)
        if n % 2:
            give_qms(agency, today=today)
            AgencyReport.objects.create(period=period, agency=agency, first_submitted_at=timezone.now(),
                                        status=AgencyReportStatus.SUBMITTED)
    with CaptureQueriesContext(connection) as many:
        result = selectors.completeness(period=period)
    assert result.total.expected == 29
    assert len(many) == len(few)


def test_list_endpoint_queries_do_not_grow(api, cast, reporting, today):
    client = api.as_user(cast.users["ag_leader"])
    AgencyReport.objects.create(period=reporting["ag"], agency=cast.agencies["ag_stp"])
    client.get("/api/v1/agency-reports/")  # the user's scope is looked up once, then cached on the user
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/agency-reports/")
    for _n in range(10):
        agency = AgencyFactory(province=cast.provinces["ag"])
        AgencyReport.objects.create(period=reporting["ag"], agency=agency)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/v1/agency-reports/")
    assert response.json()["count"] == 11
    assert len(many) == len(few)


def test_period_defaults_and_unique_regular_period(cast, today):
    period = services.reporting_period_create(actor=cast.users["admin"], province=cast.provinces["ag"], year=2027,
                                              kind="six_month")
    assert (period.window_start.isoformat(), period.window_end.isoformat(), period.deadline.isoformat()) == (
        "2026-12-15", "2027-06-14", "2027-06-20")
    annual = services.reporting_period_create(actor=None, province=cast.provinces["ag"], year=2027, kind="annual")
    assert (annual.window_end.isoformat(), annual.deadline.isoformat()) == ("2027-12-14", "2027-12-20")
    with pytest.raises(Exception, match="Tỉnh đã có kỳ báo cáo"):
        services.reporting_period_create(actor=None, province=cast.provinces["ag"], year=2027, kind="annual")


def test_obligation_for_another_year_does_not_make_an_agency_expected(cast, reporting, today):
    AgencyObligation.objects.filter(agency=cast.agencies["ag_snv"], year=today.year).delete()
    ObligationFactory(agency=cast.agencies["ag_snv"], year=today.year - 1)
    result = selectors.completeness(period=reporting["ag"])
    assert cast.agencies["ag_snv"].pk not in {a.pk for a in result.missing_agencies}
    assert result.total.expected == 3
