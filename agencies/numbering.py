"""Hand out official document numbers such as "05/BC-SKHCN": gap-free, safe under concurrency, registered.

The year is always the calendar year of the date the document is issued (Decree 30/2020, Art. 15): a plan for
2027 issued on 03/12/2026 takes the next number of 2026; the first document issued on 1 January takes 01.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F

from .models import Agency, DocumentSequence, DocumentType, RegisteredDocument


def document_symbol(*, doc_type: str, issuer_code: str) -> str:
    """"BC-SKHCN"; a letter (CV) carries only the issuing body's code: "SKHCN"."""
    return issuer_code if doc_type == DocumentType.LETTER else f"{doc_type}-{issuer_code}"


@dataclass(frozen=True)
class DocumentNumber:
    number: int
    doc_type: str
    issuer_code: str
    year: int

    @property
    def symbol(self) -> str:
        return document_symbol(doc_type=self.doc_type, issuer_code=self.issuer_code)

    def __str__(self) -> str:
        return f"{self.number:02d}/{self.symbol}"


def document_number_next(*, issuer: Agency, doc_type: str, issued_on: date, title: str = "",
                         recipients: str = "") -> DocumentNumber:
    """Take the next number of `issuer`'s register for the year of `issued_on` and register it (with the
    document's title and recipients when the caller knows them).

    Call inside the transaction that stores the document, so a rollback returns the number and its line.
    """
    year = issued_on.year
    with transaction.atomic():
        sequence, _ = DocumentSequence.objects.get_or_create(issuer=issuer, doc_type=doc_type, year=year)
        DocumentSequence.objects.filter(pk=sequence.pk).update(last_number=F("last_number") + 1)
        sequence.refresh_from_db(fields=["last_number"])
        number = DocumentNumber(sequence.last_number, doc_type, issuer.short_code, year)
        RegisteredDocument.objects.create(issuer=issuer, year=year, number=number.number, symbol=number.symbol,
                                          doc_type=doc_type, issued_on=issued_on,
                                          title=title[:300], recipients=recipients)
    return number
