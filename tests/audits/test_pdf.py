"""The three official PDFs: their Vietnamese text (read back with pypdf), and the Celery path that makes them."""

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from audits import services
from audits.documents import render_document, render_docx
from audits.models import InspectionRecord, PdfStatus
from tests.audits.conftest import SIGNED_ON, read_pdf_text, respond

pytestmark = pytest.mark.django_db


def test_inspection_record_reads_right_in_vietnamese(world):
    record = InspectionRecord.objects.get(inspection=world.inspections["ag_stp"])
    data, name = render_document(record)
    assert data.startswith(b"%PDF-") and name.endswith(".pdf")
    text = read_pdf_text(data)
    for expected in [
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "CHI CỤC TIÊU CHUẨN ĐO LƯỜNG CHẤT LƯỢNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Số: 01/BB-CCTDC", "An Giang, ngày 10 tháng 3 năm 2026", "BIÊN BẢN",
        "tại Sở Tư pháp", "Thực hiện Quyết định số 01/QĐ-CCTDC ngày 02/03/2026",
        "Hôm nay, ngày 10 tháng 3 năm 2026", "Ông (bà) Lê Minh Tuấn, Phó Chi cục trưởng - Trưởng đoàn",
        "Ông (bà) Nguyễn Văn An, Chuyên viên - Thư ký", "Trần Văn Hùng, Giám đốc - Đại diện cơ quan",
        "Đối chiếu với yêu cầu của Tiêu chuẩn quốc gia TCVN ISO 9001",
        "Đối chiếu với yêu cầu của Quyết định số 19/2014/QĐ-TTg",
        "Phạm vi áp dụng Hệ thống quản lý chất lượng bao quát toàn bộ các thủ tục hành chính",
        "Đạt một phần", "Chưa xem xét của lãnh đạo.",
        "Chưa tổ chức xem xét của lãnh đạo trong năm 2026.", "Điểm không phù hợp", "Mục 5; điều khoản 9.3",
        "10/05/2026", "chậm nhất ngày 10/05/2026",
        "Nơi nhận:", "- Sở Tư pháp;", "- Lưu: VT, CCTDC.", "TRƯỞNG ĐOÀN KIỂM TRA",
        "ĐẠI DIỆN CƠ QUAN ĐƯỢC KIỂM TRA",
    ]:
        assert expected in text, expected
    assert text.count("Đạt") >= 13


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join([p.text for p in document.paragraphs] + cells)


def test_a_signed_record_prints_the_due_dates_it_was_signed_with(world):
    """A due date moved after signing (an extension with its reason, a new date with a response not accepted) is
    the finding's; the record, PDF and DOCX, stays what was signed (it printed the new date when made again)."""
    record = InspectionRecord.objects.get(inspection=world.inspections["ag_stp"])
    finding, inspector = world.findings["ag_stp"], world.cast.users["ag_inspector"]
    services.finding_update(actor=inspector, finding=finding, data={"due_on": date(2026, 6, 30)},
                            reason="Gia hạn theo đề nghị của cơ quan", today=SIGNED_ON + timedelta(days=30))
    respond(world, "ag_stp")
    services.finding_reject(actor=inspector, finding=finding.__class__.objects.get(pk=finding.pk),
                            reason="Chưa đủ minh chứng", new_due_on=date(2026, 7, 31), today=date(2026, 6, 1))
    finding.refresh_from_db()
    assert finding.due_on == date(2026, 7, 31)
    for text in (read_pdf_text(render_document(record)[0]), _docx_text(render_docx(record)[0])):
        assert "10/05/2026" in text and "chậm nhất ngày 10/05/2026" in text
        assert "30/06/2026" not in text and "31/07/2026" not in text


def test_a_letter_prints_the_due_date_it_was_issued_with(world):
    """A response not accepted without a new date: the letter asks for the corrective action by the due date in
    force that day. A due date extended afterwards is the finding's; the letter, PDF and DOCX made again, stays
    what was issued (it printed the extension as if the letter had said it)."""
    from audits.models import RejectionLetter

    finding, inspector = world.findings["ag_stp"], world.cast.users["ag_inspector"]
    respond(world, "ag_stp")
    services.finding_reject(actor=inspector, finding=finding.__class__.objects.get(pk=finding.pk),
                            reason="Chưa đủ minh chứng", today=date(2026, 4, 20))
    letter = RejectionLetter.objects.get(finding=finding)
    services.finding_update(actor=inspector, finding=finding.__class__.objects.get(pk=finding.pk),
                            data={"due_on": date(2026, 6, 30)}, reason="Gia hạn theo đề nghị của cơ quan",
                            today=date(2026, 5, 2))
    finding.refresh_from_db()
    assert finding.due_on == date(2026, 6, 30)
    for text in (read_pdf_text(render_document(letter)[0]), _docx_text(render_docx(letter)[0])):
        flat = " ".join(text.split())
        assert "trước ngày 10/05/2026" in flat and "30/06/2026" not in flat


def test_a_decision_prints_the_days_it_was_issued_with_and_keeps_its_inspections_in_its_period(units):
    """An inspection moves within its decision's period (the team and the agency agree another day): the issued
    decision, PDF and DOCX made again, still says the day it was issued with; out of the period it cannot move."""
    from django.core.exceptions import ValidationError

    from tests.audits.conftest import DECIDED_ON, approved_plan

    inspector = units.users["ag_inspector"]
    stp = approved_plan(units, "ag").inspections.get(agency=units.agencies["ag_stp"])
    decision = services.decision_issue(actor=inspector, inspections=[stp], issued_on=DECIDED_ON,
                                       starts_on=date(2026, 3, 10), ends_on=date(2026, 3, 20),
                                       team_leader="Lê Minh Tuấn", today=DECIDED_ON)
    stp.refresh_from_db()
    assert stp.scheduled_on == date(2026, 3, 10)
    services.inspection_update(actor=inspector, inspection=stp, data={"scheduled_on": date(2026, 3, 17)},
                               today=DECIDED_ON)
    stp.refresh_from_db()
    assert stp.scheduled_on == date(2026, 3, 17)
    for text in (read_pdf_text(render_document(decision)[0]), _docx_text(render_docx(decision)[0])):
        flat = " ".join(text.split())
        assert "10/03/2026" in flat and "17/03/2026" not in flat
    for day in (date(2026, 3, 21), None):
        with pytest.raises(ValidationError) as refused:
            services.inspection_update(actor=inspector, inspection=stp, data={"scheduled_on": day}, today=DECIDED_ON)
        assert refused.value.message_dict["scheduled_on"] == [
            f"Quyết định {decision.number} ấn định thời gian kiểm tra từ 10/03/2026 đến 20/03/2026: hãy chọn một "
            "ngày trong khoảng thời gian đó."]
    stp.refresh_from_db()
    assert stp.scheduled_on == date(2026, 3, 17)


def test_plan_and_decision_read_right(world):
    plan = world.plans["ag"]
    text = read_pdf_text(render_document(plan)[0])
    for expected in ["KẾ HOẠCH", "Số: 01/KH-CCTDC", "An Giang, ngày 12 tháng 01 năm 2026",
                     "(Kế hoạch đã được phê duyệt tại văn bản số 215/QĐ-UBND ngày 15/01/2026)",
                     "I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG KIỂM TRA", "III. ĐỐI TƯỢNG, THỜI GIAN VÀ HÌNH THỨC KIỂM TRA",
                     "trong đó kiểm tra trực tiếp: 2, kiểm tra qua hồ sơ: 2", "Sở Tư pháp", "Sở Nội vụ",
                     "Ủy ban nhân dân tỉnh An Giang", "Trực tiếp", "Qua hồ sơ", "2.500.000", "10.000.000",
                     "CHI CỤC TRƯỞNG", "- Lưu: VT, CCTDC."]:
        assert expected in text, expected
    decision = world.inspections["ag_stp"].decision
    text = read_pdf_text(render_document(decision)[0])
    for expected in ["QUYẾT ĐỊNH", "Số: 01/QĐ-CCTDC", "An Giang, ngày 02 tháng 3 năm 2026",
                     "CHI CỤC TRƯỞNG CHI CỤC TIÊU CHUẨN ĐO LƯỜNG CHẤT LƯỢNG",
                     "Căn cứ Kế hoạch số 01/KH-CCTDC ngày 12/01/2026", "QUYẾT ĐỊNH:", "Điều 1.", "Trưởng đoàn",
                     "Lê Minh Tuấn", "Nguyễn Văn An", "Thư ký", "Điều 2.", "Sở Tư pháp", "10/03/2026",
                     "- Như Điều 3;"]:
        assert expected in text, expected


def test_a_draft_record_prints_without_a_number(open_world):
    record = InspectionRecord.objects.get(inspection=open_world.inspections["ag_stp"])
    text = read_pdf_text(render_document(record)[0])
    assert "/BB-CCTDC" in text and "01/BB-CCTDC" not in text


def test_signing_queues_the_pdf_and_the_download_serves_it(open_world, api, django_capture_on_commit_callbacks):
    cast = open_world.cast
    inspection = open_world.inspections["ag_stp"]
    client = api.as_user(cast.users["ag_officer"])
    with django_capture_on_commit_callbacks(execute=True):  # eager Celery: the task runs at commit
        services.record_sign(actor=cast.users["ag_inspector"], inspection=inspection, signed_on=inspection.scheduled_on,
                             today=inspection.scheduled_on)
    record = InspectionRecord.objects.get(inspection=inspection)
    assert record.pdf_status == PdfStatus.DONE and record.pdf_ready and record.pdf_file.sha256
    response = client.get(f"/api/v1/inspections/{inspection.pk}/record-pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert "Số: 01/BB-CCTDC" in read_pdf_text(data)
    detail = client.get(f"/api/v1/inspections/{inspection.pk}/").json()
    assert detail["record"]["pdf"]["status"] == "done"


def test_stale_pdf_is_not_served_and_a_new_one_is_made(world, api, django_capture_on_commit_callbacks):
    cast = world.cast
    plan = world.plans["ag"]
    client = api.as_user(cast.users["ag_leader"])
    assert client.get(f"/api/v1/inspection-plans/{plan.pk}/pdf/").json() == {
        "status": "queued", "status_url": f"/api/v1/inspection-plans/{plan.pk}/pdf/", "error": ""}
    # the task queued at approval never ran (no worker here): after a while the request is taken as lost
    plan.__class__.objects.filter(pk=plan.pk).update(pdf_requested_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(f"/api/v1/inspection-plans/{plan.pk}/pdf/")
    assert first.status_code == 202 and first.json()["status"] == "queued"
    second = client.get(f"/api/v1/inspection-plans/{plan.pk}/pdf/")
    assert second.status_code == 200
    old_file = plan.__class__.objects.get(pk=plan.pk).pdf_file_id
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/v1/inspection-plans/{plan.pk}/pdf/").status_code == 403  # leaders only read
        assert api.as_user(cast.users["ag_inspector"]).post(f"/api/v1/inspection-plans/{plan.pk}/pdf/").status_code \
            == 202
    plan.refresh_from_db()
    assert plan.pdf_ready and plan.pdf_file_id != old_file


def test_a_failed_rendering_is_visible_and_retried(world, api, monkeypatch, django_capture_on_commit_callbacks):
    cast = world.cast
    decision = world.inspections["ag_stp"].decision

    def broken(document):
        raise RuntimeError("template exploded")

    monkeypatch.setattr("audits.documents.render_document", broken)
    client = api.as_user(cast.users["ag_inspector"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/api/v1/inspection-decisions/{decision.pk}/pdf/")
    decision.refresh_from_db()
    # what failed is said, never the exception's own text (it can name tables, folders or settings): that is logged
    assert decision.pdf_status == PdfStatus.FAILED and decision.pdf_error == gettext(
        "An error inside the portal stopped it. The portal's administrators find the details in the worker's log.")
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/api/v1/inspection-decisions/{decision.pk}/pdf/")
    assert response.status_code == 202 and response.json()["error"] == decision.pdf_error
    decision.refresh_from_db()
    assert decision.pdf_ready and decision.pdf_error == ""


def test_the_task_skips_what_is_done_or_stale(world):
    from audits.services.pdf import pdf_render

    decision = world.inspections["ag_stp"].decision
    decision.refresh_from_db()
    assert decision.pdf_status == PdfStatus.QUEUED
    assert pdf_render(kind="decision", pk=decision.pk, revision=decision.revision - 1) is False  # stale revision
    assert pdf_render(kind="decision", pk=decision.pk, revision=decision.revision) is True
    assert pdf_render(kind="decision", pk=decision.pk, revision=decision.revision) is False  # redelivered: no-op
    from qms_portal.models import StoredFile

    assert StoredFile.objects.filter(original_name__startswith="quyet-dinh").count() == 1


def test_the_printed_pdf_fills_the_register_line(world):
    """Title, recipients, signer and the current file of the decision's line in the register of outgoing
    documents come from the printed document (agencies.register.register_describe)."""
    from agencies.models import RegisteredDocument
    from audits.documents import build
    from audits.services.pdf import pdf_render

    decision = world.inspections["ag_stp"].decision
    decision.refresh_from_db()
    number, symbol = decision.number.split("/")
    line = RegisteredDocument.objects.get(issuer=decision.issuer, number=int(number), symbol=symbol)
    assert line.title == "" and line.current_file is None
    assert pdf_render(kind="decision", pk=decision.pk, revision=decision.revision) is True
    decision.refresh_from_db()
    line.refresh_from_db()
    printed = build(decision)[0]
    assert line.current_file_id == decision.pdf_file_id
    assert line.title.startswith("Quyết định ") and printed.summary in line.title
    assert line.recipients.splitlines() == list(printed.recipients)
    assert line.signer_name == printed.signer_name and printed.signing_capacity[-1] in line.signer_capacity


def test_a_transient_error_is_retried_not_failed(world, eager_retries):
    """The database going away mid-render gives the row back and the task retries it (qms_portal.generated);
    it used to be marked failed at once, so the task's retries never helped."""
    from django.db import OperationalError

    from audits.tasks import render_pdf

    decision = world.inspections["ag_stp"].decision
    decision.refresh_from_db()
    calls = {"n": 0}

    def flaky(document):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return render_document(document)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("audits.documents.render_document", flaky)
        render_pdf.apply(args=["decision", decision.pk, decision.revision], throw=False)
    decision.refresh_from_db()
    assert calls["n"] == 2
    assert decision.pdf_ready and decision.pdf_status == PdfStatus.DONE and decision.pdf_error == ""
    assert decision.pdf_attempts == 2


def test_a_dead_workers_pdf_is_taken_over_a_live_ones_is_not(world):
    from audits.services.pdf import pdf_render
    from qms_portal.generated import STALE_AFTER

    decision = world.inspections["ag_stp"].decision
    decision.refresh_from_db()
    job = type(decision).job(decision.pk, revision=decision.revision)
    token = job.claim()
    assert token is not None
    assert pdf_render(kind="decision", pk=decision.pk, revision=decision.revision) is False  # a live worker has it
    type(decision).objects.filter(pk=decision.pk).update(pdf_heartbeat_at=timezone.now() - STALE_AFTER * 2)
    assert pdf_render(kind="decision", pk=decision.pk, revision=decision.revision) is True  # it died: taken over
    decision.refresh_from_db()
    assert decision.pdf_ready and decision.pdf_attempts == 2
