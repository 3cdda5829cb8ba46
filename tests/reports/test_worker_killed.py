"""Against real services: the Celery worker process is killed with SIGKILL while it renders a consolidated
report. Nothing half-made is stored or served; after the stale-heartbeat sweep and a worker restart the report
is made exactly once (one number, one PDF, one XLSX). Skipped without PostgreSQL and Redis (failed where CI
promises them, REQUIRE_SERVICES=1)."""

import io
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import F
from pypdf import PdfReader

from agencies.models import AgencyObligation, DocumentSequence, ObligationLevel
from qms_portal.models import StoredFile
from reports.generation import STALE_AFTER, stale_reports_requeue
from reports.models import ConsolidatedReport
from tests.factories import AgencyFactory
from tests.reports.test_worker import _wait_for

# More agencies in An Giang make the report's work inside the numbering transaction (the WeasyPrint body, about
# half a second, then the annex, the merge and the XLSX) long enough to be caught there.
EXTRA_AGENCIES = 150

# The worker's open transaction once it has taken the document number: the sequence row is updated (and
# locked) but not committed, and the worker is busy in Python (WeasyPrint), not waiting on the database.
NUMBER_TAKEN_SQL = """
    SELECT a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.relation = %s::regclass AND l.mode = 'RowExclusiveLock' AND l.granted
      AND a.state = 'idle in transaction' AND a.pid <> pg_backend_pid()
"""


@pytest.fixture
def private_media(settings, tmp_path):
    """Our own MEDIA_ROOT (the worker's too), so that files written by other test runs do not count.
    Requested before `celery_worker_process`, which passes it on to the worker."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def _blobs() -> set[Path]:
    from django.conf import settings

    root = Path(settings.MEDIA_ROOT) / "files"
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def _rendering_backend() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(NUMBER_TAKEN_SQL, [DocumentSequence._meta.db_table])
        row = cursor.fetchone()
    return row[0] if row else None


def _backend_alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is not None


def _catch_rendering(report_id: int, seconds: float = 180) -> tuple[dict, int]:
    """Poll until the row is running at 50% and the worker holds the number in an open transaction."""
    deadline = time.monotonic() + seconds
    while True:
        row = ConsolidatedReport.objects.values("status", "progress", "attempts").get(pk=report_id)
        assert row["status"] not in ("done", "failed"), (
            f"the report was {row['status']} before the worker could be caught rendering: raise EXTRA_AGENCIES")
        if row["status"] == "running" and row["progress"] == 50:
            backend = _rendering_backend()
            if backend is not None:
                return row, backend
        assert time.monotonic() < deadline, f"the worker never reached the render: {row}"
        time.sleep(0.02)


@pytest.mark.services
def test_worker_killed_mid_render_makes_the_report_once_after_a_restart(
        private_media, celery_worker_process, cast, api, reporting, qms_files, client):
    worker = celery_worker_process
    assert worker.env["MEDIA_ROOT"] == str(private_media)
    province, ubnd = cast.provinces["ag"], cast.agencies["ag_ubnd"]
    year = reporting["ag"].year
    extra = AgencyFactory.create_batch(EXTRA_AGENCIES, province=province, parent=ubnd)
    AgencyObligation.objects.bulk_create([AgencyObligation(agency=agency, year=year, level=ObligationLevel.MANDATORY)
                                          for agency in extra])
    files_before, blobs_before = set(StoredFile.objects.values_list("pk", flat=True)), _blobs()

    request = {"kind": "provincial", "period": reporting["ag"].pk}
    response = api.as_user(cast.users["ag_leader"]).post("/api/v1/reports/", request, format="json")
    assert response.status_code == 202, response.content
    report_id = response.json()["id"]
    download = f"/api/v1/reports/{report_id}/download/"

    # Caught rendering: the number is taken inside the still-open transaction. SIGKILL the worker there.
    row, backend = _catch_rendering(report_id)
    assert row == {"status": "running", "progress": 50, "attempts": 1}
    killed_pid = worker.pid
    worker.kill()
    deadline = time.monotonic() + 30
    while _backend_alive(backend):  # PostgreSQL sees the socket close and rolls the transaction back
        assert time.monotonic() < deadline, "the killed worker's transaction is still open"
        time.sleep(0.1)

    # The row still says "running" (nobody is left to say otherwise) and nothing half-made exists or is served.
    report = ConsolidatedReport.objects.get(pk=report_id)
    assert (report.status, report.progress, report.attempts) == ("running", 50, 1)
    assert report.pdf_id is None and report.xlsx_id is None and report.docx_id is None and report.number == ""
    assert set(StoredFile.objects.values_list("pk", flat=True)) == files_before
    assert _blobs() == blobs_before, "a file was written by the killed worker"
    assert not DocumentSequence.objects.filter(issuer=cast.agencies["ag_skhcn"], last_number__gt=0).exists()
    for user in ("ag_leader", "ag_ubnd"):
        for fmt in ("pdf", "xlsx", "docx"):
            refused = api.as_user(cast.users[user]).get(download, {"format": fmt})
            assert refused.status_code == 409, (user, fmt, refused.status_code)
            assert not getattr(refused, "streaming", False)
            assert refused.json()["detail"]
    client.force_login(cast.users["ag_ubnd"])
    page = client.get(f"/reports/consolidated/{report_id}/download/pdf/")
    assert page.status_code == 302 and not getattr(page, "streaming", False)
    # Asking again while it is "running" gives the same report, not a second version.
    again = api.as_user(cast.users["ag_leader"]).post("/api/v1/reports/", request, format="json")
    assert again.json()["id"] == report_id

    # Time passes: the heartbeat is older than STALE_AFTER, so the beat sweep re-sends the report's task (the
    # unacknowledged message would only come back after Redis' visibility timeout, an hour). A fresh worker
    # takes the row over and makes the report.
    ConsolidatedReport.objects.filter(pk=report_id).update(
        heartbeat_at=F("heartbeat_at") - STALE_AFTER - timedelta(minutes=1),
        started_at=F("started_at") - STALE_AFTER - timedelta(minutes=1))
    assert stale_reports_requeue() == [report_id]
    worker.start()
    assert worker.pid != killed_pid
    report = _wait_for(report_id, seconds=240)
    assert report.status == "done", report.error or worker.log_tail()
    assert (report.progress, report.attempts, report.version) == (100, 2, 1)

    # Exactly one version, one number (not skipped), one PDF, one XLSX and one DOCX.
    assert ConsolidatedReport.objects.filter(scope_key=report.scope_key).count() == 1
    assert report.number == "01/BC-SKHCN"
    assert DocumentSequence.objects.get(issuer=cast.agencies["ag_skhcn"], doc_type="BC", year=year).last_number == 1
    new_files = StoredFile.objects.exclude(pk__in=files_before)
    assert sorted(new_files.values_list("pk", "kind")) == sorted([(report.pdf_id, "pdf"), (report.xlsx_id, "xlsx"),
                                                                  (report.docx_id, "docx")])
    assert {Path(stored.file.path) for stored in new_files} == _blobs() - blobs_before
    assert report.summary["agencies"] == 4 + EXTRA_AGENCIES

    pdf = b"".join(api.as_user(cast.users["ag_ubnd"]).get(download, {"format": "pdf"}).streaming_content)
    assert pdf == report.pdf.file.open("rb").read()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Số: 01/BC-SKHCN" in text and report.verification_code in text
