"""Findings to closure: record, respond (agency, with evidence), accept or reject (inspector).

Every step writes a FindingEvent (who, when, what, why); nothing is deleted. Accept and reject are
conditional updates on the status, so of two reviewers acting at once exactly one wins and the other is
told so (409).
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.access import can, require, require_unit
from agencies.models import Agency, DocumentType
from agencies.numbering import document_number_next
from agencies.selectors import merged_into
from qms_portal.errors import ConflictError
from qms_portal.files import stored_file_create
from qms_portal.people import person_name
from qms_portal.text import normalize_text

from ..models import (
    AWAITING_AGENCY,
    CLOSED_STATES,
    ChecklistItem,
    EvidenceSide,
    Finding,
    FindingClass,
    FindingEvent,
    FindingEventKind,
    FindingEvidence,
    FindingResponse,
    FindingStatus,
    Inspection,
    InspectionRecord,
    InspectionStatus,
    RejectionLetter,
    ResponseOutcome,
)
from ..selectors import reusable_evidence
from .common import inspecting_unit_of, short, today_or
from .pdf import pdf_changed

FINDING_FIELDS = ("checklist_item", "classification", "clause", "description", "due_on")


def _event(finding: Finding, kind: str, *, actor, reason: str = "", notify: bool = False, **data) -> FindingEvent:
    event = FindingEvent.objects.create(finding=finding, kind=kind, actor=actor, reason=reason, data=data)
    if notify:
        from ..tasks import notify_finding_event

        transaction.on_commit(lambda: notify_finding_event.delay(event.pk))
    return event


def _save(finding: Finding, *, actor, reason: str = "") -> None:
    finding._history_user = actor
    finding._change_reason = reason
    finding.save()


def _record_date(inspection: Inspection, today: date) -> date:
    """The date of the record, or while it is unsigned the date of the inspection (never later than today)."""
    record = InspectionRecord.objects.filter(inspection=inspection).only("signed_on").first()
    if record is not None and record.signed_on:
        return record.signed_on
    return min(inspection.scheduled_on or today, today)


def _check_due(due_on: date | None, inspection: Inspection, today: date) -> None:
    if due_on is None:
        return
    record_date = _record_date(inspection, today)
    if due_on < record_date:
        raise ValidationError({"due_on": _("The due date cannot be before the date of the inspection record "
                                           "(%(date)s).") % {"date": short(record_date)}})


def _clean(finding: Finding, inspection: Inspection) -> None:
    if finding.checklist_item.version_id != inspection.checklist_version_id:
        raise ValidationError({"checklist_item": _("The item is not in this inspection's checklist.")})
    if not finding.classification.is_active:
        raise ValidationError({"classification": _("This classification is no longer in use.")})
    finding.clause = normalize_text(finding.clause or "")
    finding.description = normalize_text(finding.description or "", multiline=True)
    if not finding.description:
        raise ValidationError({"description": _("Describe the finding.")})
    finding.full_clean(exclude=["inspection", "province", "agency", "responsible_agency", "checklist_item",
                                "classification"],
                       validate_unique=False, validate_constraints=False)


@transaction.atomic
def finding_create(*, actor, inspection: Inspection, checklist_item: ChecklistItem, classification: FindingClass,
                   description: str, clause: str = "", due_on: date | None = None,
                   today: date | None = None) -> Finding:
    require(actor, "finding.record")
    require_unit(actor, province_id=inspection.province_id)
    today = today_or(today)
    inspection = Inspection.objects.select_for_update(of=("self",)).select_related("agency").get(pk=inspection.pk)
    if inspection.status == InspectionStatus.SIGNED:
        raise ValidationError(_("The inspection record is signed: findings can no longer be added to it."),
                              code="signed")
    _check_due(due_on, inspection, today)
    last = Finding.objects.filter(inspection=inspection).order_by("-number").values_list("number", flat=True).first()
    finding = Finding(inspection=inspection, province_id=inspection.province_id, agency_id=inspection.agency_id,
                      # an open agency answers its own; a merged one's successor (no query for the first)
                      responsible_agency_id=(inspection.agency_id if inspection.agency.is_active
                                             else merged_into(inspection.agency_id)), number=(last or 0) + 1,
                      checklist_item=checklist_item, classification=classification, description=description,
                      clause=clause, due_on=due_on, created_by=actor)
    _clean(finding, inspection)
    _save(finding, actor=actor, reason=_("Recorded"))
    _event(finding, FindingEventKind.CREATED, actor=actor, classification=classification.code,
           item=checklist_item.code)
    return finding


@transaction.atomic
def finding_update(*, actor, finding: Finding, data: dict[str, Any], reason: str = "",
                   today: date | None = None) -> Finding:
    """Before signing, anything may change; after it, only the due date (with a reason) of an unclosed finding."""
    require(actor, "finding.record")
    require_unit(actor, province_id=finding.province_id)
    today = today_or(today)
    finding = Finding.objects.select_for_update(of=("self",)).select_related("inspection", "checklist_item",
                                                                 "classification").get(pk=finding.pk)
    inspection = finding.inspection
    signed = inspection.status == InspectionStatus.SIGNED
    reason = normalize_text(reason or "", multiline=True)
    changes = {k: v for k, v in data.items() if k in FINDING_FIELDS and getattr(finding, k) != v}
    if signed:
        if set(changes) - {"due_on"}:
            raise ValidationError(_("The record is signed: only the due date of a finding can still change."),
                                  code="signed")
        if finding.is_closed:
            raise ValidationError(_("The finding is closed."), code="closed")
        if "due_on" in changes and not reason:
            raise ValidationError({"reason": _("Say why the due date changes.")})
        if "due_on" in changes and changes["due_on"] is None:
            raise ValidationError({"due_on": _("A signed finding needs a due date.")})
    if "due_on" in changes:
        _check_due(changes["due_on"], inspection, today)
    old_due = finding.due_on
    for key, value in changes.items():
        setattr(finding, key, value)
    _clean(finding, inspection)
    _save(finding, actor=actor, reason=reason)
    if "due_on" in changes and signed:
        _event(finding, FindingEventKind.DUE_DATE_CHANGED, actor=actor, reason=reason,
               old=old_due.isoformat() if old_due else None, new=finding.due_on.isoformat())
    elif changes:
        _event(finding, FindingEventKind.UPDATED, actor=actor, reason=reason, fields=sorted(changes))
    return finding


def _awaiting_response(finding: Finding) -> None:
    if finding.inspection.status != InspectionStatus.SIGNED:
        raise ValidationError(_("The inspection record is not signed yet."), code="unsigned")
    if finding.status not in AWAITING_AGENCY:
        state = FindingStatus(finding.status).label.lower()
        raise ValidationError(_("The finding is not waiting for a response (it is %(state)s).") % {"state": state},
                              code="state")


def _require_answering(actor, finding: Finding) -> None:
    """The agency side acts for the agency answering the finding (`Finding.responsible_agency`: the inspected
    agency, or the one it was merged into), and only while that agency is open: a dissolved agency's findings are
    the Sở's to close (`finding_withdraw`)."""
    require_unit(actor, agency_id=finding.responsible_agency_id)
    if not Agency.objects.filter(pk=finding.responsible_agency_id, is_active=True).exists():
        raise ValidationError(_("The agency is closed: it can no longer answer this finding."), code="agency_closed")


def _stored(uploaded, *, actor, field: str):
    """Store an evidence file; a refused one (kind, size, name) is said on the form's file field, `field`."""
    try:
        return stored_file_create(uploaded=uploaded, actor=actor)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


@transaction.atomic
def finding_evidence_add(*, actor, finding: Finding, uploaded, note: str = "") -> FindingEvidence:
    """The agency adds evidence while it has to act; the team adds its own (photos) until the finding closes."""
    finding = Finding.objects.select_for_update(of=("self",)).select_related("inspection").get(pk=finding.pk)
    if can(actor, "finding.respond"):
        _require_answering(actor, finding)
        _awaiting_response(finding)
        side = EvidenceSide.AGENCY
    else:
        require(actor, "finding.record")
        require_unit(actor, province_id=finding.province_id)
        if finding.is_closed:
            raise ValidationError(_("The finding is closed."), code="closed")
        side = EvidenceSide.INSPECTOR
    stored = _stored(uploaded, actor=actor, field="file")
    evidence = FindingEvidence.objects.create(finding=finding, file=stored, side=side, uploaded_by=actor,
                                              note=normalize_text(note or "")[:255])
    _event(finding, FindingEventKind.EVIDENCE_ADDED, actor=actor, file=stored.original_name, side=side,
           evidence=evidence.pk)
    return evidence


@transaction.atomic
def finding_respond(*, actor, finding: Finding, action_taken: str, cause: str = "", files=(),
                    evidence_ids=None) -> FindingResponse:
    """The agency's corrective-action report: what was done, with at least one evidence file.

    `evidence_ids`: files of this finding already in the portal to send with it: uploaded and not sent yet (they
    join this response), or sent with a response that was not accepted (sent again: a new line on the same stored
    file, nothing copied; the earlier response keeps its own). None: every file uploaded and not sent yet."""
    require(actor, "finding.respond")
    finding = Finding.objects.select_for_update(of=("self",)).select_related("inspection").get(pk=finding.pk)
    _require_answering(actor, finding)
    _awaiting_response(finding)
    action_taken = normalize_text(action_taken or "", multiline=True)
    if not action_taken:
        raise ValidationError({"action_taken": _("Describe the corrective action taken.")})
    pending = FindingEvidence.objects.filter(finding=finding, side=EvidenceSide.AGENCY, response__isnull=True)
    if evidence_ids is None:
        chosen, kept = list(pending), []
    else:
        wanted = set(evidence_ids)
        found = {e.pk: e for e in reusable_evidence(finding=finding) if e.pk in wanted}
        found.update({e.pk: e for e in pending.filter(pk__in=wanted)})
        if len(found) != len(wanted):
            raise ValidationError({"evidence": _("Some evidence files do not belong to this finding or cannot be "
                                                 "sent again.")})
        chosen = [e for e in found.values() if e.response_id is None]
        sent = {e.file_id for e in chosen}
        kept = []
        for e in sorted(found.values(), key=lambda e: e.pk):
            if e.response_id is not None and e.file_id not in sent:
                sent.add(e.file_id)
                kept.append(e)
    new = [FindingEvidence(finding=finding, file=_stored(f, actor=actor, field="files"), side=EvidenceSide.AGENCY,
                           uploaded_by=actor) for f in files]
    if not chosen and not kept and not new:
        raise ValidationError({"files": _("Attach at least one evidence file.")})
    response = FindingResponse(finding=finding, action_taken=action_taken, submitted_by=actor,
                               cause=normalize_text(cause or "", multiline=True))
    response.full_clean(exclude=["finding", "submitted_by"])
    response.save()
    for evidence in new:
        evidence.response = response
        evidence.save()
        _event(finding, FindingEventKind.EVIDENCE_ADDED, actor=actor, file=evidence.file.original_name,
               side=EvidenceSide.AGENCY, evidence=evidence.pk)
    FindingEvidence.objects.filter(pk__in=[e.pk for e in chosen]).update(response=response)
    FindingEvidence.objects.bulk_create([
        FindingEvidence(finding=finding, response=response, file_id=e.file_id, side=EvidenceSide.AGENCY,
                        note=e.note, uploaded_by=actor, carried_from=e) for e in kept])
    updated = Finding.objects.filter(pk=finding.pk, status__in=AWAITING_AGENCY).update(
        status=FindingStatus.RESPONDED, updated_at=timezone.now())
    if not updated:  # cannot happen under the row lock, but never overwrite a decision
        raise ConflictError(_("The finding changed while you were answering it. Reload it and try again."))
    finding.refresh_from_db()
    _save(finding, actor=actor, reason=_("Response submitted"))
    _event(finding, FindingEventKind.RESPONDED, actor=actor, reason=action_taken, notify=True, response=response.pk,
           evidence=len(chosen) + len(kept) + len(new), **({"kept": len(kept)} if kept else {}))
    return response


def _decide(*, actor, finding: Finding, to_status: str, today: date, extra: dict) -> Finding:
    """Move a responded finding to accepted or rejected with one conditional UPDATE; 409 if someone was first."""
    require(actor, "finding.review")
    require_unit(actor, province_id=finding.province_id)
    seen = finding.status
    updated = Finding.objects.filter(pk=finding.pk, status=FindingStatus.RESPONDED).update(
        status=to_status, updated_at=timezone.now(), **extra)
    if updated:
        fresh = Finding.objects.get(pk=finding.pk)
        _save(fresh, actor=actor, reason=FindingStatus(to_status).label)
        return fresh
    current = Finding.objects.get(pk=finding.pk)
    last = current.events.filter(kind__in=[FindingEventKind.ACCEPTED, FindingEventKind.REJECTED]).select_related(
        "actor").order_by("-at", "-pk").first()
    who = person_name(last.actor) if last and last.actor else "—"
    when = timezone.localtime(last.at).strftime("%d/%m/%Y %H:%M") if last else "—"
    if current.status == FindingStatus.ACCEPTED:
        raise ConflictError(_("This finding was already accepted by %(who)s at %(when)s.") % {"who": who, "when": when})
    if current.status == FindingStatus.REJECTED and seen == FindingStatus.RESPONDED:
        raise ConflictError(_("This finding was already not accepted by %(who)s at %(when)s.") % {"who": who,
                                                                                            "when": when})
    raise ValidationError(_("There is no response to review: the agency has not responded to this finding yet."),
                          code="no_response")


def _close_response(finding: Finding, *, actor, outcome: str, note: str) -> FindingResponse | None:
    response = finding.responses.filter(outcome=ResponseOutcome.PENDING).order_by("-submitted_at", "-pk").first()
    if response is not None:
        response.outcome, response.decided_by, response.decided_at = outcome, actor, timezone.now()
        response.decision_reason = note
        response.save(update_fields=["outcome", "decided_by", "decided_at", "decision_reason"])
    return response


@transaction.atomic
def finding_accept(*, actor, finding: Finding, note: str = "", today: date | None = None) -> Finding:
    today = today_or(today)
    note = normalize_text(note or "", multiline=True)
    finding = _decide(actor=actor, finding=finding, to_status=FindingStatus.ACCEPTED, today=today,
                      extra={"closed_on": today})
    response = _close_response(finding, actor=actor, outcome=ResponseOutcome.ACCEPTED, note=note)
    _event(finding, FindingEventKind.ACCEPTED, actor=actor, reason=note, notify=True,
           response=response.pk if response else None)
    return finding


@transaction.atomic
def finding_reject(*, actor, finding: Finding, reason: str, new_due_on: date | None = None,
                   today: date | None = None) -> Finding:
    """Not accepted: back to the agency with the reason, optionally with a new due date."""
    today = today_or(today)
    require(actor, "finding.review")
    reason = normalize_text(reason or "", multiline=True)
    if not reason:
        raise ValidationError({"reason": _("Say why the response is not accepted.")})
    extra: dict[str, Any] = {}
    if new_due_on is not None:
        if new_due_on < today:
            raise ValidationError({"new_due_on": _("The new due date cannot be in the past.")})
        extra["due_on"] = new_due_on
    old_due = finding.due_on
    finding = _decide(actor=actor, finding=finding, to_status=FindingStatus.REJECTED, today=today, extra=extra)
    response = _close_response(finding, actor=actor, outcome=ResponseOutcome.REJECTED, note=reason)
    letter = rejection_letter_issue(finding=finding, response=response, reason=reason, new_due_on=new_due_on,
                                    actor=actor, today=today)
    _event(finding, FindingEventKind.REJECTED, actor=actor, reason=reason, notify=True,
           response=response.pk if response else None, letter=letter.number,
           **({"old_due_on": old_due.isoformat() if old_due else None, "new_due_on": new_due_on.isoformat()}
              if new_due_on else {}))
    return finding


def rejection_letter_issue(*, finding: Finding, response, reason: str, new_due_on: date | None, actor,
                           today: date) -> RejectionLetter:
    """The letter giving the agency the reason its response was not accepted: numbered now in the inspecting
    unit's register (within the caller's transaction), its PDF rendered by the worker."""
    issuer = inspecting_unit_of(finding.province_id)
    letter = RejectionLetter(
        finding=finding, response=response, province_id=finding.province_id, agency_id=finding.responsible_agency_id,
        issuer=issuer, issued_on=today, reason=reason, new_due_on=new_due_on,
        created_by=actor if getattr(actor, "pk", None) else None,
        number=str(document_number_next(issuer=issuer, doc_type=DocumentType.LETTER, issued_on=today)))
    letter.save()
    pdf_changed(document=letter)
    return letter




@transaction.atomic
def finding_withdraw(*, actor, finding: Finding, reason: str, today: date | None = None) -> Finding:
    """The Sở closes, with its reason, a finding nobody is left to answer: its agency was dissolved without a
    successor (a merged agency's findings pass to its successor, `findings_hand_over`). Not an acceptance: the
    finding is neither remedied nor open any more (reports count it apart from both)."""
    today = today_or(today)
    require(actor, "finding.review")
    require_unit(actor, province_id=finding.province_id)
    reason = normalize_text(reason or "", multiline=True)
    if not reason:
        raise ValidationError({"reason": _("Say why the finding is closed without corrective action.")})
    finding = Finding.objects.select_for_update(of=("self",)).select_related("inspection", "responsible_agency").get(
        pk=finding.pk)
    if finding.responsible_agency.is_active:
        raise ValidationError(_("%(agency)s is open and answers this finding: only a finding of an agency dissolved "
                                "without a successor can be closed without corrective action.")
                              % {"agency": finding.responsible_agency.name}, code="agency_open")
    _awaiting_response(finding)
    updated = Finding.objects.filter(pk=finding.pk, status__in=AWAITING_AGENCY).update(
        status=FindingStatus.WITHDRAWN, closed_on=today, updated_at=timezone.now())
    if not updated:  # cannot happen under the row lock
        raise ConflictError(_("The finding changed meanwhile. Reload it and try again."))
    finding.refresh_from_db()
    _save(finding, actor=actor, reason=FindingStatus.WITHDRAWN.label)
    _event(finding, FindingEventKind.WITHDRAWN, actor=actor, reason=reason)
    return finding


def findings_hand_over(*, predecessor: Agency, successor: Agency, actor=None) -> int:
    """A merger took effect: the successor answers for its predecessor's findings from now on (DOMAIN.md §3), the
    open ones with an entry in their timeline; the closed ones follow, so that their history stays readable to the
    agency that carries on. The inspected agency (`Finding.agency`) and everything already sent stay as they were.
    Runs inside the succession's transaction (`agencies.signals.succession_took_effect`)."""
    findings = list(Finding.objects.select_for_update().filter(responsible_agency=predecessor).order_by("pk"))
    for finding in findings:
        finding.responsible_agency = successor
        _save(finding, actor=actor, reason=_("Merged into %(name)s") % {"name": successor.name})
    FindingEvent.objects.bulk_create([
        FindingEvent(finding=finding, kind=FindingEventKind.HANDED_OVER, actor=actor,
                     data={"from": predecessor.pk, "from_name": predecessor.name, "to": successor.pk,
                           "to_name": successor.name})
        for finding in findings if finding.status not in CLOSED_STATES])
    return len(findings)
