"""Until the inspection record (BBKT) is signed it is the team's draft: the agency sees its own self-assessment and
the decision, not the results, notes, findings, their count or the record's PDF, on the API and the pages alike,
and its requests queue no rendering. The province sees the draft; after signing the agency sees it all."""

import pytest

from audits import services
from tests.audits.conftest import SIGNED_ON

pytestmark = pytest.mark.django_db


def _as(api, world, username):
    return api.as_user(world.cast.users.get(username) or world.users[username])


@pytest.mark.parametrize("username", ["ag_officer", "ag_head"])
def test_the_agency_sees_no_draft_record(api, client, open_world, username):
    inspection = open_world.inspections["ag_stp"]
    agency = _as(api, open_world, username)
    body = agency.get(f"/api/v1/inspections/{inspection.pk}/").json()
    assert body["record"] is None and body["finding_count"] is None
    assert body["decision"] is not None  # the decision is the agency's to see
    assert agency.get(f"/api/v1/inspections/{inspection.pk}/record-pdf/").status_code == 404
    assert agency.get(f"/api/v1/inspections/{inspection.pk}/checklist/").status_code == 404
    assert agency.get(f"/api/v1/findings/?inspection={inspection.pk}").json()["count"] == 0
    inspection.record.refresh_from_db()
    assert inspection.record.pdf_status == "none"  # no rendering was queued
    client.force_login(open_world.cast.users[username])
    assert client.get(f"/inspections/{inspection.pk}/record.pdf").status_code == 404
    page = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "Chưa xem xét của lãnh đạo." not in page  # the team's note
    assert "Chưa tổ chức xem xét của lãnh đạo" not in page  # the finding


def test_the_province_sees_the_draft(api, open_world):
    inspection = open_world.inspections["ag_stp"]
    inspector = _as(api, open_world, "ag_inspector")
    body = inspector.get(f"/api/v1/inspections/{inspection.pk}/").json()
    assert body["record"]["signed_on"] is None and body["finding_count"] == 1
    rows = inspector.get(f"/api/v1/inspections/{inspection.pk}/checklist/").json()
    assert "Chưa xem xét của lãnh đạo." in [row["notes"] for row in rows]


def test_after_signing_the_agency_sees_the_record(api, client, open_world):
    inspection = open_world.inspections["ag_stp"]
    services.record_sign(actor=open_world.cast.users["ag_inspector"], inspection=inspection, signed_on=SIGNED_ON,
                         today=SIGNED_ON)
    agency = _as(api, open_world, "ag_officer")
    body = agency.get(f"/api/v1/inspections/{inspection.pk}/").json()
    assert body["record"]["signed_on"] == SIGNED_ON.isoformat() and body["finding_count"] == 1
    assert agency.get(f"/api/v1/inspections/{inspection.pk}/checklist/").status_code == 200
    assert agency.get(f"/api/v1/inspections/{inspection.pk}/record-pdf/").status_code in (200, 202)
    client.force_login(open_world.cast.users["ag_officer"])
    assert "Chưa xem xét của lãnh đạo." in client.get(f"/inspections/{inspection.pk}/").content.decode()
