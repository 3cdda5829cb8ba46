"""Documents the worker makes, one lifecycle for all of them: the inspection plans, decisions, records and
letters, the agencies' reports (`Printable`) and the consolidated reports.

A generated document is a row with a status (queued -> running -> done or failed), a claim token (the time it
was started), a heartbeat, a count of attempts and the last error. Its Celery task:

1. claims the row with a conditional UPDATE: queued, or running with a heartbeat older than `STALE_AFTER` (the
   worker that had it died). Anything else (done, failed, being made by a live worker) is left alone, so a
   message delivered twice (late acks) does nothing twice;
2. makes the file, beating the heartbeat and checking that the row is still its own (`Job.beat`, `Job.lock`);
3. stores the result and marks the row done in one transaction (`Job.finish`);
4. on a transient error (the database or the broker went away) gives the row back to the queue and retries with
   an exponential backoff, up to `MAX_RETRIES`; on any other error (a bad template or data) marks it failed with
   a message the requester sees. The soft time limit is shorter than `STALE_AFTER`, so a live worker always
   finishes (or fails) before another may take its row over.

`generation_task` declares such a task and `generate` runs one; `dispatch_on_commit` sends it once the request's
transaction has committed (the worker must see the row).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import ClassVar

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
STALE_AFTER = timedelta(minutes=5)
SOFT_TIME_LIMIT = 240  # seconds; under STALE_AFTER
TIME_LIMIT = 280
MAX_RETRIES = 5
BACKOFF_CAP = 300  # seconds


# The other tasks (reminders, notifications, schedules): late acks and Celery's own retries of transient errors.
RETRY_TRANSIENT = {"acks_late": True, "autoretry_for": TRANSIENT, "retry_backoff": 5, "retry_backoff_max": BACKOFF_CAP,
                   "max_retries": MAX_RETRIES, "retry_jitter": True}


def backoff(retries: int) -> int:
    """Seconds before retry number `retries + 1`: 5, 10, 20 ... capped at five minutes."""
    return min(5 * 2 ** retries, BACKOFF_CAP)


QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


class NotOurs(Exception):
    """The row was taken over or changed by someone else: stop quietly and store nothing."""


@dataclass(frozen=True)
class Lifecycle:
    """Which columns of a model hold its generation lifecycle."""

    status: str
    started: str  # the claim token
    heartbeat: str
    attempts: str
    error: str
    error_length: int
    on_claim: dict = field(default_factory=dict)  # also set when a worker takes the row
    on_release: dict = field(default_factory=dict)  # also set when it gives the row back for a retry
    finished: str | None = None  # set to the time it ends (done or failed)


class GeneratedDocument(models.Model):
    """The base of every document the worker makes: `lifecycle` names its columns, `job()` works on them."""

    lifecycle: ClassVar[Lifecycle]

    class Meta:
        abstract = True

    @classmethod
    def job(cls, pk: int, **where) -> "Job":
        """The generation of row `pk`; `where` narrows what counts as the same job (a printable's revision)."""
        return Job(cls, pk, where)


@dataclass(frozen=True)
class Job:
    model: type
    pk: int
    where: dict

    @property
    def columns(self) -> Lifecycle:
        return self.model.lifecycle

    def _rows(self):
        return self.model.objects.filter(pk=self.pk, **self.where)

    def _ours(self, token):
        c = self.columns
        return self._rows().filter(**{c.status: RUNNING, c.started: token})

    def claim(self, *, now=None):
        """Take the row for this worker; return the claim token, or None when there is nothing to do."""
        c, now = self.columns, now or timezone.now()
        claimable = Q(**{c.status: QUEUED}) | Q(**{c.status: RUNNING, f"{c.heartbeat}__lt": now - STALE_AFTER})
        claimed = self._rows().filter(claimable).update(**{
            c.status: RUNNING, c.started: now, c.heartbeat: now, c.attempts: F(c.attempts) + 1, **c.on_claim})
        return now if claimed else None

    def beat(self, token, **fields) -> None:
        """Say the worker is alive (and record its progress); NotOurs when the row was taken over."""
        if not self._ours(token).update(**{self.columns.heartbeat: timezone.now()}, **fields):
            raise NotOurs

    def lock(self, token):
        """Inside the storing transaction: lock the row if it is still ours (NotOurs otherwise)."""
        row = self._ours(token).select_for_update().first()
        if row is None:
            raise NotOurs
        return row

    def finish(self, token, **fields) -> None:
        """Mark the row done with its files (inside the storing transaction, after `lock`)."""
        c, now = self.columns, timezone.now()
        stamp = {c.finished: now} if c.finished else {}
        if not self._ours(token).update(**{c.status: DONE, c.heartbeat: now, c.error: ""}, **stamp, **fields):
            raise NotOurs

    def release(self, token) -> None:
        """Give the row back to the queue, before a retry after a transient error."""
        self._ours(token).update(**{self.columns.status: QUEUED}, **self.columns.on_release)

    def fail(self, token, message: str) -> None:
        """Mark the row failed with `message`; token None: whoever has it (the last retry gave up)."""
        c = self.columns
        rows = self._rows().filter(**{f"{c.status}__in": [RUNNING, QUEUED]})
        if token is not None:
            rows = rows.filter(**{c.started: token})
        stamp = {c.finished: timezone.now()} if c.finished else {}
        rows.update(**{c.status: FAILED, c.error: message[:c.error_length]}, **stamp)


def stale(model, *, now=None) -> models.QuerySet:
    """Rows of `model` whose worker died (stale heartbeat): the sweeper sends their task again."""
    c, now = model.lifecycle, now or timezone.now()
    return model.objects.filter(**{c.status: RUNNING, f"{c.heartbeat}__lt": now - STALE_AFTER})


def failure_text(exc: BaseException) -> str:
    """What the people waiting for a document read when it could not be made: the rule's own words when the data
    breaks one (a ValidationError), else what kind of trouble it was. Never the exception's text, which can name
    tables, folders or settings: the worker's log keeps it, with the traceback, for the administrators."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, SoftTimeLimitExceeded):
        return str(_("It took longer than the worker allows. Try again; if it happens again, tell the portal's "
                     "administrators."))
    if isinstance(exc, TRANSIENT):
        return str(_("The database or the task queue could not be reached. Try again in a few minutes."))
    return str(_("An error inside the portal stopped it. The portal's administrators find the details in the "
                 "worker's log."))


def generate(job: Job, produce: Callable[[object], None], *, task=None,
             failure_message: Callable[[BaseException], str] = failure_text) -> str:
    """Claim `job` and `run` it: "done", "skipped" (nothing to do, or taken over) or "failed"."""
    token = job.claim()
    if token is None:
        logger.info("%s %s: nothing to do", job.model.__name__, job.pk)
        return "skipped"
    return run(job, token, produce, task=task, failure_message=failure_message)


def run(job: Job, token, produce: Callable[[object], None], *, task=None,
        failure_message: Callable[[BaseException], str] = failure_text) -> str:
    """Run `produce(token)` for a claimed job and end it.

    A transient error gives the row back: with `task` (the running Celery task) it is retried with backoff until
    `MAX_RETRIES`, then failed; without one (a command, a test) it propagates. Any other error fails the row.
    """
    try:
        produce(token)
    except NotOurs:
        logger.warning("%s %s was taken over by another worker", job.model.__name__, job.pk)
        return "skipped"
    except TRANSIENT as exc:
        if task is None:
            job.release(token)
            raise
        if task.request.retries >= task.max_retries:
            logger.exception("%s %s: giving up after transient errors", job.model.__name__, job.pk)
            job.fail(token, failure_message(exc))
            return "failed"
        job.release(token)
        logger.warning("%s %s: transient error, retrying: %s", job.model.__name__, job.pk, exc)
        raise task.retry(exc=exc, countdown=backoff(task.request.retries)) from exc
    except (SoftTimeLimitExceeded, Exception) as exc:  # a bad template or data: visible on the row, not retried
        logger.exception("%s %s failed", job.model.__name__, job.pk)
        job.fail(token, failure_message(exc))
        return "failed"
    return "done"


def generation_task(*, name: str):
    """The Celery task of a generated document: bound (for its retries), late acks (a worker that dies mid-task
    gets its message redelivered; the claim decides what to do), retries and time limits as above."""
    return shared_task(bind=True, name=name, acks_late=True, max_retries=MAX_RETRIES,
                       soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)


def running_progress(started_at, expected_seconds: float, *, now=None) -> int:
    """The progress bar of a document being made: 10 % when the worker begins, then the share of the time it is
    expected to take, never above 95 % before the file is there."""
    elapsed = max(0.0, ((now or timezone.now()) - started_at).total_seconds())
    return 10 + int(85 * min(1.0, elapsed / expected_seconds))


def dispatch_on_commit(task, *args) -> None:
    """Send `task(*args)` once the current transaction commits, so the worker sees the row it is about."""
    transaction.on_commit(lambda: task.delay(*args))


# --- the printed documents of one revision: plans, decisions, records, letters, agency reports ---------------


class PdfStatus(models.TextChoices):
    NONE = "none", _("Not generated")
    QUEUED = QUEUED, _("Queued")
    RUNNING = RUNNING, _("Being generated")
    DONE = DONE, _("Ready")
    FAILED = FAILED, _("Failed")


PDF_FIELDS = ["revision", "pdf_file", "pdf_revision", "pdf_status", "pdf_error", "pdf_requested_at",
              "pdf_started_at", "pdf_heartbeat_at", "pdf_attempts"]


class Printable(GeneratedDocument):
    """A document the portal prints from an object that changes: every change made by a service bumps `revision`;
    the PDF remembers the revision it was rendered from, so a stale PDF is never served and a task that finishes
    after a newer change stores nothing (its job is the revision's: `job(pk, revision=...)`)."""

    lifecycle = Lifecycle(status="pdf_status", started="pdf_started_at", heartbeat="pdf_heartbeat_at",
                          attempts="pdf_attempts", error="pdf_error", error_length=500)

    revision = models.PositiveIntegerField(default=1, editable=False)
    pdf_file = models.ForeignKey("qms_portal.StoredFile", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", editable=False, verbose_name=_("PDF"))
    pdf_revision = models.PositiveIntegerField(null=True, blank=True, editable=False)
    pdf_status = models.CharField(_("PDF status"), max_length=10, choices=PdfStatus.choices, default=PdfStatus.NONE,
                                  editable=False)
    pdf_error = models.CharField(_("PDF error"), max_length=500, blank=True, editable=False)
    pdf_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    pdf_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    pdf_heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    pdf_attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        abstract = True

    @property
    def pdf_ready(self) -> bool:
        return self.pdf_file_id is not None and self.pdf_revision == self.revision

    @property
    def pdf_state(self) -> str:
        """What a client sees: ready, queued, running, failed or none (for the current revision)."""
        if self.pdf_ready:
            return PdfStatus.DONE
        if self.pdf_status in (PdfStatus.QUEUED, PdfStatus.RUNNING, PdfStatus.FAILED):
            return self.pdf_status
        return PdfStatus.NONE

    # A plan or a record renders in one to a few seconds (WeasyPrint says nothing meanwhile).
    EXPECTED_RENDER_SECONDS = 4.0

    @property
    def pdf_progress(self) -> int:
        """For the progress bar (the one of the consolidated reports): 5 % queued, then an estimate from the
        time since rendering began, never above 95 % before the file is there."""
        state = self.pdf_state
        if state == PdfStatus.DONE:
            return 100
        if state == PdfStatus.RUNNING and self.pdf_started_at:
            return running_progress(self.pdf_started_at, self.EXPECTED_RENDER_SECONDS)
        return 5 if state == PdfStatus.QUEUED else 0
