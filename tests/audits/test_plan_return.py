"""A plan the leader sends back: the inspectors who open it again see who returned it, when and why (it used to
be a draft like any other, the reason kept only in the history), and are told by e-mail, with a link to the plan."""

import pytest
from django.core import mail
from django.test import override_settings

from audits import services
from qms_portal.people import person_name
from tests.audits.conftest import SUBMITTED_ON, draft_plan

pytestmark = pytest.mark.django_db

REASON = "Bổ sung kinh phí cho các cuộc kiểm tra trực tiếp; rà soát lại thời gian dự kiến quý IV."


@override_settings(PORTAL_BASE_URL="https://qms.example.vn")
def test_a_returned_plan_says_who_returned_it_and_why(client, units, django_capture_on_commit_callbacks):
    cast = units
    plan = draft_plan(cast, "ag")
    services.plan_submit(actor=cast.users["ag_inspector"], plan=plan, today=SUBMITTED_ON)
    client.force_login(cast.users["ag_leader"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/inspections/plans/{plan.pk}/return/", {"return-reason": REASON})
    assert response.status_code == 302

    client.force_login(cast.users["ag_inspector"])
    page = client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    leader = cast.users["ag_leader"]
    assert "Lãnh đạo đã trả lại kế hoạch" in page and REASON in page
    assert person_name(leader) in page

    to_inspector = [m for m in mail.outbox if cast.users["ag_inspector"].email in m.to]
    assert len(to_inspector) == 1
    message = to_inspector[0]
    assert "trả lại" in message.subject and REASON in message.body
    assert f"https://qms.example.vn/inspections/plans/{plan.pk}/" in message.body

    # submitted again: no longer "returned"
    services.plan_submit(actor=cast.users["ag_inspector"], plan=plan, today=SUBMITTED_ON)
    page = client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    assert "Lãnh đạo đã trả lại kế hoạch" not in page
