"""Celery tasks of the reports. They take ids, never objects; the claim in `generation` makes them retry-safe.

The documents' tasks share one lifecycle (qms_portal.generated: claim, heartbeat, retries of transient errors
with backoff, failure visible on the row); the periodic ones retry transient errors with the same backoff.
"""

from celery import shared_task

from qms_portal.generated import RETRY_TRANSIENT, generation_task


@generation_task(name="reports.generate_report")
def generate_report(self, report_id: int) -> str:
    """Compile one consolidated report (reports.generation; the lifecycle is qms_portal.generated's)."""
    from .generation import report_generate

    return report_generate(report_id=report_id, task=self)


@shared_task(name="reports.requeue_stale", acks_late=True)
def requeue_stale() -> list[int]:
    """Every few minutes (beat): re-enqueue reports whose worker died or whose message was lost."""
    from .generation import stale_reports_requeue

    return stale_reports_requeue()


@shared_task(name="reports.generate_scheduled", **RETRY_TRANSIENT)
def generate_scheduled() -> list[int]:
    """Daily (beat): after each period's deadline, request the reports that are due and not issued yet."""
    from .scheduling import scheduled_reports_request

    return scheduled_reports_request()


@shared_task(name="reports.ensure_periods", **RETRY_TRANSIENT)
def ensure_periods(year: int | None = None) -> int:
    """Yearly (beat, 1 January) and at start-up: the default 6-month and annual periods of every province."""
    from django.utils import timezone

    from .services import reporting_periods_ensure

    return reporting_periods_ensure(year=year or timezone.localdate().year)


@shared_task(name="reports.send_reminders", **RETRY_TRANSIENT)
def send_reminders() -> dict:
    """Daily (beat): before the deadline to agencies that have not submitted; after it, to the missing ones and
    a digest to the province's inspectors and department leaders."""
    from .reminders import reminders_send

    return reminders_send()


@generation_task(name="reports.render_agency_report")
def render_agency_report(self, report_id: int, revision: int) -> bool:
    """The PDF of a submitted agency report, issued by the agency (reports.agency_printing)."""
    from .agency_printing import agency_report_pdf_render

    return agency_report_pdf_render(pk=report_id, revision=revision, task=self)
