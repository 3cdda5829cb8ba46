"""The columns of the annexes (Phụ lục I) of the consolidated reports: what each kind's annex shows.

Each annex says what templates/reports/pdf/<kind>_annex.html says: its heading, its columns (title, share of the
width, alignment) and each cell's text from the prepared rows (reports.rendering.document.body_context). Those
templates remain the reference laid out by WeasyPrint; tests/reports/test_annex_engine.py compares both, row by
row, for every annex here. The kinds (reports.kinds) choose theirs; reports.rendering.annexes draws it.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from qms_portal.printing import short_date
from reports.rendering.table_pages import CENTER, LEFT, RIGHT, Column


@dataclass(frozen=True)
class AnnexColumn:
    column: Column
    value: Callable[[dict], str]


@dataclass(frozen=True)
class Annex:
    title: str  # may use {year}
    columns: tuple[AnnexColumn, ...]
    note: str = ""


def _col(title: str, width: float, value: Callable[[dict], object], align: str = LEFT) -> AnnexColumn:
    return AnnexColumn(Column(title, width, align), lambda r: str(value(r)))


def _findings(r: dict) -> str:
    row = r["row"]
    if not row.findings_open:
        return ""
    return f"{row.findings_open} ({row.findings_overdue})" if row.findings_overdue else str(row.findings_open)


def _number(r: dict):
    return r["row"].number


def _name(r: dict):
    return r["row"].name


def _procedures(r: dict) -> str:
    return f"{r['row'].procedures_covered}/{r['row'].procedures_total}"


def _corrective(r: dict):
    return r["row"].corrective_status


PROVINCIAL = Annex(
    title=("DANH SÁCH CƠ QUAN, ĐƠN VỊ ÁP DỤNG HỆ THỐNG QUẢN LÝ CHẤT LƯỢNG THEO TIÊU CHUẨN QUỐC GIA "
           "TCVN ISO 9001"),
    note=("Ghi chú: ĐGNB - đánh giá nội bộ trong năm; XXLĐ - xem xét của lãnh đạo trong năm; TTHC - thủ tục hành "
          "chính; VBPL - cập nhật văn bản pháp luật mới trong vòng 3 tháng; BBKT - biên bản kiểm tra; "
          "KP - khắc phục."),
    columns=(
        _col("STT", 4, _number, CENTER),
        _col("Tên cơ quan, đơn vị", 18, _name),
        _col("Loại hình", 8, lambda r: r["kind"]),
        _col("Mức độ áp dụng", 6, lambda r: r["obligation"]),
        _col("Phiên bản", 4.5, lambda r: r["edition"], CENTER),
        _col("Giai đoạn", 7, lambda r: r["stage"]),
        _col("Quyết định công bố (số, ngày)", 10, lambda r: r["announcement"]),
        _col("TTHC áp dụng/ tổng số", 5.5, _procedures, CENTER),
        _col("ĐGNB", 4, lambda r: r["audit"], CENTER),
        _col("XXLĐ", 4, lambda r: r["review"], CENTER),
        _col("VBPL", 5, lambda r: r["legal"], CENTER),
        _col("Kiểm tra (hình thức, ngày BBKT)", 8, lambda r: r["inspection"]),
        _col("Tồn tại chưa KP (quá hạn)", 6, _findings, CENTER),
        _col("Tình trạng khắc phục", 5, _corrective),
        _col("Báo cáo định kỳ", 5, lambda r: r["report"]),
    ),
)


def _resized(columns, widths) -> tuple[AnnexColumn, ...]:
    return tuple(AnnexColumn(replace(c.column, width=w), c.value) for c, w in zip(columns, widths, strict=True))


NATIONAL = Annex(
    title=f"{PROVINCIAL.title} TẠI CÁC TỈNH, THÀNH PHỐ",
    note=PROVINCIAL.note,
    columns=_resized((*PROVINCIAL.columns[:2], _col("Tỉnh, thành phố", 0, lambda r: r["row"].province),
                      *PROVINCIAL.columns[2:]), (4, 14, 7, 8, 5, 4.5, 7, 8, 5.5, 4, 4, 5, 8, 5, 6, 5)),
)

# No column widths in the template: `table-layout: fixed` shares the width equally.
INSPECTION = Annex(
    title="KẾT QUẢ KIỂM TRA TẠI CÁC CƠ QUAN, ĐƠN VỊ NĂM {year}",
    columns=(
        _col("STT", 1, _number, CENTER),
        _col("Tên cơ quan, đơn vị", 1, _name),
        _col("Loại hình", 1, lambda r: r["kind"]),
        _col("Hình thức kiểm tra", 1, lambda r: r["inspection"]),
        _col("Ngày BBKT", 1, lambda r: short_date(r["row"].bbkt_date) if r["row"].bbkt_date else "", CENTER),
        _col("Giai đoạn", 1, lambda r: r["stage"]),
        _col("TTHC áp dụng/tổng số", 1, _procedures, CENTER),
        _col("Tồn tại chưa khắc phục", 1, lambda r: r["row"].findings_open, RIGHT),
        _col("Quá hạn", 1, lambda r: r["row"].findings_overdue, RIGHT),
        _col("Tình trạng khắc phục", 1, _corrective),
    ),
)
