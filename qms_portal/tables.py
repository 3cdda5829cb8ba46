"""Tables people upload to import (.xlsx or .csv), read within limits that are settings:

- IMPORT_MAX_ROWS rows with something in them (after the header),
- IMPORT_MAX_COLUMNS columns with something in them,
- IMPORT_MAX_CELL_CHARS characters in a cell,
- and, whatever the cells hold, no more than rows x columns cells read at all, from a workbook that unpacks to no
  more than XML_BYTES_PER_CELL bytes per such cell (plus WORKBOOK_BASE_BYTES).

Reading stops at the first limit passed, with a message saying which and where: a workbook of 5,000 rows by 400
columns (1 MB, 76 MB of XML) held a web worker 25 s, and a CSV cell over 131,072 characters stopped Python's csv
module with an error nobody caught. Workbooks are read in openpyxl's read-only (streaming) mode, ignoring the size
the file claims for itself (a file that claims fewer rows than it has would otherwise be cut short silently).
"""

import csv
import io
import logging
import zipfile
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .uploads import detect_kind

logger = logging.getLogger(__name__)

# A legitimate cell takes some tens of bytes of XML (a 500-character Vietnamese name about 1.5 KB, but most cells
# are short): a workbook unpacking to more than 100 bytes per readable cell holds something else.
XML_BYTES_PER_CELL = 100
WORKBOOK_BASE_BYTES = 1024 * 1024  # styles, theme and the other parts of any workbook


def _refuse(message: str):
    raise ValidationError({"file": message})


def _xlsx_rows(uploaded) -> Iterator[list]:
    # openpyxl parses the shared strings and styles whole before the first row: bound the XML it may meet.
    with zipfile.ZipFile(uploaded) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    uploaded.seek(0)
    limit = WORKBOOK_BASE_BYTES + settings.IMPORT_MAX_ROWS * settings.IMPORT_MAX_COLUMNS * XML_BYTES_PER_CELL
    if unpacked > limit:
        _refuse(_("The workbook unpacks to %(size)s, more than an import reads (%(limit)s); keep only the table to "
                  "import.") % {"size": filesizeformat(unpacked), "limit": filesizeformat(limit)})
    # Formulas are refused, not evaluated nor read as their cached result: what the import reads is what the
    # file shows and what the person checked (a formula's last result may be stale, or absent when no spreadsheet
    # program computed it).
    workbook = load_workbook(uploaded, read_only=True, data_only=False)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        for row in sheet.iter_rows():
            values = []
            for cell in row:
                if cell.data_type == "f":
                    _refuse(_("The workbook holds a formula (cell %(cell)s): import values only (copy the table, "
                              "then paste it as values).") % {"cell": cell.coordinate})
                values.append(cell.value)
            yield values
    finally:
        workbook.close()


def _csv_rows(uploaded) -> Iterator[list]:
    try:
        text = uploaded.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        if (uploaded.name or "").lower().endswith((".csv", ".txt")):
            _refuse(_("The CSV file must be saved as UTF-8."))
        _refuse(_("Import an Excel (.xlsx) or CSV file."))  # an .xls of Excel 97-2003, a program: no CSV to re-save
    if "\x00" in text:
        _refuse(_("Import an Excel (.xlsx) or CSV file."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:  # one column, or not a table at all: read it plainly, the caller's header check decides
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error:
            _refuse(_("The CSV file cannot be read from line %(line)s: a cell is too long or a quotation mark is "
                      "not closed.") % {"line": reader.line_num})


def _within_limits(rows: Iterable[list]) -> Iterator[list[str]]:
    max_rows, max_columns = settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS
    max_chars, budget = settings.IMPORT_MAX_CELL_CHARS, settings.IMPORT_MAX_ROWS * settings.IMPORT_MAX_COLUMNS
    filled = 0
    for number, raw in enumerate(rows, start=1):
        budget -= len(raw)
        if budget < 0:
            _refuse(_("The file holds more cells than an import reads (%(limit)s); keep only the table to import "
                      "in the first sheet.") % {"limit": f"{max_rows * max_columns:,}".replace(",", ".")})
        row = ["" if value is None else str(value) for value in raw]
        while row and not row[-1].strip():
            row.pop()
        if row:
            filled += 1
        if filled > max_rows + 1:  # the header and max_rows rows
            _refuse(_("The file has more than %(limit)s rows; split it into several files.") % {"limit": max_rows})
        if len(row) > max_columns:
            _refuse(_("Row %(row)s has more than %(limit)s columns; keep only the columns to import.")
                    % {"row": number, "limit": max_columns})
        for column, cell in enumerate(row, start=1):
            if len(cell) > max_chars:
                _refuse(_("Row %(row)s, column %(column)s holds %(length)s characters; a cell may hold at most "
                          "%(limit)s.") % {"row": number, "column": column, "length": len(cell), "limit": max_chars})
        yield row


def read_table(uploaded) -> list[list[str]]:
    """The rows of an uploaded .xlsx (first sheet) or .csv as text, trailing empty cells dropped; a file that is
    neither, or that passes a limit, raises ValidationError on "file"."""
    if uploaded.size > settings.FILE_UPLOAD_MAX_BYTES:
        _refuse(_("The file is too large."))
    try:
        kind = detect_kind(uploaded)
    except ValidationError as error:  # a ZIP bomb, a workbook with macros
        raise ValidationError({"file": error.messages}) from None
    if kind == "xlsx":
        try:
            return list(_within_limits(_xlsx_rows(uploaded)))
        except (ValidationError, MemoryError):
            raise
        except Exception as exc:  # zipfile (a part's CRC), zlib, the XML parsers (entities), openpyxl: each its own
            logger.warning("Workbook refused, it cannot be read: %s: %s", type(exc).__name__, exc)
            _refuse(_("The workbook cannot be read: open it in your spreadsheet program, save it again as .xlsx and "
                      "import that file."))
    if kind is not None:
        _refuse(_("Import an Excel (.xlsx) or CSV file."))
    return list(_within_limits(_csv_rows(uploaded)))


def safe_cell(value):
    """Text that a spreadsheet would run as a formula is written as plain text (for every XLSX the portal writes)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
