"""The inspecting unit's summary of the year's inspections, sent to the Sở and UBND tỉnh every November."""

from django.utils.translation import gettext_lazy as _

from agencies.divisions import committee_short

from ..models import PeriodKind, ReportingPeriod, ReportKind
from .base import DIFFICULTIES, ReportKindSpec, register
from .columns import INSPECTION

NOVEMBER_FROM_DAY = 25  # DOMAIN.md §5: the summary goes to UBND tỉnh at the end of November


@register
class InspectionSummary(ReportKindSpec):
    code = ReportKind.INSPECTION_SUMMARY
    period_kinds = (PeriodKind.ANNUAL, PeriodKind.AD_HOC)
    period_refusal = _("The inspection summary covers a year: choose an annual period.")
    only_inspected = True
    body_template = "reports/pdf/inspection_body.html"
    annex_template = "reports/pdf/inspection_annex.html"
    annex = INSPECTION

    def _issuer_from(self, row):
        return row.inspecting_agency or row.lead_agency

    def summary_line(self, report, *, where, phrase):
        return (f"Kết quả kiểm tra việc áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo Tiêu chuẩn "
                f"quốc gia TCVN ISO 9001 tại các cơ quan, tổ chức trên địa bàn {where} năm {report.year}")

    def recipients(self, report, *, issuer_code):
        return ["Sở Khoa học và Công nghệ (để tổng hợp)", f"{committee_short(report.province)} (để báo cáo)",
                f"Lưu: VT, {issuer_code}"]

    def default_narrative(self, report, *, where, phrase):
        return {
            "direction": (
                f"Thực hiện Kế hoạch kiểm tra năm {report.year} đã được phê duyệt, đơn vị đã gửi yêu cầu báo cáo "
                f"đến các cơ quan, đơn vị thuộc đối tượng kiểm tra, tổ chức kiểm tra qua hồ sơ và kiểm tra trực "
                f"tiếp theo nội dung quy định tại Điều 36 Thông tư số 26/2014/TT-BKHCN, lập biên bản kiểm tra "
                f"và theo dõi việc khắc phục các tồn tại."),
            "results": "", "difficulties": DIFFICULTIES,
            "proposals": (
                f"Đề nghị Sở Khoa học và Công nghệ báo cáo Ủy ban nhân dân {where} chỉ đạo các cơ quan, đơn vị "
                f"còn tồn tại chưa khắc phục hoàn thành việc khắc phục và gửi báo cáo kết quả theo quy định."),
        }

    def scheduled(self, *, today, due):
        """Every province's annual period of the year, from the 25th of November."""
        if today.month != 11 or today.day < NOVEMBER_FROM_DAY:
            return []
        return [{"period": period}
                for period in ReportingPeriod.objects.filter(year=today.year, kind=PeriodKind.ANNUAL)]
