"""Inspections: unplanned ones, requests to report, the agency's self-assessment, decisions, the record."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from agencies.access import require, require_unit
from agencies.models import Agency, DocumentType
from agencies.numbering import document_number_next
from qms_portal.dates import add_months
from qms_portal.files import stored_file_create
from qms_portal.text import normalize_text

from ..models import (
    AgencyChecklistAnswer,
    ChecklistItem,
    ChecklistResult,
    ChecklistVersion,
    Finding,
    FindingEvent,
    FindingEventKind,
    Inspection,
    InspectionDecision,
    InspectionForm,
    InspectionKind,
    InspectionRecord,
    InspectionStatus,
    RecordItemResult,
    ReportRequest,
    TeamMember,
)
from ..prefill import checklist_prefill
from .common import (
    CLASH,
    KEEP,
    agency_names,
    bump_revision,
    edit_digest,
    edit_verdict,
    inspecting_unit_of,
    not_in_future,
    refuse_clashes,
    short,
    signing_form_clean,
    today_or,
)
from .pdf import pdf_changed
from .plans import plan_mark_in_progress

CORRECTIVE_ACTION_MONTHS = 2  # TT 26: the corrective-action report is due within 2 months of the BBKT
RECORD_FIELDS = ("place", "team_leader_name", "agency_representative", "agency_representative_position",
                 "conclusion")


def _save(obj, *, actor, reason: str = "") -> None:
    obj._history_user = actor
    obj._change_reason = reason
    obj.save()


def inspection_status_refresh(inspection: Inspection, *, actor) -> None:
    record = InspectionRecord.objects.filter(inspection=inspection).only("signed_on").first()
    if record is not None and record.signed_on:
        status = InspectionStatus.SIGNED
    elif inspection.decision_id:
        status = InspectionStatus.DECIDED
    elif inspection.self_assessment_submitted_at:
        status = InspectionStatus.SELF_ASSESSED
    elif inspection.report_request_id:
        status = InspectionStatus.REQUESTED
    else:
        status = InspectionStatus.PLANNED
    if inspection.status != status:
        inspection.status = status
    _save(inspection, actor=actor)


def _locked(inspection: Inspection) -> Inspection:
    return (Inspection.objects.select_for_update(of=("self",)).select_related("agency", "decision")
            .get(pk=inspection.pk))


def _not_signed(inspection: Inspection) -> None:
    if inspection.status == InspectionStatus.SIGNED:
        raise ValidationError(_("The inspection record of %(agency)s is signed; the inspection can no longer be "
                                "changed.") % {"agency": inspection.agency.name}, code="signed")


def _current_version(on: date) -> ChecklistVersion:
    version = ChecklistVersion.objects.current(on)
    if version is None:
        raise ValidationError(_("No checklist version is in force."))
    return version


def _items(inspection: Inspection, codes) -> dict[str, ChecklistItem]:
    items = {i.code: i for i in ChecklistItem.objects.filter(version_id=inspection.checklist_version_id)}
    unknown = sorted(set(codes) - set(items))
    if unknown:
        raise ValidationError({"item": _("Unknown checklist items: %(codes)s.") % {"codes": ", ".join(unknown)}})
    return items


def _result(value: str) -> str:
    value = value or ""
    if value and value not in ChecklistResult.values:
        raise ValidationError({"result": _("“%(value)s” is not a valid result.") % {"value": value}})
    return value


def _before_opening(inspections: list[Inspection], day: date | None) -> str | None:
    """The message for `day` if it falls before the approval of the plan of one of `inspections`, else None: no act
    of a planned inspection (a decision, the record) is dated before its plan was approved (a mistyped year would
    number it in that year's register and make its findings due years ago). An unplanned inspection has no such
    document: the day it was entered in the portal may come after its decision."""
    if day is None:
        return None
    for inspection in inspections:
        plan = inspection.plan if inspection.plan_id else None
        if plan is not None and plan.approval_date and day < plan.approval_date:
            return _("The date cannot be before %(date)s, when the inspection plan was approved.") % {
                "date": short(plan.approval_date)}
    return None


# --- unplanned inspections ---------------------------------------------------------------------------------


@transaction.atomic
def inspection_create_unplanned(*, actor, agency: Agency, form: str, reason: str, scheduled_on: date | None = None,
                                today: date | None = None) -> Inspection:
    """Đột xuất: outside the yearly plan, with the reason recorded."""
    require(actor, "inspection.manage")
    require_unit(actor, province_id=agency.province_id)
    today = today_or(today)
    reason = normalize_text(reason or "", multiline=True)
    errors = {}
    if not reason:
        errors["reason"] = _("Say why this unplanned inspection is needed.")
    if form not in InspectionForm.values:
        errors["form"] = _("Choose by documents or on site.")
    if not agency.is_active:
        errors["agency"] = _("The agency is no longer active.")
    if scheduled_on and scheduled_on < today:
        errors["scheduled_on"] = _("An inspection cannot be scheduled in the past.")
    if errors:
        raise ValidationError(errors)
    on = scheduled_on or today
    inspection = Inspection(
        province_id=agency.province_id, agency=agency, year=on.year, kind=InspectionKind.UNPLANNED,
        unplanned_reason=reason, form=form, inspecting_unit=inspecting_unit_of(agency.province_id),
        scheduled_on=scheduled_on, location=agency.address, checklist_version=_current_version(on), created_by=actor)
    _save(inspection, actor=actor, reason=_("Unplanned inspection"))
    return inspection


def _within_decision(inspection: Inspection, day: date | None) -> None:
    """An inspection its decision has taken is carried out within the decision's period (Mẫu 20, Art. 2): it may
    move inside it, not out of it; the decision prints the day it was scheduled on when issued
    (`documents.dates_as_decided`)."""
    decision = inspection.decision
    if decision is not None and (day is None or not decision.starts_on <= day <= decision.ends_on):
        raise ValidationError({"scheduled_on": _(
            "Decision %(number)s sets this inspection between %(start)s and %(end)s: choose a day in that period.")
            % {"number": decision.number, "start": short(decision.starts_on),
               "end": short(decision.ends_on)}})


@transaction.atomic
def inspection_update(*, actor, inspection: Inspection, data: dict[str, Any], today: date | None = None) -> Inspection:
    require(actor, "inspection.manage")
    require_unit(actor, province_id=inspection.province_id)
    inspection = _locked(inspection)
    _not_signed(inspection)
    if "scheduled_on" in data:
        _within_decision(inspection, data["scheduled_on"])
        inspection.scheduled_on = data["scheduled_on"]
    if "location" in data:
        inspection.location = normalize_text(data["location"] or "")
    inspection.full_clean(validate_unique=False, validate_constraints=False)
    _save(inspection, actor=actor)
    return inspection


# --- request to report and self-assessment ---------------------------------------------------------------


def _same_province(actor, inspections: list[Inspection]) -> int:
    if not inspections:
        raise ValidationError({"inspections": _("Choose at least one inspection.")})
    provinces = {i.province_id for i in inspections}
    if len(provinces) > 1:
        raise ValidationError({"inspections": _("All inspections must belong to the same province.")})
    province_id = provinces.pop()
    require_unit(actor, province_id=province_id)
    return province_id


def self_assessment_prepare(inspection: Inspection, *, actor=None) -> None:
    """Create the agency's answer rows, prefilled with what its QMS file says today."""
    have = set(AgencyChecklistAnswer.objects.filter(inspection=inspection).values_list("item_id", flat=True))
    items = [i for i in ChecklistItem.objects.filter(version_id=inspection.checklist_version_id) if i.pk not in have]
    if not items:
        return
    prefill = checklist_prefill(agency=inspection.agency, year=inspection.year)
    rows = []
    for item in items:
        suggestion = prefill.get(item.code)
        rows.append(AgencyChecklistAnswer(inspection=inspection, item=item, updated_by=actor,
                                          result=suggestion.result if suggestion else "",
                                          prefill=suggestion.facts if suggestion else {}))
    bulk_create_with_history(rows, AgencyChecklistAnswer, default_user=actor,
                             default_change_reason=_("Prefilled from the QMS file"))


@transaction.atomic
def report_request_send(*, actor, inspections: list[Inspection], deadline: date, message: str = "",
                        today: date | None = None) -> ReportRequest:
    """One letter to one or more agencies: answer the checklist, with evidence, by the deadline."""
    require(actor, "inspection.manage")
    today = today_or(today)
    inspections = list(Inspection.objects.select_for_update(of=("self",)).select_related("agency")
                       .filter(pk__in=[i.pk for i in inspections]).order_by("agency__name"))
    province_id = _same_province(actor, inspections)
    signed = [i.agency for i in inspections if i.status == InspectionStatus.SIGNED]
    if signed:
        raise ValidationError({"inspections": _("These inspections are already finished: %(names)s.") % {
            "names": agency_names(signed)}})
    asked = [i.agency for i in inspections if i.report_request_id]
    if asked:
        raise ValidationError({"inspections": _("These agencies have already been asked to report: %(names)s.") % {
            "names": agency_names(asked)}})
    if deadline is None or deadline < today:
        raise ValidationError({"deadline": _("The deadline cannot be before the date of the request (%(date)s).") % {
            "date": short(today)}})
    issuer = inspecting_unit_of(province_id)
    request = ReportRequest(
        province_id=province_id, issuer=issuer, issued_on=today, deadline=deadline,
        message=normalize_text(message or "", multiline=True), created_by=actor,
        number=str(document_number_next(issuer=issuer, doc_type=DocumentType.LETTER, issued_on=today)))
    request.full_clean(validate_unique=False, validate_constraints=False)
    _save(request, actor=actor)
    for inspection in inspections:
        inspection.report_request = request
        inspection_status_refresh(inspection, actor=actor)
        self_assessment_prepare(inspection, actor=actor)
    for plan_id in {i.plan_id for i in inspections}:
        plan_mark_in_progress(plan_id, actor=actor)
    from ..tasks import notify_report_request

    transaction.on_commit(lambda: notify_report_request.delay(request.pk))
    return request


def _self_assessment_open(actor, inspection: Inspection) -> None:
    require(actor, "inspection.self_assess")
    require_unit(actor, agency_id=inspection.agency_id)
    _not_signed(inspection)
    if inspection.self_assessment_submitted_at:
        raise ValidationError(_("The self-assessment was already submitted on %(date)s.") % {
            "date": short(timezone.localdate(inspection.self_assessment_submitted_at))}, code="submitted")


@transaction.atomic
def self_assessment_save(*, actor, inspection: Inspection, answers: list[dict[str, Any]]) -> None:
    """Save the agency's answers: [{"item": code, "result": "met", "explanation": "..."}, ...]."""
    inspection = _locked(inspection)
    _self_assessment_open(actor, inspection)
    self_assessment_prepare(inspection, actor=actor)
    items = _items(inspection, [a["item"] for a in answers])
    rows = {a.item_id: a for a in AgencyChecklistAnswer.objects.select_for_update().filter(inspection=inspection)}
    changed, clashes = [], []
    for data in answers:
        item = items[data["item"]]
        answer = rows[item.pk]
        before = (answer.result, answer.explanation)
        new = (_result(data["result"]) if "result" in data else answer.result,
               normalize_text(data["explanation"] or "", multiline=True) if "explanation" in data
               else answer.explanation)
        verdict = edit_verdict(current=before, new=new, seen=data.get("seen"))
        if verdict == CLASH:
            clashes.append(_("item %(number)d") % {"number": item.number})
        if verdict != KEEP:
            answer.result, answer.explanation = new
        answer.full_clean(exclude=["inspection", "item"], validate_unique=False, validate_constraints=False)
        if (answer.result, answer.explanation) != before:
            answer.updated_by = actor
            changed.append(answer)
    refuse_clashes(clashes)
    if changed:
        bulk_update_with_history(changed, AgencyChecklistAnswer, ["result", "explanation", "updated_by"],
                                 default_user=actor)


@transaction.atomic
def self_assessment_evidence_add(*, actor, inspection: Inspection, item_code: str, uploaded):
    inspection = _locked(inspection)
    _self_assessment_open(actor, inspection)
    self_assessment_prepare(inspection, actor=actor)
    item = _items(inspection, [item_code])[item_code]
    stored = stored_file_create(uploaded=uploaded, actor=actor)
    AgencyChecklistAnswer.objects.get(inspection=inspection, item=item).evidence.add(stored)
    return stored


@transaction.atomic
def self_assessment_submit(*, actor, inspection: Inspection) -> Inspection:
    inspection = _locked(inspection)
    _self_assessment_open(actor, inspection)
    self_assessment_prepare(inspection, actor=actor)
    blank = list(AgencyChecklistAnswer.objects.filter(inspection=inspection, result="")
                 .order_by("item__number").values_list("item__number", flat=True))
    if blank:
        raise ValidationError(_("Answer every checklist item before submitting; still unanswered: %(numbers)s.") % {
            "numbers": ", ".join(map(str, blank))}, code="unanswered")
    inspection.self_assessment_submitted_at = timezone.now()
    inspection.self_assessment_submitted_by = actor
    inspection_status_refresh(inspection, actor=actor)
    return inspection


@transaction.atomic
def self_assessment_record(*, actor, inspection: Inspection, answers: list[dict[str, Any]],
                           uploads: list[tuple[str, Any]] = (), submit: bool = False) -> Inspection:
    """The agency's self-assessment page in one step: its answers, the files attached to them and, if asked, the
    submission. All or nothing: a refused file or an unanswered item leaves nothing saved."""
    self_assessment_save(actor=actor, inspection=inspection, answers=answers)
    for item_code, uploaded in uploads:
        self_assessment_evidence_add(actor=actor, inspection=inspection, item_code=item_code, uploaded=uploaded)
    if submit:
        return self_assessment_submit(actor=actor, inspection=inspection)
    return inspection


# --- decision (Mẫu 20) ------------------------------------------------------------------------------------


@transaction.atomic
def decision_issue(*, actor, inspections: list[Inspection], issued_on: date, starts_on: date, ends_on: date,
                   team_leader: str, team_leader_position: str = "", members: list[dict] | None = None,
                   signing_capacity: str = "", signer_name: str = "", today: date | None = None,
                   ) -> InspectionDecision:
    require(actor, "inspection.manage")
    today = today_or(today)
    inspections = list(Inspection.objects.select_for_update(of=("self",)).select_related("agency")
                       .filter(pk__in=[i.pk for i in inspections]).order_by("agency__name"))
    province_id = _same_province(actor, inspections)
    errors: dict[str, str] = {}
    by_documents = [i.agency for i in inspections if i.form != InspectionForm.ON_SITE]
    if by_documents:
        errors["inspections"] = _("Only on-site inspections need a decision; by documents: %(names)s.") % {
            "names": agency_names(by_documents)}
    decided = [i.agency for i in inspections if i.decision_id]
    if decided:
        errors["inspections"] = _("These inspections already have a decision: %(names)s.") % {
            "names": agency_names(decided)}
    signed = [i.agency for i in inspections if i.status == InspectionStatus.SIGNED]
    if signed:
        errors["inspections"] = _("These inspections are already finished: %(names)s.") % {
            "names": agency_names(signed)}
    if issued_on and issued_on > today:
        errors["issued_on"] = _("The date cannot be in the future.")
    elif early := _before_opening(inspections, issued_on):
        errors["issued_on"] = early
    if starts_on and issued_on and starts_on < issued_on:
        errors["starts_on"] = _("The inspection cannot start before the decision is issued.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The end of the period cannot be before its start.")
    team_leader = normalize_text(team_leader or "")
    if not team_leader:
        errors["team_leader"] = _("Name the team leader.")
    if errors:
        raise ValidationError(errors)
    issuer = inspecting_unit_of(province_id)
    decision = InspectionDecision(
        province_id=province_id, issuer=issuer, issued_on=issued_on, starts_on=starts_on, ends_on=ends_on,
        team_leader=team_leader, team_leader_position=normalize_text(team_leader_position or ""),
        signing_capacity=signing_form_clean(signing_capacity, issuer=issuer),
        signer_name=normalize_text(signer_name or ""), created_by=actor,
        number=str(document_number_next(issuer=issuer, doc_type=DocumentType.DECISION, issued_on=issued_on)))
    decision.full_clean(validate_unique=False, validate_constraints=False)
    _save(decision, actor=actor)
    for order, member in enumerate(members or [], start=1):
        row = TeamMember(decision=decision, order=order, name=normalize_text(member.get("name") or ""),
                         position=normalize_text(member.get("position") or ""),
                         role=member.get("role") or "member")
        if not row.name:
            raise ValidationError({"members": _("Every team member needs a name.")})
        row.full_clean(exclude=["decision"])
        row.save()
    for inspection in inspections:
        inspection.decision = decision
        if not inspection.scheduled_on or inspection.scheduled_on < starts_on or inspection.scheduled_on > ends_on:
            inspection.scheduled_on = starts_on
        inspection_status_refresh(inspection, actor=actor)
    for plan_id in {i.plan_id for i in inspections}:
        plan_mark_in_progress(plan_id, actor=actor)
    pdf_changed(document=decision)
    return decision


# --- inspection record (BBKT, Mẫu 21) -----------------------------------------------------------------------


def record_for(inspection: Inspection, *, actor) -> InspectionRecord:
    record = InspectionRecord.objects.select_for_update().filter(inspection=inspection).first()
    if record is None:
        decision = inspection.decision
        record = InspectionRecord(inspection=inspection, issuer_id=inspection.inspecting_unit_id,
                                  place=inspection.location or inspection.agency.address,
                                  team_leader_name=decision.team_leader if decision else "")
        _save(record, actor=actor)
    return record


@transaction.atomic
def record_prepare(*, actor, inspection: Inspection) -> InspectionRecord:
    """Open the (draft) record of an inspection, e.g. to print it for the visit."""
    inspection = _locked(inspection)
    require(actor, "inspection.manage")
    require_unit(actor, province_id=inspection.province_id)
    return record_for(inspection, actor=actor)


def _record_fields(record: InspectionRecord, data: dict[str, Any], clashes: list[str] | None = None, *,
                   signing: bool = False) -> None:
    """The record's texts from `data`; `data["seen"]` (a page's form) maps a field to the fingerprint of the text
    the page showed: a text the person left as shown is not written back (another tab may have saved a newer one),
    one both changed is added to `clashes` (see `common.edit_verdict`). When `signing`, any text changed since the
    page showed it is a clash: the signer signs what they read."""
    seen = data.get("seen") or {}
    for key in RECORD_FIELDS:
        if key in data:
            value = normalize_text(data[key] or "", multiline=key == "conclusion")
            verdict = edit_verdict(current=(getattr(record, key),), new=(value,), seen=seen.get(key))
            if signing and key in seen and edit_digest(getattr(record, key)) != seen[key]:
                verdict = CLASH
            if verdict == CLASH and clashes is not None:
                clashes.append(str(InspectionRecord._meta.get_field(key).verbose_name))
            if verdict != KEEP:
                setattr(record, key, value)
    record.full_clean(exclude=["inspection", "issuer"], validate_unique=False, validate_constraints=False)


def _record_open(actor, inspection: Inspection) -> None:
    require(actor, "inspection.manage")
    require_unit(actor, province_id=inspection.province_id)
    _not_signed(inspection)


@transaction.atomic
def record_save(*, actor, inspection: Inspection, results: list[dict[str, Any]] | None = None,
                data: dict[str, Any] | None = None) -> InspectionRecord:
    """The team's result per checklist item: [{"item": code, "result": "partly", "notes": "..."}, ...]."""
    inspection = _locked(inspection)
    _record_open(actor, inspection)
    record = record_for(inspection, actor=actor)
    clashes: list[str] = []
    _record_fields(record, data or {}, clashes)
    _save(record, actor=actor)
    results = results or []
    items = _items(inspection, [r["item"] for r in results])
    existing = {r.item_id: r for r in RecordItemResult.objects.select_for_update().filter(record=record)}
    new, changed = [], []
    for data_row in results:
        item = items[data_row["item"]]
        row = existing.get(item.pk)
        before = (row.result, row.notes) if row else None
        current = before or ("", "")
        values = (_result(data_row["result"]) if "result" in data_row else current[0],
                  normalize_text(data_row["notes"] or "", multiline=True) if "notes" in data_row else current[1])
        verdict = edit_verdict(current=current, new=values, seen=data_row.get("seen"))
        if verdict == CLASH:
            clashes.append(_("item %(number)d") % {"number": item.number})
        if verdict == KEEP:
            continue
        if row is None:
            row = existing[item.pk] = RecordItemResult(record=record, item=item)
            new.append(row)
        row.result, row.notes = values
        row.full_clean(exclude=["record", "item"], validate_unique=False, validate_constraints=False)
        if before is not None and (row.result, row.notes) != before:
            changed.append(row)
    refuse_clashes(clashes)
    if new:
        bulk_create_with_history(new, RecordItemResult, default_user=actor)
    if changed:
        bulk_update_with_history(changed, RecordItemResult, ["result", "notes"], default_user=actor)
    bump_revision(record)
    return record


@transaction.atomic
def record_sign(*, actor, inspection: Inspection, signed_on: date, data: dict[str, Any] | None = None,
                today: date | None = None) -> InspectionRecord:
    """Sign the BBKT: every item answered, dates consistent, findings get their due dates, a number is taken."""
    today = today_or(today)
    inspection = _locked(inspection)
    _record_open(actor, inspection)
    record = record_for(inspection, actor=actor)
    clashes: list[str] = []
    _record_fields(record, data or {}, clashes, signing=True)
    refuse_clashes(clashes)
    errors: list[str] = []
    answered = set(RecordItemResult.objects.filter(record=record).exclude(result="").values_list("item_id", flat=True))
    missing = [i.number for i in ChecklistItem.objects.filter(version_id=inspection.checklist_version_id)
               .order_by("number") if i.pk not in answered]
    if missing:
        errors.append(_("These checklist items have no result yet: %(numbers)s.") % {
            "numbers": ", ".join(map(str, missing))})
    if signed_on is None:
        raise ValidationError({"signed_on": _("Enter the date the record was signed.")})
    not_in_future(signed_on, field="signed_on", today=today)
    if early := _before_opening([inspection], signed_on):
        raise ValidationError({"signed_on": early})
    decision = inspection.decision
    if inspection.form == InspectionForm.ON_SITE:
        if decision is None:
            errors.append(_("An on-site inspection needs an inspection decision before its record is signed."))
        elif signed_on < decision.issued_on:
            errors.append(_("The record cannot be signed before the inspection decision (%(date)s).") % {
                "date": short(decision.issued_on)})
        elif not decision.starts_on <= signed_on <= decision.ends_on:
            # the record says "today, ... the team inspected": it is dated on one of the decision's days
            errors.append(_("The record must be dated within the inspection dates of the decision (%(start)s to "
                            "%(end)s).") % {"start": short(decision.starts_on), "end": short(decision.ends_on)})
    if not record.team_leader_name:
        errors.append(_("Name the team leader who signs the record."))
    if not record.agency_representative:
        errors.append(_("Name the representative of the agency who signs the record."))
    findings = list(Finding.objects.select_for_update().filter(inspection=inspection).order_by("number"))
    for finding in findings:
        if finding.due_on and finding.due_on < signed_on:
            errors.append(_("Finding %(number)d: the due date %(due)s is before the record date %(date)s.") % {
                "number": finding.number, "due": short(finding.due_on), "date": short(signed_on)})
    if errors:
        raise ValidationError(errors, code="incomplete")
    record.signed_on, record.signed_at, record.signed_by = signed_on, timezone.now(), actor
    record.number = str(document_number_next(issuer=record.issuer, doc_type=DocumentType.RECORD,
                                             issued_on=signed_on))
    _save(record, actor=actor, reason=_("Signed"))
    default_due = add_months(signed_on, CORRECTIVE_ACTION_MONTHS)
    Finding.objects.filter(inspection=inspection).update(record_signed=True)  # the agency's from now on
    for finding in findings:
        finding.record_signed = True
        if finding.due_on is None:
            finding.due_on = default_due
            _save(finding, actor=actor, reason=_("Record signed"))
        FindingEvent.objects.create(finding=finding, kind=FindingEventKind.DUE_DATE_SET, actor=actor,
                                    data={"due_on": finding.due_on.isoformat(), "record": record.number})
    inspection_status_refresh(inspection, actor=actor)
    plan_mark_in_progress(inspection.plan_id, actor=actor)
    pdf_changed(document=record)
    if findings:  # the agency's to remedy from now on: tell its people
        from ..tasks import notify_record_signed

        transaction.on_commit(lambda: notify_record_signed.delay(record.pk))
    return record
