from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, AgencyKind, Province
from qms_portal.dates import add_months, validate_plausible_date
from qms_portal.models import StoredFile
from qms_portal.scoping import ScopePaths
from qms_portal.text import validate_no_control_characters as no_ctrl

LEGAL_UPDATE_MONTHS = 3  # DOMAIN.md §4: the QMS is updated within 3 months of a legal change taking effect


def legal_update_due(effective_on):
    """The day by which a QMS must reflect a legal document effective on `effective_on`."""
    return add_months(effective_on, LEGAL_UPDATE_MONTHS)


class LegalChange(models.Model):
    """A legal document that changes what agencies must do, and what it affects."""

    # National entries are seen by everyone; a province's by the province (and the nation); an agency sees the
    # changes that apply to it.
    scope_paths = ScopePaths(province=lambda province_id: Q(province__isnull=True) | Q(province_id=province_id),
                             agency=lambda agency_id: Q(due_updates__agency_id=agency_id))

    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("province"), help_text=_("Empty: a national entry."))
    number = models.CharField(_("number and symbol"), max_length=60, validators=[no_ctrl],
                              help_text=_("For example 118/2025/NĐ-CP."))
    title = models.CharField(_("title"), max_length=500, validators=[no_ctrl])
    issuer = models.CharField(_("issuing body"), max_length=200, validators=[no_ctrl])
    issued_on = models.DateField(_("issued on"), validators=[validate_plausible_date])
    effective_on = models.DateField(_("effective on"), validators=[validate_plausible_date])
    replaces = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="replaced_by",
                                      verbose_name=_("replaces or amends"))
    procedure_fields = models.JSONField(_("fields of procedures"), default=list, blank=True)
    procedure_codes = models.JSONField(_("procedure codes"), default=list, blank=True)
    agency_kinds = models.JSONField(_("kinds of agency"), default=list, blank=True)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="+", verbose_name=_("agencies"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("registered by"))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    targets_done_at = models.DateTimeField(_("agencies worked out at"), null=True, blank=True)
    target_count = models.PositiveIntegerField(_("agencies concerned"), default=0)

    class Meta:
        verbose_name = _("legal change")
        verbose_name_plural = _("legal changes")
        ordering = ["-effective_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["province", "number"], name="legal_change_unique_number",
                                    nulls_distinct=False,
                                    violation_error_message=_("This number is already in the register.")),
            models.CheckConstraint(condition=Q(effective_on__gte=F("issued_on")),
                                   name="legal_change_effective_after_issue",
                                   violation_error_message=_("A document cannot take effect before it is issued.")),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def due_on(self):
        return legal_update_due(self.effective_on)

    @property
    def kinds_labels(self) -> list[str]:
        return [str(AgencyKind(k).label) for k in self.agency_kinds if k in AgencyKind.values]


class DueStatus(models.TextChoices):
    PENDING = "pending", _("To update")
    UPDATED = "updated", _("Updated")
    CLAIMED = "claimed", _("Declared not applicable (awaiting the Sở)")
    NOT_APPLICABLE = "not_applicable", _("Not applicable (accepted)")


class DueLegalUpdate(models.Model):
    """What one legal change asks of one agency: update its QMS by `due_on`, or show that it does not apply."""

    scope_paths = ScopePaths(province="agency__province_id", agency="agency_id")

    change = models.ForeignKey(LegalChange, on_delete=models.CASCADE, related_name="due_updates",
                               verbose_name=_("legal change"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="due_legal_updates",
                               verbose_name=_("agency"))
    due_on = models.DateField(_("update due on"))
    procedures = models.ManyToManyField("qms.Procedure", blank=True, related_name="due_legal_updates",
                                        verbose_name=_("procedures concerned"))
    status = models.CharField(_("status"), max_length=16, choices=DueStatus.choices, default=DueStatus.PENDING)
    updated_on = models.DateField(_("QMS updated on"), null=True, blank=True, validators=[validate_plausible_date])
    documents = models.ManyToManyField("qms.QmsDocument", blank=True, related_name="due_legal_updates",
                                       verbose_name=_("documents changed"))
    evidence = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("evidence"))
    reason = models.CharField(_("reason it does not apply"), max_length=1000, blank=True, validators=[no_ctrl])
    claimed_on = models.DateField(_("declared not applicable on"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=1000, blank=True, validators=[no_ctrl])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("due legal update")
        verbose_name_plural = _("due legal updates")
        ordering = ["due_on", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["change", "agency"], name="due_legal_update_unique"),
            models.CheckConstraint(condition=Q(status="updated", updated_on__isnull=False)
                                   | ~Q(status="updated"), name="due_legal_update_updated_has_date"),
        ]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.change.number} — {self.agency}"
