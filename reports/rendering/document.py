"""The printed consolidated report: header data (Decree 30/2020), the default narrative and the body context.

The printed text is Vietnamese legal wording whatever the user's language; the Sở edits the four narrative
sections before issuing (empty sections fall back to the defaults below).
"""

import base64
import io
from dataclasses import dataclass

from django.utils import timezone

from agencies.divisions import committee_short, division_name
from agencies.issuers import Issuer, issuer_of, ministry_issuer
from agencies.models import DocumentType, Province, ProvinceSettings
from qms_portal.links import portal_url
from qms_portal.people import person_name
from qms_portal.printing import OfficialDocument, short_date, vietnamese_date

from ..gathering import INDICATORS, ReportData
from ..indicators import AGENCY_INDICATORS
from ..indicators import INDICATORS as INDICATOR_WORDS
from ..models import ConsolidatedReport, PeriodKind, ReportKind
from . import vocabulary as vi

LEGAL_BASIS = ("Quyết định số 19/2014/QĐ-TTg ngày 05 tháng 3 năm 2014 của Thủ tướng Chính phủ về việc áp dụng Hệ "
               "thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001 vào hoạt động của các cơ quan, tổ "
               "chức thuộc hệ thống hành chính nhà nước")
CIRCULAR = ("Thông tư số 26/2014/TT-BKHCN ngày 10 tháng 10 năm 2014 của Bộ trưởng Bộ Khoa học và Công nghệ quy "
            "định chi tiết thi hành Quyết định số 19/2014/QĐ-TTg")
NUMBER_PLACEHOLDER = "\u2063NUMBER\u2063"  # replaced by the real number inside the numbering transaction
MAX_NAMES_IN_BODY = 15


def province_words(province: Province) -> str:
    """"tỉnh An Giang", "thành phố Hồ Chí Minh" (composed once, in agencies.divisions)."""
    return division_name(province)


def report_issuer(report: ConsolidatedReport) -> Issuer:
    """Who issues the report: the Ministry its national roll-up, the province's People's Committee its report to
    the Ministry (drafted by the Sở), the Sở or the inspecting unit the others."""
    if report.kind == ReportKind.NATIONAL or report.issuer is None:
        return ministry_issuer()
    return issuer_of(report.issuer)


def numbered_in_portal(report: ConsolidatedReport) -> bool:
    """The Sở's and the inspecting unit's registers are kept here; the People's Committee numbers the draft the
    Sở sends it, and the Ministry its roll-up, in their own registers: the number is left blank for them."""
    return report.issuer is not None and report.kind != ReportKind.MINISTRY


def period_phrase(report: ConsolidatedReport) -> str:
    """"năm 2026", "6 tháng đầu năm 2026", or the ad hoc period's title."""
    if report.period_id and report.period.kind == PeriodKind.AD_HOC:
        return report.period.title
    if report.period_kind == PeriodKind.SIX_MONTH:
        return f"6 tháng đầu năm {report.year}"
    return f"năm {report.year}"


def summary_line(report: ConsolidatedReport) -> str:
    where = province_words(report.province) if report.province_id else "cả nước"
    phrase = period_phrase(report)
    if report.kind == ReportKind.INSPECTION_SUMMARY:
        return (f"Kết quả kiểm tra việc áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo Tiêu chuẩn "
                f"quốc gia TCVN ISO 9001 tại các cơ quan, tổ chức trên địa bàn {where} năm {report.year}")
    if report.kind == ReportKind.MINISTRY:
        return (f"Tình hình áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN "
                f"ISO 9001 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước tại {where} "
                f"năm {report.year}")
    if report.kind == ReportKind.NATIONAL:
        return (f"Tổng hợp tình hình áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001 "
                f"tại các tỉnh, thành phố {phrase}")
    return (f"Kết quả áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO "
            f"9001 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước trên địa bàn {where} "
            f"{phrase}")


def recipients(report: ConsolidatedReport, issuer: Issuer) -> list[str]:
    if report.kind == ReportKind.NATIONAL:
        return ["Thủ tướng Chính phủ (để báo cáo)", "Bộ trưởng (để báo cáo)", "UBND các tỉnh, thành phố",
                "Sở Khoa học và Công nghệ các tỉnh, thành phố", f"Lưu: VT, {issuer.code}"]
    committee = f"{committee_short(report.province)} (để báo cáo)"
    if report.kind == ReportKind.MINISTRY:
        row = ProvinceSettings.objects.select_related("lead_agency").filter(province_id=report.province_id).first()
        drafter = row.lead_agency if row else None
        return ["Bộ Khoa học và Công nghệ", "Chủ tịch, các Phó Chủ tịch UBND tỉnh",
                f"{drafter.name if drafter else 'Sở Khoa học và Công nghệ'}",
                f"Lưu: VT, {drafter.short_code if drafter else 'SKHCN'}"]
    archive = f"Lưu: VT, {issuer.code}"
    if report.kind == ReportKind.INSPECTION_SUMMARY:
        lead = "Sở Khoa học và Công nghệ"
        return [f"{lead} (để tổng hợp)", committee, archive]
    return [committee, "Các cơ quan, đơn vị trên địa bàn", archive]


DIFFICULTIES = (
    "Một số cơ quan, đơn vị chưa cập nhật kịp thời các thay đổi của văn bản quy phạm pháp luật vào Hệ thống quản "
    "lý chất lượng trong thời hạn 03 tháng; việc đánh giá nội bộ, xem xét của lãnh đạo ở một số nơi còn mang tính "
    "hình thức; cán bộ đầu mối thường xuyên thay đổi sau sắp xếp tổ chức bộ máy.")


def default_narrative(report: ConsolidatedReport) -> dict[str, str]:
    """Suggested wording of the four narrative sections, in the voice of the body that issues each kind of report:
    the Ministry its roll-up, the People's Committee its report to the Ministry, the Sở its report to the People's
    Committee, the inspecting unit its summary. Edited before issuing."""
    where = province_words(report.province) if report.province_id else "các tỉnh, thành phố"
    phrase = period_phrase(report)
    if report.kind == ReportKind.NATIONAL:
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
    if report.kind == ReportKind.MINISTRY:
        return {
            "direction": (
                f"Ủy ban nhân dân {where} đã ban hành kế hoạch triển khai áp dụng, duy trì và cải tiến Hệ thống "
                f"quản lý chất lượng {phrase}; giao Sở Khoa học và Công nghệ chủ trì hướng dẫn, kiểm tra, đôn đốc "
                f"các cơ quan, đơn vị trên địa bàn cập nhật hồ sơ trên Cổng thông tin và báo cáo định kỳ theo quy "
                f"định.\nCác cơ quan, đơn vị đã cử cán bộ đầu mối theo dõi việc áp dụng Hệ thống quản lý chất lượng, "
                f"tổ chức đánh giá nội bộ, xem xét của lãnh đạo và cập nhật các thay đổi của văn bản quy phạm pháp "
                f"luật."),
            "results": "", "difficulties": DIFFICULTIES,
            "proposals": (
                "Đề nghị Bộ Khoa học và Công nghệ tiếp tục hướng dẫn, tập huấn về việc áp dụng Hệ thống quản lý "
                "chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015 sau sắp xếp tổ chức bộ máy và chính quyền "
                "địa phương hai cấp."),
        }
    if report.kind == ReportKind.INSPECTION_SUMMARY:
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
    return {
        "direction": (
            f"Sở Khoa học và Công nghệ đã tham mưu Ủy ban nhân dân {where} ban hành kế hoạch triển khai áp dụng, "
            f"duy trì và cải tiến Hệ thống quản lý chất lượng {phrase}; hướng dẫn, đôn đốc các cơ quan, đơn vị cập "
            f"nhật hồ sơ Hệ thống quản lý chất lượng trên Cổng thông tin và báo cáo định kỳ theo quy định.\n"
            f"Các cơ quan, đơn vị đã cử cán bộ đầu mối theo dõi việc áp dụng Hệ thống quản lý chất lượng, tổ chức "
            f"đánh giá nội bộ, xem xét của lãnh đạo và cập nhật các thay đổi của văn bản quy phạm pháp luật."),
        "results": "", "difficulties": DIFFICULTIES,
        "proposals": (
            f"Đề nghị Ủy ban nhân dân {where} chỉ đạo các cơ quan, đơn vị chưa gửi báo cáo hoặc còn tồn tại quá "
            f"hạn khắc phục hoàn thành và gửi hồ sơ về Sở Khoa học và Công nghệ để tổng hợp, báo cáo Ủy ban nhân "
            f"dân tỉnh và Bộ Khoa học và Công nghệ theo quy định."),
    }


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def qr_png(text: str, *, scale: int = 4) -> bytes:
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=1)
    return buffer.getvalue()


def qr_data_uri(text: str, *, scale: int = 4) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(text, scale=scale)).decode("ascii")


def verification_url(code: str) -> str:
    return portal_url(f"/verify/{code}/")


@dataclass
class Prepared:
    document: OfficialDocument
    body_template: str
    appendices_template: str | None
    context: dict
    file_stem: str


def prepare(report: ConsolidatedReport, data: ReportData, *, number: str = NUMBER_PLACEHOLDER,
            issued_on=None) -> Prepared:
    """Everything the renderer needs; `number` is normally the placeholder, replaced when it is allocated (or the
    blank "        /BC-UBND" of a body whose register is not kept here)."""
    issuer = report_issuer(report)
    issued_on = issued_on or timezone.localdate()
    narrative = {**default_narrative(report), **{k: v for k, v in (report.narrative or {}).items() if v}}
    capacity = issuer.capacity_lines(narrative.get("signing_capacity") or None, allow_default=True)
    signer = narrative.get("signer_name") or _signer(report)
    if not numbered_in_portal(report):
        number = issuer.blank_number(DocumentType.REPORT)
    url = verification_url(report.verification_code)
    document = OfficialDocument(
        parent_body=issuer.parent_body, issuing_body=issuer.issuing_body, number=number, place=issuer.place,
        issued_on=issued_on, doc_type="Báo cáo", summary=summary_line(report),
        recipients=recipients(report, issuer), signing_capacity=capacity, signer_name=signer)
    context = body_context(report, data, narrative, issuer)
    # Printed in the bottom margin (QR and link on page 1, the code on every page) rather than under the
    # signature, where a nearly full last page would push it onto a page of its own.
    context["verification"] = {"code": report.verification_code, "url": url, "qr": qr_data_uri(url, scale=2),
                               "every_page": f"Mã xác thực: {report.verification_code}",
                               "first_page": f"Kiểm tra tính xác thực của văn bản tại {url}",
                               "first_page_label": "Kiểm tra tính xác thực của văn bản tại"}
    templates = {
        ReportKind.INSPECTION_SUMMARY: ("reports/pdf/inspection_body.html", "reports/pdf/inspection_annex.html"),
        ReportKind.NATIONAL: ("reports/pdf/national_body.html", "reports/pdf/national_annex.html"),
    }
    body, annex = templates.get(report.kind, ("reports/pdf/provincial_body.html", "reports/pdf/provincial_annex.html"))
    stem = f"bao-cao-{report.kind.replace('_', '-')}-{report.year}-v{report.version}-{report.pk}"
    return Prepared(document, body, annex, context, stem)


def _signer(report: ConsolidatedReport) -> str:
    """The requester (the department leader) signs the Sở's reports; the People's Committee and the Ministry sign
    their own, whose signer is named in the narrative form."""
    if report.kind in (ReportKind.NATIONAL, ReportKind.MINISTRY):
        return ""
    return person_name(report.requested_by) if report.requested_by else ""


def fraction(met: int, total: int, unit: str = "đơn vị") -> str:
    """"43/45 đơn vị, đạt 96%"."""
    from ..selectors import percent

    return f"{met}/{total} {unit}, đạt {percent(met, total)}%"


def body_context(report: ConsolidatedReport, data: ReportData, narrative: dict, issuer) -> dict:
    total = data.total
    mandatory = sum(1 for r in data.rows if r.expected and r.obligation == "mandatory")
    encouraged = sum(1 for r in data.rows if r.expected and r.obligation == "encouraged")
    figures = data.figures
    indicator_lines = [{"label": INDICATOR_WORDS[code].words, "text": figures.text(code)} for code in AGENCY_INDICATORS]
    rows = [{
        "row": r, "kind": vi.kind_text(r.kind), "obligation": vi.OBLIGATION.get(r.obligation, ""),
        "edition": vi.EDITION.get(r.edition, ""), "stage": vi.STAGE.get(r.stage, r.stage),
        "announcement": (f"{r.announcement_number}, {short_date(r.announcement_date)}"
                         if r.announcement_number and r.announcement_date else ""),
        "inspection": vi.FORM.get(r.inspection_form, "") + (f", {short_date(r.bbkt_date)}" if r.bbkt_date else ""),
        "report": vi.REPORT.get(r.report, "") if r.expected else "",
        "audit": vi.YES if r.internal_audit else "", "review": vi.YES if r.management_review else "",
        "legal": vi.LEGAL.get(r.legal, ""),
    } for r in data.rows]
    ct = data.completeness_total
    return {
        "report": report, "data": data, "issuer": issuer,
        "where": province_words(report.province) if report.province_id else "cả nước",
        "period_phrase": period_phrase(report), "legal_basis": LEGAL_BASIS, "circular": CIRCULAR,
        "issuer_title": issuer.name,
        "narrative": {key: paragraphs(narrative.get(key, "")) for key in ("direction", "results", "difficulties",
                                                                          "proposals")},
        "headings": [label for _, label in INDICATORS],
        "by_kind": [{"label": vi.kind_text(s.key), "total": s.total, "cells": s.ordered} for s in data.by_kind],
        "by_province": [{"label": s.label, "total": s.total, "cells": s.ordered} for s in data.by_province],
        "total": {"label": "Tổng cộng", "total": total.total, "cells": total.ordered},
        "mandatory": mandatory, "encouraged": encouraged, "indicator_lines": indicator_lines,
        "completeness": [{"label": vi.kind_text(c.kind), "c": c} for c in data.completeness],
        "completeness_total": ct,
        "received_text": fraction(ct.received, ct.expected), "on_time_text": fraction(ct.on_time, ct.expected),
        "missing_names": [r.name for r in data.missing][:MAX_NAMES_IN_BODY],
        "missing_more": max(len(data.missing) - MAX_NAMES_IN_BODY, 0),
        "late_count": len(data.late),
        "inspections": data.inspections, "findings_by_class": data.findings_by_class,
        "stages": [(vi.STAGE.get(code, code), count) for code, count in data.stages],
        "rows": rows, "as_of": short_date(data.as_of), "f": figures.values,
        "cutoff": timezone.localtime(data.cutoff_at).strftime("%H:%M ngày %d/%m/%Y"),
        "date_text": vietnamese_date(timezone.localdate()),
    }
