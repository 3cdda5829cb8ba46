"""An An Giang agency officer takes the agency from "not started" to "announced" in a real browser."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def met(page, rule: str) -> bool:
    return page.locator(f'[data-rule="{rule}"]').get_attribute("data-met") == "1"


def fill_part(page, agency_pk: int, part: str, values: dict) -> None:
    page.goto(f"/agencies/{agency_pk}/qms/{part}/add/")
    for field, value in values.items():
        locator = page.locator(f"#id_{field}")
        if locator.get_attribute("type") == "checkbox":
            locator.check() if value else locator.uncheck()
        elif locator.evaluate("e => e.tagName") == "SELECT":
            locator.select_option(value)
        else:
            locator.fill(value)
    page.click("#main form button[type=submit]")


def test_officer_announces_the_qms(page_factory, cast, tmp_path):
    stp = cast.agencies["ag_stp"]
    today = timezone.localdate()
    day = lambda n: (today - timedelta(days=n)).isoformat()  # noqa: E731
    page = page_factory()
    login(page, "ag_officer")
    page.click("text=Mở hồ sơ HTQLCL")
    assert page.locator('[data-testid="stage"]').inner_text() == "Chưa bắt đầu"
    assert not met(page, "announced")
    shot(page, "qms-file-not-started")

    # The record: steering committee decision, then the move to "building".
    page.goto(f"/agencies/{stp.pk}/qms/edit/officer/")
    page.fill("#id_steering_decision_number", "12/QĐ-STP")
    page.fill("#id_steering_decision_date", day(200))
    page.click("#main form button[type=submit]")
    page.select_option("#id_stage", "building")
    page.click("text=Đổi giai đoạn")
    assert page.locator('[data-testid="stage"]').inner_text() == "Đang xây dựng"

    fill_part(page, stp.pk, "procedures", {"code": "1.0001", "name": "Đăng ký khai sinh", "field": "Hộ tịch",
                                           "covered": True})
    assert met(page, "coverage_complete")
    fill_part(page, stp.pk, "documents", {"kind": "policy", "code": "CS-01", "title": "Chính sách chất lượng",
                                          "status": "in_force", "issued_on": day(150)})

    # An inline error in Vietnamese for a date in the future, nothing saved.
    fill_part(page, stp.pk, "internal-audits", {"held_on": (today + timedelta(days=3)).isoformat(),
                                                "auditors": "Tổ đánh giá"})
    assert "tương lai" in page.locator(".field-error").first.inner_text()
    shot(page, "qms-inline-error")
    fill_part(page, stp.pk, "internal-audits", {"held_on": day(60), "auditors": "Tổ đánh giá nội bộ"})
    assert met(page, "internal_audit")
    fill_part(page, stp.pk, "management-reviews", {"held_on": day(50), "chair": "Trần Văn Hùng"})
    assert met(page, "management_review")

    # The head approves the documents and confirms effectiveness.
    head = page_factory()
    login(head, "ag_head")
    head.goto(f"/agencies/{stp.pk}/qms/edit/head/")
    head.fill("#id_documents_approved_on", day(140))
    head.fill("#id_documents_approved_by", "Trần Văn Hùng")
    head.fill("#id_effectiveness_confirmed_on", day(40))
    head.fill("#id_effectiveness_confirmed_by", "Trần Văn Hùng")
    head.click("#main form button[type=submit]")

    page.goto(f"/agencies/{stp.pk}/qms/")
    page.select_option("#id_stage", "applying")
    page.click("text=Đổi giai đoạn")
    assert page.locator('[data-testid="stage"]').inner_text() == "Đang áp dụng"

    # The announcement decision, with its PDF.
    fill_part(page, stp.pk, "announcements", {
        "kind": "first", "decision_number": "45/QĐ-STP", "decision_date": day(30), "signer": "Trần Văn Hùng",
        "edition": "2015", "scope": "Toàn bộ thủ tục hành chính thuộc thẩm quyền", "notification_number": "50/STP",
        "notification_date": day(29), "posted_at_office_on": day(29), "website_url": "https://stp.angiang.gov.vn"})
    decision = tmp_path / "quyet-dinh-cong-bo.pdf"
    decision.write_bytes(PDF)
    page.set_input_files("#id_file", str(decision))
    page.click("text=Tải lên")
    assert page.locator("text=quyet-dinh-cong-bo.pdf").count() == 1
    page.goto(f"/agencies/{stp.pk}/qms/")
    assert page.locator('[data-testid="stage"]').inner_text() == "Đã công bố"
    assert all(met(page, rule) for rule in ("announced", "coverage_complete", "internal_audit", "management_review"))
    shot(page, "qms-file-announced")

    # The inspector sees the agency move in the province view; Cao Bằng gets 404.
    inspector = page_factory()
    login(inspector, "ag_inspector")
    inspector.goto("/compliance/?rule=announced")
    assert inspector.locator("text=Sở Tư pháp").count() == 0
    inspector.goto("/compliance/")
    assert inspector.locator("text=Sở Tư pháp").count() == 1
    shot(inspector, "province-compliance")
    outsider = page_factory(360, 780)
    login(outsider, "cb_inspector")
    response = outsider.goto(f"/agencies/{stp.pk}/qms/")
    assert response.status == 404
