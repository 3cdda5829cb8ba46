"""Hand out official document numbers such as "05/BC-SKHCN": gap-free and safe under concurrency."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from .models import Agency, DocumentSequence, DocumentType


@dataclass(frozen=True)
class DocumentNumber:
    number: int
    doc_type: str
    issuer_code: str
    year: int

    def __str__(self) -> str:
        # Letters (CV) carry only the issuing body's code: "123/SKHCN-TĐC" style is left to the caller.
        if self.doc_type == DocumentType.LETTER:
            return f"{self.number:02d}/{self.issuer_code}"
        return f"{self.number:02d}/{self.doc_type}-{self.issuer_code}"


def document_number_next(*, issuer: Agency, doc_type: str, year: int) -> DocumentNumber:
    """Take the next number; call inside the transaction that stores the document, so a rollback returns it."""
    with transaction.atomic():
        sequence, _ = DocumentSequence.objects.get_or_create(issuer=issuer, doc_type=doc_type, year=year)
        DocumentSequence.objects.filter(pk=sequence.pk).update(last_number=F("last_number") + 1)
        sequence.refresh_from_db(fields=["last_number"])
    return DocumentNumber(sequence.last_number, doc_type, issuer.short_code, year)
