"""A response refused after the due date, without a new one: the e-mail told the agency to send a new response
"by" a day already past. It now says the due date has passed and to answer as soon as possible, as the agency's
own list does; with a new due date, it gives that date."""

from datetime import timedelta

import pytest
from django.core import mail

from audits import services
from audits.services.reminders import finding_event_notify
from tests.audits.conftest import DEFAULT_DUE, build_world, respond

pytestmark = pytest.mark.django_db


def _notice(world, finding, **kwargs):
    mail.outbox.clear()
    finding = services.finding_reject(actor=world.cast.users["ag_inspector"], finding=finding,
                                      reason="Chưa có biên bản họp.", **kwargs)
    event = finding.events.filter(kind="rejected").latest("at")
    finding_event_notify(event_id=event.pk)
    return mail.outbox[0].body


def test_a_refusal_after_the_due_date_does_not_give_a_past_date(cast):
    world = build_world(cast)
    finding = world.findings["ag_stp"]
    respond(world, "ag_stp")
    late = DEFAULT_DUE + timedelta(days=20)
    body = _notice(world, finding, today=late)
    assert f"trước ngày {DEFAULT_DUE:%d/%m/%Y}" not in body
    assert f"Thời hạn khắc phục ({DEFAULT_DUE:%d/%m/%Y}) đã qua" in body

    respond(world, "ag_stp")
    new_due = late + timedelta(days=30)
    body = _notice(world, finding, today=late, new_due_on=new_due)
    assert f"trước ngày {new_due:%d/%m/%Y}" in body
