"""The 13 items of Circular 26/2014/TT-BKHCN Art. 36 (DOMAIN.md §5), as loaded by migration 0002.

Codes are stable: a future version of the checklist keeps the code of an item whose meaning is unchanged.
The Vietnamese text is the reference; the English text is shown when the portal is switched to English.
"""

TT26_VERSION = {
    "code": "tt26-2014",
    "title": "Nội dung kiểm tra theo Điều 36 Thông tư số 26/2014/TT-BKHCN",
    "legal_basis": "Thông tư số 26/2014/TT-BKHCN ngày 10/10/2014 của Bộ Khoa học và Công nghệ, Điều 36",
    "effective_from": "2014-12-01",
}

# (number, code, group, Vietnamese text, English text)
TT26_ITEMS = [
    (1, "scope-covers-procedures", "iso9001",
     "Phạm vi áp dụng Hệ thống quản lý chất lượng bao quát toàn bộ các thủ tục hành chính thuộc thẩm quyền "
     "giải quyết của cơ quan",
     "The scope of the QMS covers all administrative procedures of the agency"),
    (2, "documents-rolled-out", "iso9001",
     "Hệ thống tài liệu được phổ biến đến toàn bộ cán bộ, công chức, viên chức thuộc phạm vi áp dụng",
     "The documents are rolled out to all staff in scope"),
    (3, "requirements-complied", "iso9001",
     "Tuân thủ các yêu cầu của tiêu chuẩn, chính sách chất lượng, mục tiêu chất lượng và các quy trình đã "
     "xây dựng",
     "The requirements of the standard, the quality policy, the objectives and the processes are complied with"),
    (4, "processes-carried-out", "iso9001",
     "Các quy trình giải quyết công việc được thực hiện trên thực tế",
     "The work processes are actually carried out"),
    (5, "review-audit-corrective-action", "iso9001",
     "Thực hiện xem xét của lãnh đạo, đánh giá nội bộ và hành động khắc phục",
     "Management review, internal audit and corrective action are done"),
    (6, "complaints-handled", "iso9001",
     "Giải quyết các khiếu nại liên quan đến hoạt động thuộc phạm vi áp dụng Hệ thống quản lý chất lượng",
     "Complaints about activities in scope are handled"),
    (7, "improvement-activities", "iso9001",
     "Thực hiện các hoạt động cải tiến Hệ thống quản lý chất lượng",
     "Improvement activities are carried out"),
    (8, "leaders-and-staff-take-part", "decision19",
     "Lãnh đạo, cán bộ, công chức, viên chức tham gia xây dựng, áp dụng, duy trì và cải tiến Hệ thống quản lý "
     "chất lượng",
     "Leaders and staff take part in building, applying, maintaining and improving the QMS"),
    (9, "effectiveness-confirmed", "decision19",
     "Người đứng đầu cơ quan xác nhận hiệu lực của Hệ thống quản lý chất lượng",
     "The head of the agency confirmed the effectiveness of the QMS"),
    (10, "announced-notified-posted", "decision19",
     "Công bố Hệ thống quản lý chất lượng phù hợp Tiêu chuẩn quốc gia TCVN ISO 9001, thông báo bằng văn bản "
     "đến Sở Khoa học và Công nghệ, niêm yết tại trụ sở và đăng tải trên trang thông tin điện tử của cơ quan",
     "The QMS is announced as conforming to TCVN ISO 9001, the Department of Science and Technology notified in "
     "writing, and the announcement posted at the office and on the agency's website"),
    (11, "legal-changes-within-3-months", "decision19",
     "Cập nhật Hệ thống quản lý chất lượng khi có sự thay đổi của văn bản quy phạm pháp luật liên quan trong "
     "thời hạn 03 tháng kể từ ngày văn bản có hiệu lực",
     "Changes of the relevant legal documents are reflected in the QMS within 3 months of taking effect"),
    (12, "reannounced-after-scope-change", "decision19",
     "Công bố lại khi có sự điều chỉnh, mở rộng, thu hẹp phạm vi áp dụng Hệ thống quản lý chất lượng",
     "The QMS is re-announced after its scope is adjusted, extended or narrowed"),
    (13, "consultant-properly-selected", "decision19",
     "Lựa chọn tổ chức tư vấn, chuyên gia tư vấn đáp ứng điều kiện theo quy định (nếu có)",
     "The consultant, if any, was selected as the rules require"),
]

# code, Vietnamese name, English name
FINDING_CLASSES = [
    ("nonconformity", "Điểm không phù hợp", "Nonconformity"),
    ("observation", "Điểm cần lưu ý", "Observation"),
    ("recommendation", "Khuyến nghị", "Recommendation"),
]


def load_reference_data(*, ChecklistVersion, ChecklistItem, FindingClass) -> None:  # noqa: N803 (model classes)
    """Create the TT 26 checklist and the default finding classes if missing (migration 0002 and tests)."""
    import datetime

    version, _created = ChecklistVersion.objects.get_or_create(
        code=TT26_VERSION["code"],
        defaults={"title": TT26_VERSION["title"], "legal_basis": TT26_VERSION["legal_basis"],
                  "effective_from": datetime.date.fromisoformat(TT26_VERSION["effective_from"])})
    for number, code, group, text, text_en in TT26_ITEMS:
        ChecklistItem.objects.get_or_create(
            version=version, code=code,
            defaults={"number": number, "group": group, "text": text, "text_en": text_en,
                      "legal_reference": "TT 26/2014/TT-BKHCN, Điều 36"})
    for order, (code, name, name_en) in enumerate(FINDING_CLASSES, start=1):
        FindingClass.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "order": order})
