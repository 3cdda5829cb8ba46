"""The province view as an XLSX workbook (openpyxl, write-only so that large provinces stay cheap)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from agencies.models import AgencyKind
from qms_portal.tables import safe_cell

from .models import Stage
from .rules import RULES, edition_of


def compliance_workbook(rows, details: dict) -> bytes:
    """`rows`: `compliance.AgencyRules` in order; `details`: {agency id: (short code, province)}."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Compliance"))
    header = [_("No."), _("Agency"), _("Short code"), _("Province"), _("Kind"), _("Stage"), _("Edition")]
    header += [str(rule.label) for rule in RULES.values()]
    bold = Font(bold=True)
    cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    yes, no = _("Met"), _("Not met")
    # The labels translated once, not once a row (20,000 rows nationally).
    kinds = {value: str(label) for value, label in AgencyKind.choices}
    stages = {value: str(label) for value, label in Stage.choices}
    for number, row in enumerate(rows, start=1):
        short_code, province = details[row.agency_id]
        sheet.append([number, safe_cell(row.name), safe_cell(short_code), province, kinds.get(row.kind, row.kind),
                      stages.get(row.stage, ""), edition_of(row.stage, row.edition)]
                     + [yes if met else no for met in row.met])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
