"""The named styles of an official DOCX, so that a clerk editing the draft in Word keeps the Decree 30 look by
picking a style rather than by copying formats: Times New Roman, black, Vietnamese proofing.

- ``Official Body``: 14 pt, justified, first line indented 1.27 cm, 6 pt after (DOMAIN.md §9);
- ``Official Heading 1``-``4``: the same, bold (level 4 bold italic), kept with the next paragraph, and in the
  document outline (Word's navigation pane) without Word's blue heading look;
- ``Official Table`` (12 pt), ``Official Table Compact`` (11 pt), ``Official Table Small`` (9 pt): table text.

The sizes mirror static/css/print/official.css, so the DOCX and the PDF say the same thing the same way.
"""

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .docx_ooxml import fonts_everywhere, language, outline_level

BODY_SIZE = Pt(14)
FIRST_LINE = Cm(1.27)
PARAGRAPH_GAP = Pt(6)

BODY = "Official Body"
HEADINGS = {1: "Official Heading 1", 2: "Official Heading 2", 3: "Official Heading 3", 4: "Official Heading 4"}
TABLE = "Official Table"
TABLE_COMPACT = "Official Table Compact"
TABLE_SMALL = "Official Table Small"
TABLE_GRID = "Table Grid"  # python-docx's template: single 0.5 pt black borders
PLAIN = "Normal"  # 14 pt, no indent, no spacing: the text of borderless tables (signature pairs)


def style_id(name: str) -> str:
    """The id Word (and python-docx) give a style of this name."""
    return name.replace(" ", "")


def compatibility_setup(document) -> None:
    """Word 2013 layout (tables line up with the text margin instead of sticking out by their cell padding),
    and no "spelling already checked" mark, so that Word proofs the Vietnamese text."""
    settings = document.settings.element
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
    for proof in settings.findall(qn("w:proofState")):
        settings.remove(proof)


def styles_setup(document) -> None:
    compatibility_setup(document)
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts_everywhere(rpr)
    language(rpr)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")  # single

    normal = styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = BODY_SIZE
    fonts_everywhere(normal.element.get_or_add_rPr())
    normal.paragraph_format.widow_control = True
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(13)

    body = _paragraph_style(styles, BODY, base=normal)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = FIRST_LINE
    body.paragraph_format.space_after = PARAGRAPH_GAP
    body.quick_style = True

    for level, name in HEADINGS.items():
        heading = _paragraph_style(styles, name, base=body)
        heading.font.bold = True
        heading.font.italic = level == 4
        heading.paragraph_format.space_before = PARAGRAPH_GAP
        heading.paragraph_format.keep_with_next = True
        heading.next_paragraph_style = body
        heading.quick_style = True
        outline_level(heading.element.get_or_add_pPr(), level - 1)

    table = _paragraph_style(styles, TABLE, base=normal)
    table.font.size = Pt(12)
    table.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    table.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _paragraph_style(styles, TABLE_COMPACT, base=table).font.size = Pt(11)
    _paragraph_style(styles, TABLE_SMALL, base=table).font.size = Pt(9)


def _paragraph_style(styles, name: str, *, base):
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = base
    return style
