"""A decree changes the civil-status procedures: the Sở registers it, Sở Tư pháp and every commune's People's
Committee see the update they owe, one updates on time, one declares it not applicable and the Sở accepts, and the
register counts 1 on time, 1 not applicable and the rest pending, in a real browser."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.models import AgencyKind, Role
from qms.models import Procedure
from tests.e2e.conftest import login, shot
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_decree_reaches_every_agency_it_concerns(page_factory, cast):
    province, stp = cast.provinces["ag"], cast.agencies["ag_stp"]
    Procedure.objects.create(agency=stp, code="1.0001", name="Đăng ký khai sinh", field="Hộ tịch")
    communes = [AgencyFactory(province=province, kind=AgencyKind.COMMUNE_PEOPLES_COMMITTEE, short_code=f"UBX{n}",
                              name=f"Ủy ban nhân dân xã Mỹ Hòa {n}") for n in range(1, 4)]
    MembershipFactory(user=UserFactory(username="xa1_officer"), role=Role.ISO_OFFICER, agency=communes[0],
                      province=province)
    today = timezone.localdate()
    effective = today - timedelta(days=20)

    sở = page_factory()
    login(sở, "ag_inspector")
    sở.click("nav >> text=Văn bản pháp luật mới")
    sở.fill("#id_number", "20/2026/NĐ-CP")
    sở.fill("#id_title", "Nghị định sửa đổi thủ tục đăng ký hộ tịch")
    sở.fill("#id_issuer", "Chính phủ")
    sở.fill("#id_issued_on", (effective - timedelta(days=15)).isoformat())
    sở.fill("#id_effective_on", effective.isoformat())
    sở.fill("#id_procedure_fields", "Hộ tịch")
    sở.check(f'input[name="agency_kinds"][value="{AgencyKind.COMMUNE_PEOPLES_COMMITTEE}"]')
    sở.click("text=Đăng ký >> nth=-1")
    sở.wait_for_selector("#h-summary")
    assert "4 cơ quan liên quan" in sở.locator("#h-summary").inner_text()
    shot(sở, "legal-change-registered")

    # Sở Tư pháp updates its QMS on time, from its QMS file.
    officer = page_factory()
    login(officer, "ag_officer")
    officer.goto(f"/agencies/{stp.pk}/qms/#legal-changes")
    row = officer.locator("#legal-changes tbody tr").first
    assert "20/2026/NĐ-CP" in row.inner_text() and "Chưa đến hạn" in row.inner_text()
    row.locator("summary >> text=Ghi nhận việc cập nhật").click()
    row.locator('input[name="updated_on"]').fill(today.isoformat())
    row.locator('textarea[name="note"]').fill("Đã sửa quy trình đăng ký khai sinh QT-HT-01.")
    row.locator("button >> text=Ghi nhận việc cập nhật").click()
    assert "Đã ghi nhận việc cập nhật." in officer.locator(".messages").inner_text()
    assert "Cập nhật đúng hạn" in officer.locator("#legal-changes").inner_text()

    # The first commune says the change does not apply to it; the Sở accepts.
    commune = page_factory()
    login(commune, "xa1_officer")
    commune.goto(f"/agencies/{communes[0].pk}/qms/#legal-changes")
    row = commune.locator("#legal-changes tbody tr").first
    row.locator("summary >> text=Văn bản không áp dụng đối với cơ quan").click()
    row.locator('textarea[name="reason"]').fill("Xã đã chuyển đăng ký hộ tịch về Trung tâm Phục vụ hành chính công.")
    row.locator("button >> text=Gửi Sở").click()
    assert "Đang chờ Sở xem xét" in commune.locator("#legal-changes").inner_text()
    shot(commune, "legal-change-declared")

    sở.reload()
    sở.select_option("#h-claims ~ form select[name=accept]", "1")
    sở.click("text=Ghi nhận quyết định")
    summary = sở.locator("#h-summary + p").inner_text()
    assert "Cập nhật đúng hạn 1" in summary and "Không áp dụng 1" in summary and "Chưa đến hạn 2" in summary
    shot(sở, "legal-change-summary")

    # Another province's inspector does not see it.
    other = page_factory()
    login(other, "cb_inspector")
    assert other.goto(sở.url).status == 404
