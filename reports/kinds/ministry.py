"""The province's annual report to the Ministry of Science and Technology: issued by the Provincial People's
Committee, drafted by the Sở KH&CN, numbered in the Committee's register of outgoing documents (kept here, as the
Sở's and each agency's are)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from agencies.models import ProvinceSettings

from ..models import PeriodKind, ReportKind
from .base import DIFFICULTIES, ReportKindSpec, register
from .columns import PROVINCIAL


@register
class Ministry(ReportKindSpec):
    code = ReportKind.MINISTRY
    period_kinds = (PeriodKind.ANNUAL,)
    period_refusal = _("The report to the Ministry is annual: choose an annual period.")
    signed_by_requester = False
    body_template = "reports/pdf/provincial_body.html"
    annex_template = "reports/pdf/provincial_annex.html"
    annex = PROVINCIAL

    def issuer(self, *, province_id):
        from agencies.issuers import province_committee_of

        committee = province_committee_of(province_id)
        if committee is None:
            raise ValidationError(gettext_now("The province's People's Committee is not among its agencies: the "
                                              "administrator adds it (kind: Provincial People's Committee)."))
        return committee

    def summary_line(self, report, *, where, phrase):
        return (f"Tình hình áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN "
                f"ISO 9001 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước tại {where} "
                f"năm {report.year}")

    def recipients(self, report, *, issuer_code):
        row = ProvinceSettings.objects.select_related("lead_agency").filter(province_id=report.province_id).first()
        drafter = row.lead_agency if row else None
        return ["Bộ Khoa học và Công nghệ", "Chủ tịch, các Phó Chủ tịch UBND tỉnh",
                f"{drafter.name if drafter else 'Sở Khoa học và Công nghệ'}",
                f"Lưu: VT, {drafter.short_code if drafter else 'SKHCN'}"]

    def default_narrative(self, report, *, where, phrase):
        return {
            "direction": (
                f"Ủy ban nhân dân {where} đã ban hành kế hoạch triển khai áp dụng, duy trì và cải tiến Hệ thống "
                f"quản lý chất lượng {phrase}; giao Sở Khoa học và Công nghệ chủ trì hướng dẫn, kiểm tra, đôn đốc "
                f"các cơ quan, đơn vị trên địa bàn cập nhật hồ sơ trên Cổng thông tin và báo cáo định kỳ theo quy "
                f"định.\nCác cơ quan, đơn vị đã cử cán bộ đầu mối theo dõi việc áp dụng Hệ thống quản lý chất "
                f"lượng, tổ chức đánh giá nội bộ, xem xét của lãnh đạo và cập nhật các thay đổi của văn bản quy "
                f"phạm pháp luật."),
            "results": "", "difficulties": DIFFICULTIES,
            "proposals": (
                "Đề nghị Bộ Khoa học và Công nghệ tiếp tục hướng dẫn, tập huấn về việc áp dụng Hệ thống quản lý "
                "chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015 sau sắp xếp tổ chức bộ máy và chính quyền "
                "địa phương hai cấp."),
        }

    def scheduled(self, *, today, due):
        """After the deadline of every annual period."""
        return [{"period": period} for period in due if period.kind == PeriodKind.ANNUAL]
