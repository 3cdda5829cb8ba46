"""Official document numbers (Decree 30/2020, Art. 15): per issuing body and calendar year of issue, from 01 on
1 January to 31 December, whatever year the content is about; one sequence per document type (DOMAIN.md §9).

Every number handed out is written in the body's register of outgoing documents (sổ đăng ký văn bản đi);
the database refuses the same number and symbol twice in one body's register for one year.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisations import Agency


class DocumentType(models.TextChoices):
    REPORT = "BC", _("Report")
    PLAN = "KH", _("Plan")
    DECISION = "QĐ", _("Decision")
    RECORD = "BB", _("Record")
    NOTICE = "TB", _("Notice")
    LETTER = "CV", _("Official letter")


class DocumentSequence(models.Model):
    """The last number used by `issuer` for `doc_type` in `year`; numbering restarts at 01 each year."""

    issuer = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="document_sequences",
                               verbose_name=_("issuing body"))
    doc_type = models.CharField(_("document type"), max_length=4, choices=DocumentType.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document number sequence")
        verbose_name_plural = _("document number sequences")
        constraints = [models.UniqueConstraint(fields=["issuer", "doc_type", "year"], name="document_sequence_unique")]


class RegisteredDocument(models.Model):
    """One line of an issuing body's register of outgoing documents: "01/KH-CCTĐC" issued on 15/01/2026."""

    issuer = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="registered_documents",
                               verbose_name=_("issuing body"))
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    symbol = models.CharField(_("symbol"), max_length=40)  # "KH-CCTĐC"; a letter carries the body's code only
    doc_type = models.CharField(_("document type"), max_length=4, choices=DocumentType.choices)
    issued_on = models.DateField(_("issued on"))
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registered document")
        verbose_name_plural = _("register of outgoing documents")
        ordering = ["issuer", "year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "number", "symbol"], name="registered_document_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="registered_document_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number:02d}/{self.symbol}"
