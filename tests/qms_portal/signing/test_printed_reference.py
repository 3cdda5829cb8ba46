"""The printed number and date on page 1 against the register's: differences are warnings, the verdict stands."""

import io
from datetime import date

import pytest
from pypdf import PdfWriter

from qms_portal.signing import Verdict, printed_reference_warnings, signed_pdf_check

NUMBER = "05/BC-SKHCN"
DATE = date(2024, 12, 2)  # the sample prints "An Giang, ngày 02 tháng 12 năm 2024"


def texts(warnings) -> list[str]:
    return [str(w) for w in warnings]


def test_the_same_number_and_date_give_no_warning(pki, signed):
    result = signed_pdf_check(signed.content, trust_roots=[pki.root.cert], expected_number=NUMBER,
                              expected_date=DATE)

    assert result.verdict == Verdict.VALID_TRUSTED
    assert result.warnings == ()


def test_another_number_is_a_warning_and_the_signature_stays_valid(pki, signed):
    result = signed_pdf_check(signed.content, trust_roots=[pki.root.cert], expected_number="06/BC-SKHCN",
                              expected_date=DATE)

    assert result.verdict == Verdict.VALID_TRUSTED and result.accepted
    assert texts(result.warnings) == ["Văn bản ghi số 05/BC-SKHCN nhưng sổ văn bản đi ghi số 06/BC-SKHCN."]


def test_another_date_is_a_warning(pki, signed):
    result = signed_pdf_check(signed.content, trust_roots=[pki.root.cert], expected_number=NUMBER,
                              expected_date=date(2024, 12, 3))

    assert result.verdict == Verdict.VALID_TRUSTED
    assert texts(result.warnings) == ["Văn bản ghi ngày 02/12/2024 nhưng sổ văn bản đi ghi ngày 03/12/2024."]


def test_both_differ_two_warnings(unsigned_pdf):
    warnings = printed_reference_warnings(unsigned_pdf, expected_number="5/QĐ-SKHCN", expected_date=date(2025, 1, 2))

    assert texts(warnings) == ["Văn bản ghi số 05/BC-SKHCN nhưng sổ văn bản đi ghi số 5/QĐ-SKHCN.",
                               "Văn bản ghi ngày 02/12/2024 nhưng sổ văn bản đi ghi ngày 02/01/2025."]


@pytest.mark.parametrize("expected", ["5/BC-SKHCN", "05 / bc-skhcn", " 05/BC-SKHCN "])
def test_numbers_compare_as_a_clerk_reads_them(unsigned_pdf, expected):
    """A missing leading zero, spaces or letter case are not a different number."""
    assert printed_reference_warnings(unsigned_pdf, expected_number=expected) == ()


def test_a_page_without_text_warns_that_nothing_was_found():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)

    warnings = printed_reference_warnings(out.getvalue(), expected_number=NUMBER, expected_date=DATE)

    assert texts(warnings) == [
        "Không tìm thấy số văn bản (“Số: …”) ở trang đầu; sổ văn bản đi ghi số 05/BC-SKHCN.",
        "Không tìm thấy ngày ban hành (“ngày … tháng … năm …”) ở trang đầu; sổ văn bản đi ghi ngày 02/12/2024."]


def test_nothing_expected_nothing_compared(signed):
    assert signed_pdf_check(signed.content, trust_roots=[]).warnings == ()
