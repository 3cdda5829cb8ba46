"""Against real services: two workers race for one consolidated report on PostgreSQL. Worker A runs in a thread of
this test (so that it can be held at an exact point of `reports.generation`); worker B is a real Celery worker
process taking the same report over once its heartbeat looks stale. Whatever the interleaving, the report is
made once: one number taken, one set of files stored.

- Held just before its final transaction, A has been overtaken by B, which finished the report: A's final
  "is this row still ours" check must stop it (without it A takes a second number and overwrites B's files).
- Held inside its final transaction (the number taken, the PDF being rendered), A holds the row lock
  (`select_for_update`): the sweep marking it stale waits for A's commit, so B finds a live row and leaves it
  (without the lock B takes the row over and issues the report a second time).
"""

import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.utils import timezone

from agencies.models import DocumentSequence, RegisteredDocument
from qms_portal.models import StoredFile
from qms_portal.tasks import echo_to_cache
from reports import generation, rendering, services
from reports.models import ConsolidatedReport
from reports.tasks import generate_report
from tests.reports.test_worker import _drain_queue, _wait_for

pytestmark = pytest.mark.services
STALE = timedelta(hours=1)


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _lock_waiters(exclude: set[int]) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")
        return [pid for (pid,) in cursor.fetchall() if pid not in exclude]


def _backend_state(pid: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT state FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row[0] if row else None


def _wait(condition, what: str, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
    return value


class WorkerA(threading.Thread):
    """`run_claimed` for a row this test claimed, on its own database connection."""

    def __init__(self, report_id, token):
        super().__init__(daemon=True)
        self.report_id, self.token = report_id, token
        self.result = self.error = self.pid = None

    def run(self):
        try:
            self.pid = _backend_pid()
            self.result = generation.run_claimed(self.report_id, self.token)
        except BaseException as exc:  # reported by the test
            self.error = exc
        finally:
            connections.close_all()


def _claimed_report(cast, reporting):
    """A provincial report requested and claimed by worker A in one transaction: the message the request sends
    reaches worker B when the row is already running with a fresh heartbeat, so B leaves it alone."""
    with transaction.atomic():
        report, _ = services.consolidated_report_request(actor=cast.users["ag_leader"], kind="provincial",
                                                         period=reporting["ag"])
        token = generation.claim(report.pk)
    assert token is not None
    _drain_queue()
    assert ConsolidatedReport.objects.get(pk=report.pk).attempts == 1
    return report, token


def _make_stale(report_id):
    ConsolidatedReport.objects.filter(pk=report_id).update(heartbeat_at=timezone.now() - STALE)


def _file_ids() -> set[int]:
    return set(StoredFile.objects.values_list("pk", flat=True))


def _issued_once(cast, report_id, files_before):
    report = ConsolidatedReport.objects.get(pk=report_id)
    assert report.status == "done", report.error
    assert report.number == "01/BC-SKHCN"
    assert DocumentSequence.objects.get(issuer=cast.agencies["ag_skhcn"], doc_type="BC").last_number == 1
    assert RegisteredDocument.objects.filter(issuer=cast.agencies["ag_skhcn"], doc_type="BC").count() == 1
    # the report's own files (PDF, XLSX, DOCX) and nothing else: no second set left by the loser
    assert _file_ids() - files_before == {report.pdf_id, report.xlsx_id, report.docx_id} - {None}
    return report


def test_a_worker_overtaken_before_its_final_transaction_stores_nothing(
        celery_worker_process, cast, reporting, qms_files, monkeypatch):
    report, token = _claimed_report(cast, reporting)
    files_before = _file_ids()
    held, go = threading.Event(), threading.Event()
    original = generation._progress

    def progress(report_id, token, percent, **fields):
        original(report_id, token, percent, **fields)
        if percent == generation.RENDERING_PROGRESS:
            held.set()
            assert go.wait(180)

    monkeypatch.setattr(generation, "_progress", progress)
    a = WorkerA(report.pk, token)
    a.start()
    assert held.wait(120), a.error
    # A looks dead (its heartbeat is stale): the requeued message reaches B, which takes the row and finishes it.
    _make_stale(report.pk)
    generate_report.delay(report.pk)
    b_done = _wait_for(report.pk)
    assert b_done.status == "done" and b_done.attempts == 2, b_done.error
    go.set()
    a.join(120)
    assert not a.is_alive() and a.error is None, a.error
    assert a.result == "skipped"
    _issued_once(cast, report.pk, files_before)


def test_a_worker_inside_its_final_transaction_keeps_the_row(
        celery_worker_process, cast, reporting, qms_files, monkeypatch):
    report, token = _claimed_report(cast, reporting)
    files_before = _file_ids()
    held, go = threading.Event(), threading.Event()
    original = rendering.pdf_render

    def pdf_render(html, *, number):
        held.set()  # A has locked the row and taken number 01 in its open transaction
        assert go.wait(180)
        return original(html, number=number)

    monkeypatch.setattr(rendering, "pdf_render", pdf_render)
    a = WorkerA(report.pk, token)
    a.start()
    assert held.wait(120), a.error

    # Meanwhile the row is made to look stale (the sweep of a beat) and B receives the report.
    staler = {}

    def make_stale():
        try:
            staler["pid"] = _backend_pid()
            _make_stale(report.pk)
        finally:
            connections.close_all()

    sweep = threading.Thread(target=make_stale, daemon=True)
    sweep.start()
    _wait(lambda: "pid" in staler, "the sweep's connection")
    generate_report.delay(report.pk)
    key = f"test:{uuid.uuid4()}"
    echo_to_cache.delay(key, "done")  # the solo worker takes it once it is through with the report
    # With the row locked, the sweep waits for A and B finds a live heartbeat: it is done with the message.
    # Had A not locked the row, B would take it over and wait for the number sequence A holds.
    waiting = _wait(lambda: cache.get(key) or _lock_waiters({a.pid, staler["pid"]}), "worker B")
    go.set()
    a.join(120)
    sweep.join(60)
    assert not a.is_alive() and a.error is None, a.error
    assert a.result == "done"
    if waiting != "done":
        _wait(lambda: _backend_state(waiting[0]) in ("idle", None), "worker B to finish", seconds=180)
    _drain_queue()
    report = _issued_once(cast, report.pk, files_before)
    assert report.attempts == 1  # B never took the row
