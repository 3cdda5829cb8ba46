"""An agency report's number and date of issue say the same on its page, in the API (list and detail) and in its
printed PDF: given while the report is the document the agency issued (`AgencyReport.is_issued`), none while it is
back with the agency (returned or reopened: a draft again, whose number stays on the register alone), and the new
number once it is submitted again."""

import re
from datetime import date

import pytest

from reports import services
from reports.models import AgencyReport
from tests.documents.test_proof import DATE_LINE, first_page_lines, pdf_text

from .conftest import give_qms

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(cast, agency_reports, today, django_capture_on_commit_callbacks):
    give_qms(cast.agencies["ag_stp"], today=today)
    with django_capture_on_commit_callbacks(execute=True):  # the worker prints it
        services.agency_report_submit(actor=cast.users["ag_head"], report=agency_reports["ag_stp"])
    return AgencyReport.objects.get(pk=agency_reports["ag_stp"].pk)


def _printed(client, report) -> tuple[str, date]:
    """The number and the date printed on the report's PDF, as the agency downloads it."""
    response = client.get(f"/reports/agency/{report.pk}/pdf/")
    assert response.status_code == 200
    head = first_page_lines(pdf_text(b"".join(response.streaming_content)))
    [number] = [line.removeprefix("Số:").strip() for line in head if line.startswith("Số:")]
    [dated] = [DATE_LINE.match(line) for line in head if DATE_LINE.match(line)]
    day, month, year = (int(dated[i]) for i in (2, 3, 4))
    return number, date(year, month, day)


def _api(api, user, report) -> list[dict]:
    """The report as the API's detail and list give it."""
    client = api.as_user(user)
    detail = client.get(f"/api/v1/agency-reports/{report.pk}/").json()
    [row] = [r for r in client.get("/api/v1/agency-reports/", {"period": report.period_id}).json()["results"]
             if r["id"] == report.pk]
    return [detail, row]


def _page(client, report) -> str:
    return client.get(f"/reports/agency/{report.pk}/").content.decode()


def test_an_issued_report_gives_the_number_and_date_of_its_pdf(api, cast, issued, client):
    client.force_login(cast.users["ag_officer"])
    number, issued_on = _printed(client, issued)
    assert (number, issued_on) == ("01/BC-STP", issued.issued_on)
    for user in ("ag_officer", "ag_head", "ag_inspector", "ag_leader"):
        for body in _api(api, cast.users[user], issued):
            assert (body["number"], body["issued_on"]) == (number, issued_on.isoformat()), user
        client.force_login(cast.users[user])
        page = _page(client, issued)
        shown = re.search(r'data-testid="issue">([^<]*)<', page)
        assert shown and number in shown[1] and issued_on.strftime("%d/%m/%Y") in shown[1], user


@pytest.mark.parametrize("move", ["return", "reopen", "reopen_accepted"])
def test_a_report_back_with_the_agency_gives_no_number_until_issued_again(api, cast, issued, client, move,
                                                                          django_capture_on_commit_callbacks):
    leader = api.as_user(cast.users["ag_leader"])
    if move == "reopen_accepted":
        assert leader.post(f"/api/v1/agency-reports/{issued.pk}/accept/").status_code == 200
        move = "reopen"
    answer = leader.post(f"/api/v1/agency-reports/{issued.pk}/{move}/", {"reason": "Bổ sung số liệu"},
                         format="json")
    assert answer.status_code == 200
    # the action's own answer, the detail and the list: a draft again, printed under no number
    for body in [answer.json(), *_api(api, cast.users["ag_officer"], issued), *_api(api, cast.users["ag_leader"],
                                                                                     issued)]:
        assert (body["number"], body["issued_on"]) == (None, None), body["status"]
    client.force_login(cast.users["ag_officer"])
    page = _page(client, issued)
    assert 'data-testid="issue"' not in page and "01/BC-STP" not in page
    assert client.get(f"/reports/agency/{issued.pk}/pdf/").status_code == 404
    # submitted again: the new issue's number and date, as its new PDF prints them
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.as_user(cast.users["ag_head"]).post(f"/api/v1/agency-reports/{issued.pk}/submit/", {},
                                                         format="json")
    assert answer.status_code == 200
    number, issued_on = _printed(client, issued)
    assert number == "02/BC-STP"
    for body in [answer.json(), *_api(api, cast.users["ag_officer"], issued)]:
        assert (body["number"], body["issued_on"]) == (number, issued_on.isoformat())
    assert number in _page(client, issued)


def test_a_draft_never_submitted_has_no_number(api, cast, agency_reports):
    for body in _api(api, cast.users["ag_officer"], agency_reports["ag_stp"]):
        assert (body["number"], body["issued_on"], body["signer_name"]) == (None, None, None)


def test_who_signed_the_issued_report_is_the_name_under_its_signature(api, cast, issued, client):
    from tests.documents.test_proof import lines_of

    client.force_login(cast.users["ag_officer"])
    printed = lines_of(pdf_text(b"".join(client.get(f"/reports/agency/{issued.pk}/pdf/").streaming_content)))
    head = cast.users["ag_head"]
    name = f"{head.last_name} {head.first_name}".strip() or head.username
    assert name in printed[-8:]  # under the signing capacity, at the end of the document
    for body in _api(api, cast.users["ag_leader"], issued):
        assert body["signer_name"] == name
        assert (body["submitted_by"], body["reviewed_by"]) == (head.username, None)
    answer = api.as_user(cast.users["ag_inspector"]).post(f"/api/v1/agency-reports/{issued.pk}/return/",
                                                         {"reason": "Bổ sung"}, format="json").json()
    assert (answer["signer_name"], answer["reviewed_by"]) == (None, cast.users["ag_inspector"].username)


def test_the_schema_gives_the_number_and_date_as_nullable_read_only_fields():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    properties = schema["components"]["schemas"]["AgencyReport"]["properties"]
    assert properties["number"]["type"] == "string" and properties["number"]["nullable"]
    assert properties["issued_on"]["format"] == "date" and properties["issued_on"]["nullable"]
    assert properties["number"]["readOnly"] and properties["issued_on"]["readOnly"]


def test_the_word_file_of_an_issued_report_names_the_agency_as_its_pdf_after_a_rename(cast, issued, client):
    """The PDF was printed when the report was issued; the Word file is made on each download. After the agency
    was renamed (or merged into a new name) both still name it as it was when it issued the report."""
    import io

    from docx import Document

    from agencies.services import agency_update

    new_name = "Sở Tư pháp và Hộ tịch tỉnh An Giang"
    agency_update(actor=cast.users["admin"], agency=cast.agencies["ag_stp"], data={"name": new_name},
                  reason="Đổi tên theo quyết định của UBND tỉnh")
    client.force_login(cast.users["ag_officer"])
    pdf = " ".join(pdf_text(b"".join(client.get(f"/reports/agency/{issued.pk}/pdf/").streaming_content)).split())
    docx = Document(io.BytesIO(b"".join(client.get(f"/reports/agency/{issued.pk}/docx/").streaming_content)))
    word = " ".join(" ".join(p.text for p in docx.paragraphs).split() + [
        cell.text for table in docx.tables for row in table.rows for cell in row.cells])
    for name, text in (("pdf", pdf), ("docx", word)):
        assert new_name not in text, name
        assert "Sở Tư pháp báo cáo kết quả áp dụng" in text, name
        assert "SỞ TƯ PHÁP" in text and new_name.upper() not in text, name  # the issuing body in the header


def test_a_report_whose_number_the_agency_withdrew_is_withdrawn_on_its_page_and_in_the_api(api, cast, issued,
                                                                                          client):
    """The agency keeps its register: once it withdraws the report's number, the register says the document is no
    longer valid, and so do the report's page and the API (list and detail)."""
    from django.utils import timezone

    from agencies.models import RegisteredDocument
    from agencies.register import register_withdraw

    for body in _api(api, cast.users["ag_leader"], issued):
        assert (body["withdrawn"], body["withdrawn_on"], body["withdrawn_reason"]) == (False, None, "")
    line = RegisteredDocument.objects.get(issuer=cast.agencies["ag_stp"], number=1, symbol="BC-STP")
    register_withdraw(actor=cast.users["ag_head"], entry=line, reason="Ban hành nhầm kỳ báo cáo")
    today = timezone.localdate().isoformat()
    for user in ("ag_officer", "ag_leader"):
        for body in _api(api, cast.users[user], issued):
            assert (body["withdrawn"], body["withdrawn_on"], body["withdrawn_reason"]) == (
                True, today, "Ban hành nhầm kỳ báo cáo"), user
        client.force_login(cast.users[user])
        page = _page(client, issued)
        assert 'data-testid="withdrawn"' in page and "Ban hành nhầm kỳ báo cáo" in page, user


def test_the_signed_version_is_on_the_report_page_as_on_a_consolidated_report(cast, issued, client):
    """Once the agency stores the signed PDF on the report's register line, the report's page says who signed it and
    gives that PDF (the portal's own PDF is the unsigned draft it was signed from); before, it says none is stored."""
    from datetime import datetime

    from django.utils import timezone

    from agencies.models import RegisteredDocument
    from qms_portal.files import stored_bytes_create

    client.force_login(cast.users["ag_officer"])
    page = _page(client, issued)
    assert "Not yet uploaded: the PDF above is the draft." in page and 'data-testid="signed-download"' not in page
    line = RegisteredDocument.objects.get(issuer=cast.agencies["ag_stp"], number=1, symbol="BC-STP")
    line.signed_file = stored_bytes_create(content=b"%PDF-1.7\n% signed by the head\n", name="signed.pdf",
                                           kind="pdf")
    line.signature_signer = "Lê Văn Hùng"
    line.signature_signed_at = timezone.make_aware(datetime(2026, 12, 2, 8, 15))
    line.status = "issued"
    line.save()
    for user in ("ag_officer", "ag_leader"):
        client.force_login(cast.users[user])
        page = _page(client, issued)
        assert "Signed by Lê Văn Hùng at 02/12/2026 08:15" in page, user
        assert f'href="/register/{line.pk}/signed/" data-testid="signed-download"' in page, user
        download = client.get(f"/register/{line.pk}/signed/")
        assert b"".join(download.streaming_content) == b"%PDF-1.7\n% signed by the head\n", user


def test_the_api_gives_the_same_files_as_the_page(api, cast, issued, client):
    """An integrator reads the issued report's PDF and Word file with a token, byte for byte the page's PDF; while
    the report is back with the agency, neither (404)."""
    client.force_login(cast.users["ag_inspector"])
    page_pdf = b"".join(client.get(f"/reports/agency/{issued.pk}/pdf/").streaming_content)
    reader = api.as_user(cast.users["ag_inspector"])
    response = reader.get(f"/api/v1/agency-reports/{issued.pk}/pdf/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == page_pdf
    docx = reader.get(f"/api/v1/agency-reports/{issued.pk}/docx/")
    assert docx.status_code == 200 and b"".join(docx.streaming_content)[:2] == b"PK"
    services.agency_report_return(actor=cast.users["ag_inspector"], report=issued, reason="Thiếu số liệu kinh phí")
    for name in ("pdf", "docx"):
        assert reader.get(f"/api/v1/agency-reports/{issued.pk}/{name}/").status_code == 404
