"""Start, run and read import jobs."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from qms_portal.generated import TRANSIENT
from qms_portal.models import ImportJob, ImportStatus
from qms_portal.tables import read_table

from .base import REGISTRY, Importer, ImportReport

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 100  # rows between two progress notes
STALE_AFTER = timezone.timedelta(minutes=15)  # a running job not finished by then is taken again


def importer_for(kind: str) -> Importer:
    try:
        return REGISTRY[kind]
    except KeyError:
        raise Http404 from None


def import_submit(*, actor, kind: str, params: dict, uploaded, apply: bool) -> ImportJob:
    """Read the upload (bounded), keep its rows in a job, and run it now if it is small, else in the worker."""
    importer = importer_for(kind)
    importer.authorize(actor=actor, params=params)
    rows = read_table(uploaded)
    if len(rows) < 2:
        raise ValidationError({"file": _("The file is empty: it needs a header row and at least one row of data.")})
    importer.check_header(rows[0])
    name = (getattr(uploaded, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
    job = ImportJob.objects.create(kind=kind, params=params, file_name=name, rows=rows, apply=apply,
                                   created_by=actor)
    if job.row_count <= settings.IMPORT_INLINE_MAX_ROWS:
        import_job_run(job_id=job.pk)
        job.refresh_from_db()
    else:
        from .tasks import run_import

        transaction.on_commit(lambda: run_import.delay(job.pk))
    return job


def import_job_apply(*, actor, job: ImportJob) -> ImportJob:
    """Apply the rows a dry run checked (a new job, so the check's report stays as it was)."""
    if job.apply or job.status != ImportStatus.DONE or job.report is None or job.report.get("errors"):
        raise ValidationError(_("Only a check without refused rows can be applied; correct the file and check it "
                                "again."))
    importer_for(job.kind).authorize(actor=actor, params=job.params)
    applied = ImportJob.objects.create(kind=job.kind, params=job.params, file_name=job.file_name, rows=job.rows,
                                       apply=True, created_by=actor)
    if applied.row_count <= settings.IMPORT_INLINE_MAX_ROWS:
        import_job_run(job_id=applied.pk)
        applied.refresh_from_db()
    else:
        from .tasks import run_import

        transaction.on_commit(lambda: run_import.delay(applied.pk))
    return applied


def _progress_key(job_id: int) -> str:
    return f"import-progress:{job_id}"


def import_job_run(*, job_id: int) -> str:
    """Claim the job (retry-safe: a job done, failed or run by a live worker is skipped), run it, keep the report."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(
        Q(status=ImportStatus.QUEUED) | Q(status=ImportStatus.RUNNING, started_at__lt=now - STALE_AFTER),
        pk=job_id).update(status=ImportStatus.RUNNING, started_at=now)
    if not claimed:
        return "skipped"
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    importer = importer_for(job.kind)

    def progress(done: int) -> None:
        if done % PROGRESS_EVERY == 0:
            cache.set(_progress_key(job_id), done, timeout=3600)

    try:
        importer.authorize(actor=job.created_by, params=job.params)  # the role may have changed since
    except (PermissionDenied, Http404):
        ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.FAILED, finished_at=timezone.now(),
                                                   error=_("Your role no longer allows this import."))
        return "failed"
    try:
        report = importer.run(actor=job.created_by, params=job.params, rows=job.rows, apply=job.apply,
                              progress=progress)
    except ValidationError as error:
        ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.FAILED, finished_at=timezone.now(),
                                                   error=" ".join(error.messages)[:500])
        return "failed"
    except TRANSIENT:  # the database or the cache went away: back to the queue, for the task's retry
        ImportJob.objects.filter(pk=job_id, status=ImportStatus.RUNNING).update(status=ImportStatus.QUEUED)
        raise
    except Exception:  # a defect: the person is told at once (the import ran in one transaction: nothing saved)
        logger.exception("Import job %s (%s) stopped on an unexpected error", job_id, job.kind)
        ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.FAILED, finished_at=timezone.now(), error=_(
            "The import stopped on an unexpected error and nothing was saved. The administrators can see the cause in "
            "the portal's log."))
        return "failed"
    ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.DONE, finished_at=timezone.now(),
                                               report=report.as_dict())
    cache.delete(_progress_key(job_id))
    return "done"


def import_job_progress(job: ImportJob) -> int:
    """Percent done: from the worker's notes while it runs (its transaction hides its rows until the end)."""
    if job.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return 100
    if job.status == ImportStatus.QUEUED or not job.row_count:
        return 0
    return min(99, int(100 * (cache.get(_progress_key(job.pk)) or 0) / job.row_count))


def import_job_get(*, user, pk: int) -> ImportJob:
    """The user's own job; anyone else's is not found."""
    try:
        return ImportJob.objects.get(pk=pk, created_by=user)
    except ImportJob.DoesNotExist:
        raise Http404 from None


def import_report(job: ImportJob) -> ImportReport | None:
    return ImportReport.from_dict(job.report) if job.report is not None else None
