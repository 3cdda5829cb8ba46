"""The QMS file against input that used to be a 500: duplicate procedure codes, dates far in the future,
invisible characters, workbooks with macros and oversized imports. Each is a 400 naming the field, with the
Vietnamese message, and nothing is saved."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from qms.models import LegalUpdate, Procedure, QmsDocument

pytestmark = pytest.mark.django_db

DATE_RANGE = "Nhập ngày trong khoảng từ 01/01/1990 đến 31/12/2100."
INVISIBLE = ("Văn bản có ký tự ẩn (dấu định hướng văn bản hoặc ký tự độ rộng bằng không) không được phép; nhập lại "
             "hoặc dán dưới dạng văn bản thuần.")
DUPLICATE_CODE = "Cơ quan đã có thủ tục hành chính với mã này."


def url(agency, suffix=""):
    return f"/api/v1/agencies/{agency.pk}/{suffix}"


@pytest.fixture
def officer(api, cast):
    return api.as_user(cast.users["ag_officer"])


@pytest.fixture
def stp(cast):
    return cast.agencies["ag_stp"]


# --- unique procedure codes -------------------------------------------------------------------------------


def test_a_duplicate_procedure_code_is_a_400_on_create(officer, stp):
    body = {"code": "1.001", "name": "Đăng ký khai sinh", "field": "Hộ tịch"}
    assert officer.post(url(stp, "procedures/"), body, format="json").status_code == 201
    response = officer.post(url(stp, "procedures/"), {**body, "name": "Khác"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"code": [DUPLICATE_CODE]}
    assert list(Procedure.objects.values_list("name", flat=True)) == ["Đăng ký khai sinh"]


def test_a_duplicate_procedure_code_is_a_400_on_patch(officer, stp):
    first = stp.procedures.create(code="1.001", name="A")
    second = stp.procedures.create(code="1.002", name="B")
    response = officer.patch(url(stp, f"procedures/{second.pk}/"), {"code": first.code, "name": "B2"}, format="json")
    assert response.status_code == 400 and response.json() == {"code": [DUPLICATE_CODE]}
    second.refresh_from_db()
    assert (second.code, second.name) == ("1.002", "B")


def test_the_same_code_in_another_agency_is_fine(officer, stp, cast):
    cast.agencies["ag_snv"].procedures.create(code="1.001", name="A")
    response = officer.post(url(stp, "procedures/"), {"code": "1.001", "name": "A"}, format="json")
    assert response.status_code == 201


def test_a_duplicate_procedure_code_in_the_html_form(client, cast, stp):
    stp.procedures.create(code="1.001", name="A")
    client.force_login(cast.users["ag_officer"])
    response = client.post(f"/agencies/{stp.pk}/qms/procedures/add/", {"code": "1.001", "name": "B", "field": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"code": [DUPLICATE_CODE]}
    assert Procedure.objects.count() == 1


# --- dates and years -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("effective_on", ["9999-12-01", "1989-12-31", "2101-01-01"])
def test_a_legal_update_effective_beyond_the_range_is_a_400(officer, stp, effective_on):
    response = officer.post(url(stp, "legal-updates/"), {"legal_document": "Nghị định 30/2020/NĐ-CP",
                                                         "effective_on": effective_on}, format="json")
    assert response.status_code == 400
    assert response.json() == {"effective_on": [DATE_RANGE]}
    assert not LegalUpdate.objects.exists()


def test_the_last_day_of_the_range_is_accepted(officer, stp):
    response = officer.post(url(stp, "legal-updates/"), {"legal_document": "Luật 2100",
                                                         "effective_on": "2100-12-31"}, format="json")
    assert response.status_code == 201 and response.json()["due_on"] == "2101-03-31"


def test_a_date_beyond_the_range_in_the_html_form(client, cast, stp):
    client.force_login(cast.users["ag_officer"])
    response = client.post(f"/agencies/{stp.pk}/qms/legal-updates/add/",
                           {"legal_document": "Nghị định", "effective_on": "9999-12-01"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"effective_on": [DATE_RANGE]}
    assert not LegalUpdate.objects.exists()


def test_a_date_beyond_the_range_on_the_qms_record(officer, stp):
    response = officer.patch(url(stp, "qms/"), {"steering_decision_date": "0001-01-01"}, format="json")
    assert response.status_code == 400 and response.json() == {"steering_decision_date": [DATE_RANGE]}


@pytest.mark.parametrize("year", [32767, 1989])
def test_the_year_of_objectives_is_bounded(officer, stp, year):
    response = officer.post(url(stp, "documents/"), {"kind": "objectives", "code": "MT-01", "title": "Mục tiêu",
                                                     "year": year}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["year"]
    assert not QmsDocument.objects.exists()


# --- invisible characters ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200b", "\u200d", "\u2060", "\ufeff"])
def test_invisible_characters_in_a_title_are_refused(officer, stp, char):
    response = officer.post(url(stp, "documents/"), {"kind": "policy", "code": "CS-01",
                                                     "title": f"Chính sách{char} chất lượng"}, format="json")
    assert response.status_code == 400 and response.json() == {"title": [INVISIBLE]}


def test_a_file_name_with_a_direction_override_never_displays_spoofed(officer, stp, cast):
    """Django's upload parser drops unprintable characters from the names it receives; a name that reaches the
    storage another way is refused."""
    from django.core.exceptions import ValidationError

    from qms.models import QmsRecord
    from qms_portal.files import stored_file_create

    qms = QmsRecord.objects.create(agency=stp)
    announcement = qms.announcements.create(kind="first", decision_number="1", decision_date="2025-01-01",
                                            signer="A", edition="2015", scope="x")
    name = "quyet-dinh-\u202eexe.pdf"  # shows as "quyet-dinh-fdp.exe"
    response = officer.post(url(stp, f"announcements/{announcement.pk}/file/"),
                            {"file": SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n")}, format="multipart")
    assert response.status_code == 201
    announcement.refresh_from_db()
    assert announcement.decision_file.original_name == "quyet-dinh-exe.pdf"
    with pytest.raises(ValidationError) as refused:
        stored_file_create(uploaded=SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n"), actor=cast.users["ag_officer"])
    assert refused.value.messages == ["Tên tệp có ký tự điều khiển hoặc ký tự ẩn (như dấu định hướng văn bản); đổi "
                                      "tên tệp rồi tải lên lại."]


# --- Office files with macros ------------------------------------------------------------------------------------


def _office(main_part: str, *, macros: bool) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
        if macros:
            archive.writestr(main_part.split("/")[0] + "/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "part"), [("quyet-dinh.docx", "word/document.xml"),
                                             ("so-lieu.xlsx", "xl/workbook.xml")])
def test_office_files_with_macros_are_refused(officer, stp, name, part):
    from qms.models import QmsRecord

    qms = QmsRecord.objects.create(agency=stp)
    document = qms.documents.create(kind="policy", code="CS-01", title="Chính sách")
    clean = officer.post(url(stp, f"documents/{document.pk}/file/"),
                         {"file": SimpleUploadedFile(name, _office(part, macros=False))}, format="multipart")
    assert clean.status_code == 201
    response = officer.post(url(stp, f"documents/{document.pk}/file/"),
                            {"file": SimpleUploadedFile(name, _office(part, macros=True))}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"file": ["Không nhận tệp có chứa macro; lưu lại văn bản không có macro (dạng .docx "
                                        "hoặc .xlsx) rồi tải lên lại."]}
    document.refresh_from_db()
    assert document.file.original_name == name and document.file.size == len(_office(part, macros=False))


# --- imports within limits ----------------------------------------------------------------------------------------


def _import(client, agency, name: str, content: bytes):
    return client.post(url(agency, "procedures/import/"), {"file": SimpleUploadedFile(name, content)},
                       format="multipart")


def _workbook(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_csv_field_over_the_csv_module_limit_is_a_400(officer, stp):
    content = ("Mã TTHC;Tên TTHC\n1.001;\"" + "x" * 140_000 + "\"\n").encode()
    response = _import(officer, stp, "tthc.csv", content)
    assert response.status_code == 400
    assert response.json() == {"file": ["Không đọc được tệp CSV từ dòng 2: có ô quá dài hoặc dấu ngoặc kép chưa "
                                        "được đóng."]}
    assert not Procedure.objects.exists()


def test_a_cell_over_the_limit_is_named(officer, stp, settings):
    settings.IMPORT_MAX_CELL_CHARS = 100
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([["Mã TTHC", "Tên TTHC"], ["1.001", "A"], ["1.002", "x" * 101]])
    response = _import(officer, stp, "tthc.csv", buffer.getvalue().encode())
    assert response.status_code == 400
    assert response.json() == {"file": ["Ô ở dòng 3, cột 2 có 101 ký tự; mỗi ô chỉ được tối đa 100 ký tự."]}
    assert not Procedure.objects.exists()


def test_too_many_rows_are_refused_not_cut(officer, stp, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [["Code", "Name"], *[[f"1.00{n}", f"Thủ tục {n}"] for n in range(4)]]
    response = _import(officer, stp, "tthc.xlsx", _workbook(rows))
    assert response.status_code == 400
    assert response.json() == {"file": ["Tệp có quá 3 dòng; tách thành nhiều tệp để nhập."]}
    assert _import(officer, stp, "tthc.xlsx", _workbook(rows[:4])).json()["report"]["created"] == 3


def test_a_large_workbook_is_refused_before_it_is_parsed(officer, stp, settings, monkeypatch):
    """5,000 rows by 400 columns held a web worker 25 s; a workbook that unpacks to more than the limits allow
    (here lowered, to keep the file small) is refused from its ZIP directory, before openpyxl parses anything."""
    settings.IMPORT_MAX_ROWS = 100
    content = _workbook([[r * 1000 + c for c in range(200)] for r in range(500)])

    def never(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr("qms_portal.tables.load_workbook", never)
    response = _import(officer, stp, "tthc.xlsx", content)
    assert response.status_code == 400
    assert response.json()["file"][0].startswith("Tệp Excel khi giải nén có dung lượng")
    assert response.json()["file"][0].endswith("vượt mức được đọc khi nhập (1,3\xa0MB); chỉ giữ lại bảng cần nhập.")


def test_a_wide_row_is_refused(officer, stp):
    rows = [["Code", "Name"], ["1.001", "A", *["x"] * 40]]
    response = _import(officer, stp, "tthc.xlsx", _workbook(rows))
    assert response.status_code == 400
    assert response.json() == {"file": ["Dòng 2 có quá 30 cột; chỉ giữ lại các cột cần nhập."]}


def test_a_workbook_with_macros_is_refused_on_import(officer, stp):
    buffer = io.BytesIO(_workbook([["Code", "Name"], ["1.001", "A"]]))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"macro")
    response = _import(officer, stp, "tthc.xlsx", buffer.getvalue())
    assert response.status_code == 400 and "macro" in response.json()["file"][0]
    assert not Procedure.objects.exists()


@pytest.mark.parametrize("version", ["abc", "1e5", "", "99999999999999999999"])
def test_a_tampered_version_on_the_record_form_is_a_400(client, cast, stp, version):
    """The record form's hidden `version` was read with int(): any other value in it was a 500. It is read as the
    query parameters are (qms_portal.queries.int_param): a 400 page naming it, nothing saved; absent, no check."""
    from qms.models import QmsRecord

    client.force_login(cast.users["ag_officer"])
    page = f"/agencies/{stp.pk}/qms/edit/officer/"
    response = client.post(page, {"version": version, "edition": "2015", "consultant": "Công ty X"})
    if version == "":
        assert response.status_code == 302  # the form sent without it: saved, as before
        assert QmsRecord.objects.get(agency=stp).consultant == "Công ty X"
        return
    assert response.status_code == 400 and "version" in response.content.decode()
    assert not QmsRecord.objects.filter(agency=stp, consultant="Công ty X").exists()
