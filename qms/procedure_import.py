"""Import an agency's administrative procedures (TTHC) from .xlsx or .csv with a per-row report.

Good rows are saved, bad rows are reported with the reason; a row is saved whole or not at all. Runs as an import
job (qms_portal.imports): at once for a small file, in the worker with a progress bar for a large one.
Columns (Vietnamese or English headers): code, name, field, covered, process code. The file is read within the
limits of `qms_portal.tables` (IMPORT_MAX_ROWS, IMPORT_MAX_COLUMNS, IMPORT_MAX_CELL_CHARS).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from agencies.access import require
from agencies.models import Agency
from qms_portal.imports.base import Importer, ImportReport, Progress, hidden_characters, register
from qms_portal.imports.services import import_submit
from qms_portal.models import ImportJob
from qms_portal.text import fold, normalize_text

from .models import Procedure
from .services import qms_for_agency, reannouncement_mark_due

HEADERS = {
    "code": {"ma tthc", "ma thu tuc", "ma", "code", "national code"},
    "name": {"ten tthc", "ten thu tuc", "ten", "name"},
    "field": {"linh vuc", "field"},
    "covered": {"co quy trinh", "da co quy trinh", "covered", "covered by a work process"},
    "process_code": {"ma quy trinh", "process code", "work process code"},
}
# The required columns by their usual Vietnamese headers: what a refusal names, never the field's code.
NAMES = {"code": "Mã TTHC", "name": "Tên TTHC"}
YES = {"co", "x", "1", "yes", "true", "y", "da co"}
NO = {"khong", "0", "no", "false", "n", "", "chua", "chua co"}


def _columns(header: list[str]) -> dict[str, int]:
    folded = [fold(h or "") for h in header]
    columns = {key: folded.index(name) for key, names in HEADERS.items() for name in names if name in folded}
    missing = [NAMES[key] for key in ("code", "name") if key not in columns]
    if missing:
        raise ValidationError({"file": _("The first row must name the columns; missing: %(columns)s.")
                               % {"columns": ", ".join(missing)}})
    return columns


def _cell(row: list[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    return row[index] if index is not None and index < len(row) else ""


def _parse_bool(value: str) -> bool:
    folded = fold(value)
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise ValidationError({"covered": _("Write “có” or “không”.")})


@register
class ProcedureImporter(Importer):
    """The agency's procedures; good rows are saved and bad rows reported (a catalogue grows row by row)."""

    kind = "qms.procedures"
    label = gettext_lazy("Import of procedures")
    all_or_nothing = False

    def authorize(self, *, actor, params: dict) -> None:
        require(actor, "qms.edit", agency_id=params.get("agency_id"))

    def back_url(self, params: dict) -> str:
        return reverse("qms:file", args=[params["agency_id"]]) + "#procedures"

    def check_header(self, header: list[str]) -> None:
        _columns(header)

    @transaction.atomic
    def run(self, *, actor, params: dict, rows: list[list[str]], apply: bool, progress: Progress) -> ImportReport:
        agency = Agency.objects.get(pk=params["agency_id"])
        columns = _columns(rows[0])
        headers = {key: rows[0][index] for key, index in columns.items()}
        existing = {p.code: p for p in Procedure.objects.filter(agency=agency)}
        report, new, changed, seen = ImportReport(), [], [], set()
        for number, row in enumerate(rows[1:], start=2):
            progress(number - 1)
            if not any(cell.strip() for cell in row):
                continue
            report.total += 1
            values = {key: _cell(row, columns, key) for key in columns}
            hidden = hidden_characters(values)
            if hidden:
                report.refuse(number, hidden, values, headers)
                continue
            try:
                procedure = self._procedure(values, columns, existing, agency, seen)
            except ValidationError as exc:
                report.refuse(number, exc, values, headers)
                continue
            seen.add(procedure.code)
            (changed if procedure.pk else new).append(procedure)
        report.created, report.updated = len(new), len(changed)
        if not apply:
            return report
        bulk_create_with_history(new, Procedure, default_user=actor)
        bulk_update_with_history(changed, Procedure, ["name", "field", "covered", "process_code", "is_active"],
                                 default_user=actor)
        report.applied = True
        if new:
            reannouncement_mark_due(qms_for_agency(agency=agency), actor=actor,
                                     reason=_("The scope changed: procedures were imported."))
        return report

    @staticmethod
    def _procedure(values: dict, columns: dict, existing: dict, agency: Agency, seen: set) -> Procedure:
        code = normalize_text(values.get("code", ""))
        if code in seen:
            raise ValidationError({"code": _("This code appears twice in the file.")})
        procedure = existing.get(code) or Procedure(agency=agency, code=code)
        procedure.name = normalize_text(values.get("name", ""))
        procedure.field = normalize_text(values.get("field", ""))
        procedure.process_code = normalize_text(values.get("process_code", ""))
        covered = values.get("covered", "")
        procedure.covered = _parse_bool(covered) if "covered" in columns else bool(procedure.process_code)
        procedure.is_active = True
        procedure.full_clean(exclude=["agency"], validate_unique=False, validate_constraints=False)
        return procedure


def procedures_import(*, actor, agency: Agency, uploaded) -> ImportJob:
    """Import the agency's procedures from an upload: at once when small, else in the worker."""
    return import_submit(actor=actor, kind=ProcedureImporter.kind, params={"agency_id": agency.pk},
                         uploaded=uploaded, apply=True)
