"""The provincial consolidated report as an editable DOCX: prepared once (reports.rendering.prepare, as the
worker does), printed by WeasyPrint and by python-docx + LibreOffice, and the two texts compared word for word;
its annex in a landscape section, or pointed to in the XLSX when it is large."""

import io
import unicodedata
from dataclasses import replace
from datetime import date

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt

from qms_portal.printing.docx_ooxml import text_width
from qms_portal.printing.render import render_official_parts
from reports import services
from reports.gathering import gather
from reports.rendering import docx_render, html_prepare, pdf_render, prepare
from tests.printing.office import pdf_margin_lines, pdf_words, table_headers, unexplained_differences

pytestmark = pytest.mark.django_db
NUMBER = "07/BC-SKHCN"


@pytest.fixture
def prepared(cast, reporting, qms_files, agency_reports, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the worker is not needed: we render here
        report, _ = services.consolidated_report_request(
            actor=cast.users["ag_leader"], kind="provincial", period=reporting["ag"],
            narrative={"proposals": "Đề nghị UBND tỉnh chỉ đạo các cơ quan, đơn vị khắc phục tồn tại."})
    return prepare(report, gather(report), issued_on=date(2026, 12, 2))


def test_report_docx_prints_the_words_of_the_pdf(prepared, libreoffice):
    reference = pdf_render(html_prepare(prepared, with_annex=True), number=NUMBER)  # the annex laid out as HTML
    converted = libreoffice(docx_render(prepared, number=NUMBER), "report")
    headers = table_headers(*render_official_parts(
        document=replace(prepared.document, number=NUMBER), body_template=prepared.body_template,
        context=prepared.context, appendices_template=prepared.appendices_template))
    words = pdf_words(converted)
    assert unexplained_differences(pdf_words(reference), words, headers) == []
    text = " ".join(words)
    for expected in ["Số: 07/BC-SKHCN", "An Giang, ngày 02 tháng 12 năm 2026", "II. KẾT QUẢ THỰC HIỆN",
                     "Đề nghị UBND tỉnh chỉ đạo các cơ quan, đơn vị khắc phục tồn tại./.", "KT. GIÁM ĐỐC",
                     "PHỤ LỤC I", "(Kèm theo Báo cáo số 07/BC-SKHCN ngày 02 tháng 12 năm 2026", "Sở Tư pháp",
                     "- Lưu: VT, SKHCN."]:
        assert expected in text, expected
    # The margins, left out of the comparison: the verification code on every page, the link on page 1 only,
    # page numbers from page 2 (as in the PDF).
    code = prepared.context["verification"]["code"]
    url = prepared.context["verification"]["url"]
    margins = pdf_margin_lines(converted)
    assert all(code in page and "Mã" in page for page in margins)
    assert url in margins[0] and all(url not in page for page in margins[1:])
    assert all(str(n) in page for n, page in enumerate(margins[1:], start=2)) and "1" not in margins[0]
    assert [code in page for page in pdf_margin_lines(reference)] == [True] * len(pdf_margin_lines(reference))


def test_annex_is_a_landscape_section_with_the_pdf_column_widths(prepared):
    word = Document(io.BytesIO(docx_render(prepared, number=NUMBER)))
    annex = word.sections[-1]
    assert len(word.sections) == 2 and annex.orientation == WD_ORIENT.LANDSCAPE
    table = word.tables[-1]
    rows = prepared.context["rows"]
    assert len(table.rows) == len(rows) + 1 and len(rows) >= 4
    names = [unicodedata.normalize("NFC", row.cells[1].text) for row in table.rows[1:]]
    assert names == [r["row"].name for r in rows]
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iterchildren(qn("w:gridCol"))]
    assert len(grid) == 15 and grid[1] / sum(grid) == pytest.approx(0.18, abs=0.01)  # <col style="width:18%">
    # a 4 % column is widened to hold its heading "ĐGNB" on one line, as the PDF shows it
    assert grid[8] / sum(grid) > 0.04 and grid[8] > text_width("ĐGNB", Pt(9), bold=True).twips + 80
    assert table.style.name == "Table Grid"
    # the verification link and code in the bottom margin, the QR code as a picture on page 1
    first = word.sections[0].first_page_footer
    assert first.tables[0].rows[0].cells[2].text == prepared.context["verification"]["every_page"]
    assert first.tables[0].rows[0].cells[0]._tc.xpath(".//pic:pic")
    assert word.sections[0].footer.paragraphs[0].text == prepared.context["verification"]["every_page"]


def test_summary_table_keeps_its_two_header_rows_and_row_spans(prepared):
    word = Document(io.BytesIO(docx_render(prepared, number=NUMBER)))
    summary = next(t for t in word.tables if t.rows[0].cells[1].text == "Loại hình cơ quan, đơn vị")
    first, second = summary._tbl.tr_lst[:2]
    assert first.tc_lst[0].vMerge == "restart" and second.tc_lst[0].vMerge == "continue"  # STT, rowspan="2"
    assert all(tr.trPr.find(qn("w:tblHeader")) is not None for tr in (first, second))
    assert "(tỷ lệ)" in second.tc_lst[3].xpath("string(.)")


def test_a_large_annex_stays_in_the_xlsx(prepared):
    rows = len(prepared.context["rows"])
    word = Document(io.BytesIO(docx_render(prepared, number=NUMBER, max_annex_rows=rows - 1)))
    sentence = next(p.text for p in word.paragraphs if p.text.startswith("Danh sách chi tiết gồm"))
    assert sentence == (f"Danh sách chi tiết gồm {rows} dòng được gửi kèm theo Báo cáo này dưới dạng tệp bảng tính "
                        f"(Excel): {prepared.file_stem}.xlsx.")
    assert word.tables[-1].rows[0].cells[1].text != "Tên cơ quan, đơn vị"  # the annex table is not there
    assert any(p.text == "PHỤ LỤC I" for p in word.paragraphs)  # its title and reference line are
    kept = Document(io.BytesIO(docx_render(prepared, number=NUMBER, max_annex_rows=rows)))
    assert kept.tables[-1].rows[0].cells[1].text == "Tên cơ quan, đơn vị"
