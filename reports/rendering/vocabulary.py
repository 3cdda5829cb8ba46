"""Fixed Vietnamese wording of the printed documents and their spreadsheets (official text, not UI)."""

from agencies.models import AgencyKind, ObligationLevel
from audits.models import InspectionForm
from qms.models import Edition, Stage
from qms_portal.printing.labels import PrintedLabels

KIND = {
    AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE: "UBND tỉnh",
    AgencyKind.PROVINCIAL_OFFICE: "Văn phòng UBND tỉnh",
    AgencyKind.DEPARTMENT: "Sở, ban, ngành và tương đương",
    AgencyKind.SUB_DEPARTMENT: "Chi cục và tương đương",
    AgencyKind.COMMUNE_PEOPLES_COMMITTEE: "UBND xã, phường, đặc khu",
    AgencyKind.COMMUNE_OFFICE: "Cơ quan chuyên môn cấp xã",
    AgencyKind.PUBLIC_ADMIN_SERVICE_CENTRE: "Trung tâm Phục vụ hành chính công",
    AgencyKind.PUBLIC_SERVICE_UNIT: "Đơn vị sự nghiệp công lập",
    AgencyKind.VERTICAL_AGENCY: "Cơ quan ngành dọc",
    AgencyKind.DISTRICT_PEOPLES_COMMITTEE: "UBND cấp huyện (trước năm 2025)",
    AgencyKind.DISTRICT_OFFICE: "Cơ quan cấp huyện (trước năm 2025)",
}
# Statuses read as on the pages: the models' own labels, in Vietnamese (qms_portal.printing.labels).
STAGE = PrintedLabels(Stage)
OBLIGATION = PrintedLabels(ObligationLevel)
EDITION = {Edition.ISO_2008: "2008", Edition.ISO_2015: "2015", "": ""}
REPORT = {"on_time": "Đúng hạn", "late": "Trễ hạn", "missing": "Chưa gửi", "": ""}
FORM = PrintedLabels(InspectionForm)
LEGAL = {"on_time": "Đúng hạn", "late": "Trễ hạn", "overdue": "Quá hạn", "pending": "Trong hạn",
         "not_applicable": "Không áp dụng", "none": "Không phát sinh", "no_data": "Chưa có dữ liệu", "": ""}
PERIOD = {"six_month": "6 tháng đầu năm", "annual": "năm", "ad_hoc": ""}
YES = "Có"


def kind_text(kind: str) -> str:
    return KIND.get(kind, kind)
