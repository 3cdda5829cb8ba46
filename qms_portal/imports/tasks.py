from celery import shared_task

from qms_portal.generated import RETRY_TRANSIENT


# A transient error (the database or the broker went away) puts the job back in the queue and is retried with
# backoff; any other error fails the job with a message (imports.services.import_job_run).
@shared_task(name="qms_portal.run_import", soft_time_limit=600, time_limit=660, **RETRY_TRANSIENT)
def run_import(job_id: int) -> str:
    from .services import import_job_run

    return import_job_run(job_id=job_id)
