"""The agency's submitted periodic report is a document issued by the agency (issue 14): its number in the
agency's register, its head's signature block, rendered by the worker, downloadable by the agency and the Sở."""

import pytest
from django.utils import timezone

from audits.models import PdfStatus
from reports import services
from tests.documents.test_proof import check_frame, keep, pdf_text

from .conftest import give_qms

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(cast, agency_reports, today, django_capture_on_commit_callbacks):
    give_qms(cast.agencies["ag_stp"], today=today)
    head = cast.users["ag_head"]
    head.last_name, head.first_name = "Nguyễn Thị", "Lan"
    head.save()
    report = agency_reports["ag_stp"]
    with django_capture_on_commit_callbacks(execute=True):
        services.agency_report_submit(actor=head, report=report)
    report.refresh_from_db()
    return report


def test_submitting_issues_a_numbered_report_rendered_by_the_worker(cast, submitted):
    report = submitted
    assert report.number == "01/BC-STP" and report.issued_on == timezone.localdate()
    assert report.pdf_status == PdfStatus.DONE and report.pdf_ready
    with report.pdf_file.file.open("rb") as handle:
        content = handle.read()
    keep("bao-cao-co-quan.pdf", content)
    text = pdf_text(content)
    check_frame(text, parent=["UBND TỈNH AN GIANG"], body=["SỞ TƯ PHÁP"], number="01/BC-STP", place="An Giang",
                title="BÁO CÁO", recipients=["Sở Khoa học và Công nghệ (để tổng hợp);", "Lưu: VT, STP."],
                capacity=["GIÁM ĐỐC"], signer="Nguyễn Thị Lan")
    flat = " ".join(text.split())
    assert "Sở Tư pháp báo cáo kết quả áp dụng" in flat and "I. TÌNH HÌNH XÂY DỰNG, ÁP DỤNG HTQLCL" in flat
    # its line in the agency's register of outgoing documents links the file and says who signs it, for whom
    from agencies.models import RegisteredDocument

    line = RegisteredDocument.objects.get(issuer=cast.agencies["ag_stp"], number=1, symbol="BC-STP")
    assert line.current_file_id == report.pdf_file_id and line.signer_name == "Nguyễn Thị Lan"
    assert line.recipients.splitlines() == ["Sở Khoa học và Công nghệ (để tổng hợp)", "Lưu: VT, STP"]
    assert line.title.startswith("Báo cáo ")
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(cast.users["ag_head"])
    row = api.get(f"/api/v1/outgoing-documents/{line.pk}/").json()
    assert row["current_sha256"] == report.pdf_file.sha256 and row["signer_name"] == "Nguyễn Thị Lan"


def test_the_agency_and_the_department_download_it_others_do_not(cast, submitted, client):
    url = f"/reports/agency/{submitted.pk}/pdf/"
    for user, status in (("ag_officer", 200), ("ag_head", 200), ("ag_leader", 200), ("ag_inspector", 200),
                         ("cb_leader", 404), ("cb_officer", 404)):
        client.force_login(cast.users[user])
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert response["Content-Type"] == "application/pdf"
    client.force_login(cast.users["ag_officer"])
    assert url in client.get(f"/reports/agency/{submitted.pk}/").content.decode()


def test_a_draft_has_no_document(cast, agency_reports, client):
    client.force_login(cast.users["ag_officer"])
    assert client.get(f"/reports/agency/{agency_reports['ag_stp'].pk}/pdf/").status_code == 404


# --- the editable DOCX (issue 17) ---------------------------------------------------------------------------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LABEL = "Download the Word file (.docx)"  # this folder's client reads English


def test_agency_report_docx_has_the_scope_of_its_pdf(cast, submitted, agency_reports, client):
    pdf, docx = f"/reports/agency/{submitted.pk}/pdf/", f"/reports/agency/{submitted.pk}/docx/"
    seen = set()
    for name, user in cast.users.items():
        client.force_login(user)
        expected = client.get(pdf).status_code
        response = client.get(docx)
        assert response.status_code == expected, (name, expected, response.status_code)
        seen.add(expected)
        if expected == 200:
            assert response["Content-Type"] == DOCX and ".docx" in response["Content-Disposition"]
    assert {200, 404} <= seen
    client.force_login(cast.users["ag_officer"])
    page = client.get(f"/reports/agency/{submitted.pk}/").content.decode()
    assert f'href="{pdf}"' in page and f'href="{docx}"' in page and LABEL in page
    draft = agency_reports["ag_snv"]  # not submitted: no number, no document (as its PDF)
    client.force_login(cast.users["ag_leader"])
    assert client.get(f"/reports/agency/{draft.pk}/docx/").status_code == 404


def test_agency_report_docx_prints_the_words_of_its_pdf(cast, submitted, client, libreoffice):
    from reports.agency_printing import build, render
    from tests.printing.office import differences_from_pdf

    client.force_login(cast.users["ag_head"])
    response = client.get(f"/reports/agency/{submitted.pk}/docx/")
    document, template, context, _name = build(submitted)
    differences, words = differences_from_pdf(libreoffice(b"".join(response.streaming_content), "agency-report"),
                                              render(submitted)[0], document=document, body_template=template,
                                              context=context)
    assert differences == []
    text = " ".join(words)
    for expected in ("Số: 01/BC-STP", "Sở Tư pháp báo cáo kết quả áp dụng", "Nguyễn Thị Lan", "- Lưu: VT, STP."):
        assert expected in text, expected


def test_the_page_offers_what_the_role_may_do_in_the_reports_state(cast, agency_reports, client):
    """`agency_report_actions` decides the page's buttons: drafting and submitting while editable, by role; the
    department's review once submitted; reopening after acceptance too."""
    from reports.models import AgencyReport, AgencyReportStatus
    from reports.selectors import agency_report_actions

    report = agency_reports["ag_stp"]
    users = cast.users
    assert agency_report_actions(users["ag_officer"], report) == {"draft"}
    assert agency_report_actions(users["ag_head"], report) == {"draft", "submit"}
    assert agency_report_actions(users["ag_inspector"], report) == set()
    now = timezone.now()
    AgencyReport.objects.filter(pk=report.pk).update(status=AgencyReportStatus.SUBMITTED, submitted_at=now,
                                                     first_submitted_at=now)
    report.refresh_from_db()
    assert agency_report_actions(users["ag_head"], report) == set()
    assert agency_report_actions(users["ag_inspector"], report) == {"accept", "return", "reopen"}
    client.force_login(users["ag_inspector"])
    page = client.get(f"/reports/agency/{report.pk}/").content.decode()
    assert f"/reports/agency/{report.pk}/accept/" in page and f"/reports/agency/{report.pk}/reopen/" in page
    AgencyReport.objects.filter(pk=report.pk).update(status=AgencyReportStatus.ACCEPTED)
    report.refresh_from_db()
    assert agency_report_actions(users["ag_leader"], report) == {"reopen"}
    page = client.get(f"/reports/agency/{report.pk}/").content.decode()
    assert f"/reports/agency/{report.pk}/accept/" not in page and f"/reports/agency/{report.pk}/reopen/" in page
