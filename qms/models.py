"""The agency's QMS file (HTQLCL): the record, its announcements, scope, documents and yearly activities."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from agencies.models import Agency
from qms_portal.models import StoredFile
from qms_portal.text import validate_no_control_characters as no_ctrl


class PartHistory(HistoricalRecords):
    """The history of a part of the QMS file, indexed by the part's owner (the file; the agency for procedures)
    and date. The file page reads each part's newest changes (`qms_portal.history.recent_changes`); without this
    index PostgreSQL may look for an agency's rows by walking the whole table's dates backwards (36 ms for the
    procedures of 20,000 agencies, against a fraction of a millisecond)."""

    def __init__(self, *args, owner: str = "qms", **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        options["indexes"] = (*options.get("indexes", ()), models.Index(fields=(self.owner, "-history_date")))
        return options


class Edition(models.TextChoices):
    ISO_2008 = "2008", "TCVN ISO 9001:2008"
    ISO_2015 = "2015", "TCVN ISO 9001:2015"


class Stage(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    BUILDING = "building", _("Building")
    APPLYING = "applying", _("Applying")
    ANNOUNCED = "announced", _("Announced")
    MAINTAINING = "maintaining", _("Maintaining")
    REANNOUNCEMENT_DUE = "reannouncement_due", _("Re-announcement due")
    INACTIVE = "inactive", _("Inactive (merged or dissolved)")


class QmsRecord(models.Model):
    """One QMS; usually one per agency, but it may also cover other agencies (UBND tỉnh and its Office)."""

    agency = models.OneToOneField(Agency, on_delete=models.PROTECT, related_name="qms", verbose_name=_("agency"))
    also_covers = models.ManyToManyField(Agency, blank=True, related_name="covered_by_qms",
                                         verbose_name=_("also covers"))
    edition = models.CharField(_("edition"), max_length=4, choices=Edition.choices, default=Edition.ISO_2015)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.NOT_STARTED)
    build_started_on = models.DateField(_("build started on"), null=True, blank=True)
    steering_decision_number = models.CharField(_("steering committee decision number"), max_length=50, blank=True,
                                                validators=[no_ctrl])
    steering_decision_date = models.DateField(_("steering committee decision date"), null=True, blank=True)
    consultant = models.CharField(_("consultant"), max_length=255, blank=True, validators=[no_ctrl])
    documents_approved_on = models.DateField(_("documents approved by the head on"), null=True, blank=True)
    documents_approved_by = models.CharField(_("approved by"), max_length=120, blank=True, validators=[no_ctrl])
    effectiveness_confirmed_on = models.DateField(_("effectiveness confirmed on"), null=True, blank=True)
    effectiveness_confirmed_by = models.CharField(_("confirmed by"), max_length=120, blank=True, validators=[no_ctrl])
    reannouncement_reason = models.CharField(_("why a re-announcement is due"), max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Incremented on every change; for 409 on stale writes.")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[also_covers])

    class Meta:
        verbose_name = _("QMS record")
        verbose_name_plural = _("QMS records")

    def __str__(self) -> str:
        return f"HTQLCL {self.agency}"

    @property
    def edition_in_use(self) -> str:
        """The edition the agency is on: "" until its QMS is started (`qms.rules.edition_of`)."""
        from .rules import edition_of

        return edition_of(self.stage, self.edition)


class AnnouncementKind(models.TextChoices):
    FIRST = "first", _("First announcement")
    REANNOUNCEMENT = "re", _("Re-announcement")


class ReannouncementReason(models.TextChoices):
    SCOPE_ADJUSTED = "scope_adjusted", _("Scope adjusted")
    SCOPE_EXTENDED = "scope_extended", _("Scope extended")
    SCOPE_NARROWED = "scope_narrowed", _("Scope narrowed")
    MERGER = "merger", _("Merger")
    NEW_EDITION = "new_edition", _("New edition of the standard")


class Announcement(models.Model):
    """Công bố HTQLCL phù hợp TCVN ISO 9001: the agency's decision, notified to the Sở and posted."""

    qms = models.ForeignKey(QmsRecord, on_delete=models.PROTECT, related_name="announcements")
    kind = models.CharField(_("kind"), max_length=5, choices=AnnouncementKind.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=ReannouncementReason.choices, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=50, validators=[no_ctrl])
    decision_date = models.DateField(_("decision date"))
    signer = models.CharField(_("signed by"), max_length=120, validators=[no_ctrl])
    edition = models.CharField(_("edition"), max_length=4, choices=Edition.choices)
    scope = models.TextField(_("scope"), max_length=5000, validators=[no_ctrl])
    notification_number = models.CharField(_("notification letter to the Sở, number"), max_length=50, blank=True,
                                           validators=[no_ctrl])
    notification_date = models.DateField(_("notification letter date"), null=True, blank=True)
    posted_at_office_on = models.DateField(_("posted at the office on"), null=True, blank=True)
    website_url = models.URLField(_("posted on the website at"), blank=True)
    decision_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                      verbose_name=_("decision file"))
    created_at = models.DateTimeField(auto_now_add=True)

    history = PartHistory()

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-decision_date", "-pk"]
        constraints = [
            models.CheckConstraint(name="reannouncement_has_reason",
                                   condition=Q(kind="first", reason="") | (Q(kind="re") & ~Q(reason=""))),
        ]


class Procedure(models.Model):
    """An administrative procedure (TTHC) the agency handles, and whether a work process covers it."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="procedures",
                               db_index=False)  # procedure_unique_code leads with it
    code = models.CharField(_("national code"), max_length=40, validators=[no_ctrl])
    name = models.CharField(_("name"), max_length=500, validators=[no_ctrl])
    field = models.CharField(_("field"), max_length=200, blank=True, validators=[no_ctrl])
    covered = models.BooleanField(_("covered by a work process"), default=False)
    process_code = models.CharField(_("work process code"), max_length=50, blank=True, validators=[no_ctrl])
    is_active = models.BooleanField(_("still handled"), default=True)

    history = PartHistory(owner="agency")

    class Meta:
        verbose_name = _("administrative procedure")
        verbose_name_plural = _("administrative procedures")
        ordering = ["field", "code"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="procedure_unique_code")]
        # Dashboards and the compliance view ask "does this agency have an uncovered procedure?"
        indexes = [models.Index(fields=["agency"], condition=models.Q(is_active=True, covered=False),
                                name="procedure_uncovered_idx")]


class DocumentKind(models.TextChoices):
    POLICY = "policy", _("Quality policy")
    OBJECTIVES = "objectives", _("Quality objectives")
    MANUAL = "manual", _("Quality manual or model")
    SYSTEM_PROCESS = "system_process", _("System process")
    WORK_PROCESS = "work_process", _("Work process")
    FORM = "form", _("Form")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")


class QmsDocument(models.Model):
    """A controlled document. A new edition supersedes the previous one, which stays readable."""

    qms = models.ForeignKey(QmsRecord, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    code = models.CharField(_("code"), max_length=50, validators=[no_ctrl])
    title = models.CharField(_("title"), max_length=300, validators=[no_ctrl])
    edition = models.PositiveSmallIntegerField(_("edition"), default=1, validators=[MinValueValidator(1)])
    year = models.PositiveSmallIntegerField(_("year (objectives)"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    approver = models.CharField(_("approved by"), max_length=120, blank=True, validators=[no_ctrl])
    status = models.CharField(_("status"), max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="superseded_by", verbose_name=_("supersedes"))
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    history = PartHistory()

    class Meta:
        verbose_name = _("QMS document")
        verbose_name_plural = _("QMS documents")
        ordering = ["kind", "code", "-edition"]
        constraints = [
            models.UniqueConstraint(fields=["qms", "code", "edition"], name="qms_document_unique_edition"),
            models.UniqueConstraint(fields=["qms", "code"], condition=Q(status="in_force"),
                                    name="qms_document_one_in_force"),
        ]


class LegalUpdate(models.Model):
    """A legal document that affects the QMS: the system must be updated within 3 months of its effect."""

    qms = models.ForeignKey(QmsRecord, on_delete=models.PROTECT, related_name="legal_updates")
    legal_document = models.CharField(_("legal document"), max_length=300, validators=[no_ctrl])
    effective_on = models.DateField(_("effective on"))
    due_on = models.DateField(_("update due on"))
    updated_on = models.DateField(_("QMS updated on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True, validators=[no_ctrl])

    history = PartHistory()

    class Meta:
        verbose_name = _("legal update")
        verbose_name_plural = _("legal updates")
        ordering = ["-effective_on"]


class InternalAudit(models.Model):
    qms = models.ForeignKey(QmsRecord, on_delete=models.PROTECT, related_name="internal_audits")
    held_on = models.DateField(_("held on"))
    auditors = models.CharField(_("auditors"), max_length=500, validators=[no_ctrl])
    nonconformities = models.PositiveIntegerField(_("nonconformities found"), default=0)
    summary = models.TextField(_("summary"), max_length=5000, blank=True, validators=[no_ctrl])

    history = PartHistory()

    class Meta:
        verbose_name = _("internal audit")
        verbose_name_plural = _("internal audits")
        ordering = ["-held_on"]


class ManagementReview(models.Model):
    qms = models.ForeignKey(QmsRecord, on_delete=models.PROTECT, related_name="management_reviews")
    held_on = models.DateField(_("held on"))
    chair = models.CharField(_("chaired by"), max_length=120, validators=[no_ctrl])
    decisions = models.TextField(_("decisions"), max_length=5000, blank=True, validators=[no_ctrl])

    history = PartHistory()

    class Meta:
        verbose_name = _("management review")
        verbose_name_plural = _("management reviews")
        ordering = ["-held_on"]


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("status", "Open")
    DONE = "done", pgettext_lazy("status", "Done")


class InternalCorrectiveAction(models.Model):
    """A corrective action from the agency's own internal audit (findings of inspections live in audits)."""

    qms = models.ForeignKey(QmsRecord, on_delete=models.PROTECT, related_name="corrective_actions")
    internal_audit = models.ForeignKey(InternalAudit, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="corrective_actions", verbose_name=_("internal audit"))
    description = models.TextField(_("nonconformity"), max_length=5000, validators=[no_ctrl])
    cause = models.TextField(_("cause"), max_length=5000, blank=True, validators=[no_ctrl])
    action = models.TextField(_("action"), max_length=5000, validators=[no_ctrl])
    owner = models.CharField(_("owner"), max_length=120, validators=[no_ctrl])
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=5, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    history = PartHistory()

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["status", "due_on"]
        constraints = [
            models.CheckConstraint(
                name="corrective_action_done_has_date",
                condition=Q(status="open", done_on__isnull=True) | Q(status="done", done_on__isnull=False),
            ),
        ]


class Complaint(models.Model):
    qms = models.ForeignKey(QmsRecord, on_delete=models.PROTECT, related_name="complaints")
    received_on = models.DateField(_("received on"))
    summary = models.TextField(_("summary"), max_length=5000, validators=[no_ctrl])
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), max_length=5000, blank=True, validators=[no_ctrl])

    history = PartHistory()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_on"]


class Improvement(models.Model):
    qms = models.ForeignKey(QmsRecord, on_delete=models.PROTECT, related_name="improvements")
    done_on = models.DateField(_("done on"))
    description = models.TextField(_("description"), max_length=5000, validators=[no_ctrl])

    history = PartHistory()

    class Meta:
        verbose_name = _("improvement")
        verbose_name_plural = _("improvements")
        ordering = ["-done_on"]


class Training(models.Model):
    qms = models.ForeignKey(QmsRecord, on_delete=models.PROTECT, related_name="trainings")
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=300, validators=[no_ctrl])
    attendees = models.PositiveIntegerField(_("attendees"), validators=[MinValueValidator(1)])

    history = PartHistory()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on"]


from .legal.models import DueLegalUpdate, DueStatus, LegalChange  # noqa: E402,F401  (models of the register)
