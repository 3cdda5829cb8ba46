"""Reads, always scoped to the user (agency < province < nation), and the completeness of agency reports.

Completeness is computed from one annotated agency query, whatever the number of agencies: who was expected
to report, who did, on time or late, and who is missing (with their contacts, one more query).
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import F, FilteredRelation, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from agencies.models import AGENCY_ROLES, Agency, AgencyKind, Membership, ObligationLevel, Stage
from agencies.permissions import scope_of
from agencies.selectors import agencies_in_scope

from .models import AgencyReport, AgencyReportStatus, ConsolidatedReport, PeriodKind, ReportingPeriod

# Expected to report (our choice, see DOMAIN.md §6): every active agency whose obligation for the period's
# year is mandatory, plus encouraged agencies that have applied a QMS (they report on what they run).
APPLIED_STAGES = (Stage.APPLYING, Stage.ANNOUNCED, Stage.MAINTAINING, Stage.REANNOUNCEMENT_DUE)


# --- scope ---------------------------------------------------------------------------------------------------


def periods_in_scope(*, user) -> QuerySet[ReportingPeriod]:
    scope = scope_of(user)
    if scope.is_national:
        return ReportingPeriod.objects.all()
    if scope.province_id:
        return ReportingPeriod.objects.filter(province_id=scope.province_id)
    return ReportingPeriod.objects.none()


def agency_reports_in_scope(*, user) -> QuerySet[AgencyReport]:
    """Starts from `agencies_in_scope`: an agency user sees its own agency's reports only."""
    return AgencyReport.objects.filter(agency__in=agencies_in_scope(user=user))


def consolidated_reports_in_scope(*, user) -> QuerySet[ConsolidatedReport]:
    """Province roles see their province's reports; national roles everything; agency roles nothing."""
    scope = scope_of(user)
    if scope.is_national:
        return ConsolidatedReport.objects.all()
    if scope.is_provincial:
        return ConsolidatedReport.objects.filter(province_id=scope.province_id)
    return ConsolidatedReport.objects.none()


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


def agency_report_get(*, user, pk) -> AgencyReport:
    return get_object_or_404(agency_report_list(user=user), pk=pk)


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
                                                                       "pdf", "xlsx")
    if kind:
        queryset = queryset.filter(kind=kind)
    if period:
        queryset = queryset.filter(period_id=period)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-requested_at", "-pk")


def consolidated_report_get(*, user, pk) -> ConsolidatedReport:
    return get_object_or_404(consolidated_report_list(user=user), pk=pk)


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
    """Annotate agencies with their obligation, their report for the period and the period's deadline.

    Joins (FilteredRelation) rather than correlated subqueries: an agency has at most one report per period and
    a province one regular period per year and kind, so no row is repeated.
    """
    if period_id:
        report = FilteredRelation("periodic_reports", condition=Q(periodic_reports__period_id=period_id))
        deadline = Subquery(ReportingPeriod.objects.filter(pk=period_id).values("deadline")[:1])
    else:  # one period per province: the national roll-up
        period = FilteredRelation("province__reporting_periods", condition=Q(
            province__reporting_periods__year=year, province__reporting_periods__kind=period_kind))
        queryset = queryset.annotate(the_period=period)
        report = FilteredRelation("periodic_reports", condition=Q(periodic_reports__period_id=F("the_period__id")))
        deadline = F("the_period__deadline")
    obligation = FilteredRelation("obligations", condition=Q(obligations__year=year))
    return queryset.annotate(
        the_report=report, the_obligation=obligation,
    ).annotate(
        obligation_level=F("the_obligation__level"),
        report_id=F("the_report__id"), report_status=F("the_report__status"),
        report_first_submitted_at=F("the_report__first_submitted_at"), period_deadline=deadline,
    )


def is_expected(agency) -> bool:
    level = getattr(agency, "obligation_level", None)
    if level == ObligationLevel.MANDATORY:
        return True
    qms = getattr(agency, "qms", None) if _has_qms(agency) else None
    return level == ObligationLevel.ENCOURAGED and qms is not None and qms.stage in APPLIED_STAGES


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


def percent(part: int, whole: int) -> int:
    """Rounded half up, as people count: 43/45 -> 96 (95.6)."""
    return int(100 * part / whole + 0.5) if whole else 0


def completeness_from_rows(agencies) -> Completeness:
    """Count by agency kind from agencies annotated by `with_report_facts` (and select_related qms)."""
    labels = dict(AgencyKind.choices)
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
            missing.append(agency)
        elif status == "late":
            late.append(agency)
    rows = [by_kind[k] for k in labels if k in by_kind]
    return Completeness(rows=rows, total=total, missing_agencies=missing, late_agencies=late)


def period_agencies(*, period: ReportingPeriod) -> QuerySet[Agency]:
    queryset = Agency.objects.filter(province_id=period.province_id, is_active=True)
    return (with_report_facts(queryset, year=period.year, period_kind=period.kind, period_id=period.pk)
            .select_related("qms").order_by("kind", "name", "pk"))


def completeness(*, period: ReportingPeriod, with_contacts: bool = True) -> Completeness:
    """Expected, received, on time, late, missing and returned, by agency kind; two queries in all."""
    result = completeness_from_rows(period_agencies(period=period))
    if with_contacts:
        attach_contacts(result.missing_agencies)
    return result


def attach_contacts(agencies: list[Agency]) -> None:
    """`agency.contacts`: the agency's ISO officers and heads with an e-mail address (one query)."""
    people = defaultdict(list)
    memberships = (Membership.objects.filter(agency__in=[a.pk for a in agencies], role__in=list(AGENCY_ROLES),
                                             user__is_active=True)
                   .select_related("user").order_by("role", "user__last_name", "user__first_name"))
    for membership in memberships:
        user = membership.user
        people[membership.agency_id].append({"name": user.get_full_name() or user.get_username(),
                                             "role": membership.get_role_display(), "email": user.email})
    for agency in agencies:
        agency.contacts = people.get(agency.pk, [])


def current_periods(*, user, today: date | None = None) -> QuerySet[ReportingPeriod]:
    """Periods whose window has started and whose year is this one or the last (for menus and home)."""
    today = today or timezone.localdate()
    return period_list(user=user).filter(Q(year__gte=today.year - 1), window_start__lte=today)


def period_regular(*, province_id: int, year: int, kind: str = PeriodKind.ANNUAL) -> ReportingPeriod | None:
    return ReportingPeriod.objects.filter(province_id=province_id, year=year, kind=kind).first()
