"""The geometry of an HTML table on Word's grid: which rows in which order, where each cell sits with its
column and row spans, and how wide each column is (a browser's automatic layout, on measured text)."""

import re
from dataclasses import dataclass

from docx.shared import Length

from .docx_ooxml import text_width, twips

_WIDTH = re.compile(r"width\s*:\s*([\d.]+)\s*%")
DROPPED = {"style", "script", "head", "title", "meta", "link", "img", "colgroup", "col"}  # no text a reader sees
MEASURED_ROWS = 200  # column widths follow the text of a table's first rows (an annex may have thousands)


@dataclass
class Slot:
    """A cell (td/th element) placed on the grid."""

    element: object
    row: int
    col: int
    colspan: int
    rowspan: int


def table_rows(table) -> list[tuple[str, object]]:
    """(kind, tr) in reading order: head rows, body rows (tbody or bare tr), then foot rows."""
    head, body, foot = [], [], []
    for child in table:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag.lower()
        target = {"thead": head, "tfoot": foot}.get(tag, body)
        if tag in ("thead", "tbody", "tfoot"):
            target.extend(tr for tr in child if isinstance(tr.tag, str) and tr.tag.lower() == "tr")
        elif tag == "tr":
            body.append(child)
    return [("thead", tr) for tr in head] + [("tbody", tr) for tr in body] + [("tfoot", tr) for tr in foot]


def positive_int(element, name: str) -> int:
    """A positive whole number attribute (colspan, rowspan, start); 1 when missing or not a number."""
    try:
        return max(int(element.get(name) or 1), 1)
    except ValueError:
        return 1


def grid(rows) -> tuple[list[Slot], int]:
    """Place every cell on the table grid (HTML's algorithm: a cell takes the first column free of the row-spans
    from above); return the cells and the number of columns."""
    slots = []
    columns = 0
    spanned: dict[int, int] = {}  # column -> rows below still taken by a row-span from above
    for r, (_, tr) in enumerate(rows):
        col = 0
        taken = set(spanned)
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            while col in taken:
                col += 1
            colspan = positive_int(cell, "colspan")
            rowspan = min(positive_int(cell, "rowspan"), len(rows) - r)
            slots.append(Slot(cell, r, col, colspan, rowspan))
            for c in range(col, col + colspan):
                if rowspan > 1:
                    spanned[c] = rowspan
            col += colspan
        columns = max(columns, col, max(taken, default=-1) + 1)
        spanned = {c: left - 1 for c, left in spanned.items() if left > 1}
    return slots, columns


def column_widths(table, slots: list[Slot], columns: int, total: Length, *, size: Length,
                  header_size: Length, padding: Length) -> list[Length]:
    """A browser's column widths, on the measured text of the first rows (`MEASURED_ROWS`, the header among
    them): each column at least as wide as its longest word; the rest given as ``<col style="width: N%">``
    says when every column has one, otherwise in proportion to what each column needs to keep its longest
    text on one line."""
    low = [padding.twips] * columns
    high = [padding.twips] * columns
    for slot in slots:
        if slot.colspan != 1 or slot.row >= MEASURED_ROWS:
            continue
        header = slot.element.tag.lower() == "th"
        font = header_size if header else size
        for line in _lines(slot.element):
            high[slot.col] = max(high[slot.col], text_width(line, font, bold=header).twips + padding.twips)
            words = (text_width(w, font, bold=header).twips for w in line.split())
            low[slot.col] = max(low[slot.col], max(words, default=0) + padding.twips)
    percents = [float(m.group(1)) for col in table.iter("col") if (m := _WIDTH.search(col.get("style") or ""))]
    if len(percents) == columns and sum(percents) > 0:
        weights = _at_least([total.twips * p / sum(percents) for p in percents], low)
    elif sum(high) <= total.twips:
        weights = high
    elif sum(low) >= total.twips:
        weights = low
    else:
        share = (total.twips - sum(low)) / (sum(high) - sum(low))
        weights = [lo + (hi - lo) * share for lo, hi in zip(low, high, strict=True)]
    whole = sum(weights) or 1
    return [twips(total.twips * w / whole) for w in weights]


def _at_least(widths: list[float], low: list[float]) -> list[float]:
    """Widen the columns narrower than their longest word, taking the room from the others' spare width."""
    deficit = sum(max(lo - w, 0) for w, lo in zip(widths, low, strict=True))
    spare = sum(max(w - lo, 0) for w, lo in zip(widths, low, strict=True))
    if not deficit or spare < deficit:
        return widths if not deficit else low
    return [lo if w < lo else w - (w - lo) * deficit / spare for w, lo in zip(widths, low, strict=True)]


def _lines(cell) -> list[str]:
    """The cell's text, one string per line (a <br> starts a new one)."""
    parts = [cell.text or ""]

    def walk(element) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag == "br":
            parts.append("\n")
        elif tag and tag not in DROPPED:
            parts.append(element.text or "")
            for child in element:
                walk(child)
        parts.append(element.tail or "")

    for child in cell:
        walk(child)
    return [" ".join(line.split()) for line in "".join(parts).split("\n")]
