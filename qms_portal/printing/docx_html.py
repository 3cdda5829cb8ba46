"""The HTML of our document bodies, written into a DOCX.

Our body templates (templates/printing, templates/audits/pdf, templates/reports/pdf) use a small subset of HTML;
this maps that subset onto Word's structure, parsed with lxml (python-docx's own dependency):

- paragraphs: ``p``; headings ``h1``-``h6`` (styles ``Official Heading 1``-``4``, in the document outline);
  ``div``, ``section`` and other containers pass their classes on to what they hold; ``section.appendix``
  starts a new section on a new page (landscape with ``annex-landscape``);
- lists: ``ul``/``ol``/``li``; the marker is written as text, as the PDF shows it: ``ul.dash`` "- ", ``ul.plain``
  none, ``ul`` "• ", ``ol`` "1. " (``start`` honoured);
- tables: ``table``/``caption``/``thead``/``tbody``/``tfoot``/``tr``/``th``/``td`` with ``colspan`` and
  ``rowspan``; ``<colgroup><col style="width: N%">`` sets the column widths, otherwise they follow the text
  lengths as a browser's automatic layout does. ``table.data`` has borders, other tables (signature pairs) none;
  header rows repeat on every page, rows are not split across pages, ``tfoot`` rows come last (the grid and the
  column widths are worked out in ``docx_tables``);
- inline: ``br``, ``b``/``strong``, ``i``/``em``, ``u``, ``sup``, ``sub``; ``span``, ``a`` and any element not
  listed keep their text (and their children's) with the formatting around them;
- dropped: ``style``, ``script``, ``head``, comments; ``img`` (no template puts one in a body).

Whitespace collapses as in HTML (a no-break space stays). The classes of static/css/print/official.css and of
the templates' own styles that change what a reader sees are honoured (``CLASS_LOOKS``), including
``text-transform: uppercase``, so the words of the DOCX are the words of the PDF.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import lxml.html
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from . import docx_styles as styles
from .docx_ooxml import cell_properties, paragraph_properties, row_properties, run_properties, table_layout
from .docx_tables import DROPPED, Slot, column_widths, grid, positive_int, table_rows

_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace: a no-break space is not collapsed
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # not allowed in XML
_P = qn("w:p")

_CONTAINERS = {"div", "section", "article", "main", "header", "footer", "aside", "nav", "blockquote", "body",
               "html", "figure", "address"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 4, "h6": 4}
_LIST_INDENT = Cm(1.27)
_TABLE_GAP = Pt(9)  # table.data's bottom margin in official.css
_ZERO = Length(0)
_TEXT_SIZE = {styles.TABLE_SMALL: Pt(9), styles.TABLE_COMPACT: Pt(11), styles.TABLE: Pt(12), styles.PLAIN: Pt(14)}


@dataclass(frozen=True)
class Look:
    """How a paragraph and its text look: the HTML tag's defaults, then its classes and its ancestors'."""

    style: str = styles.BODY
    align: WD_ALIGN_PARAGRAPH | None = None  # None: the style's
    first_line: Length | None = None
    left: Length | None = None
    space_before: Length | None = None
    space_after: Length | None = None
    size: Length | None = None
    bold: bool = False
    italic: bool = False
    underline: bool = False
    caps: bool = False
    vertical: str = ""  # "superscript" / "subscript"


_CENTER = {"align": WD_ALIGN_PARAGRAPH.CENTER, "first_line": _ZERO}
_APPENDIX_HEADING = {**_CENTER, "bold": True, "caps": True, "space_before": _ZERO, "space_after": _ZERO}
CLASS_LOOKS = {
    "center": _CENTER,
    "right": {"align": WD_ALIGN_PARAGRAPH.RIGHT, "first_line": _ZERO},
    "num": {"align": WD_ALIGN_PARAGRAPH.RIGHT, "first_line": _ZERO},
    "note": {"size": Pt(12), "italic": True, "first_line": _ZERO},
    "appendix-number": _APPENDIX_HEADING,
    "appendix-title": _APPENDIX_HEADING,
    "appendix-ref": {**_CENTER, "italic": True, "space_before": _ZERO, "space_after": Pt(12)},
    "group": {"bold": True},  # tr.group: a checklist group's title row
    "who": {"bold": True, "caps": True},  # signature pairs inside a body
    "hint": {"italic": True, "size": Pt(12)},
    "name": {"bold": True},
    "unit": {"bold": False, "italic": True, "size": Pt(9)},  # the "(tỷ lệ)" sub-heading of summary tables
}
_INLINE = {"b": {"bold": True}, "strong": {"bold": True}, "i": {"italic": True}, "em": {"italic": True},
           "u": {"underline": True}, "sup": {"vertical": "superscript"}, "sub": {"vertical": "subscript"}}
# Row heights of the spacer cells that leave room for a signature and seal (audits/pdf/_style.html).
_SPACER_HEIGHTS = {"space": Mm(25), "signature-space": Mm(30)}


def classes_of(element) -> list[str]:
    return (element.get("class") or "").split()


def look_with(look: Look, element, **changes) -> Look:
    """`look` changed by `changes` (the tag's defaults), then by the element's classes."""
    merged = dict(changes)
    for name in classes_of(element):
        merged.update(CLASS_LOOKS.get(name, {}))
    return replace(look, **merged) if merged else look


def _copy(element):
    """A deep copy of an lxml element (without the copy module's bookkeeping, which doubles the cost)."""
    return element.__deepcopy__(None)


class Container:
    """Where paragraphs and tables go: the document body or a table cell."""

    def __init__(self, target, width: Length):
        self.target, self.width = target, width
        self.in_cell = isinstance(target, _Cell)

    def add(self, p) -> Paragraph:
        if self.in_cell:
            self.target._tc.append(p)
        else:
            body = self.target.element.body
            if body.sectPr is not None:
                body.sectPr.addprevious(p)
            else:
                body.append(p)
        return Paragraph(p, self.target)

    def table(self, columns: int):
        return self.target.add_table(0, columns)


class Inline:
    """The inline content of one paragraph, collected until a block starts or ends."""

    def __init__(self, writer: "HtmlWriter", container: Container, look: Look, prefix: str = ""):
        self.writer, self.container, self.look, self.prefix = writer, container, look, prefix
        self.items: list[tuple[str, Look] | None] = []  # None is a line break

    def text(self, text: str | None, look: Look) -> None:
        if text:
            self.items.append((text, look))

    def line_break(self) -> None:
        self.items.append(None)

    def flush(self) -> Paragraph | None:
        items, self.items = collapse(self.items), []
        if not items:
            return None
        prefix, self.prefix = self.prefix, ""
        return self.writer.paragraph_write(self.container, self.look, items, prefix=prefix)


def collapse(items: list) -> list:
    """HTML whitespace: runs of spaces become one, none at the start or end of a line; trailing breaks go."""
    out: list = []
    line_start = True
    for item in items:
        if item is None:
            _rstrip_last(out)
            out.append(None)
            line_start = True
            continue
        text, look = item
        text = _SPACE.sub(" ", text)
        if line_start or (out and out[-1] is not None and out[-1][0].endswith(" ")):
            text = text.lstrip(" ")
        if text:
            out.append((text, look))
            line_start = False
    _rstrip_last(out)
    while out and out[-1] is None:
        out.pop()
    return out if any(item is not None for item in out) else []


def _rstrip_last(out: list) -> None:
    while out and out[-1] is not None:
        text, look = out[-1]
        if text.endswith(" "):
            text = text.rstrip(" ")
            if text:
                out[-1] = (text, look)
            else:
                out.pop()
                continue
        break


class HtmlWriter:
    """Writes HTML fragments into a python-docx document.

    `appendix_start(landscape)` is called for each ``section.appendix`` and returns the new text width.
    A table written with `write(..., appendix=True)` that has more than `max_table_rows` body rows is replaced by
    the paragraph `large_table(rows)` returns (the annex then lives in the XLSX only).
    """

    def __init__(self, document, *, width: Length, appendix_start: Callable[[bool], Length],
                 max_table_rows: int | None = None, large_table: Callable[[int], str] | None = None):
        self.document = document
        self.width = width
        self.appendix_start = appendix_start
        self.max_table_rows = max_table_rows
        self.large_table = large_table
        self.in_appendix = False
        self.last_paragraph: Paragraph | None = None
        self._after_table = False  # the next paragraph of the page keeps a table's 9 pt bottom margin
        self._cache: dict = {}  # properties built once per look, copied for each paragraph, run and cell
        self._proto = {name: OxmlElement(f"w:{name}") for name in ("p", "r", "tc")}
        self._proto["t"] = OxmlElement("w:t", {qn("xml:space"): "preserve"})
        self._proto["br"] = OxmlElement("w:r")  # a line break is a run holding a break
        self._proto["br"].append(OxmlElement("w:br"))

    def write(self, html: str, *, appendix: bool = False) -> None:
        if not html.strip():
            return
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        self.in_appendix = appendix
        inline = Inline(self, Container(self.document, self.width), Look())
        self._content(root, Look(), inline)
        inline.flush()

    # --- the tree ---------------------------------------------------------------------------------------------

    def _content(self, element, look: Look, inline: Inline) -> None:
        inline.text(element.text, look)
        for child in element:
            self._node(child, look, inline)
            inline.text(child.tail, look)

    def _node(self, element, look: Look, inline: Inline) -> None:
        if not isinstance(element.tag, str):  # a comment or processing instruction
            return
        tag = element.tag.lower()
        if tag in DROPPED:
            return
        if tag == "br":
            inline.line_break()
        elif tag in _INLINE:
            self._content(element, look_with(look, element, **_INLINE[tag]), inline)
        elif tag == "p" or tag in _HEADINGS:
            self._block(element, self._paragraph_look(element, look), inline)
        elif tag in ("ul", "ol"):
            inline.flush()
            self._list(element, look, inline.container, depth=1)
        elif tag == "table":
            inline.flush()
            self._table(element, look, inline.container)
        elif tag == "section" and "appendix" in classes_of(element):
            inline.flush()
            self.width = self.appendix_start("annex-landscape" in classes_of(element))
            self._block(element, look_with(look, element), Inline(self, Container(self.document, self.width), look))
        elif tag in _CONTAINERS or tag == "li":
            self._block(element, look_with(look, element), inline)
        else:  # an element we do not know: its text stays, formatted as around it
            self._content(element, look_with(look, element), inline)

    def _block(self, element, look: Look, outer: Inline) -> None:
        outer.flush()
        inner = Inline(self, outer.container, look)
        self._content(element, look, inner)
        inner.flush()

    @staticmethod
    def _paragraph_look(element, look: Look) -> Look:
        tag = element.tag.lower()
        if tag in _HEADINGS:
            heading = {"style": styles.HEADINGS[_HEADINGS[tag]]}
            if tag == "h1":
                heading.update(_CENTER)
            return look_with(look, element, **heading)
        if look.style in _TEXT_SIZE:  # a paragraph inside a table cell keeps the table's text style
            return look_with(look, element)
        return look_with(look, element, style=styles.BODY)

    def _list(self, element, look: Look, container: Container, *, depth: int) -> None:
        names = classes_of(element)
        ordered = element.tag.lower() == "ol"
        number = positive_int(element, "start") if ordered else 0
        if "plain" in names or "dash" in names:  # the marker (if any) starts at the first-line indent
            item_look = look_with(look, element, style=styles.BODY, first_line=styles.FIRST_LINE,
                                  left=Length(_LIST_INDENT * (depth - 1)), space_after=Pt(3))
        else:  # a hanging marker, as a browser draws it
            item_look = look_with(look, element, style=styles.BODY, first_line=Length(-Cm(0.63)),
                                  left=Length(_LIST_INDENT * depth), space_after=Pt(3))
        for child in element:
            if not isinstance(child.tag, str) or child.tag.lower() != "li":
                inline = Inline(self, container, item_look)
                self._node(child, item_look, inline)
                inline.flush()
                continue
            prefix = "" if "plain" in names else "- " if "dash" in names else f"{number}. " if ordered else "• "
            number += 1
            li_look = look_with(item_look, child)
            inline = Inline(self, container, li_look, prefix)
            inline.text(child.text, li_look)
            for grandchild in child:
                if isinstance(grandchild.tag, str) and grandchild.tag.lower() in ("ul", "ol"):
                    inline.flush()
                    self._list(grandchild, look, container, depth=depth + 1)
                else:
                    self._node(grandchild, li_look, inline)
                inline.text(grandchild.tail, li_look)
            inline.flush()

    # --- paragraphs -----------------------------------------------------------------------------------------

    def paragraph_write(self, container: Container, look: Look, items: list, *, prefix: str = "") -> Paragraph:
        before = look.space_before
        if self._after_table and not container.in_cell:
            before = max(before or _ZERO, _TABLE_GAP)
        self._after_table = self._after_table and container.in_cell
        p = _copy(self._proto["p"])
        p.append(_copy(self._paragraph_properties(look, before)))
        if prefix:
            p.append(self._run(prefix, look))
        for item in items:
            p.append(_copy(self._proto["br"]) if item is None else self._run(*item))
        self.last_paragraph = container.add(p)
        return self.last_paragraph

    def _paragraph_properties(self, look: Look, before: Length | None):
        key = (look.style, look.align, look.first_line, look.left, before, look.space_after)
        if key not in self._cache:
            self._cache[key] = paragraph_properties(
                style_id=styles.style_id(look.style), align=look.align, first_line=look.first_line, left=look.left,
                before=before, after=look.space_after)
        return self._cache[key]

    def _run(self, text: str, look: Look):
        key = (look.bold, look.italic, look.underline, look.size, look.vertical)
        if key not in self._cache:
            self._cache[key] = run_properties(bold=look.bold, italic=look.italic, underline=look.underline,
                                              size=look.size, vertical=look.vertical)
        run = _copy(self._proto["r"])
        if (properties := self._cache[key]) is not None:
            run.append(_copy(properties))
        element = _copy(self._proto["t"])
        element.text = _CONTROL.sub("", text.upper() if look.caps else text)
        run.append(element)
        return run

    # --- tables ---------------------------------------------------------------------------------------------

    def _table(self, element, look: Look, container: Container) -> None:
        names = classes_of(element)
        for caption in element.findall("caption"):
            self._block(caption, look_with(look, caption, style=styles.BODY, bold=True, **_CENTER),
                        Inline(self, container, look))
        rows = table_rows(element)
        body_rows = sum(1 for kind, _ in rows if kind == "tbody")
        if self.in_appendix and self.max_table_rows is not None and body_rows > self.max_table_rows:
            inline = Inline(self, container, look_with(look, element, style=styles.BODY))
            inline.text(self.large_table(body_rows), inline.look)
            inline.flush()
            return
        slots, columns = grid(rows)
        if not columns:
            return
        data = "data" in names
        text_style = (styles.TABLE_SMALL if "annex" in names else styles.TABLE_COMPACT if "compact" in names
                      else styles.TABLE if data else styles.PLAIN)
        margins = (Pt(1), Pt(2)) if "annex" in names else (Pt(2), Pt(2)) if "summary-table" in names else (
            (Pt(2), Pt(4)) if data else (_ZERO, Pt(4)))
        header_size = Pt(10) if "summary-table" in names else None
        widths = column_widths(element, slots, columns, container.width, size=_TEXT_SIZE[text_style],
                               header_size=header_size or _TEXT_SIZE[text_style],
                               padding=Length(margins[1] * 2 + Pt(4)))  # borders and rounding
        table = container.table(columns)
        if data:
            table._tbl.tblStyle_val = styles.style_id(styles.TABLE_GRID)
        table_layout(table, widths, cell_margins=margins)
        cell_look = replace(look, style=text_style, align=None, first_line=None, left=None, space_before=None,
                            space_after=None)
        if "sign-pair" in names:
            cell_look = replace(cell_look, **_CENTER)
        before = self.last_paragraph if container.target is self.document else None
        self._table_rows(table, rows, slots, widths, cell_look, header_size)
        if not data:  # a signature pair moves to the next page whole, with the paragraph before it
            for paragraph in [before] + [p for cell in table._cells for p in cell.paragraphs]:
                if paragraph is not None:
                    paragraph.paragraph_format.keep_with_next = True
        self._after_table = not isinstance(container.target, _Cell)

    def _table_rows(self, table, rows, slots, widths, cell_look: Look, header_size) -> None:
        by_row: dict[int, list[Slot]] = {}
        for slot in slots:
            for r in range(slot.row, slot.row + slot.rowspan):
                by_row.setdefault(r, []).append(slot)
        columns = len(widths)
        for index, (kind, tr) in enumerate(rows):
            spacer = next((h for cell in tr for name in classes_of(cell)
                           if isinstance(cell.tag, str) and (h := _SPACER_HEIGHTS.get(name))), None)
            row = _copy(self._row_prototype(kind == "thead", spacer))
            table._tbl.append(row)
            row_look = look_with(cell_look, tr)
            col = 0
            for slot in sorted(by_row.get(index, []), key=lambda s: s.col):
                while col < slot.col:  # a gap in a ragged row
                    self._cell(row, table, widths[col], None, row_look, header_size)
                    col += 1
                starts = slot.row == index
                self._cell(row, table, Length(sum(widths[slot.col:slot.col + slot.colspan])),
                           slot.element if starts else None, row_look, header_size, span=slot.colspan,
                           merge="" if slot.rowspan == 1 else "restart" if starts else "continue")
                col = slot.col + slot.colspan
            while col < columns:
                self._cell(row, table, widths[col], None, row_look, header_size)
                col += 1

    def _row_prototype(self, header: bool, height: Length | None):
        key = ("tr", header, height)
        if key not in self._cache:
            row = OxmlElement("w:tr")
            row_properties(row, header=header, height=height)
            self._cache[key] = row
        return self._cache[key]

    def _cell(self, row, table, width: Length, element, look: Look, header_size, *, span: int = 1,
              merge: str = "") -> None:
        heading = element is not None and element.tag.lower() == "th"
        key = ("tc", width, span, merge, heading)
        if key not in self._cache:
            self._cache[key] = cell_properties(width=width, span=span, merge=merge, middle=heading)
        tc = _copy(self._proto["tc"])
        tc.append(_copy(self._cache[key]))
        row.append(tc)
        if element is not None:
            if heading:
                look = replace(look, bold=True, size=header_size or look.size, **_CENTER)
            look = look_with(look, element)
            inline = Inline(self, Container(_Cell(tc, table), Length(width - Pt(8))), look)
            self._content(element, look, inline)
            inline.flush()
        if tc[-1].tag != _P:  # a cell ends with a paragraph
            tc.append(_copy(self._proto["p"]))
