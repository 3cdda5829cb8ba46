"""E-mails about findings: before and on the due date (to the agency), a weekly digest of what is overdue
(to the province's inspectors and to the agency head), and notices when a finding moves.

One e-mail per person per batch: findings are grouped, never one e-mail per finding. Each send is logged
under a unique key first, so a beat task that runs twice (or two beat processes) sends nothing twice.
Every function takes `today=` so tests (and operators) can run them for any date.
"""

import logging
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from agencies.access import province_roles_with
from agencies.models import AGENCY_ROLES, Agency, Role
from qms.legal.reminders import LegalReminder, legal_reminders
from qms_portal import mail
from qms_portal.links import portal_url

from ..models import (
    APPROVED_STATES,
    AWAITING_AGENCY,
    Finding,
    FindingEvent,
    FindingEventKind,
    Inspection,
    InspectionForm,
    InspectionPlan,
    InspectionRecord,
    PlanState,
    ReminderKind,
    ReminderLog,
    ReportRequest,
    finding_overdue_on,
)
from .common import today_or

logger = logging.getLogger(__name__)
DEFAULT_DAYS_BEFORE = 10


def days_before_default() -> int:
    return int(getattr(settings, "AUDITS_REMINDER_DAYS_BEFORE", DEFAULT_DAYS_BEFORE))


def send_templated(*, template: str, context: dict, to: list[str]) -> None:
    """An e-mail of templates/audits/email/<template>_{subject.txt,body.txt,body.html} (`qms_portal.mail`)."""
    mail.send_templated(f"audits/email/{template}", context, to)


def _users(**filters):
    User = get_user_model()
    return list(User.objects.filter(is_active=True, **filters).exclude(email="").order_by("username"))


def agency_people(agency_id: int, roles=AGENCY_ROLES):
    return _users(membership__agency_id=agency_id, membership__role__in=list(roles))


def province_inspectors(province_id: int):
    return _users(membership__province_id=province_id, membership__role=Role.INSPECTOR)


def province_people_who_may(action: str, province_id: int):
    """The province's people whose role may take `action` (the capability table, `agencies.access`)."""
    return _users(membership__province_id=province_id, membership__role__in=province_roles_with(action))


def agencies_people(agency_ids) -> dict[int, list]:
    """{agency id: `agency_people(agency id)`} for several agencies, in one query."""
    User = get_user_model()
    people: dict[int, list] = defaultdict(list)
    for user in (User.objects.filter(is_active=True, membership__agency_id__in=list(agency_ids),
                                     membership__role__in=list(AGENCY_ROLES))
                 .exclude(email="").annotate(member_of=F("membership__agency_id")).order_by("username")):
        people[user.member_of].append(user)
    return people


def _claim(kind: str, key: str, *, recipient=None, email: str = "", count: int = 0) -> bool:
    """Write the log line; False if it exists already (sent before, or by a concurrent run)."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(kind=kind, key=key, recipient=recipient, email=email, finding_count=count)
    except IntegrityError:
        return False
    return True


@transaction.atomic  # a failed send rolls its claim back: the task's retry sends it, and nothing twice
def _send_once(kind: str, key: str, *, person, email: str, template: str, context: dict) -> int:
    if not _claim(kind, key, recipient=person, email=email):
        return 0
    send_templated(template=template, to=[email], context={**context, "person": person})
    return 1


def _signed(condition: Q):
    """The findings of signed records with a due date, by the agency answering them (`Finding.responsible_agency`:
    a merged agency's go to its successor, whose people are reminded)."""
    return (Finding.objects.filter(condition, record_signed=True, due_on__isnull=False)
            .select_related("agency", "responsible_agency", "province", "classification", "checklist_item",
                            "inspection__record")
            .order_by("responsible_agency__name", "due_on", "number"))


def _open_signed():
    """The findings the agencies have to act on (the due-date reminders)."""
    return _signed(Q(status__in=AWAITING_AGENCY))


def _finding_rows(findings, today: date) -> list[dict]:
    return [{"finding": f, "url": portal_url(reverse("audits:finding-detail", args=[f.pk])),
             "days_overdue": (today - f.due_on).days if f.due_on < today else 0,
             "days_left": (f.due_on - today).days} for f in findings]


def _due_key(finding: Finding) -> str:
    """A finding's reminder key for its due date; a finding passed to a successor is new to it (its people were
    never reminded, whatever its predecessor's were)."""
    key = f"{finding.pk}:{finding.due_on.isoformat()}"
    return f"{key}:{finding.responsible_agency_id}" if finding.handed_over else key


@transaction.atomic  # a failed send rolls its log lines back, so the next run tries again
def _send_to_agency(*, kind: str, agency: Agency, findings: list[Finding], today: date, template: str,
                    legal: list[LegalReminder] = ()) -> int:
    """Log each finding under its (finding, due date) key, and each legal reminder under its keys, and mail what
    is new to the agency's people: one e-mail per person with both."""
    new = [f for f in findings if _claim(kind, _due_key(f), count=1)]
    new_legal = [r for r in legal if [key for key in r.keys if _claim(kind, key, count=1)]]
    if not new and not new_legal:
        return 0
    people = agency_people(agency.pk)
    addresses = [u.email for u in people] or ([agency.email] if agency.email else [])
    if not addresses:
        logger.warning("No e-mail address for %s: %s reminder not sent", agency, kind)
        return 0
    context = {"agency": agency, "rows": _finding_rows(new, today), "today": today, "kind": kind,
               "my_findings_url": portal_url(reverse("audits:my-findings")),
               "legal_rows": [{"due": r.due, "reason": r.reason, "days_overdue": (today - r.due.due_on).days}
                              for r in new_legal],
               "legal_url": portal_url(reverse("qms:file", args=[agency.pk]) + "#legal-changes")}
    for address in addresses:  # one e-mail per person, listing all the agency's findings of this batch
        send_templated(template=template, context=context, to=[address])
    return len(addresses)


def due_reminders_send(*, today: date | None = None, days_before: int | None = None) -> dict[str, int]:
    """Daily: remind agencies of findings due within `days_before` days, and of those due today; the first e-mail
    of the day also carries the legal changes to reflect in the QMS (new, due within 30 days, overdue weekly)."""
    today = today_or(today)
    days_before = days_before_default() if days_before is None else days_before
    sent = {"due_soon": 0, "due_today": 0}
    legal = legal_reminders(today=today)
    batches = (
        (ReminderKind.DUE_SOON, "due_soon", _open_signed().filter(due_on__gt=today,
                                                                  due_on__lte=today + timedelta(days=days_before))),
        (ReminderKind.DUE_TODAY, "due_today", _open_signed().filter(due_on=today)),
    )
    for kind, template, queryset in batches:
        by_agency: dict[int, list[Finding]] = defaultdict(list)
        agencies = {}
        for finding in queryset:
            by_agency[finding.responsible_agency_id].append(finding)
            agencies[finding.responsible_agency_id] = finding.responsible_agency
        if kind == ReminderKind.DUE_SOON:  # the legal reminders go with the first batch, alone if need be
            for agency_id, reminders in legal.items():
                agencies.setdefault(agency_id, reminders[0].due.agency)
                by_agency.setdefault(agency_id, [])
        for agency_id, findings in by_agency.items():
            sent[template] += _send_to_agency(kind=kind, agency=agencies[agency_id], findings=findings, today=today,
                                              template=template,
                                              legal=legal.get(agency_id, []) if kind == ReminderKind.DUE_SOON else [])
    return sent


def overdue_digest_send(*, today: date | None = None) -> int:
    """Weekly: each inspector gets the province's overdue findings, each agency head the agency's; one e-mail
    per person per week."""
    today = today_or(today)
    year, week, _ = today.isocalendar()
    week_key = f"{year}-W{week:02d}"
    overdue = list(_signed(finding_overdue_on(today)))  # as the board counts them: until a response is accepted
    by_province: dict[int, list[Finding]] = defaultdict(list)
    by_agency: dict[int, list[Finding]] = defaultdict(list)
    for finding in overdue:
        by_province[finding.province_id].append(finding)
        by_agency[finding.responsible_agency_id].append(finding)
    sent = 0
    for province_id, findings in by_province.items():
        groups = _by_agency(findings, today)
        for person in province_inspectors(province_id):
            sent += _digest_once(f"user:{person.pk}:{week_key}", person=person, email=person.email, context={
                "person": person, "groups": groups, "count": len(findings), "today": today, "week": week_key,
                "province": findings[0].province, "board_url": portal_url(reverse("audits:findings-board"))})
    for agency_id, findings in by_agency.items():
        agency = findings[0].responsible_agency
        heads = agency_people(agency_id, roles=[Role.AGENCY_HEAD])
        targets = [(f"user:{h.pk}:{week_key}", h, h.email) for h in heads]
        if not targets and agency.email:
            targets = [(f"agency:{agency_id}:{week_key}", None, agency.email)]
        for key, person, email in targets:
            sent += _digest_once(key, person=person, email=email, context={
                "person": person, "agency": agency, "groups": _by_agency(findings, today),
                "count": len(findings), "today": today, "week": week_key,
                "board_url": portal_url(reverse("audits:my-findings"))})
    return sent


@transaction.atomic
def _digest_once(key: str, *, person, email: str, context: dict) -> int:
    if not _claim(ReminderKind.OVERDUE_DIGEST, key, recipient=person, email=email, count=context["count"]):
        return 0
    send_templated(template="overdue_digest", to=[email], context=context)
    return 1


def _by_agency(findings: list[Finding], today: date) -> list[dict]:
    groups: dict[int, dict] = {}
    for finding in findings:
        group = groups.setdefault(finding.responsible_agency_id, {"agency": finding.responsible_agency, "rows": []})
        group["rows"].append(finding)
    return [{"agency": g["agency"], "rows": _finding_rows(g["rows"], today)} for g in groups.values()]


def finding_event_notify(*, event_id: int) -> int:
    """Tell the other side that a finding moved: a response to the inspectors, a decision to the agency."""
    claimed = FindingEvent.objects.filter(pk=event_id, notified_at__isnull=True).update(notified_at=timezone.now())
    if not claimed:
        return 0
    event = FindingEvent.objects.select_related("finding__agency", "finding__province", "finding__classification",
                                                "finding__checklist_item", "actor").get(pk=event_id)
    finding = event.finding
    if event.kind == FindingEventKind.RESPONDED:
        people = province_inspectors(finding.province_id)
    elif event.kind in (FindingEventKind.ACCEPTED, FindingEventKind.REJECTED):
        people = agency_people(finding.responsible_agency_id)
    else:
        return 0
    # refused without a new due date once the due date has passed: no "by <a past day>"
    due_passed = (event.kind == FindingEventKind.REJECTED and not event.data.get("new_due_on")
                  and finding.due_on is not None and finding.due_on < timezone.localdate(event.at))
    context = {"event": event, "finding": finding, "due_passed": due_passed,
               "url": portal_url(reverse("audits:finding-detail", args=[finding.pk]))}
    for person in people:
        send_templated(template="finding_event", context={**context, "person": person}, to=[person.email])
    return len(people)


def report_request_notify(*, request_id: int) -> int:
    """E-mail each agency of a request to report: what to answer and by when."""
    request = ReportRequest.objects.select_related("issuer").filter(pk=request_id).first()
    if request is None:  # gone before the worker got to it (its transaction rolled back, the data reset)
        logger.warning("report request %s no longer exists: nobody to notify", request_id)
        return 0
    sent = 0
    for inspection in Inspection.objects.filter(report_request=request).select_related("agency"):
        url = portal_url(reverse("audits:inspection-detail", args=[inspection.pk]))
        for person in agency_people(inspection.agency_id):
            with transaction.atomic():
                if _claim(ReminderKind.REPORT_REQUEST, f"{request.pk}:{person.pk}", recipient=person,
                          email=person.email):
                    send_templated(template="report_request", to=[person.email], context={
                        "request": request, "inspection": inspection, "person": person, "url": url})
                    sent += 1
    return sent


def plan_returned_notify(*, plan_id: int, history_id: int) -> int:
    """Tell the province's inspectors that the leader sent their plan back, and why (the reason written in the
    plan's history by `plan_return`); one e-mail per person per return, whatever the retries."""
    plan = InspectionPlan.objects.select_related("province").filter(pk=plan_id).first()
    returned = plan and plan.history.select_related("history_user").filter(history_id=history_id).first()
    if returned is None:
        logger.warning("plan %s return %s no longer exists: nobody to notify", plan_id, history_id)
        return 0
    url = portal_url(reverse("audits:plan-detail", args=[plan.pk]))
    sent = 0
    for person in province_inspectors(plan.province_id):
        with transaction.atomic():
            if _claim(ReminderKind.PLAN_RETURNED, f"{history_id}:{person.pk}", recipient=person, email=person.email):
                send_templated(template="plan_returned", to=[person.email], context={
                    "plan": plan, "person": person, "url": url, "who": returned.history_user,
                    "at": returned.history_date, "reason": returned.history_change_reason or ""})
                sent += 1
    return sent


def record_signed_notify(*, record_id: int) -> int:
    """Tell the agency's people that its inspection record is signed, listing its findings with their due dates:
    the corrective actions are theirs from now on (TT 26: within 2 months). One e-mail per person per record,
    whatever the retries."""
    record = InspectionRecord.objects.select_related("inspection__agency", "issuer").filter(
        pk=record_id, signed_on__isnull=False).first()
    if record is None:
        return 0
    findings = list(_signed(Q(inspection_id=record.inspection_id)))
    if not findings:
        return 0
    agency = findings[0].responsible_agency  # the inspected agency, or the one it was merged into meanwhile
    context = {"record": record, "agency": agency, "rows": _finding_rows(findings, timezone.localdate()),
               "inspection_url": portal_url(reverse("audits:inspection-detail", args=[record.inspection_id])),
               "my_findings_url": portal_url(reverse("audits:my-findings"))}
    sent = 0
    for person in agency_people(agency.pk):
        with transaction.atomic():
            if _claim(ReminderKind.RECORD_SIGNED, f"{record.pk}:{person.pk}", recipient=person, email=person.email,
                      count=len(findings)):
                send_templated(template="record_signed", to=[person.email], context={**context, "person": person})
                sent += 1
    return sent


def plan_submitted_notify(*, plan_id: int, history_id: int) -> int:
    """Tell the people who may approve the plan (`plan.approve` in its province) that it waits for them, with its
    link; one e-mail per person per submission (a plan returned and submitted again is sent again), whatever the
    retries. A plan no longer waiting when the worker gets to it (returned, approved) is not announced."""
    plan = (InspectionPlan.objects.select_related("province", "issuer").filter(pk=plan_id, state=PlanState.SUBMITTED)
            .first())
    submitted = plan and plan.history.select_related("history_user").filter(
        history_id=history_id, state=PlanState.SUBMITTED).first()
    if submitted is None:
        logger.warning("plan %s submission %s is not waiting for approval: nobody to notify", plan_id, history_id)
        return 0
    forms = list(plan.entries.values_list("form", flat=True))
    context = {"plan": plan, "who": submitted.history_user, "at": submitted.history_date, "count": len(forms),
               "on_site": forms.count(InspectionForm.ON_SITE),
               "url": portal_url(reverse("audits:plan-detail", args=[plan.pk]))}
    return sum(_send_once(ReminderKind.PLAN_SUBMITTED, f"{history_id}:{person.pk}", person=person, email=person.email,
                          template="plan_submitted", context=context)
               for person in province_people_who_may("plan.approve", plan.province_id))


def plan_approved_notify(*, plan_id: int) -> int:
    """An approved plan: the province's inspectors are told (as of a return), and each agency of the plan that its
    inspection is planned: the form, the expected period, the inspecting and cooperating units, and what comes
    next. The agency's people get it, or the agency's own address where it has nobody in the portal. One e-mail per
    person (or address) per inspection, whatever the retries."""
    plan = (InspectionPlan.objects.select_related("province", "issuer").filter(pk=plan_id, state__in=APPROVED_STATES)
            .first())
    if plan is None:
        logger.warning("plan %s is not approved: nobody to notify", plan_id)
        return 0
    inspections = list(plan.inspections.select_related("agency", "inspecting_unit", "plan_entry")
                       .order_by("expected_from", "agency__name", "pk"))
    context = {"plan": plan, "count": len(inspections),
               "on_site": sum(1 for i in inspections if i.form == InspectionForm.ON_SITE),
               "url": portal_url(reverse("audits:plan-detail", args=[plan.pk]))}
    sent = sum(_send_once(ReminderKind.PLAN_APPROVED, f"{plan.pk}:{person.pk}", person=person, email=person.email,
                          template="plan_approved", context=context)
               for person in province_inspectors(plan.province_id))
    people = agencies_people({i.agency_id for i in inspections})
    unreached = []
    for inspection in inspections:
        agency = inspection.agency
        targets = [(f"{inspection.pk}:{p.pk}", p, p.email) for p in people.get(agency.pk, [])]
        if not targets and agency.email:
            targets = [(f"{inspection.pk}:agency", None, agency.email)]
        if not targets:
            unreached.append(agency.name)
        notice = {"plan": plan, "inspection": inspection, "agency": agency, "entry": inspection.plan_entry,
                  "on_site": inspection.form == InspectionForm.ON_SITE,
                  "url": portal_url(reverse("audits:inspection-detail", args=[inspection.pk]))}
        for key, person, email in targets:
            sent += _send_once(ReminderKind.INSPECTION_PLANNED, key, person=person, email=email,
                               template="inspection_planned", context=notice)
    if unreached:  # one line for the plan, not one per agency (a province's plan has a hundred)
        logger.warning("Plan %s: %d agencies have no one in the portal and no e-mail address, their planned "
                       "inspection was not announced: %s", plan.pk, len(unreached), ", ".join(unreached))
    return sent
