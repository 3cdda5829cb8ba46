"""Writes to the QMS file: every rule of DOMAIN.md §4 the portal enforces, one transaction each."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.access import require
from agencies.models import Agency
from qms_portal.dates import short_date
from qms_portal.errors import ConflictError
from qms_portal.files import stored_file_create
from qms_portal.text import normalize_text

from .legal.models import legal_update_due
from .models import (
    Announcement,
    AnnouncementKind,
    DocumentStatus,
    InternalCorrectiveAction,
    Procedure,
    QmsDocument,
    QmsRecord,
    Stage,
)
from .parts import Part

STAGE_ORDER = [Stage.NOT_STARTED, Stage.BUILDING, Stage.APPLYING, Stage.ANNOUNCED, Stage.MAINTAINING]
HEAD_FIELDS = ("documents_approved_on", "documents_approved_by", "effectiveness_confirmed_on",
               "effectiveness_confirmed_by")
OFFICER_FIELDS = ("edition", "build_started_on", "steering_decision_number", "steering_decision_date", "consultant")
QMS_PAST_DATES = ("build_started_on", "steering_decision_date", "documents_approved_on", "effectiveness_confirmed_on")


def qms_for_agency(*, agency: Agency) -> QmsRecord:
    qms, _created = QmsRecord.objects.get_or_create(agency=agency)
    return qms


def _check_past_dates(obj, fields, today: date) -> None:
    errors = {f: _("This date is in the future; record things once they have happened.")
              for f in fields if getattr(obj, f, None) and getattr(obj, f) > today}
    if errors:
        raise ValidationError(errors)


def _clean_text_fields(obj) -> None:
    for model_field in obj._meta.concrete_fields:
        value, kind = getattr(obj, model_field.attname), model_field.get_internal_type()
        if kind in ("CharField", "TextField") and isinstance(value, str):
            setattr(obj, model_field.attname, normalize_text(value, multiline=kind == "TextField"))


def _save(obj, *, actor, reason: str = "") -> None:
    obj._history_user = actor
    obj._change_reason = reason
    obj.save()


def reannouncement_mark_due(qms: QmsRecord, *, actor, reason: str) -> None:
    """An announced system whose scope, edition or agency changed must be announced again (Decision 19 Art. 4)."""
    if qms.stage in (Stage.ANNOUNCED, Stage.MAINTAINING):
        qms.stage = Stage.REANNOUNCEMENT_DUE
        qms.reannouncement_reason = reason[:255]
        qms.version += 1
        _save(qms, actor=actor, reason=reason)


def announcement_missing(qms: QmsRecord) -> str:
    """Why the system cannot be announced yet ("" when it can): the apply step (DOMAIN.md §4) needs at least one
    internal audit and one management review held after the head approved the documents, then the head's
    confirmation that the system is effective, dated after them."""
    approved, confirmed = qms.documents_approved_on, qms.effectiveness_confirmed_on
    if not approved:
        return _("Announced needs the head's approval of the documents.")
    audit = qms.internal_audits.filter(held_on__gte=approved)
    review = qms.management_reviews.filter(held_on__gte=approved)
    if not audit.exists() or not review.exists():
        return _("Announced needs at least one internal audit and one management review held after the documents "
                 "were approved (%(date)s).") % {"date": short_date(approved)}
    if not confirmed:
        return _("Announced needs the head's confirmation that the system is effective.")
    if not (audit.filter(held_on__lte=confirmed).exists() and review.filter(held_on__lte=confirmed).exists()):
        return _("The head's confirmation of effectiveness (%(date)s) must come after an internal audit and a "
                 "management review.") % {"date": short_date(confirmed)}
    return ""


def _check_stage_evidence(qms: QmsRecord, stage: str) -> None:
    if stage == Stage.BUILDING and not (qms.steering_decision_number and qms.steering_decision_date):
        raise ValidationError({"stage": _("Building needs the ISO steering committee decision (number and date).")})
    if stage == Stage.APPLYING:
        if not qms.documents.filter(status=DocumentStatus.IN_FORCE).exists():
            raise ValidationError({"stage": _("Applying needs at least one document in force.")})
        if not qms.documents_approved_on:
            raise ValidationError({"stage": _("Applying needs the head's approval of the documents.")})
    if stage == Stage.ANNOUNCED:
        announced_evidence_check(qms)
        missing = announcement_missing(qms)
        if missing:
            raise ValidationError({"stage": missing})
    if stage == Stage.MAINTAINING:
        maintaining_evidence_check(qms)


def announced_evidence_check(qms: QmsRecord) -> None:
    """An announced (or maintaining) system has an announcement decision for the edition it is on: the rule of the
    file's stage, whoever sets it (the form, the API, the import of existing states)."""
    if not qms.announcements.filter(edition=qms.edition).exists():
        raise ValidationError({"stage": _("Announced needs an announcement decision for the current edition.")})


def maintaining_evidence_check(qms: QmsRecord) -> None:
    """A maintaining system held an internal audit and a management review after its last announcement."""
    last = qms.announcements.order_by("-decision_date").values_list("decision_date", flat=True).first()
    if not last:
        raise ValidationError({"stage": _("Maintaining comes after an announcement.")})
    if not (qms.internal_audits.filter(held_on__gte=last).exists()
            and qms.management_reviews.filter(held_on__gte=last).exists()):
        raise ValidationError({"stage": _("Maintaining needs an internal audit and a management review held "
                                          "after the announcement.")})


def _move_stage(qms: QmsRecord, stage: str, *, actor, reason: str) -> None:
    current = qms.stage
    if stage == current:
        return
    backwards = (current in STAGE_ORDER and stage in STAGE_ORDER
                 and STAGE_ORDER.index(stage) < STAGE_ORDER.index(current))
    if (backwards or stage in (Stage.INACTIVE, Stage.REANNOUNCEMENT_DUE)) and not reason:
        raise ValidationError({"reason": _("Give the reason for this change of stage; it is kept in the history.")})
    if not backwards and stage in STAGE_ORDER:
        if current in STAGE_ORDER and STAGE_ORDER.index(stage) > STAGE_ORDER.index(current) + 1:
            raise ValidationError({"stage": _("Stages cannot be skipped: move to %(next)s first.")
                                   % {"next": Stage(STAGE_ORDER[STAGE_ORDER.index(current) + 1]).label}})
        _check_stage_evidence(qms, stage)
    qms.stage = stage
    if stage != Stage.REANNOUNCEMENT_DUE:
        qms.reannouncement_reason = ""
    else:
        qms.reannouncement_reason = reason[:255]


@transaction.atomic
def qms_update(*, actor, qms: QmsRecord, data: dict[str, Any], version: int | None = None,
               reason: str = "", today: date | None = None) -> QmsRecord:
    """Change the record; `version` guards against overwriting someone else's change (ConflictError)."""
    today = today or timezone.localdate()
    require(actor, "qms.edit", agency_id=qms.agency_id)
    qms = QmsRecord.objects.select_for_update().get(pk=qms_for_agency(agency=qms.agency).pk)
    if version is not None and version != qms.version:
        raise ConflictError(_("The QMS record was changed by someone else. Reload it and try again."))
    if any(key in data for key in HEAD_FIELDS):
        require(actor, "qms.approve")
    reason = normalize_text(reason or "")
    old_edition = qms.edition
    for key in OFFICER_FIELDS + HEAD_FIELDS:
        if key in data:
            setattr(qms, key, data[key])
    _clean_text_fields(qms)
    _check_past_dates(qms, QMS_PAST_DATES, today)
    if qms.steering_decision_date and qms.build_started_on and qms.build_started_on < qms.steering_decision_date:
        # what the user typed is kept or refused with the reason, never changed silently
        raise ValidationError({"build_started_on": _(
            "The build cannot start before the ISO steering committee decision (%(date)s).")
            % {"date": short_date(qms.steering_decision_date)}})
    if "stage" in data:
        _move_stage(qms, data["stage"], actor=actor, reason=reason)
    qms.full_clean(exclude=["agency", "also_covers"])
    qms.version += 1
    _save(qms, actor=actor, reason=reason)
    if "also_covers" in data:
        _set_also_covers(qms, list(data["also_covers"]), actor=actor)
    if qms.edition != old_edition:
        reannouncement_mark_due(qms, actor=actor, reason=_("The edition of the standard changed."))
    return qms


def _agency_id(obj) -> int:
    """The agency a row of the QMS file belongs to (procedures directly, the other parts through the record)."""
    return obj.agency_id if hasattr(obj, "agency_id") else obj.qms.agency_id


def _refuse_superseded(obj) -> None:
    if isinstance(obj, QmsDocument) and obj.status == DocumentStatus.SUPERSEDED:
        raise ValidationError(_("A superseded document cannot be edited; issue a new edition instead."))


def _set_also_covers(qms: QmsRecord, agencies: list[Agency], *, actor) -> None:
    """One system may cover other agencies of the same province (UBND tỉnh and its Office share one), among the
    agencies the actor may see; any other id is refused as if it did not exist."""
    from agencies.selectors import agencies_in_scope

    visible = set(agencies_in_scope(user=actor).filter(pk__in=[a.pk for a in agencies]).values_list("pk", flat=True))
    errors = []
    for agency in agencies:
        if agency.pk not in visible:
            errors.append(_("No agency with id %(id)s.") % {"id": agency.pk})
        elif agency.pk == qms.agency_id:
            errors.append(_("A system does not need to cover its own agency twice."))
        elif agency.province_id != qms.agency.province_id:  # never named: no oracle of other provinces
            errors.append(_("Choose agencies of the same province."))
        elif QmsRecord.objects.filter(agency=agency).exclude(stage=Stage.NOT_STARTED).exists():
            errors.append(_("%(name)s keeps a system of its own.") % {"name": agency.name})
        elif QmsRecord.objects.filter(also_covers=agency).exclude(pk=qms.pk).exists():
            errors.append(_("%(name)s is already covered by another system.") % {"name": agency.name})
    if errors:
        raise ValidationError({"also_covers": errors})
    qms.also_covers.set(agencies)


def _part_rules(part: Part, obj, qms: QmsRecord) -> None:
    """Rules that belong to one kind of record."""
    model = part.model
    if model is Announcement:
        if obj.kind == AnnouncementKind.FIRST:
            obj.reason = ""
            if qms.announcements.filter(kind=AnnouncementKind.FIRST).exclude(pk=obj.pk).exists():
                raise ValidationError({"kind": _("The first announcement is already recorded; this is a "
                                                 "re-announcement.")})
        elif not obj.reason:
            raise ValidationError({"reason": _("Say why the system is announced again.")})
        obj.edition = obj.edition or qms.edition
        if obj.decision_date:
            signed = {"date": short_date(obj.decision_date)}
            if obj.notification_date and obj.notification_date < obj.decision_date:
                raise ValidationError({"notification_date": _("The Sở cannot be notified before the announcement "
                                                              "decision (%(date)s).") % signed})
            if obj.posted_at_office_on and obj.posted_at_office_on < obj.decision_date:
                raise ValidationError({"posted_at_office_on": _("The decision cannot be posted before it is signed "
                                                                "(%(date)s).") % signed})
    if part.slug == "legal-updates" and obj.effective_on:
        obj.due_on = legal_update_due(obj.effective_on)
        if obj.updated_on and obj.updated_on < obj.effective_on:
            raise ValidationError({"updated_on": _("The update cannot come before the legal document takes effect.")})
    if part.slug in ("internal-audits", "management-reviews"):
        start = qms.build_started_on or qms.steering_decision_date
        if start and obj.held_on and obj.held_on < start:
            raise ValidationError({"held_on": _("This cannot predate the building of the system (%(date)s).")
                                   % {"date": short_date(start)}})
    if model is InternalCorrectiveAction:
        if obj.internal_audit_id and obj.internal_audit.qms_id != qms.pk:
            raise ValidationError({"internal_audit": _("This internal audit belongs to another system.")})
        if obj.status == "done" and not obj.done_on:
            raise ValidationError({"done_on": _("Give the date the action was done.")})
        held_on = obj.internal_audit.held_on if obj.internal_audit_id else None
        if obj.status == "done" and held_on and obj.done_on < held_on:
            raise ValidationError({"done_on": _("The action cannot be done before the internal audit that found it "
                                                "(%(date)s).") % {"date": short_date(held_on)}})
        if obj.status == "open":
            obj.done_on = None
    if model is Procedure and Procedure.objects.filter(agency=obj.agency, code=obj.code).exclude(pk=obj.pk).exists():
        raise ValidationError({"code": _("The agency already has a procedure with this code.")})
    if part.slug == "complaints" and obj.resolved_on and obj.received_on and obj.resolved_on < obj.received_on:
        raise ValidationError({"resolved_on": _("A complaint cannot be resolved before it was received.")})


def _supersede_others(doc: QmsDocument, *, actor) -> None:
    """Before a document comes into force, the edition in force with the same code is superseded."""
    if doc.status == DocumentStatus.IN_FORCE:
        others = QmsDocument.objects.select_for_update().filter(qms=doc.qms, code=doc.code,
                                                                status=DocumentStatus.IN_FORCE).exclude(pk=doc.pk)
        for old in others:
            old.status = DocumentStatus.SUPERSEDED
            _save(old, actor=actor, reason=_("Superseded by edition %(n)s") % {"n": doc.edition})


@transaction.atomic
def qms_part_create(*, actor, agency: Agency, part: Part, data: dict[str, Any], today: date | None = None):
    today = today or timezone.localdate()
    require(actor, "qms.edit", agency_id=agency.pk)
    qms = QmsRecord.objects.select_for_update().get(pk=qms_for_agency(agency=agency).pk)
    obj = part.model(**({"agency": agency} if part.agency_owned else {"qms": qms}))
    for key in part.fields:
        if key in data:
            setattr(obj, key, data[key])
    if part.model is QmsDocument:
        previous = qms.documents.filter(code=normalize_text(obj.code or "")).order_by("-edition").first()
        if previous and obj.kind and previous.kind != obj.kind:  # a new edition, or a duplicate code: refused
            raise ValidationError({"code": _("Another document of this system already has the code %(code)s.")
                                   % {"code": previous.code}})
        if previous:
            obj.edition, obj.supersedes = previous.edition + 1, previous
    _clean_text_fields(obj)
    _check_past_dates(obj, part.past_dates, today)
    _part_rules(part, obj, qms)
    obj.full_clean(validate_constraints=False)
    if part.model is QmsDocument:
        _supersede_others(obj, actor=actor)
    _save(obj, actor=actor)
    _after_create(part, obj, qms, actor=actor)
    return obj


def _after_create(part: Part, obj, qms: QmsRecord, *, actor) -> None:
    if part.slug == "procedures":
        reannouncement_mark_due(qms, actor=actor, reason=_("The scope changed: a procedure was added."))
    elif part.model is Announcement and obj.edition == qms.edition and (
            (qms.stage == Stage.REANNOUNCEMENT_DUE and qms.effectiveness_confirmed_on)
            or (qms.stage == Stage.APPLYING and not announcement_missing(qms))):
        qms.stage, qms.reannouncement_reason = Stage.ANNOUNCED, ""
        qms.version += 1
        _save(qms, actor=actor, reason=_("Announcement %(number)s") % {"number": obj.decision_number})


@transaction.atomic
def qms_part_update(*, actor, obj, part: Part, data: dict[str, Any], today: date | None = None):
    today = today or timezone.localdate()
    require(actor, "qms.edit", agency_id=_agency_id(obj))
    obj = part.model.objects.select_for_update().get(pk=obj.pk)
    qms = qms_for_agency(agency=obj.agency) if part.agency_owned else obj.qms
    _refuse_superseded(obj)
    was_active = getattr(obj, "is_active", None)
    old_code = getattr(obj, "code", None)
    for key in part.fields:
        if key in data:
            setattr(obj, key, data[key])
    _clean_text_fields(obj)
    if part.model is QmsDocument and obj.code != old_code and (
            QmsDocument.objects.filter(qms=qms, code=obj.code).exclude(pk=obj.pk).exists()):
        # another document (not an edition of this one): two documents in force would share a code
        raise ValidationError({"code": _("Another document of this system already has the code %(code)s.")
                               % {"code": obj.code}})
    _check_past_dates(obj, part.past_dates, today)
    _part_rules(part, obj, qms)
    obj.full_clean(validate_constraints=False)
    if part.model is QmsDocument:
        _supersede_others(obj, actor=actor)
    _save(obj, actor=actor)
    if part.slug == "procedures" and was_active != obj.is_active:
        reannouncement_mark_due(qms, actor=actor, reason=_("The scope changed: a procedure was removed or restored."))
    return obj


@transaction.atomic
def qms_part_attach_file(*, actor, obj, field: str, uploaded):
    """Attach a decision or document file (checked by content and size) to a record of the QMS file."""
    require(actor, "qms.edit", agency_id=_agency_id(obj))
    _refuse_superseded(obj)
    try:
        stored = stored_file_create(uploaded=uploaded, actor=actor)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    setattr(obj, field, stored)
    _save(obj, actor=actor, reason=_("File attached: %(name)s") % {"name": stored.original_name})
    return obj
