import base64
import io
import unicodedata

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from qms_portal.printing import render_official_html, render_official_pdf
from tests.printing.sample import sample_context, sample_document

A4 = (595.28, 841.89)
MM = 72 / 25.4


@pytest.fixture(scope="module")
def pdf() -> PdfReader:
    data = render_official_pdf(document=sample_document(), body_template="printing/_sample_body.html",
                               context=sample_context(), appendices_template="printing/_sample_appendix.html")
    return PdfReader(io.BytesIO(data))


def page_text(page) -> str:
    return " ".join(unicodedata.normalize("NFC", page.extract_text()).split())


def top_margin_text(page) -> list[tuple[float, str]]:
    """(x, text) of the text drawn in the top 20 mm margin of `page`."""
    found = []
    top = float(page.mediabox.height) - 20 * MM

    def visit(text, cm, tm, font_dict, font_size):
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and y > top:
            found.append((x, text.strip()))

    page.extract_text(visitor_text=visit)
    return found


def test_sample_runs_to_three_portrait_a4_pages_and_a_landscape_annex(pdf):
    pages = pdf.pages
    assert len(pages) >= 4
    for page in pages[:-1]:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4, abs=1)
    assert (float(pages[-1].mediabox.width), float(pages[-1].mediabox.height)) == pytest.approx(A4[::-1], abs=1)
    assert "PHỤ LỤC I" in page_text(pages[-1])
    assert "(Kèm theo Báo cáo số 05/BC-SKHCN ngày 02 tháng 12 năm 2024" in page_text(pages[-1])


def test_fonts_are_embedded_liberation_serif_in_all_four_styles(pdf):
    styles = set()
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
            program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
            assert program["name"].getDebugName(1) == "Liberation Serif"
            styles.add(program["name"].getDebugName(6))
    assert styles == {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic",
                      "LiberationSerif-BoldItalic"}


def test_header_and_footer_text(pdf):
    text = " ".join(page_text(page) for page in pdf.pages)
    for expected in [
        "UBND TỈNH AN GIANG",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/BC-SKHCN",
        "An Giang, ngày 02 tháng 12 năm 2024",
        "BÁO CÁO",
        "Nơi nhận:",
        "- Bộ Khoa học và Công nghệ;",
        "- UBND tỉnh;",
        "- Các sở, ban, ngành tỉnh;",
        "- Lưu: VT, CCTĐC.",
        "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC",
        "Nguyễn Thị Ngọc Trường",
    ]:
        assert expected in text, expected
    assert page_text(pdf.pages[0]).startswith("UBND TỈNH AN GIANG SỞ KHOA HỌC VÀ CÔNG NGHỆ CỘNG HÒA")


def test_page_numbers_centred_in_the_top_margin_from_page_two(pdf):
    assert top_margin_text(pdf.pages[0]) == []
    for number, page in enumerate(pdf.pages[1:3], start=2):
        (x, text), = top_margin_text(page)
        assert text == str(number)
        # Centred over the text block (30 mm left, 15 mm right margin), give or take the digit's width.
        centre = (30 * MM + float(page.mediabox.width) - 15 * MM) / 2
        assert abs(x - centre) < 8


def test_signature_block_is_on_the_right_and_recipients_on_the_left(pdf):
    positions = {}
    width = float(pdf.pages[0].mediabox.width)

    def visit(text, cm, tm, font_dict, font_size):
        for key in ("Nơi nhận", "KT. GIÁM ĐỐC", "Nguyễn Thị Ngọc Trường"):
            if key in unicodedata.normalize("NFC", text):
                positions[key] = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]

    for page in pdf.pages:
        page.extract_text(visitor_text=visit)
    assert positions["Nơi nhận"] < width / 3
    assert positions["KT. GIÁM ĐỐC"] > width / 2
    assert positions["Nguyễn Thị Ngọc Trường"] > width / 2


def test_landscape_document():
    data = render_official_pdf(document=sample_document(landscape=True), body_template="printing/_sample_body.html",
                               context=sample_context(repeat=1))
    first = PdfReader(io.BytesIO(data)).pages[0]
    assert float(first.mediabox.width) == pytest.approx(A4[1], abs=1)


def test_user_text_is_escaped_and_frame_keys_are_reserved():
    html = render_official_html(document=sample_document(summary="<script>alert(1)</script>"),
                                body_template="printing/_sample_body.html", context=sample_context(repeat=1))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    with pytest.raises(ValueError, match="document"):
        render_official_html(document=sample_document(), body_template="printing/_sample_body.html",
                             context={"document": "other"})


def test_verification_note_is_printed():
    svg = b"<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><rect width='5' height='5'/></svg>"
    qr = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    doc = sample_document(verification_text="Mã xác thực: ABCD-1234", verification_qr=qr)
    data = render_official_pdf(document=doc, body_template="printing/_sample_body.html",
                               context=sample_context(repeat=1))
    reader = PdfReader(io.BytesIO(data))
    assert "Mã xác thực: ABCD-1234" in " ".join(page_text(page) for page in reader.pages)


def test_text_stays_inside_the_decree_margins(pdf):
    page = pdf.pages[1]
    height = float(page.mediabox.height)
    xs, ys = [], []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            xs.append(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])
            ys.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    body_ys = [y for y in ys if y < height - 20 * MM]  # everything but the page number
    assert min(xs) == pytest.approx(30 * MM, abs=1)  # left margin 30 mm: lines start exactly there
    assert min(body_ys) >= 20 * MM  # bottom margin 20 mm
    assert max(body_ys) < height - 20 * MM - 5  # first baseline below the 20 mm top margin
