"""Official documents as editable DOCX (Decree 30/2020 layout), with python-docx: the draft a clerk edits in
Word before the document is signed. Same content as the PDF of `render.py`, from the same OfficialDocument and
body HTML:

- A4 (landscape when the document is), margins top/bottom 20 mm, left 30 mm, right 15 mm, Times New Roman;
- the page number centred in the top margin from page 2: a different first-page header (empty) and a PAGE field
  in the default header, which the appendix sections inherit;
- the header as a two-column borderless table: parent body in capitals, issuing body in bold capitals with a
  short rule, "Số: ..."; the national title in bold capitals, the motto in bold with a rule as long as the text,
  the place and date in italics;
- the title in bold capitals, the summary line in bold with a short rule; a letter (công văn) has no title, its
  summary "V/v ..." under its number;
- the body (see `docx_html` for the HTML it understands) in the ``Official Body`` / ``Official Heading`` styles:
  justified, first line indented 1.27 cm, 6 pt between paragraphs;
- the recipients and the signature block as a two-column borderless table;
- each ``section.appendix`` in a section of its own, landscape for ``annex-landscape``.

A large annex: the DOCX holds the annex table up to MAX_ANNEX_ROWS = 1,000 body rows; above that the table is
replaced by one sentence saying that the list goes with the document as the XLSX (named). Measured with
``python -m bench.docx_annex`` (the provincial annex template, 14 columns, synthetic rows, a short body) on this
2-core machine while other test runs kept it loaded (load average 8-9): CPU seconds are the comparable figures.
"LibreOffice" is the headless conversion to PDF, i.e. opening the file and laying out every page:

    annex rows   DOCX size   DOCX render (CPU)   LibreOffice to PDF (CPU / wall)   pages
       100         43 kB        0.08 s                1.4 s /    4.2 s               8
       500         55 kB        0.29 s                4.2 s /   12.5 s              29
     1,000         70 kB        0.51 s               13.7 s /   44.4 s              55
     5,000        188 kB        2.2 s             not finished: stopped after 30 min wall (8 min 50 s CPU)

Writing the DOCX is cheap at any size; reading it is not. LibreOffice's table layout grows faster than the rows
(x3 in CPU for 500 -> 1,000 rows, twice the rows), so a 1,000-row annex is still a 55-page landscape table that
opens in about 14 CPU seconds here and that one can edit and print, while 5,000 rows had not finished opening
after 30 minutes. A province of the scale
data set (20,000 agencies in 34 provinces) has about 600 agencies, so N = 1,000 keeps the annex in the DOCX of
a provincial report with room to spare, and only national-size lists go to the spreadsheet, where such a list
belongs (sorting, filtering) and where the XLSX has every row.
"""

import base64
import io
from dataclasses import dataclass

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, Twips
from docx.text.paragraph import Paragraph

from .document import OfficialDocument
from .docx_html import HtmlWriter
from .docx_ooxml import field, mark_size, paragraph_rule, row_properties, table_layout, text_width, twips
from .docx_styles import styles_setup
from .render import render_official_parts

MAX_ANNEX_ROWS = 1000
A4 = (Twips(11906), Twips(16838))
MARGINS = {"top_margin": Mm(20), "bottom_margin": Mm(20), "left_margin": Mm(30), "right_margin": Mm(15)}
HEADER_DISTANCE = Mm(10)  # the page number sits in the middle of the 20 mm top margin
FOOTER_DISTANCE = Mm(5)
SHORT_RULE = 0.35  # of the text above it, as in official.css
SIGNATURE_SPACE = Mm(30)


@dataclass(frozen=True)
class PageNotes:
    """Small print in the bottom margin: `every_page` at the right of every page; on page 1 also
    `first_page` in the middle and `first_page_image` (a PNG, e.g. the QR code of the verification link) at
    the left. The consolidated reports print their verification code and link this way."""

    every_page: str = ""
    first_page: str = ""
    first_page_image: bytes = b""


def docx_render(*, document: OfficialDocument, body_html: str, appendices_html: str = "",
                page_notes: PageNotes | None = None, annex_xlsx_name: str = "",
                max_annex_rows: int = MAX_ANNEX_ROWS) -> bytes:
    """Return the DOCX bytes of the document.

    `body_html` goes between the title and the signature block, `appendices_html` after it, as in the PDF.
    A table of the appendices with more than `max_annex_rows` body rows is replaced by a sentence pointing to
    the XLSX annex (`annex_xlsx_name`, the file that goes with the document).
    """
    word = Document()
    styles_setup(word)
    section = word.sections[0]
    page_setup(section, landscape=document.landscape)
    _page_numbers(section)
    if page_notes:
        _page_notes(section, page_notes)
    width = text_area(section)
    _header(word, document, width)
    _title(word, document, width)
    writer = HtmlWriter(word, width=width, appendix_start=lambda landscape: _appendix_section(word, landscape),
                        max_table_rows=max_annex_rows,
                        large_table=lambda rows: large_table_sentence(document, rows, annex_xlsx_name))
    writer.write(body_html)
    if writer.last_paragraph is not None:
        writer.last_paragraph.paragraph_format.keep_with_next = True  # the signature never starts a page alone
    _signature(word, document, width)
    _verification(word, document)
    writer.write(appendices_html, appendix=True)
    _properties(word, document)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def render_official_docx(*, document: OfficialDocument, body_template: str, context: dict | None = None,
                         appendices_template: str | None = None, **options) -> bytes:
    """The DOCX of the document whose PDF `render_official_pdf` makes from the same arguments."""
    body, appendices = render_official_parts(document=document, body_template=body_template, context=context,
                                             appendices_template=appendices_template)
    return docx_render(document=document, body_html=body, appendices_html=appendices, **options)


def large_table_sentence(document: OfficialDocument, rows: int, xlsx_name: str) -> str:
    count = f"{rows:,}".replace(",", ".")
    where = f": {xlsx_name}" if xlsx_name else ""
    return (f"Danh sách chi tiết gồm {count} dòng được gửi kèm theo {document.doc_type.capitalize()} này dưới dạng "
            f"tệp bảng tính (Excel){where}.")


# --- pages ------------------------------------------------------------------------------------------------------

def page_setup(section, *, landscape: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    for name, value in MARGINS.items():
        setattr(section, name, value)
    section.header_distance = HEADER_DISTANCE
    section.footer_distance = FOOTER_DISTANCE
    section.gutter = Length(0)


def text_area(section) -> Length:
    return Length(section.page_width - section.left_margin - section.right_margin)


def _page_numbers(section) -> None:
    """No number on page 1 (its own empty header), then the PAGE field centred in the top margin."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field(number, "PAGE", "2")


def _page_notes(section, notes: PageNotes) -> None:
    if notes.every_page:
        _small_print(section.footer.paragraphs[0], notes.every_page, WD_ALIGN_PARAGRAPH.RIGHT)
    footer = section.first_page_footer
    footer.is_linked_to_previous = False
    if not (notes.first_page or notes.first_page_image):
        if notes.every_page:
            _small_print(footer.paragraphs[0], notes.every_page, WD_ALIGN_PARAGRAPH.RIGHT)
        return
    width = text_area(section)
    widths = [Mm(22), Length(width - Mm(22) - Mm(50)), Mm(50)]
    table = footer.add_table(1, 3, width)
    table_layout(table, widths, cell_margins=(Length(0), Length(0)))
    cells = table.rows[0].cells
    for cell, w in zip(cells, widths, strict=True):
        cell.width = w
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if notes.first_page_image:
        cells[0].paragraphs[0].add_run().add_picture(io.BytesIO(notes.first_page_image), width=Mm(16))
    _small_print(cells[1].paragraphs[0], notes.first_page, WD_ALIGN_PARAGRAPH.CENTER)
    _small_print(cells[2].paragraphs[0], notes.every_page, WD_ALIGN_PARAGRAPH.RIGHT)
    closing = footer.paragraphs[0]  # a footer ends with a paragraph: the empty one moves after the table
    footer._element.append(closing._p)
    mark_size(closing, Pt(1))


def _small_print(paragraph: Paragraph, text: str, align) -> None:
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.italic = True
    run.font.size = Pt(9)


def _appendix_section(word, landscape: bool) -> Length:
    """A new section on a new page; it inherits the headers (page numbers) and footers of the first."""
    section = word.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False
    page_setup(section, landscape=landscape)
    breaks = word.element.body.findall(qn("w:p"))
    mark_size(Paragraph(breaks[-1], word), Pt(1))  # the paragraph carrying the section break takes no room
    return text_area(section)


# --- the frame: header, title, signature ---------------------------------------------------------------------

def _line(container, text: str = "", *, size: Length, bold: bool = False, italic: bool = False,
          align=WD_ALIGN_PARAGRAPH.CENTER, before: Length | None = None, first: bool = False) -> Paragraph:
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.alignment = align
    if before is not None:
        paragraph.paragraph_format.space_before = before
    if text:
        run = paragraph.add_run(text)
        run.font.size = size
        run.bold = bold or None
        run.italic = italic or None
    else:
        mark_size(paragraph, size)
    return paragraph


def _borderless(word, widths: list[Length]):
    table = word.add_table(1, len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table_layout(table, widths, cell_margins=(Length(0), Length(0)))
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = width
    return table


def _short_rule(container, text: str, size: Length, cell_width: Length, *, bold: bool, after=None) -> None:
    """A small empty paragraph whose bottom border is a centred rule, 35 % as long as the text above it."""
    length = min(text_width(text, size, bold=bold), cell_width) * SHORT_RULE
    rule = _line(container, size=Pt(4))
    indent = emu_twips((cell_width - length) / 2)
    rule.paragraph_format.left_indent = rule.paragraph_format.right_indent = indent
    if after is not None:
        rule.paragraph_format.space_after = after
    paragraph_rule(rule, "bottom", space_pt=0)


def emu_twips(emu: float) -> Length:
    return twips(emu / 635)


def _header(word, document: OfficialDocument, width: Length) -> None:
    widths = [twips(width.twips * 0.45), twips(width.twips * 0.55)]
    table = _borderless(word, widths)
    table.add_row()
    left, right = table.rows[0].cells
    first = True
    for text in document.parent_lines:
        _line(left, text.upper(), size=Pt(12), first=first)
        first = False
    for text in document.issuing_lines:
        _line(left, text.upper(), size=Pt(12), bold=True, first=first)
        first = False
    _short_rule(left, max(document.issuing_lines, key=len).upper(), Pt(12), widths[0], bold=True)
    _line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=Pt(12), bold=True, first=True)
    motto = "Độc lập - Tự do - Hạnh phúc"
    line = _line(right, motto, size=Pt(14), bold=True)
    spare = Length(widths[1] - text_width(motto, Pt(14), bold=True) - Pt(4))  # a rule as long as the text
    line.paragraph_format.left_indent = line.paragraph_format.right_indent = emu_twips(max(spare, 0) / 2)
    paragraph_rule(line, "bottom")
    left, right = table.rows[1].cells
    for cell, w in zip((left, right), widths, strict=True):
        cell.width = w
    _line(left, f"Số: {document.number}", size=Pt(13), before=Pt(8), first=True)
    if document.is_letter:  # a letter (công văn) has no title: its summary "V/v ..." goes under its number
        _line(left, f"V/v {document.summary}", size=Pt(12), before=Pt(4))
    _line(right, document.place_date, size=Pt(14), italic=True, before=Pt(8), first=True)


def _title(word, document: OfficialDocument, width: Length) -> None:
    if document.is_letter:
        _line(word, size=Pt(12))  # the space the title takes in other documents
        return
    title = _line(word, document.title, size=Pt(14), bold=True, before=Pt(12))
    title.paragraph_format.keep_with_next = True
    if not document.summary:
        title.paragraph_format.space_after = Pt(12)
        return
    summary = _line(word, document.summary, size=Pt(14), bold=True)
    summary.paragraph_format.keep_with_next = True
    _short_rule(word, document.summary, Pt(14), width, bold=True, after=Pt(12))


def _signature(word, document: OfficialDocument, width: Length) -> None:
    table = _borderless(word, [twips(width.twips * 0.45), twips(width.twips * 0.55)])
    row_properties(table.rows[0]._tr)
    left, right = table.rows[0].cells
    _line(left, "Nơi nhận:", size=Pt(12), bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, before=Pt(12),
          first=True)
    for line in document.recipient_lines:
        _line(left, line, size=Pt(11), align=WD_ALIGN_PARAGRAPH.LEFT)
    for index, line in enumerate(document.signing_capacity):
        _line(right, line.upper(), size=Pt(14), bold=True, before=Pt(12) if index == 0 else None, first=index == 0)
    _line(right, document.signer_name, size=Pt(14), bold=True, before=SIGNATURE_SPACE)


def _verification(word, document: OfficialDocument) -> None:
    if not (document.verification_text or document.verification_qr):
        return
    paragraph = _line(word, align=WD_ALIGN_PARAGRAPH.LEFT, size=Pt(10), before=Pt(10))
    header, _, data = document.verification_qr.partition(",")
    if header.startswith(("data:image/png;base64", "data:image/jpeg;base64")):
        paragraph.add_run().add_picture(io.BytesIO(base64.b64decode(data)), width=Mm(22))
        paragraph.add_run(" ")
    run = paragraph.add_run(document.verification_text)
    run.italic = True
    run.font.size = Pt(10)


def _properties(word, document: OfficialDocument) -> None:
    properties = word.core_properties
    properties.title = f"{document.title} {document.number}".strip()
    properties.subject = document.summary
    properties.author = properties.last_modified_by = document.issuing_body_text
    properties.language = "vi-VN"
    properties.comments = properties.keywords = ""
    properties.revision = 1
    properties.created = properties.modified = timezone.now()
