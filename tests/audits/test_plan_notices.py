"""A plan submitted for approval, and a plan approved, e-mailed nobody (only a returned plan did): the leader had to
open the portal to find a plan waiting, and the agencies learnt of their inspection from the request to report.
Now, from the worker once the transaction has committed, and once per person whatever the retries:

- submitted: the people who may approve it (the `plan.approve` capability, in the plan's province) get a link;
- approved: the province's inspectors (those told of a return) are told, and each agency of the plan is told that
  its inspection is planned, with its form, its expected period and the inspecting unit.
"""

import pytest
from django.core import mail
from django.test import override_settings

from agencies.access import CAPABILITIES
from agencies.models import Role
from audits import services
from audits.models import Inspection, InspectionPlan
from audits.services.reminders import plan_approved_notify, plan_submitted_notify
from tests.audits.conftest import APPROVED_ON, SUBMITTED_ON, approved_plan, draft_plan
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE = "https://qms.example.vn"


def _to(user):
    return [m for m in mail.outbox if user.email in m.to]


@override_settings(PORTAL_BASE_URL=BASE)
def test_a_submitted_plan_is_sent_to_those_who_may_approve_it(units, django_capture_on_commit_callbacks):
    cast = units
    assert CAPABILITIES["plan.approve"] == {Role.DEPARTMENT_LEADER}  # who the e-mail goes to, read from the table
    second = UserFactory(username="ag_leader_2")
    MembershipFactory(user=second, role=Role.DEPARTMENT_LEADER, province=cast.provinces["ag"])
    no_mail = UserFactory(username="ag_leader_3", email="")
    MembershipFactory(user=no_mail, role=Role.DEPARTMENT_LEADER, province=cast.provinces["ag"])
    plan = draft_plan(cast, "ag")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.plan_submit(actor=cast.users["ag_inspector"], plan=plan, today=SUBMITTED_ON)
    assert not mail.outbox  # nothing before the commit
    for callback in callbacks:
        callback()

    leaders = [cast.users["ag_leader"], second]
    assert sorted(a for m in mail.outbox for a in m.to) == sorted(u.email for u in leaders)  # one each, no one else
    message = _to(cast.users["ag_leader"])[0]
    plan.refresh_from_db()
    assert "2026" in message.subject and "An Giang" in message.subject and "phê duyệt" in message.subject
    assert f"{BASE}/inspections/plans/{plan.pk}/" in message.body
    assert plan.number in message.body and "trong kế hoạch: 4; trong đó kiểm tra trực tiếp: 2" in message.body
    html = message.alternatives[0][0]
    assert f'href="{BASE}/inspections/plans/{plan.pk}/"' in html

    history_id = plan.history.latest().history_id
    assert plan_submitted_notify(plan_id=plan.pk, history_id=history_id) == 0  # a retried task sends nothing twice
    assert len(mail.outbox) == 2


@override_settings(PORTAL_BASE_URL=BASE)
def test_a_plan_submitted_again_after_a_return_is_sent_again(units, django_capture_on_commit_callbacks):
    cast = units
    plan = draft_plan(cast, "ag")
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_submit(actor=cast.users["ag_inspector"], plan=plan, today=SUBMITTED_ON)
        services.plan_return(actor=cast.users["ag_leader"], plan=plan, reason="Bổ sung kinh phí.")
        services.plan_submit(actor=cast.users["ag_inspector"], plan=plan, today=SUBMITTED_ON)
    assert len(_to(cast.users["ag_leader"])) == 2
    assert not _to(cast.users["cb_leader"])


@override_settings(PORTAL_BASE_URL=BASE)
def test_an_approved_plan_is_told_to_the_inspectors_and_to_each_agency(units, django_capture_on_commit_callbacks,
                                                                      caplog):
    cast = units
    cast.agencies["ag_snv"].email = "vanthu@snv.angiang.gov.vn"  # nobody of its own in the portal: its address
    cast.agencies["ag_snv"].save()
    plan = draft_plan(cast, "ag")
    services.plan_submit(actor=cast.users["ag_inspector"], plan=plan, today=SUBMITTED_ON)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), caplog.at_level("WARNING", logger="audits"):
        services.plan_approve(actor=cast.users["ag_leader"], plan=plan, approval_number="215/QĐ-UBND",
                              approval_date=APPROVED_ON, today=APPROVED_ON)
    plan = InspectionPlan.objects.get(pk=plan.pk)
    # the agencies nobody could be told of are named in one line for the plan (not one per agency: a hundred in a plan)
    unreached = [r.getMessage() for r in caplog.records if "not announced" in r.getMessage()]
    assert len(unreached) == 1 and "2 agencies" in unreached[0], unreached

    to_inspector = _to(cast.users["ag_inspector"])
    assert len(to_inspector) == 1
    assert "phê duyệt" in to_inspector[0].subject and "215/QĐ-UBND" in to_inspector[0].body
    assert "15/01/2026" in to_inspector[0].body and f"{BASE}/inspections/plans/{plan.pk}/" in to_inspector[0].body
    assert not _to(cast.users["cb_inspector"]) and not _to(cast.users["ag_leader"])

    # STP's officer and head (its people in the portal), SNV's official address; UBND and SKHCN have neither
    stp = Inspection.objects.get(plan=plan, agency=cast.agencies["ag_stp"])
    for user in (cast.users["ag_officer"], cast.users["ag_head"]):
        sent = _to(user)
        assert len(sent) == 1, user
        body = sent[0].body
        assert "Sở Tư pháp" in sent[0].subject and "2026" in sent[0].subject
        assert "Sở Tư pháp" in body and "Trực tiếp tại cơ quan" in body
        assert "09/03/2026" in body and "13/03/2026" in body  # the expected period of its entry
        assert "Chi cục Tiêu chuẩn Đo lường Chất lượng" in body and "Sở Nội vụ" in body  # inspecting, cooperating
        assert "215/QĐ-UBND" in body and f"{BASE}/inspections/{stp.pk}/" in body
    snv = [m for m in mail.outbox if "vanthu@snv.angiang.gov.vn" in m.to]
    assert len(snv) == 1 and "Sở Nội vụ" in snv[0].subject
    total = len(mail.outbox)
    assert total == 4  # the inspector, STP's two people, SNV's address

    assert plan_approved_notify(plan_id=plan.pk) == 0  # a retried task sends nothing twice
    assert len(mail.outbox) == total


def test_the_link_in_the_agency_notice_opens_for_the_agency(client, units):
    cast = units
    plan = approved_plan(cast, "ag")
    stp = Inspection.objects.get(plan=plan, agency=cast.agencies["ag_stp"])
    client.force_login(cast.users["ag_officer"])
    assert client.get(f"/inspections/{stp.pk}/").status_code == 200


def test_a_failed_send_is_sent_by_the_retry_to_those_not_reached(units, monkeypatch):
    """A send that fails leaves its claim rolled back: the retry reaches that person, and nobody twice."""
    from audits.services import reminders

    cast = units
    plan = approved_plan(cast, "ag")
    real = reminders.send_templated
    failing = cast.users["ag_head"].email

    def flaky(*, template, context, to):
        if failing in to:
            raise ConnectionError("SMTP down")
        real(template=template, context=context, to=to)

    mail.outbox.clear()
    monkeypatch.setattr(reminders, "send_templated", flaky)
    with pytest.raises(ConnectionError):
        plan_approved_notify(plan_id=plan.pk)
    first = sorted(a for m in mail.outbox for a in m.to)
    monkeypatch.setattr(reminders, "send_templated", real)
    plan_approved_notify(plan_id=plan.pk)
    everyone = sorted(a for m in mail.outbox for a in m.to)
    assert failing in everyone and failing not in first
    assert len(everyone) == len(set(everyone)) == 3  # the inspector, the officer, the head: each once


def test_a_plan_not_submitted_or_not_approved_any_more_is_not_announced(units):
    cast = units
    plan = draft_plan(cast, "ag")
    assert plan_approved_notify(plan_id=plan.pk) == 0  # a draft: nothing approved to announce
    assert plan_submitted_notify(plan_id=plan.pk, history_id=plan.history.latest().history_id) == 0
    assert plan_submitted_notify(plan_id=0, history_id=0) == 0  # gone
    assert not mail.outbox
