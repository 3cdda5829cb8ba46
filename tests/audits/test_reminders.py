"""E-mail reminders: before and on the due date, the weekly overdue digest, notices of what happened.

Time is frozen by passing `today=` to the services. One e-mail per person per batch, never one per finding;
running a batch twice sends nothing twice.
"""

from datetime import date

import pytest

from audits import services
from audits.models import FindingClass, ReminderLog
from tests.audits.conftest import SIGNED_ON, VISIT_ON, build_world, respond

pytestmark = pytest.mark.django_db

DUE = date(2026, 5, 10)
MONDAY = date(2026, 5, 18)


@pytest.fixture
def reminder_world(cast):
    """Every province's STP and SNV inspected; STP of An Giang has two findings."""
    world = build_world(cast, sign=False)
    inspection = world.inspections["ag_stp"]
    world.findings["ag_stp_2"] = services.finding_create(
        actor=cast.users["ag_inspector"], inspection=inspection,
        checklist_item=world.items(inspection)["complaints-handled"],
        classification=FindingClass.objects.get(code="observation"),
        description="Sổ theo dõi khiếu nại chưa cập nhật.", today=VISIT_ON)
    for key, inspection in world.inspections.items():
        services.record_sign(actor=cast.users[f"{key[:2]}_inspector"], inspection=inspection, signed_on=SIGNED_ON,
                             today=SIGNED_ON)
    for finding in world.findings.values():
        finding.refresh_from_db()
    return world


def by_recipient(outbox) -> dict:
    result = {}
    for message in outbox:
        assert len(message.to) == 1
        assert message.to[0] not in result, f"two e-mails to {message.to[0]}"
        result[message.to[0]] = message
    return result


def test_due_soon_one_email_per_person_listing_the_agency_findings(reminder_world, mailoutbox):
    sent = services.due_reminders_send(today=date(2026, 4, 30))
    assert sent == {"due_soon": 8, "due_today": 0}
    mails = by_recipient(mailoutbox)
    assert set(mails) == {"ag_officer@example.invalid", "ag_head@example.invalid", "ag_stp_officer@example.invalid",
                          "ag_snv_officer@example.invalid", "cb_officer@example.invalid", "cb_head@example.invalid",
                          "cb_stp_officer@example.invalid", "cb_snv_officer@example.invalid"}
    stp = mails["ag_officer@example.invalid"]
    assert "Sở Tư pháp" in stp.subject and "2" in stp.subject
    assert "Chưa tổ chức xem xét của lãnh đạo" in stp.body and "Sổ theo dõi khiếu nại" in stp.body
    assert "10/05/2026" in stp.body and "/findings/" in stp.body
    html, mime = stp.alternatives[0]
    assert mime == "text/html" and "<table" in html and "Sở Tư pháp" in html
    assert "Sở Nội vụ" not in stp.body  # another agency's findings never leak in


def test_reminders_are_not_sent_twice(reminder_world, mailoutbox):
    services.due_reminders_send(today=date(2026, 4, 30))
    first = len(mailoutbox)
    assert services.due_reminders_send(today=date(2026, 4, 30)) == {"due_soon": 0, "due_today": 0}
    assert services.due_reminders_send(today=date(2026, 5, 2)) == {"due_soon": 0, "due_today": 0}
    assert len(mailoutbox) == first
    assert ReminderLog.objects.filter(kind="due_soon").count() == 5  # one line per finding


def test_window_follows_the_setting(reminder_world, mailoutbox, settings):
    settings.AUDITS_REMINDER_DAYS_BEFORE = 5
    assert services.due_reminders_send(today=date(2026, 4, 30))["due_soon"] == 0
    assert services.due_reminders_send(today=date(2026, 5, 5))["due_soon"] == 8
    assert services.due_reminders_send(today=date(2026, 4, 1), days_before=50) == {"due_soon": 0, "due_today": 0}


def test_due_today_and_not_for_answered_findings(reminder_world, mailoutbox):
    respond(reminder_world, "cb_stp")
    respond(reminder_world, "cb_snv")
    sent = services.due_reminders_send(today=DUE)
    assert sent == {"due_soon": 0, "due_today": 4}
    assert all("cb_" not in m.to[0] for m in mailoutbox)
    assert "10/05/2026" in mailoutbox[0].body
    assert ReminderLog.objects.filter(kind="due_today").count() == 3  # the three An Giang findings


def test_weekly_digest(reminder_world, mailoutbox):
    cast = reminder_world.cast
    cast.agencies["ag_snv"].email = "snv@angiang.gov.vn"
    cast.agencies["ag_snv"].save()
    services.finding_accept(actor=cast.users["cb_inspector"], finding=respond(reminder_world, "cb_snv").finding,
                            today=MONDAY)  # accepted by the digest's day
    sent = services.overdue_digest_send(today=MONDAY)
    mails = by_recipient(mailoutbox)
    assert sent == 5 and set(mails) == {"ag_inspector@example.invalid", "cb_inspector@example.invalid",
                                        "ag_head@example.invalid", "cb_head@example.invalid", "snv@angiang.gov.vn"}
    inspector = mails["ag_inspector@example.invalid"]
    assert "An Giang" in inspector.subject and "3" in inspector.subject
    assert "Sở Tư pháp" in inspector.body and "Sở Nội vụ" in inspector.body and "Cao Bằng" not in inspector.body
    assert "8 days overdue" in inspector.body or "8 ngày" in inspector.body
    head = mails["ag_head@example.invalid"]
    assert "Sở Tư pháp" in head.body and "Sở Nội vụ" not in head.body
    cb_inspector = mails["cb_inspector@example.invalid"]
    assert "1" in cb_inspector.subject and "Sở Tư pháp" in cb_inspector.body  # the accepted one is gone
    # the same week again: nothing; the next week: the digest again
    assert services.overdue_digest_send(today=date(2026, 5, 20)) == 0
    assert services.overdue_digest_send(today=date(2026, 5, 25)) == 5


def test_the_digest_counts_what_the_board_counts(reminder_world, mailoutbox):
    """Overdue until a response is accepted (`finding_overdue_on`): a response waiting for review is still in the
    inspectors' digest (it was left out, so the digest said fewer than the board its link opens)."""
    from audits.selectors import findings_board

    respond(reminder_world, "ag_snv")  # answered, not reviewed yet: the inspectors' to act on
    assert services.overdue_digest_send(today=MONDAY) == 4  # the two provinces' inspectors and heads
    inspector = by_recipient(mailoutbox)["ag_inspector@example.invalid"]
    board = sum(row["overdue"] for row in findings_board(user=reminder_world.cast.users["ag_inspector"],
                                                         today=MONDAY)[0:100])
    assert board == 3 and f"An Giang: {board} " in inspector.subject and "Sở Nội vụ" in inspector.body


def test_no_digest_when_nothing_is_overdue(reminder_world, mailoutbox):
    assert services.overdue_digest_send(today=DUE) == 0
    assert mailoutbox == []


def test_respond_and_decisions_are_notified(reminder_world, mailoutbox, django_capture_on_commit_callbacks):
    cast = reminder_world.cast
    with django_capture_on_commit_callbacks(execute=True):
        response = respond(reminder_world, "ag_snv")
    assert [m.to for m in mailoutbox] == [["ag_inspector@example.invalid"]]
    assert "Đã tổ chức xem xét của lãnh đạo." in mailoutbox[0].body
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.finding_reject(actor=cast.users["ag_inspector"], finding=response.finding,
                                reason="Biên bản họp chưa có chữ ký", new_due_on=date(2030, 1, 31))
    assert [m.to for m in mailoutbox] == [["ag_snv_officer@example.invalid"]]
    assert "Biên bản họp chưa có chữ ký" in mailoutbox[0].body and "31/01/2030" in mailoutbox[0].body


def test_beat_schedules_are_editable_rows():
    from django_celery_beat.models import PeriodicTask

    from qms_portal.celery import app

    tasks = {t.task: t for t in PeriodicTask.objects.filter(task__startswith="audits.")}
    assert set(tasks) == {"audits.send_due_reminders", "audits.send_overdue_digest"}
    assert tasks["audits.send_overdue_digest"].crontab.day_of_week == "1"
    assert str(tasks["audits.send_due_reminders"].crontab.timezone) == "Asia/Ho_Chi_Minh"
    assert tasks["audits.send_due_reminders"].enabled
    app.loader.import_default_modules()
    assert {"audits.send_due_reminders", "audits.send_overdue_digest", "audits.render_pdf"} <= set(app.tasks)


def test_beat_tasks_run(reminder_world, mailoutbox, monkeypatch):
    from audits import tasks

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 4, 30))
    assert tasks.send_due_reminders.delay().get() == {"due_soon": 8, "due_today": 0}
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: MONDAY)
    assert tasks.send_overdue_digest.delay().get() == 4


def test_a_report_request_gone_before_the_worker_notifies_nobody(cast, mailoutbox, caplog):
    """The task runs after the request's transaction; if the request is gone by then (a reset of the data, a
    rollback), it tells nobody and says so, instead of failing and being retried."""
    from audits.models import ReportRequest

    build_world(cast, sign=False)
    request = ReportRequest.objects.filter(province=cast.provinces["ag"]).first()
    assert services.report_request_notify(request_id=request.pk) > 0 and mailoutbox
    mailoutbox.clear()
    gone = ReportRequest.objects.order_by("-pk").values_list("pk", flat=True).first() + 1
    assert services.report_request_notify(request_id=gone) == 0
    assert not mailoutbox and f"report request {gone} no longer exists" in caplog.text
