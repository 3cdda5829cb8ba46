"""Against real services: a Celery worker process on Redis renders the record PDF; two reviewers race on
PostgreSQL. Skipped without PostgreSQL and Redis (failed where CI promises them, REQUIRE_SERVICES=1)."""

import threading
import time

import pytest
from django.db import close_old_connections, connection

from audits import services
from audits.models import Finding, FindingStatus, InspectionRecord
from qms_portal.errors import ConflictError
from tests.audits.conftest import SIGNED_ON, build_world, read_pdf_text, respond
from tests.conftest import require_services


@pytest.mark.services
def test_worker_renders_the_record_pdf(celery_worker_process, cast, api):
    world = build_world(cast, sign=False)  # transactional: every on_commit reaches Redis
    inspection = world.inspections["ag_stp"]
    services.record_sign(actor=cast.users["ag_inspector"], inspection=inspection, signed_on=SIGNED_ON,
                         today=SIGNED_ON)
    deadline = time.monotonic() + 90
    record = InspectionRecord.objects.get(inspection=inspection)
    while not record.pdf_ready and time.monotonic() < deadline:
        time.sleep(0.3)
        record.refresh_from_db()
    assert record.pdf_ready, f"PDF still {record.pdf_status}: {record.pdf_error}"
    response = api.as_user(cast.users["ag_head"]).get(f"/api/v1/inspections/{inspection.pk}/record-pdf/")
    assert response.status_code == 200
    text = read_pdf_text(b"".join(response.streaming_content))
    assert "Số: 01/BB-CCTDC" in text and "BIÊN BẢN" in text and "Sở Tư pháp" in text


@pytest.mark.django_db(transaction=True)
def test_accept_and_reject_in_parallel_exactly_one_wins(cast):
    if connection.vendor != "postgresql":
        require_services("a real race needs PostgreSQL (set DATABASE_URL)")
    world = build_world(cast)
    respond(world, "ag_stp")
    pk = world.findings["ag_stp"].pk
    inspector = cast.users["ag_inspector"]
    barrier = threading.Barrier(2)
    outcomes = {}

    def review(verdict):
        try:
            finding = Finding.objects.get(pk=pk)  # both see "responded"
            barrier.wait(timeout=10)
            if verdict == "accept":
                services.finding_accept(actor=inspector, finding=finding)
            else:
                services.finding_reject(actor=inspector, finding=finding, reason="Chưa đạt")
            outcomes[verdict] = "won"
        except ConflictError:
            outcomes[verdict] = 409
        finally:
            close_old_connections()

    threads = [threading.Thread(target=review, args=(v,)) for v in ("accept", "reject")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values(), key=str) == [409, "won"], outcomes
    finding = Finding.objects.get(pk=pk)
    winner = next(v for v, o in outcomes.items() if o == "won")
    assert finding.status == {"accept": FindingStatus.ACCEPTED, "reject": FindingStatus.REJECTED}[winner]
    assert finding.events.filter(kind__in=["accepted", "rejected"]).count() == 1
