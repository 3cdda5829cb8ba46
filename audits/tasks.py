"""Celery tasks of the inspections app. They take ids, never objects; the services make them retry-safe."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError)
RETRY = {"autoretry_for": TRANSIENT, "retry_backoff": 5, "retry_backoff_max": 300, "max_retries": 5,
         "retry_jitter": True}


@shared_task(name="audits.render_pdf", acks_late=True, **RETRY)
def render_pdf(kind: str, pk: int, revision: int) -> bool:
    """Render the PDF of a plan, decision or record (kind: plan / decision / record) at `revision`."""
    from .services import pdf_render

    return pdf_render(kind=kind, pk=pk, revision=revision)


@shared_task(name="audits.send_due_reminders", acks_late=True, **RETRY)
def send_due_reminders(days_before: int | None = None) -> dict:
    """Daily (beat): findings due within `days_before` days (default: the setting, 10) and due today."""
    from .services import due_reminders_send

    return due_reminders_send(days_before=days_before)


@shared_task(name="audits.send_overdue_digest", acks_late=True, **RETRY)
def send_overdue_digest() -> int:
    """Weekly (beat): one digest of overdue findings per inspector and per agency head."""
    from .services import overdue_digest_send

    return overdue_digest_send()


@shared_task(name="audits.notify_finding_event", acks_late=True, **RETRY)
def notify_finding_event(event_id: int) -> int:
    from .services import finding_event_notify

    return finding_event_notify(event_id=event_id)


@shared_task(name="audits.notify_report_request", acks_late=True, **RETRY)
def notify_report_request(request_id: int) -> int:
    from .services import report_request_notify

    return report_request_notify(request_id=request_id)
