"""One inspection of one agency: the request to report, the agency's self-assessment, the inspection
decision (Mẫu 20) and the inspection record (biên bản kiểm tra, BBKT, Mẫu 21)."""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from agencies.issuers import SigningForm
from agencies.models import Agency, Province
from qms_portal.generated import PDF_FIELDS, Printable
from qms_portal.models import StoredFile
from qms_portal.scoping import ScopePaths
from qms_portal.text import validate_no_control_characters as no_ctrl

from .checklists import ChecklistItem, ChecklistVersion
from .plans import InspectionForm, InspectionPlan, PlanEntry


class ReportRequest(models.Model):
    """Request to report (yêu cầu báo cáo): one letter, addressed to one or more agencies, with a deadline."""

    # An agency sees the requests sent to one of its inspections.
    scope_paths = ScopePaths(province="province_id", agency=lambda agency_id: Q(Exists(
        apps.get_model("audits", "Inspection").objects.filter(report_request=OuterRef("pk"), agency_id=agency_id))))

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    issuer = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by"))
    number = models.CharField(_("number"), max_length=50)
    issued_on = models.DateField(_("date"))
    deadline = models.DateField(_("deadline"))
    message = models.TextField(_("message"), max_length=5000, blank=True, validators=[no_ctrl])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("request to report")
        verbose_name_plural = _("requests to report")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=F("issued_on")),
                                   name="report_request_deadline_after_date"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"


class InspectionDecision(Printable):
    """Quyết định kiểm tra (Mẫu 20): the team and the dates of an on-site inspection of one or more agencies."""

    # An agency sees the decisions that name one of its inspections.
    scope_paths = ScopePaths(province="province_id", agency=lambda agency_id: Q(Exists(
        apps.get_model("audits", "Inspection").objects.filter(decision=OuterRef("pk"), agency_id=agency_id))))

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    issuer = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by"))
    number = models.CharField(_("number"), max_length=50)
    issued_on = models.DateField(_("date"))
    starts_on = models.DateField(_("inspection from"))
    ends_on = models.DateField(_("inspection to"))
    team_leader = models.CharField(_("team leader"), max_length=120, validators=[no_ctrl])
    team_leader_position = models.CharField(_("team leader's position"), max_length=255, blank=True,
                                            validators=[no_ctrl])
    signing_capacity = models.CharField(_("signing capacity"), max_length=10, blank=True,
                                        choices=SigningForm.choices)
    signer_name = models.CharField(_("signed by"), max_length=120, blank=True, validators=[no_ctrl])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=PDF_FIELDS)

    class Meta:
        verbose_name = _("inspection decision")
        verbose_name_plural = _("inspection decisions")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="decision_period_order"),
            models.CheckConstraint(condition=Q(starts_on__gte=F("issued_on")), name="decision_starts_after_issue"),
        ]

    def __str__(self) -> str:
        return f"{_('Decision')} {self.number}"


class TeamRole(models.TextChoices):
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")


class TeamMember(models.Model):
    decision = models.ForeignKey(InspectionDecision, on_delete=models.PROTECT, related_name="members",
                                 verbose_name=_("decision"))
    name = models.CharField(_("name"), max_length=120, validators=[no_ctrl])
    position = models.CharField(_("position and unit"), max_length=255, blank=True, validators=[no_ctrl])
    role = models.CharField(_("role in the team"), max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["order", "pk"]


class InspectionKind(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNPLANNED = "unplanned", _("Unplanned")


class InspectionStatus(models.TextChoices):
    """Computed by the services from what exists; stored for filtering."""

    # Nothing done yet; not "Planned", which unplanned inspections would wear too (issue 21).
    PLANNED = "planned", pgettext_lazy("inspection status", "Not started yet")
    REQUESTED = "requested", _("Report requested")
    SELF_ASSESSED = "self_assessed", _("Self-assessment received")
    DECIDED = "decided", _("Decision issued")
    SIGNED = "signed", _("Record signed")


def _inspections_of_agency(agency_id: int) -> Q:
    """An agency's inspections, and those of an agency merged into it whose findings it now answers: the record
    states what it has to remedy (DOMAIN.md §3: a merged agency's history stays readable). Only the inspected
    agency acts on an inspection (`audits.actions.inspection_actions`)."""
    from .findings import Finding, findings_answered_by  # defined after the inspections they belong to

    # one semi-join on the ids of two index scans: "own OR EXISTS (...)" made PostgreSQL read every inspection
    own = Inspection.objects.filter(agency_id=agency_id).order_by().values("pk")
    answered = Finding.objects.filter(findings_answered_by(agency_id)).order_by().values("inspection_id")
    return Q(pk__in=own.union(answered, all=True))


class Inspection(models.Model):
    scope_paths = ScopePaths(province="province_id", agency=_inspections_of_agency)

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="inspections",
                                 verbose_name=_("province"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="inspections",
                               verbose_name=_("agency inspected"))
    year = models.PositiveSmallIntegerField(_("year"))
    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="inspections", verbose_name=_("inspection plan"))
    plan_entry = models.OneToOneField(PlanEntry, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="inspection", verbose_name=_("plan entry"))
    kind = models.CharField(_("kind"), max_length=10, choices=InspectionKind.choices, default=InspectionKind.PLANNED)
    unplanned_reason = models.TextField(_("reason for the unplanned inspection"), max_length=2000, blank=True,
                                        validators=[no_ctrl])
    form = models.CharField(_("form"), max_length=10, choices=InspectionForm.choices)
    status = models.CharField(_("status"), max_length=15, choices=InspectionStatus.choices,
                              default=InspectionStatus.PLANNED)
    inspecting_unit = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("inspecting unit"))
    expected_from = models.DateField(_("expected from"), null=True, blank=True)
    expected_to = models.DateField(_("expected to"), null=True, blank=True)
    scheduled_on = models.DateField(_("scheduled on"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=255, blank=True, validators=[no_ctrl])
    checklist_version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("checklist version"))
    report_request = models.ForeignKey(ReportRequest, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="inspections", verbose_name=_("request to report"))
    decision = models.ForeignKey(InspectionDecision, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="inspections", verbose_name=_("inspection decision"))
    self_assessment_submitted_at = models.DateTimeField(_("self-assessment submitted at"), null=True, blank=True)
    self_assessment_submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                                     blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["scheduled_on", "expected_from", "pk"]
        constraints = [
            models.CheckConstraint(
                name="inspection_kind_matches_plan",
                condition=Q(kind="planned", plan_entry__isnull=False, plan__isnull=False)
                | (Q(kind="unplanned", plan_entry__isnull=True) & ~Q(unplanned_reason="")),
            ),
        ]
        indexes = [models.Index(fields=["province", "year", "status"]), models.Index(fields=["agency", "year"])]

    def __str__(self) -> str:
        return f"{self.agency} · {self.year} ({self.get_form_display()})"

    @property
    def date(self):
        """The best date we know for the calendar."""
        return self.scheduled_on or (self.decision.starts_on if self.decision_id else None) or self.expected_from


class ChecklistResult(models.TextChoices):
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "na", _("Not applicable")


class AgencyChecklistAnswer(models.Model):
    """The agency's self-assessment of one checklist item, prefilled from its QMS file, with evidence."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="answers",
                                   verbose_name=_("inspection"))
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("checklist item"))
    result = models.CharField(_("self-assessment"), max_length=8, choices=ChecklistResult.choices, blank=True)
    explanation = models.TextField(_("explanation"), max_length=5000, blank=True, validators=[no_ctrl])
    # What the QMS file said when the request to report was sent, as facts (codes, numbers, dates): written as a
    # sentence in the reader's language when shown (audits.prefill.prefill_note).
    prefill = models.JSONField(_("from the QMS file"), default=dict, blank=True)
    # Suggestions made before the facts were kept were stored as text in the sender's language; shown as they are.
    prefill_note = models.CharField(_("from the QMS file (text kept from earlier versions)"), max_length=500,
                                    blank=True)
    evidence = models.ManyToManyField(StoredFile, blank=True, related_name="+", verbose_name=_("evidence"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("self-assessment answer")
        verbose_name_plural = _("self-assessment answers")
        ordering = ["item__number"]
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="answer_one_per_item")]


class InspectionRecord(Printable):
    """Biên bản kiểm tra (BBKT, Mẫu 21): the result per checklist item, the findings and the signature date."""

    inspection = models.OneToOneField(Inspection, on_delete=models.PROTECT, related_name="record",
                                      verbose_name=_("inspection"))
    issuer = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by"))
    number = models.CharField(_("number"), max_length=50, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True, validators=[no_ctrl])
    team_leader_name = models.CharField(_("team leader"), max_length=120, blank=True, validators=[no_ctrl])
    agency_representative = models.CharField(_("agency representative"), max_length=255, blank=True,
                                             validators=[no_ctrl])
    agency_representative_position = models.CharField(_("representative's position"), max_length=255, blank=True,
                                                      validators=[no_ctrl])
    conclusion = models.TextField(_("general conclusion"), max_length=10000, blank=True, validators=[no_ctrl])
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=[*PDF_FIELDS, "updated_at"])

    class Meta:
        verbose_name = _("inspection record")
        verbose_name_plural = _("inspection records")
        constraints = [
            models.CheckConstraint(name="record_signed_has_number",
                                   condition=Q(signed_on__isnull=True) | ~Q(number="")),
        ]

    def __str__(self) -> str:
        return f"{_('Inspection record')} {self.number or '—'} · {self.inspection.agency}"

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None


class RecordItemResult(models.Model):
    record = models.ForeignKey(InspectionRecord, on_delete=models.PROTECT, related_name="results",
                               verbose_name=_("inspection record"))
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("checklist item"))
    result = models.CharField(_("result"), max_length=8, choices=ChecklistResult.choices, blank=True)
    notes = models.TextField(_("notes"), max_length=5000, blank=True, validators=[no_ctrl])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist result")
        verbose_name_plural = _("checklist results")
        ordering = ["item__number"]
        constraints = [models.UniqueConstraint(fields=["record", "item"], name="record_result_one_per_item")]
