"""An agency report returned or reopened is back with the agency: it is a draft again, not the document it issued.

Its number stays on its line of the register (with the PDF issued under it), but the report's own downloads (the
PDF and the Word file, by URL as well as by button) no longer print that number over what the agency is now
editing, and a PDF still being rendered for the issue it left stores nothing: no file of the report says
"Số: 01/BC-STP" over a draft. Submitted again, it is a new issue with its own number and files.
"""

import pytest

from agencies.models import RegisteredDocument
from reports import services
from reports.agency_printing import agency_report_pdf_render
from reports.models import AgencyReport
from tests.documents.test_proof import pdf_text

from .conftest import give_qms

pytestmark = pytest.mark.django_db

EDITED = "Khó khăn viết lại sau khi Sở trả lại"


@pytest.fixture
def issued(cast, agency_reports, today, django_capture_on_commit_callbacks):
    give_qms(cast.agencies["ag_stp"], today=today)
    with django_capture_on_commit_callbacks(execute=True):
        services.agency_report_submit(actor=cast.users["ag_head"], report=agency_reports["ag_stp"])
    report = AgencyReport.objects.get(pk=agency_reports["ag_stp"].pk)
    assert report.number == "01/BC-STP" and report.pdf_ready
    return report


def _docx_text(content: bytes) -> str:
    import io

    from docx import Document

    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _edit(cast, report) -> AgencyReport:
    return services.agency_report_update(actor=cast.users["ag_officer"], report=report,
                                         data={"difficulties": EDITED})


@pytest.mark.parametrize("move", ["reopen", "return"])
def test_a_report_back_with_the_agency_has_no_issued_files(cast, issued, client, move):
    service = {"reopen": services.agency_report_reopen, "return": services.agency_report_return}[move]
    report = service(actor=cast.users["ag_leader"], report=issued, reason="Bổ sung số liệu")
    _edit(cast, report)
    pdf, docx = f"/reports/agency/{report.pk}/pdf/", f"/reports/agency/{report.pk}/docx/"
    for user in ("ag_officer", "ag_head", "ag_leader"):
        client.force_login(cast.users[user])
        page = client.get(f"/reports/agency/{report.pk}/").content.decode()
        assert pdf not in page and docx not in page, user
        assert client.get(pdf).status_code == 404, user
        assert client.get(docx).status_code == 404, user
    # the number issued stays on the register, with the PDF issued under it (not the draft)
    line = RegisteredDocument.objects.get(issuer=cast.agencies["ag_stp"], number=1, symbol="BC-STP")
    with line.current_file.file.open("rb") as handle:
        assert EDITED not in pdf_text(handle.read())


def test_a_pdf_still_rendering_when_the_report_is_reopened_stores_nothing(cast, agency_reports, today,
                                                                          django_capture_on_commit_callbacks):
    give_qms(cast.agencies["ag_stp"], today=today)
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not run yet
        services.agency_report_submit(actor=cast.users["ag_head"], report=agency_reports["ag_stp"])
    report = AgencyReport.objects.get(pk=agency_reports["ag_stp"].pk)
    issued_revision = report.revision
    report = services.agency_report_reopen(actor=cast.users["ag_leader"], report=report, reason="Bổ sung")
    _edit(cast, report)
    # the worker now runs the render it was sent for the issue: the draft is not printed under the number
    agency_report_pdf_render(pk=report.pk, revision=issued_revision)
    report.refresh_from_db()
    assert report.pdf_file_id is None
    line = RegisteredDocument.objects.get(issuer=cast.agencies["ag_stp"], number=1, symbol="BC-STP")
    assert line.current_file_id is None


def test_submitted_again_it_is_a_new_issue_printing_what_was_edited(cast, issued, client,
                                                                    django_capture_on_commit_callbacks):
    report = services.agency_report_reopen(actor=cast.users["ag_leader"], report=issued, reason="Bổ sung")
    report = _edit(cast, report)
    with django_capture_on_commit_callbacks(execute=True):
        services.agency_report_submit(actor=cast.users["ag_head"], report=report)
    report.refresh_from_db()
    assert report.number == "02/BC-STP" and report.pdf_ready
    client.force_login(cast.users["ag_officer"])
    pdf = b"".join(client.get(f"/reports/agency/{report.pk}/pdf/").streaming_content)
    docx = b"".join(client.get(f"/reports/agency/{report.pk}/docx/").streaming_content)
    for text in (" ".join(pdf_text(pdf).split()), _docx_text(docx)):
        assert "02/BC-STP" in text and EDITED in text
