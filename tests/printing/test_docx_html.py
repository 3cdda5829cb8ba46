"""The HTML subset of our document bodies, mapped onto Word's structure (qms_portal.printing.docx_html)."""

import pytest
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from qms_portal.printing.docx_html import HtmlWriter, collapse
from qms_portal.printing.docx_styles import styles_setup


def write(html: str, *, appendix: bool = False, max_rows: int | None = None):
    word = Document()
    styles_setup(word)
    appendices: list[bool] = []

    def appendix_start(landscape: bool):
        appendices.append(landscape)
        return Mm(252) if landscape else Mm(165)

    writer = HtmlWriter(word, width=Mm(165), appendix_start=appendix_start, max_table_rows=max_rows,
                        large_table=lambda rows: f"Danh sách {rows} dòng: xem tệp Excel.")
    writer.write(html, appendix=appendix)
    word.appendices = appendices
    return word


def texts(word) -> list[str]:
    return [p.text for p in word.paragraphs]


def test_whitespace_collapses_as_in_html_but_a_no_break_space_stays():
    word = write("<p>\n  Một   hai\n\tba  </p><p>Số:\u00a0\u00a0\u00a0/BC-SKHCN</p><p>a <b> b </b> c</p>")
    assert texts(word) == ["Một hai ba", "Số:\u00a0\u00a0\u00a0/BC-SKHCN", "a b c"]


def test_collapse_drops_spaces_around_line_breaks_and_trailing_breaks():
    look = object()
    assert collapse([(" a ", look), None, (" b", look), None, None]) == [("a", look), None, ("b", look)]
    assert collapse([("  ", look), None]) == []


def test_line_breaks_and_inline_formatting():
    word = write("<p>dòng 1<br>dòng <b>đậm <i>nghiêng</i></b> <u>gạch</u> m<sup>2</sup> H<sub>2</sub>O<br></p>")
    paragraph = word.paragraphs[0]
    assert paragraph.text == "dòng 1\ndòng đậm nghiêng gạch m2 H2O"
    runs = {run.text: run for run in paragraph.runs if run.text.strip()}
    assert runs["đậm "].bold and not runs["đậm "].italic
    assert runs["nghiêng"].bold and runs["nghiêng"].italic
    assert runs["gạch"].underline
    assert [(r.font.superscript, r.font.subscript) for r in paragraph.runs if r.text == "2"] == [(True, False),
                                                                                                 (False, True)]


def test_style_script_comments_and_images_are_dropped_unknown_elements_keep_their_text():
    word = write('<style>p { color: red }</style><script>alert(1)</script><!-- ghi chú --><img src="x.png">'
                 '<p>Xem <a href="#m2">mục 2</a> và <custom-tag>ghi chú</custom-tag>.</p>'
                 "<div>Lời mở đầu<p>Đoạn giữa</p>Lời kết</div><p> </p><p></p>")
    assert texts(word) == ["Xem mục 2 và ghi chú.", "Lời mở đầu", "Đoạn giữa", "Lời kết"]


def test_escaped_text_is_text():
    assert texts(write("<p>&lt;script&gt; &amp; “trích dẫn”</p>")) == ["<script> & “trích dẫn”"]


def test_headings_take_the_official_heading_styles():
    word = write("<h1>TIÊU ĐỀ</h1><h2>I. MỤC</h2><h3>1. Mục con</h3><h4>a) Điểm</h4><h6>b) Điểm</h6><p>Văn bản</p>")
    assert [p.style.name for p in word.paragraphs] == [
        "Official Heading 1", "Official Heading 2", "Official Heading 3", "Official Heading 4", "Official Heading 4",
        "Official Body"]
    assert word.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert word.paragraphs[1].alignment is None  # the style's: justified with the first-line indent


def test_classes_change_what_a_reader_sees():
    word = write('<p class="center"><b>QUYẾT ĐỊNH:</b></p><p class="note">Ghi chú</p>'
                 '<p class="appendix-title">Danh sách cơ quan</p><p class="appendix-ref">(Kèm theo ...)</p>'
                 '<p class="right">Phải</p><p class="unknown-class">Thường</p>')
    center, note, title, ref, right, plain = word.paragraphs
    assert center.alignment == WD_ALIGN_PARAGRAPH.CENTER and center.paragraph_format.first_line_indent == 0
    assert note.runs[0].italic and note.runs[0].font.size == Pt(12)
    assert title.text == "DANH SÁCH CƠ QUAN" and title.runs[0].bold  # text-transform: uppercase
    assert ref.runs[0].italic and ref.paragraph_format.space_after == Pt(12)
    assert right.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert plain.alignment is None and plain.runs[0].bold is None


def test_list_markers_are_written_as_the_pdf_shows_them():
    word = write('<ul class="dash"><li>một;</li><li>hai;</li></ul><ul class="plain"><li>- có sẵn;</li></ul>'
                 '<ol start="3"><li>ba</li><li>bốn<ul><li>lồng</li></ul></li></ol><ul><li>chấm</li></ul>')
    assert texts(word) == ["- một;", "- hai;", "- có sẵn;", "3. ba", "4. bốn", "• lồng", "• chấm"]
    dash, _, plain, third, fourth, nested, bullet = word.paragraphs
    assert dash.paragraph_format.first_line_indent == Cm(1.27) and not dash.paragraph_format.left_indent
    assert plain.paragraph_format.first_line_indent == Cm(1.27)
    assert third.paragraph_format.left_indent == Cm(1.27) and third.paragraph_format.first_line_indent < 0
    assert nested.paragraph_format.left_indent == Cm(2.54)
    assert all(p.paragraph_format.space_after == Pt(3) for p in word.paragraphs)


TABLE = """
<table class="data compact">
  <caption>Bảng 1</caption>
  <tfoot><tr><td></td><td colspan="2"><b>Tổng cộng</b></td></tr></tfoot>
  <thead><tr><th rowspan="2">STT</th><th colspan="2">Kết quả</th></tr><tr><th>Đạt</th><th>Tỷ lệ</th></tr></thead>
  <tbody>
    <tr><td class="center">1</td><td class="num">43/45</td><td class="num">96%<br>(cao)</td></tr>
    <tr class="group"><td>A</td><td colspan="2">Nhóm</td></tr>
    <tr><td>2</td></tr>
  </tbody>
</table>
<p>Đoạn sau bảng.</p>
"""


def test_tables_keep_spans_header_rows_and_footer_rows_last():
    word = write(TABLE)
    assert texts(word) == ["Bảng 1", "Đoạn sau bảng."]
    table = word.tables[0]
    assert table.style.name == "Table Grid" and len(table.columns) == 3
    rows = table._tbl.tr_lst
    assert len(rows) == 6
    assert [tr.trPr.find(qn("w:tblHeader")) is not None for tr in rows] == [True, True, False, False, False, False]
    assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows)
    stt, result = rows[0].tc_lst
    assert stt.vMerge == "restart" and rows[1].tc_lst[0].vMerge == "continue"
    assert result.grid_span == 2 and result.xpath("string(.)") == "Kết quả"
    head = table.rows[0].cells[0]
    assert head.vertical_alignment == WD_CELL_VERTICAL_ALIGNMENT.CENTER
    assert head.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER and head.paragraphs[0].runs[0].bold
    assert head.paragraphs[0].style.name == "Official Table Compact"
    number = table.rows[2].cells[1].paragraphs[0]
    assert number.text == "43/45" and number.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.rows[2].cells[2].text == "96%\n(cao)"
    assert all(r.bold for r in table.rows[3].cells[1].paragraphs[0].runs)  # tr.group
    assert [c.text for c in table.rows[4].cells] == ["2", "", ""]  # a short row is filled up
    assert [c.text for c in table.rows[5].cells] == ["", "Tổng cộng", "Tổng cộng"]  # tfoot last, spanning 2
    assert word.paragraphs[1].paragraph_format.space_before == Pt(9)  # the table's bottom margin


def test_column_widths_follow_the_colgroup_or_the_text():
    word = write('<table class="data"><colgroup><col style="width:20%"><col style="width: 80%"></colgroup>'
                 "<tr><td>a</td><td>b</td></tr></table>"
                 '<table class="data"><tr><th>STT</th><th>Tên cơ quan, đơn vị được kiểm tra trong năm</th></tr>'
                 "<tr><td>1</td><td>Sở Tư pháp</td></tr></table>")
    fixed, auto = ([int(c.get(qn("w:w"))) for c in t._tbl.tblGrid.iterchildren(qn("w:gridCol"))]
                   for t in word.tables)
    assert sum(fixed) == pytest.approx(Mm(165).twips, abs=2) and fixed[0] / sum(fixed) == pytest.approx(0.2, abs=0.01)
    assert auto[0] < auto[1] and auto[0] > Pt(24).twips  # "STT" in bold stays on one line
    assert sum(auto) <= Mm(165).twips


def test_a_table_without_the_data_class_has_no_borders_and_keeps_with_the_paragraph_before():
    word = write('<p>Biên bản được lập thành 02 bản.</p><table class="sign-pair"><tr><td class="who">Đại diện</td>'
                 '<td class="who">Thư ký</td></tr><tr><td class="space"></td><td class="space"></td></tr></table>')
    table = word.tables[0]
    assert table._tbl.tblPr.find(qn("w:tblStyle")) is None
    assert table.rows[0].cells[0].text == "ĐẠI DIỆN" and table.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert table.rows[0].cells[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert round(table.rows[1].height.mm) == 25
    assert word.paragraphs[0].paragraph_format.keep_with_next


def test_appendix_sections_start_where_the_html_says():
    word = write('<section class="appendix annex-landscape"><h2 class="appendix-number">PHỤ LỤC I</h2></section>'
                 '<section class="appendix"><p>Phụ lục II</p></section><section><p>Không phải phụ lục</p></section>')
    assert word.appendices == [True, False]
    assert texts(word) == ["PHỤ LỤC I", "Phụ lục II", "Không phải phụ lục"]


BIG = "<table class='data'><thead><tr><th>STT</th></tr></thead><tbody>{}</tbody></table>"


@pytest.mark.parametrize(("rows", "appendix", "table_kept"), [(2, True, True), (3, True, False), (3, False, True)])
def test_a_table_of_the_appendices_above_the_limit_is_replaced_by_a_sentence(rows, appendix, table_kept):
    word = write(BIG.format("<tr><td>1</td></tr>" * rows), appendix=appendix, max_rows=2)
    assert bool(word.tables) is table_kept
    assert texts(word) == ([] if table_kept else [f"Danh sách {rows} dòng: xem tệp Excel."])
