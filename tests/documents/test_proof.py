"""Proof that every official document the portal prints can be signed as it is (issue 14, DOMAIN.md §9): for the
demo data, each document type is rendered as the worker renders it, and its text (pdftotext) shows the issuing
body, the number and symbol, the date line, the title, the recipients and the signature block in their places.

Set DOCUMENTS_OUT=/some/dir to keep the PDFs (docs/documents/ holds one page of each as a picture).
"""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from agencies.models import Province
from audits.documents import render_document
from audits.models import InspectionDecision, InspectionPlan, InspectionRecord
from reports import services as report_services
from reports.generation import report_generate
from reports.models import ConsolidatedReport, PeriodKind, ReportingPeriod

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")]


def pdf_text(content: bytes, *, layout: bool = False) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), handle.name, "-"]
        return subprocess.run(args, capture_output=True, check=True, text=True).stdout


def keep(name: str, content: bytes) -> None:
    if out := os.environ.get("DOCUMENTS_OUT"):
        Path(out).mkdir(parents=True, exist_ok=True)
        Path(out, name).write_bytes(content)


def first_page_lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.split("\f")[0].splitlines() if line.strip()]


def lines_of(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def has_run(lines: list[str], run: list[str]) -> bool:
    """`run` appears as consecutive lines (pdftotext keeps a column's lines together without -layout)."""
    return any(lines[i:i + len(run)] == run for i in range(len(lines)))


RIGHT_COLUMN = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
DATE_LINE = re.compile(r"^(?P<place>[^,]+), ngày (\d{2}) tháng (\d{2}|1[0-2]|[3-9]) năm (\d{4})$")


def check_frame(text: str, *, parent: list[str], body: list[str], number: str, place: str, title: str,
                recipients: list[str], capacity: list[str], signer: str = "") -> None:
    lines = lines_of(text)
    head = first_page_lines(text)
    left = [line for line in head if line not in RIGHT_COLUMN]  # pdftotext interleaves the header's columns
    assert has_run(left, [*parent, *body]), (parent, body, head[:12])
    assert f"Số: {number}" in head or any(line.startswith("Số:") and line.endswith(number) for line in head) \
        or number in head, head
    # the verification link of a report: on one line, whole
    if "Kiểm tra tính xác thực của văn bản tại" in text:
        assert re.search(r"^https?://\S+/verify/[A-Z0-9]+/$", text.split("\f")[0], re.M), head[-4:]
    dates = [line for line in head if DATE_LINE.match(line)]
    assert dates and DATE_LINE.match(dates[0])["place"] == place, head[:12]
    assert title in head or any(line.startswith(title) for line in head), (title, head[:12])
    assert "Nơi nhận:" in lines
    for recipient in recipients:
        assert f"- {recipient}" in lines, (recipient, [line for line in lines if line.startswith("-")])
    assert has_run(lines, capacity), (capacity, lines[-30:])
    if signer:
        assert signer in lines


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)
    return Province.objects.current().get(code=91)


def test_every_document_type_of_the_demo_reads_as_a_document_a_leader_can_sign(demo):
    plan = InspectionPlan.objects.get(province=demo)
    decision = InspectionDecision.objects.get(province=demo)
    record = InspectionRecord.objects.filter(inspection__province=demo).exclude(number="").get()
    today = timezone.localdate()

    content, _ = render_document(plan)
    keep("ke-hoach.pdf", content)
    text = pdf_text(content)
    check_frame(text, parent=["SỞ KHOA HỌC VÀ CÔNG NGHỆ"], body=["CHI CỤC TIÊU CHUẨN ĐO LƯỜNG", "CHẤT LƯỢNG"],
                number=plan.number, place="An Giang", title="KẾ HOẠCH",
                recipients=["UBND tỉnh An Giang (để báo cáo);", "Lưu: VT, CCTDC."],
                capacity=["KT. CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG"], signer="Lê Minh Tuấn")
    assert re.fullmatch(r"\d{2}/KH-CCTDC", plan.number)

    content, _ = render_document(decision)
    keep("quyet-dinh.pdf", content)
    check_frame(pdf_text(content), parent=["SỞ KHOA HỌC VÀ CÔNG NGHỆ"],
                body=["CHI CỤC TIÊU CHUẨN ĐO LƯỜNG", "CHẤT LƯỢNG"], number=decision.number, place="An Giang",
                title="QUYẾT ĐỊNH", recipients=["Như Điều 3;", "Lưu: VT, CCTDC."],
                capacity=["KT. CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG"], signer="Đặng Văn Hòa")
    assert re.fullmatch(r"\d{2}/QĐ-CCTDC", decision.number)

    content, _ = render_document(record)
    keep("bien-ban.pdf", content)
    check_frame(pdf_text(content), parent=["SỞ KHOA HỌC VÀ CÔNG NGHỆ"],
                body=["CHI CỤC TIÊU CHUẨN ĐO LƯỜNG", "CHẤT LƯỢNG"], number=record.number, place="An Giang",
                title="BIÊN BẢN", recipients=[f"{record.inspection.agency.name};", "Lưu: VT, CCTDC."],
                capacity=["TRƯỞNG ĐOÀN KIỂM TRA"])
    assert re.fullmatch(r"\d{2}/BB-CCTDC", record.number)

    period = ReportingPeriod.objects.get(province=demo, year=today.year, kind=PeriodKind.ANNUAL)
    expected = {
        "provincial": dict(parent=["UBND TỈNH AN GIANG"], body=["SỞ KHOA HỌC VÀ CÔNG NGHỆ"],
                           number_re=r"\d{2}/BC-SKHCN",
                           recipients=["UBND tỉnh An Giang (để báo cáo);", "Lưu: VT, SKHCN."],
                           capacity=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], voice="Sở Khoa học và Công nghệ đã tham mưu"),
        "ministry": dict(parent=[], body=["ỦY BAN NHÂN DÂN", "TỈNH AN GIANG"], number_re=r"/BC-UBND",
                         recipients=["Bộ Khoa học và Công nghệ;", "Lưu: VT, SKHCN."],
                         capacity=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
                         voice="Ủy ban nhân dân tỉnh An Giang đã ban hành kế hoạch"),
        "inspection_summary": dict(parent=["SỞ KHOA HỌC VÀ CÔNG NGHỆ"],
                                   body=["CHI CỤC TIÊU CHUẨN ĐO LƯỜNG", "CHẤT LƯỢNG"],
                                   number_re=r"\d{2}/BC-CCTDC",
                                   recipients=["Sở Khoa học và Công nghệ (để tổng hợp);", "Lưu: VT, CCTDC."],
                                   capacity=["KT. CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG"],
                                   voice="Thực hiện Kế hoạch kiểm tra"),
        "national": dict(parent=[], body=["BỘ KHOA HỌC VÀ CÔNG NGHỆ"], number_re=r"/BC-BKHCN",
                         recipients=["UBND các tỉnh, thành phố;", "Lưu: VT, BKHCN."],
                         capacity=["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"], voice="Bộ Khoa học và Công nghệ đã hướng dẫn"),
    }
    for kind, want in expected.items():
        report, _ = report_services.consolidated_report_request(
            actor=None, kind=kind, period=None if kind == "national" else period, year=today.year,
            period_kind=PeriodKind.ANNUAL, scheduled=True)
        assert report_generate(report_id=report.pk) == "done"
        report = ConsolidatedReport.objects.select_related("pdf").get(pk=report.pk)
        with report.pdf.file.open("rb") as handle:
            content = handle.read()
        keep(f"bao-cao-{kind}.pdf", content)
        text = pdf_text(content)
        head = first_page_lines(text)
        at = next(i for i, line in enumerate(head) if line.startswith("Số:"))
        number = head[at] if head[at] != "Số:" else f"Số: {head[at + 1]}"  # a blank number: "Số:     /BC-UBND"
        assert re.search(want["number_re"], number), number
        if kind == "national":  # numbered in the Ministry's own register
            assert report.number == "" and re.fullmatch(r"Số: /BC-BKHCN", number)
        else:
            assert number == f"Số: {report.number}"
        check_frame(text, parent=want["parent"], body=want["body"], number=number.removeprefix("Số: "),
                    place="An Giang" if kind != "national" else "Hà Nội", title="BÁO CÁO",
                    recipients=want["recipients"], capacity=want["capacity"])
        assert want["voice"] in " ".join(text.split()), kind
        if kind == "ministry":
            assert "UBND tỉnh An Giang (để báo cáo)" not in text and "SỞ KHOA HỌC VÀ CÔNG NGHỆ" not in head
        if kind == "national":
            assert "tham mưu UBND tỉnh" not in text and "Sở KH&CN đã tham mưu" not in text
