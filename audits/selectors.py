"""Reads, always scoped to the user: agency < province < nation (the same rule as agencies_in_scope).

Agency users see their own agency's inspections, and its findings once the inspection record is signed;
they do not see the province's plans. Province roles see their province; national roles see everything.
"""

import math
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.access import in_scope, scope_of
from agencies.models import Agency, AgencyObligation, ObligationLevel, Province
from agencies.selectors import obligations_confirmed

from .models import (
    AWAITING_AGENCY,
    AgencyChecklistAnswer,
    EvidenceSide,
    Finding,
    FindingEvidence,
    FindingStatus,
    Inspection,
    InspectionDecision,
    InspectionForm,
    InspectionPlan,
    InspectionRecord,
    InspectionStatus,
    PlanEntry,
    PlanState,
    RecordItemResult,
    ReportRequest,
    ResponseOutcome,
    finding_overdue_on,
    finding_to_act_on,
)

# --- scope --------------------------------------------------------------------------------------------


def plans_in_scope(*, user) -> QuerySet[InspectionPlan]:
    return in_scope(InspectionPlan.objects.all(), user=user)


def inspections_in_scope(*, user) -> QuerySet[Inspection]:
    return in_scope(Inspection.objects.all(), user=user)


def findings_in_scope(*, user) -> QuerySet[Finding]:
    return in_scope(Finding.objects.all(), user=user)


def decisions_in_scope(*, user) -> QuerySet[InspectionDecision]:
    return in_scope(InspectionDecision.objects.all(), user=user)


def report_requests_in_scope(*, user) -> QuerySet[ReportRequest]:
    return in_scope(ReportRequest.objects.all(), user=user)


# --- plans ---------------------------------------------------------------------------------------------


def plan_list(*, user) -> QuerySet[InspectionPlan]:
    return (plans_in_scope(user=user).select_related("province", "issuer")
            .annotate(entry_count=Count("entries", distinct=True),
                      on_site_count=Count("entries", filter=Q(entries__form=InspectionForm.ON_SITE), distinct=True),
                      budget_total=Sum("entries__budget_vnd"))
            .order_by("-year", "province__name"))


def plan_get(*, user, pk) -> InspectionPlan:
    return get_object_or_404(plan_list(user=user), pk=pk)


def plan_return_note(*, plan: InspectionPlan) -> dict | None:
    """While a plan the leader sent back is a draft again: who returned it, when and why (the reason is the
    history's change reason, written by `services.plan_return`); None for any other plan."""
    if plan.state != PlanState.DRAFT or plan.submitted_at is None:
        return None
    newer = None
    for row in plan.history.select_related("history_user").order_by("-history_date", "-history_id"):
        if row.state == PlanState.SUBMITTED:
            if newer is None or newer.state != PlanState.DRAFT:
                return None
            return {"who": newer.history_user, "at": newer.history_date,
                    "reason": newer.history_change_reason or "", "history_id": newer.history_id}
        newer = row
    return None


def plan_entries(*, plan: InspectionPlan) -> QuerySet[PlanEntry]:
    return plan.entries.select_related("agency", "inspecting_unit").order_by("expected_from", "agency__name")


def mandatory_agencies(*, province_id: int, year: int) -> QuerySet[Agency]:
    """Agencies that must apply ISO 9001 in `year`: obligation level mandatory, set by the province."""
    mandatory = AgencyObligation.objects.filter(agency=OuterRef("pk"), year=year, level=ObligationLevel.MANDATORY)
    return Agency.objects.filter(Exists(mandatory), province_id=province_id, is_active=True).order_by("name")


@dataclass
class Coverage:
    """TT 26: every mandatory agency inspected at least by documents, and at least a third of them on site."""

    mandatory: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    on_site: int = 0
    # Agencies of the plan no longer active (merged, dissolved since they were added): an inspection of them cannot
    # be opened, so the plan is not complete until they are removed.
    inactive: list = field(default_factory=list)
    # Whether the province has confirmed the year's obligations: until then nobody knows which agencies are
    # mandatory, and the check fails (never "0/0, complete").
    determined: bool = True
    year: int | None = None

    @property
    def total(self) -> int:
        return len(self.mandatory)

    @property
    def covered(self) -> int:
        return self.total - len(self.missing)

    @property
    def required_on_site(self) -> int:
        return math.ceil(self.total / 3)

    @property
    def on_site_short(self) -> int:
        return max(self.required_on_site - self.on_site, 0)

    @property
    def ok(self) -> bool:
        return self.determined and not self.missing and self.on_site_short == 0 and not self.inactive


def plan_coverage(*, plan: InspectionPlan) -> Coverage:
    inactive = list(Agency.objects.filter(plan_entries__plan=plan, is_active=False).order_by("name"))
    if not obligations_confirmed(province_id=plan.province_id, year=plan.year):
        return Coverage(determined=False, year=plan.year, inactive=inactive)
    mandatory = list(mandatory_agencies(province_id=plan.province_id, year=plan.year))
    forms = dict(plan.entries.values_list("agency_id", "form"))
    return Coverage(
        year=plan.year,
        inactive=inactive,
        mandatory=mandatory,
        missing=[a for a in mandatory if a.pk not in forms],
        on_site=sum(1 for a in mandatory if forms.get(a.pk) == InspectionForm.ON_SITE),
    )


# --- inspections ------------------------------------------------------------------------------------------


def with_lateness(queryset: QuerySet[Inspection], *, today: date | None = None) -> QuerySet[Inspection]:
    """Annotate what is past its date (issue 13's rule, "past dates are flagged"):

    - `last_day`: the last day the inspection was meant to happen: the decision's end date, else the scheduled
      visit, else the end of the plan's expected period;
    - `is_overdue`: that day has passed and the record is not signed;
    - `answers_overdue`: the agency was asked to report, the deadline has passed and it has not submitted its
      self-assessment (while the record is not signed).
    """
    today = today or timezone.localdate()
    unsigned = ~Q(status=InspectionStatus.SIGNED)

    def flag(condition: Q) -> Case:  # false, not NULL, where a date is missing (SQL's NULL < today is NULL)
        return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())

    return queryset.annotate(last_day=Coalesce("decision__ends_on", "scheduled_on", "expected_to")).annotate(
        is_overdue=flag(unsigned & Q(last_day__lt=today)),
        answers_overdue=flag(unsigned & Q(report_request__deadline__lt=today,
                                          self_assessment_submitted_at__isnull=True)))


def inspection_list(*, user, today: date | None = None) -> QuerySet[Inspection]:
    return with_lateness(inspections_in_scope(user=user)
                         .select_related("agency", "province", "plan", "decision", "report_request__issuer",
                                         "record", "inspecting_unit")
                         .annotate(finding_count=Count("findings", distinct=True))
                         .order_by("scheduled_on", "expected_from", "pk"), today=today)


def inspection_get(*, user, pk) -> Inspection:
    return get_object_or_404(inspection_list(user=user), pk=pk)


def record_visible(*, user, inspection: Inspection) -> bool:
    """Whether the user may see the team's record of the inspection (results, notes, findings, PDF). Until it is
    signed the record is the team's draft: the province and the nation see it, the agency sees only its own
    self-assessment and the decision."""
    record = getattr(inspection, "record", None)
    return record is not None and (record.signed_on is not None or not scope_of(user).is_agency)


def record_get(*, user, inspection: Inspection) -> InspectionRecord:
    """The inspection's record if the user may see it; 404 otherwise (no record yet, or a draft for the agency)."""
    if not record_visible(user=user, inspection=inspection):
        raise Http404(_("The inspection has no record yet."))
    return inspection.record


def inspection_items(*, inspection: Inspection):
    return inspection.checklist_version.items.order_by("number")


def record_results(*, inspection: Inspection) -> list[dict]:
    """One row per checklist item with the team's result (blank when not answered yet)."""
    record = getattr(inspection, "record", None)
    results = {}
    if record is not None:
        results = {r.item_id: r for r in RecordItemResult.objects.filter(record=record)}
    return [{"item": item, "result": results[item.pk].result if item.pk in results else "",
             "notes": results[item.pk].notes if item.pk in results else ""}
            for item in inspection_items(inspection=inspection)]


def self_assessment_rows(*, inspection: Inspection) -> list[dict]:
    """One row per checklist item: the agency's answer, or the suggestion from its QMS file if none is saved."""
    from .prefill import checklist_prefill, prefill_note

    answers = {a.item_id: a for a in AgencyChecklistAnswer.objects.filter(inspection=inspection)
               .prefetch_related("evidence")}
    prefill = None
    rows = []
    for item in inspection_items(inspection=inspection):
        answer = answers.get(item.pk)
        if answer is not None:
            rows.append({"item": item, "result": answer.result, "explanation": answer.explanation,
                         "prefill_note": prefill_note(answer.prefill) or answer.prefill_note,
                         "evidence": list(answer.evidence.all()),
                         "saved": True})
            continue
        if prefill is None:
            prefill = checklist_prefill(agency=inspection.agency, year=inspection.year)
        suggestion = prefill.get(item.code)
        rows.append({"item": item, "result": suggestion.result if suggestion else "", "explanation": "",
                     "prefill_note": suggestion.note if suggestion else "", "evidence": [], "saved": False})
    return rows


# The calendar's statuses: those of an inspection whose record is not signed yet.
CALENDAR_STATUSES = [status for status in InspectionStatus if status != InspectionStatus.SIGNED]


def _calendar_base(*, user, today: date | None = None, month: date | None = None,
                   status: str | None = None) -> QuerySet[Inspection]:
    """The calendar's inspections (record not signed yet), each with its date (`cal_date`: what `Inspection.date`
    says, in SQL), the lateness flags, and the month and status asked for."""
    rows = with_lateness(inspections_in_scope(user=user).exclude(status=InspectionStatus.SIGNED), today=today)
    rows = rows.annotate(cal_date=Coalesce("scheduled_on", "decision__starts_on", "expected_from"))
    if month is not None:
        rows = rows.filter(cal_date__gte=month, cal_date__lt=(month + timedelta(days=32)).replace(day=1))
    if status:
        rows = rows.filter(status=status)
    return rows


def calendar_rows(*, user, today: date | None = None, overdue_only: bool = False, month: date | None = None,
                  status: str | None = None) -> QuerySet[Inspection]:
    """Inspections whose record is not signed yet, by date (those without one last), then agency: in SQL, so that
    the calendar is paged there. Late visits stay listed until signed, flagged `is_overdue` (see `with_lateness`)."""
    rows = _calendar_base(user=user, today=today, month=month, status=status)
    if overdue_only:
        rows = rows.filter(is_overdue=True)
    return (rows.select_related("agency", "province", "plan", "decision", "report_request__issuer", "record",
                                "inspecting_unit")
            .order_by(F("cal_date").asc(nulls_last=True), "agency__name", "pk"))


def calendar_overdue(*, user, today: date | None = None, month: date | None = None, status: str | None = None) -> int:
    """How many of the calendar's inspections (of the month and status asked for) are overdue: on every page."""
    return _calendar_base(user=user, today=today, month=month, status=status).filter(is_overdue=True).count()


def calendar_months(*, user, today: date | None = None, overdue_only: bool = False,
                    status: str | None = None) -> list[tuple[date, int]]:
    """[(first day of a month, inspections of the calendar in it)], the months that have some, in order: the
    months an inspector planning the year can pick."""
    rows = _calendar_base(user=user, today=today, status=status).filter(cal_date__isnull=False)
    if overdue_only:
        rows = rows.filter(is_overdue=True)
    months = rows.annotate(month=TruncMonth("cal_date")).order_by().values("month").annotate(n=Count("pk"))
    return sorted((row["month"], row["n"]) for row in months)


def by_month(inspections) -> "OrderedDict[date | None, list]":
    """Rows of `calendar_rows` (in its order) grouped by the first day of their month (None: no date yet)."""
    months: OrderedDict = OrderedDict()
    for inspection in inspections:
        months.setdefault(inspection.cal_date.replace(day=1) if inspection.cal_date else None, []).append(inspection)
    return months


def calendar(*, user, today: date | None = None, overdue_only: bool = False) -> "OrderedDict[date, list]":
    """The whole calendar, by month (a page of it: `calendar_rows`, paged, then `by_month`)."""
    return by_month(calendar_rows(user=user, today=today, overdue_only=overdue_only))


# --- findings ----------------------------------------------------------------------------------------------


def finding_list(*, user, today: date | None = None) -> QuerySet[Finding]:
    return (findings_in_scope(user=user).with_overdue(today)
            .select_related("agency", "responsible_agency", "province", "classification", "checklist_item",
                            "inspection", "inspection__record")
            .order_by("due_on", "agency__name", "number", "pk"))


def board_findings(*, user, today: date | None = None) -> QuerySet[Finding]:
    """The findings of signed records (the agencies' to act on) with only what the findings board shows (agency,
    record number, classification, the finding's own columns): three joins instead of six and a few columns
    instead of every one; planning the full query and building its rows was most of the national board's time."""
    return (findings_in_scope(user=user).filter(record_signed=True).with_overdue(today)
            .select_related("agency", "responsible_agency", "classification", "inspection__record")
            .only("number", "description", "due_on", "status", "agency__name", "responsible_agency__name",
                  "classification__name", "classification__name_en", "inspection__record__number")
            .order_by("due_on", "agency__name", "number", "pk"))


def finding_get(*, user, pk, today: date | None = None) -> Finding:
    return get_object_or_404(finding_list(user=user, today=today), pk=pk)


def finding_detail(*, finding: Finding) -> Finding:
    """The finding with its timeline, responses and evidence loaded."""
    from .models import FindingEvidence, FindingResponse

    evidence = FindingEvidence.objects.select_related("file", "uploaded_by").order_by("uploaded_at", "pk")
    responses = FindingResponse.objects.select_related("submitted_by", "decided_by").prefetch_related(
        Prefetch("evidence", queryset=evidence.select_related("carried_from__response")))
    return (Finding.objects.with_overdue().select_related("agency", "responsible_agency", "classification",
                                                          "checklist_item", "inspection", "inspection__record")
            .prefetch_related(Prefetch("events", queryset=finding_events()), Prefetch("responses", queryset=responses),
                              # every file once: one sent again with a later response is the earlier one's file
                              Prefetch("evidence", queryset=evidence.filter(carried_from__isnull=True)))
            .get(pk=finding.pk))


def finding_events():
    from .models import FindingEvent

    return FindingEvent.objects.select_related("actor").order_by("at", "pk")


def reusable_evidence(*, finding: Finding) -> list:
    """The agency's files this finding's next response may send without uploading them again: those uploaded and
    not sent yet, and those of its responses that were not accepted (the latest first; one line per stored file)."""
    rows = (FindingEvidence.objects.filter(finding=finding, side=EvidenceSide.AGENCY)
            .filter(Q(response__isnull=True) | Q(response__outcome=ResponseOutcome.REJECTED))
            .select_related("file", "response").order_by("-response__submitted_at", "-uploaded_at", "-pk"))
    seen, unique = set(), []
    for row in rows:
        if row.file_id not in seen:
            seen.add(row.file_id)
            unique.append(row)
    return unique


class BoardRows:
    """The table by agency of the findings board: one row (a dict) per agency with something still to do, most
    overdue first, then by name, each with the number of such agencies ("matches"), sliced by the page
    (`qms_portal.queries.page_of_rows`).

    The findings in scope are grouped by agency first (from `finding_board_idx` alone, no visit of the table);
    the names, which only order agencies with the same number of overdue findings, are read for the groups whose
    number is within the page's range only (the numbers of the page's rows are known without names): a row's
    place is the number of groups more overdue than the page's most overdue row, plus its rank by name among the
    groups in the range. Joining every open finding of the country to its agency and sorting them all by name was
    most of the national board's time, and grew with the country. The ORM cannot join a grouped query, so the
    outer query is written here; the grouped one, with the scope, is the ORM's."""

    SQL = """
        WITH grouped AS MATERIALIZED ({grouped}),
        bounds AS (SELECT MIN(overdue) AS low, MAX(overdue) AS high
                   FROM (SELECT overdue FROM grouped ORDER BY overdue DESC LIMIT %s OFFSET %s) page),
        counts AS (SELECT COUNT(*) AS matches, COUNT(*) FILTER (WHERE overdue > (SELECT high FROM bounds)) AS ahead
                   FROM grouped),
        named AS (SELECT grouped.*, counts.matches, a.name AS "agency__name",
                         counts.ahead + ROW_NUMBER() OVER (ORDER BY overdue DESC, a.name, responsible_agency_id)
                         AS place
                  FROM grouped JOIN bounds ON overdue BETWEEN bounds.low AND bounds.high CROSS JOIN counts
                  JOIN {agency} a ON a.id = grouped.responsible_agency_id)
        SELECT responsible_agency_id AS agency_id, province_id, open, responded, overdue, matches, "agency__name",
               p.name AS "province__name"
        FROM named JOIN {province} p ON p.id = named.province_id
        WHERE place > %s AND place <= %s ORDER BY place"""

    def __init__(self, grouped: QuerySet):
        self.grouped = grouped

    def count(self) -> int:
        return self.grouped.count()

    def __getitem__(self, window: slice) -> list[dict]:
        inner, params = self.grouped.query.sql_with_params()
        agency, province = (connection.ops.quote_name(model._meta.db_table) for model in (Agency, Province))
        start = window.start or 0
        with connection.cursor() as cursor:
            cursor.execute(self.SQL.format(grouped=inner, agency=agency, province=province),
                           (*params, window.stop - start, start, start, window.stop))
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def findings_board(*, user, today: date | None = None) -> BoardRows:
    """Open and overdue findings by the agency answering them (`Finding.responsible_agency`: a merged agency's
    count under its successor) (`BoardRows`)."""
    today = today or timezone.localdate()
    return BoardRows(findings_in_scope(user=user).filter(finding_to_act_on()).order_by()
                     .values("responsible_agency_id", "province_id").annotate(
        open=Count("responsible_agency_id", filter=Q(status__in=AWAITING_AGENCY)),
        responded=Count("responsible_agency_id", filter=Q(status=FindingStatus.RESPONDED)),
        overdue=Count("responsible_agency_id", filter=finding_overdue_on(today))))


def next_step(finding: Finding, today: date | None = None) -> dict:
    """What the agency has to do next with this finding, for its own list."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    today = today or timezone.localdate()
    due = date_format(finding.due_on, "SHORT_DATE_FORMAT") if finding.due_on else "—"
    if finding.status == FindingStatus.ACCEPTED:
        return {"tone": "ok", "text": _("Closed. The effectiveness of the action will be checked at the next "
                                        "inspection.")}
    if finding.status == FindingStatus.WITHDRAWN:
        return {"tone": "muted", "text": _("Closed by the inspecting unit: the agency was dissolved.")}
    if finding.status == FindingStatus.RESPONDED:
        return {"tone": "muted", "text": _("Your response was sent. Waiting for the inspecting unit to review it.")}
    overdue = finding.is_overdue_on(today)
    if finding.status == FindingStatus.REJECTED:
        text = _("Your response was not accepted. Correct the action and send a new response with evidence "
                 "by %(due)s.") % {"due": due}
    else:
        text = _("Take corrective action and send a response with evidence by %(due)s.") % {"due": due}
    if overdue:
        text = _("Overdue since %(due)s: send your response with evidence as soon as possible.") % {"due": due}
    return {"tone": "bad" if overdue else "warn", "text": text}


# --- for other apps (reports): one row per agency, in a constant number of queries ------------------------------


@dataclass(frozen=True)
class AgencyInspectionSummary:
    form: str  # documents / on_site, of the year's latest inspection ("" if none)
    status: str
    record_signed_on: date | None
    findings_open: int  # waiting for the agency (open or not accepted)
    findings_overdue: int
    findings_responded: int  # waiting for the inspecting unit
    findings_closed: int


def inspection_summary_by_agency(*, agencies: QuerySet, year: int, today: date | None = None,
                                 ) -> dict[int, AgencyInspectionSummary]:
    """What the inspections of `year` say about each agency of `agencies` (already scoped by the caller).

    Two queries whatever the number of agencies; agencies without an inspection are left out.
    """
    today = today or timezone.localdate()
    inspections = (Inspection.objects.filter(agency__in=agencies, year=year)
                   .values_list("agency_id", "form", "status", "record__signed_on").order_by("agency_id", "pk"))
    latest: dict[int, tuple] = {}
    for agency_id, form, status, signed_on in inspections:
        current = latest.get(agency_id)
        if current is None or signed_on or not current[2]:
            latest[agency_id] = (form, status, signed_on)
    awaiting = Q(status__in=AWAITING_AGENCY)
    counts = {row["agency_id"]: row for row in (
        Finding.objects.filter(agency__in=agencies, inspection__year=year, inspection__record__signed_on__isnull=False)
        .values("agency_id")
        .annotate(open=Count("pk", filter=awaiting), overdue=Count("pk", filter=finding_overdue_on(today)),
                  responded=Count("pk", filter=Q(status=FindingStatus.RESPONDED)),
                  closed=Count("pk", filter=Q(status=FindingStatus.ACCEPTED)))
        .order_by())}
    empty = {"open": 0, "overdue": 0, "responded": 0, "closed": 0}
    return {agency_id: AgencyInspectionSummary(
        form=form, status=status, record_signed_on=signed_on, findings_open=counts.get(agency_id, empty)["open"],
        findings_overdue=counts.get(agency_id, empty)["overdue"],
        findings_responded=counts.get(agency_id, empty)["responded"],
        findings_closed=counts.get(agency_id, empty)["closed"])
        for agency_id, (form, status, signed_on) in latest.items()}
