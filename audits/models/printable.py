"""Documents the portal prints (plan, decision, record): a revision counter and the state of their PDF.

Every change made by a service bumps `revision`; the PDF remembers the revision it was rendered from, so a
stale PDF is never served and a task that finishes after a newer change does not overwrite anything.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms_portal.models import StoredFile


class PdfStatus(models.TextChoices):
    NONE = "none", _("Not generated")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


PDF_FIELDS = ["revision", "pdf_file", "pdf_revision", "pdf_status", "pdf_error", "pdf_requested_at",
              "pdf_started_at"]


class Printable(models.Model):
    revision = models.PositiveIntegerField(default=1, editable=False)
    pdf_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 editable=False, verbose_name=_("PDF"))
    pdf_revision = models.PositiveIntegerField(null=True, blank=True, editable=False)
    pdf_status = models.CharField(_("PDF status"), max_length=10, choices=PdfStatus.choices, default=PdfStatus.NONE,
                                  editable=False)
    pdf_error = models.CharField(_("PDF error"), max_length=500, blank=True, editable=False)
    pdf_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    pdf_started_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def pdf_ready(self) -> bool:
        return self.pdf_file_id is not None and self.pdf_revision == self.revision

    @property
    def pdf_state(self) -> str:
        """What a client sees: ready, queued, running, failed or none (for the current revision)."""
        if self.pdf_ready:
            return PdfStatus.DONE
        if self.pdf_status in (PdfStatus.QUEUED, PdfStatus.RUNNING, PdfStatus.FAILED):
            return self.pdf_status
        return PdfStatus.NONE

    # A plan or a record renders in one to a few seconds (WeasyPrint says nothing meanwhile).
    EXPECTED_RENDER_SECONDS = 4.0

    @property
    def pdf_progress(self) -> int:
        """For the progress bar (the one of the consolidated reports): 5 % queued, then an estimate from the
        time since rendering began, never above 95 % before the file is there."""
        state = self.pdf_state
        if state == PdfStatus.DONE:
            return 100
        if state == PdfStatus.RUNNING and self.pdf_started_at:
            elapsed = max(0.0, (timezone.now() - self.pdf_started_at).total_seconds())
            return 10 + int(85 * min(1.0, elapsed / self.EXPECTED_RENDER_SECONDS))
        return 5 if state == PdfStatus.QUEUED else 0
