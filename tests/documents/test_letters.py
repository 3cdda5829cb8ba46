"""The letter that gives the agency the reason its corrective-action response is not accepted (issue 14): numbered
in the inspecting unit's register, rendered by the worker, downloadable by the agency and the Sở."""

from datetime import date

import pytest

from audits import services
from audits.models import PdfStatus, RejectionLetter
from tests.audits.conftest import build_world

from .test_proof import check_frame, keep, pdf_text

pytestmark = pytest.mark.django_db

REJECTED_ON = date(2026, 4, 20)


@pytest.fixture
def rejected(cast, django_capture_on_commit_callbacks):
    world = build_world(cast, responded=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.finding_reject(actor=cast.users["ag_inspector"], finding=world.findings["ag_stp"],
                                reason="Chưa gửi kèm biên bản họp xem xét của lãnh đạo.\nChưa nêu nguyên nhân.",
                                new_due_on=date(2026, 5, 31), today=REJECTED_ON)
    return world, RejectionLetter.objects.get()


def test_rejecting_a_response_issues_a_numbered_letter_rendered_by_the_worker(cast, rejected):
    world, letter = rejected
    # the request to report (02/02) was the unit's first letter of 2026
    assert (letter.number, letter.issued_on, letter.issuer) == ("02/CCTDC", REJECTED_ON, cast.agencies["ag_cctdc"])
    assert letter.response.outcome == "rejected" and letter.agency == cast.agencies["ag_stp"]
    letter.refresh_from_db()
    assert letter.pdf_status == PdfStatus.DONE and letter.pdf_ready  # rendered by the task, not the request
    with letter.pdf_file.file.open("rb") as handle:
        content = handle.read()
    keep("cong-van-khong-chap-nhan.pdf", content)
    text = pdf_text(content)
    check_frame(text, parent=["SỞ KHOA HỌC VÀ CÔNG NGHỆ"], body=["CHI CỤC TIÊU CHUẨN ĐO LƯỜNG", "CHẤT LƯỢNG"],
                number="02/CCTDC", place="An Giang", title="V/v không chấp nhận kết quả khắc phục",
                recipients=["Như trên;", "Lưu: VT, CCTDC."], capacity=["CHI CỤC TRƯỞNG"])
    flat = " ".join(text.split())
    assert "An Giang, ngày 20 tháng 4 năm 2026" in flat
    assert "Kính gửi: Sở Tư pháp." in flat
    assert "Chưa gửi kèm biên bản họp xem xét của lãnh đạo." in flat and "Chưa nêu nguyên nhân." in flat
    assert "trước ngày 31/05/2026" in flat and "BÁO CÁO" not in flat


def test_the_agency_and_the_department_download_the_letter_others_do_not(cast, rejected, client):
    world, letter = rejected
    url = f"/findings/{letter.finding_id}/letters/{letter.pk}/pdf/"
    for user, status in ((world.users["ag_stp_officer"], 200), (cast.users["ag_inspector"], 200),
                         (cast.users["ag_leader"], 200), (world.users["ag_snv_officer"], 404),
                         (cast.users["cb_inspector"], 404)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, (user.username, response.status_code)
        if status == 200:
            assert response["Content-Type"] == "application/pdf"
    client.force_login(world.users["ag_stp_officer"])
    page = client.get(f"/findings/{letter.finding_id}/").content.decode()
    assert url in page and "02/CCTDC" in page
