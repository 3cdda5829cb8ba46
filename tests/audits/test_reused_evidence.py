"""The evidence of a response that was not accepted is offered again with the next response (ticked), instead of the
agency uploading every file again: the new response sends the same stored files (no bytes copied) and the refused
response keeps its own, still readable there."""

import re

import pytest

from audits import services
from audits.models import FindingEvidence, FindingResponse, FindingStatus, ResponseOutcome
from qms_portal.models import StoredFile
from tests.audits.conftest import SIGNED_ON, build_world, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def refused(cast):
    """STP answered with two files; the inspector did not accept it."""
    world = build_world(cast)
    finding = world.findings["ag_stp"]
    services.finding_respond(actor=cast.users["ag_officer"], finding=finding, action_taken="Đã họp xem xét.",
                             files=[pdf_upload("bien-ban-hop.pdf"), pdf_upload("quyet-dinh.pdf")])
    services.finding_reject(actor=cast.users["ag_inspector"], finding=finding, reason="Thiếu chữ ký.",
                            today=SIGNED_ON)
    world.findings["ag_stp"].refresh_from_db()
    return world


def test_the_next_response_offers_the_refused_files_ticked_and_sends_them_without_copying(cast, client, refused):
    finding = refused.findings["ag_stp"]
    old = list(FindingEvidence.objects.filter(finding=finding).order_by("pk"))
    client.force_login(cast.users["ag_officer"])
    page = client.get(f"/findings/{finding.pk}/").content.decode()
    ticked = {int(n) for n in re.findall(r'name="respond-keep" value="(\d+)"[^>]*checked', page)}
    assert ticked == {e.pk for e in old}  # both files, ticked
    assert "bien-ban-hop.pdf" in page and "không được chấp nhận" in page

    stored = StoredFile.objects.count()
    answer = client.post(f"/findings/{finding.pk}/respond/", {
        "respond-action_taken": "Đã bổ sung chữ ký.", "respond-keep": [old[0].pk]})  # one kept, nothing uploaded
    assert answer.status_code == 302
    assert StoredFile.objects.count() == stored  # no byte copied
    latest = FindingResponse.objects.filter(finding=finding).latest("submitted_at", "pk")
    sent = list(latest.evidence.all())
    assert [(e.file_id, e.carried_from_id) for e in sent] == [(old[0].file_id, old[0].pk)]
    # the refused response is as it was: both its files, still downloadable from it
    first = FindingResponse.objects.get(outcome=ResponseOutcome.REJECTED, finding=finding)
    assert sorted(first.evidence.values_list("pk", flat=True)) == [e.pk for e in old]
    for evidence in old:
        assert client.get(f"/findings/{finding.pk}/evidence/{evidence.pk}/").status_code == 200
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RESPONDED
    detail = client.get(f"/findings/{finding.pk}/").content.decode()
    assert "gửi lại từ phản hồi ngày" in detail


def test_unticking_every_file_and_uploading_none_is_refused(cast, client, refused):
    finding = refused.findings["ag_stp"]
    client.force_login(cast.users["ag_officer"])
    answer = client.post(f"/findings/{finding.pk}/respond/", {"respond-action_taken": "Đã bổ sung."})
    assert answer.status_code == 200
    assert "đính kèm ít nhất một tệp minh chứng." in answer.content.decode()
    assert FindingResponse.objects.filter(finding=finding).count() == 1


def test_the_api_sends_a_refused_file_again_by_its_id(cast, api, refused):
    finding = refused.findings["ag_stp"]
    old = FindingEvidence.objects.filter(finding=finding).order_by("pk").first()
    response = api.as_user(cast.users["ag_officer"]).post(f"/api/v1/findings/{finding.pk}/respond/", {
        "action_taken": "Đã bổ sung chữ ký.", "evidence": [old.pk]}, format="json")
    assert response.status_code == 200, response.content
    latest = response.json()["responses"][-1]
    assert [(e["name"], e["carried_from"]) for e in latest["evidence"]] == [("bien-ban-hop.pdf", old.pk)]
    # another finding's file is refused
    other = services.finding_evidence_add(actor=refused.users["ag_snv_officer"], finding=refused.findings["ag_snv"],
                                          uploaded=pdf_upload())
    services.finding_reject(actor=cast.users["ag_inspector"], finding=finding, reason="Vẫn thiếu.", today=SIGNED_ON)
    refused_again = api.as_user(cast.users["ag_officer"]).post(f"/api/v1/findings/{finding.pk}/respond/", {
        "action_taken": "Lần nữa.", "evidence": [other.pk]}, format="json")
    assert refused_again.status_code == 400 and "evidence" in refused_again.json()
