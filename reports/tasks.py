"""Celery tasks of the reports. They take ids, never objects; the claim in `generation` makes them retry-safe.

Transient errors (the database or the broker going away) are retried with exponential backoff and a cap;
anything else marks the report failed with a message the requester sees. `acks_late` (also the global
default) means a worker that dies mid-task gets its message redelivered; the claim decides what to do.
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
MAX_RETRIES = 5
BACKOFF_CAP = 300


def backoff(retries: int) -> int:
    return min(5 * 2 ** retries, BACKOFF_CAP)


@shared_task(bind=True, name="reports.generate_report", acks_late=True, max_retries=MAX_RETRIES,
             soft_time_limit=240, time_limit=280)
def generate_report(self, report_id: int) -> str:
    from . import generation

    token = generation.claim(report_id)
    if token is None:
        return "skipped"  # done, failed, or being made by a live worker
    try:
        return generation.run_claimed(report_id, token)
    except TRANSIENT as exc:
        if self.request.retries >= MAX_RETRIES:
            logger.exception("consolidated report %s: giving up after transient errors", report_id)
            generation.fail(report_id, token, generation.failure_message(exc))
            return "failed"
        generation.release(report_id, token)
        logger.warning("consolidated report %s: transient error, retrying: %s", report_id, exc)
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc
    except SoftTimeLimitExceeded as exc:
        generation.fail(report_id, token, generation.failure_message(exc))
        return "failed"
    except Exception as exc:  # a bad template or data: visible on the report, not retried
        logger.exception("consolidated report %s failed", report_id)
        generation.fail(report_id, token, generation.failure_message(exc))
        return "failed"


@shared_task(name="reports.requeue_stale", acks_late=True)
def requeue_stale() -> list[int]:
    """Every few minutes (beat): re-enqueue reports whose worker died or whose message was lost."""
    from .generation import stale_reports_requeue

    return stale_reports_requeue()


@shared_task(name="reports.generate_scheduled", acks_late=True, autoretry_for=TRANSIENT, retry_backoff=5,
             retry_backoff_max=BACKOFF_CAP, max_retries=MAX_RETRIES)
def generate_scheduled() -> list[int]:
    """Daily (beat): after each period's deadline, request the reports that are due and not issued yet."""
    from .scheduling import scheduled_reports_request

    return scheduled_reports_request()


@shared_task(name="reports.ensure_periods", acks_late=True, autoretry_for=TRANSIENT, retry_backoff=5,
             retry_backoff_max=BACKOFF_CAP, max_retries=MAX_RETRIES)
def ensure_periods(year: int | None = None) -> int:
    """Yearly (beat, 1 January) and at start-up: the default 6-month and annual periods of every province."""
    from django.utils import timezone

    from .services import reporting_periods_ensure

    return reporting_periods_ensure(year=year or timezone.localdate().year)


@shared_task(name="reports.send_reminders", acks_late=True, autoretry_for=TRANSIENT, retry_backoff=5,
             retry_backoff_max=BACKOFF_CAP, max_retries=MAX_RETRIES)
def send_reminders() -> dict:
    """Daily (beat): before the deadline to agencies that have not submitted; after it, to the missing ones and
    a digest to the province's inspectors and department leaders."""
    from .reminders import reminders_send

    return reminders_send()


@shared_task(name="reports.render_agency_report", acks_late=True, autoretry_for=TRANSIENT, retry_backoff=5,
             retry_backoff_max=BACKOFF_CAP, max_retries=MAX_RETRIES)
def render_agency_report(report_id: int, revision: int) -> bool:
    """The PDF of a submitted agency report, issued by the agency (reports.agency_printing)."""
    from .agency_printing import agency_report_pdf_render

    return agency_report_pdf_render(pk=report_id, revision=revision)
