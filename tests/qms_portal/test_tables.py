"""Reading an uploaded table (qms_portal.tables.read_table): a file that is not a table is told so, by what it is."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from qms_portal.tables import read_table

NOT_A_TABLE = "Chỉ nhập được từ tệp Excel (.xlsx) hoặc CSV."
NOT_UTF8 = "Tệp CSV phải được lưu với bảng mã UTF-8."


def refused(name: str, content: bytes) -> list[str]:
    with pytest.raises(ValidationError) as error:
        read_table(SimpleUploadedFile(name, content))
    return error.value.message_dict["file"]


def test_a_file_that_is_no_csv_is_not_told_to_be_saved_as_utf8():
    """An Excel 97-2003 workbook (.xls) or a program was answered 'save the CSV file as UTF-8': the clerk who
    picked an .xls had no CSV to save. Only a file named as a CSV hears about its encoding."""
    legacy_workbook = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 4
    assert refused("danh-sach-co-quan.xls", legacy_workbook) == [NOT_A_TABLE]
    assert refused("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\xff\xff") == [NOT_A_TABLE]
    windows_1252 = "Tên,Ký\nA,B\n".encode("cp1252")
    assert refused("co-quan.csv", windows_1252) == [NOT_UTF8]
    assert read_table(SimpleUploadedFile("co-quan.txt", "Tên,Ký hiệu\nA,B\n".encode())) == [["Tên", "Ký hiệu"],
                                                                                          ["A", "B"]]


def _workbook(sheet_xml=None, forged_size: int | None = None) -> bytes:
    """A one-sheet workbook (header and one row) whose sheet XML is replaced by `sheet_xml(original)`, or whose sheet
    part claims `forged_size` bytes unpacked in both ZIP headers (what the bomb check reads)."""
    import io
    import struct
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Mã TTHC", "Tên thủ tục"])
    book.active.append(["1.001", "Cap phep"])
    plain = io.BytesIO()
    book.save(plain)
    sheet = "xl/worksheets/sheet1.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == sheet and sheet_xml is not None:
                data = sheet_xml(data.decode()).encode()
            target.writestr(name, data)
    content = bytearray(out.getvalue())
    if forged_size is not None:
        with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
            local = archive.getinfo(sheet).header_offset
        struct.pack_into("<I", content, local + 22, forged_size)  # the local header's uncompressed size
        central = content.find(b"PK\x01\x02")
        while central >= 0:
            length = struct.unpack_from("<H", content, central + 28)[0]
            if bytes(content[central + 46:central + 46 + length]) == sheet.encode():
                struct.pack_into("<I", content, central + 24, forged_size)
            central = content.find(b"PK\x01\x02", central + 4)
    return bytes(content)


ENTITIES = ('<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">' + "".join(
    f'<!ENTITY {name} "{("&" + previous + ";") * 10}">'
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)) + "]>")


@pytest.mark.parametrize("content", [
    # entities that expand a few bytes into gigabytes (the XML parser stops it, with an error of its own)
    pytest.param(lambda: _workbook(lambda xml: xml.replace("<worksheet", ENTITIES + "<worksheet", 1)
                                   .replace("Cap phep", "&i;")), id="entity-expansion"),
    # a part that claims a small size (the bomb check believes it) and unpacks to more: the ZIP's CRC fails
    pytest.param(lambda: _workbook(lambda xml: xml.replace("</sheetData>", "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{"x" * 500}</t></is></c></row>' for n in range(3, 2000))
        + "</sheetData>"), forged_size=1000), id="forged-size"),
    pytest.param(lambda: _workbook(lambda xml: xml[: len(xml) // 2]), id="truncated-xml"),
])
def test_a_workbook_that_cannot_be_read_is_refused_with_a_message(content):
    """A broken or hostile workbook was a 500 (ParseError, BadZipFile raised from openpyxl): every upload that is
    not a readable table is a 400 naming the file, whatever broke inside it."""
    assert refused("thu-tuc.xlsx", content()) == [
        "Không đọc được bảng tính: hãy mở tệp bằng chương trình bảng tính, lưu lại dưới dạng .xlsx rồi nhập tệp đó."]


@pytest.mark.django_db
def test_a_broken_workbook_is_a_400_on_the_import_endpoint(api, cast):
    from qms_portal.models import ImportJob

    stp = cast.agencies["ag_stp"]
    content = _workbook(lambda xml: xml.replace("<worksheet", ENTITIES + "<worksheet", 1).replace("Cap phep", "&i;"))
    response = api.as_user(cast.users["ag_officer"]).post(
        f"/api/v1/agencies/{stp.pk}/procedures/import/", {"file": SimpleUploadedFile("thu-tuc.xlsx", content)},
        format="multipart")
    assert response.status_code == 400 and response.json()["file"]
    assert not ImportJob.objects.exists()
