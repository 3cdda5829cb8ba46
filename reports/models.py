"""Reporting periods, the agencies' periodic reports and the Sở's consolidated reports (DOMAIN.md §6).

- A `ReportingPeriod` is per province: 6-month, annual or ad hoc, with a data window and a deadline.
- An `AgencyReport` is one agency's report for one period. Its `data` is prefilled from the QMS file and the
  inspection findings while it is a draft, and frozen from the moment it is submitted.
- A `ConsolidatedReport` is compiled by a Celery task into an immutable PDF, XLSX and DOCX (the editable draft);
  regenerating makes a new version, never a change of an issued one.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.models import Agency, Province
from qms_portal.generated import PDF_FIELDS, GeneratedDocument, Lifecycle, Printable
from qms_portal.models import StoredFile
from qms_portal.people import person_name
from qms_portal.scoping import ScopePaths
from qms_portal.text import validate_no_control_characters as no_ctrl


class PeriodKind(models.TextChoices):
    SIX_MONTH = "six_month", _("6-month")
    ANNUAL = "annual", _("Annual")
    AD_HOC = "ad_hoc", _("Ad hoc")


class ReportingPeriod(models.Model):
    """Kỳ báo cáo: what agencies report on (the data window) and by when (the deadline)."""

    scope_paths = ScopePaths(province="province_id", agency=lambda agency_id: Q(province__agencies=agency_id))

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="reporting_periods",
                                 verbose_name=_("province"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2014), MaxValueValidator(2100)])
    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True, validators=[no_ctrl],
                             help_text=_("Required for an ad hoc period."))
    window_start = models.DateField(_("data from"))
    window_end = models.DateField(_("data to"))
    deadline = models.DateField(_("deadline"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-year", "province__name", "deadline"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year", "kind"], condition=~Q(kind="ad_hoc"),
                                    name="reporting_period_one_regular_per_year"),
            models.CheckConstraint(condition=Q(window_end__gte=F("window_start")), name="reporting_period_window"),
            models.CheckConstraint(condition=Q(deadline__gte=F("window_start")), name="reporting_period_deadline"),
            models.CheckConstraint(condition=~Q(kind="ad_hoc") | ~Q(title=""), name="reporting_period_ad_hoc_title"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.AD_HOC:
            return f"{self.title} ({self.year})"
        return f"{self.get_kind_display()} {self.year}"

    def has_started(self, today=None) -> bool:
        return (today or timezone.localdate()) >= self.window_start

    def as_of(self, today=None) -> date:
        """The day the period's facts are judged at (`period_as_of`)."""
        return period_as_of(self.window_end, today or timezone.localdate())


def period_as_of(window_end: date, today: date) -> date:
    """The day a period's facts are judged at: today, but never after the end of its data window. Its report's
    figures and its completeness count the agencies active that day (`agencies.selectors.active_on`), so that a
    merger or a closing recorded later leaves a past period as it was."""
    return min(today, window_end)


def period_as_of_sql(today: date, *, window_end: str = "window_end") -> Least:
    """`period_as_of` in SQL, for each row of a query (`window_end`: the path to the period's window end)."""
    return Least(F(window_end), Value(today))


class AgencyReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for correction")


EDITABLE_STATUSES = (AgencyReportStatus.DRAFT, AgencyReportStatus.RETURNED)


@dataclass(frozen=True)
class Issue:
    """An issued document's number, date and the name printed under its signature (`AgencyReport.issue`)."""

    number: str
    issued_on: date
    signer_name: str


class AgencyReport(Printable):
    """Báo cáo định kỳ của cơ quan: drafted by the ISO officer, submitted by the head, reviewed by the Sở.

    Once submitted it is an official document issued by the agency: numbered in the agency's register
    (`number`, `issued_on`) and printed by the worker (the PDF fields of `Printable`)."""

    scope_paths = ScopePaths(province="agency__province_id", agency="agency_id")

    # Indexed by agency_report_one_per_period (period, agency), which leads with it.
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="agency_reports",
                               verbose_name=_("reporting period"), db_index=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="periodic_reports",
                               verbose_name=_("agency"))
    status = models.CharField(_("status"), max_length=10, choices=AgencyReportStatus.choices,
                              default=AgencyReportStatus.DRAFT)
    # The facts from the QMS file and the findings (see reports.prefill); frozen once submitted.
    data = models.JSONField(_("facts from the QMS file"), default=dict, blank=True)
    data_as_of = models.DateTimeField(_("facts as of"), null=True, blank=True)
    funding = models.JSONField(_("funding spent by budget line (VND)"), default=dict, blank=True)
    difficulties = models.TextField(_("difficulties"), max_length=10000, blank=True, validators=[no_ctrl])
    proposals = models.TextField(_("proposals"), max_length=10000, blank=True, validators=[no_ctrl])
    other_notes = models.TextField(_("other results"), max_length=10000, blank=True, validators=[no_ctrl])
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("reviewed by"))
    review_note = models.TextField(_("reason given by the department"), max_length=5000, blank=True,
                                   validators=[no_ctrl])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, help_text="Incremented on every change; for 409 on stale writes.")
    number = models.CharField(_("number"), max_length=50, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["data", *PDF_FIELDS])

    class Meta:
        verbose_name = _("agency report")
        verbose_name_plural = _("agency reports")
        ordering = ["period", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "agency"], name="agency_report_one_per_period"),
            models.CheckConstraint(name="agency_report_submitted_has_date",
                                   condition=Q(status__in=["draft"]) | Q(first_submitted_at__isnull=False)),
        ]
        indexes = [
            models.Index(fields=["period", "status"]),
            # The dashboards' completeness (`dashboard.completeness_counts`, every minute in the worker's warming)
            # reads the submitted reports' period, agency and first submission from this index alone: the table's
            # rows (facts, texts) are large, and reading them for the nation's 60,000 reports took most of the query.
            models.Index(fields=["period", "agency"], include=["first_submitted_at"],
                         condition=Q(first_submitted_at__isnull=False), name="agency_report_submitted_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.period}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_frozen(self) -> bool:
        return not self.is_editable

    @property
    def is_issued(self) -> bool:
        """The report is the document the agency issued under its number: submitted (or accepted), not back with
        the agency. A report returned or reopened is a draft again: its number stays on the register with the PDF
        issued under it, but no file of the report prints that number over what is being edited."""
        return bool(self.number) and self.is_frozen

    @property
    def issue(self) -> "Issue | None":
        """The number and date the report was issued under and who signed it (the head who submitted it), while it
        is that document (`is_issued`); None for a draft, never submitted or back with the agency. What the page,
        the API and the files say of it."""
        if not self.is_issued:
            return None
        return Issue(number=self.number, issued_on=self.issued_on, signer_name=person_name(self.submitted_by))

    @property
    def register_document(self) -> tuple | None:
        """(issuer id, number, issued on) of its line in the agency's register while it is issued (`RegisterState`)."""
        return (self.agency_id, self.number, self.issued_on) if self.is_issued else None

    def on_time(self) -> bool | None:
        """Judged on the first submission (a report returned for correction was still received on time)."""
        if not self.first_submitted_at:
            return None
        return timezone.localtime(self.first_submitted_at).date() <= self.period.deadline


class ReportKind(models.TextChoices):
    PROVINCIAL = "provincial", _("Provincial report to the Provincial People's Committee")
    MINISTRY = "ministry", _("Provincial report to the Ministry of Science and Technology")
    INSPECTION_SUMMARY = "inspection_summary", _("Inspection summary (November)")
    NATIONAL = "national", _("National roll-up")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE_STATUSES = (ReportStatus.QUEUED, ReportStatus.RUNNING)


RENDERING_PROGRESS = 50  # the stored progress while the PDF is being rendered


class ConsolidatedReport(GeneratedDocument):
    """Báo cáo tổng hợp: compiled by a Celery task; once done it is immutable (a correction is a new version)."""

    lifecycle = Lifecycle(status="status", started="started_at", heartbeat="heartbeat_at", attempts="attempts",
                          error="error", error_length=1000, on_claim={"progress": 5, "error": ""},
                          on_release={"progress": 0}, finished="finished_at")

    scope_paths = ScopePaths(province="province_id", agency=None)  # the Sở's and the nation's reports

    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="consolidated_reports", verbose_name=_("province"))
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="consolidated_reports", verbose_name=_("reporting period"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2014), MaxValueValidator(2100)])
    period_kind = models.CharField(_("period kind"), max_length=10, choices=PeriodKind.choices,
                                   default=PeriodKind.ANNUAL)
    # "provincial/p12", "national/2026/annual": what counts as "the same report" (one running, versions).
    scope_key = models.CharField(max_length=80, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    narrative = models.JSONField(_("narrative sections"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    error = models.CharField(_("error"), max_length=1000, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    scheduled = models.BooleanField(_("requested by the schedule"), default=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    cutoff_at = models.DateTimeField(_("data cut-off"), null=True, blank=True)
    issuer = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("issuing body"))
    issuer_name = models.CharField(_("issuing body"), max_length=255, blank=True)
    number = models.CharField(_("number"), max_length=50, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    summary = models.JSONField(_("key figures"), default=dict, blank=True)
    pdf = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                            verbose_name=_("PDF"))
    xlsx = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("XLSX"))
    # The editable draft (Word), made by the same task from the same data; empty on reports made before it was.
    docx = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("DOCX"))
    verification_code = models.CharField(_("verification code"), max_length=16, unique=True)

    class Meta:
        verbose_name = _("consolidated report")
        verbose_name_plural = _("consolidated reports")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # At most one report of a kind/province/period in the works: a second request returns it.
            models.UniqueConstraint(fields=["scope_key"], condition=Q(status__in=["queued", "running"]),
                                    name="consolidated_report_one_active"),
            models.UniqueConstraint(fields=["scope_key", "version"], name="consolidated_report_unique_version"),
            models.CheckConstraint(name="consolidated_report_scope",
                                   condition=Q(kind="national", province__isnull=True)
                                   | (~Q(kind="national") & Q(province__isnull=False, period__isnull=False))),
            models.CheckConstraint(name="consolidated_report_done_has_files",
                                   condition=~Q(status="done") | Q(pdf__isnull=False, xlsx__isnull=False)),
        ]
        indexes = [models.Index(fields=["province", "kind", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.scope_label} (v{self.version})"

    @property
    def version_label(self) -> str:
        """"(lần 2)": which issue of the report this is (a correction is a new one); not "v2"."""
        return _("(issue %(number)s)") % {"number": self.version}

    @property
    def scope_label(self) -> str:
        if self.period_id:
            return f"{self.period.label} · {self.province}"
        return f"{PeriodKind(self.period_kind).label} {self.year}"

    @property
    def is_done(self) -> bool:
        return self.status == ReportStatus.DONE

    @property
    def register_document(self) -> tuple | None:
        """(issuer id, number, issued on) of its line in the issuer's register once done (`RegisterState`)."""
        return (self.issuer_id, self.number, self.issued_on) if self.is_done else None

    @property
    def figures_as_of(self):
        """The date every figure of the issued report is judged at (stated once: PDF, XLSX, verification)."""
        from datetime import date

        as_of = (self.summary or {}).get("as_of")
        return date.fromisoformat(as_of) if as_of else None

    @property
    def progress_estimate(self) -> int:
        """The stored progress; while the PDF is rendered (stored as 50 %: WeasyPrint says nothing until it is
        done) an estimate from the time since rendering began and the time the worker expected it to take
        (`summary["render_seconds"]`), never above 95 % before the report is done."""
        expected = (self.summary or {}).get("render_seconds")
        if self.status != ReportStatus.RUNNING or self.progress != RENDERING_PROGRESS or not expected \
                or self.heartbeat_at is None:
            return self.progress
        elapsed = max(0.0, (timezone.now() - self.heartbeat_at).total_seconds())
        return RENDERING_PROGRESS + int((95 - RENDERING_PROGRESS) * min(1.0, elapsed / expected))


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Deadline approaching")
    MISSING = "missing", _("Report missing after the deadline")
    DIGEST = "digest", _("Digest of missing reports")


class ReportReminder(models.Model):
    """One line per reminder e-mail; the unique key makes a repeated beat run send nothing twice."""

    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    key = models.CharField(max_length=160, unique=True)
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    recipients = models.TextField(blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report reminder sent")
        verbose_name_plural = _("report reminders sent")
        ordering = ["-sent_at"]


class BudgetLine(models.TextChoices):
    """Circular 116/2015/TT-BTC Art. 3: what an agency may spend on its QMS (keys of AgencyReport.funding)."""

    FRAMEWORK = "framework", _("Framework models")
    COMMUNICATION = "communication", _("Communication and surveys")
    MATERIALS = "materials", _("Materials and travel")
    TRAINING = "training", _("Training")
    GUIDANCE = "guidance", _("Writing guidance and processes")
    INTERNAL_AUDIT = "internal_audit", _("Internal audit")
    MAINTENANCE = "maintenance", _("Maintaining, improving and extending the system")
    INSPECTION = "inspection", _("Inspection")
    OTHER = "other", _("Other")
