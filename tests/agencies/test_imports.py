"""Bulk import of agencies and obligations (issue 15): the sample files, a check with a per-row report, all rows
or none, idempotent re-import, bad input named row by row, the API and its permission matrix, 5,000 rows."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from agencies.divisions import load_divisions
from agencies.models import Agency, AgencyKind, AgencyObligation, Commune, Province
from agencies.selectors import search_agencies
from qms_portal.models import ImportJob
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def _upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (SAMPLES / name).read_bytes(), content_type="text/csv")


def _csv(text: str, name="co-quan.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def an_giang(padmins):
    """The real communes (2025), An Giang's Sở GD&ĐT."""
    load_divisions()
    AgencyFactory(name="Sở Giáo dục và Đào tạo", short_code="SGDDT", province=padmins.provinces["ag"])
    return padmins


def _check_then_apply(client, kind: str, upload) -> tuple[dict, dict]:
    response = client.post("/agencies/import/", {"kind": kind, "file": upload})
    assert response.status_code == 302, response.content.decode()[-3000:]
    check = ImportJob.objects.latest("pk")
    assert response["Location"] == f"/imports/{check.pk}/" and not check.apply
    response = client.post(f"/imports/{check.pk}/apply/")
    applied = ImportJob.objects.latest("pk")
    return check.report, applied.report


def test_the_an_giang_schools_sample(client, an_giang):
    ag = an_giang.provinces["ag"]
    client.force_login(an_giang.users["ag_padmin"])
    before = Agency.objects.count()
    response = client.post("/agencies/import/", {"kind": "agencies.agencies",
                                                 "file": _upload("an-giang-truong-thcs.csv")})
    check = ImportJob.objects.latest("pk")
    assert (check.report["rows"], check.report["created"], check.report["errors"]) == (102, 102, [])
    assert Agency.objects.count() == before  # a check saves nothing
    page = client.get(response["Location"]).content.decode()
    assert "Nhập các dòng này" in page or "Import these rows" in page
    client.post(f"/imports/{check.pk}/apply/")
    assert ImportJob.objects.latest("pk").report["applied"] is True
    schools = Agency.objects.filter(province=ag, short_code__startswith="THCS-")
    assert schools.count() == 102
    school = schools.get(short_code="THCS-30313")
    assert (school.name, school.kind, school.parent.short_code, school.commune.code) == (
        "Trường THCS Mỹ Hòa Hưng", AgencyKind.PUBLIC_SERVICE_UNIT, "SGDDT", 30313)
    assert school.history.get().history_user == an_giang.users["ag_padmin"]
    assert school in search_agencies(Agency.objects.all(), "thcs my hoa hung")
    # the same file again: nothing to add or change, and nothing written
    history = Agency.history.count()
    check, applied = _check_then_apply(client, "agencies.agencies", _upload("an-giang-truong-thcs.csv"))
    assert (check["created"], check["updated"], applied["created"], applied["updated"]) == (0, 0, 0, 0)
    assert Agency.history.count() == history
    # their 2025 obligations
    check, applied = _check_then_apply(client, "agencies.obligations",
                                       _upload("an-giang-truong-thcs-nghia-vu-2025.csv"))
    assert applied["applied"] and applied["created"] == 102
    assert AgencyObligation.objects.filter(agency__in=schools, year=2025, level="mandatory").count() == 102


def test_the_kon_tum_communes_sample(client, an_giang):
    quang_ngai = Province.objects.current().get(code=51)
    client.force_login(an_giang.users["admin"])
    response = client.post("/agencies/import/", {"kind": "agencies.agencies", "province": quang_ngai.pk,
                                                 "file": _upload("kon-tum-ubnd-xa.csv")})
    check = ImportJob.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))
    assert (check.report["rows"], check.report["created"], check.report["errors"]) == (40, 40, [])
    client.post(f"/imports/{check.pk}/apply/")
    committees = Agency.objects.filter(province=quang_ngai, kind=AgencyKind.COMMUNE_PEOPLES_COMMITTEE)
    assert committees.count() == 40
    assert committees.get(commune__code=23401).name == "Ủy ban nhân dân xã Đăk Tô"


HEADER = "Tên cơ quan,Ký hiệu,Loại cơ quan,Cơ quan cấp trên (ký hiệu),Mã xã\n"


def test_bad_rows_are_named_and_nothing_is_saved(client, an_giang):
    cao_bang_commune = Commune.objects.current().filter(province__code=4).first().code
    AgencyFactory(name="Sở Giáo dục Cao Bằng", short_code="SGDCB", province=an_giang.provinces["cb"])
    rows = [
        "Trường THCS Tốt,THCS-OK,Đơn vị sự nghiệp công lập,SGDDT,30313",     # 2: good
        "Trường THCS A,THCS-A,Đơn vị sự nghiệp công lập,SGDDT,99999999",    # 3: unknown commune
        f"Trường THCS B,THCS-B,Đơn vị sự nghiệp công lập,SGDDT,{cao_bang_commune}",  # 4: commune of Cao Bằng
        "Trường THCS C,THCS-C,Đơn vị sự nghiệp công lập,SGDCB,",            # 5: parent in another province
        "Ủy ban nhân dân tỉnh An Giang,UBND,UBND tỉnh,STP,",                # 6: a cycle (STP is under UBND)
        "Trường THCS D,THCS-OK,Đơn vị sự nghiệp công lập,SGDDT,",           # 7: short code twice in the file
        "Sở Nội vụ,SNV,Ban,UBND,",                                          # 8: kind written as nobody does
        "Trường THCS E,THCS-E,lâu đài,SGDDT,",                              # 9: unknown kind
    ]
    client.force_login(an_giang.users["ag_padmin"])
    before = (Agency.objects.count(), Agency.history.count())
    client.post("/agencies/import/", {"kind": "agencies.agencies", "file": _csv(HEADER + "\n".join(rows))})
    check = ImportJob.objects.latest("pk")
    errors = {(e["row"], e["column"]): e for e in check.report["errors"]}
    assert errors[(3, "Mã xã")]["value"] == "99999999"
    assert "Không có" in errors[(3, "Mã xã")]["message"]
    assert errors[(4, "Mã xã")]["message"] == "Xã, phường, đặc khu không thuộc tỉnh của cơ quan."
    assert "SGDCB" in errors[(5, "Cơ quan cấp trên (ký hiệu)")]["message"]
    assert errors[(6, "Cơ quan cấp trên (ký hiệu)")]["message"] == \
        "Chọn cơ quan cấp trên này sẽ tạo vòng lặp trong cây cơ quan."
    assert (7, "Ký hiệu") in errors and (9, "Loại cơ quan") in errors
    assert errors[(8, "Loại cơ quan")]["message"] == "Loại cơ quan không hợp lệ."
    assert 2 not in {row for row, _column in errors}
    page = client.get(f"/imports/{check.pk}/").content.decode()
    assert "99999999" in page and "vòng lặp" in page
    assert client.post(f"/imports/{check.pk}/apply/").status_code == 302  # refused: a check with errors
    assert (Agency.objects.count(), Agency.history.count()) == before


def test_obligation_rows_refused(client, an_giang):
    snv = an_giang.agencies["ag_snv"]
    snv.is_active = False
    snv.save()
    text = ("Ký hiệu,Năm,Nghĩa vụ áp dụng,Căn cứ pháp lý\n"
            "STP,2027,Bắt buộc,Quyết định 19\n"       # good
            "SNV,2027,Bắt buộc,\n"                    # inactive
            "KHONGCO,2027,Bắt buộc,\n"                # unknown agency
            "STP,1990,Bắt buộc,\n"                    # year out of range
            "SKHCN,2027,có lẽ,\n")                    # unknown level
    client.force_login(an_giang.users["ag_padmin"])
    client.post("/agencies/import/", {"kind": "agencies.obligations", "file": _csv(text, "nghia-vu.csv")})
    report = ImportJob.objects.latest("pk").report
    rows = {e["row"]: e for e in report["errors"]}
    assert set(rows) == {3, 4, 5, 6}
    assert "không hoạt động" in rows[3]["message"] and rows[6]["column"] == "Nghĩa vụ áp dụng"
    assert rows[5]["message"].endswith("Ghi năm từ 2014 đến 2100.")  # the years of qms_portal.dates.WORK_YEARS
    assert not AgencyObligation.objects.filter(year=2027).exists()


def test_an_inspector_imports_no_obligation_into_a_confirmed_year(client, an_giang):
    """The import refuses as the page and the API do (agencies.services.obligations_locked): An Giang's 2026 is
    confirmed, so only its leader or administrator changes it."""
    client.force_login(an_giang.users["ag_inspector"])
    client.post("/agencies/import/", {"kind": "agencies.obligations",
                                      "file": _csv("Ký hiệu,Năm,Nghĩa vụ áp dụng\nSTP,2026,Không áp dụng\n", "nv.csv")})
    [error] = ImportJob.objects.latest("pk").report["errors"]
    assert error["row"] == 2 and "2026 đã được xác nhận" in error["message"]
    assert AgencyObligation.objects.get(agency=an_giang.agencies["ag_stp"], year=2026).level == "mandatory"


def test_a_workbook_with_formulas_is_refused(client, an_giang):
    workbook = Workbook()
    workbook.active.append(["Tên cơ quan", "Ký hiệu", "Loại cơ quan"])
    workbook.active.append(["=HYPERLINK(\"http://x\")", "X", "Sở"])
    body = io.BytesIO()
    workbook.save(body)
    client.force_login(an_giang.users["ag_padmin"])
    response = client.post("/agencies/import/", {"kind": "agencies.agencies", "file": SimpleUploadedFile(
        "co-quan.xlsx", body.getvalue())})
    assert response.status_code == 200 and "công thức" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_templates_download(client, padmins):
    client.force_login(padmins.users["ag_padmin"])
    response = client.get("/agencies/import/template/agencies.agencies/")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert [c.value for c in sheet[1]][:5] == ["Tên cơ quan", "Ký hiệu", "Loại cơ quan", "Cơ quan cấp trên (ký hiệu)",
                                              "Mã xã"]
    assert client.get("/agencies/import/template/nothing/").status_code == 404
    assert client.get("/agencies/import/").status_code == 200
    client.force_login(padmins.users["ag_ubnd"])
    assert client.get("/agencies/import/").status_code == 403


def test_import_endpoint_matrix(api, padmins):
    text = "Tên cơ quan,Ký hiệu,Loại cơ quan\nTrường THCS API,THCS-API,Đơn vị sự nghiệp công lập\n"
    expected = {"ag_officer": 403, "ag_head": 403, "ag_ubnd": 403, "ministry": 403, "ag_inspector": 200,
                "ag_leader": 200, "ag_padmin": 200, "admin": 200}
    for user, code in expected.items():
        response = api.as_user(padmins.users[user]).post("/api/v1/agency-imports/", {
            "kind": "agencies.agencies", "province": 91, "file": _csv(text), "apply": "false"}, format="multipart")
        assert response.status_code == code, (user, response.content)
        if code == 200:
            assert response.json()["report"]["created"] == 1
    response = api.as_user(padmins.users["ag_padmin"]).post("/api/v1/agency-imports/", {
        "kind": "agencies.agencies", "file": _csv(text), "apply": "true"}, format="multipart")
    assert response.json()["report"]["applied"] and Agency.objects.get(short_code="THCS-API").province.code == 91
    # a province role imports into its own province, whatever it asks
    response = api.as_user(padmins.users["cb_padmin"]).post("/api/v1/agency-imports/", {
        "kind": "agencies.agencies", "province": 91, "file": _csv(text.replace("API", "CB")), "apply": "true"},
        format="multipart")
    assert Agency.objects.get(short_code="THCS-CB").province.code == 4


def test_5000_rows_in_the_worker(client, an_giang, django_capture_on_commit_callbacks):
    """5,000 agencies (the import's row limit): checked, then applied, by the worker (eager here), all or nothing.
    Time and memory are benchmark figures, not test assertions (about 20 s and 230 MB each on 2 cores)."""
    communes = list(Commune.objects.current().filter(province__code=91).values_list("code", flat=True))
    lines = [f"Trường thử nghiệm số {n},TN-{n},Đơn vị sự nghiệp công lập,SGDDT,{communes[n % len(communes)]}"
             for n in range(1, 5000)]
    client.force_login(an_giang.users["ag_padmin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/agencies/import/", {"kind": "agencies.agencies", "file": _csv(HEADER + "\n".join(lines))})
    checked = ImportJob.objects.latest("pk")
    assert checked.report["errors"] == [] and not checked.report.get("applied")
    assert not Agency.objects.filter(short_code__startswith="TN-").exists()  # a check saves nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{checked.pk}/apply/")
    report = ImportJob.objects.latest("pk").report
    assert report["applied"] and report["created"] == 4999, report["errors"][:3]
    assert Agency.objects.filter(short_code__startswith="TN-").count() == 4999


def test_hidden_characters_are_named_by_their_column(client, an_giang):
    """A cell with a control character or a text direction mark is refused under its column, with its value: the
    report said only the message, on no column, and the clerk could not tell which of the row's cells it was."""
    rows = [
        "Trường THCS A,THCS-A,Đơn vị sự nghiệp công lập,SGDDT,,Phường Long Xuyên\x01",   # 2: control, address
        "Trường THCS B\u202e,THCS-B,Đơn vị sự nghiệp công lập,SGDDT,,",                  # 3: direction mark, name
        "Trường THCS C,THCS-C\x07,Đơn vị sự nghiệp công lập,SGDDT,,",                     # 4: control, short code
    ]
    header = HEADER.rstrip("\n") + ",Địa chỉ\n"
    client.force_login(an_giang.users["ag_padmin"])
    client.post("/agencies/import/", {"kind": "agencies.agencies", "file": _csv(header + "\n".join(rows))})
    errors = {e["row"]: e for e in ImportJob.objects.latest("pk").report["errors"]}
    assert (errors[2]["column"], errors[2]["value"]) == ("Địa chỉ", "Phường Long Xuyên\x01")
    assert errors[2]["message"] == "Văn bản chứa ký tự điều khiển không được phép."
    assert errors[3]["column"] == "Tên cơ quan" and "ký tự ẩn" in errors[3]["message"]
    assert errors[4]["column"] == "Ký hiệu"
    text = ("Ký hiệu,Năm,Nghĩa vụ áp dụng,Căn cứ pháp lý\n"
            "STP,2027,Bắt buộc,Quyết định 19\u200b\n")
    client.post("/agencies/import/", {"kind": "agencies.obligations", "file": _csv(text, "nghia-vu.csv")})
    [error] = ImportJob.objects.latest("pk").report["errors"]
    assert (error["row"], error["column"]) == (2, "Căn cứ pháp lý")
