"""Celery tasks of the inspections app. They take ids, never objects; the services make them retry-safe."""

import logging

from celery import shared_task

from qms_portal.generated import RETRY_TRANSIENT, generation_task

logger = logging.getLogger(__name__)

@generation_task(name="audits.render_pdf")
def render_pdf(self, kind: str, pk: int, revision: int) -> bool:
    """Render the PDF of a plan, decision, record or letter (kind: plan / decision / record / letter) at
    `revision` (qms_portal.generated: claim, retries of transient errors)."""
    from .services import pdf_render

    return pdf_render(kind=kind, pk=pk, revision=revision, task=self)


@shared_task(name="audits.send_due_reminders", **RETRY_TRANSIENT)
def send_due_reminders(days_before: int | None = None) -> dict:
    """Daily (beat): findings due within `days_before` days (default: the setting, 10) and due today."""
    from .services import due_reminders_send

    return due_reminders_send(days_before=days_before)


@shared_task(name="audits.send_overdue_digest", **RETRY_TRANSIENT)
def send_overdue_digest() -> int:
    """Weekly (beat): one digest of overdue findings per inspector and per agency head."""
    from .services import overdue_digest_send

    return overdue_digest_send()


@shared_task(name="audits.notify_finding_event", **RETRY_TRANSIENT)
def notify_finding_event(event_id: int) -> int:
    from .services import finding_event_notify

    return finding_event_notify(event_id=event_id)


@shared_task(name="audits.notify_report_request", **RETRY_TRANSIENT)
def notify_report_request(request_id: int) -> int:
    from .services import report_request_notify

    return report_request_notify(request_id=request_id)


@shared_task(name="audits.notify_plan_returned", **RETRY_TRANSIENT)
def notify_plan_returned(plan_id: int, history_id: int) -> int:
    from .services.reminders import plan_returned_notify

    return plan_returned_notify(plan_id=plan_id, history_id=history_id)


@shared_task(name="audits.notify_plan_submitted", **RETRY_TRANSIENT)
def notify_plan_submitted(plan_id: int, history_id: int) -> int:
    from .services.reminders import plan_submitted_notify

    return plan_submitted_notify(plan_id=plan_id, history_id=history_id)


@shared_task(name="audits.notify_plan_approved", **RETRY_TRANSIENT)
def notify_plan_approved(plan_id: int) -> int:
    from .services.reminders import plan_approved_notify

    return plan_approved_notify(plan_id=plan_id)


@shared_task(name="audits.notify_record_signed", **RETRY_TRANSIENT)
def notify_record_signed(record_id: int) -> int:
    from .services.reminders import record_signed_notify

    return record_signed_notify(record_id=record_id)
