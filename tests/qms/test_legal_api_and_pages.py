"""The register in the API and on the pages: the permission matrix (role x own/other x action), bad input with
nothing saved, the import (check, then apply), and the agency's answers from its QMS file."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils.translation import gettext

from agencies.models import AgencyKind
from qms.legal.models import DueLegalUpdate, DueStatus, LegalChange
from qms.models import Procedure
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

BODY = {"number": "15/2026/NĐ-CP", "title": "Nghị định sửa đổi thủ tục hộ tịch", "issuer": "Chính phủ",
        "issued_on": "2026-01-10", "effective_on": "2026-02-01", "procedure_fields": ["Hộ tịch"]}


@pytest.fixture
def civil_status(cast):
    for key in ("ag_stp", "cb_stp"):
        Procedure.objects.create(agency=cast.agencies[key], code="1.0001", name="Đăng ký khai sinh", field="Hộ tịch")


def post(api, cast, user, path, body=None, **kwargs):
    """POST as `user`; what the request hands the worker on commit runs before the answer is read."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return api.__class__().as_user(cast.users[user]).post(path, body or {}, format="json", **kwargs)


@pytest.mark.parametrize(("user", "expected", "national"), [
    ("ag_inspector", 201, False), ("ag_leader", 201, False), ("ministry", 201, True), ("admin", 201, True),
    ("ag_officer", 403, None), ("ag_head", 403, None), ("ag_ubnd", 403, None), ("nobody", 403, None)])
def test_who_registers(api, cast, civil_status, user, expected, national):
    response = post(api, cast, user, "/api/v1/legal-changes/", BODY)
    assert response.status_code == expected, response.json()
    if expected == 201:
        change = LegalChange.objects.get()
        assert (change.province_id is None) is national
        # The worker ran (eagerly in tests): the province's entry reaches its own Sở Tư pháp only.
        concerned = set(change.due_updates.values_list("agency_id", flat=True))
        assert cast.agencies["ag_stp"].pk in concerned
        assert (cast.agencies["cb_stp"].pk in concerned) is national
    else:
        assert not LegalChange.objects.exists()


def test_bad_input_is_refused_with_the_field_and_nothing_is_saved(api, cast, civil_status):
    for body, field in [({**BODY, "effective_on": "2026-01-01"}, "effective_on"),
                        ({**BODY, "effective_on": "9999-01-01"}, "effective_on"),
                        ({**BODY, "procedure_codes": ["9.9999"]}, "procedure_codes"),
                        ({**BODY, "agencies": [cast.agencies["cb_stp"].pk]}, "agencies"),
                        ({**BODY, "agency_kinds": ["zzz"]}, "agency_kinds"),
                        ({**BODY, "number": "15/2026/NĐ-CP\u202e"}, "number")]:
        response = post(api, cast, "ag_inspector", "/api/v1/legal-changes/", body)
        assert response.status_code == 400 and field in response.json(), (body, response.json())
    assert not LegalChange.objects.exists()
    post(api, cast, "ag_inspector", "/api/v1/legal-changes/", BODY)
    again = post(api, cast, "ag_inspector", "/api/v1/legal-changes/", BODY)
    assert again.status_code == 400 and "đã có trong sổ" in str(again.json())


def test_another_province_sees_neither_the_entry_nor_its_due_updates(api, cast, civil_status):
    change_id = post(api, cast, "ag_inspector", "/api/v1/legal-changes/", BODY).json()["id"]
    due = DueLegalUpdate.objects.get(agency=cast.agencies["ag_stp"])
    for user in ("cb_inspector", "cb_officer"):
        client = api.__class__().as_user(cast.users[user])
        assert client.get(f"/api/v1/legal-changes/{change_id}/").status_code == 404
        assert client.get(f"/api/v1/due-legal-updates/{due.pk}/").status_code == 404
        assert client.post(f"/api/v1/due-legal-updates/{due.pk}/declare-not-applicable/",
                           {"reason": "Không áp dụng cho chúng tôi."}, format="json").status_code == 404
    officer = api.__class__().as_user(cast.users["ag_officer"])
    assert [c["id"] for c in officer.get("/api/v1/legal-changes/").json()["results"]] == [change_id]
    assert officer.get(f"/api/v1/due-legal-updates/{due.pk}/").json()["verdict"] == "overdue"
    snv_officer = api.__class__().as_user(cast.users["ag_inspector"])
    refused = snv_officer.get("/api/v1/due-legal-updates/", {"verdict": "zzz"})
    assert refused.status_code == 400
    assert refused.json() == {"verdict": [gettext("Select a valid choice. %(value)s is not one of the available "
                                                  "choices.") % {"value": "zzz"}]}


def test_the_agency_answers_and_the_province_decides_through_the_api(api, cast, civil_status):
    post(api, cast, "ag_inspector", "/api/v1/legal-changes/", BODY)
    due = DueLegalUpdate.objects.get(agency=cast.agencies["ag_stp"])
    path = f"/api/v1/due-legal-updates/{due.pk}/"
    assert post(api, cast, "ag_inspector", path + "declare-not-applicable/",
                {"reason": "Không áp dụng cho Sở."}).status_code == 403
    refused = post(api, cast, "ag_officer", path + "declare-not-applicable/", {"reason": ""})
    assert refused.status_code == 400
    assert refused.json() == {"reason": [gettext("This field may not be blank.")]}  # DRF's own message
    declared = post(api, cast, "ag_officer", path + "declare-not-applicable/", {"reason": "Không áp dụng cho Sở."})
    assert declared.status_code == 200 and declared.json()["verdict"] == "awaiting"
    assert post(api, cast, "ag_officer", path + "decide/", {"accept": True}).status_code == 403
    assert post(api, cast, "cb_inspector", path + "decide/", {"accept": True}).status_code == 404
    decided = post(api, cast, "ag_inspector", path + "decide/", {"accept": True})
    assert decided.status_code == 200 and decided.json()["verdict"] == "not_applicable"
    refused = post(api, cast, "ag_officer", path + "record/", {"updated_on": "2026-03-01"})
    assert refused.status_code == 400
    # settled as not applicable: nothing more to record (the date itself would be accepted)
    assert refused.json() == {"non_field_errors": [gettext("This legal change is already settled for the agency.")]}


def test_the_import_checks_then_applies_all_or_nothing(api, cast, civil_status):
    rows = ("Số ký hiệu;Trích yếu;Cơ quan ban hành;Ngày ban hành;Ngày hiệu lực;Lĩnh vực;Loại cơ quan;Thay thế\n"
            "15/2026/NĐ-CP;Sửa đổi hộ tịch;Chính phủ;10/01/2026;01/02/2026;Hộ tịch;;\n"
            "16/2026/NĐ-CP;Sửa đổi tiếp;Chính phủ;10/03/2026;01/04/2026;;UBND cấp xã;15/2026/NĐ-CP\n"
            "17/2026/NĐ-CP;Sai ngày;Chính phủ;10/03/2026;01/01/2026;Hộ tịch;;\n")
    inspector = api.__class__().as_user(cast.users["ag_inspector"])
    upload = SimpleUploadedFile("vb.csv", rows.replace("UBND cấp xã", AgencyKind.COMMUNE_PEOPLES_COMMITTEE).encode())
    check = inspector.post("/api/v1/legal-changes/import/?apply=false", {"file": upload}, format="multipart").json()
    assert [(e["row"], e["column"]) for e in check["report"]["errors"]] == [(4, "Ngày hiệu lực")]
    assert not LegalChange.objects.exists()
    good = SimpleUploadedFile("vb.csv", "\n".join(rows.replace("UBND cấp xã", "ubnd_xa").splitlines()[:3]).encode())
    check = inspector.post("/api/v1/legal-changes/import/?apply=false", {"file": good}, format="multipart").json()
    assert check["report"]["errors"] == [] and not LegalChange.objects.exists()
    applied = inspector.post(f"/api/v1/imports/{check['id']}/apply/").json()
    assert applied["report"]["applied"] is True
    second = LegalChange.objects.get(number="16/2026/NĐ-CP")
    assert list(second.replaces.values_list("number", flat=True)) == ["15/2026/NĐ-CP"]
    assert post(api, cast, "ag_officer", "/api/v1/legal-changes/import/").status_code == 403


@pytest.mark.parametrize("user", ["ag_inspector", "ministry"])
def test_the_import_replaces_entries_of_its_level_as_the_api_does(api, cast, civil_status, user):
    """A row's "Thay thế" finds a national entry (a province's import and the national one alike: an IN list with
    None in it never matched them) and an entry of the import's province, never one of another province."""
    national = post(api, cast, "ministry", "/api/v1/legal-changes/", BODY).json()
    other = post(api, cast, "cb_inspector", "/api/v1/legal-changes/", {**BODY, "number": "7/2026/QĐ-UBND"})
    assert other.status_code == 201 and national["province"] is None
    rows = ("Số ký hiệu;Trích yếu;Cơ quan ban hành;Ngày ban hành;Ngày hiệu lực;Lĩnh vực;Loại cơ quan;Thay thế\n"
            "16/2026/NĐ-CP;Sửa đổi tiếp;Chính phủ;10/03/2026;01/04/2026;Hộ tịch;;15/2026/NĐ-CP\n")
    client = api.__class__().as_user(cast.users[user])
    check = client.post("/api/v1/legal-changes/import/?apply=false",
                        {"file": SimpleUploadedFile("vb.csv", rows.encode())}, format="multipart").json()
    assert check["report"]["errors"] == []
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(f"/api/v1/imports/{check['id']}/apply/").json()["report"]["applied"] is True
    assert list(LegalChange.objects.get(number="16/2026/NĐ-CP").replaces.values_list("pk", flat=True)) == [
        national["id"]]
    elsewhere = rows.replace("16/2026", "17/2026").replace("15/2026/NĐ-CP\n", "7/2026/QĐ-UBND\n")
    check = client.post("/api/v1/legal-changes/import/?apply=false",
                        {"file": SimpleUploadedFile("vb.csv", elsewhere.encode())}, format="multipart").json()
    assert [(e["row"], e["column"]) for e in check["report"]["errors"]] == [(2, "Thay thế")]


def test_the_agency_sees_and_answers_from_its_qms_file(client, cast, civil_status, api):
    AgencyFactory(province=cast.provinces["ag"], kind=AgencyKind.COMMUNE_PEOPLES_COMMITTEE, short_code="X1")
    post(api, cast, "ag_inspector", "/api/v1/legal-changes/", BODY)
    stp = cast.agencies["ag_stp"]
    due = DueLegalUpdate.objects.get(agency=stp)
    client.force_login(cast.users["ag_officer"])
    page = client.get(f"/agencies/{stp.pk}/qms/").content.decode()
    assert "15/2026/NĐ-CP" in page and "01/05/2026" in page and "Quá hạn" in page
    response = client.post(f"/legal-changes/due/{due.pk}/record/", {"updated_on": "2026-04-20",
                                                                     "note": "Sửa quy trình hộ tịch."}, follow=True)
    assert "Đã ghi nhận việc cập nhật." in response.content.decode()
    due.refresh_from_db()
    assert (due.status, due.updated_on) == (DueStatus.UPDATED, date(2026, 4, 20))
    bad = client.post(f"/legal-changes/due/{due.pk}/declare/", {"reason": "Không áp dụng."}, follow=True)
    assert "đã được xử lý xong" in bad.content.decode()


def test_the_register_pages_by_role(client, cast, civil_status, api):
    post(api, cast, "ag_inspector", "/api/v1/legal-changes/", BODY)
    change = LegalChange.objects.get()
    client.force_login(cast.users["ag_inspector"])
    page = client.get("/legal-changes/").content.decode()
    assert "15/2026/NĐ-CP" in page and "Đăng ký văn bản" in page
    assert "Sở Tư pháp" in client.get(f"/legal-changes/{change.pk}/").content.decode()
    refused = client.post("/legal-changes/", {**BODY, "procedure_fields": "Hộ tịch", "number": "X",
                                              "effective_on": "2026-01-01"})
    assert refused.status_code == 400 and LegalChange.objects.count() == 1
    assert refused.context["form"].errors == {
        "effective_on": [gettext("A document cannot take effect before it is issued.")]}
    client.force_login(cast.users["cb_inspector"])
    assert client.get(f"/legal-changes/{change.pk}/").status_code == 404
    client.force_login(cast.users["ag_officer"])
    officer_page = client.get("/legal-changes/").content.decode()
    assert "15/2026/NĐ-CP" in officer_page and "Đăng ký văn bản" not in officer_page
    assert client.post("/legal-changes/", {**BODY, "procedure_fields": "Hộ tịch"}).status_code == 200
    assert LegalChange.objects.count() == 1
    client.force_login(cast.users["nobody"])
    assert client.get("/legal-changes/").status_code == 403


def test_the_import_names_each_refused_cell_and_a_missing_column(api, cast, civil_status):
    inspector = api.__class__().as_user(cast.users["ag_inspector"])
    headless = SimpleUploadedFile("vb.csv", "Trích yếu;Cơ quan ban hành\nA;B\n".encode())
    response = inspector.post("/api/v1/legal-changes/import/?apply=false", {"file": headless}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    rows = ("Số ký hiệu;Trích yếu;Cơ quan ban hành;Ngày ban hành;Ngày hiệu lực;Lĩnh vực;Loại cơ quan;Thay thế\n"
            "21/2026/NĐ-CP;Ngày sai;Chính phủ;45/13/2026;01/02/2026;Hộ tịch;;\n"
            "22/2026/NĐ-CP;Loại lạ;Chính phủ;10/01/2026;01/02/2026;Hộ tịch;Hợp tác xã;\n"
            "23/2026/NĐ-CP;Thay thế lạ;Chính phủ;10/01/2026;01/02/2026;Hộ tịch;;99/2020/NĐ-CP\n")
    upload = SimpleUploadedFile("vb.csv", rows.encode())
    check = inspector.post("/api/v1/legal-changes/import/?apply=false", {"file": upload}, format="multipart").json()
    errors = {(e["row"], e["column"]): e["message"] for e in check["report"]["errors"]}
    assert set(errors) == {(2, "Ngày ban hành"), (3, "Loại cơ quan"), (4, "Thay thế")}
    assert "Hợp tác xã" in errors[(3, "Loại cơ quan")] and "99/2020/NĐ-CP" in errors[(4, "Thay thế")]
    assert not LegalChange.objects.exists()
