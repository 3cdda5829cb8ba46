"""A long table on official landscape pages, drawn straight into PDF content streams.

This is the engine of the annexes (Phụ lục) of the consolidated reports: WeasyPrint spends about 11 ms of CPU
on each row of such a table (line breaking in Pango, then drawing), so a 1,000-row annex took 12-13 s. Here the
layout is the fixed one the printed annex has, computed directly (docs/bench.md compares the engines measured):

- A4 landscape, margins 20/15/20/30 mm (static/css/print/official.css); the page number, 13 pt, centred in the
  top margin, continuing the body's numbers; an optional line at the right of the bottom margin, 9 pt italic
  (the verification code of _style.html).
- First page: a heading of centred or left-aligned paragraphs (line height 1.2; CSS margins collapse).
- The table: 9 pt, line height 1.1, 0.5 pt borders (collapsed), cell padding 1 pt 2 pt, fixed column widths
  (shares of the table width, as `table-layout: fixed` does), the header row (bold, centred, middle) repeated on
  every page; a row is never split across pages unless it is taller than a page.
- Lines break greedily at spaces and after a slash or a hyphen inside a word (see `_pieces`), kerning pairs
  counted, as Pango does for this text; a word wider than its column overflows, starting at the left.

Glyphs are shown as in WeasyPrint's output (reports.rendering.fonts): the merge gives body and annex one font
per face. The WeasyPrint templates (templates/reports/pdf/*_annex.html) stay the reference layout:
tests/reports/test_annex_engine.py compares both row by row.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .fonts import Face, face

MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 297 * MM, 210 * MM
MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT = 20 * MM, 15 * MM, 20 * MM, 30 * MM
LINE_HEIGHT = 1.2
TABLE_SIZE, TABLE_LINE_HEIGHT = 9, 1.1
BORDER, PAD_X, PAD_Y = 0.5, 2, 1
PAGE_NUMBER_SIZE, FOOTER_SIZE = 13, 9
TABLE_SPACE_BEFORE = 6
RESOURCE_NAMES = {"regular": "R", "bold": "B", "italic": "I", "bold_italic": "BI"}
LEFT, CENTER, RIGHT = "left", "center", "right"
_SPACES = re.compile(r"[ \t\n\r\f]+")
_INNER_BREAK = re.compile(r"(?<=[^/-][/-])(?=[^0-9/-])")


@dataclass(frozen=True)
class Paragraph:
    text: str
    face: str = "regular"
    size: float = 14
    align: str = CENTER
    space_before: float = 0
    space_after: float = 0


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # share of the table width
    align: str = LEFT


@dataclass
class TablePages:
    """The laid-out pages: content streams without their page number, which the merge adds once it knows
    how many pages precede them."""

    pages: list[bytes]
    chars: dict[str, set[str]] = field(default_factory=dict)  # face -> characters shown
    width: float = PAGE_WIDTH
    height: float = PAGE_HEIGHT

    def content(self, index: int, page_number: int) -> bytes:
        regular = face("regular")
        text = str(page_number)
        x = (MARGIN_LEFT + PAGE_WIDTH - MARGIN_RIGHT - regular.width(text, PAGE_NUMBER_SIZE)) / 2
        baseline = _middle_baseline(regular, PAGE_NUMBER_SIZE, MARGIN_TOP / 2)
        number = (f"BT /{RESOURCE_NAMES['regular']} {PAGE_NUMBER_SIZE} Tf 1 0 0 1 {x:.2f} "
                  f"{PAGE_HEIGHT - baseline:.2f} Tm {regular.shown(text)} ET\n")
        return self.pages[index] + number.encode("ascii")


def _pieces(text: str) -> list[tuple[str, bool]]:
    """(piece, follows a space) between the break opportunities of `text`: spaces, and after a slash or a
    hyphen inside a word unless a digit follows ("áp dụng/tổng số", "QĐ-UBND"; never "12/03/2024"), as the
    Unicode line breaking rules that Pango applies have it. White space collapses as in HTML; a no-break
    space neither collapses nor breaks."""
    pieces = []
    for word in _SPACES.split(text.strip(" \t\n\r\f")):
        if not word:
            continue
        first = True
        for piece in _INNER_BREAK.split(word):
            if piece:
                pieces.append((piece, first))
                first = False
    return pieces


def wrap(face_: Face, size: float, text: str, width: float) -> list[tuple[str, float]]:
    """(line, width in pt) for `text` broken greedily at its break opportunities to fit `width`."""
    pieces = _pieces(text)
    if not pieces:
        return []
    space, kern = face_.width(" ", size), face_.kern
    lines = []
    current, current_width = pieces[0][0], face_.width(pieces[0][0], size)
    for piece, spaced in pieces[1:]:
        piece_width = face_.width(piece, size)
        if spaced:
            joint = space + (kern(current[-1], " ") + kern(" ", piece[0])) * size / 1000
        else:
            joint = kern(current[-1], piece[0]) * size / 1000
        if current_width + joint + piece_width <= width + 0.01:
            current = f"{current} {piece}" if spaced else current + piece
            current_width += joint + piece_width
        else:
            lines.append((current, current_width))
            current, current_width = piece, piece_width
    lines.append((current, current_width))
    return lines


def _baseline_offset(face_: Face, size: float, line_height: float) -> float:
    """From the top of a line box to the baseline (half-leading above the ascent, as CSS does)."""
    return (line_height - size * (face_.ascent + face_.descent)) / 2 + face_.ascent * size


def _middle_baseline(face_: Face, size: float, centre: float) -> float:
    """Baseline of one line vertically centred on `centre` (the page margin boxes)."""
    line = size * LINE_HEIGHT
    return centre - line / 2 + _baseline_offset(face_, size, line)


class _Page:
    def __init__(self, chars: dict[str, set[str]]):
        self.chars = chars
        self.text = ["BT"]
        self.rules: list[str] = []
        self.font = None

    def show(self, face_: Face, size: float, x: float, baseline: float, text: str) -> None:
        if (face_.key, size) != self.font:
            self.text.append(f"/{RESOURCE_NAMES[face_.key]} {size:g} Tf")
            self.font = (face_.key, size)
        self.chars.setdefault(face_.key, set()).update(text)
        self.text.append(f"1 0 0 1 {x:.2f} {PAGE_HEIGHT - baseline:.2f} Tm {face_.shown(text)}")

    def rule(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.rules.append(f"{x0:.2f} {PAGE_HEIGHT - y0:.2f} m {x1:.2f} {PAGE_HEIGHT - y1:.2f} l")

    def content(self) -> bytes:
        strokes = [f"{BORDER:g} w", *self.rules, "S"] if self.rules else []
        return "\n".join(["0 g 0 G", *self.text, "ET", *strokes, ""]).encode("ascii")


class _Layout:
    def __init__(self, columns: Sequence[Column], footer: str):
        self.columns = columns
        self.footer = footer
        self.chars: dict[str, set[str]] = {}
        self.pages: list[_Page] = []
        inner = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT - BORDER
        total = sum(column.width for column in columns)
        self.xs = [MARGIN_LEFT + BORDER / 2]
        for column in columns:
            self.xs.append(self.xs[-1] + inner * column.width / total)
        self.room = [self.xs[i + 1] - self.xs[i] - BORDER - 2 * PAD_X for i in range(len(columns))]
        self.regular, self.bold = face("regular"), face("bold")
        self.line = TABLE_SIZE * TABLE_LINE_HEIGHT
        self.limit = PAGE_HEIGHT - MARGIN_BOTTOM
        self.header = self.cells([column.title for column in columns], self.bold)

    def cells(self, values: Sequence[str], face_: Face) -> list[list[tuple[str, float]]]:
        return [wrap(face_, TABLE_SIZE, value, room) if value else []
                for value, room in zip(values, self.room, strict=True)]

    def new_page(self) -> _Page:
        page = _Page(self.chars)
        if self.footer:
            italic = face("italic")
            x = PAGE_WIDTH - MARGIN_RIGHT - italic.width(self.footer, FOOTER_SIZE)
            page.show(italic, FOOTER_SIZE, x, _middle_baseline(italic, FOOTER_SIZE, PAGE_HEIGHT - MARGIN_BOTTOM / 2),
                      self.footer)
        self.pages.append(page)
        return page

    def heading(self, page: _Page, paragraphs: Sequence[Paragraph]) -> float:
        """Lay out the paragraphs from the top margin; returns where the table starts."""
        y, space = MARGIN_TOP, 0.0
        left, width = MARGIN_LEFT, PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
        for paragraph in paragraphs:
            face_ = face(paragraph.face)
            y += max(space, paragraph.space_before)
            line = paragraph.size * LINE_HEIGHT
            offset = _baseline_offset(face_, paragraph.size, line)
            for text, text_width in wrap(face_, paragraph.size, paragraph.text, width):
                x = left + (width - text_width) / 2 if paragraph.align == CENTER else left
                page.show(face_, paragraph.size, x, y + offset, text)
                y += line
            space = paragraph.space_after
        return y + max(space, TABLE_SPACE_BEFORE)

    def row(self, page: _Page, top: float, cells, face_: Face, middle: bool = False) -> float:
        """Draw one row whose top border starts at `top`; returns where the next row's top border starts."""
        height = max((len(lines) for lines in cells), default=0) * self.line
        content_top = top + BORDER + PAD_Y
        offset = _baseline_offset(face_, TABLE_SIZE, self.line)
        for i, lines in enumerate(cells):
            if not lines:
                continue
            align = CENTER if middle else self.columns[i].align
            left, right = self.xs[i] + BORDER / 2 + PAD_X, self.xs[i + 1] - BORDER / 2 - PAD_X
            y = content_top + offset + ((height - len(lines) * self.line) / 2 if middle else 0)
            for text, width in lines:
                # A line wider than its cell starts at the left edge whatever the alignment (as in CSS).
                x = left if align == LEFT or width > right - left else (
                    right - width if align == RIGHT else (left + right - width) / 2)
                page.show(face_, TABLE_SIZE, x, y, text)
                y += self.line
        return top + BORDER + 2 * PAD_Y + height

    def close(self, page: _Page, tops: list[float]) -> None:
        """The collapsed borders of the rows whose top edges are `tops` (the last one: the closing border)."""
        half = BORDER / 2
        for top in tops:
            page.rule(self.xs[0] - half, top + half, self.xs[-1] + half, top + half)
        for x in self.xs:
            page.rule(x, tops[0], x, tops[-1] + BORDER)

    def fits(self, top: float, lines: int) -> bool:
        return top + 2 * BORDER + 2 * PAD_Y + lines * self.line <= self.limit + 0.01

    def table(self, rows: Sequence[Sequence[str]], heading: Sequence[Paragraph]) -> None:
        page = self.new_page()
        top = self.heading(page, heading)
        tops = [top]
        top = self.row(page, top, self.header, self.bold, middle=True)
        first_on_page = True
        for values in rows:
            cells = self.cells(values, self.regular)
            while True:
                lines = max((len(c) for c in cells), default=0)
                if self.fits(top, lines):
                    tops.append(top)
                    top = self.row(page, top, cells, self.regular)
                    first_on_page = False
                    break
                if first_on_page:  # taller than a page: split it at a line
                    room = max(int((self.limit - top - 2 * BORDER - 2 * PAD_Y) // self.line), 1)
                    tops.append(top)
                    top = self.row(page, top, [c[:room] for c in cells], self.regular)
                    cells = [c[room:] for c in cells]
                tops.append(top)
                self.close(page, tops)
                page = self.new_page()
                tops = [MARGIN_TOP]
                top = self.row(page, MARGIN_TOP, self.header, self.bold, middle=True)
                first_on_page = True
        tops.append(top)
        self.close(page, tops)


def table_pages(*, heading: Sequence[Paragraph], columns: Sequence[Column], rows: Sequence[Sequence[str]],
                footer: str = "") -> TablePages:
    """Lay out and draw the table (rows of cell texts, one per column) with its heading on the first page."""
    layout = _Layout(columns, footer)
    layout.table(rows, heading)
    chars = layout.chars
    chars.setdefault("regular", set()).update("0123456789")  # the page numbers, drawn at the merge
    return TablePages(pages=[page.content() for page in layout.pages], chars=chars)
