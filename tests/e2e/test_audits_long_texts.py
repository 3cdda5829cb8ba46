"""What people paste into findings and responses: a link to the agency's web page, a file path, a long code with no
space. On a 375 px phone the pages of the finding, the agency's list, the board and the inspection wrap it
instead of scrolling sideways."""

import pytest

from audits import services
from audits.models import InspectionRecord
from tests.audits.conftest import SIGNED_ON, build_world, pdf_upload
from tests.e2e.conftest import login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LINK = "https://sotuphap.angiang.gov.vn/documents/" + "quyet-dinh-cong-bo-he-thong-quan-ly-chat-luong-" * 4 + "2026.pdf"
PHONE = 375


def _width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_long_unbroken_texts_wrap_on_a_phone(page_factory, cast):
    world = build_world(cast, sign=False)
    inspection, finding = world.inspections["ag_stp"], world.findings["ag_stp"]
    inspector = cast.users["ag_inspector"]
    services.finding_update(actor=inspector, finding=finding, data={
        "description": f"Chưa công bố lại trên trang thông tin điện tử: {LINK}", "clause": "4.3"})
    services.record_save(actor=inspector, inspection=inspection, results=[
        {"item": "complaints-handled", "result": "partly", "notes": f"Xem {LINK}"}])
    services.record_sign(actor=inspector, inspection=inspection, signed_on=SIGNED_ON, today=SIGNED_ON)
    services.finding_respond(actor=world.users["ag_stp_officer"], finding=finding, action_taken=f"Đã đăng: {LINK}",
                             cause=LINK, files=[pdf_upload("quyet-dinh-" + "cong-bo-" * 12 + ".pdf")])
    assert InspectionRecord.objects.get(inspection=inspection).signed_on

    wide = {}
    for who, username, board in (("officer", "ag_stp_officer", "/findings/mine/"),
                                 ("inspector", "ag_inspector", "/findings/")):
        page = page_factory(width=PHONE, height=800)
        login(page, username)
        for url in (f"/findings/{finding.pk}/", board, f"/inspections/{inspection.pk}/"):
            page.goto(url)
            if _width(page) > PHONE:
                wide[(who, url)] = _width(page)
        shot(page, f"phone-finding-long-texts-{who}")
    assert not wide, f"pages wider than the phone: {wide}"
