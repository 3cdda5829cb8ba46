"""The compliance list as an XLSX workbook (openpyxl, write-only so that large provinces stay cheap), and its
exporter: a province's list is written in the request, the nation's by the worker (qms_portal.exports)."""

import io
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from agencies.access import require
from agencies.models import AgencyKind
from qms_portal.exports.base import Exporter, register
from qms_portal.tables import safe_cell

from .compliance_query import FILTER_KEYS, compliance_params
from .models import Stage
from .rules import RULES, edition_of, rules_met
from .selectors import compliance_agencies, compliance_list


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


@register
class ComplianceExporter(Exporter):
    """The agencies of the compliance page's filters, each with its verdicts, as of the day it was asked."""

    kind = "qms.compliance"
    label = gettext_lazy("Compliance of the agencies")
    page = "qms:compliance"
    filter_keys = FILTER_KEYS

    def authorize(self, *, actor) -> None:
        require(actor, "compliance.read")

    def filters(self, query) -> dict:
        filters = compliance_params(query)
        return {**filters, "today": filters["today"].isoformat()}

    @staticmethod
    def _as_read(params: dict) -> dict:
        """The filters kept on the job, back to what compliance_list takes."""
        filters = {key: value for key, value in params.items() if key != "query"}
        return {**filters, "today": date.fromisoformat(params["today"])}

    def rows_at_most(self, *, actor, params: dict) -> int:
        filters = self._as_read(params)
        return compliance_agencies(user=actor, kind=filters["kind"], province=filters["province"],
                                   mandatory_only=filters["mandatory_only"], stage=filters["stage"],
                                   today=filters["today"]).count()

    def make(self, *, actor, params: dict) -> tuple[bytes, str]:
        filters = self._as_read(params)
        agencies = compliance_list(user=actor, **filters)
        details = {pk: rest for pk, *rest in agencies.values_list("pk", "short_code", "province__name")}
        return (compliance_workbook(rules_met(agencies), details),
                f"tuan-thu-htqlcl-{filters['today']:%Y%m%d}.xlsx")
