"""Register legal changes, work out whom they concern, and record what each agency did about them."""

from datetime import date

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.access import require, require_unit
from agencies.models import Agency, AgencyKind
from qms_portal.audit import audit_record
from qms_portal.dates import validate_plausible_date
from qms_portal.errors import save_checked
from qms_portal.files import stored_file_create
from qms_portal.text import normalize_text

from ..models import Procedure, QmsDocument
from .models import DueLegalUpdate, DueStatus, LegalChange, legal_update_due

TARGET_BATCH = 1000  # agencies per batch of due updates written (and per progress note)


def _progress_key(change_id: int) -> str:
    return f"legal-change-progress:{change_id}"


# --- the register ------------------------------------------------------------------------------------------


def _clean_list(values) -> list[str]:
    cleaned = []
    for value in values or []:
        text = normalize_text(str(value)).strip()
        if text and text not in cleaned:
            cleaned.append(text)
    return cleaned


def _check_targets(change: LegalChange, agencies: list[Agency], replaces: list[LegalChange]) -> None:
    errors: dict[str, list[str]] = {}
    for name in ("issued_on", "effective_on"):
        try:
            validate_plausible_date(getattr(change, name))
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    if change.issued_on and change.effective_on and change.effective_on < change.issued_on:
        errors.setdefault("effective_on", []).append(_("A document cannot take effect before it is issued."))
    unknown_kinds = [k for k in change.agency_kinds if k not in AgencyKind.values]
    if unknown_kinds:
        errors.setdefault("agency_kinds", []).append(
            _("Unknown kinds of agency: %(kinds)s.") % {"kinds": ", ".join(unknown_kinds)})
    # the procedures of the entry's level: a province's entry names what the province's agencies handle
    procedures = Procedure.objects.filter(agency__province_id=change.province_id) if change.province_id else \
        Procedure.objects.all()
    if change.procedure_codes:
        known = set(procedures.filter(code__in=change.procedure_codes).values_list("code", flat=True))
        unknown = [c for c in change.procedure_codes if c not in known]
        if unknown:
            errors.setdefault("procedure_codes", []).append(
                _("No agency handles procedures with these codes: %(codes)s.") % {"codes": ", ".join(unknown)})
    if change.procedure_fields:
        query = Q()
        for name in change.procedure_fields:
            query |= Q(field__iexact=name)
        known = {f.lower() for f in procedures.filter(query).values_list("field", flat=True).distinct()}
        unknown = [f for f in change.procedure_fields if f.lower() not in known]
        if unknown:
            errors.setdefault("procedure_fields", []).append(
                _("No agency handles procedures of these fields: %(fields)s.") % {"fields": ", ".join(unknown)})
    if change.province_id and any(a.province_id != change.province_id for a in agencies):
        errors.setdefault("agencies", []).append(_("A province's entry can only name agencies of the province."))
    if not (change.procedure_codes or change.procedure_fields or change.agency_kinds or agencies):
        errors.setdefault("agencies", []).append(
            _("Say what the change affects: fields or codes of procedures, kinds of agency, or agencies."))
    if change.pk and any(r.pk == change.pk for r in replaces):
        errors.setdefault("replaces", []).append(_("A document cannot replace itself."))
    elif change.pk and replaces and _reaches(start=[r.pk for r in replaces], target=change.pk):
        errors.setdefault("replaces", []).append(_("These replacements would form a cycle."))
    if errors:
        raise ValidationError(errors)


def _reaches(*, start: list[int], target: int) -> bool:
    """Whether following "replaces" from `start` reaches `target` (one query per level of the chain)."""
    seen, frontier = set(), set(start)
    while frontier:
        if target in frontier:
            return True
        seen |= frontier
        frontier = set(LegalChange.replaces.through.objects.filter(from_legalchange_id__in=frontier)
                       .values_list("to_legalchange_id", flat=True)) - seen
    return False


@transaction.atomic
def legal_change_register(*, actor, data: dict, province_id: int | None) -> LegalChange:
    """Register a legal change (national when `province_id` is None) and have the worker work out whom it
    concerns. `data`: number, title, issuer, issued_on, effective_on, procedure_fields, procedure_codes,
    agency_kinds, agencies (Agency objects already resolved in the actor's scope), replaces (LegalChange objects)."""
    if province_id is None:
        require(actor, "legal_change.register_national")
    else:
        require(actor, "legal_change.register", province_id=province_id)
    agencies, replaces = list(data.get("agencies") or []), list(data.get("replaces") or [])
    change = LegalChange(
        province_id=province_id, number=normalize_text(data.get("number", "")).strip(),
        title=normalize_text(data.get("title", "")).strip(), issuer=normalize_text(data.get("issuer", "")).strip(),
        issued_on=data.get("issued_on"), effective_on=data.get("effective_on"),
        procedure_fields=_clean_list(data.get("procedure_fields")),
        procedure_codes=_clean_list(data.get("procedure_codes")),
        agency_kinds=_clean_list(data.get("agency_kinds")), created_by=actor)
    _check_targets(change, agencies, replaces)
    change.full_clean(exclude=["created_by"])
    save_checked(change)
    change.agencies.set(agencies)
    change.replaces.set(replaces)
    audit_record(action="legal_change", user=actor, object_type="qms.legalchange", object_id=change.pk,
                 summary=change.number)
    from .tasks import compute_targets

    transaction.on_commit(lambda: compute_targets.delay(change.pk))
    return change


def legal_change_targets(change: LegalChange):
    """The active agencies the change applies to (in its province for a province's entry)."""
    agencies = Agency.objects.active()
    if change.province_id:
        agencies = agencies.filter(province_id=change.province_id)
    wanted = Q(pk__in=change.agencies.values("pk"))
    if change.agency_kinds:
        wanted |= Q(kind__in=change.agency_kinds)
    procedures = _procedures_touched(change)
    if procedures is not None:
        wanted |= Q(pk__in=procedures.values("agency_id"))
    return agencies.filter(wanted)


def _procedures_touched(change: LegalChange):
    query = Q()
    if change.procedure_codes:
        query |= Q(code__in=change.procedure_codes)
    for name in change.procedure_fields:
        query |= Q(field__iexact=name)
    if not query:
        return None
    procedures = Procedure.objects.filter(query, is_active=True)
    return procedures.filter(agency__province_id=change.province_id) if change.province_id else procedures


def legal_change_compute_targets(*, change_id: int) -> int:
    """Make the due updates of a change (the worker's task; safe to run again: existing ones are kept). Queries
    are constant per batch of TARGET_BATCH agencies; progress is noted in the cache for the change's page."""
    change = LegalChange.objects.get(pk=change_id)
    due_on = legal_update_due(change.effective_on)
    agency_ids = list(legal_change_targets(change).order_by("pk").values_list("pk", flat=True))
    procedures = _procedures_touched(change)
    total = len(agency_ids)
    cache.set(_progress_key(change_id), (0, total), timeout=3600)
    for start in range(0, total, TARGET_BATCH):
        batch = agency_ids[start:start + TARGET_BATCH]
        with transaction.atomic():
            DueLegalUpdate.objects.bulk_create(
                [DueLegalUpdate(change=change, agency_id=agency_id, due_on=due_on) for agency_id in batch],
                ignore_conflicts=True)
            if procedures is not None:
                due_ids = dict(DueLegalUpdate.objects.filter(change=change, agency_id__in=batch)
                               .values_list("agency_id", "pk"))
                links = [DueLegalUpdate.procedures.through(duelegalupdate_id=due_ids[agency_id], procedure_id=pk)
                         for pk, agency_id in procedures.filter(agency_id__in=batch).values_list("pk", "agency_id")]
                DueLegalUpdate.procedures.through.objects.bulk_create(links, ignore_conflicts=True)
        cache.set(_progress_key(change_id), (start + len(batch), total), timeout=3600)
    LegalChange.objects.filter(pk=change_id).update(targets_done_at=timezone.now(), target_count=total)
    cache.delete(_progress_key(change_id))
    return total


def legal_change_progress(change: LegalChange) -> int:
    if change.targets_done_at:
        return 100
    done, total = cache.get(_progress_key(change.pk)) or (0, 0)
    return min(99, int(100 * done / total)) if total else 0


# --- what the agency does ----------------------------------------------------------------------------------


def _require_open(due: DueLegalUpdate) -> None:
    if due.status in (DueStatus.UPDATED, DueStatus.NOT_APPLICABLE):
        raise ValidationError(_("This legal change is already settled for the agency."))


@transaction.atomic
def due_update_record(*, actor, due: DueLegalUpdate, updated_on: date, documents: list[QmsDocument],
                      note: str = "", evidence=None, today: date | None = None) -> DueLegalUpdate:
    """The agency updated its QMS for the change: when, which documents (its own), and optional evidence."""
    require(actor, "legal_due.act", agency_id=due.agency_id)
    _require_open(due)
    today = today or timezone.localdate()
    errors = {}
    if updated_on is None:
        errors["updated_on"] = [_("Say when the QMS was updated.")]
    elif updated_on > today:
        errors["updated_on"] = [_("The date cannot be in the future.")]
    elif updated_on < due.change.effective_on:
        errors["updated_on"] = [_("The update cannot come before the legal document takes effect.")]
    if any(d.qms.agency_id != due.agency_id for d in documents):
        errors["documents"] = [_("Choose documents of the agency's own QMS.")]
    if not documents and not note.strip():
        errors["documents"] = [_("Name the documents you changed, or explain the update in the note.")]
    if errors:
        raise ValidationError(errors)
    due.status, due.updated_on, due.reason = DueStatus.UPDATED, updated_on, normalize_text(note).strip()
    if evidence is not None:
        due.evidence = stored_file_create(uploaded=evidence, actor=actor, allowed=("pdf", "docx", "jpeg", "png"))
    due.save()
    due.documents.set(documents)
    audit_record(action="legal_updated", user=actor, object_type="qms.duelegalupdate", object_id=due.pk,
                 summary=f"{due.change.number}: {updated_on:%d/%m/%Y}")
    return due


@transaction.atomic
def due_update_declare_not_applicable(*, actor, due: DueLegalUpdate, reason: str,
                                      today: date | None = None) -> DueLegalUpdate:
    require(actor, "legal_due.act", agency_id=due.agency_id)
    _require_open(due)
    reason = normalize_text(reason or "").strip()
    if len(reason) < 10:
        raise ValidationError({"reason": _("Explain why the change does not apply to the agency.")})
    due.status, due.reason, due.claimed_on = DueStatus.CLAIMED, reason, today or timezone.localdate()
    due.decided_by, due.decided_on, due.decision_note = None, None, ""
    due.save()
    audit_record(action="legal_not_applicable", user=actor, object_type="qms.duelegalupdate", object_id=due.pk,
                 summary=reason)
    return due


@transaction.atomic
def due_update_decide(*, actor, due: DueLegalUpdate, accept: bool, note: str = "",
                      today: date | None = None) -> DueLegalUpdate:
    """The Sở accepts the agency's declaration (the change does not apply) or rejects it with the reason."""
    require(actor, "legal_due.decide")
    require_unit(actor, province_id=due.agency.province_id)
    if due.status != DueStatus.CLAIMED:
        raise ValidationError(_("Only a declaration awaiting the Sở can be accepted or rejected."))
    note = normalize_text(note or "").strip()
    if not accept and not note:
        raise ValidationError({"note": _("Say why the declaration is rejected.")})
    due.status = DueStatus.NOT_APPLICABLE if accept else DueStatus.PENDING
    due.decided_by, due.decided_on, due.decision_note = actor, today or timezone.localdate(), note
    due.save()
    audit_record(action="legal_decided", user=actor, object_type="qms.duelegalupdate", object_id=due.pk,
                 summary=("accepted" if accept else "rejected") + (f": {note}" if note else ""))
    return due


def due_updates_transfer(*, predecessor: Agency, successor: Agency) -> int:
    """A merger: what the predecessor still owed, the successor owes (unless it already owes the same change)."""
    open_updates = DueLegalUpdate.objects.filter(agency=predecessor,
                                                 status__in=[DueStatus.PENDING, DueStatus.CLAIMED])
    already = DueLegalUpdate.objects.filter(agency=successor).values("change_id")
    open_updates.filter(change_id__in=already).delete()
    return open_updates.update(agency=successor, status=DueStatus.PENDING, claimed_on=None, reason="")

