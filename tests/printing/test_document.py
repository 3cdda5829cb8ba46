import pytest

from tests.printing.sample import sample_document


def test_recipient_lines_get_dashes_semicolons_and_a_final_full_stop():
    doc = sample_document(recipients=["- UBND tỉnh;", "Sở Nội vụ", "Lưu: VT, CCTĐC."])
    assert doc.recipient_lines == ("- UBND tỉnh;", "- Sở Nội vụ;", "- Lưu: VT, CCTĐC.")


def test_the_archive_line_must_come_last():
    with pytest.raises(ValueError, match="Lưu"):
        sample_document(recipients=["Lưu: VT", "UBND tỉnh"])


def test_a_signing_capacity_is_required():
    with pytest.raises(ValueError, match="signing capacity"):
        sample_document(signing_capacity=[])


def test_only_inline_qr_images_are_accepted():
    with pytest.raises(ValueError, match="data:image"):
        sample_document(verification_qr="https://example.com/qr.png")
    assert sample_document(verification_qr="data:image/png;base64,AAAA").verification_qr.startswith("data:")


def test_document_is_immutable_and_hashable():
    doc = sample_document(recipients=["UBND tỉnh", "Lưu: VT"])
    assert isinstance(doc.recipients, tuple)
    with pytest.raises(AttributeError):
        doc.number = "06/BC-SKHCN"
    assert hash(doc) == hash(sample_document(recipients=("UBND tỉnh", "Lưu: VT")))


def test_title_and_date_text():
    doc = sample_document(doc_type="Kế hoạch")
    assert doc.title == "KẾ HOẠCH"
    assert doc.place_date == "An Giang, ngày 02 tháng 12 năm 2024"
    assert doc.date_text == "ngày 02 tháng 12 năm 2024"
