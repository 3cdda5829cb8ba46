"""When the inspection record is signed, its findings become the agency's to remedy within 2 months; the agency's
people used to hear of them only from the reminder 10 days before the due date. Now each of them gets one e-mail
listing the findings with their due dates and links to them, once, whatever the retries."""

import pytest
from django.core import mail
from django.test import override_settings

from audits import services
from audits.services.reminders import record_signed_notify
from tests.audits.conftest import SIGNED_ON, build_world

pytestmark = pytest.mark.django_db


@override_settings(PORTAL_BASE_URL="https://qms.example.vn")
def test_the_agency_is_told_its_findings_when_the_record_is_signed(cast, django_capture_on_commit_callbacks):
    world = build_world(cast, sign=False)
    inspection, finding = world.inspections["ag_stp"], world.findings["ag_stp"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        record = services.record_sign(actor=cast.users["ag_inspector"], inspection=inspection, signed_on=SIGNED_ON,
                                      today=SIGNED_ON)
    agency_people = {cast.users["ag_officer"].email, cast.users["ag_head"].email, world.users["ag_stp_officer"].email}
    sent = [m for m in mail.outbox if set(m.to) & agency_people]
    assert sorted(a for m in sent for a in m.to) == sorted(agency_people)  # one e-mail each
    assert not [m for m in mail.outbox if cast.users["ag_inspector"].email in m.to]
    message = sent[0]
    assert record.number in message.subject and "Sở Tư pháp" in message.subject
    assert f"https://qms.example.vn/findings/{finding.pk}/" in message.body
    assert "10/05/2026" in message.body  # the due date: 2 months after signing
    assert "https://qms.example.vn/findings/mine/" in message.body

    assert record_signed_notify(record_id=record.pk) == 0  # a retried task sends nothing twice
    assert len(mail.outbox) == len(sent)
