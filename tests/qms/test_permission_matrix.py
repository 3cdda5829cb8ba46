"""Permission matrix for every QMS-file endpoint: role x (own agency / other agency / other province) x action."""

import pytest

from qms.models import QmsRecord

pytestmark = pytest.mark.django_db

USERS = ["ag_officer", "ag_head", "ag_inspector", "ag_leader", "ag_ubnd", "cb_officer", "cb_inspector",
         "ministry", "admin"]
TARGETS = ("ag_stp", "ag_snv", "cb_stp")
READ = {
    "ag_officer": (200, 404, 404), "ag_head": (200, 404, 404), "ag_inspector": (200, 200, 404),
    "ag_leader": (200, 200, 404), "ag_ubnd": (200, 200, 404), "cb_officer": (404, 404, 200),
    "cb_inspector": (404, 404, 200), "ministry": (200, 200, 200), "admin": (200, 200, 200),
}
WRITE = {  # the agency keeps its own file; the province and the ministry read it
    "ag_officer": (201, 404, 404), "ag_head": (201, 404, 404), "ag_inspector": (403, 403, 404),
    "ag_leader": (403, 403, 404), "ag_ubnd": (403, 403, 404), "cb_officer": (404, 404, 201),
    "cb_inspector": (404, 404, 403), "ministry": (403, 403, 403), "admin": (201, 201, 201),
}
PAYLOADS = {
    "announcements": {"kind": "first", "decision_number": "1/QĐ", "decision_date": "2025-01-02", "signer": "A",
                      "edition": "2015", "scope": "Toàn bộ"},
    "procedures": {"code": "9.999", "name": "Thủ tục"},
    "documents": {"kind": "policy", "code": "CS", "title": "Chính sách"},
    "legal-updates": {"legal_document": "Luật", "effective_on": "2025-01-01"},
    "internal-audits": {"held_on": "2025-03-01", "auditors": "A"},
    "management-reviews": {"held_on": "2025-03-05", "chair": "B"},
    "corrective-actions": {"description": "d", "action": "a", "owner": "o", "due_on": "2025-05-01"},
    "complaints": {"received_on": "2025-02-01", "summary": "s"},
    "improvements": {"done_on": "2025-02-01", "description": "d"},
    "trainings": {"held_on": "2025-02-01", "topic": "ISO", "attendees": 10},
}
PARTS = list(PAYLOADS)


def _cases(table):
    return [(u, t, table[u][i]) for u in USERS for i, t in enumerate(TARGETS)]


@pytest.mark.parametrize(("user", "target", "expected"), _cases(READ))
@pytest.mark.parametrize("suffix", ["qms/", "qms/history/", "compliance/"] + [f"{p}/" for p in PARTS])
def test_read(api, cast, user, target, expected, suffix):
    response = api.as_user(cast.users[user]).get(f"/api/v1/agencies/{cast.agencies[target].pk}/{suffix}")
    assert response.status_code == expected


@pytest.mark.parametrize(("user", "target", "expected"), _cases(WRITE))
@pytest.mark.parametrize("part", PARTS)
def test_create_and_update(api, cast, user, target, expected, part):
    agency = cast.agencies[target]
    client = api.as_user(cast.users[user])
    response = client.post(f"/api/v1/agencies/{agency.pk}/{part}/", PAYLOADS[part], format="json")
    assert response.status_code == expected, response.content
    if expected == 201:
        item = response.json()["id"]
        patched = client.patch(f"/api/v1/agencies/{agency.pk}/{part}/{item}/", {}, format="json")
        assert patched.status_code == 200


@pytest.mark.parametrize(("user", "target", "expected"), _cases(WRITE))
def test_patch_record(api, cast, user, target, expected):
    agency = cast.agencies[target]
    response = api.as_user(cast.users[user]).patch(f"/api/v1/agencies/{agency.pk}/qms/", {"consultant": "Công ty X"},
                                                   format="json")
    assert response.status_code == (200 if expected == 201 else expected)
    saved = QmsRecord.objects.filter(agency=agency, consultant="Công ty X").exists()
    assert saved == (expected == 201)


@pytest.mark.parametrize(("user", "expected"), [("ag_officer", 403), ("ag_head", 200), ("admin", 200)])
def test_only_the_head_confirms(api, cast, user, expected):
    stp = cast.agencies["ag_stp"]
    response = api.as_user(cast.users[user]).patch(f"/api/v1/agencies/{stp.pk}/qms/", {
        "effectiveness_confirmed_on": "2025-01-01", "effectiveness_confirmed_by": "A"}, format="json")
    assert response.status_code == expected


@pytest.mark.parametrize(("user", "expected"), [
    ("ag_officer", 400), ("ag_inspector", 403), ("cb_officer", 404), ("ministry", 403)])
def test_import_permissions(api, cast, user, expected):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api.as_user(cast.users[user]).post(
        f"/api/v1/agencies/{cast.agencies['ag_stp'].pk}/procedures/import/",
        {"file": SimpleUploadedFile("x.csv", b"nothing useful")}, format="multipart")
    assert response.status_code == expected


@pytest.mark.parametrize(("user", "visible"), [
    ("ag_officer", {"ag_stp"}), ("ag_inspector", {"ag_ubnd", "ag_skhcn", "ag_stp", "ag_snv"}),
    ("cb_inspector", {"cb_ubnd", "cb_skhcn", "cb_stp", "cb_snv"}), ("nobody", set())])
def test_province_compliance_scope(api, cast, user, visible):
    rows = api.as_user(cast.users[user]).get("/api/v1/compliance/?page_size=100").json()["results"]
    assert {r["id"] for r in rows} == {cast.agencies[k].pk for k in visible}
