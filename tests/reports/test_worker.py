"""Against real services: a Celery worker process on Redis compiles the report; a redelivered message changes
nothing; a report whose worker died is taken over. Skipped without PostgreSQL and Redis (failed where CI
promises them, REQUIRE_SERVICES=1)."""

import io
import time
import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from agencies.models import DocumentSequence, RegisteredDocument
from qms_portal.models import StoredFile
from qms_portal.tasks import echo_to_cache
from reports import services
from reports.models import ConsolidatedReport
from reports.tasks import generate_report


def _wait_for(report_id: int, seconds: int = 120) -> ConsolidatedReport:
    deadline = time.monotonic() + seconds
    report = ConsolidatedReport.objects.get(pk=report_id)
    while report.status not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.3)
        report.refresh_from_db()
    return report


def _drain_queue() -> None:
    """The solo worker handles messages in order: once this one has run, the ones before it have too."""
    key = f"test:{uuid.uuid4()}"
    echo_to_cache.delay(key, "done")
    deadline = time.monotonic() + 60
    while cache.get(key) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert cache.get(key) == "done"


@pytest.mark.services
def test_worker_compiles_and_a_redelivery_changes_nothing(celery_worker_process, cast, api, reporting, qms_files):
    client = api.as_user(cast.users["ag_leader"])
    response = client.post("/api/v1/reports/", {"kind": "provincial", "period": reporting["ag"].pk}, format="json")
    assert response.status_code == 202
    body = response.json()
    progress = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = client.get(body["status_url"]).json()
        progress.add((status["status"], status["progress"]))
        if status["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert status["status"] == "done", status["error"]
    assert status["number"] == "01/BC-SKHCN"
    download = f"/api/v1/reports/{body['id']}/download/?format=pdf"
    first = b"".join(api.as_user(cast.users["ag_ubnd"]).get(download).streaming_content)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(first)).pages)
    assert "Số: 01/BC-SKHCN" in text and status["verification_code"] in text

    # The same message again, as after a worker crash with acks_late: nothing new.
    files = StoredFile.objects.count()
    generate_report.delay(body["id"])
    _drain_queue()
    report = ConsolidatedReport.objects.get(pk=body["id"])
    assert report.attempts == 1 and report.number == "01/BC-SKHCN"
    assert StoredFile.objects.count() == files
    assert DocumentSequence.objects.get(issuer=cast.agencies["ag_skhcn"], doc_type="BC").last_number == 1
    assert b"".join(api.as_user(cast.users["ag_ubnd"]).get(download).streaming_content) == first

    # A worker died while compiling the report to the Ministry: its row is "running" with a stale heartbeat.
    # The redelivered message reaches the live worker, which takes the row over and finishes it once.
    stale = timezone.now() - timedelta(hours=1)
    with transaction.atomic():
        report, _ = services.consolidated_report_request(actor=cast.users["ag_leader"], kind="ministry",
                                                         period=reporting["ag"])
        ConsolidatedReport.objects.filter(pk=report.pk).update(status="running", attempts=1, progress=35,
                                                               started_at=stale, heartbeat_at=stale)
    report = _wait_for(report.pk)
    assert report.status == "done", report.error
    # issued by the People's Committee: numbered once in its register of outgoing documents, kept here
    assert report.attempts == 2 and report.number == "01/BC-UBND" and report.issuer == cast.agencies["ag_ubnd"]
    assert RegisteredDocument.objects.filter(issuer=cast.agencies["ag_ubnd"], symbol="BC-UBND").count() == 1
