"""Low-level WordprocessingML the python-docx API does not offer: paragraph borders (the Decree 30 rules),
fields (page numbers), table grid, row and cell properties, fonts on every script slot, and text widths.

Elements are inserted in the order the schema requires (Word refuses a file whose property elements are out of
order; LibreOffice is lenient), using python-docx's own tag sequences where it has them.
"""

from functools import lru_cache
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.parfmt import CT_PPr
from docx.shared import Length, Pt, Twips

FONT = "Times New Roman"  # Decree 30; LibreOffice shows it with the metric-compatible Liberation Serif
FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"

# CT_PPr's children in schema order (python-docx keeps the list private: this is a copy).
_PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
              "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku",
              "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
              "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
              "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
              "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_TRPR_ORDER = ("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter", "w:cantSplit",
               "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden")
_TBLPR_ORDER = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
                "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")


def _replace_child(parent, tag: str, order: tuple[str, ...]):
    """Remove `parent`'s `tag` child, insert a new one at its place in `order`, and return it."""
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    element = OxmlElement(tag)
    parent.insert_element_before(element, *order[order.index(tag) + 1:])
    return element


def _ppr(paragraph) -> CT_PPr:
    return paragraph._p.get_or_add_pPr()


def paragraph_rule(paragraph, side: str = "bottom", *, size_eighths: int = 6, space_pt: int = 1) -> None:
    """A single black line along one side of the paragraph, between its left and right indents (6/8 pt)."""
    border = _replace_child(_ppr(paragraph), "w:pBdr", _PPR_ORDER)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), str(space_pt))
    line.set(qn("w:color"), "000000")
    border.append(line)


def outline_level(ppr: CT_PPr, level: int) -> None:
    """Make a paragraph style a heading of the document outline (Word's navigation pane) without Word's look."""
    _replace_child(ppr, "w:outlineLvl", _PPR_ORDER).set(qn("w:val"), str(level))


def mark_size(paragraph, size: Length) -> None:
    """The size of the paragraph mark: an empty paragraph is as tall as its mark."""
    rpr = _replace_child(_ppr(paragraph), "w:rPr", _PPR_ORDER)
    for tag in ("w:sz", "w:szCs"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), str(round(size.pt * 2)))
        rpr.append(element)


def field(paragraph, instruction: str, cached: str = "") -> None:
    """A complex field (``PAGE``, ``NUMPAGES`` ...) at the end of the paragraph; Word and LibreOffice update it."""
    def run_with(child):
        run = paragraph.add_run()
        run._r.append(child)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(cached)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def fonts_everywhere(rpr, name: str = FONT) -> None:
    """Set the font for Latin, East Asian and complex scripts, dropping theme fonts (which would win)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme"):
            del fonts.attrib[attribute]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)


def language(rpr, tag: str = "vi-VN") -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)


# --- properties built once and copied (python-docx's element-by-element setters cost ~0.5 ms a table cell) ----

_JUSTIFICATION = {WD_ALIGN_PARAGRAPH.LEFT: "left", WD_ALIGN_PARAGRAPH.CENTER: "center",
                  WD_ALIGN_PARAGRAPH.RIGHT: "right", WD_ALIGN_PARAGRAPH.JUSTIFY: "both"}


def _child(parent, tag: str, **attributes):
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    parent.append(element)
    return element


def paragraph_properties(*, style_id: str, align=None, first_line: Length | None = None, left: Length | None = None,
                         before: Length | None = None, after: Length | None = None):
    """A ``w:pPr`` with these properties, in schema order."""
    ppr = OxmlElement("w:pPr")
    _child(ppr, "w:pStyle", val=style_id)
    if before is not None or after is not None:
        spacing = _child(ppr, "w:spacing")
        for name, value in (("before", before), ("after", after)):
            if value is not None:
                spacing.set(qn(f"w:{name}"), str(value.twips))
    if first_line is not None or left is not None:
        ind = _child(ppr, "w:ind")
        if left is not None:
            ind.set(qn("w:left"), str(left.twips))
        if first_line is not None and first_line < 0:
            ind.set(qn("w:hanging"), str(-Length(first_line).twips))
        elif first_line is not None:
            ind.set(qn("w:firstLine"), str(first_line.twips))
    if align is not None:
        _child(ppr, "w:jc", val=_JUSTIFICATION[align])
    return ppr


def run_properties(*, bold: bool = False, italic: bool = False, underline: bool = False,
                   size: Length | None = None, vertical: str = ""):
    """A ``w:rPr`` with these properties in schema order, or None when there are none."""
    rpr = OxmlElement("w:rPr")
    if bold:
        _child(rpr, "w:b")
    if italic:
        _child(rpr, "w:i")
    if size is not None:
        _child(rpr, "w:sz", val=round(size.pt * 2))
        _child(rpr, "w:szCs", val=round(size.pt * 2))
    if underline:
        _child(rpr, "w:u", val="single")
    if vertical:
        _child(rpr, "w:vertAlign", val=vertical)
    return rpr if len(rpr) else None


def cell_properties(*, width: Length, span: int = 1, merge: str = "", middle: bool = False):
    """A ``w:tcPr``: width, column span, vertical merge ("restart"/"continue"), vertical centring."""
    tcpr = OxmlElement("w:tcPr")
    _child(tcpr, "w:tcW", w=width.twips, type="dxa")
    if span > 1:
        _child(tcpr, "w:gridSpan", val=span)
    if merge:
        _child(tcpr, "w:vMerge", val=merge)
    if middle:
        _child(tcpr, "w:vAlign", val="center")
    return tcpr


# --- tables ---------------------------------------------------------------------------------------------------

def table_layout(table, widths: list[Length], *, cell_margins: tuple[Length, Length] | None = None) -> None:
    """Fixed layout with these column widths (Word reads the cells' widths, LibreOffice the grid: both are set
    by the caller for cells), the table as wide as their sum, flush with the text's left edge."""
    tbl = table._tbl
    tblPr = tbl.tblPr
    width = _replace_child(tblPr, "w:tblW", _TBLPR_ORDER)
    width.set(qn("w:w"), str(sum(w.twips for w in widths)))
    width.set(qn("w:type"), "dxa")
    indent = _replace_child(tblPr, "w:tblInd", _TBLPR_ORDER)
    indent.set(qn("w:w"), "0")
    indent.set(qn("w:type"), "dxa")
    _replace_child(tblPr, "w:tblLayout", _TBLPR_ORDER).set(qn("w:type"), "fixed")
    if cell_margins is not None:
        vertical, horizontal = cell_margins
        margins = _replace_child(tblPr, "w:tblCellMar", _TBLPR_ORDER)
        for side, value in (("top", vertical), ("left", horizontal), ("bottom", vertical), ("right", horizontal)):
            element = OxmlElement(f"w:{side}")
            element.set(qn("w:w"), str(value.twips))
            element.set(qn("w:type"), "dxa")
            margins.append(element)
    grid = tbl.tblGrid
    for col in list(grid):
        grid.remove(col)
    for w in widths:
        col = OxmlElement("w:gridCol")
        col.set(qn("w:w"), str(w.twips))
        grid.append(col)


def row_properties(tr, *, header: bool = False, cant_split: bool = True, height: Length | None = None) -> None:
    """Keep a row on one page; repeat header rows on every page; an exact minimum height (signature space)."""
    trPr = tr.get_or_add_trPr()
    if cant_split:
        _replace_child(trPr, "w:cantSplit", _TRPR_ORDER)
    if height is not None:
        element = _replace_child(trPr, "w:trHeight", _TRPR_ORDER)
        element.set(qn("w:val"), str(height.twips))
        element.set(qn("w:hRule"), "atLeast")
    if header:
        _replace_child(trPr, "w:tblHeader", _TRPR_ORDER)


def twips(value: float) -> Length:
    return Twips(round(value))


# --- text widths (the rules under the motto and the issuing body are as long as the text) ----------------------

_FONT_FILES = {(False, False): "LiberationSerif-Regular.ttf", (True, False): "LiberationSerif-Bold.ttf",
               (False, True): "LiberationSerif-Italic.ttf", (True, True): "LiberationSerif-BoldItalic.ttf"}


@lru_cache(maxsize=4)
def _metrics(bold: bool, italic: bool) -> tuple[dict, dict, int]:
    from fontTools.ttLib import TTFont

    font = TTFont(FONT_DIR / _FONT_FILES[(bold, italic)], lazy=True)
    advances = {name: advance for name, (advance, _) in font["hmtx"].metrics.items()}
    return font.getBestCmap(), advances, font["head"].unitsPerEm


def text_width(text: str, size: Length, *, bold: bool = False, italic: bool = False) -> Length:
    """The width of one line of `text` in Times New Roman (measured on the bundled, metric-compatible Liberation
    Serif, which has every Vietnamese letter as one precomposed glyph)."""
    cmap, advances, units = _metrics(bold, italic)
    fallback = advances.get(cmap.get(ord("n")), units // 2)
    total = sum(advances.get(cmap.get(ord(char)), fallback) for char in text)
    return Pt(total * size.pt / units)
