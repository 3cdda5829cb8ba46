"""One POST view per user action (issue 20): the pages only read, their old URL refuses a POST, and the sets of
actions the pages show (audits.actions) follow role and state."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audits.actions import finding_actions, inspection_actions, plan_actions
from audits.models import Inspection
from tests.audits.conftest import draft_plan

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def _writes(client, url: str) -> list[str]:
    """The SQL statements that wrote during a GET of `url` (asserting it is a page, 200)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert queries.captured_queries  # the page was read from the database, and the capture saw it
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_the_detail_pages_never_write_on_get(client, cast, open_world):
    inspection = open_world.inspections["ag_stp"]
    Inspection.objects.filter(pk=inspection.pk).update(self_assessment_submitted_at=None)
    pages = {
        "ag_inspector": [f"/inspections/plans/{open_world.plans['ag'].pk}/", f"/inspections/{inspection.pk}/",
                         f"/findings/{open_world.findings['ag_stp'].pk}/", "/obligations/2026/"],
        "ag_leader": [f"/inspections/plans/{open_world.plans['ag'].pk}/"],
        "ag_stp_officer": [f"/inspections/{inspection.pk}/"],  # its self-assessment form, prefilled
    }
    for user, urls in pages.items():
        client.force_login(open_world.users.get(user) or cast.users[user])
        client.get("/")  # the session is settled before counting
        for url in urls:
            assert _writes(client, url) == [], (user, url)


def test_the_staff_page_never_writes_on_get(client, padmins):
    client.force_login(padmins.users["ag_padmin"])
    client.get("/")
    assert _writes(client, f"/staff/{padmins.users['ag_inspector'].pk}/") == []


def test_a_post_to_a_page_is_refused(client, cast, padmins, open_world):
    """The pages no longer take a POST: each form posts to its own action route."""
    urls = {"ag_inspector": [f"/inspections/plans/{open_world.plans['ag'].pk}/",
                             f"/inspections/{open_world.inspections['ag_stp'].pk}/",
                             f"/findings/{open_world.findings['ag_stp'].pk}/", "/obligations/2026/"],
            "ag_padmin": [f"/staff/{cast.users['ag_inspector'].pk}/"]}
    open_world.plans["ag"].refresh_from_db()
    state = open_world.plans["ag"].state
    for user, pages in urls.items():
        client.force_login(cast.users[user])
        for url in pages:
            assert client.post(url, {"action": "close"}).status_code == 405, url
    open_world.plans["ag"].refresh_from_db()
    assert open_world.plans["ag"].state == state != "closed"


def test_an_action_route_refuses_a_get(client, cast, open_world):
    client.force_login(cast.users["ag_inspector"])
    assert client.get(f"/inspections/plans/{open_world.plans['ag'].pk}/close/").status_code == 405


def test_plan_actions_follow_role_and_state(units):
    plan = draft_plan(units, "ag")
    inspector, leader, officer = (units.users[u] for u in ("ag_inspector", "ag_leader", "ag_officer"))
    assert plan_actions(inspector, plan) == {"texts", "entry", "entry-remove", "submit"}
    assert plan_actions(leader, plan) == set()
    plan.state = "submitted"
    assert plan_actions(inspector, plan) == set()
    assert plan_actions(leader, plan) == {"approve", "return"}
    plan.state = "approved"
    assert plan_actions(inspector, plan) == {"request", "close"}
    assert plan_actions(leader, plan) == set() and plan_actions(officer, plan) == set()


def test_inspection_actions_follow_role_and_state(cast, open_world):
    inspection = open_world.inspections["ag_stp"]  # on site, decided, asked to report, not signed
    officer, other = open_world.users["ag_stp_officer"], open_world.users["ag_snv_officer"]
    inspector = cast.users["ag_inspector"]
    assert inspection_actions(inspector, inspection) == {"schedule", "checklist", "sign", "finding"}
    assert inspection.self_assessment_submitted_at is None
    assert inspection_actions(officer, inspection) == {"self", "self-submit"}
    inspection.self_assessment_submitted_at = timezone.now()
    assert inspection_actions(officer, inspection) == set()  # its self-assessment was submitted
    assert "sign" in inspection_actions(inspector, inspection)
    assert inspection_actions(other, inspection) == set()  # another agency's
    inspection.decision_id, inspection.report_request_id = None, None
    assert inspection_actions(inspector, inspection) == {"schedule", "checklist", "sign", "finding", "decision",
                                                         "request"}
    inspection.status = "signed"
    assert inspection_actions(inspector, inspection) == set() and inspection_actions(officer, inspection) == set()


def test_finding_actions_follow_role_and_state(cast, responded_world):
    finding = responded_world.findings["ag_stp"]
    officer, inspector = responded_world.users["ag_stp_officer"], cast.users["ag_inspector"]
    assert finding.status == "responded"
    assert finding_actions(inspector, finding) == {"accept", "reject", "evidence", "due"}
    assert finding_actions(officer, finding) == set()  # waiting for the inspecting unit
    finding.status = "rejected"
    assert finding_actions(officer, finding) == {"respond", "evidence"}
    assert finding_actions(inspector, finding) == {"evidence", "due"}
    assert finding_actions(responded_world.users["ag_snv_officer"], finding) == set()
    finding.status = "accepted"
    assert finding_actions(inspector, finding) == set() and finding_actions(officer, finding) == set()
    assert finding_actions(cast.users["ag_leader"], finding) == set()
