"""The XLSX of a consolidated report: the same numbers as the PDF (summary by kind, report completeness,
by province for the roll-up) and the full annex, one row per agency. openpyxl in write-only mode, so a
20,000-row annex streams to disk instead of building a tree in memory; text that a spreadsheet would run
as a formula (= + - @) is written as plain text."""

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from qms_portal.printing import short_date

from ..gathering import INDICATORS, ReportData
from ..indicators import AGENCY_INDICATORS
from ..indicators import INDICATORS as INDICATOR_WORDS
from ..kinds import kind_spec
from ..selectors import percent
from . import vocabulary as vi

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def safe(value):
    """A string a spreadsheet would treat as a formula is prefixed with an apostrophe (kept as text)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _header(sheet, titles, widths=None):
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=safe(title))
        cell.font, cell.alignment = BOLD, WRAP
        cells.append(cell)
    if widths:
        for index, width in enumerate(widths):
            sheet.column_dimensions[_column(index)].width = width
    sheet.append(cells)


def _column(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _title(sheet, text):
    cell = WriteOnlyCell(sheet, value=safe(text))
    cell.font = BOLD
    sheet.append([cell])


def _summary_rows(sheet, rows, total, first="Loại hình"):
    heading = [first, "Số đơn vị"]
    for _, label in INDICATORS:
        heading += [label, "Tỷ lệ (%)"]
    _header(sheet, heading, [34, 11] + [14, 9] * len(INDICATORS))
    for row in [*rows, total]:
        label = vi.kind_text(row.key) if first == "Loại hình" and row.key else row.label
        values = [safe(label), row.total]
        for cell in row.ordered:
            values += [cell.met, cell.percent]
        sheet.append(values)


def workbook_render(*, data: ReportData, number: str, title: str, issuer: str, date_text: str,
                    verification_code: str) -> bytes:
    workbook = Workbook(write_only=True)
    info = workbook.create_sheet("Thông tin")
    for key, value in (("Báo cáo số", number or "—"), ("Trích yếu", title), ("Cơ quan ban hành", issuer),
                       ("Ngày", date_text), ("Số liệu tính đến", short_date(data.as_of)),
                       ("Mã xác thực", verification_code)):
        info.append([safe(key), safe(value)])

    figures = workbook.create_sheet("Chỉ tiêu")
    _title(figures, f"Các chỉ tiêu của báo cáo, tính đến ngày {short_date(data.as_of)}")
    _header(figures, ["Chỉ tiêu", "Số lượng", "Đơn vị tính", "Trên tổng số", "Tỷ lệ (%)"], [60, 12, 12, 14, 10])
    scope = data.figures["in_scope"]
    for code, indicator in INDICATOR_WORDS.items():
        value = data.figures[code]
        share = [scope, percent(value, scope)] if code in AGENCY_INDICATORS else ["", ""]
        figures.append([safe(indicator.words), value, indicator.unit, *share])

    summary = workbook.create_sheet("Tổng hợp theo loại hình")
    _title(summary, "Kết quả áp dụng Hệ thống quản lý chất lượng theo loại hình cơ quan, đơn vị")
    _summary_rows(summary, data.by_kind, data.total)

    if kind_spec(data.report_kind).by_province:
        provinces = workbook.create_sheet("Theo tỉnh, thành phố")
        _title(provinces, "Kết quả áp dụng Hệ thống quản lý chất lượng theo tỉnh, thành phố")
        _summary_rows(provinces, data.by_province, data.total, first="Tỉnh, thành phố")

    completeness = workbook.create_sheet("Báo cáo định kỳ")
    _title(completeness, "Tình hình gửi báo cáo định kỳ của các cơ quan, đơn vị")
    _header(completeness, ["Loại hình", "Phải báo cáo", "Đã nhận", "Tỷ lệ đã nhận (%)", "Đúng hạn", "Trễ hạn",
                           "Chưa gửi", "Trả lại để hoàn thiện"], [34, 12, 10, 12, 10, 10, 10, 14])
    for row in [*data.completeness, data.completeness_total]:
        label = vi.kind_text(row.kind) if row.kind else "Tổng cộng"
        completeness.append([safe(label), row.expected, row.received, percent(row.received, row.expected),
                             row.on_time, row.late, row.missing, row.returned])

    annex = workbook.create_sheet("Phụ lục - Danh sách")
    _header(annex, ["STT", "Tên cơ quan, đơn vị", "Tỉnh, thành phố", "Loại hình", "Mức độ áp dụng",
                    "Thuộc đối tượng báo cáo", "Phiên bản TCVN ISO 9001", "Giai đoạn", "Số QĐ công bố",
                    "Ngày công bố", "TTHC đã áp dụng", "Tổng số TTHC", "Đánh giá nội bộ trong năm",
                    "Xem xét của lãnh đạo trong năm", "Cập nhật văn bản pháp luật (3 tháng)",
                    "Hình thức kiểm tra", "Ngày BBKT", "Tồn tại chưa khắc phục",
                    "Tồn tại quá hạn", "Tình trạng khắc phục", "Báo cáo định kỳ"],
            [6, 44, 16, 26, 12, 10, 10, 18, 18, 12, 10, 10, 10, 10, 14, 12, 12, 10, 10, 16, 12])
    for r in data.rows:
        annex.append([
            r.number, safe(r.name), safe(r.province), vi.kind_text(r.kind), vi.OBLIGATION.get(r.obligation, ""),
            vi.YES if r.expected else "", vi.EDITION.get(r.edition, ""), vi.STAGE.get(r.stage, r.stage),
            safe(r.announcement_number), short_date(r.announcement_date) if r.announcement_date else "",
            r.procedures_covered, r.procedures_total, vi.YES if r.internal_audit else "",
            vi.YES if r.management_review else "", vi.LEGAL.get(r.legal, ""), vi.FORM.get(r.inspection_form, ""),
            short_date(r.bbkt_date) if r.bbkt_date else "", r.findings_open, r.findings_overdue,
            r.corrective_status, vi.REPORT.get(r.report, "") if r.expected else "",
        ])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
