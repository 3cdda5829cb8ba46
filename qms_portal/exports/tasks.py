from celery import shared_task

from qms_portal.generated import RETRY_TRANSIENT, generation_task


@generation_task(name="qms_portal.make_export")
def make_export(self, job_id: int) -> str:
    """Write the file of an export job (qms_portal.generated: claim, retries of transient errors)."""
    from .services import export_make

    return export_make(job_id=job_id, task=self)


@shared_task(name="qms_portal.exports_tidy", **RETRY_TRANSIENT)
def exports_tidy() -> dict:
    """Beat: lost jobs sent again, old jobs and their files removed."""
    from .services import exports_tidy as tidy

    return tidy()
