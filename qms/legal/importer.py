"""Register legal changes from a table, all or nothing, through the same service as the form and the API.

Columns (Vietnamese or English headers): number, title, issuer, issued on, effective on, fields of procedures,
procedure codes, kinds of agency, replaces; lists are separated by ";". Dates as dd/mm/yyyy (or dates of the
workbook). Each row is registered in a savepoint; a check, or an import with any refused row, is rolled back whole.
"""


from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.access import require, scope_of
from agencies.models import AgencyKind
from qms_portal.imports.base import Importer, ImportReport, Progress, cell_date, register, run_rows
from qms_portal.imports.services import import_submit
from qms_portal.models import ImportJob
from qms_portal.text import fold

from .models import LegalChange
from .selectors import legal_changes_visible
from .services import legal_change_register

HEADERS = {
    "number": {"so ky hieu", "so, ky hieu", "so hieu", "number"},
    "title": {"trich yeu", "ten van ban", "title"},
    "issuer": {"co quan ban hanh", "issuer", "issuing body"},
    "issued_on": {"ngay ban hanh", "issued on"},
    "effective_on": {"ngay hieu luc", "ngay co hieu luc", "effective on"},
    "procedure_fields": {"linh vuc", "linh vuc tthc", "fields"},
    "procedure_codes": {"ma tthc", "ma thu tuc", "procedure codes"},
    "agency_kinds": {"loai co quan", "agency kinds"},
    "replaces": {"thay the", "thay the, sua doi", "replaces"},
}
REQUIRED = ("number", "title", "issuer", "issued_on", "effective_on")
# Each column as the import form's help and its template name it: what a refusal names, never the field's code.
NAMES = {"number": "Số ký hiệu", "title": "Trích yếu", "issuer": "Cơ quan ban hành", "issued_on": "Ngày ban hành",
         "effective_on": "Ngày hiệu lực"}


def _columns(header: list[str]) -> dict[str, int]:
    folded = [fold(h or "") for h in header]
    columns = {key: folded.index(name) for key, names in HEADERS.items() for name in names if name in folded}
    missing = [NAMES[key] for key in REQUIRED if key not in columns]
    if missing:
        raise ValidationError({"file": _("The first row must name the columns; missing: %(columns)s.")
                               % {"columns": ", ".join(missing)}})
    return columns


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.replace("\n", ";").split(";") if part.strip()]


KIND_NAMES = {fold(str(label)): value for value, label in AgencyKind.choices} | {v: v for v in AgencyKind.values}


def _kinds(value: str) -> list[str]:
    kinds, unknown = [], []
    for name in _list(value):
        kind = KIND_NAMES.get(fold(name)) or KIND_NAMES.get(name)
        (kinds if kind else unknown).append(kind or name)
    if unknown:
        raise ValidationError({"agency_kinds": _("Unknown kinds of agency: %(kinds)s.")
                               % {"kinds": ", ".join(unknown)}})
    return kinds


@register
class LegalChangeImporter(Importer):
    kind = "qms.legal_changes"
    label = gettext_lazy("Import of legal changes")

    def authorize(self, *, actor, params: dict) -> None:
        if params.get("province_id") is None:
            require(actor, "legal_change.register_national")
        else:
            require(actor, "legal_change.register", province_id=params["province_id"])

    def back_url(self, params: dict) -> str:
        return reverse("qms:legal-changes")

    def check_header(self, header: list[str]) -> None:
        _columns(header)

    def run(self, *, actor, params: dict, rows: list[list[str]], apply: bool, progress: Progress) -> ImportReport:
        columns = _columns(rows[0])
        headers = {key: rows[0][index] for key, index in columns.items()}
        numbered = ((number, {key: row[index] if index < len(row) else "" for key, index in columns.items()})
                    for number, row in enumerate(rows[1:], start=2))
        return run_rows(rows=((n, v) for n, v in numbered if any(x.strip() for x in v.values())), headers=headers,
                        apply=apply, progress=progress,
                        save_row=lambda values: self._register(actor, params, values) and "created")

    @staticmethod
    def _register(actor, params: dict, values: dict) -> LegalChange:
        errors, data = {}, {}
        for key in ("number", "title", "issuer"):
            data[key] = values.get(key, "")
        for key in ("issued_on", "effective_on"):
            try:
                data[key] = cell_date(values.get(key, ""), key)
            except ValidationError as error:
                errors.update(error.message_dict)
        data["procedure_fields"] = _list(values.get("procedure_fields", ""))
        data["procedure_codes"] = _list(values.get("procedure_codes", ""))
        try:
            data["agency_kinds"] = _kinds(values.get("agency_kinds", ""))
        except ValidationError as error:
            errors.update(error.message_dict)
        replaced = _list(values.get("replaces", ""))
        # what the API and the form offer (the actor's visible register), at the import's level: the national
        # entries and those of its province (an IN list with None in it never matched the national ones)
        level = Q(province__isnull=True) | Q(province_id=params.get("province_id"))
        found = list(legal_changes_visible(user=actor).filter(level, number__in=replaced))
        missing = sorted(set(replaced) - {c.number for c in found})
        if missing:
            errors["replaces"] = [_("Not in the register: %(numbers)s.") % {"numbers": ", ".join(missing)}]
        if errors:
            raise ValidationError(errors)
        data["replaces"] = found
        return legal_change_register(actor=actor, data=data, province_id=params.get("province_id"))


def legal_changes_import(*, actor, uploaded, apply: bool) -> ImportJob:
    """Import into the register of the actor's level: national for national roles, else the actor's province."""
    scope = scope_of(actor)
    params = {"province_id": None if scope.is_national else scope.province_id}
    return import_submit(actor=actor, kind=LegalChangeImporter.kind, params=params, uploaded=uploaded, apply=apply)
