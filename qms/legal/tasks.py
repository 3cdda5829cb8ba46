from celery import shared_task


@shared_task(name="qms.legal_change_targets", acks_late=True, soft_time_limit=600, time_limit=660)
def compute_targets(change_id: int) -> int:
    from .services import legal_change_compute_targets

    return legal_change_compute_targets(change_id=change_id)
