"""Consolidated reports: requested with 202, compiled by the task, printed as a Decree 30 document, the XLSX
with the same numbers, immutable and verifiable, retry-safe."""

import hashlib
import io
import re
from contextlib import contextmanager
from datetime import date, timedelta
from html import escape
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook
from pypdf import PdfReader

from agencies.models import AgencyKind, DocumentSequence, ObligationLevel
from qms.models import Stage
from qms_portal.models import StoredFile
from reports import gathering, services
from reports.generation import STALE_AFTER, claim, report_generate
from reports.models import AgencyReport, AgencyReportStatus, ConsolidatedReport, ReportingPeriod
from reports.tasks import generate_report
from tests.factories import AgencyFactory, ObligationFactory

from .conftest import give_qms

pytestmark = pytest.mark.django_db


def _request(api, cast, period, *, user="ag_leader", kind="provincial", callbacks=None, **extra):
    response = api.as_user(cast.users[user]).post("/api/v1/reports/", {"kind": kind, "period": period.pk, **extra},
                                                  format="json")
    assert response.status_code == 202, response.content
    return response.json()


@pytest.fixture
def submitted(api, cast, agency_reports):
    """STP on time, SNV late; SKHCN and UBND missing."""
    for key in ("ag_stp", "ag_snv"):
        api.as_user(cast.users["admin"]).post(f"/api/v1/agency-reports/{agency_reports[key].pk}/submit/")
    late = agency_reports["ag_snv"].period.deadline + timedelta(days=2)
    AgencyReport.objects.filter(pk=agency_reports["ag_snv"].pk).update(
        first_submitted_at=timezone.make_aware(timezone.datetime.combine(late, timezone.datetime.min.time())))
    return agency_reports


@pytest.fixture
def issued(api, cast, reporting, qms_files, submitted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        body = _request(api, cast, reporting["ag"], narrative={"proposals": "Đề nghị UBND tỉnh chỉ đạo khắc phục."})
    return ConsolidatedReport.objects.get(pk=body["id"])


def _download(api, cast, report, fmt, user="ag_ubnd"):
    response = api.as_user(cast.users[user]).get(f"/api/v1/reports/{report.pk}/download/?format={fmt}")
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def _pdf_text(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [page.extract_text() for page in reader.pages]


def test_request_answers_202_and_the_status_shows_progress(api, cast, reporting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        body = _request(api, cast, reporting["ag"])
    assert set(body) == {"id", "status", "status_url", "created", "message"} and body["message"] == ""
    assert body["status"] == "queued" and body["created"] is True
    status = api.as_user(cast.users["ag_ubnd"]).get(body["status_url"]).json()
    assert (status["status"], status["progress"], status["downloads"]) == ("queued", 0, {})
    for callback in callbacks:
        callback()
    status = api.as_user(cast.users["ag_ubnd"]).get(body["status_url"]).json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["number"] == "01/BC-SKHCN"
    assert status["pdf_sha256"] and status["xlsx_sha256"] and status["cutoff_at"]
    assert status["requested_by"] == "ag_leader"
    assert set(status["downloads"]) == {"pdf", "xlsx", "docx"} and status["docx_sha256"]


def test_pdf_reads_as_an_official_report(api, cast, issued, today):
    data = _download(api, cast, issued, "pdf")
    reader, pages = _pdf_text(data)
    first = pages[0]
    for text in ("UBND TỈNH AN GIANG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "Số: 01/BC-SKHCN", "BÁO CÁO",
                 f"An Giang, ngày {today.day:02d} tháng", "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN"):
        assert text in first, text
    whole = "\n".join(pages)
    for text in ("II. KẾT QUẢ THỰC HIỆN", "III. KHÓ KHĂN, VƯỚNG MẮC", "IV. ĐỀ XUẤT, KIẾN NGHỊ",
                 "Đề nghị UBND tỉnh chỉ đạo khắc phục./.", "Nơi nhận:", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
                 "Lưu: VT, SKHCN.", f"Mã xác thực: {issued.verification_code}", "PHỤ LỤC I",
                 "(Kèm theo Báo cáo số 01/BC-SKHCN", "Sở Tư pháp", "Sở Nội vụ"):
        assert text in " ".join(whole.split()), text
    # The QR code of the verification link is printed on page 1 (an embedded image), the code on every page.
    assert any(obj.get_object()["/Subtype"] == "/Image"
               for obj in reader.pages[0]["/Resources"]["/XObject"].values())
    assert all(f"Mã xác thực: {issued.verification_code}" in text for text in pages)
    assert "/verify/" + issued.verification_code in first.replace("\n", "")
    # Page numbers: none on page 1, then "2", "3"... at the top.
    assert "1" not in first.splitlines()
    assert "2" in pages[1].splitlines() and "3" in pages[2].splitlines()
    # The annex is on landscape pages.
    last = reader.pages[-1].mediabox
    assert last.width > last.height
    # Every font is embedded (Liberation Serif, full Vietnamese glyphs).
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()
            if "/DescendantFonts" in descriptor:
                descriptor = descriptor["/DescendantFonts"][0].get_object()
            assert any(key in descriptor["/FontDescriptor"] for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            assert "+QMS-Serif" in descriptor["/BaseFont"]  # the bundled Liberation Serif, subset
    assert hashlib.sha256(data).hexdigest() == issued.pdf.sha256


def test_pdf_totals_match_completeness_and_the_xlsx(api, cast, issued, reporting):
    completeness = api.as_user(cast.users["ag_inspector"]).get(
        f"/api/v1/completeness/?period={reporting['ag'].pk}").json()["total"]
    assert (completeness["expected"], completeness["received"], completeness["on_time"], completeness["missing"]) \
        == (4, 2, 1, 2)
    text = " ".join("\n".join(_pdf_text(_download(api, cast, issued, "pdf"))[1]).split())
    assert "Số cơ quan, đơn vị phải gửi báo cáo: 4; đã nhận báo cáo của 2/4 đơn vị, đạt 50%" in text
    assert "đúng hạn 1/4 đơn vị, đạt 25%, trễ hạn 1 đơn vị; chưa gửi báo cáo 2 đơn vị" in text
    # STP and SKHCN have announced their QMS (qms_files): 2 of the 4 expected agencies.
    assert "Đã công bố HTQLCL: 2/4 đơn vị, đạt 50%" in text
    assert "Áp dụng cho toàn bộ TTHC: 1/4 đơn vị, đạt 25%" in text  # STP covers 2 of 3 procedures

    workbook = load_workbook(io.BytesIO(_download(api, cast, issued, "xlsx")), read_only=True)
    rows = list(workbook["Báo cáo định kỳ"].iter_rows(values_only=True))
    total = next(r for r in rows if r[0] == "Tổng cộng")
    assert total[1:8] == (completeness["expected"], completeness["received"], completeness["received_percent"],
                          completeness["on_time"], completeness["late"], completeness["missing"],
                          completeness["returned"])
    summary = list(workbook["Tổng hợp theo loại hình"].iter_rows(values_only=True))
    header = summary[1]
    total = next(r for r in summary if r[0] == "Tổng cộng")
    assert total[1] == 4
    assert total[header.index("Đã công bố HTQLCL")] == 2
    assert total[header.index("Áp dụng cho toàn bộ TTHC")] == 1
    annex = list(workbook["Phụ lục - Danh sách"].iter_rows(values_only=True))
    assert len(annex) == 1 + 4
    by_name = {r[1]: r for r in annex[1:]}
    assert by_name["Sở Tư pháp"][annex[0].index("Báo cáo định kỳ")] == "Đúng hạn"
    assert by_name["Sở Nội vụ"][annex[0].index("Báo cáo định kỳ")] == "Trễ hạn"
    assert by_name["Sở Khoa học và Công nghệ"][annex[0].index("Báo cáo định kỳ")] == "Chưa gửi"
    assert by_name["Sở Tư pháp"][annex[0].index("TTHC đã áp dụng")] == 2
    # The figures kept on the row (the report list and the verification page show them) are the printed ones.
    assert issued.summary == {
        "expected": completeness["expected"], "received": completeness["received"],
        "on_time": completeness["on_time"], "late": completeness["late"], "missing": completeness["missing"],
        "agencies": len(annex) - 1, "population": len(annex) - 1,
        "as_of": timezone.localdate(issued.cutoff_at).isoformat(),
        "indicators": {"announced": 2, "coverage_complete": 1, "report_on_time": completeness["on_time"],
                       "edition_2015": 2, "internal_audit": 2, "management_review": 2, "inspected": 0,
                       "legal_no_data": 4, "legal_on_time": 0, "legal_late": 0, "legal_overdue": 0,
                       "legal_pending": 0, "legal_none": 0, "legal_not_applicable": 0}}


def test_issued_report_is_immutable_and_regenerating_makes_a_new_version(api, cast, issued, reporting,
                                                                         django_capture_on_commit_callbacks):
    first_pdf, first_xlsx = _download(api, cast, issued, "pdf"), _download(api, cast, issued, "xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        body = _request(api, cast, reporting["ag"])
    second = ConsolidatedReport.objects.get(pk=body["id"])
    assert (second.version, second.number, second.status) == (2, "02/BC-SKHCN", "done")
    assert second.verification_code != issued.verification_code and second.pdf_id != issued.pdf_id
    # The first version is byte for byte what it was.
    assert _download(api, cast, issued, "pdf") == first_pdf
    assert _download(api, cast, issued, "xlsx") == first_xlsx
    issued.refresh_from_db()
    assert issued.number == "01/BC-SKHCN" and hashlib.sha256(first_pdf).hexdigest() == issued.pdf.sha256


def test_a_second_request_returns_the_running_one(api, cast, reporting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = _request(api, cast, reporting["ag"])
        second = _request(api, cast, reporting["ag"], user="admin")
    assert second["id"] == first["id"] and second["created"] is False
    assert len(callbacks) == 1
    assert ConsolidatedReport.objects.filter(period=reporting["ag"]).count() == 1
    # Another kind for the same period is another report.
    with django_capture_on_commit_callbacks(execute=False):
        other = _request(api, cast, reporting["ag"], kind="ministry")
    assert other["id"] != first["id"]


def test_download_of_a_failed_or_unfinished_report_is_refused(api, client, cast, reporting, qms_files,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        body = _request(api, cast, reporting["ag"])
    client = api.as_user(cast.users["ag_leader"])
    response = client.get(f"/api/v1/reports/{body['id']}/download/?format=pdf")
    assert response.status_code == 409 and "not ready" in response.json()["detail"]
    with mock.patch("reports.rendering.pdf.html_to_pdf", side_effect=ValueError("font missing")):
        for callback in callbacks:
            callback()
    report = ConsolidatedReport.objects.get(pk=body["id"])
    assert (report.status, report.error) == ("failed", gettext("The report could not be compiled: %(error)s") % {
        "error": gettext("An error inside the portal stopped it. The portal's administrators find the details in the "
                         "worker's log.")})  # not the exception's own text, which can name folders or settings
    assert report.number == "" and not DocumentSequence.objects.filter(last_number__gt=0).exists()
    response = client.get(f"/api/v1/reports/{body['id']}/download/?format=pdf")
    assert response.status_code == 409
    assert "failed" in response.json()["detail"] and report.error in response.json()["detail"]
    status = client.get(body["status_url"]).json()
    assert status["status"] == "failed" and status["error"] == report.error
    assert status["number"] is None  # not issued: null, as an agency report's (the model keeps it blank)
    client.force_login(cast.users["ag_leader"])
    page = client.get(f"/reports/consolidated/{body['id']}/")
    assert escape(report.error) in page.content.decode() and "font missing" not in page.content.decode()


def test_redelivered_task_does_nothing_twice(cast, reporting, qms_files, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report, _ = services.consolidated_report_request(actor=cast.users["ag_leader"], kind="provincial",
                                                         period=reporting["ag"])
    assert len(callbacks) == 1
    files_before = StoredFile.objects.count()
    assert generate_report.apply(args=[report.pk]).get() == "done"
    assert generate_report.apply(args=[report.pk]).get() == "skipped"  # the message delivered again
    report.refresh_from_db()
    assert report.number == "01/BC-SKHCN" and report.attempts == 1
    assert StoredFile.objects.count() == files_before + 3  # PDF, XLSX and DOCX, once
    assert DocumentSequence.objects.get(issuer=cast.agencies["ag_skhcn"]).last_number == 1


def test_a_live_worker_keeps_its_report_and_a_dead_one_loses_it(cast, reporting, qms_files,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        report, _ = services.consolidated_report_request(actor=cast.users["ag_leader"], kind="provincial",
                                                         period=reporting["ag"])
    token = claim(report.pk)
    assert token is not None
    assert report_generate(report_id=report.pk) == "skipped"  # running, heartbeat fresh: someone has it
    # The worker died: its heartbeat goes stale, and the redelivered task takes over.
    ConsolidatedReport.objects.filter(pk=report.pk).update(heartbeat_at=timezone.now() - STALE_AFTER * 2)
    stages = []

    @contextmanager
    def stage(name):  # what the benchmark times (bench.consolidated_reports)
        stages.append(name)
        yield

    assert report_generate(report_id=report.pk, stage=stage) == "done"
    report.refresh_from_db()
    assert report.attempts == 2 and report.number == "01/BC-SKHCN"
    assert stages == ["gather", "html", "pdf", "xlsx", "docx", "store"]


def test_stale_reports_are_requeued_by_the_sweeper(cast, reporting, qms_files, django_capture_on_commit_callbacks):
    from reports.tasks import requeue_stale

    with django_capture_on_commit_callbacks(execute=False):
        report, _ = services.consolidated_report_request(actor=cast.users["ag_leader"], kind="provincial",
                                                         period=reporting["ag"])
    ConsolidatedReport.objects.filter(pk=report.pk).update(status="running", heartbeat_at=timezone.now()
                                                           - STALE_AFTER * 2, started_at=timezone.now())
    assert requeue_stale.apply().get() == [report.pk]
    report.refresh_from_db()
    assert report.status == "done"


def test_transient_errors_are_retried_then_given_up(cast, reporting, qms_files, django_capture_on_commit_callbacks,
                                                    eager_retries):
    real = gathering.gather
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    with django_capture_on_commit_callbacks(execute=False):
        report, _ = services.consolidated_report_request(actor=cast.users["ag_leader"], kind="provincial",
                                                         period=reporting["ag"])
    with mock.patch("reports.gathering.gather", side_effect=flaky):
        generate_report.apply(args=[report.pk], throw=False)
    report.refresh_from_db()
    assert report.status == "done" and report.attempts == 2

    with django_capture_on_commit_callbacks(execute=False):
        report, _ = services.consolidated_report_request(actor=cast.users["ag_leader"], kind="ministry",
                                                         period=reporting["ag"])
    with mock.patch("reports.gathering.gather", side_effect=OperationalError("database is down")):
        generate_report.apply(args=[report.pk], throw=False)
    report.refresh_from_db()
    assert report.status == "failed" and "database is down" not in report.error
    assert gettext("The database or the task queue could not be reached. Try again in a few minutes.") in report.error
    assert report.attempts == 6  # the first try and five retries


def test_verification_page_shows_four_facts_and_nothing_else(client, cast, issued):
    response = client.get(f"/verify/{issued.verification_code}/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("01/BC-SKHCN", "Sở Khoa học và Công nghệ", issued.pdf.sha256):
        assert text in page
    assert issued.issued_on.strftime("%d/%m/%Y") in page
    # the date the figures are as of, the same one the PDF and the XLSX state (issue 13)
    as_of = f'data-testid="as-of">{date.fromisoformat(issued.summary["as_of"]):%d/%m/%Y}<'
    assert as_of in page
    reader = client.__class__()
    reader.force_login(cast.users["ag_leader"])
    assert as_of in reader.get(f"/reports/consolidated/{issued.pk}/").content.decode()  # the same date
    assert "Sở Tư pháp" not in page and "Sở Nội vụ" not in page  # nothing of the content
    assert client.get(f"/verify/{issued.verification_code.lower()}/").status_code == 200

    # the register line of 01/BC-SKHCN links the issued PDF; until the signed version is uploaded it is a draft
    from agencies.models import RegisteredDocument

    line = RegisteredDocument.objects.get(issuer=issued.issuer, year=issued.issued_on.year, number=1,
                                          symbol="BC-SKHCN")
    assert line.current_file_id == issued.pdf_id and line.title.startswith("Báo cáo ") and line.recipients
    assert 'data-testid="signed-version"' in page and "signed-sha256" not in page


@pytest.mark.parametrize(("user", "linked"), [(None, False), ("ag_ubnd", True), ("ag_leader", True),
                                               ("cb_leader", False), ("ag_officer", False)])
def test_verification_page_links_the_stored_pdf_for_readers_only(client, cast, issued, user, linked):
    if user:
        client.force_login(cast.users[user])
    page = client.get(f"/verify/{issued.verification_code}/").content.decode()
    link = f"/reports/consolidated/{issued.pk}/download/pdf/"
    assert (link in page) is linked
    if linked:
        assert client.get(link).status_code == 200


def test_a_session_still_owing_its_second_factor_is_shown_no_link(client, cast, issued):
    """The verification page is open to a session that has given only the password (it is public): it is treated as
    a visitor's, not told whether the report is in its scope."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=cast.users["ag_leader"], name="phone", confirmed=True)
    client.post("/accounts/login/", {"username": "ag_leader", "password": "correct-horse-battery"})
    page = client.get(f"/verify/{issued.verification_code}/").content.decode()
    assert issued.verification_code in page and "/download/pdf/" not in page


def test_unknown_verification_code_is_404_without_a_hint(client, cast, issued, reporting):
    unknown = client.get("/verify/ZZZZZZZZZZ/")
    other = "Y" if issued.verification_code.endswith("Z") else "Z"  # a code one character off, never the real one
    near_code = issued.verification_code[:-1] + other
    near = client.get(f"/verify/{near_code}/")
    assert unknown.status_code == near.status_code == 404

    def without_token(page: bytes) -> bytes:  # the 404 page's forms carry a CSRF token masked anew each time
        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", page)

    assert without_token(unknown.content).replace(b"ZZZZZZZZZZ", b"") == without_token(near.content).replace(
        near_code.encode(), b"")
    failed = ConsolidatedReport.objects.create(kind="ministry", province=reporting["ag"].province,
                                               period=reporting["ag"], year=reporting["ag"].year,
                                               scope_key="x", status="failed", verification_code="FAILEDCODE2")
    assert client.get(f"/verify/{failed.verification_code}/").status_code == 404


def test_gathering_costs_a_constant_number_of_queries(cast, reporting, qms_files, today):
    report = ConsolidatedReport(kind="provincial", province=reporting["ag"].province, period=reporting["ag"],
                                year=reporting["ag"].year, period_kind="annual")
    with CaptureQueriesContext(connection) as few:
        small = gathering.gather(report)
    for n in range(20):
        agency = AgencyFactory(name=f"Xã {n}", kind=AgencyKind.COMMUNE_PEOPLES_COMMITTEE, province=report.province)
        ObligationFactory(agency=agency, year=today.year)
        give_qms(agency, today=today, stage=Stage.ANNOUNCED if n % 2 else Stage.BUILDING)
    with CaptureQueriesContext(connection) as many:
        big = gathering.gather(report)
    assert (len(small.rows), len(big.rows)) == (4, 24)
    assert len(many) == len(few)


def test_spreadsheet_formulas_are_written_as_text(api, cast, reporting, today, django_capture_on_commit_callbacks):
    evil = AgencyFactory(name='=HYPERLINK("http://evil.example","Bấm vào đây")', province=cast.provinces["ag"],
                         kind=AgencyKind.DEPARTMENT)
    ObligationFactory(agency=evil, year=today.year, level=ObligationLevel.MANDATORY)
    with django_capture_on_commit_callbacks(execute=True):
        body = _request(api, cast, reporting["ag"])
    report = ConsolidatedReport.objects.get(pk=body["id"])
    workbook = load_workbook(io.BytesIO(_download(api, cast, report, "xlsx")))
    names = [row[1] for row in workbook["Phụ lục - Danh sách"].iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"http://evil.example\",\"Bấm vào đây\")" in names
    assert not any(isinstance(n, str) and n.startswith("=") for n in names)


@pytest.fixture
def inspected(cast):
    """The inspections world of the audits tests (2026): STP and SNV inspected on site, one open finding each."""
    from tests.audits.conftest import build_world

    world = build_world(cast)
    period = ReportingPeriod.objects.create(province=cast.provinces["ag"], year=2026, kind="annual",
                                            window_start=date(2025, 12, 15), window_end=date(2026, 12, 14),
                                            deadline=date(2026, 12, 20))
    return world, period


def test_inspection_summary_and_annex_carry_the_findings(api, cast, inspected, django_capture_on_commit_callbacks):
    world, period = inspected
    with django_capture_on_commit_callbacks(execute=True):
        body = _request(api, cast, period, user="ag_inspector", kind="inspection_summary")
    report = ConsolidatedReport.objects.get(pk=body["id"])
    assert report.status == "done", report.error
    assert report.issuer == cast.agencies["ag_cctdc"] and report.number == "01/BC-CCTDC"
    text = " ".join("\n".join(_pdf_text(_download(api, cast, report, "pdf"))[1]).split())
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in text and "CHI CỤC TIÊU CHUẨN ĐO LƯỜNG CHẤT LƯỢNG" in text
    # agencies and inspections are two figures (issue 13: an agency inspected twice is one inspected agency)
    assert "4 cơ quan, đơn vị được đưa vào kiểm tra với 4 cuộc kiểm tra (qua hồ sơ: 2; trực tiếp: 2)" in text
    assert "đã ký 2 biên bản kiểm tra" in text
    assert "Tổng số vấn đề tồn tại đã chỉ ra: 2" in text
    assert "KT. CHI CỤC TRƯỞNG" in text
    with django_capture_on_commit_callbacks(execute=True):
        body = _request(api, cast, period, user="ag_leader")
    workbook = load_workbook(io.BytesIO(_download(api, cast, ConsolidatedReport.objects.get(pk=body["id"]), "xlsx")))
    annex = list(workbook["Phụ lục - Danh sách"].iter_rows(values_only=True))
    stp = next(r for r in annex if r[1] == "Sở Tư pháp")
    assert stp[annex[0].index("Hình thức kiểm tra")] == "Trực tiếp tại cơ quan"  # the page's label (one vocabulary)
    assert stp[annex[0].index("Ngày BBKT")] == "10/03/2026"
    assert stp[annex[0].index("Tồn tại chưa khắc phục")] == 1
    assert stp[annex[0].index("Tình trạng khắc phục")] in ("Đang khắc phục", "Quá hạn")


def test_ministry_report_and_national_rollup(api, cast, reporting, qms_files, today,
                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ministry = _request(api, cast, reporting["ag"], kind="ministry")
        national = api.as_user(cast.users["admin"]).post("/api/v1/reports/", {"kind": "national",
                                                                              "year": today.year}, format="json")
    assert national.status_code == 202
    ministry = ConsolidatedReport.objects.get(pk=ministry["id"])
    text = " ".join("\n".join(_pdf_text(_download(api, cast, ministry, "pdf"))[1]).split())
    assert "Bộ Khoa học và Công nghệ;" in text and "Tình hình áp dụng, duy trì và cải tiến" in text
    rollup = ConsolidatedReport.objects.get(pk=national.json()["id"])
    assert rollup.status == "done" and rollup.number == "" and rollup.province is None
    assert api.as_user(cast.users["ministry"]).get(f"/api/v1/reports/{rollup.pk}/").json()["number"] is None
    data = _download(api, cast, rollup, "pdf", user="ministry")
    text = " ".join("\n".join(_pdf_text(data)[1]).split())
    assert "BỘ KHOA HỌC VÀ CÔNG NGHỆ" in text and "Theo tỉnh, thành phố" in text
    assert "An Giang" in text and "Cao Bằng" in text
    workbook = load_workbook(io.BytesIO(_download(api, cast, rollup, "xlsx", user="ministry")), read_only=True)
    provinces = [r[0] for r in workbook["Theo tỉnh, thành phố"].iter_rows(min_row=3, values_only=True)]
    assert provinces == ["An Giang", "Cao Bằng", "Tổng cộng"]
    annex_rows = list(workbook["Phụ lục - Danh sách"].iter_rows(min_row=2, values_only=True))
    assert len(annex_rows) == 8


def test_six_month_period_cannot_go_to_the_ministry(api, cast, reporting, today):
    six = ReportingPeriod.objects.create(province=cast.provinces["ag"], year=today.year, kind="six_month",
                                         window_start=date(today.year - 1, 12, 15), window_end=today,
                                         deadline=today)
    response = api.as_user(cast.users["ag_leader"]).post("/api/v1/reports/", {"kind": "ministry", "period": six.pk},
                                                         format="json")
    assert response.status_code == 400 and "annual" in str(response.json())


def test_the_agency_report_status_shows_in_the_annex(cast, reporting, submitted):
    AgencyReport.objects.filter(pk=submitted["ag_stp"].pk).update(status=AgencyReportStatus.RETURNED)
    report = ConsolidatedReport(kind="provincial", province=reporting["ag"].province, period=reporting["ag"],
                                year=reporting["ag"].year, period_kind="annual")
    data = gathering.gather(report)
    by_name = {row.name: row.report for row in data.rows}
    assert by_name == {"Sở Tư pháp": "on_time", "Sở Nội vụ": "late", "Sở Khoa học và Công nghệ": "missing",
                       "Ủy ban nhân dân tỉnh An Giang": "missing"}
    assert data.completeness_total.returned == 1
    assert re.match(r"^\d+$", str(data.total.total))


def test_rule_flags_agree_with_the_compliance_rules(cast, reporting, today):
    """The report counts the same verdicts as the compliance page (qms.rules.evaluate)."""
    from agencies.models import Agency
    from qms.models import Edition, QmsRecord
    from qms.rules import evaluate, with_compliance_facts

    give_qms(cast.agencies["ag_stp"], today=today, covered=2, total=3)
    give_qms(cast.agencies["ag_skhcn"], today=today, stage=Stage.REANNOUNCEMENT_DUE)
    old = give_qms(cast.agencies["ag_snv"], today=today, stage=Stage.ANNOUNCED)
    QmsRecord.objects.filter(pk=old.pk).update(edition=Edition.ISO_2008)  # announced under the other edition
    QmsRecord.objects.create(agency=cast.agencies["ag_ubnd"], stage=Stage.BUILDING)
    report = ConsolidatedReport(kind="provincial", province=reporting["ag"].province, period=reporting["ag"],
                                year=reporting["ag"].year, period_kind="annual")
    fast = {a.pk: gathering.rule_flags(a) for a in gathering.annex_queryset(
        agencies=Agency.objects.filter(province=report.province), year=report.year, period_kind="annual",
        period_id=report.period_id, as_of=today)}
    for agency in with_compliance_facts(Agency.objects.filter(province=report.province), today=today):
        slow = {r.code: r.met for r in evaluate(agency, today=today)}
        assert fast[agency.pk] == {code: slow[code] for code in fast[agency.pk]}, agency.name
    assert len({tuple(flags.values()) for flags in fast.values()}) >= 3  # the cases differ


@pytest.fixture
def many_agencies(cast, reporting, qms_files, today):
    for n in range(12):
        agency = AgencyFactory(name=f"Ủy ban nhân dân xã Thử {n:02d}", kind=AgencyKind.COMMUNE_PEOPLES_COMMITTEE,
                               province=cast.provinces["ag"])
        ObligationFactory(agency=agency, year=today.year)
    return reporting


def _annex_numbers(pages: list[str]) -> list[int]:
    numbers = []
    for text in pages:
        numbers += [int(m.group(1)) for m in re.finditer(r"^(\d+) Ủy ban nhân dân xã Thử", text, re.M)]
    return numbers


def test_the_annex_reads_as_one_table_after_the_body(api, cast, many_agencies, django_capture_on_commit_callbacks):
    """The annex drawn by reports.rendering.table_pages follows the WeasyPrint body: every agency once, in order,
    page numbers continuing, landscape pages, each font of the document embedded once."""
    with django_capture_on_commit_callbacks(execute=True):
        body = _request(api, cast, many_agencies["ag"])
    report = ConsolidatedReport.objects.get(pk=body["id"])
    assert report.status == "done", report.error
    reader, pages = _pdf_text(_download(api, cast, report, "pdf"))
    numbers = _annex_numbers(pages)
    assert numbers == sorted(numbers) and len(numbers) == len(set(numbers)) == 12
    for index, text in enumerate(pages[1:], start=2):
        assert str(index) in text.splitlines(), index
    assert " ".join(pages).count("PHỤ LỤC I") == 1
    assert reader.pages[0].mediabox.width < reader.pages[0].mediabox.height
    assert reader.pages[-1].mediabox.width > reader.pages[-1].mediabox.height
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts[font.idnum] = font.get_object()["/BaseFont"]
    assert all("+QMS-Serif" in name for name in fonts.values())
    assert len(fonts) == len({name.split("+")[1] for name in fonts.values()}) == 4  # one font per face


# Counted on 2026-12-04: a change that adds one (a relation read lazily, a query in a loop) shows here.
QUERIES_TO_COMPILE = 24


def test_compiling_a_report_costs_a_fixed_number_of_queries(cast, reporting, qms_files, today,
                                                            django_capture_on_commit_callbacks):
    """The whole compilation (claim, gathering, number, files, register, row): the same queries for 4 agencies as
    for 24, and the report row is read once with everything it prints (its province, period, issuer, requester)."""

    def compile_one(kind):
        with django_capture_on_commit_callbacks(execute=False):
            report, _ = services.consolidated_report_request(actor=cast.users["ag_leader"], kind=kind,
                                                             period=reporting["ag"])
        with CaptureQueriesContext(connection) as queries:
            assert report_generate(report_id=report.pk) == "done"
        return len(queries)

    compile_one("provincial")  # the year's first number creates its sequence; Django caches content types
    few = compile_one("provincial")
    for n in range(20):
        agency = AgencyFactory(name=f"Xã {n}", kind=AgencyKind.COMMUNE_PEOPLES_COMMITTEE, province=cast.provinces["ag"])
        ObligationFactory(agency=agency, year=today.year)
        give_qms(agency, today=today, stage=Stage.ANNOUNCED if n % 2 else Stage.BUILDING)
    assert compile_one("provincial") == few == QUERIES_TO_COMPILE


def test_the_three_files_carry_the_reports_number_names_and_requester(api, cast, issued):
    """The PDF, the XLSX and the DOCX of one report: named after it, stored as uploaded by who asked for it, and
    the workbook's information sheet and the DOCX read the number, subject, issuer, date and code the PDF prints
    (issue 19, from the report_generation survivors)."""
    from docx import Document

    files = {"pdf": issued.pdf, "xlsx": issued.xlsx, "docx": issued.docx}
    stem = f"bao-cao-provincial-{issued.year}-v1-{issued.pk}"
    assert {fmt: (f.original_name, f.uploaded_by) for fmt, f in files.items()} == {
        fmt: (f"{stem}.{fmt}", cast.users["ag_leader"]) for fmt in files}
    pdf_text = " ".join("\n".join(_pdf_text(_download(api, cast, issued, "pdf"))[1]).split())
    workbook = load_workbook(io.BytesIO(_download(api, cast, issued, "xlsx")), read_only=True)
    info = dict(workbook["Thông tin"].iter_rows(values_only=True))
    assert (info["Báo cáo số"], info["Mã xác thực"]) == (issued.number, issued.verification_code)
    assert info["Số liệu tính đến"] == timezone.localdate(issued.cutoff_at).strftime("%d/%m/%Y")
    for key in ("Trích yếu", "Cơ quan ban hành", "Ngày"):
        assert info[key] and " ".join(info[key].split()) in pdf_text, (key, info[key])
    word = Document(io.BytesIO(_download(api, cast, issued, "docx")))
    docx_text = " ".join(" ".join(p.text for p in word.paragraphs).split() + [
        cell.text for table in word.tables for row in table.rows for cell in row.cells])
    assert f"Số: {issued.number}" in docx_text and f"Số: {issued.number}" in pdf_text


def test_an_issued_report_is_on_its_register_line_and_in_the_audit_trail(cast, issued):
    """Compiling ends with the number's register line describing the report and pointing at its PDF, the row done
    with its files and cut-off, and one audit event naming the number and the PDF's hash."""
    from agencies.models import RegisteredDocument
    from qms_portal.models import AuditEvent

    line = RegisteredDocument.objects.get(issuer=cast.agencies["ag_skhcn"], year=issued.issued_on.year, number=1,
                                          symbol="BC-SKHCN")
    assert (line.current_file_id, line.issued_on) == (issued.pdf_id, issued.issued_on)
    assert line.title.startswith("Báo cáo") and line.signer_name
    assert (issued.status, issued.progress, issued.number, issued.error) == ("done", 100, "01/BC-SKHCN", "")
    assert issued.issued_on == timezone.localdate(issued.cutoff_at) and issued.finished_at >= issued.cutoff_at
    events = AuditEvent.objects.filter(object_type="reports.consolidatedreport", object_id=str(issued.pk),
                                       action="issued")
    assert [(e.user, e.summary) for e in events] == [
        (cast.users["ag_leader"], f"01/BC-SKHCN · sha256 {issued.pdf.sha256[:16]}")]
