"""Import the existing QMS state of a province's agencies (issue 15), so that a province that starts using the
portal carries its history in: edition, stage, the announcement decision (number and date), the last internal
audit and management review. A kind of the province import (agencies.imports.ProvinceImporter): a check with the
per-row report, then all rows or none; re-importing the same file changes nothing.

The stage is taken as the file states it (it is history, not a step taken now), but only with its evidence: an
announced or maintaining system needs an announcement decision for its edition, and maintaining needs an internal
audit and a management review held after it (the rules of `qms.services`, read from there); a re-announcement due
needs an earlier announcement. The evidence is recorded as the QMS file's own
parts (an announcement, an internal audit, a management review), marked as imported.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.imports import AGENCY_HEADERS, ProvinceImporter, choice_names
from agencies.models import Province
from qms_portal.imports.base import cell_date, register
from qms_portal.text import fold, normalize_text

from .models import AnnouncementKind, Edition, QmsRecord, ReannouncementReason, Stage
from .services import _save, announced_evidence_check, maintaining_evidence_check, qms_for_agency

HEADERS = {
    "short_code": AGENCY_HEADERS["short_code"],
    "commune": AGENCY_HEADERS["commune"],
    "name": AGENCY_HEADERS["name"],
    "edition": ("Phiên bản tiêu chuẩn", "phien ban tieu chuan", "phien ban", "edition"),
    "stage": ("Giai đoạn", "giai doan", "trang thai", "stage"),
    "announcement_number": ("Số quyết định công bố", "so quyet dinh cong bo", "announcement number"),
    "announcement_date": ("Ngày công bố", "ngay cong bo", "ngay quyet dinh cong bo", "announcement date"),
    "internal_audit": ("Ngày đánh giá nội bộ gần nhất", "ngay danh gia noi bo gan nhat", "danh gia noi bo",
                       "last internal audit"),
    "management_review": ("Ngày xem xét của lãnh đạo gần nhất", "ngay xem xet cua lanh dao gan nhat",
                          "xem xet cua lanh dao", "last management review"),
}
IMPORTED = "Nhập từ dữ liệu có sẵn"  # what the imported parts say of their author and content


def _date(value: str, field: str, today: date) -> date | None:
    if not value.strip():
        return None
    parsed = cell_date(value, field)
    if parsed > today:
        raise ValidationError({field: _("This date is in the future; record things once they have happened.")})
    return parsed


def _announcement_kind(previous_edition: str | None, edition: str) -> dict:
    """A decision after one already recorded is a re-announcement, which needs its reason: the file gives none, so
    it is the new edition when the edition changed, else the scope adjusted (Decision 19 Art. 4)."""
    if previous_edition is None:
        return {"kind": AnnouncementKind.FIRST, "reason": ""}
    reason = (ReannouncementReason.NEW_EDITION if previous_edition != edition
              else ReannouncementReason.SCOPE_ADJUSTED)
    return {"kind": AnnouncementKind.REANNOUNCEMENT, "reason": reason}


@register
class QmsStateImporter(ProvinceImporter):
    kind = "qms.state"
    label = gettext_lazy("Import of QMS states")
    action = "qms.import"
    headers = HEADERS
    required = ("stage",)
    example = ["THCS-MB", "", "", "2015", "Duy trì, cải tiến", "45/QĐ-THCS", "15/03/2024", "10/11/2024", "20/12/2024"]
    order = 3

    def row(self, *, actor, province: Province, values: dict, state: dict) -> str:
        today, errors, data = timezone.localdate(), {}, {}
        agency = None
        try:
            agency = self.match(values, state)
        except ValidationError as error:
            errors.update(error.message_dict)
        for key, choices, message in (
                ("edition", Edition.choices, _("Write 2008 or 2015.")),
                ("stage", Stage.choices, _("Unknown stage."))):
            value = values.get(key, "").strip()
            if value:
                try:
                    data[key] = choice_names(choices)[fold(value)]
                except KeyError:
                    errors[key] = [message]
        for key in ("announcement_date", "internal_audit", "management_review"):
            try:
                data[key] = _date(values.get(key, ""), key, today)
            except ValidationError as error:
                errors.update(error.message_dict)
        number = normalize_text(values.get("announcement_number", ""))
        if bool(number) != bool(data.get("announcement_date")):
            errors["announcement_number"] = [_("Give both the number and the date of the announcement decision.")]
        if errors:
            raise ValidationError(errors)
        if agency is None:
            raise ValidationError({"short_code": _("No agency of the province matches this short code (or commune "
                                                   "code and name).")})
        if not agency.is_active:
            raise ValidationError({"short_code": _("This agency is no longer active.")})
        return self._apply(actor, agency, data, number)

    @staticmethod
    def _apply(actor, agency, data: dict, number: str) -> str:
        qms = QmsRecord.objects.select_for_update().get(pk=qms_for_agency(agency=agency).pk)
        edition = data.get("edition") or qms.edition
        changed = False
        announced_on = data.get("announcement_date")
        if number and not qms.announcements.filter(decision_number=number).exists():
            previous = qms.announcements.order_by("-decision_date", "-pk").values_list("edition", flat=True).first()
            _save(qms.announcements.model(qms=qms, decision_number=number, decision_date=announced_on,
                                          signer=IMPORTED, edition=edition, scope=IMPORTED,
                                          **_announcement_kind(previous, edition)), actor=actor)
            changed = True
        for key, related, extra in (("internal_audit", qms.internal_audits, {"auditors": IMPORTED}),
                                    ("management_review", qms.management_reviews, {"chair": IMPORTED})):
            held_on = data.get(key)
            if held_on and not related.filter(held_on=held_on).exists():
                _save(related.model(qms=qms, held_on=held_on, **extra), actor=actor)
                changed = True
        stage = data.get("stage", qms.stage)
        before = (qms.stage, qms.edition)
        qms.edition = edition  # the evidence is judged on the edition the file states
        if stage in (Stage.ANNOUNCED, Stage.MAINTAINING):
            announced_evidence_check(qms)
        elif stage == Stage.REANNOUNCEMENT_DUE and not qms.announcements.exists():  # announced once, on any edition
            raise ValidationError({"stage": _("Announced needs an announcement decision for the current edition.")})
        if stage == Stage.MAINTAINING:
            maintaining_evidence_check(qms)
        if before != (stage, edition):
            qms.stage, qms.edition = stage, edition
            qms.version += 1
            _save(qms, actor=actor, reason=_("Imported"))
            changed = True
        return "updated" if changed else "unchanged"

