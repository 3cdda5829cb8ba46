"""Demo data: the approved 2026 inspection plan of An Giang and one signed on-site inspection of Sở Tư pháp
with two findings (one open, one overdue). Runs after the agencies demo; safe to run again (it does nothing
when the plan exists).

Everything goes through the services with `today=` set to the day each step happened, so the demo follows the
same rules as a real user and leaves the same timeline and history.
"""

import math
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, AgencyKind, Province
from audits import services
from audits.models import ChecklistItem, FindingClass, InspectionForm, InspectionPlan
from audits.selectors import mandatory_agencies

YEAR = 2026
PROVINCE_CODE = 91  # An Giang
ON_SITE_FIRST = (AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE, AgencyKind.PROVINCIAL_OFFICE, AgencyKind.DEPARTMENT,
                 AgencyKind.SUB_DEPARTMENT, AgencyKind.PUBLIC_ADMIN_SERVICE_CENTRE)

RESULTS = {
    "scope-covers-procedures": ("partly", "Còn 03 TTHC lĩnh vực hộ tịch chưa được xây dựng quy trình."),
    "review-audit-corrective-action": ("not_met", "Chưa thực hiện xem xét của lãnh đạo năm 2026."),
}


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _entries(agencies: list[Agency]) -> list[tuple[Agency, str]]:
    """Departments and provincial bodies on site first, then enough others to reach one third."""
    required = math.ceil(len(agencies) / 3)
    ordered = sorted(agencies, key=lambda a: (a.kind not in ON_SITE_FIRST, a.short_code != "STP", a.name))
    return [(a, InspectionForm.ON_SITE if i < max(required, 1) else InspectionForm.DOCUMENTS)
            for i, a in enumerate(ordered)]


@transaction.atomic
def seed_demo() -> list:
    province = Province.objects.current().filter(code=PROVINCE_CODE).first()
    inspector, leader, officer = _user("ag_inspector"), _user("ag_leader"), _user("ag_officer")
    if province is None or not (inspector and leader and officer):
        return []
    if InspectionPlan.objects.filter(province=province, year=YEAR).exists():
        return []
    agencies = list(mandatory_agencies(province_id=province.pk, year=YEAR).select_related("province"))
    stp = Agency.objects.filter(province=province, short_code="STP").first()
    if not agencies or stp is None:
        return []

    plan = services.plan_create(actor=inspector, year=YEAR, province=province, data={
        "signing_capacity": "kt", "signer_name": "Lê Minh Tuấn"})
    for index, (agency, form) in enumerate(_entries(agencies)):
        month = 4 + index % 7  # April to October
        start = date(YEAR, month, 1 + (index * 3) % 20)
        services.plan_entry_add(actor=inspector, plan=plan, agency=agency, data={
            "form": form, "expected_from": start, "expected_to": start + timedelta(days=2 if form == "on_site" else 14),
            "cooperating_unit": "Sở Nội vụ" if form == InspectionForm.ON_SITE else "",
            "budget_vnd": 3_000_000 if form == InspectionForm.ON_SITE else 500_000})
    services.plan_submit(actor=inspector, plan=plan, today=date(YEAR, 1, 15))
    services.plan_approve(actor=leader, plan=plan, approval_number="215/QĐ-UBND",
                          approval_date=date(YEAR, 1, 22), today=date(YEAR, 1, 22))

    inspection = plan.inspections.get(agency=stp)
    services.report_request_send(actor=inspector, inspections=list(plan.inspections.all()),
                                 deadline=date(YEAR, 3, 31), today=date(YEAR, 3, 2),
                                 message="Đề nghị các cơ quan, đơn vị tự đánh giá theo 13 nội dung kiểm tra và gửi "
                                         "kèm hồ sơ minh chứng trên Cổng thông tin.")
    services.self_assessment_save(actor=officer, inspection=inspection, answers=[
        {"item": item.code, "result": "met", "explanation": "Đơn vị đã thực hiện đầy đủ."}
        for item in ChecklistItem.objects.filter(version_id=inspection.checklist_version_id)
        if not inspection.answers.filter(item=item).exclude(result="").exists()])
    services.self_assessment_submit(actor=officer, inspection=inspection)

    services.decision_issue(
        actor=inspector, inspections=[inspection], issued_on=date(YEAR, 5, 4), starts_on=date(YEAR, 5, 12),
        ends_on=date(YEAR, 5, 12), team_leader="Lê Minh Tuấn", team_leader_position="Phó Chi cục trưởng",
        members=[{"name": "Nguyễn Văn An", "position": "Chuyên viên Chi cục TĐC", "role": "secretary"},
                 {"name": "Trần Thị Bích", "position": "Chuyên viên Sở Nội vụ", "role": "member"}],
        signing_capacity="kt", signer_name="Đặng Văn Hòa",
        today=date(YEAR, 5, 4))
    items = {i.code: i for i in ChecklistItem.objects.filter(version_id=inspection.checklist_version_id)}
    services.record_save(actor=inspector, inspection=inspection, results=[
        {"item": code, "result": RESULTS.get(code, ("met", ""))[0], "notes": RESULTS.get(code, ("", ""))[1]}
        for code in items], data={"agency_representative": "Trần Văn Hùng",
                                  "agency_representative_position": "Giám đốc Sở Tư pháp",
                                  "conclusion": "Sở Tư pháp đã áp dụng, duy trì Hệ thống quản lý chất lượng theo "
                                                "TCVN ISO 9001:2015; lãnh đạo quan tâm chỉ đạo, công chức tham gia "
                                                "đầy đủ. Còn một số tồn tại cần khắc phục như nêu tại mục 2."})
    nonconformity = FindingClass.objects.get(code="nonconformity")
    observation = FindingClass.objects.get(code="observation")
    signed_on = date(YEAR, 5, 12)
    services.finding_create(
        actor=inspector, inspection=inspection, checklist_item=items["review-audit-corrective-action"],
        classification=nonconformity, clause="9.3",
        description="Chưa tổ chức xem xét của lãnh đạo về Hệ thống quản lý chất lượng trong năm 2026.",
        today=signed_on)
    real_today = timezone.localdate()
    services.finding_create(
        actor=inspector, inspection=inspection, checklist_item=items["scope-covers-procedures"],
        classification=observation, clause="4.3",
        description="03 thủ tục hành chính lĩnh vực hộ tịch mới được công bố chưa được xây dựng quy trình giải "
                    "quyết và đưa vào phạm vi áp dụng.",
        due_on=max(real_today + timedelta(days=30), date(YEAR, 7, 12)), today=signed_on)
    services.record_sign(actor=inspector, inspection=inspection, signed_on=signed_on, today=signed_on)
    return []
