"""Every id in a request body is resolved through the caller's scope: an id outside it gets exactly the answer of
an id that does not exist, and no name (no oracle of what another agency or province holds)."""

import pytest

from qms.models import InternalAudit, QmsRecord

pytestmark = pytest.mark.django_db
MISSING = 987654


def _error(response, field):
    assert response.status_code == 400, response.content
    return response.json()[field]


def _same_answer(outside, missing, field, *, outside_id, missing_id=MISSING):
    text = str(_error(outside, field)).replace(str(outside_id), "ID")
    assert text == str(_error(missing, field)).replace(str(missing_id), "ID")
    return text


def test_also_covers_reaches_only_the_callers_agencies(api, cast):
    stp, ubnd = cast.agencies["ag_stp"], cast.agencies["ag_ubnd"]
    officer = api.as_user(cast.users["ag_officer"])
    url = f"/api/v1/agencies/{stp.pk}/qms/"
    text = _same_answer(officer.patch(url, {"also_covers": [ubnd.pk]}, format="json"),
                        officer.patch(url, {"also_covers": [MISSING]}, format="json"), "also_covers",
                        outside_id=ubnd.pk)
    assert ubnd.name not in text
    assert not QmsRecord.objects.filter(also_covers=ubnd).exists()


def test_also_covers_of_another_province_is_refused_without_its_name(api, cast):
    admin = api.as_user(cast.users["admin"])
    other = cast.agencies["cb_stp"]
    text = str(_error(admin.patch(f"/api/v1/agencies/{cast.agencies['ag_stp'].pk}/qms/",
                                  {"also_covers": [other.pk]}, format="json"), "also_covers"))
    assert other.name not in text and "cùng tỉnh" in text


def test_parent_and_successor_of_another_province_look_missing(api, cast):
    inspector = api.as_user(cast.users["ag_inspector"])
    payload = {"name": "Sở Ngoại vụ", "short_code": "SNGV", "kind": "so", "province": cast.provinces["ag"].code}
    other = cast.agencies["cb_stp"]
    _same_answer(inspector.post("/api/v1/agencies/", {**payload, "parent": other.pk}, format="json"),
                 inspector.post("/api/v1/agencies/", {**payload, "parent": MISSING}, format="json"), "parent",
                 outside_id=other.pk)
    leader = api.as_user(cast.users["ag_leader"])
    url = f"/api/v1/agencies/{cast.agencies['ag_snv'].pk}/successions/"
    body = {"kind": "merger", "effective_date": "2025-07-01"}
    _same_answer(leader.post(url, {**body, "successor": other.pk}, format="json"),
                 leader.post(url, {**body, "successor": MISSING}, format="json"), "successor", outside_id=other.pk)
    assert cast.agencies["ag_snv"].is_active


def test_a_corrective_action_names_only_an_audit_of_its_own_system(api, cast):
    theirs = QmsRecord.objects.create(agency=cast.agencies["ag_snv"])
    audit = InternalAudit.objects.create(qms=theirs, held_on="2026-03-02", auditors="Nguyễn Văn An")
    officer = api.as_user(cast.users["ag_officer"])
    url = f"/api/v1/agencies/{cast.agencies['ag_stp'].pk}/corrective-actions/"
    body = {"description": "Sửa quy trình", "due_on": "2026-12-31", "status": "open"}
    _same_answer(officer.post(url, {**body, "internal_audit": audit.pk}, format="json"),
                 officer.post(url, {**body, "internal_audit": MISSING}, format="json"), "internal_audit",
                 outside_id=audit.pk)
