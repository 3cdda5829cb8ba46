"""Gather the numbers of a consolidated report in a constant number of queries.

One annotated agency query carries everything the tables and the annex need (obligation, the compliance facts
and verdicts of `qms.rules` as of the report's date, the latest announcement, this year's inspection and its record,
open and overdue findings, the agency's periodic report); a few aggregate queries add the inspection plan and
the findings by class. The rest is arithmetic in Python, so 20,000 agencies cost the same queries as 20.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Case, Count, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from agencies.models import Agency, AgencyKind, ObligationLevel, Province
from agencies.selectors import active_on
from qms.models import Announcement, Edition, Stage
from qms.rules import RULES, edition_of, facts_of, legal_status, with_compliance_facts

from .indicators import INDICATORS as INDICATOR_WORDS
from .indicators import (
    TABLE_INDICATORS,
    Figures,
    agency_flags,
    count_agencies,
    findings_of_year,
    inspection_figures,
    work_scope,
)
from .kinds import kind_spec
from .models import ConsolidatedReport, period_as_of
from .selectors import is_expected, percent, timeliness, with_report_facts

try:  # the inspections app: read defensively, the reports work without it
    from audits.models import (
        AWAITING_AGENCY,
        FindingStatus,
        InspectionForm,
        InspectionPlan,
        finding_accepted_by,
        finding_open_on,
        finding_overdue_on,
        findings_answered_by_on,
    )
    from audits.models import Inspection as Inspection
except ImportError:  # pragma: no cover
    Inspection = InspectionPlan = None

# The columns of the summary tables, in print order: (code, column heading in the printed report). The
# figures are the named indicators of `indicators.py`; the last column is the periodic reports' own.
INDICATORS = [*[(code, INDICATOR_WORDS[code].words) for code in TABLE_INDICATORS],
              ("report_on_time", "Báo cáo đúng hạn")]


def _count(queryset):
    """The number of rows of `queryset` (filtered on the outer row), as a subquery: one aggregate, no grouping."""
    return Subquery(queryset.order_by().annotate(c=Func("pk", function="COUNT")).values("c"),
                    output_field=IntegerField())


def annex_queryset(*, agencies: QuerySet[Agency], year: int, period_kind: str, period_id: int | None,
                   as_of: date) -> QuerySet[Agency]:
    """Every fact of the annex as annotations of one query: the compliance facts and verdicts of `qms.rules`
    as of `as_of` (the same as the compliance page's), the latest announcement's number, the year's inspection
    and its record, the findings, and the agency's periodic report."""
    latest = Announcement.objects.filter(qms=OuterRef("qms"), decision_date__lte=as_of).order_by("-decision_date",
                                                                                               "-pk")
    queryset = with_report_facts(agencies.select_related("province", "qms"), year=year, period_kind=period_kind,
                                 period_id=period_id)
    queryset = with_compliance_facts(queryset, today=as_of).annotate(
        announcement_number=Subquery(latest.values("decision_number")[:1]))
    if Inspection is not None:
        inspections = Inspection.objects.filter(agency=OuterRef("pk"), year=year).order_by("-pk")
        findings = findings_of_year(year, as_of=as_of).filter(  # as the body counts them: later records do not
            findings_answered_by_on(OuterRef("pk"), as_of))  # count; with those of the agencies merged into it
        open_ = findings.filter(finding_open_on(as_of))
        queryset = queryset.annotate(
            inspection_form=Subquery(inspections.values("form")[:1]),
            bbkt_date=Subquery(inspections.filter(record__signed_on__isnull=False, record__signed_on__lte=as_of)
                               .values("record__signed_on")[:1]),
            findings_total=_count(findings),
            findings_open=_count(open_),
            findings_awaiting=_count(open_.filter(status__in=AWAITING_AGENCY)),
            findings_overdue=_count(findings.filter(finding_overdue_on(as_of))),
        )
    kind_order = Case(*[When(kind=kind, then=Value(index)) for index, kind in enumerate(AgencyKind.values)],
                      default=Value(len(AgencyKind.values)), output_field=IntegerField())
    return queryset.annotate(kind_order=kind_order).order_by("province__name", "kind_order", "name", "pk")


def rule_flags(agency) -> dict[str, bool]:
    """Met or not, for every compliance rule: the SQL verdicts of `qms.rules` on an `annex_queryset` row."""
    return {code: bool(getattr(agency, rule.verdict)) for code, rule in RULES.items()}


@dataclass
class AnnexRow:
    number: int
    agency_id: int
    name: str
    province: str
    kind: str
    obligation: str
    edition: str
    stage: str
    announcement_number: str
    announcement_date: date | None
    procedures_covered: int
    procedures_total: int
    internal_audit: bool
    management_review: bool
    inspection_form: str
    bbkt_date: date | None
    findings_open: int
    findings_overdue: int
    corrective_status: str
    report: str  # on_time / late / missing
    expected: bool
    legal: str = ""  # on_time / late / overdue / no_data (qms.rules.legal_status)
    indicators: dict = field(default_factory=dict)


@dataclass
class Cell:
    met: int
    total: int

    @property
    def percent(self) -> int:
        return percent(self.met, self.total)


@dataclass
class SummaryRow:
    key: str
    label: str
    total: int = 0
    cells: dict = field(default_factory=dict)

    def cell(self, code: str) -> Cell:
        return Cell(self.cells.get(code, 0), self.total)

    @property
    def ordered(self) -> list[Cell]:
        return [self.cell(code) for code, _ in INDICATORS]


@dataclass
class ReportData:
    report_kind: str
    year: int
    period_kind: str
    as_of: date
    cutoff_at: datetime
    province: Province | None
    rows: list[AnnexRow]
    by_kind: list[SummaryRow]
    total: SummaryRow
    by_province: list[SummaryRow] = field(default_factory=list)
    completeness: list = field(default_factory=list)  # CompletenessRow by kind
    completeness_total: object = None
    missing: list = field(default_factory=list)  # AnnexRow of agencies whose report is missing
    late: list = field(default_factory=list)
    inspections: dict = field(default_factory=dict)
    findings_by_class: list = field(default_factory=list)
    stages: list = field(default_factory=list)  # (stage code, count) among expected agencies
    figures: Figures | None = None  # the named indicators (indicators.py), as of `as_of`
    query_count: int = 0


def corrective_status(agency) -> str:
    """The state of the corrective actions for the inspection findings, as written in the annex."""
    if not getattr(agency, "findings_total", 0):
        return ""
    if agency.findings_overdue:
        return "Quá hạn"
    if agency.findings_awaiting:
        return "Đang khắc phục"
    if agency.findings_open:
        return "Chờ xem xét"
    return "Đã khắc phục"


def _row(number: int, agency, rules: dict, expected: bool) -> AnnexRow:
    qms = agency.qms if _qms(agency) else None
    report = timeliness(agency)
    legal = legal_status(facts_of(agency))
    indicators = agency_flags(verdicts=rules, legal=legal,
                              inspected=bool(getattr(agency, "bbkt_date", None)))  # BBKT signed by the date
    indicators["report_on_time"] = report == "on_time"
    return AnnexRow(
        number=number, agency_id=agency.pk, name=agency.name, province=agency.province.name, kind=agency.kind,
        obligation=agency.obligation_level or "",
        edition=edition_of(agency.stage, agency.edition),
        stage=qms.stage if qms else Stage.NOT_STARTED,
        announcement_number=agency.announcement_number or "", announcement_date=agency.last_announcement_on,
        procedures_covered=agency.procedures_covered, procedures_total=agency.procedures_total,
        internal_audit=rules["internal_audit"], management_review=rules["management_review"],
        inspection_form=getattr(agency, "inspection_form", None) or "", bbkt_date=getattr(agency, "bbkt_date", None),
        findings_open=getattr(agency, "findings_open", 0), findings_overdue=getattr(agency, "findings_overdue", 0),
        corrective_status=corrective_status(agency), report=report, expected=expected, legal=legal,
        indicators=indicators)


def _qms(agency) -> bool:
    try:
        return agency.qms is not None
    except Agency.qms.RelatedObjectDoesNotExist:
        return False


def _add(summary: SummaryRow, row: AnnexRow) -> None:
    summary.total += 1
    for code, met in row.indicators.items():
        summary.cells[code] = summary.cells.get(code, 0) + bool(met)


def as_of_date(report: ConsolidatedReport, now: datetime) -> date:
    """Facts are judged on the cut-off day, but never after the end of the period's data window: the province's
    period, or for the national roll-up the window of the national reporting regime (Decree 09/2019: 6-month
    15/12-14/06, annual 15/12-14/12, `services.period_defaults`), the one the provinces' own reports of the period
    end at."""
    from .services import period_defaults

    today = timezone.localtime(now).date()
    if report.period_id:
        return report.period.as_of(today)
    if kind_spec(report.kind).national:
        return period_as_of(period_defaults(year=report.year, kind=report.period_kind)["window_end"], today)
    return min(today, date(report.year, 12, 31))  # a province's figures of the year as the live pages show them


def agencies_for(report: ConsolidatedReport, *, as_of: date | None = None) -> QuerySet[Agency]:
    """Agencies active on the report's date (`as_of`, by default `as_of_date` now) with an obligation (mandatory or
    encouraged) for the year, in the report's scope: an agency merged or closed after that date stays in."""
    as_of = as_of or as_of_date(report, timezone.now())
    queryset = Agency.objects.filter(active_on(as_of), obligations__year=report.year,
                                     obligations__level__in=[ObligationLevel.MANDATORY, ObligationLevel.ENCOURAGED])
    if not kind_spec(report.kind).national:
        queryset = queryset.filter(province_id=report.province_id)
    return queryset


def gather(report: ConsolidatedReport, *, now: datetime | None = None) -> ReportData:
    from .selectors import CompletenessRow

    now = now or timezone.now()
    as_of = as_of_date(report, now)
    agencies = agencies_for(report, as_of=as_of)
    queryset = annex_queryset(agencies=agencies, year=report.year, period_kind=report.period_kind,
                              period_id=report.period_id, as_of=as_of)
    labels = dict(AgencyKind.choices)
    rows, by_kind, by_province = [], {}, {}
    total = SummaryRow(key="", label="Tổng cộng")
    completeness: dict[str, CompletenessRow] = {}
    completeness_total = CompletenessRow(kind="", label="Tổng cộng")
    stages: dict[str, int] = defaultdict(int)
    only_inspected = kind_spec(report.kind).only_inspected
    for agency in queryset.iterator(chunk_size=2000):
        expected = is_expected(agency)
        if only_inspected and not getattr(agency, "inspection_form", None):
            continue
        row = _row(len(rows) + 1, agency, rule_flags(agency), expected)
        rows.append(row)
        if not expected:
            continue
        _add(by_kind.setdefault(agency.kind, SummaryRow(key=agency.kind, label=labels.get(agency.kind, ""))), row)
        _add(by_province.setdefault(row.province, SummaryRow(key=row.province, label=row.province)), row)
        _add(total, row)
        status = row.report
        completeness.setdefault(agency.kind, CompletenessRow(kind=agency.kind, label=labels.get(agency.kind, "")))
        completeness[agency.kind].add(status, agency.report_status)
        completeness_total.add(status, agency.report_status)
        stages[row.stage] += 1
    data = ReportData(
        report_kind=report.kind, year=report.year, period_kind=report.period_kind, as_of=as_of, cutoff_at=now,
        province=report.province, rows=rows, by_kind=[by_kind[k] for k in labels if k in by_kind], total=total,
        by_province=sorted(by_province.values(), key=lambda r: r.label),
        completeness=[completeness[k] for k in labels if k in completeness], completeness_total=completeness_total,
        missing=[r for r in rows if r.expected and r.report == "missing"],
        late=[r for r in rows if r.expected and r.report == "late"],
        stages=[(code, stages[code]) for code in Stage.values if stages.get(code)],
    )
    values = count_agencies(row.indicators for row in rows if row.expected)
    if Inspection is not None:
        values.update(inspection_figures(province_id=province_of(report), year=report.year, as_of=as_of))
        data.inspections, data.findings_by_class = _inspection_facts(report, as_of)
    data.figures = Figures(as_of=as_of, values=values)
    return data


def province_of(report: ConsolidatedReport) -> int | None:
    """The province whose inspections the report counts (`indicators.work_scope`): `None` for the nation."""
    return None if kind_spec(report.kind).national else report.province_id


def _inspection_facts(report: ConsolidatedReport, as_of: date) -> tuple[dict, list]:
    """The year's plan and the findings by class and status as of `as_of` (the inspections' own figures are
    indicators, `indicators.inspection_figures`): two aggregate queries."""
    scope = work_scope(province_of(report))
    plans = InspectionPlan.objects.filter(year=report.year, **scope).aggregate(
        plans=Count("pk", distinct=True), entry_count=Count("entries", distinct=True),
        on_site_count=Count("entries", filter=Q(entries__form=InspectionForm.ON_SITE), distinct=True))
    open_ = finding_open_on(as_of)
    findings = (findings_of_year(report.year, as_of=as_of).filter(**scope)
                .values("classification__name", "classification__order")
                .annotate(total=Count("pk"),
                          accepted=Count("pk", filter=finding_accepted_by(as_of)),
                          responded=Count("pk", filter=open_ & Q(status=FindingStatus.RESPONDED)),
                          awaiting=Count("pk", filter=open_ & Q(status__in=AWAITING_AGENCY)),
                          overdue=Count("pk", filter=finding_overdue_on(as_of)))
                .order_by("classification__order", "classification__name"))
    by_class = [{"name": f["classification__name"], "total": f["total"], "accepted": f["accepted"],
                 "responded": f["responded"], "awaiting": f["awaiting"], "overdue": f["overdue"]} for f in findings]
    totals = {key: sum(f[key] for f in by_class) for key in ("total", "accepted", "responded", "awaiting", "overdue")}
    return {"plan": plans, "findings": totals}, by_class


EDITION_TEXT = {Edition.ISO_2008: "2008", Edition.ISO_2015: "2015"}
