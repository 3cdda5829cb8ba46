"""A form posted from a tab opened before someone else acted (the request already sent, the record already signed,
the response already sent from the other tab): the service refuses, but its form is no longer on the page, so the
page came back with no word of why. The refusal is now said at the top of the page."""

import re

import pytest

from audits.models import FindingResponse
from tests.audits.conftest import SIGNED_ON, build_world, pdf_upload

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    assert response.status_code == 200
    found = re.search(r'<ul class="messages">(.*?)</ul>', response.content.decode(), re.S)
    return found.group(1) if found else ""


def test_a_request_already_sent_from_another_tab_is_said(client, cast):
    world = build_world(cast, sign=False)
    inspection = world.inspections["ag_stp"]
    client.force_login(cast.users["ag_inspector"])
    response = client.post(f"/inspections/{inspection.pk}/request/", {"request-deadline": "2026-12-31"})
    assert "Các cơ quan sau đã được đề nghị báo cáo: Sở Tư pháp." in _messages(response)


def test_a_record_already_signed_in_another_tab_is_said(client, cast):
    world = build_world(cast)
    inspection = world.inspections["ag_stp"]
    client.force_login(cast.users["ag_inspector"])
    response = client.post(f"/inspections/{inspection.pk}/sign/", {
        "sign-signed_on": SIGNED_ON.isoformat(), "sign-team_leader_name": "Lê Minh Tuấn",
        "sign-agency_representative": "Trần Văn Hùng"})
    assert "đã được ký" in _messages(response)


def test_a_response_already_sent_from_another_tab_is_said(client, cast):
    world = build_world(cast)
    finding = world.findings["ag_stp"]
    client.force_login(world.users["ag_stp_officer"])
    data = {"respond-action_taken": "Đã tổ chức họp xem xét của lãnh đạo.", "respond-files": pdf_upload()}
    assert client.post(f"/findings/{finding.pk}/respond/", data).status_code == 302
    client.get(f"/findings/{finding.pk}/")  # the first tab reads its "sent" message
    data = {"respond-action_taken": "Gửi lại từ tab khác.", "respond-files": pdf_upload()}
    text = _messages(client.post(f"/findings/{finding.pk}/respond/", data))
    assert "không ở trạng thái chờ báo cáo khắc phục" in text, text
    assert FindingResponse.objects.filter(finding=finding).count() == 1
