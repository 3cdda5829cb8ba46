"""The one lifecycle of every generated document (qms_portal.generated): every model the worker fills with a
printed file takes part in it, and its claim token guards what a worker that was overtaken may still write."""

import uuid
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from qms_portal.generated import (
    FAILED,
    QUEUED,
    RUNNING,
    STALE_AFTER,
    GeneratedDocument,
    NotOurs,
    backoff,
    failure_text,
)
from qms_portal.models import StoredFile

pytestmark = pytest.mark.django_db


def test_every_model_with_a_generated_pdf_has_the_one_lifecycle():
    """A model holding a PDF the worker makes (a `pdf` or `pdf_file` link to a stored file) is a
    GeneratedDocument; a second pipeline cannot be added beside it unnoticed."""
    printed = [model for model in apps.get_models()
               if not model.__name__.startswith("Historical")
               and any(field.name in ("pdf", "pdf_file") and field.related_model is StoredFile
                       for field in model._meta.concrete_fields)]
    names = {model.__name__ for model in printed}
    assert {"InspectionPlan", "InspectionDecision", "InspectionRecord", "RejectionLetter", "AgencyReport",
            "ConsolidatedReport"} <= names
    assert [model.__name__ for model in printed if not issubclass(model, GeneratedDocument)] == []


def test_backoff_doubles_and_is_capped():
    assert [backoff(n) for n in range(8)] == [5, 10, 20, 40, 80, 160, 300, 300]


@pytest.fixture
def report(cast):
    from reports.models import ConsolidatedReport

    return ConsolidatedReport.objects.create(kind="national", year=2026, period_kind="annual", scope_key="t/1",
                                             verification_code="TESTGEN1")


def test_a_claimed_job_is_not_claimed_twice_until_its_heartbeat_is_stale(report):
    job = type(report).job(report.pk)
    first = job.claim()
    assert first is not None and job.claim() is None
    report.refresh_from_db()
    assert (report.status, report.attempts, report.progress) == (RUNNING, 1, 5)
    second = job.claim(now=timezone.now() + STALE_AFTER * 2)
    assert second is not None and second != first
    with pytest.raises(NotOurs):  # the first worker, overtaken, may no longer write
        job.beat(first, progress=40)
    with pytest.raises(NotOurs), transaction.atomic():
        job.lock(first)
    job.release(first)  # does nothing to the second worker's row
    report.refresh_from_db()
    assert (report.status, report.attempts) == (RUNNING, 2)


def test_release_requeues_and_fail_keeps_the_message(report):
    job = type(report).job(report.pk)
    token = job.claim()
    job.release(token)
    report.refresh_from_db()
    assert (report.status, report.progress) == (QUEUED, 0)
    token = job.claim()
    job.fail(token, "x" * 2000)
    report.refresh_from_db()
    assert report.status == FAILED and report.error == "x" * 1000 and report.finished_at is not None
    assert job.claim() is None  # a failed report stays failed: a new request makes a new one


def test_a_generation_task_is_bound_late_acked_retried_and_time_limited():
    """What every generated document's Celery task is declared with (the options live in one place)."""
    from qms_portal.generated import MAX_RETRIES, SOFT_TIME_LIMIT, STALE_AFTER, TIME_LIMIT, generation_task

    name = f"tests.generated.probe-{uuid.uuid4().hex}"  # a new name: Celery returns a known task as it was made

    @generation_task(name=name)
    def probe(self, value):
        return (self.name, value)

    assert (probe.name, probe.acks_late, probe.max_retries, probe.soft_time_limit, probe.time_limit) == (
        name, True, MAX_RETRIES, SOFT_TIME_LIMIT, TIME_LIMIT)
    assert SOFT_TIME_LIMIT < TIME_LIMIT < STALE_AFTER.total_seconds(), "a live worker ends before its row is stale"
    assert probe.apply(args=(7,)).get() == (name, 7), "bound: the task is its first argument"


def _other(report, suffix, **fields):
    if fields.get("status") == "done":  # a done report has its files
        from qms_portal.files import stored_bytes_create

        fields["pdf"] = fields["xlsx"] = stored_bytes_create(content=b"%PDF-1.7 x", name="bc.pdf", kind="pdf")
    return type(report).objects.create(kind="national", year=2026, period_kind="annual", scope_key=f"t/{suffix}",
                                       verification_code=f"TESTGEN{suffix}", **fields)


def test_fail_with_a_token_fails_only_that_claim_and_without_one_whoever_holds_the_row(report):
    job = type(report).job(report.pk)
    token = job.claim()
    job.fail(timezone.now() - STALE_AFTER, "an older claim")
    report.refresh_from_db()
    assert (report.status, report.error) == (RUNNING, "")
    job.fail(None, "the last retry gave up")
    report.refresh_from_db()
    assert (report.status, report.error) == (FAILED, "the last retry gave up") and token is not None
    done = _other(report, 2, status="done")
    type(done).job(done.pk).fail(None, "late")
    done.refresh_from_db()
    assert (done.status, done.error) == ("done", ""), "a finished row is never failed afterwards"


def test_stale_rows_are_those_running_with_an_old_heartbeat(report):
    from qms_portal.generated import stale

    now = timezone.now()
    dead = _other(report, 2, status=RUNNING, heartbeat_at=now - STALE_AFTER - timedelta(seconds=1))
    _other(report, 3, status=RUNNING, heartbeat_at=now - STALE_AFTER + timedelta(minutes=1))  # alive
    _other(report, 4, status="done", heartbeat_at=now - STALE_AFTER * 3)
    model = type(report)
    assert list(stale(model).values_list("pk", flat=True)) == [dead.pk]
    later = list(stale(model, now=now + timedelta(minutes=2)).order_by("pk").values_list("scope_key", flat=True))
    assert later == ["t/2", "t/3"]


class _Transient(ConnectionError):
    pass


class _FakeTask:
    """Celery's bound task as `run` sees it: its retry count, its limit and `retry`, which raises."""

    class Retry(Exception):
        pass

    def __init__(self, retries, max_retries=5):
        from types import SimpleNamespace

        self.request, self.max_retries, self.retried = SimpleNamespace(retries=retries), max_retries, None

    def retry(self, *, exc, countdown):
        self.retried = (exc, countdown)
        return self.Retry()


def test_run_ends_each_outcome_on_the_row_and_in_the_log(report, caplog):
    """done; failed with what kind of trouble it was (never the exception's text); taken over: skipped; a transient
    error: the row back in the queue and a retry after the backoff, failed when retries are exhausted."""
    from qms_portal.generated import generate, run

    model = type(report)
    job = model.job(report.pk)

    def state():
        report.refresh_from_db()
        return report.status, report.error

    caplog.set_level("INFO", logger="qms_portal.generated")
    assert generate(job, lambda token: (_ for _ in ()).throw(ValueError())) == "failed"
    assert state() == (FAILED, failure_text(ValueError("/srv/secret/path")))
    assert generate(job, lambda token: None) == "skipped"
    assert f"ConsolidatedReport {report.pk}: nothing to do" in caplog.messages

    queued = _other(report, 2)
    job = model.job(queued.pk)
    assert generate(job, lambda token: (_ for _ in ()).throw(KeyError("rows")),
                    failure_message=lambda exc: f"Hỏng: {exc}") == "failed"
    queued.refresh_from_db()
    assert (queued.status, queued.error) == (FAILED, "Hỏng: 'rows'")

    def taken_over(token):
        raise NotOurs

    third = _other(report, 3)
    job = model.job(third.pk)
    assert run(job, job.claim(), taken_over) == "skipped"
    assert f"ConsolidatedReport {third.pk} was taken over by another worker" in caplog.messages
    third.refresh_from_db()
    assert third.status == RUNNING, "the row is the other worker's: left as it is"

    def broken(token):
        raise _Transient("redis went away")

    fourth = _other(report, 4)
    job = model.job(fourth.pk)
    with pytest.raises(_Transient):  # no task (a command): the error propagates, the row is queued again
        run(job, job.claim(), broken)
    fourth.refresh_from_db()
    assert fourth.status == QUEUED
    task = _FakeTask(retries=2)
    with pytest.raises(_FakeTask.Retry):
        run(job, job.claim(), broken, task=task)
    assert (type(task.retried[0]), task.retried[1]) == (_Transient, backoff(2))
    fourth.refresh_from_db()
    assert fourth.status == QUEUED
    assert f"ConsolidatedReport {fourth.pk}: transient error, retrying: redis went away" in caplog.messages
    assert run(job, job.claim(), broken, task=_FakeTask(retries=5)) == "failed"
    fourth.refresh_from_db()
    assert (fourth.status, fourth.error) == (FAILED, failure_text(_Transient("redis went away")))
    assert "redis" not in fourth.error  # logged above, not shown
    assert f"ConsolidatedReport {fourth.pk}: giving up after transient errors" in caplog.messages


def test_a_failure_ends_only_the_workers_own_claim_and_is_logged(report, caplog):
    """A worker whose document failed marks the row failed only while the row is still its own: if another worker
    took it over meanwhile (its heartbeat had gone stale), that worker's run is left alone. The log names the
    document."""
    from qms_portal.generated import run

    model = type(report)
    caplog.set_level("INFO", logger="qms_portal.generated")
    rows = []
    for suffix, error, task in ((5, ValueError("bad template"), None), (6, _Transient("redis"), _FakeTask(5))):
        row = _other(report, suffix)
        rows.append(row.pk)
        job = model.job(row.pk)
        token = job.claim()
        other_worker = token + timedelta(minutes=20)

        def fails_after_a_takeover(token, error=error, pk=row.pk, other_worker=other_worker):
            model.objects.filter(pk=pk).update(started_at=other_worker)
            raise error

        assert run(job, token, fails_after_a_takeover, task=task) == "failed"
        row.refresh_from_db()
        assert (row.status, row.started_at, row.error) == (RUNNING, other_worker, "")
    assert f"ConsolidatedReport {rows[0]} failed" in caplog.messages
    assert f"ConsolidatedReport {rows[1]}: giving up after transient errors" in caplog.messages


def test_a_report_is_claimed_as_seen_at_the_time_given(report):
    from reports.generation import claim

    first = claim(report.pk)
    assert claim(report.pk) is None
    assert claim(report.pk, now=first + STALE_AFTER * 2) is not None, "the first worker's heartbeat is stale by then"


def test_a_report_failure_says_so_in_the_users_language_with_the_kind_of_trouble(report):
    """The rule's own words when the data breaks one; else what kind of trouble it was, never the exception's own
    text (a database error names tables, a file error folders): the worker's log keeps that."""
    from celery.exceptions import SoftTimeLimitExceeded
    from django.core.exceptions import ValidationError
    from django.db import OperationalError
    from django.utils.translation import gettext

    from reports.generation import fail, failure_message

    template = gettext("The report could not be compiled: %(error)s")
    internal = gettext("An error inside the portal stopped it. The portal's administrators find the details in the "
                       "worker's log.")
    assert template.startswith("Không thể") and internal.startswith("Một lỗi")
    assert failure_message(ValueError("/var/lib/qms/x" * 70)) == template % {"error": internal}
    assert failure_message(ValidationError("Kỳ báo cáo chưa kết thúc.")) == template % {
        "error": "Kỳ báo cáo chưa kết thúc."}
    assert failure_message(OperationalError('relation "reports_x" does not exist')) == template % {"error": gettext(
        "The database or the task queue could not be reached. Try again in a few minutes.")}
    assert failure_message(SoftTimeLimitExceeded()) == template % {"error": gettext(
        "It took longer than the worker allows. Try again; if it happens again, tell the portal's administrators.")}
    job = type(report).job(report.pk)
    token = job.claim()
    fail(report.pk, token - STALE_AFTER, "an overtaken worker's failure")
    report.refresh_from_db()
    assert (report.status, report.error) == (RUNNING, "")
    fail(report.pk, token, failure_message(KeyError("rows")))
    report.refresh_from_db()
    assert (report.status, report.error) == (FAILED, template % {"error": internal})


def test_the_sweeper_sends_again_the_reports_of_dead_workers_and_lost_messages(report, cast):
    """The eager task of the tests claims each row sent again (its attempts go up); the others are untouched."""
    from reports.generation import stale_reports_requeue

    now = timezone.now()
    model = type(report)
    model.objects.filter(pk=report.pk).update(requested_at=now - STALE_AFTER + timedelta(minutes=1))  # just queued
    lost = _other(report, 2, requested_at=now - STALE_AFTER - timedelta(seconds=1))
    dead = _other(report, 3, status=RUNNING, requested_at=now - STALE_AFTER * 2,
                  heartbeat_at=now - STALE_AFTER - timedelta(seconds=1), attempts=1)
    alive = _other(report, 4, status=RUNNING, requested_at=now - STALE_AFTER * 2, heartbeat_at=now, attempts=1)
    _other(report, 5, status="done", requested_at=now - STALE_AFTER * 2)
    _other(report, 6, status="failed", requested_at=now - STALE_AFTER * 2)
    assert sorted(stale_reports_requeue(now=now)) == [lost.pk, dead.pk]
    attempts = dict(model.objects.values_list("pk", "attempts"))
    assert (attempts[lost.pk], attempts[dead.pk], attempts[alive.pk], attempts[report.pk]) == (1, 2, 1, 0)
    # as seen ten minutes later, the fresh request and the live worker's row are lost and stale too
    assert sorted(stale_reports_requeue(now=now + STALE_AFTER * 2)) == [report.pk, alive.pk]


def test_a_printables_state_and_progress_are_those_of_its_current_revision():
    """What the status page and the API show of a plan's PDF: its state for the current revision and the
    progress bar's estimate (5 % queued, then 10-95 % over the expected rendering time, 100 % when ready)."""
    from audits.models import InspectionPlan
    from qms_portal.generated import DONE, PdfStatus

    def plan(**fields):
        return InspectionPlan(revision=3, **fields)

    now = timezone.now()
    seconds = InspectionPlan.EXPECTED_RENDER_SECONDS
    assert (plan().pdf_state, plan().pdf_progress) == (PdfStatus.NONE, 0)
    assert (plan(pdf_status=QUEUED).pdf_state, plan(pdf_status=QUEUED).pdf_progress) == (QUEUED, 5)
    assert (plan(pdf_status=FAILED).pdf_state, plan(pdf_status=FAILED).pdf_progress) == (FAILED, 0)
    halfway = plan(pdf_status=RUNNING, pdf_started_at=now - timedelta(seconds=seconds / 2))
    assert (halfway.pdf_state, halfway.pdf_progress) == (RUNNING, 10 + 42)
    assert plan(pdf_status=RUNNING, pdf_started_at=now - timedelta(seconds=seconds * 5)).pdf_progress == 95
    assert plan(pdf_status=RUNNING, pdf_started_at=now + timedelta(seconds=30)).pdf_progress == 10, "clock skew"
    assert plan(pdf_status=RUNNING).pdf_progress == 0
    ready = plan(pdf_status=DONE, pdf_file_id=1, pdf_revision=3)
    assert (ready.pdf_ready, ready.pdf_state, ready.pdf_progress) == (True, DONE, 100)
    stale_pdf = plan(pdf_status=DONE, pdf_file_id=1, pdf_revision=2)  # the plan changed since it was printed
    assert (stale_pdf.pdf_ready, stale_pdf.pdf_state, stale_pdf.pdf_progress) == (False, PdfStatus.NONE, 0)
    assert plan(pdf_status=QUEUED, pdf_file_id=1, pdf_revision=2).pdf_state == QUEUED
    assert plan(pdf_revision=3).pdf_ready is False, "no file, no PDF"


def test_a_beat_says_the_worker_is_alive_and_records_its_progress(report):
    job = type(report).job(report.pk)
    token = job.claim()
    long_ago = timezone.now() - STALE_AFTER * 2
    type(report).objects.filter(pk=report.pk).update(heartbeat_at=long_ago)
    job.beat(token, progress=40)
    report.refresh_from_db()
    assert report.progress == 40 and report.heartbeat_at > long_ago + STALE_AFTER
    assert job.claim() is None, "beaten: not stale, not taken over"
