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
