"""What every kind of consolidated report says about itself, and the registry that holds one object per kind.

A kind is one module in this package (provincial, ministry, inspection_summary, national) that subclasses
`ReportKindSpec` and registers it; everything else (the request service, the schedule, the gathering, the printed
document, the annex, the XLSX, the request form) asks the registry instead of branching on the kind's code.
Adding a kind is a module, its value in `reports.models.ReportKind` (the stored choice) and its tests.
"""

from datetime import date, timedelta
from typing import TYPE_CHECKING, ClassVar

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from agencies.divisions import division_name
from agencies.models import Agency, ProvinceSettings

from ..models import ConsolidatedReport, PeriodKind, ReportingPeriod, ReportKind

if TYPE_CHECKING:  # the columns import the drawing code, which asks this registry for each report's kind
    from .columns import Annex

KINDS: dict[str, "ReportKindSpec"] = {}

ISSUE_PERIOD_KINDS = (PeriodKind.SIX_MONTH, PeriodKind.ANNUAL)  # the periods the schedule issues reports for
RECENT = timedelta(days=30)  # a deadline further back than this was dealt with by people, not the schedule

DIFFICULTIES = (
    "Một số cơ quan, đơn vị chưa cập nhật kịp thời các thay đổi của văn bản quy phạm pháp luật vào Hệ thống quản "
    "lý chất lượng trong thời hạn 03 tháng; việc đánh giá nội bộ, xem xét của lãnh đạo ở một số nơi còn mang tính "
    "hình thức; cán bộ đầu mối thường xuyên thay đổi sau sắp xếp tổ chức bộ máy.")


def register(spec_class: type["ReportKindSpec"]) -> type["ReportKindSpec"]:
    if spec_class.code not in ReportKind.values:
        raise LookupError(f"{spec_class.code!r} is not a value of reports.models.ReportKind")
    KINDS[str(spec_class.code)] = spec_class()
    return spec_class


def kind_spec(kind: str) -> "ReportKindSpec":
    """The kind's object; KeyError for a code no module registered."""
    return KINDS[kind]


def province_words(province) -> str:
    """"tỉnh An Giang", "thành phố Hồ Chí Minh" (composed once, in agencies.divisions)."""
    return division_name(province)


def period_phrase(report: ConsolidatedReport) -> str:
    """"năm 2026", "6 tháng đầu năm 2026", or the ad hoc period's title."""
    if report.period_id and report.period.kind == PeriodKind.AD_HOC:
        return report.period.title
    if report.period_kind == PeriodKind.SIX_MONTH:
        return f"6 tháng đầu năm {report.year}"
    return f"năm {report.year}"


class ReportKindSpec:
    code: ClassVar[str]
    national: ClassVar[bool] = False  # the whole country: no province, no reporting period, only a year
    period_kinds: ClassVar[tuple[str, ...]] = tuple(PeriodKind.values)  # the periods it may be requested for
    period_refusal: ClassVar[Promise | str] = ""  # why another kind of period is refused
    numbered_in_portal: ClassVar[bool] = True  # False: numbered in a register kept outside the portal
    signed_by_requester: ClassVar[bool] = True  # False: the signer is named in the request form
    only_inspected: ClassVar[bool] = False  # the annex lists only the agencies inspected in the year
    by_province: ClassVar[bool] = False  # the figures are also broken down by province
    body_template: ClassVar[str]
    annex_template: ClassVar[str]  # the one-piece reference layout of the annex (tests, benchmark)
    annex: ClassVar["Annex"]  # the annex as drawn (reports.rendering.annexes)

    @property
    def label(self) -> str:
        return ReportKind(self.code).label

    # -- who issues it ------------------------------------------------------------------------------------------
    def issuer(self, *, province_id: int | None) -> Agency | None:
        """The issuing agency (None for a body that is not an agency here: the Ministry). By default the
        province's Department of Science and Technology (its lead agency)."""
        row = ProvinceSettings.objects.select_related("lead_agency", "inspecting_agency").filter(
            province_id=province_id).first()
        issuer = self._issuer_from(row) if row is not None else None
        if issuer is None:
            raise ValidationError(_("The province has no Department of Science and Technology set as lead agency: "
                                    "the administrator sets it in the province settings."))
        return issuer

    def _issuer_from(self, row: ProvinceSettings) -> Agency | None:
        return row.lead_agency

    def period_check(self, period: ReportingPeriod) -> None:
        if period.kind not in self.period_kinds:
            raise ValidationError({"period": str(self.period_refusal)})

    # -- what it says -------------------------------------------------------------------------------------------
    def summary_line(self, report: ConsolidatedReport, *, where: str, phrase: str) -> str:
        raise NotImplementedError

    def recipients(self, report: ConsolidatedReport, *, issuer_code: str) -> list[str]:
        raise NotImplementedError

    def default_narrative(self, report: ConsolidatedReport, *, where: str, phrase: str) -> dict[str, str]:
        raise NotImplementedError

    # -- when the schedule requests it on its own ---------------------------------------------------------------
    def scheduled(self, *, today: date, due: list[ReportingPeriod]) -> list[dict]:
        """The requests (keyword arguments of consolidated_report_request) the daily run makes for this kind,
        given the periods whose deadline passed recently; the schedule skips those already made."""
        return []
