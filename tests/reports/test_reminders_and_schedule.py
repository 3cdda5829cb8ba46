"""Reminder e-mails before and after the deadline (once each), and the scheduled reports after a deadline."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from reports.models import AgencyReport, AgencyReportStatus, ConsolidatedReport, ReportReminder
from reports.reminders import reminders_send
from reports.scheduling import scheduled_reports_request
from reports.services import reporting_periods_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(cast):
    for key in ("ag_officer", "ag_head", "ag_inspector", "ag_leader"):
        cast.users[key].email = f"{key}@example.invalid"
        cast.users[key].save()


def test_before_the_deadline_the_agencies_not_yet_submitted_are_reminded_once(cast, reporting, emails, today):
    period = reporting["ag"]
    AgencyReport.objects.create(period=period, agency=cast.agencies["ag_snv"], status=AgencyReportStatus.SUBMITTED,
                                first_submitted_at=timezone.now())
    sent = reminders_send(today=period.deadline - timedelta(days=3))
    # Only the two STPs (An Giang's and Cao Bằng's) have staff with an e-mail address; SNV has submitted.
    assert sent["due_soon"] == 2 and sent["digest"] == 0
    message = next(m for m in mail.outbox if "ag_officer@example.invalid" in m.to)
    assert set(message.to) == {"ag_officer@example.invalid", "ag_head@example.invalid"}
    assert period.deadline.strftime("%d/%m/%Y") in message.subject and "Sở Tư pháp" in message.body
    # as every e-mail of the portal (qms_portal.mail): the portal's tag and the agency first, so that a mailbox
    # holding several agencies' mail sorts them
    assert message.subject.startswith("[HTQLCL] Sở Tư pháp: báo cáo ")
    assert reminders_send(today=period.deadline - timedelta(days=2))["due_soon"] == 0  # not twice
    assert len(mail.outbox) == 2


def test_after_the_deadline_the_missing_and_a_digest_for_the_department(cast, reporting, emails):
    period = reporting["ag"]
    sent = reminders_send(today=period.deadline + timedelta(days=1))
    # Each province: its STP, and a digest to its inspector and its department leader.
    assert sent["missing"] == 2 and sent["digest"] == 4
    digest = next(m for m in mail.outbox if m.to == ["ag_inspector@example.invalid"])
    for name in ("Sở Tư pháp", "Sở Nội vụ", "Sở Khoa học và Công nghệ"):
        assert name in digest.body
    assert "/reports/periods/" in digest.body
    assert digest.subject == f"[HTQLCL] 4 cơ quan chưa nộp báo cáo {period.label}"
    missing = next(m for m in mail.outbox if "ag_officer@example.invalid" in m.to)
    assert missing.subject.startswith("[HTQLCL] Sở Tư pháp: chưa nộp báo cáo ")
    assert reminders_send(today=period.deadline + timedelta(days=1)) == {"due_soon": 0, "missing": 0, "digest": 0}
    assert ReportReminder.objects.count() == 6
    # The next week, once more.
    assert reminders_send(today=period.deadline + timedelta(days=8))["digest"] == 4


def test_a_subject_is_plain_text(cast, reporting, emails):
    """A subject is not HTML: an agency named with an ampersand keeps it (the subject templates escaped it)."""
    period = reporting["ag"]
    cast.agencies["ag_stp"].name = "Sở Tư pháp & Hộ tịch"
    cast.agencies["ag_stp"].save()
    reminders_send(today=period.deadline - timedelta(days=3))
    message = next(m for m in mail.outbox if "ag_officer@example.invalid" in m.to)
    assert message.subject.startswith("[HTQLCL] Sở Tư pháp & Hộ tịch: ") and not message.alternatives


def test_nothing_is_sent_long_before_the_deadline(cast, reporting, emails):
    assert reminders_send(today=reporting["ag"].deadline - timedelta(days=30)) == {"due_soon": 0, "missing": 0,
                                                                                   "digest": 0}


def test_after_the_deadline_the_reports_are_requested_once(cast, reporting, qms_files,
                                                           django_capture_on_commit_callbacks):
    period = reporting["ag"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ids = scheduled_reports_request(today=period.deadline + timedelta(days=1))
    kinds = set(ConsolidatedReport.objects.filter(pk__in=ids).values_list("kind", "province__code"))
    assert {("provincial", 91), ("ministry", 91), ("provincial", 4), ("ministry", 4)} <= kinds
    assert all(r.scheduled and r.requested_by is None for r in ConsolidatedReport.objects.filter(pk__in=ids))
    assert len(callbacks) == len(ids)
    with django_capture_on_commit_callbacks(execute=False):
        again = scheduled_reports_request(today=period.deadline + timedelta(days=2))
    assert not [i for i in again if ConsolidatedReport.objects.get(pk=i).kind != "national"]


def test_before_the_deadline_nothing_is_requested(cast, reporting):
    assert scheduled_reports_request(today=reporting["ag"].deadline) == []


def test_beat_schedules_are_rows_the_administrator_can_edit():
    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"reports.send_reminders", "reports.generate_scheduled", "reports.ensure_periods",
            "reports.requeue_stale"} <= tasks


def test_default_periods_are_created_once(cast, reporting):
    from agencies.models import ProvinceSettings

    assert ProvinceSettings.objects.count() == 2
    assert reporting_periods_ensure(year=2030) == 4
    assert reporting_periods_ensure(year=2030) == 0
