"""The legal updates an agency's own report states are those the consolidated report judges it by (qms.rules
`legal_facts`): the changes it recorded in its QMS file and the due updates of the province's register of legal
changes (issue 16). A decree registered for Sở Tư pháp and past its 3 months without an update makes the
agency "Quá hạn" in the consolidated annex: its own report, on its page, in its API and in its PDF, says the same
change is overdue rather than "0 đúng hạn, 0 quá hạn, 0 chưa cập nhật"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from qms.legal.services import legal_change_compute_targets, legal_change_register
from qms.models import LegalUpdate, Procedure
from qms_portal.dates import add_months
from reports import gathering, services
from reports.models import AgencyReport, ConsolidatedReport
from tests.documents.test_proof import pdf_text

from .conftest import give_qms

pytestmark = pytest.mark.django_db


def _register_overdue_decree(cast):
    today = timezone.localdate()
    stp = cast.agencies["ag_stp"]
    Procedure.objects.create(agency=stp, code="1.0001", name="Đăng ký khai sinh", field="Hộ tịch")
    change = legal_change_register(actor=cast.users["ag_inspector"], province_id=cast.provinces["ag"].pk, data={
        "number": "20/2026/NĐ-CP", "title": "Sửa đổi thủ tục hộ tịch", "issuer": "Chính phủ",
        "issued_on": today - timedelta(days=130), "effective_on": today - timedelta(days=120),
        "procedure_fields": ["Hộ tịch"]})
    legal_change_compute_targets(change_id=change.pk)


def test_the_agency_report_states_the_registers_overdue_update(cast, reporting, agency_reports, today, api, client,
                                                               django_capture_on_commit_callbacks):
    give_qms(cast.agencies["ag_stp"], today=today)
    _register_overdue_decree(cast)
    # the consolidated report judges Sở Tư pháp overdue
    period = reporting["ag"]
    consolidated = ConsolidatedReport(kind="provincial", province=period.province, period=period, year=period.year,
                                      period_kind=period.kind)
    row = next(r for r in gathering.gather(consolidated).rows if r.agency_id == cast.agencies["ag_stp"].pk)
    assert row.legal == "overdue"

    report = services.agency_report_update(actor=cast.users["ag_officer"], report=agency_reports["ag_stp"], data={})
    legal = report.data["legal_updates"]
    assert legal["overdue"] == 1 and legal["pending"] == 1 and legal["in_time"] == legal["late"] == 0
    api.force_authenticate(cast.users["ag_leader"])
    assert api.get(f"/api/v1/agency-reports/{report.pk}/").json()["data"]["legal_updates"]["overdue"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.agency_report_submit(actor=cast.users["ag_head"], report=report)
    report = AgencyReport.objects.get(pk=report.pk)
    with report.pdf_file.file.open("rb") as handle:
        text = " ".join(pdf_text(handle.read()).split())
    assert ("Cập nhật văn bản quy phạm pháp luật: 0 đúng hạn, 0 trễ hạn, 1 chưa cập nhật (trong đó quá hạn 03 "
            "tháng: 1);") in text


def test_the_agency_reports_own_records_count_as_before(cast, reporting, agency_reports, today):
    """The changes recorded in the QMS file keep counting: one reflected in time, one still within its months."""
    qms = give_qms(cast.agencies["ag_stp"], today=today)
    effective = today - timedelta(days=20)
    LegalUpdate.objects.create(qms=qms, legal_document="Nghị định 1", effective_on=effective,
                               due_on=add_months(effective, 3), updated_on=today - timedelta(days=5))
    LegalUpdate.objects.create(qms=qms, legal_document="Nghị định 2", effective_on=effective,
                               due_on=add_months(effective, 3))
    report = services.agency_report_update(actor=cast.users["ag_officer"], report=agency_reports["ag_stp"], data={})
    legal = report.data["legal_updates"]
    assert (legal["in_time"], legal["late"], legal["pending"], legal["overdue"]) == (1, 0, 1, 0)
