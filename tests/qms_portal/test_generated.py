"""The one lifecycle of every generated document (qms_portal.generated): every model the worker fills with a
printed file takes part in it, and its claim token guards what a worker that was overtaken may still write."""

import pytest
from django.apps import apps
from django.db import transaction

from qms_portal.generated import FAILED, QUEUED, RUNNING, STALE_AFTER, GeneratedDocument, NotOurs, backoff
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
    from django.utils import timezone

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
