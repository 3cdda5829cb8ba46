"""Ask for, make, read and remove export jobs."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from qms_portal import generated
from qms_portal.files import stored_bytes_create
from qms_portal.models import ExportJob, JobStatus, StoredFile

from .base import REGISTRY, Exporter

logger = logging.getLogger(__name__)

ROWS_PER_SECOND = 5000  # about what openpyxl writes a second on one core: the progress bar's estimate


def exporter_for(kind: str) -> Exporter:
    try:
        return REGISTRY[kind]
    except KeyError:
        raise Http404 from None


def export_request(*, actor, kind: str, params: dict, rows: int) -> ExportJob:
    """Keep a job for the worker, or give back the same one still waiting or running (a second click)."""
    from .tasks import make_export

    exporter_for(kind).authorize(actor=actor)
    with transaction.atomic():
        waiting = ExportJob.objects.filter(created_by=actor, kind=kind, params=params,
                                           status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).first()
        if waiting is not None:
            return waiting
        job = ExportJob.objects.create(kind=kind, params=params, rows=rows, created_by=actor)
        generated.dispatch_on_commit(make_export, job.pk)
    return job


def export_job_get(*, user, pk: int) -> ExportJob:
    """The user's own job; anyone else's is not found."""
    try:
        return ExportJob.objects.select_related("file").get(pk=pk, created_by=user)
    except ExportJob.DoesNotExist:
        raise Http404 from None


def export_progress(job: ExportJob, *, now=None) -> int:
    """5 % queued, then an estimate from the rows and the time since the worker began, at most 95 % before done."""
    if job.status == JobStatus.DONE:
        return 100
    if job.status == JobStatus.RUNNING and job.started_at:
        return generated.running_progress(job.started_at, max(2.0, job.rows / ROWS_PER_SECOND), now=now)
    return 5 if job.status == JobStatus.QUEUED else 0


def _failure(exc: BaseException) -> str:
    if isinstance(exc, PermissionDenied):
        return str(_("Your account may no longer export this list (its role, scope or state changed since you "
                     "asked). Ask for it again, or ask your administrator."))
    return generated.failure_text(exc)


def export_make(*, job_id: int, task=None) -> str:
    """Write the file of job `job_id` with the rights its owner has now: "done", "skipped" or "failed"."""
    job = ExportJob.job(job_id)

    def produce(token) -> None:
        row = ExportJob.objects.select_related("created_by").get(pk=job_id)
        owner, exporter = row.created_by, exporter_for(row.kind)
        if not owner.is_active:
            raise PermissionDenied
        exporter.authorize(actor=owner)
        content, name = exporter.make(actor=owner, params=row.params)
        with transaction.atomic():
            job.lock(token)
            stored = stored_bytes_create(content=content, name=name, kind=exporter.extension, actor=owner)
            job.finish(token, file=stored)

    return generated.generate(job, produce, task=task, failure_message=_failure)


def exports_tidy(*, now=None) -> dict:
    """Every quarter of an hour (beat): send again the jobs whose worker died or whose message was lost, and remove
    the jobs older than `EXPORT_KEEP_HOURS` with their files."""
    from .tasks import make_export

    now = now or timezone.now()
    lost = ExportJob.objects.filter(status=JobStatus.QUEUED, created_at__lt=now - generated.STALE_AFTER)
    resent = list((generated.stale(ExportJob, now=now) | lost).values_list("pk", flat=True))
    for pk in resent:
        make_export.delay(pk)
    old = ExportJob.objects.filter(created_at__lt=now - timedelta(hours=settings.EXPORT_KEEP_HOURS))
    old = old.filter(~Q(status=JobStatus.RUNNING) | Q(heartbeat_at__lt=now - generated.STALE_AFTER))
    with transaction.atomic():
        file_ids = list(old.exclude(file=None).values_list("file_id", flat=True))
        removed, _counts = old.delete()
        files = list(StoredFile.objects.filter(pk__in=file_ids))
        StoredFile.objects.filter(pk__in=file_ids).delete()
        # The files leave the storage once the rows that name them are gone for good.
        transaction.on_commit(lambda: [stored.file.delete(save=False) for stored in files])
    if resent or removed:
        logger.info("exports: %s sent again, %s removed", len(resent), removed)
    return {"resent": resent, "removed": removed}
