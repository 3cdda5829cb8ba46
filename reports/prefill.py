"""The facts of an agency's periodic report, taken from its QMS file and its inspection findings.

The result is plain JSON (dates as ISO strings) so it can be stored on the report and frozen on submission:
a later change of the QMS file does not change a submitted report. A fixed number of queries per agency.
"""

from datetime import date

from django.db.models import Count, Q, Sum
from django.utils import timezone

from agencies.models import Agency, AgencyObligation
from qms.models import (
    ActionStatus,
    Complaint,
    DocumentStatus,
    Improvement,
    InternalAudit,
    InternalCorrectiveAction,
    ManagementReview,
    Procedure,
    QmsDocument,
    QmsRecord,
    Training,
)
from qms.rules import legal_status, with_compliance_facts

from .models import ReportingPeriod


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def agency_report_facts(*, agency: Agency, period: ReportingPeriod, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    # facts as of the window's end for a past period (today while it runs): a later record does not count
    start, end = period.window_start, min(period.window_end, today)
    in_window = {"held_on__gte": start, "held_on__lte": end}
    level = AgencyObligation.objects.filter(agency=agency, year=period.year).values_list("level", flat=True).first()
    facts: dict = {
        "agency": {"name": agency.name, "short_code": agency.short_code, "kind": agency.kind,
                   "province": agency.province.name if agency.province_id else ""},
        "window": {"start": _iso(period.window_start), "end": _iso(period.window_end)},
        "obligation": level or "",
        "as_of": _iso(end),
    }
    qms = QmsRecord.objects.filter(agency=agency).first()
    procedures = Procedure.objects.filter(agency=agency, is_active=True).aggregate(
        total=Count("pk"), covered=Count("pk", filter=Q(covered=True)))
    facts["procedures"] = {"total": procedures["total"], "covered": procedures["covered"]}
    if qms is None:
        facts["qms"] = None
        facts.update(announcements=[], internal_audits=[], management_reviews=[], corrective_actions={},
                     complaints={}, improvements=0, trainings={}, documents_in_force=0)
    else:
        facts["qms"] = {
            "stage": qms.stage, "edition": qms.edition_in_use, "consultant": qms.consultant,
            "steering_decision_number": qms.steering_decision_number,
            "steering_decision_date": _iso(qms.steering_decision_date),
            "documents_approved_on": _iso(qms.documents_approved_on),
            "effectiveness_confirmed_on": _iso(qms.effectiveness_confirmed_on),
        }
        facts["documents_in_force"] = QmsDocument.objects.filter(qms=qms, status=DocumentStatus.IN_FORCE).count()
        facts["announcements"] = [
            {"kind": a.kind, "reason": a.reason, "number": a.decision_number, "date": _iso(a.decision_date),
             "edition": a.edition, "notified_on": _iso(a.notification_date)}
            for a in qms.announcements.order_by("decision_date", "pk")]
        facts["internal_audits"] = [
            {"date": _iso(a.held_on), "nonconformities": a.nonconformities}
            for a in InternalAudit.objects.filter(qms=qms, **in_window).order_by("held_on")]
        facts["management_reviews"] = [
            {"date": _iso(r.held_on), "chair": r.chair}
            for r in ManagementReview.objects.filter(qms=qms, **in_window).order_by("held_on")]
        facts["corrective_actions"] = InternalCorrectiveAction.objects.filter(qms=qms).aggregate(
            open=Count("pk", filter=Q(status=ActionStatus.OPEN)),
            overdue=Count("pk", filter=Q(due_on__lt=end) & (Q(status=ActionStatus.OPEN) | Q(done_on__gt=end))),
            closed_in_window=Count("pk", filter=Q(status=ActionStatus.DONE, done_on__gte=start, done_on__lte=end)))
        facts["complaints"] = Complaint.objects.filter(qms=qms, received_on__gte=start, received_on__lte=end).aggregate(
            received=Count("pk"), resolved=Count("pk", filter=Q(resolved_on__isnull=False)))
        facts["improvements"] = Improvement.objects.filter(qms=qms, done_on__gte=start, done_on__lte=end).count()
        trainings = Training.objects.filter(qms=qms, **in_window).aggregate(sessions=Count("pk"),
                                                                           attendees=Sum("attendees"))
        facts["trainings"] = {"sessions": trainings["sessions"], "attendees": trainings["attendees"] or 0}
    facts["legal_updates"] = _legal_updates(agency=agency, as_of=end)
    facts["findings"] = _findings(agency=agency, year=period.year, as_of=end)
    return facts


LEGAL_FACTS = ("legal_recorded", "legal_on_time", "legal_late", "legal_overdue", "legal_pending",
               "legal_not_applicable", "legal_register")


def _legal_updates(*, agency: Agency, as_of: date) -> dict:
    """The agency's legal updates as of `as_of`, as the compliance rule and the consolidated report judge them
    (`qms.rules`, one query): the changes recorded in its QMS file and the due updates of the register of legal
    changes. `pending` is every change not reflected yet, `overdue` those of them past their 3 months; `state` is
    the word of the consolidated annex (`legal_status`)."""
    row = with_compliance_facts(Agency.objects.filter(pk=agency.pk), today=as_of).values(*LEGAL_FACTS).get()
    return {"total": row["legal_recorded"], "in_time": row["legal_on_time"], "late": row["legal_late"],
            "overdue": row["legal_overdue"], "pending": row["legal_pending"] + row["legal_overdue"],
            "not_applicable": row["legal_not_applicable"], "state": legal_status(row)}


def _findings(*, agency: Agency, year: int, as_of: date) -> dict:
    """Findings of the year's inspections (audits app) whose record was signed by `as_of`, as of that day
    (`audits.models.finding_overdue_on`: overdue until accepted): those the consolidated report of the year counts
    for the agency (`indicators.findings_of_year`), with those of the agencies merged into it before that day
    (`audits.models.findings_answered_by_on`)."""
    try:
        from audits.models import finding_accepted_by, finding_open_on, finding_overdue_on, findings_answered_by_on
    except ImportError:  # the inspections app is optional for the reports
        return {}
    from .indicators import findings_of_year

    open_ = finding_open_on(as_of)
    return findings_of_year(year, as_of=as_of).filter(findings_answered_by_on(agency.pk, as_of)).aggregate(
        total=Count("pk"), open=Count("pk", filter=open_), overdue=Count("pk", filter=finding_overdue_on(as_of)),
        accepted=Count("pk", filter=finding_accepted_by(as_of)))
