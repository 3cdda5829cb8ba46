from celery import shared_task


@shared_task(name="qms_portal.run_import", acks_late=True, soft_time_limit=600, time_limit=660)
def run_import(job_id: int) -> str:
    from .services import import_job_run

    return import_job_run(job_id=job_id)
