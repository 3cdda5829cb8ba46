"""Reads, always scoped to the user (agency < province < nation), and the completeness of agency reports.

Completeness is computed from one annotated agency query, whatever the number of agencies: who was expected
to report, who did, on time or late, and who is missing (with their contacts, two more queries). The rows are
read as plain values, not model instances: a province has ~1,000 agencies.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Case, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from agencies.access import can, in_scope, scope_of
from agencies.models import (
    AGENCY_ROLES,
    Agency,
    AgencyKind,
    AgencyObligation,
    Membership,
    ObligationLevel,
    RegisterStatus,
    Role,
)
from agencies.selectors import active_on
from qms.models import Stage
from qms_portal.numbers import percent

from .models import AgencyReport, AgencyReportStatus, ConsolidatedReport, PeriodKind, ReportingPeriod, ReportKind

# Expected to report (our choice, see DOMAIN.md §6): every active agency whose obligation for the period's
# year is mandatory, plus encouraged agencies that have applied a QMS (they report on what they run).
APPLIED_STAGES = (Stage.APPLYING, Stage.ANNOUNCED, Stage.MAINTAINING, Stage.REANNOUNCEMENT_DUE)


# --- scope ---------------------------------------------------------------------------------------------------


def periods_in_scope(*, user) -> QuerySet[ReportingPeriod]:
    return in_scope(ReportingPeriod.objects.all(), user=user)


def agency_reports_in_scope(*, user) -> QuerySet[AgencyReport]:
    """Starts from `agencies_in_scope`: an agency user sees its own agency's reports only."""
    return in_scope(AgencyReport.objects.all(), user=user)


def consolidated_reports_in_scope(*, user) -> QuerySet[ConsolidatedReport]:
    """Province roles see their province's reports; national roles everything; agency roles nothing."""
    return in_scope(ConsolidatedReport.objects.all(), user=user)


# --- periods -------------------------------------------------------------------------------------------------


def period_list(*, user, year: int | None = None, province: int | None = None,
                kind: str | None = None) -> QuerySet[ReportingPeriod]:
    queryset = periods_in_scope(user=user).select_related("province")
    if year:
        queryset = queryset.filter(year=year)
    if province:
        queryset = queryset.filter(province__code=province)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("-year", "province__name", "deadline", "pk")


def period_get(*, user, pk) -> ReportingPeriod:
    return get_object_or_404(period_list(user=user), pk=pk)


# --- agency reports ------------------------------------------------------------------------------------------


def agency_report_actions(user, report: AgencyReport) -> set[str]:
    """What the user may do now with an agency report (draft, submit, accept, return, reopen): the page shows only
    these. The services stay the authority and refuse, with their own messages, a state that no longer fits."""
    actions = set()
    if report.is_editable:
        actions |= {name for name in ("draft", "submit") if can(user, f"agency_report.{name}")}
    if can(user, "agency_report.review"):
        if report.status == AgencyReportStatus.SUBMITTED:
            actions |= {"accept", "return"}
        if report.status in (AgencyReportStatus.SUBMITTED, AgencyReportStatus.ACCEPTED):
            actions.add("reopen")
    return actions


def agency_report_list(*, user, period: int | None = None, status: str | None = None,
                       agency: int | None = None) -> QuerySet[AgencyReport]:
    queryset = agency_reports_in_scope(user=user).select_related("period", "period__province", "agency",
                                                                 "submitted_by", "reviewed_by")
    if period:
        queryset = queryset.filter(period_id=period)
    if status:
        queryset = queryset.filter(status=status)
    if agency:
        queryset = queryset.filter(agency_id=agency)
    return queryset.order_by("-period__year", "period__deadline", "agency__name", "pk")


def period_report_rows(*, user, period: ReportingPeriod) -> QuerySet[AgencyReport]:
    """The period's agency reports received (first submitted: what the completeness counts as received, a draft
    never submitted is not) in the user's scope, with only what the period page lists of them."""
    return (agency_reports_in_scope(user=user).filter(period=period, first_submitted_at__isnull=False)
            .select_related("agency")
            .only("id", "status", "first_submitted_at", "agency__name").order_by("agency__name", "pk"))


def agency_report_get(*, user, pk) -> AgencyReport:
    return get_object_or_404(agency_report_list(user=user), pk=pk)


def issued_agency_report_get(*, user, pk) -> AgencyReport:
    """The report as the document the agency issued (its PDF, its Word file): for the report's readers; a draft,
    never submitted or back with the agency (returned, reopened), is no document (404), on the page as in the API."""
    report = agency_report_get(user=user, pk=pk)
    if not report.is_issued:
        raise Http404
    return report


REPORT_EVENTS = {
    "created": gettext_lazy("Created"), "edited": gettext_lazy("Edited"),
    "submitted": gettext_lazy("Submitted"), "accepted": gettext_lazy("Accepted"),
    "returned": gettext_lazy("Returned for correction"), "reopened": gettext_lazy("Reopened"),
}


def agency_report_history(*, report: AgencyReport) -> list[dict]:
    """The report's history; the stored event codes ("returned: why") are shown in the reader's language."""
    from qms_portal.history import history_entries

    entries = history_entries(report.history.all())
    for entry in entries:
        code, _sep, why = entry["reason"].partition(": ")
        if code in REPORT_EVENTS:
            entry["reason"] = f"{REPORT_EVENTS[code]}: {why}" if why else str(REPORT_EVENTS[code])
    return entries


# --- consolidated reports -----------------------------------------------------------------------------------


def consolidated_report_list(*, user, kind: str | None = None, period: int | None = None,
                             status: str | None = None) -> QuerySet[ConsolidatedReport]:
    queryset = consolidated_reports_in_scope(user=user).select_related("province", "period", "requested_by",
                                                                       "pdf", "xlsx", "docx")
    if kind:
        queryset = queryset.filter(kind=kind)
    if period:
        queryset = queryset.filter(period_id=period)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-requested_at", "-pk")


def consolidated_report_get(*, user, pk) -> ConsolidatedReport:
    return get_object_or_404(consolidated_report_list(user=user), pk=pk)


@dataclass(frozen=True)
class RegisterState:
    """What a report's line in its issuer's register says of it now (`entry`: None when it has none: a consolidated
    report not done or numbered outside the portal, an agency report not issued): numbered and not signed yet,
    signed, or withdrawn (no longer valid). The reports' pages, the verification page and the API read it here."""

    entry: object = None  # agencies.models.RegisteredDocument

    @property
    def withdrawn(self) -> bool:
        return self.entry is not None and self.entry.status == RegisterStatus.WITHDRAWN

    @property
    def withdrawn_on(self) -> date | None:
        if not self.withdrawn or self.entry.withdrawn_at is None:
            return None
        return timezone.localtime(self.entry.withdrawn_at).date()

    @property
    def withdrawn_reason(self) -> str:
        return self.entry.withdrawn_reason if self.withdrawn else ""

    @property
    def signed_file(self):
        """The signed PDF stored on the line (the report's own `pdf` is the unsigned one), or None."""
        return self.entry.signed_file if self.entry is not None else None


def register_states(reports) -> dict[int, RegisterState]:
    """{report id: its `RegisterState`} for consolidated reports, or for agency reports (one model at a time: their
    `register_document`), in one query whatever their number."""
    from agencies.register import register_entries_of

    documents = {r.pk: r.register_document for r in reports}
    entries = register_entries_of(document for document in documents.values() if document is not None)
    return {pk: RegisterState(entries.get(document) if document is not None else None)
            for pk, document in documents.items()}


def verification_lookup(*, code: str) -> ConsolidatedReport:
    """Public: an issued report by its verification code; 404 for anything else (no hint either way)."""
    code = (code or "").strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{4,16}", code):
        raise Http404
    return get_object_or_404(ConsolidatedReport.objects.select_related("pdf"), verification_code=code,
                             status="done", pdf__isnull=False)


# --- completeness --------------------------------------------------------------------------------------------


def deadline_end(deadline: date) -> datetime:
    """The first moment after the deadline day, in the portal's time zone."""
    return timezone.make_aware(datetime.combine(deadline + timedelta(days=1), time.min))


def with_report_facts(queryset: QuerySet[Agency], *, year: int, period_kind: str,
                      period_id: int | None = None) -> QuerySet[Agency]:
    """Annotate agencies with their obligation, their QMS stage, their report for the period and its deadline.

    The report is a join (FilteredRelation): an agency has at most one report per period and a province one
    regular period per year and kind, so no row is repeated. The obligation of the year depends on the scale:
    for one period (one province, ~1,000 agencies) it is looked up per agency on its index, about three times
    faster than the hash join the planner picks (which reads the obligations of every agency of the nation);
    for the national roll-up (one period per province) it is that join, cheaper for 20,000 agencies.
    """
    if period_id:
        report = FilteredRelation("periodic_reports", condition=Q(periodic_reports__period_id=period_id))
        deadline = Subquery(ReportingPeriod.objects.filter(pk=period_id).order_by().values("deadline")[:1])
        level = Subquery(AgencyObligation.objects.filter(agency=OuterRef("pk"), year=year)
                         .order_by().values("level")[:1])
    else:  # one period per province: the national roll-up
        period = FilteredRelation("province__reporting_periods", condition=Q(
            province__reporting_periods__year=year, province__reporting_periods__kind=period_kind))
        queryset = queryset.annotate(
            the_period=period,
            the_obligation=FilteredRelation("obligations", condition=Q(obligations__year=year)))
        report = FilteredRelation("periodic_reports", condition=Q(periodic_reports__period_id=F("the_period__id")))
        deadline = F("the_period__deadline")
        level = F("the_obligation__level")
    return queryset.annotate(the_report=report).annotate(
        obligation_level=level, qms_stage=F("qms__stage"),
        report_id=F("the_report__id"), report_status=F("the_report__status"),
        report_first_submitted_at=F("the_report__first_submitted_at"), period_deadline=deadline,
    )


def is_expected(agency) -> bool:
    """Mandatory for the year, or encouraged with a QMS applied (DOMAIN.md §6)."""
    level = getattr(agency, "obligation_level", None)
    if level == ObligationLevel.MANDATORY:
        return True
    if level != ObligationLevel.ENCOURAGED:
        return False
    if hasattr(agency, "qms_stage"):  # annotated by `with_report_facts`: no need for the QMS record
        return agency.qms_stage in APPLIED_STAGES
    qms = agency.qms if _has_qms(agency) else None
    return qms is not None and qms.stage in APPLIED_STAGES


def _has_qms(agency) -> bool:
    try:
        return agency.qms is not None
    except Agency.qms.RelatedObjectDoesNotExist:
        return False


def timeliness(agency) -> str:
    """"on_time", "late" or "missing" for an agency annotated by `with_report_facts`."""
    submitted = agency.report_first_submitted_at
    if not submitted:
        return "missing"
    deadline = agency.period_deadline
    if deadline is None or timezone.localtime(submitted).date() <= deadline:
        return "on_time"
    return "late"


@dataclass
class CompletenessRow:
    kind: str
    label: str
    expected: int = 0
    received: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    returned: int = 0

    @property
    def received_percent(self) -> int:
        return percent(self.received, self.expected)

    @property
    def on_time_percent(self) -> int:
        return percent(self.on_time, self.expected)

    def add(self, status: str, report_status: str | None) -> None:
        self.expected += 1
        if status == "missing":
            self.missing += 1
            return
        self.received += 1
        self.on_time += status == "on_time"
        self.late += status == "late"
        self.returned += report_status == AgencyReportStatus.RETURNED

    def as_dict(self) -> dict:
        return {"kind": self.kind, "label": str(self.label), "expected": self.expected, "received": self.received,
                "on_time": self.on_time, "late": self.late, "missing": self.missing, "returned": self.returned,
                "received_percent": self.received_percent}


@dataclass
class Completeness:
    rows: list[CompletenessRow]
    total: CompletenessRow
    missing_agencies: list = field(default_factory=list)
    late_agencies: list = field(default_factory=list)


def completeness_from_rows(agencies) -> Completeness:
    """Count by agency kind from agencies annotated by `with_report_facts`.

    The missing and late agencies get `kind_label`, their kind in the reader's language (looked up once here:
    `get_kind_display` costs a translation of every choice on each call).
    """
    labels = {kind: str(label) for kind, label in AgencyKind.choices}
    by_kind: dict[str, CompletenessRow] = {}
    total = CompletenessRow(kind="", label="")
    missing, late = [], []
    for agency in agencies:
        if not is_expected(agency):
            continue
        status = timeliness(agency)
        row = by_kind.setdefault(agency.kind, CompletenessRow(kind=agency.kind, label=labels.get(agency.kind, "")))
        row.add(status, agency.report_status)
        total.add(status, agency.report_status)
        if status == "missing":
            agency.kind_label = labels.get(agency.kind, agency.kind)
            missing.append(agency)
        elif status == "late":
            agency.kind_label = labels.get(agency.kind, agency.kind)
            late.append(agency)
    rows = [by_kind[k] for k in labels if k in by_kind]
    return Completeness(rows=rows, total=total, missing_agencies=missing, late_agencies=late)


def _period_facts(period: ReportingPeriod) -> QuerySet[Agency]:
    """The agencies of the period's province active on its date (`ReportingPeriod.as_of`): an agency merged or
    closed after it stays expected, and its report counted."""
    queryset = Agency.objects.filter(active_on(period.as_of()), province_id=period.province_id)
    return (with_report_facts(queryset, year=period.year, period_kind=period.kind, period_id=period.pk)
            .order_by("kind", "name", "pk"))


def period_agencies(*, period: ReportingPeriod) -> QuerySet[Agency]:
    """Every agency of the period's province active on its date, with its report facts and QMS record."""
    return _period_facts(period).select_related("qms")


@dataclass(slots=True)
class AgencyFacts:
    """An agency's report facts for a period, as the completeness reads and shows them (page, API).

    Read with `values_list`: a model instance per agency of the province (~1,000) costs more than the query.
    """

    pk: int
    name: str
    kind: str
    email: str
    phone: str
    obligation_level: str | None
    qms_stage: str | None
    report_status: str | None
    report_first_submitted_at: datetime | None
    period_deadline: date | None
    kind_label: str = ""
    contacts: list = field(default_factory=list)


AGENCY_FACTS = ("pk", "name", "kind", "email", "phone", "obligation_level", "qms_stage", "report_status",
                "report_first_submitted_at", "period_deadline")


def period_agency_facts(*, period: ReportingPeriod) -> list[AgencyFacts]:
    """Every agency of the period's province active on its date, with its report facts (one query, no model
    instances).

    Not filtered to the expected agencies in SQL: on the obligation subquery the planner cannot estimate how
    many rows remain and joins the reports in a nested loop; `completeness_from_rows` applies `is_expected`.
    """
    return [AgencyFacts(*values) for values in _period_facts(period).values_list(*AGENCY_FACTS)]


def completeness(*, period: ReportingPeriod, with_contacts: bool = True) -> Completeness:
    """Expected, received, on time, late, missing and returned, by agency kind; three queries in all.

    `missing_agencies` and `late_agencies` are `AgencyFacts`, with `contacts` for the missing ones.
    """
    result = completeness_from_rows(period_agency_facts(period=period))
    if with_contacts:
        attach_contacts(result.missing_agencies)
    return result


def attach_contacts(agencies: list) -> None:
    """`agency.contacts`: the agency's active ISO officers and heads, by role and name (two queries).

    The memberships, then their users by primary key: joined in one query, the planner reads the whole user
    table for a few hundred agencies.
    """
    user_model = get_user_model()
    memberships = list(Membership.objects.filter(agency__in=[a.pk for a in agencies], role__in=list(AGENCY_ROLES))
                       .values_list("agency_id", "role", "user_id"))
    users = (user_model.objects.filter(pk__in={user_id for _agency, _role, user_id in memberships}, is_active=True)
             .order_by("last_name", "first_name", "pk")
             .values_list("pk", "first_name", "last_name", user_model.USERNAME_FIELD, "email"))
    people = {}
    for rank, (pk, first_name, last_name, username, email) in enumerate(users):
        # As `qms_portal.people.person_name`: family name first.
        people[pk] = (rank, {"name": f"{last_name} {first_name}".strip() or username, "email": email})
    roles = {role: str(label) for role, label in Role.choices}
    contacts = defaultdict(list)
    for agency_id, role, user_id in sorted((m for m in memberships if m[2] in people),
                                           key=lambda m: (m[1], people[m[2]][0])):
        person = people[user_id][1]
        contacts[agency_id].append({"name": person["name"], "role": roles.get(role, role), "email": person["email"]})
    for agency in agencies:
        agency.contacts = contacts.get(agency.pk, [])


def report_overdue(*, period: ReportingPeriod, report: AgencyReport | None, today: date | None = None) -> bool:
    """An agency's report is overdue when the period's deadline has passed and it was never submitted (issue 13:
    past dates are flagged; a missing report past its deadline is "overdue", not "not started")."""
    submitted = report is not None and report.first_submitted_at is not None
    return period.deadline < (today or timezone.localdate()) and not submitted


def own_expected(*, agency_id: int | None, periods: list[ReportingPeriod], today: date | None = None) -> set[int]:
    """The ids of `periods` in which the agency is expected to report, as their completeness counts it: there on the
    period's date (`active_on`, `ReportingPeriod.as_of`: an agency merged before it is not) and `is_expected` by the
    obligation of the period's year. Two queries, whatever the number of periods."""
    if agency_id is None or not periods:
        return set()
    today = today or timezone.localdate()
    there = {f"there_{period.pk}": Case(When(active_on(period.as_of(today)), then=True), default=False,
                                        output_field=BooleanField()) for period in periods}
    row = Agency.objects.filter(pk=agency_id).annotate(stage=F("qms__stage"), **there).values("stage", *there).first()
    if row is None:
        return set()
    levels = dict(AgencyObligation.objects.filter(agency_id=agency_id, year__in={p.year for p in periods})
                  .values_list("year", "level"))
    return {period.pk for period in periods if row[f"there_{period.pk}"] and is_expected(
        SimpleNamespace(obligation_level=levels.get(period.year), qms_stage=row["stage"]))}


def own_report_rows(*, user, periods: list[ReportingPeriod], today: date | None = None) -> list[dict]:
    """For an agency user: each period with the agency's report (or None), whether the agency is expected to report
    in it (`own_expected`, as the completeness) and whether its report is overdue (only where expected: an agency
    merged before the period's date owes none)."""
    agency_id = scope_of(user).agency_id
    reports = {r.period_id: r for r in agency_reports_in_scope(user=user).filter(
        period__in=periods, agency_id=agency_id)}
    expected = own_expected(agency_id=agency_id, periods=periods, today=today)
    return [{"period": period, "report": reports.get(period.pk), "expected": period.pk in expected,
             "overdue": period.pk in expected and report_overdue(period=period, report=reports.get(period.pk),
                                                                 today=today)}
            for period in periods]


def current_periods(*, user, today: date | None = None) -> QuerySet[ReportingPeriod]:
    """Periods whose window has started and whose year is this one or the last (for menus and home)."""
    today = today or timezone.localdate()
    return period_list(user=user).filter(Q(year__gte=today.year - 1), window_start__lte=today)


def period_regular(*, province_id: int, year: int, kind: str = PeriodKind.ANNUAL) -> ReportingPeriod | None:
    return ReportingPeriod.objects.filter(province_id=province_id, year=year, kind=kind).first()


def report_kinds_requestable(*, user) -> list[str]:
    """The kinds of consolidated report the user may request (issue)."""
    return [kind for kind in ReportKind.values if can(user, f"report.request.{kind}")]
