"""Import an agency's administrative procedures (TTHC) from .xlsx or .csv with a per-row report.

Good rows are saved, bad rows are reported with the reason; a row is saved whole or not at all.
Columns (Vietnamese or English headers): code, name, field, covered, process code. The file is read within the
limits of `qms_portal.tables` (IMPORT_MAX_ROWS, IMPORT_MAX_COLUMNS, IMPORT_MAX_CELL_CHARS).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from agencies.access import require
from agencies.models import Agency
from qms_portal.tables import read_table
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
YES = {"co", "x", "1", "yes", "true", "y", "da co"}
NO = {"khong", "0", "no", "false", "n", "", "chua", "chua co"}


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    errors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"rows": self.total, "created": self.created, "updated": self.updated,
                "rejected": len(self.errors), "errors": self.errors}


def _columns(header: list[str]) -> dict[str, int]:
    folded = [fold(h or "") for h in header]
    columns = {key: folded.index(name) for key, names in HEADERS.items() for name in names if name in folded}
    missing = [key for key in ("code", "name") if key not in columns]
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


@transaction.atomic
def procedures_import(*, actor, agency: Agency, uploaded) -> ImportReport:
    require(actor, "qms.edit", agency_id=agency.pk)
    rows = read_table(uploaded)
    if not rows:
        raise ValidationError({"file": _("The file is empty.")})
    columns = _columns(rows[0])
    existing = {p.code: p for p in Procedure.objects.filter(agency=agency)}
    report, new, changed, seen = ImportReport(), [], [], set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        report.total += 1
        try:
            code = normalize_text(_cell(row, columns, "code"))
            if code in seen:
                raise ValidationError({"code": _("This code appears twice in the file.")})
            procedure = existing.get(code) or Procedure(agency=agency, code=code)
            procedure.name = normalize_text(_cell(row, columns, "name"))
            procedure.field = normalize_text(_cell(row, columns, "field"))
            procedure.process_code = normalize_text(_cell(row, columns, "process_code"))
            covered = _cell(row, columns, "covered")
            procedure.covered = _parse_bool(covered) if "covered" in columns else bool(procedure.process_code)
            procedure.is_active = True
            procedure.full_clean(exclude=["agency"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            messages = exc.message_dict if hasattr(exc, "error_dict") else {"row": exc.messages}
            report.errors.append({"row": number, "errors": messages})
            continue
        seen.add(code)
        (changed if procedure.pk else new).append(procedure)
    bulk_create_with_history(new, Procedure, default_user=actor)
    bulk_update_with_history(changed, Procedure, ["name", "field", "covered", "process_code", "is_active"],
                             default_user=actor)
    report.created, report.updated = len(new), len(changed)
    if new:
        reannouncement_mark_due(qms_for_agency(agency=agency), actor=actor,
                                 reason=_("The scope changed: procedures were imported."))
    return report
