"""Bulk import of a province's agencies and yearly obligations from .xlsx or .csv (issue 15), as import jobs
(qms_portal.imports): a check first (the per-row report: row, column, value, message), then all rows or none.
Above IMPORT_INLINE_MAX_ROWS rows (300 by default) the job runs in the worker with a progress bar.

Each row goes through the same service as the form and the API (agency_create / agency_update, obligation_set),
in a savepoint; a check, or an import with any refused row, is rolled back whole. Re-importing the same file
changes nothing: an agency is matched by its short code, else by its commune code and name; a row that would not
change the agency is not written.

Agencies: name, short code, kind, parent (its short code: in the portal or on an earlier row), commune code,
address, website, e-mail, phone. Obligations: short code (or commune code and name), year, obligation, legal basis.
Headers may be Vietnamese or English (see `templates_for`); kinds and levels by their Vietnamese or English names.
"""

import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms_portal.dates import WORK_YEARS
from qms_portal.imports.base import REGISTRY, Importer, ImportReport, Progress, register, run_rows
from qms_portal.imports.services import import_submit
from qms_portal.models import ImportJob
from qms_portal.text import fold, normalize_text

from .access import require
from .models import Agency, AgencyKind, Commune, ObligationLevel, Province
from .services import agency_create, agency_update, obligation_set

AGENCY_HEADERS = {
    "name": ("Tên cơ quan", "ten co quan", "ten don vi", "ten", "name"),
    "short_code": ("Ký hiệu", "ky hieu", "ma co quan", "short code"),
    "kind": ("Loại cơ quan", "loai co quan", "loai", "kind"),
    "parent": ("Cơ quan cấp trên (ký hiệu)", "co quan cap tren (ky hieu)", "co quan cap tren", "parent"),
    "commune": ("Mã xã", "ma xa", "ma xa, phuong", "ma don vi hanh chinh", "commune code"),
    "address": ("Địa chỉ", "dia chi", "address"),
    "website": ("Trang thông tin điện tử", "trang thong tin dien tu", "website"),
    "email": ("Thư điện tử", "thu dien tu", "email", "e-mail"),
    "phone": ("Điện thoại", "dien thoai", "so dien thoai", "phone"),
}
OBLIGATION_HEADERS = {
    "short_code": AGENCY_HEADERS["short_code"],
    "commune": AGENCY_HEADERS["commune"],
    "name": AGENCY_HEADERS["name"],
    "year": ("Năm", "nam", "year"),
    "level": ("Nghĩa vụ áp dụng", "nghia vu ap dung", "nghia vu", "muc do", "obligation"),
    "note": ("Căn cứ pháp lý", "can cu phap ly", "can cu", "legal basis"),
}
AGENCY_TEXT = ("name", "short_code", "address", "website", "email", "phone")


def _columns(header: list[str], headers: dict, required: tuple[str, ...]) -> dict[str, int]:
    folded = [fold(h or "") for h in header]
    columns = {}
    for key, names in headers.items():
        for name in names:
            if fold(name) in folded:
                columns[key] = folded.index(fold(name))
                break
    missing = [headers[key][0] for key in required if key not in columns]
    if missing:
        raise ValidationError({"file": _("The first row must name the columns; missing: %(columns)s.")
                               % {"columns": ", ".join(missing)}})
    return columns


def choice_names(choices) -> dict[str, str]:
    """Folded names (Vietnamese and English labels, and the values) -> value."""
    names = {fold(value): value for value, _label in choices}
    for language in ("vi", "en"):
        with translation.override(language):
            names |= {fold(str(label)): value for value, label in choices}
    return names


def _choice(value: str, names: dict[str, str], field: str, message: str) -> str:
    found = names.get(fold(value))
    if found is None:
        raise ValidationError({field: message})
    return found


def _commune(value: str, communes: dict[int, Commune]) -> Commune | None:
    if not value.strip():
        return None
    try:
        return communes[int(value.strip().lstrip("0") or "0")]
    except (ValueError, KeyError):
        raise ValidationError({"commune": _("No commune with code %(code)s exists.") % {"code": value}}) from None


def _rows(rows, columns):
    for number, row in enumerate(rows[1:], start=2):
        values = {key: (row[index] if index < len(row) else "") or "" for key, index in columns.items()}
        if any(v.strip() for v in values.values()):
            yield number, values


class ProvinceImporter(Importer):
    """An import into one province (`params["province_id"]`): its administrator's, or chosen by a national one.
    Subclasses (here, and the QMS state in qms.state_import) set `action` (the capability), `headers` (field ->
    header names, the first one is the template's), `required`, `example` (the template's example row), `order`
    (place on the import page) and implement `row`, which saves one row through the services or raises."""

    action = ""
    headers: dict = {}
    required: tuple[str, ...] = ()
    example: list[str] = []
    order = 0

    def authorize(self, *, actor, params: dict) -> None:
        require(actor, self.action, province_id=params.get("province_id"))
        if not Province.objects.filter(pk=params.get("province_id")).exists():
            raise PermissionDenied

    def back_url(self, params: dict) -> str:
        return reverse("agencies:import")

    def check_header(self, header: list[str]) -> None:
        _columns(header, self.headers, self.required)

    def run(self, *, actor, params: dict, rows: list[list[str]], apply: bool, progress: Progress) -> ImportReport:
        province = Province.objects.get(pk=params["province_id"])
        columns = _columns(rows[0], self.headers, self.required)
        headers = {key: rows[0][index] for key, index in columns.items()}
        state = self.start(province)
        return run_rows(rows=_rows(rows, columns), headers=headers, apply=apply, progress=progress,
                        save_row=lambda values: self.row(actor=actor, province=province, values=values, state=state))

    def start(self, province: Province) -> dict:
        agencies = list(Agency.objects.filter(province=province).select_related("commune"))
        return {
            "by_code": {a.short_code: a for a in agencies},
            "by_commune_name": {(a.commune.code, fold(a.name)): a for a in agencies if a.commune_id},
            "communes": {c.code: c for c in Commune.objects.current()},
            "seen": set(),
        }

    @staticmethod
    def match(values: dict, state: dict) -> Agency | None:
        code = normalize_text(values.get("short_code", "")).upper()
        agency = state["by_code"].get(code) if code else None
        if agency is None and values.get("commune", "").strip() and values.get("name", "").strip():
            commune = _commune(values["commune"], state["communes"])
            agency = state["by_commune_name"].get((commune.code, fold(values["name"])))
        return agency


@register
class AgencyImporter(ProvinceImporter):
    kind = "agencies.agencies"
    label = gettext_lazy("Import of agencies")
    action = "agency.create"
    headers = AGENCY_HEADERS
    required = ("name", "short_code", "kind")
    example = ["Trường THCS Mỹ Bình", "THCS-MB", "Đơn vị sự nghiệp công lập", "SGDDT", "30307",
               "Phường Long Xuyên, tỉnh An Giang", "", "", ""]
    order = 1

    def row(self, *, actor, province: Province, values: dict, state: dict) -> str:
        errors, data = {}, {key: values.get(key, "") for key in AGENCY_TEXT if key in values}
        code = normalize_text(values.get("short_code", "")).upper()
        if code in state["seen"]:
            raise ValidationError({"short_code": _("This short code appears twice in the file.")})
        try:
            data["kind"] = _choice(values.get("kind", ""), choice_names(AgencyKind.choices), "kind",
                                   _("Unknown kind of agency."))
        except ValidationError as error:
            errors.update(error.message_dict)
        if "commune" in values:
            try:
                data["commune"] = _commune(values["commune"], state["communes"])
            except ValidationError as error:
                errors.update(error.message_dict)
        if values.get("parent", "").strip():
            parent = state["by_code"].get(normalize_text(values["parent"]).upper())
            if parent is None:
                errors["parent"] = [_("No agency of the province has the short code %(code)s (a parent must be in "
                                      "the portal or on an earlier row).") % {"code": values["parent"]}]
            data["parent"] = parent
        elif "parent" in values:
            data["parent"] = None
        if errors:
            raise ValidationError(errors)
        agency = self.match(values, state)
        state["seen"].add(code)
        if agency is None:
            agency = agency_create(actor=actor, data={**data, "province": province})
            outcome = "created"
        else:
            if not self._changes(agency, data):
                return "unchanged"
            agency = agency_update(actor=actor, agency=agency, data=data, reason=_("Imported"))
            outcome = "updated"
        state["by_code"][agency.short_code] = agency
        if agency.commune_id:
            state["by_commune_name"][(agency.commune.code, fold(agency.name))] = agency
        return outcome

    @staticmethod
    def _changes(agency: Agency, data: dict) -> bool:
        for key, value in data.items():
            current = getattr(agency, key)
            if key in ("commune", "parent"):
                if getattr(current, "pk", None) != getattr(value, "pk", None):
                    return True
            elif (current or "") != (normalize_text(value).upper() if key == "short_code" else normalize_text(value)):
                return True
        return False


@register
class ObligationImporter(ProvinceImporter):
    kind = "agencies.obligations"
    label = gettext_lazy("Import of obligations")
    action = "obligation.set"
    headers = OBLIGATION_HEADERS
    required = ("year", "level")
    example = ["THCS-MB", "", "", "2025", "Bắt buộc", "Công văn 1699/UBND-TH"]
    order = 2

    def row(self, *, actor, province: Province, values: dict, state: dict) -> str:
        errors = {}
        agency = None
        try:
            agency = self.match(values, state)
            if agency is None:
                errors["short_code"] = [_("No agency of the province matches this short code (or commune code and "
                                          "name).")]
        except ValidationError as error:
            errors.update(error.message_dict)
        try:
            year = int(values.get("year", "").strip())
            if year not in WORK_YEARS:
                raise ValueError
        except ValueError:
            errors["year"] = [_("Write a year between %(first)s and %(last)s.") % {"first": WORK_YEARS[0],
                                                                                   "last": WORK_YEARS[-1]}]
        try:
            level = _choice(values.get("level", ""), choice_names(ObligationLevel.choices), "level",
                            _("Write “bắt buộc”, “khuyến khích” or “không áp dụng”."))
        except ValidationError as error:
            errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)
        key = (agency.pk, year)
        if key in state["seen"]:
            raise ValidationError({"year": _("This agency and year appear twice in the file.")})
        state["seen"].add(key)
        before = agency.obligations.filter(year=year).values_list("level", "note").first()
        note = normalize_text(values.get("note", ""))
        if before == (level, note):
            return "unchanged"
        obligation_set(actor=actor, agency=agency, year=year, level=level, note=note)
        return "updated" if before else "created"


def province_importers() -> list[ProvinceImporter]:
    """The kinds of the import page and of `POST /api/v1/agency-imports/`, in page order."""
    return sorted((i for i in REGISTRY.values() if isinstance(i, ProvinceImporter)), key=lambda i: i.order)


def province_importer(kind: str) -> ProvinceImporter:
    importer = REGISTRY.get(kind)
    if not isinstance(importer, ProvinceImporter):
        raise ValidationError({"kind": _("Unknown kind of import.")})
    return importer


def agencies_import(*, actor, kind: str, province: Province, uploaded, apply: bool) -> ImportJob:
    """Check (apply False) or import a file of agencies, obligations or QMS states into `province`."""
    province_importer(kind)
    return import_submit(actor=actor, kind=kind, params={"province_id": province.pk}, uploaded=uploaded,
                         apply=apply)


def import_template(kind: str) -> bytes:
    """An .xlsx with the header row (Vietnamese) and one example row, to fill in."""
    from openpyxl import Workbook

    importer = province_importer(kind)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Du lieu"
    sheet.append([names[0] for names in importer.headers.values()])
    sheet.append(importer.example)
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 28
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
