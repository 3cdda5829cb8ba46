"""The DOCX of the sample document: Decree 30 layout read back with python-docx, then converted by LibreOffice
and compared word for word with the WeasyPrint PDF of the same document (tests/printing/office.py says which
differences are expected)."""

import io

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from qms_portal.printing import render_official_pdf
from qms_portal.printing.docx import PageNotes, docx_render, render_official_docx
from qms_portal.printing.docx_ooxml import text_width
from qms_portal.printing.render import render_official_parts
from tests.printing import office
from tests.printing.office import MM, pdf_margin_lines, pdf_words, table_headers, unexplained_differences
from tests.printing.sample import sample_context, sample_document

TEMPLATES = {"body_template": "printing/_sample_body.html", "appendices_template": "printing/_sample_appendix.html"}


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return render_official_docx(document=sample_document(), context=sample_context(), **TEMPLATES)


@pytest.fixture(scope="module")
def word(docx_bytes):
    return Document(io.BytesIO(docx_bytes))


def every_paragraph(word) -> list[Paragraph]:
    """The body's paragraphs, those inside tables included."""
    return [Paragraph(p, word) for p in word.element.body.iter(qn("w:p"))]


def texts(container) -> list[str]:
    return [p.text for p in container.paragraphs]


def runs(paragraph) -> list:
    return [run for run in paragraph.runs if run.text.strip()]


def border(paragraph, side: str):
    ppr = paragraph._p.pPr
    borders = ppr.find(qn("w:pBdr")) if ppr is not None else None
    return borders.find(qn(f"w:{side}")) if borders is not None else None


def has_no_borders(table) -> bool:
    tbl_pr = table._tbl.tblPr
    return tbl_pr.find(qn("w:tblStyle")) is None and tbl_pr.find(qn("w:tblBorders")) is None


def test_a4_portrait_with_the_decree_margins(word):
    section = word.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == 20 and round(section.bottom_margin.mm) == 20
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15


def test_times_new_roman_everywhere_in_vietnamese(word):
    defaults = word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = defaults.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}
    assert not [name for name in fonts.attrib if name.endswith("Theme")]  # a theme font would win
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
    assert word.styles["Normal"].font.size == Pt(14)
    assert word.styles["Official Body"].font.size is None  # inherits the 14 pt
    sizes = {run.font.size.pt for p in every_paragraph(word) for run in p.runs if run.font.size}
    assert sizes == {11, 12, 13, 14}  # recipients 11, "Nơi nhận:" and national title 12, the rest 13-14
    named = {run.font.name for p in every_paragraph(word) for run in p.runs} | {
        style.font.name for style in word.styles if style.type == 1 and style.name.startswith("Official")}
    assert named <= {None, "Times New Roman"}


def test_header_is_a_two_column_borderless_table(word):
    header = word.tables[0]
    assert word.element.body[0] is header._tbl  # the document starts with it
    assert has_no_borders(header) and len(header.columns) == 2
    left, right = header.rows[0].cells
    widths = [c.width for c in header.rows[0].cells]
    assert widths[0] / sum(widths) == pytest.approx(0.45, abs=0.01)
    assert texts(left) == ["UBND TỈNH AN GIANG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", ""]
    parent, issuing, rule = left.paragraphs
    # 12 pt (Decree 30 allows 12-13): the header lines agencies.issuers breaks are measured at that size
    assert [(r.bold, r.font.size) for r in runs(parent)] == [(None, Pt(12))]
    assert [(r.bold, r.font.size) for r in runs(issuing)] == [(True, Pt(12))]
    # the short rule under the issuing body: centred, about a third of the name's width
    assert border(rule, "bottom").get(qn("w:val")) == "single"
    rule_length = left.width - rule.paragraph_format.left_indent - rule.paragraph_format.right_indent
    assert rule_length == pytest.approx(0.35 * text_width("SỞ KHOA HỌC VÀ CÔNG NGHỆ", Pt(12), bold=True),
                                        rel=0.02)
    assert texts(right) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    national, motto = right.paragraphs
    assert [(r.bold, r.font.size) for r in runs(national)] == [(True, Pt(12))]
    assert [(r.bold, r.font.size) for r in runs(motto)] == [(True, Pt(14))]
    # the motto's rule is as long as the motto: its paragraph is that wide
    motto_box = right.width - motto.paragraph_format.left_indent - motto.paragraph_format.right_indent
    assert motto_box == pytest.approx(text_width("Độc lập - Tự do - Hạnh phúc", Pt(14), bold=True) + Pt(4),
                                      abs=Pt(0.5))
    assert border(motto, "bottom") is not None
    number, place_date = header.rows[1].cells
    assert texts(number) == ["Số: 05/BC-SKHCN"] and runs(number.paragraphs[0])[0].font.size == Pt(13)
    assert texts(place_date) == ["An Giang, ngày 02 tháng 12 năm 2024"]
    assert [(r.italic, r.font.size) for r in runs(place_date.paragraphs[0])] == [(True, Pt(14))]
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for cell in header._cells for p in cell.paragraphs)


def test_title_summary_and_short_rule(word):
    title, summary, rule = word.paragraphs[:3]
    assert title.text == "BÁO CÁO" and summary.text == sample_document().summary
    for paragraph in (title, summary):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert [(r.bold, r.font.size) for r in runs(paragraph)] == [(True, Pt(14))]
        assert paragraph.paragraph_format.keep_with_next
    assert border(rule, "bottom") is not None and rule.text == ""


def test_body_is_justified_indented_and_spaced(word):
    body = word.styles["Official Body"].paragraph_format
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.first_line_indent == Cm(1.27)
    assert body.space_after == Pt(6)
    paragraphs = [p for p in word.paragraphs if p.text.startswith("Ủy ban nhân dân tỉnh đã ban hành")]
    assert len(paragraphs) == 3 and all(p.style.name == "Official Body" for p in paragraphs)
    heading = next(p for p in word.paragraphs if p.text == "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN")
    assert heading.style.name == "Official Heading 2" and heading.style.font.bold
    assert heading.style.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "1"
    sub = next(p for p in word.paragraphs if p.text == "a) Về việc cập nhật văn bản")
    assert sub.style.name == "Official Heading 4" and sub.style.font.italic


def test_page_number_in_the_top_margin_from_page_two(word):
    section = word.sections[0]
    assert section.different_first_page_header_footer
    assert texts(section.first_page_header) == [""]
    number = section.header.paragraphs[0]
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instructions = [t.text.strip() for t in number._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert [c.get(qn("w:fldCharType")) for c in number._p.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
    assert section.header_distance < section.top_margin


def test_recipients_and_signature_block(word):
    footer = next(t for t in word.tables if t.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:")
    assert has_no_borders(footer) and len(footer.columns) == 2
    recipients, signature = footer.rows[0].cells
    label, *lines = recipients.paragraphs
    assert [(r.bold, r.italic, r.font.size) for r in runs(label)] == [(True, True, Pt(12))]
    assert [p.text for p in lines] == ["- Bộ Khoa học và Công nghệ;", "- UBND tỉnh;", "- Các sở, ban, ngành tỉnh;",
                                       "- Lưu: VT, CCTĐC."]
    assert {r.font.size for p in lines for r in runs(p)} == {Pt(11)}
    assert texts(signature) == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Thị Ngọc Trường"]
    assert all(r.bold and r.font.size == Pt(14) for p in signature.paragraphs for r in runs(p))
    assert round(signature.paragraphs[-1].paragraph_format.space_before.mm) == 30  # for the signature and seal
    assert footer._tbl.tr_lst[0].trPr.find(qn("w:cantSplit")) is not None


def test_appendix_is_a_landscape_section_numbered_on(word):
    assert len(word.sections) == 2
    annex = word.sections[1]
    assert annex.orientation == WD_ORIENT.LANDSCAPE
    assert (round(annex.page_width.mm), round(annex.page_height.mm)) == (297, 210)
    assert not annex.different_first_page_header_footer and annex.header.is_linked_to_previous
    assert round(annex.left_margin.mm) == 30
    heads = [p for p in word.paragraphs if p.text.startswith(("PHỤ LỤC I", "DANH SÁCH", "(Kèm theo"))]
    assert [p.text for p in heads] == [
        "PHỤ LỤC I", "DANH SÁCH CƠ QUAN, ĐƠN VỊ ÁP DỤNG HỆ THỐNG QUẢN LÝ CHẤT LƯỢNG",
        "(Kèm theo Báo cáo số 05/BC-SKHCN ngày 02 tháng 12 năm 2024 của Sở Khoa học và Công nghệ)"]
    assert runs(heads[2])[0].italic and all(runs(p)[0].bold for p in heads[:2])
    table = word.tables[-1]
    assert len(table.rows) == 19 and table.rows[3].cells[1].text == "Trường trung học phổ thông số 03"
    assert table._tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is not None  # repeated on each page


def test_properties_name_the_document(word):
    properties = word.core_properties
    assert properties.title == "BÁO CÁO 05/BC-SKHCN"
    assert properties.author == "SỞ KHOA HỌC VÀ CÔNG NGHỆ" and properties.language == "vi-VN"


def test_libreoffice_opens_it_and_prints_the_words_of_the_pdf(docx_bytes, libreoffice):
    document, context = sample_document(), sample_context()
    converted = libreoffice(docx_bytes, "sample")
    reference = render_official_pdf(document=document, context=context, **TEMPLATES)
    headers = table_headers(*render_official_parts(document=document, context=context, **TEMPLATES))
    words = pdf_words(converted)
    assert unexplained_differences(pdf_words(reference), words, headers) == []
    text = " ".join(words)  # the comparison is not vacuous: the whole document is there
    assert len(words) > 1500 and all(phrase in text for phrase in ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", "38/43",
                                                                      "- Lưu: VT, CCTĐC.", "Nguyễn Thị Ngọc Trường"))
    # the page numbers, which the comparison leaves out: none on page 1, then 2, 3 ... centred at the top
    pages = PdfReader(io.BytesIO(converted)).pages
    margins = pdf_margin_lines(converted)
    assert margins[0] == [] and [m for m in margins[1:]] == [[str(n)] for n in range(2, len(pages) + 1)]
    positions = []
    pages[1].extract_text(visitor_text=lambda text, cm, tm, *_: positions.append((tm[4] + cm[4], tm[5] + cm[5]))
                          if text.strip() == "2" else None)
    x, y = positions[0]
    assert float(pages[1].mediabox.height) - y < 20 * MM and 30 * MM < x < float(pages[1].mediabox.width) - 15 * MM
    last = pages[-1].mediabox
    assert last.width > last.height  # the annex on a landscape page


def test_page_notes_in_the_bottom_margin(libreoffice):
    notes = PageNotes(every_page="Mã xác thực: ABCD1234", first_page="Kiểm tra tại http://portal.example/verify/")
    data = docx_render(document=sample_document(), body_html="<p>Nội dung.</p>" * 60, page_notes=notes)
    word = Document(io.BytesIO(data))
    section = word.sections[0]
    assert texts(section.footer) == ["Mã xác thực: ABCD1234"]
    first = section.first_page_footer.tables[0].rows[0].cells
    assert [c.text for c in first] == ["", "Kiểm tra tại http://portal.example/verify/", "Mã xác thực: ABCD1234"]
    margins = pdf_margin_lines(libreoffice(data, "notes"))
    assert len(margins) >= 2
    assert "http://portal.example/verify/" in margins[0] and all("ABCD1234" in m for m in margins)
    assert all("http://portal.example/verify/" not in m for m in margins[1:])


def test_the_word_comparison_forgives_only_moved_table_headers():
    headers = table_headers("<table><thead><tr><th>STT</th><th>Tên đơn vị</th></tr></thead></table>")
    pdf = "Đoạn STT Tên đơn vị 1 Sở A STT Tên đơn vị 2 Sở B".split()  # the header repeated on page 2
    assert unexplained_differences(pdf, "Đoạn STT Tên đơn vị 1 Sở A 2 Sở B".split(), headers) == []
    assert unexplained_differences(pdf, "Đoạn STT Tên đơn vị 1 Sở A 2 Sở B Tên đơn vị STT".split(), headers) == []
    assert unexplained_differences(pdf, "Đoạn STT Tên đơn vị 1 Sở A 3 Sở B".split(), headers) == [
        "after «đơn vị 1 Sở A»: PDF «2» / DOCX «3»"]
    assert unexplained_differences(pdf, "Đoạn STT Tên đơn vị 1 Sở A STT Tên 2 Sở B".split(), headers) == [
        "after «đơn vị 1 Sở A»: PDF «» / DOCX «STT Tên»"]  # half a header is not a header
    assert unexplained_differences(pdf, "Đoạn 1 Sở A 2 Sở B".split(), headers) != []  # nor is no header at all


def test_without_libreoffice_the_tests_skip_but_fail_where_ci_promises_it(monkeypatch):
    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    monkeypatch.delenv("REQUIRE_SERVICES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="LibreOffice is not installed"):
        office.soffice_required()
    monkeypatch.setenv("REQUIRE_SERVICES", "1")
    with pytest.raises(pytest.fail.Exception, match="LibreOffice is not installed"):
        office.soffice_required()


def test_verification_note_under_the_signature_with_its_qr_code():
    import base64

    import segno

    buffer = io.BytesIO()
    segno.make("http://portal.example/verify/ABCD/").save(buffer, kind="png", scale=2)
    qr = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    word = Document(io.BytesIO(docx_render(document=sample_document(verification_text="Mã xác thực: ABCD-1234",
                                                                   verification_qr=qr), body_html="<p>Nội dung.</p>")))
    note = word.paragraphs[-1]
    assert note.text.strip() == "Mã xác thực: ABCD-1234" and runs(note)[-1].italic
    assert note._p.xpath(".//pic:pic")  # the QR code, as a picture
    svg = "data:image/svg+xml;base64," + base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'/>").decode()
    word = Document(io.BytesIO(docx_render(document=sample_document(verification_text="Mã xác thực: X",
                                                                   verification_qr=svg), body_html="<p>A</p>")))
    assert word.paragraphs[-1].text.strip() == "Mã xác thực: X"  # an SVG code is left out, the text stays
