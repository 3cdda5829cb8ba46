"""The plan, the inspection decision and the inspection record as editable DOCX: built by the same functions as
their PDFs (audits.documents.build), opened by LibreOffice, and word for word the text of the PDF."""

import io

import pytest
from docx import Document

from audits.documents import build, render_document, render_docx
from audits.models import InspectionRecord
from tests.printing.office import differences_from_pdf, pdf_margin_lines

pytestmark = pytest.mark.django_db


def documents(world) -> dict:
    inspection = world.inspections["ag_stp"]
    return {"plan": world.plans["ag"], "decision": inspection.decision,
            "record": InspectionRecord.objects.get(inspection=inspection)}


@pytest.mark.parametrize("kind", ["plan", "decision", "record"])
def test_docx_prints_the_words_of_the_pdf(world, libreoffice, kind):
    obj = documents(world)[kind]
    data, name = render_docx(obj)
    assert name.endswith(".docx") and name[:-5] == render_document(obj)[1][:-4]
    document, body, context, _ = build(obj)
    converted = libreoffice(data, kind)
    differences, words = differences_from_pdf(converted, render_document(obj)[0], document=document,
                                              body_template=body, context=context)
    assert differences == []
    text = " ".join(words)
    for expected in {
        "plan": ["Số: 01/KH-CCTDC", "I. MỤC ĐÍCH, YÊU CẦU", "Tổng cộng 10.000.000", "- Lưu: VT, CCTDC.",
                 "Ủy ban nhân dân tỉnh An Giang"],
        "decision": ["Số: 01/QĐ-CCTDC", "QUYẾT ĐỊNH:", "Lê Minh Tuấn", "- Như Điều 3;", "10/03/2026"],
        "record": ["Số: 01/BB-CCTDC", "Đạt một phần", "Mục 5; điều khoản 9.3", "TRƯỞNG ĐOÀN KIỂM TRA",
                   "ĐẠI DIỆN CƠ QUAN ĐƯỢC KIỂM TRA", "(Ký, ghi rõ họ tên, đóng dấu)", "Trần Văn Hùng"],
    }[kind]:
        assert expected in text, expected
    margins = pdf_margin_lines(converted)
    assert margins[0] == [] and margins[1:] == [[str(n)] for n in range(2, len(margins) + 1)]


def test_record_keeps_its_checklist_groups_and_signature_pair(world):
    record = documents(world)["record"]
    word = Document(io.BytesIO(render_docx(record)[0]))
    checklist = next(t for t in word.tables if t.rows[0].cells[1].text == "Nội dung kiểm tra")
    group = checklist.rows[1]
    assert group.cells[0].text == "A" and group.cells[1].text.startswith("Đối chiếu với yêu cầu của Tiêu chuẩn")
    assert group.cells[1]._tc.grid_span == 3  # colspan="3"
    assert all(r.bold for p in group.cells[1].paragraphs for r in p.runs)
    pair = next(t for t in word.tables if t.rows[0].cells[0].text == "ĐẠI DIỆN CƠ QUAN ĐƯỢC KIỂM TRA")
    assert [c.text for c in pair.rows[3].cells] == ["Trần Văn Hùng", "Nguyễn Văn An"]
    assert round(pair.rows[2].height.mm) == 25  # room for the signatures


def test_a_draft_keeps_the_blank_number(open_world):
    record = InspectionRecord.objects.get(inspection=open_world.inspections["ag_stp"])
    word = Document(io.BytesIO(render_docx(record)[0]))
    number = word.tables[0].rows[1].cells[0].text
    assert number == "Số: " + "\u00a0" * 8 + "/BB-CCTDC"  # written in by hand when the record is issued
