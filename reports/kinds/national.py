"""The Ministry's national roll-up of a 6-month or annual period: every province, numbered in the Ministry's own
register (the Ministry is not an agency in the portal)."""

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from ..models import ReportingPeriod, ReportKind
from .base import DIFFICULTIES, ISSUE_PERIOD_KINDS, RECENT, ReportKindSpec, register
from .columns import NATIONAL


@register
class National(ReportKindSpec):
    code = ReportKind.NATIONAL
    national = True
    period_kinds = ISSUE_PERIOD_KINDS
    period_refusal = _("The national roll-up needs a year and a 6-month or annual period.")
    signed_by_requester = False
    by_province = True
    body_template = "reports/pdf/national_body.html"
    annex_template = "reports/pdf/national_annex.html"
    annex = NATIONAL

    def issuer(self, *, province_id):
        return None  # the Ministry

    def summary_line(self, report, *, where, phrase):
        return (f"Tổng hợp tình hình áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001 "
                f"tại các tỉnh, thành phố {phrase}")

    def recipients(self, report, *, issuer_code):
        return ["Thủ tướng Chính phủ (để báo cáo)", "Bộ trưởng (để báo cáo)", "UBND các tỉnh, thành phố",
                "Sở Khoa học và Công nghệ các tỉnh, thành phố", f"Lưu: VT, {issuer_code}"]

    def default_narrative(self, report, *, where, phrase):
        return {
            "direction": (
                f"Bộ Khoa học và Công nghệ đã hướng dẫn, đôn đốc Ủy ban nhân dân các tỉnh, thành phố triển khai áp "
                f"dụng, duy trì và cải tiến Hệ thống quản lý chất lượng {phrase} theo Quyết định số 19/2014/QĐ-TTg "
                f"và Thông tư số 26/2014/TT-BKHCN; theo dõi kết quả của các địa phương trên Cổng thông tin HTQLCL."
                f"\nỦy ban nhân dân các tỉnh, thành phố đã ban hành kế hoạch, giao Sở Khoa học và Công nghệ hướng "
                f"dẫn, kiểm tra các cơ quan, đơn vị trên địa bàn và tổng hợp báo cáo theo quy định."),
            "results": "", "difficulties": DIFFICULTIES,
            "proposals": (
                "Bộ Khoa học và Công nghệ đề nghị Ủy ban nhân dân các tỉnh, thành phố chỉ đạo các cơ quan, đơn vị "
                "chưa gửi báo cáo hoặc còn tồn tại quá hạn khắc phục hoàn thành việc khắc phục và cập nhật hồ sơ "
                "trên Cổng thông tin HTQLCL."),
        }

    def scheduled(self, *, today, due):
        """Once every province's deadline of the period has passed (within the last 30 days)."""
        years = (today.year - 1, today.year)
        latest = {(year, kind): deadline for year, kind, deadline in ReportingPeriod.objects.filter(
            year__in=years, kind__in=ISSUE_PERIOD_KINDS).values("year", "kind").annotate(
            deadline=Max("deadline")).values_list("year", "kind", "deadline")}
        return [{"year": year, "period_kind": kind}
                for year in years for kind in ISSUE_PERIOD_KINDS
                if (d := latest.get((year, kind))) and today - RECENT <= d < today]
