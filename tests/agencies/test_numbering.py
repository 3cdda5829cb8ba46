"""Official numbers (Decree 30/2020, Art. 15; issue 14): per issuing body and calendar year of ISSUE, from 01 on
1 January, whatever year the content is about; every number is registered and unique in its register."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from agencies.models import DocumentType, RegisteredDocument
from agencies.numbering import document_number_next

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("doc_type", list(DocumentType))
def test_numbers_restart_at_01_on_1_january_for_every_type(cast, doc_type):
    issuer = cast.agencies["ag_skhcn"]
    symbol = "SKHCN" if doc_type == DocumentType.LETTER else f"{doc_type}-SKHCN"
    taken = [str(document_number_next(issuer=issuer, doc_type=doc_type, issued_on=day))
             for day in (date(2026, 1, 1), date(2026, 12, 3), date(2026, 12, 31), date(2027, 1, 1),
                         date(2027, 1, 2))]
    assert taken == [f"01/{symbol}", f"02/{symbol}", f"03/{symbol}", f"01/{symbol}", f"02/{symbol}"]
    register = list(RegisteredDocument.objects.filter(issuer=issuer).values_list("year", "number", "symbol",
                                                                                "issued_on", "doc_type", "title"))
    assert register == [(2026, 1, symbol, date(2026, 1, 1), doc_type, ""),
                        (2026, 2, symbol, date(2026, 12, 3), doc_type, ""),
                        (2026, 3, symbol, date(2026, 12, 31), doc_type, ""),
                        (2027, 1, symbol, date(2027, 1, 1), doc_type, ""),
                        (2027, 2, symbol, date(2027, 1, 2), doc_type, "")]


def test_each_body_and_type_has_its_own_sequence(cast):
    day = date(2026, 5, 4)
    skhcn, stp = cast.agencies["ag_skhcn"], cast.agencies["ag_stp"]
    assert str(document_number_next(issuer=skhcn, doc_type=DocumentType.REPORT, issued_on=day)) == "01/BC-SKHCN"
    assert str(document_number_next(issuer=skhcn, doc_type=DocumentType.PLAN, issued_on=day)) == "01/KH-SKHCN"
    assert str(document_number_next(issuer=stp, doc_type=DocumentType.REPORT, issued_on=day)) == "01/BC-STP"
    assert str(document_number_next(issuer=skhcn, doc_type=DocumentType.REPORT, issued_on=day)) == "02/BC-SKHCN"


def test_a_rolled_back_document_returns_its_number_and_register_line(cast):
    issuer = cast.agencies["ag_skhcn"]
    with pytest.raises(RuntimeError), transaction.atomic():
        document_number_next(issuer=issuer, doc_type=DocumentType.PLAN, issued_on=date(2026, 2, 1))
        raise RuntimeError
    assert not RegisteredDocument.objects.exists()
    assert str(document_number_next(issuer=issuer, doc_type=DocumentType.PLAN, issued_on=date(2026, 2, 1))) == \
        "01/KH-SKHCN"


def test_the_register_refuses_the_same_number_and_symbol_twice_in_a_year(cast):
    issuer = cast.agencies["ag_skhcn"]
    document_number_next(issuer=issuer, doc_type=DocumentType.PLAN, issued_on=date(2026, 2, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisteredDocument.objects.create(issuer=issuer, year=2026, number=1, symbol="KH-SKHCN",
                                          doc_type=DocumentType.PLAN, issued_on=date(2026, 6, 1))
    # the same number is fine in another year, under another symbol, or in another body's register
    RegisteredDocument.objects.create(issuer=issuer, year=2027, number=1, symbol="KH-SKHCN",
                                      doc_type=DocumentType.PLAN, issued_on=date(2027, 1, 5))
    RegisteredDocument.objects.create(issuer=issuer, year=2026, number=1, symbol="BC-SKHCN",
                                      doc_type=DocumentType.REPORT, issued_on=date(2026, 6, 1))
    other = cast.agencies["cb_skhcn"]
    RegisteredDocument.objects.create(issuer=other, year=2026, number=1, symbol="KH-SKHCN",
                                      doc_type=DocumentType.PLAN, issued_on=date(2026, 6, 1))
