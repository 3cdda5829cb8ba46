"""Official document numbers (Decree 30/2020): per issuing body, per document type, per calendar year."""

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
