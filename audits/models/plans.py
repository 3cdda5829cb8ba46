"""The yearly inspection plan of a province (Kế hoạch kiểm tra, form Mẫu 19) and its entries."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.issuers import SigningForm
from agencies.models import Agency, Province
from qms_portal.generated import PDF_FIELDS, Printable
from qms_portal.scoping import ScopePaths
from qms_portal.text import validate_no_control_characters as no_ctrl


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


APPROVED_STATES = (PlanState.APPROVED, PlanState.IN_PROGRESS, PlanState.CLOSED)


class InspectionForm(models.TextChoices):
    DOCUMENTS = "documents", _("By documents")
    ON_SITE = "on_site", _("On site")


class InspectionPlan(Printable):
    """Drafted by the inspecting unit, approved by the department leader on behalf of UBND tỉnh."""

    scope_paths = ScopePaths(province="province_id", agency=None)  # plans are the province's

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="inspection_plans",
                                 verbose_name=_("province"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2014), MaxValueValidator(2100)])
    issuer = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspecting unit"))
    state = models.CharField(_("state"), max_length=12, choices=PlanState.choices, default=PlanState.DRAFT)
    number = models.CharField(_("number"), max_length=50, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    purpose = models.TextField(_("purpose and requirements"), max_length=5000, blank=True, validators=[no_ctrl])
    organisation = models.TextField(_("organisation of the work"), max_length=5000, blank=True,
                                    validators=[no_ctrl])
    signing_capacity = models.CharField(_("signing capacity"), max_length=10, blank=True,
                                        choices=SigningForm.choices,
                                        help_text=_("How the issuing body signs (Decree 30/2020); empty: its head."))
    signer_name = models.CharField(_("signed by"), max_length=120, blank=True, validators=[no_ctrl])
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    approval_number = models.CharField(_("approving document number"), max_length=50, blank=True,
                                       validators=[no_ctrl])
    approval_date = models.DateField(_("approving document date"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=[*PDF_FIELDS, "updated_at"])

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-year", "province__name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="inspection_plan_one_per_year"),
            models.CheckConstraint(condition=Q(year__gte=2014) & Q(year__lte=2100), name="inspection_plan_year_range"),
            models.CheckConstraint(
                name="inspection_plan_approved_has_document",
                condition=Q(state__in=["draft", "submitted"])
                | (Q(approval_date__isnull=False) & ~Q(approval_number="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Inspection plan')} {self.year} · {self.province}"

    @property
    def is_approved(self) -> bool:
        return self.state in APPROVED_STATES


class PlanEntry(models.Model):
    """One agency in the plan: who inspects, who cooperates, when, how, and with what budget."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="entries",
                             verbose_name=_("inspection plan"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="plan_entries",
                               verbose_name=_("agency inspected"))
    inspecting_unit = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("inspecting unit"))
    cooperating_unit = models.CharField(_("cooperating unit"), max_length=255, blank=True, validators=[no_ctrl])
    expected_from = models.DateField(_("expected from"))
    expected_to = models.DateField(_("expected to"))
    form = models.CharField(_("form"), max_length=10, choices=InspectionForm.choices)
    budget_vnd = models.PositiveBigIntegerField(_("budget (VND)"), default=0)
    note = models.CharField(_("note"), max_length=255, blank=True, validators=[no_ctrl])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan entry")
        verbose_name_plural = _("plan entries")
        ordering = ["expected_from", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "agency"], name="plan_entry_one_per_agency"),
            models.CheckConstraint(condition=Q(expected_to__gte=F("expected_from")), name="plan_entry_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} ({self.get_form_display()})"
