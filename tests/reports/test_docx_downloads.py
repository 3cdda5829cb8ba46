"""The consolidated report's editable DOCX as users download it (issue 17): made by the worker with its PDF and
XLSX and stored with them, opened by LibreOffice with the words and figures of the stored PDF. (The agency's report:
tests/reports/test_agency_report_document.py.)"""

import io

import pytest
from docx import Document

from reports.models import ConsolidatedReport

from .test_bad_input import VI, vi
from .test_consolidated import issued, submitted  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LABEL = "Download the Word file (.docx)"  # this folder's client reads English


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_worker_stores_the_consolidated_docx_with_the_pdf(cast, issued, client, api, libreoffice):  # noqa: F811
    """One task, one data cut-off: the DOCX says what the stored PDF says (number, figures, names)."""
    from tests.printing.office import pdf_words

    report = ConsolidatedReport.objects.select_related("pdf", "docx").get(pk=issued.pk)
    assert report.docx is not None and report.docx.original_name.endswith(".docx")
    url = f"/reports/consolidated/{report.pk}/download/docx/"
    client.force_login(cast.users["ag_ubnd"])
    page = client.get(f"/reports/consolidated/{report.pk}/").content.decode()
    assert f'href="{url}"' in page and LABEL in page and report.docx.sha256 in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    data = body(response)
    api_data = b"".join(api.as_user(cast.users["ag_leader"]).get(
        f"/api/v1/reports/{report.pk}/download/?format=docx").streaming_content)
    assert data == api_data  # byte for byte the stored file
    for user, status in (("cb_ubnd", 404), ("cb_leader", 404), ("ag_officer", 404), ("ministry", 200)):
        client.force_login(cast.users[user])
        assert client.get(url).status_code == status, user
    with report.pdf.file.open("rb") as handle:
        stored_pdf = handle.read()
    docx_words, pdf_words_ = pdf_words(libreoffice(data, "consolidated")), pdf_words(stored_pdf)

    def before_annex(words):
        return words[:next(i for i in range(len(words) - 1) if words[i:i + 2] == ["PHỤ", "LỤC"])]

    assert before_annex(docx_words) == before_annex(pdf_words_)  # the body: every word, number and figure
    text = " ".join(docx_words)
    for expected in (f"Số: {report.number}", "Sở Tư pháp", "Sở Nội vụ", "PHỤ LỤC I",
                     f"(Kèm theo Báo cáo số {report.number}"):
        assert expected in text, expected
    word = Document(io.BytesIO(data))
    assert word.sections[0].footer.paragraphs[0].text == f"Mã xác thực: {report.verification_code}"


def test_a_report_made_before_docx_existed_says_so(cast, issued, client, api):  # noqa: F811
    ConsolidatedReport.objects.filter(pk=issued.pk).update(docx=None)
    response = api.as_user(cast.users["ag_ubnd"]).get(f"/api/v1/reports/{issued.pk}/download/?format=docx")
    assert response.status_code == 409 and "DOCX" in response.json()["detail"]
    assert set(api.as_user(cast.users["ag_ubnd"]).get(f"/api/v1/reports/{issued.pk}/").json()["downloads"]) == {
        "pdf", "xlsx"}
    client.force_login(cast.users["ag_ubnd"])
    assert LABEL not in client.get(f"/reports/consolidated/{issued.pk}/").content.decode()
    refused = api.as_user(cast.users["ag_ubnd"]).get(f"/api/v1/reports/{issued.pk}/download/?format=doc", **VI)
    assert refused.status_code == 400
    assert refused.json() == {"format": [vi("Choose pdf, xlsx or docx.")]}


def test_every_numbered_report_has_its_register_line(cast, issued, agency_reports):  # noqa: F811
    """Issue 17: the agency's reports and the consolidated reports numbered here have their register line (those
    of the People's Committee and the Ministry are printed with a blank number: their own registers)."""
    from reports.models import AgencyReport
    from tests.documents.test_register_lines import unregistered

    numbered = {AgencyReport: ("agency_id", "issued_on"), ConsolidatedReport: ("issuer_id", "issued_on")}
    checked, missing = unregistered(numbered)
    assert missing == [] and checked == set(numbered)  # the agency reports and the provincial report
