"""The Sở KH&CN's periodic report to the Provincial People's Committee (6-month, annual or ad hoc)."""

from agencies.divisions import committee_short

from ..models import ReportKind
from .base import DIFFICULTIES, ISSUE_PERIOD_KINDS, ReportKindSpec, register
from .columns import PROVINCIAL


@register
class Provincial(ReportKindSpec):
    code = ReportKind.PROVINCIAL
    body_template = "reports/pdf/provincial_body.html"
    annex_template = "reports/pdf/provincial_annex.html"
    annex = PROVINCIAL

    def summary_line(self, report, *, where, phrase):
        return (f"Kết quả áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO "
                f"9001 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước trên địa bàn {where} "
                f"{phrase}")

    def recipients(self, report, *, issuer_code):
        return [f"{committee_short(report.province)} (để báo cáo)", "Các cơ quan, đơn vị trên địa bàn",
                f"Lưu: VT, {issuer_code}"]

    def default_narrative(self, report, *, where, phrase):
        return {
            "direction": (
                f"Sở Khoa học và Công nghệ đã tham mưu Ủy ban nhân dân {where} ban hành kế hoạch triển khai áp dụng, "
                f"duy trì và cải tiến Hệ thống quản lý chất lượng {phrase}; hướng dẫn, đôn đốc các cơ quan, đơn vị "
                f"cập nhật hồ sơ Hệ thống quản lý chất lượng trên Cổng thông tin và báo cáo định kỳ theo quy định.\n"
                f"Các cơ quan, đơn vị đã cử cán bộ đầu mối theo dõi việc áp dụng Hệ thống quản lý chất lượng, tổ "
                f"chức đánh giá nội bộ, xem xét của lãnh đạo và cập nhật các thay đổi của văn bản quy phạm pháp "
                f"luật."),
            "results": "", "difficulties": DIFFICULTIES,
            "proposals": (
                f"Đề nghị Ủy ban nhân dân {where} chỉ đạo các cơ quan, đơn vị chưa gửi báo cáo hoặc còn tồn tại quá "
                f"hạn khắc phục hoàn thành và gửi hồ sơ về Sở Khoa học và Công nghệ để tổng hợp, báo cáo Ủy ban "
                f"nhân dân tỉnh và Bộ Khoa học và Công nghệ theo quy định."),
        }

    def scheduled(self, *, today, due):
        """After the deadline of every 6-month and annual period."""
        return [{"period": period} for period in due if period.kind in ISSUE_PERIOD_KINDS]
