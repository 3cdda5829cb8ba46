"""The headline figures of the consolidated report: each one named indicator, defined once, computed as of a
date for a scope of agencies. The report's body, its tables, its annex and its XLSX print them; the dashboard
and the consistency tests read the same functions.

- Agency figures count agencies, never rows: the compliance verdicts of `qms.rules` (as of the date), the
  legal-update state of each agency (`qms.rules.legal_status`), and whether its inspection record (BBKT) of
  the year was signed by the date. `agency_flags` says, for one agency, which agency figures it counts in;
  `count_agencies` adds them up; nothing else decides.
- Inspection figures: the inspections of the year in the report's province (the plan and the unplanned ones,
  whatever became of the agency since: `work_scope`) and the distinct agencies they concern (an agency inspected
  twice is one inspected agency), the records signed by the date, and the findings of those records: open (not
  accepted by the date), overdue (open and past due), closed late (accepted after the due date). An annex row
  counts the findings its agency answered for on the date (`audits.models.findings_answered_by_on`: with those of
  the agencies merged into it).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from agencies.models import Agency, ObligationLevel
from qms.rules import LEGAL_STATES, RULES, legal_status, with_compliance_facts

from .selectors import APPLIED_STAGES, percent


@dataclass(frozen=True)
class Indicator:
    code: str
    words: str  # as printed (the printed report is Vietnamese legal text: not translated)
    unit: str = "đơn vị"
    good: bool = True  # a share to reach ("đạt 90%") or a share of a problem ("chiếm 10%")


INDICATORS: dict[str, Indicator] = {i.code: i for i in (
    Indicator("in_scope", "Cơ quan, đơn vị thuộc đối tượng áp dụng HTQLCL"),
    Indicator("announced", "Đã công bố HTQLCL"),
    Indicator("edition_2015", "Áp dụng TCVN ISO 9001:2015"),
    Indicator("coverage_complete", "Áp dụng cho toàn bộ TTHC"),
    Indicator("internal_audit", "Đánh giá nội bộ trong năm"),
    Indicator("management_review", "Xem xét của lãnh đạo trong năm"),
    Indicator("legal_on_time", "Cập nhật văn bản pháp luật mới trong vòng 3 tháng"),
    Indicator("legal_late", "Cập nhật văn bản pháp luật trễ hạn (quá 3 tháng)", good=False),
    Indicator("legal_overdue", "Quá hạn 3 tháng chưa cập nhật văn bản pháp luật", good=False),
    Indicator("legal_pending", "Văn bản pháp luật mới đang trong hạn cập nhật", good=False),
    Indicator("legal_not_applicable", "Văn bản pháp luật mới không áp dụng (Sở chấp nhận)", good=False),
    Indicator("legal_none", "Không phát sinh văn bản pháp luật phải cập nhật", good=False),
    Indicator("legal_no_data", "Chưa có dữ liệu cập nhật văn bản pháp luật", good=False),
    Indicator("inspected", "Đã ký biên bản kiểm tra"),
    Indicator("included", "Cơ quan, đơn vị được đưa vào kiểm tra"),
    Indicator("inspections", "Cuộc kiểm tra", "cuộc"),
    Indicator("inspections_documents", "Kiểm tra qua hồ sơ", "cuộc"),
    Indicator("inspections_on_site", "Kiểm tra trực tiếp", "cuộc"),
    Indicator("inspections_unplanned", "Kiểm tra đột xuất", "cuộc"),
    Indicator("records_signed", "Biên bản kiểm tra đã ký", "biên bản"),
    Indicator("findings", "Vấn đề tồn tại", "vấn đề"),
    Indicator("findings_accepted", "Đã khắc phục và được chấp nhận", "vấn đề"),
    Indicator("findings_open", "Chưa được chấp nhận khắc phục", "vấn đề"),
    Indicator("findings_overdue", "Quá hạn khắc phục", "vấn đề"),
    Indicator("findings_closed_late", "Khắc phục trễ hạn", "vấn đề"),
)}

# Agency figures (counted among the agencies in scope) and the columns of the summary tables, in print order.
LEGAL_INDICATORS = tuple(f"legal_{state}" for state in LEGAL_STATES)
AGENCY_INDICATORS = ("announced", "edition_2015", "coverage_complete", "internal_audit", "management_review",
                     *LEGAL_INDICATORS, "inspected")
TABLE_INDICATORS = ("announced", "edition_2015", "coverage_complete", "internal_audit", "management_review",
                    "legal_on_time", "inspected")


def agency_flags(*, verdicts: Mapping[str, bool], legal: str, inspected: bool) -> dict[str, bool]:
    """The agency figures one agency counts in: its rule verdicts, its legal-update state, its signed BBKT."""
    flags = {code: bool(verdicts[code]) for code in AGENCY_INDICATORS if code in RULES}
    flags.update({f"legal_{state}": legal == state for state in LEGAL_STATES})
    flags["inspected"] = bool(inspected)
    return flags


def count_agencies(flags: Iterable[Mapping[str, bool]]) -> dict[str, int]:
    counts = {"in_scope": 0, **{code: 0 for code in AGENCY_INDICATORS}}
    for one in flags:
        counts["in_scope"] += 1
        for code in AGENCY_INDICATORS:
            counts[code] += bool(one[code])
    return counts


def expected_agencies(agencies: QuerySet[Agency], *, year: int) -> QuerySet[Agency]:
    """Those of `agencies` that report for `year`: mandatory, or encouraged with a QMS applied (as
    `reports.selectors.is_expected`, in SQL)."""
    return agencies.filter(Q(obligations__year=year, obligations__level=ObligationLevel.MANDATORY)
                           | Q(obligations__year=year, obligations__level=ObligationLevel.ENCOURAGED,
                               qms__stage__in=APPLIED_STAGES))


def signed_by(as_of: date) -> Q:
    """An inspection (or, prefixed, a finding's inspection) whose record was signed on or before `as_of`."""
    return Q(record__signed_on__isnull=False, record__signed_on__lte=as_of)


def work_scope(province_id: int | None) -> dict:
    """The inspections (and their findings) a report of a province counts: the province's of the year, whatever
    became of the agency inspected since (merged, split, dissolved), as the plan figures and the findings board
    count them; the nation's (`None`): every province's."""
    return {"province_id": province_id} if province_id else {}


def findings_of_year(year: int, *, as_of: date):
    """The findings of the year's inspections whose record was signed on or before `as_of`: those of every figure
    and annex of a report of `year` (a finding of an earlier year's inspection is in that year's reports)."""
    from audits.models import Finding

    return Finding.objects.filter(inspection__year=year).signed_by(as_of)


def inspected_agency_ids(agencies: QuerySet[Agency], *, year: int, as_of: date) -> set[int]:
    from audits.models import Inspection

    return set(Inspection.objects.filter(signed_by(as_of), year=year, agency__in=agencies)
               .order_by().values_list("agency_id", flat=True).distinct())


def inspection_figures(*, province_id: int | None, year: int, as_of: date) -> dict[str, int]:
    """The year's inspections of a province (`work_scope`) and their findings as of `as_of`: two aggregate
    queries."""
    from audits.models import (
        Inspection,
        InspectionForm,
        finding_accepted_by,
        finding_closed_late_by,
        finding_open_on,
        finding_overdue_on,
    )

    scope = work_scope(province_id)
    inspections = Inspection.objects.filter(year=year, **scope).aggregate(
        included=Count("agency", distinct=True), inspections=Count("pk"),
        inspections_documents=Count("pk", filter=Q(form=InspectionForm.DOCUMENTS)),
        inspections_on_site=Count("pk", filter=Q(form=InspectionForm.ON_SITE)),
        inspections_unplanned=Count("pk", filter=Q(kind="unplanned")),
        records_signed=Count("pk", filter=signed_by(as_of)))
    findings = findings_of_year(year, as_of=as_of).filter(**scope)
    open_ = finding_open_on(as_of)
    inspections.update(findings.aggregate(
        findings=Count("pk"), findings_accepted=Count("pk", filter=finding_accepted_by(as_of)),
        findings_open=Count("pk", filter=open_),
        findings_overdue=Count("pk", filter=finding_overdue_on(as_of)),
        findings_closed_late=Count("pk", filter=finding_closed_late_by(as_of))))
    return inspections


@dataclass
class Figures:
    as_of: date
    values: dict[str, int]

    def __getitem__(self, code: str) -> int:
        return self.values[code]

    def text(self, code: str) -> str:
        """"43/45 đơn vị, đạt 96%" for an agency figure; "12 cuộc" for the others."""
        indicator, value = INDICATORS[code], self.values[code]
        if code in AGENCY_INDICATORS:
            total = self.values["in_scope"]
            verb = "đạt" if indicator.good else "chiếm"
            return f"{value}/{total} {indicator.unit}, {verb} {percent(value, total)}%"
        return f"{value} {indicator.unit}"


def compute(*, agencies: QuerySet[Agency], province_id: int | None, year: int, as_of: date) -> Figures:
    """Every figure for the agencies of `agencies` expected to report for `year`, as of `as_of`, straight from
    the rules (one query for the agency figures), and the inspections of the province (`None`: the nation's, two
    queries): what the report prints."""
    scope = expected_agencies(agencies, year=year)
    verdicts = [rule.verdict for rule in RULES.values()]
    inspected = inspected_agency_ids(scope, year=year, as_of=as_of)
    rows = with_compliance_facts(scope, today=as_of).values(
        "pk", "legal_recorded", "legal_on_time", "legal_late", "legal_overdue", "legal_pending",
        "legal_not_applicable", "legal_register", *verdicts)
    flags = (agency_flags(verdicts={code: row[rule.verdict] for code, rule in RULES.items()},
                          legal=legal_status(row), inspected=row["pk"] in inspected) for row in rows)
    values = count_agencies(flags)
    values.update(inspection_figures(province_id=province_id, year=year, as_of=as_of))
    return Figures(as_of=as_of, values=values)
