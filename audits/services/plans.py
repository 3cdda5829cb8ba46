"""The yearly inspection plan: draft, entries, coverage check, submission, approval, closing."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agencies.access import require, require_unit, scope_of
from agencies.models import Agency, DocumentType, Province
from agencies.numbering import document_number_next
from qms_portal.text import normalize_text

from ..models import (
    ChecklistVersion,
    Inspection,
    InspectionKind,
    InspectionPlan,
    InspectionStatus,
    PlanEntry,
    PlanState,
)
from ..selectors import Coverage, plan_coverage
from .common import agency_names, inspecting_unit_of, not_in_future, short, signing_form_clean, today_or
from .pdf import pdf_changed

PLAN_TEXT_FIELDS = ("purpose", "organisation", "signing_capacity", "signer_name")
ENTRY_FIELDS = ("inspecting_unit", "cooperating_unit", "expected_from", "expected_to", "form", "budget_vnd", "note")

DEFAULT_PURPOSE = (
    "Đánh giá việc xây dựng, áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia "
    "TCVN ISO 9001:2015 tại các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước trên địa bàn tỉnh theo "
    "Quyết định số 19/2014/QĐ-TTg và Thông tư số 26/2014/TT-BKHCN; kịp thời phát hiện, hướng dẫn khắc phục "
    "các tồn tại, hạn chế. Việc kiểm tra bảo đảm khách quan, đúng quy định, không gây phiền hà cho cơ quan "
    "được kiểm tra."
)
DEFAULT_ORGANISATION = (
    "Đơn vị kiểm tra chủ trì, phối hợp với các đơn vị liên quan tổ chức thực hiện Kế hoạch; gửi yêu cầu báo "
    "cáo đến các cơ quan được kiểm tra, thành lập Đoàn kiểm tra đối với các cơ quan kiểm tra trực tiếp và "
    "tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh trong tháng 11. Các cơ quan được kiểm tra chuẩn bị hồ sơ, "
    "báo cáo theo yêu cầu và cử đại diện làm việc với Đoàn kiểm tra."
)


def _state_error(plan: InspectionPlan, action: str) -> ValidationError:
    return ValidationError(_("%(action)s: the plan is %(state)s.") % {
        "action": action, "state": PlanState(plan.state).label.lower()}, code="state")


def _locked(plan: InspectionPlan) -> InspectionPlan:
    return InspectionPlan.objects.select_for_update().get(pk=plan.pk)


def _save(obj, *, actor, reason: str = "") -> None:
    obj._history_user = actor
    obj._change_reason = reason
    obj.save()


def coverage_errors(coverage: Coverage) -> list[str]:
    """The coverage rule's failures, one sentence each, naming the agencies concerned."""
    inactive = [ngettext(
        "%(count)d agency of the plan is no longer active (merged or dissolved): %(names)s. Remove it from the plan.",
        "%(count)d agencies of the plan are no longer active (merged or dissolved): %(names)s. Remove them from the "
        "plan.", len(coverage.inactive)) % {"count": len(coverage.inactive), "names": agency_names(coverage.inactive)}
    ] if coverage.inactive else []
    if not coverage.determined:
        return [_("The mandatory agencies of %(year)d have not been determined yet.") % {"year": coverage.year},
                *inactive]
    errors = inactive
    if coverage.missing:
        errors.append(ngettext(
            "%(count)d mandatory agency is not in the plan: %(names)s.",
            "These %(count)d mandatory agencies are not in the plan: %(names)s.",
            len(coverage.missing)) % {"count": len(coverage.missing), "names": agency_names(coverage.missing)})
    if coverage.on_site_short:
        errors.append(_("At least one third of the mandatory agencies must be inspected on site: "
                        "%(required)d of %(total)d, the plan has %(on_site)d.") % {
            "required": coverage.required_on_site, "total": coverage.total, "on_site": coverage.on_site})
    return errors


def _set_texts(plan: InspectionPlan, data: dict[str, Any]) -> None:
    for key in PLAN_TEXT_FIELDS:
        if key in data:
            value = data[key] or ""
            value = signing_form_clean(value, issuer=plan.issuer) if key == "signing_capacity" else \
                normalize_text(value, multiline=True)
            setattr(plan, key, value)


@transaction.atomic
def plan_create(*, actor, year: int, province: Province | None = None, data: dict[str, Any] | None = None,
                ) -> InspectionPlan:
    require(actor, "plan.edit")
    province_id = province.pk if province else scope_of(actor).province_id
    require_unit(actor, province_id=province_id)
    if InspectionPlan.objects.filter(province_id=province_id, year=year).exists():
        raise ValidationError({"year": _("The province already has an inspection plan for %(year)s.") % {
            "year": year}})
    data = data or {}
    plan = InspectionPlan(province_id=province_id, year=year, issuer=inspecting_unit_of(province_id),
                          created_by=actor, purpose=DEFAULT_PURPOSE, organisation=DEFAULT_ORGANISATION)
    _set_texts(plan, data)
    plan.full_clean(validate_unique=False, validate_constraints=False)
    _save(plan, actor=actor, reason=_("Created"))
    return plan


@transaction.atomic
def plan_update(*, actor, plan: InspectionPlan, data: dict[str, Any]) -> InspectionPlan:
    require(actor, "plan.edit")
    plan = _locked(plan)
    if plan.state != PlanState.DRAFT:
        raise _state_error(plan, _("Only a draft plan can be changed"))
    _set_texts(plan, data)
    plan.full_clean(validate_unique=False, validate_constraints=False)
    _save(plan, actor=actor)
    return plan


def _clean_entry(entry: PlanEntry, plan: InspectionPlan) -> None:
    errors: dict[str, str] = {}
    if entry.agency.province_id != plan.province_id:
        errors["agency"] = _("The agency belongs to another province.")
    elif not entry.agency.is_active:
        errors["agency"] = _("The agency is no longer active.")
    if entry.inspecting_unit.province_id != plan.province_id:
        errors["inspecting_unit"] = _("The inspecting unit belongs to another province.")
    for field in ("expected_from", "expected_to"):
        value = getattr(entry, field)
        if value and value.year != plan.year:
            errors[field] = _("The date must fall in the plan's year (%(year)s).") % {"year": plan.year}
    if entry.expected_from and entry.expected_to and entry.expected_to < entry.expected_from:
        errors["expected_to"] = _("The end of the period cannot be before its start.")
    duplicate = PlanEntry.objects.filter(plan=plan, agency=entry.agency).exclude(pk=entry.pk)
    if "agency" not in errors and duplicate.exists():
        errors["agency"] = _("%(agency)s is already in the plan.") % {"agency": entry.agency.name}
    if errors:
        raise ValidationError(errors)
    entry.cooperating_unit = normalize_text(entry.cooperating_unit or "")
    entry.note = normalize_text(entry.note or "")
    entry.full_clean(exclude=["plan", "agency", "inspecting_unit"], validate_unique=False,
                     validate_constraints=False)


@transaction.atomic
def plan_entry_add(*, actor, plan: InspectionPlan, agency: Agency, data: dict[str, Any]) -> PlanEntry:
    require(actor, "plan.edit")
    plan = _locked(plan)
    if plan.state != PlanState.DRAFT:
        raise _state_error(plan, _("Agencies can be added only to a draft plan"))
    entry = PlanEntry(plan=plan, agency=agency, inspecting_unit=data.get("inspecting_unit") or plan.issuer)
    for key in ENTRY_FIELDS:
        if key in data and key != "inspecting_unit":
            setattr(entry, key, data[key])
    _clean_entry(entry, plan)
    _save(entry, actor=actor)
    return entry


@transaction.atomic
def plan_entry_update(*, actor, entry: PlanEntry, data: dict[str, Any]) -> PlanEntry:
    require(actor, "plan.edit")
    plan = _locked(entry.plan)
    if plan.state != PlanState.DRAFT:
        raise _state_error(plan, _("Only a draft plan can be changed"))
    entry = PlanEntry.objects.select_related("agency", "inspecting_unit").get(pk=entry.pk)
    for key in ENTRY_FIELDS:
        if key in data and not (key == "inspecting_unit" and data[key] is None):
            setattr(entry, key, data[key])
    _clean_entry(entry, plan)
    _save(entry, actor=actor)
    return entry


@transaction.atomic
def plan_entry_remove(*, actor, entry: PlanEntry) -> None:
    """Only from a draft: the plan's history keeps the removed entry."""
    require(actor, "plan.edit")
    plan = _locked(entry.plan)
    if plan.state != PlanState.DRAFT:
        raise _state_error(plan, _("Agencies can be removed only from a draft plan"))
    entry._history_user = actor
    entry.delete()


@transaction.atomic
def plan_submit(*, actor, plan: InspectionPlan, today: date | None = None) -> InspectionPlan:
    require(actor, "plan.edit")
    today = today_or(today)
    plan = _locked(plan)
    if plan.state != PlanState.DRAFT:
        raise _state_error(plan, _("Only a draft plan can be submitted"))
    if not plan.entries.exists():
        raise ValidationError(_("The plan has no agencies yet."), code="empty")
    errors = coverage_errors(plan_coverage(plan=plan))
    if errors:
        raise ValidationError([_("The plan cannot be submitted.")] + errors)
    if not plan.number:
        plan.number = str(document_number_next(issuer=plan.issuer, doc_type=DocumentType.PLAN, issued_on=today))
    plan.issued_on = today
    plan.state = PlanState.SUBMITTED
    plan.submitted_at, plan.submitted_by = timezone.now(), actor
    _save(plan, actor=actor, reason=_("Submitted for approval"))
    pdf_changed(document=plan)
    history_id = plan.history.latest().history_id
    from ..tasks import notify_plan_submitted

    transaction.on_commit(lambda: notify_plan_submitted.delay(plan.pk, history_id))
    return plan


@transaction.atomic
def plan_return(*, actor, plan: InspectionPlan, reason: str) -> InspectionPlan:
    """The leader sends a submitted plan back to its drafters, saying why."""
    require(actor, "plan.approve")
    require_unit(actor, province_id=plan.province_id)
    plan = _locked(plan)
    if plan.state != PlanState.SUBMITTED:
        raise _state_error(plan, _("Only a submitted plan can be returned"))
    reason = normalize_text(reason or "", multiline=True)
    if not reason:
        raise ValidationError({"reason": _("Say why the plan is returned.")})
    plan.state = PlanState.DRAFT
    _save(plan, actor=actor, reason=reason)
    history_id = plan.history.latest().history_id
    from ..tasks import notify_plan_returned

    transaction.on_commit(lambda: notify_plan_returned.delay(plan.pk, history_id))
    return plan


@transaction.atomic
def plan_approve(*, actor, plan: InspectionPlan, approval_number: str, approval_date: date,
                 today: date | None = None) -> InspectionPlan:
    """Approve on behalf of UBND tỉnh (with its document's number and date) and open one inspection per entry."""
    require(actor, "plan.approve")
    require_unit(actor, province_id=plan.province_id)
    today = today_or(today)
    plan = _locked(plan)
    if plan.state != PlanState.SUBMITTED:
        raise _state_error(plan, _("Only a submitted plan can be approved"))
    errors = coverage_errors(plan_coverage(plan=plan))
    if errors:
        raise ValidationError([_("The plan is incomplete and cannot be approved.")] + errors)
    approval_number = normalize_text(approval_number or "")
    if not approval_number:
        raise ValidationError({"approval_number": _("Enter the number of the approving document.")})
    not_in_future(approval_date, field="approval_date", today=today)
    if plan.issued_on and approval_date < plan.issued_on:
        raise ValidationError({"approval_date": _("The approval cannot be dated before the plan (%(date)s).") % {
            "date": short(plan.issued_on)}})
    plan.approval_number, plan.approval_date = approval_number, approval_date
    plan.state = PlanState.APPROVED
    plan.approved_at, plan.approved_by = timezone.now(), actor
    _save(plan, actor=actor, reason=_("Approved"))
    version = ChecklistVersion.objects.current(approval_date)
    if version is None:
        raise ValidationError(_("No checklist version is in force."))
    for entry in plan.entries.select_related("agency"):
        inspection = Inspection(
            province_id=plan.province_id, agency=entry.agency, year=plan.year, plan=plan, plan_entry=entry,
            kind=InspectionKind.PLANNED, form=entry.form, inspecting_unit_id=entry.inspecting_unit_id,
            expected_from=entry.expected_from, expected_to=entry.expected_to, checklist_version=version,
            location=entry.agency.address, created_by=actor)
        _save(inspection, actor=actor, reason=_("Plan approved"))
    pdf_changed(document=plan)  # the printed plan cites its approval
    from ..tasks import notify_plan_approved

    transaction.on_commit(lambda: notify_plan_approved.delay(plan.pk))
    return plan


def plan_mark_in_progress(plan_id: int | None, *, actor) -> None:
    """The first request, decision or record under an approved plan puts it in progress."""
    if plan_id is None:
        return
    plan = InspectionPlan.objects.select_for_update().get(pk=plan_id)
    if plan.state == PlanState.APPROVED:
        plan.state = PlanState.IN_PROGRESS
        _save(plan, actor=actor, reason=_("Inspections started"))


@transaction.atomic
def plan_close(*, actor, plan: InspectionPlan) -> InspectionPlan:
    require(actor, "plan.edit")
    plan = _locked(plan)
    if plan.state not in (PlanState.APPROVED, PlanState.IN_PROGRESS):
        raise _state_error(plan, _("Only an approved plan can be closed"))
    unfinished = [i.agency for i in plan.inspections.select_related("agency").exclude(status=InspectionStatus.SIGNED)]
    if unfinished:
        raise ValidationError(_("These inspections have no signed record yet: %(names)s.") % {
            "names": agency_names(unfinished)}, code="unfinished")
    plan.state = PlanState.CLOSED
    plan.closed_at = timezone.now()
    _save(plan, actor=actor, reason=_("Closed"))
    return plan

