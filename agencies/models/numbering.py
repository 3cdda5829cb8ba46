"""Official document numbers (Decree 30/2020, Art. 15): per issuing body and calendar year of issue, from 01 on
1 January to 31 December, whatever year the content is about; one sequence per document type (DOMAIN.md §9).

Every number handed out is written in the body's register of outgoing documents (sổ đăng ký văn bản đi);
the database refuses the same number and symbol twice in one body's register for one year.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qms_portal.scoping import ScopePaths

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


class RegisterStatus(models.TextChoices):
    """A line of the register: drafted (numbered, not yet signed), issued (the signed PDF is stored), withdrawn
    (kept with its number and a reason: a number is never reused)."""

    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RegisteredDocument(models.Model):
    """One line of an issuing body's register of outgoing documents: "01/KH-CCTĐC" issued on 15/01/2026."""

    scope_paths = ScopePaths(province="issuer__province_id", agency="issuer_id")

    issuer = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="registered_documents",
                               verbose_name=_("issuing body"))
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    symbol = models.CharField(_("symbol"), max_length=40)  # "KH-CCTĐC"; a letter carries the body's code only
    doc_type = models.CharField(_("document type"), max_length=4, choices=DocumentType.choices)
    issued_on = models.DateField(_("issued on"))
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    recipients = models.TextField(_("recipients"), blank=True)
    signer_name = models.CharField(_("signer"), max_length=120, blank=True)
    signer_capacity = models.CharField(_("signing capacity"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RegisterStatus.choices, default=RegisterStatus.DRAFT)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("withdrawn by"))
    current_file = models.ForeignKey("qms_portal.StoredFile", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("current file"))
    signed_file = models.ForeignKey("qms_portal.StoredFile", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("signed file"))
    # the signature of the signed file, as the portal validated it when it was uploaded (qms_portal.signing)
    signature_signer = models.CharField(_("signed by (certificate)"), max_length=255, blank=True)
    signature_organisation = models.CharField(_("organisation (certificate)"), max_length=255, blank=True)
    signature_signed_at = models.DateTimeField(_("signing time"), null=True, blank=True)
    signature_verdict = models.CharField(_("signature check"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("registered document")
        verbose_name_plural = _("register of outgoing documents")
        ordering = ["issuer", "year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "number", "symbol"], name="registered_document_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="registered_document_number_positive"),
            models.CheckConstraint(
                condition=~models.Q(status="withdrawn") | ~models.Q(withdrawn_reason=""),
                name="registered_document_withdrawn_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.number:02d}/{self.symbol}"
