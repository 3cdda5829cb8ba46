"""A sample consolidated report, long enough for three pages, full of Vietnamese text."""

from datetime import date

from qms_portal.printing import OfficialDocument

PARAGRAPHS = [
    "Ủy ban nhân dân tỉnh đã ban hành Kế hoạch kiểm tra việc áp dụng, duy trì và cải tiến Hệ thống quản lý "
    "chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015 tại các cơ quan hành chính nhà nước trên địa bàn "
    "tỉnh; giao Sở Khoa học và Công nghệ chủ trì, phối hợp với Sở Nội vụ tổ chức thực hiện.",
    "Sở Khoa học và Công nghệ đã thành lập Đoàn kiểm tra, tiến hành kiểm tra trực tiếp tại 15 cơ quan, đơn vị "
    "và kiểm tra qua hồ sơ đối với các đơn vị còn lại; kết quả kiểm tra được ghi nhận trong biên bản kiểm tra "
    "và thông báo bằng văn bản đến từng đơn vị để khắc phục các tồn tại, hạn chế trong thời hạn 02 tháng.",
    "Nhìn chung, lãnh đạo các cơ quan, đơn vị đã quan tâm chỉ đạo việc áp dụng Hệ thống quản lý chất lượng; "
    "công chức, viên chức tham gia đầy đủ; các quy trình giải quyết thủ tục hành chính được cập nhật kịp thời "
    "khi có sự thay đổi của văn bản quy phạm pháp luật, góp phần nâng cao chất lượng phục vụ người dân.",
    "Tuy nhiên, vẫn còn một số đơn vị chưa thực hiện đánh giá nội bộ, xem xét của lãnh đạo theo đúng tần suất "
    "đã đề ra; hồ sơ hành động khắc phục chưa đầy đủ; việc công bố lại sau khi điều chỉnh, mở rộng phạm vi áp "
    "dụng chưa được thực hiện, chưa niêm yết tại trụ sở và đăng tải trên trang thông tin điện tử của đơn vị.",
]

ROWS = [
    {"name": f"{kind} số {i:02d}", "kind": kind, "covered": 20 + i, "total": 25 + i,
     "inspected": "Trực tiếp" if i % 3 == 0 else "Hồ sơ"}
    for i, kind in enumerate(["Sở, ban, ngành", "UBND cấp xã", "Trường trung học phổ thông"] * 6, start=1)
]


def sample_document(**overrides) -> OfficialDocument:
    fields = {
        "parent_body": "UBND TỈNH AN GIANG",
        "issuing_body": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "number": "05/BC-SKHCN",
        "place": "An Giang",
        "issued_on": date(2024, 12, 2),
        "doc_type": "Báo cáo",
        "summary": "Kết quả kiểm tra việc áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng "
                   "theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015 năm 2024",
        "recipients": ["Bộ Khoa học và Công nghệ", "UBND tỉnh", "Các sở, ban, ngành tỉnh", "Lưu: VT, CCTĐC"],
        "signing_capacity": ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
        "signer_name": "Nguyễn Thị Ngọc Trường",
    }
    return OfficialDocument(**{**fields, **overrides})


def sample_context(repeat: int = 3) -> dict:
    return {"paragraphs": PARAGRAPHS * repeat, "rows": ROWS}
