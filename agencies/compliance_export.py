"""The province view as an XLSX workbook (openpyxl, write-only so that large provinces stay cheap)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .compliance import RULES


def safe_cell(value):
    """Text that a spreadsheet would run as a formula is written as plain text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def compliance_workbook(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Compliance"))
    header = [_("No."), _("Agency"), _("Short code"), _("Province"), _("Kind"), _("Stage"), _("Edition")]
    header += [str(label) for label in RULES.values()]
    bold = Font(bold=True)
    cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    yes, no = _("Met"), _("Not met")
    for number, (agency, results) in enumerate(rows, start=1):
        qms = getattr(agency, "qms", None)
        sheet.append([number, safe_cell(agency.name), safe_cell(agency.short_code), agency.province.name,
                      agency.get_kind_display(), qms.get_stage_display() if qms else "",
                      qms.edition if qms else ""] + [yes if r.met else no for r in results])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
