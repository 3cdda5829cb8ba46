"""Findings of an inspection (vấn đề tồn tại), the agency's corrective-action responses, evidence, and the
timeline. Nothing here is ever deleted; "overdue" is computed from the due date, never stored."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from agencies.models import Agency, Province
from agencies.selectors import active_on
from qms_portal.generated import Printable
from qms_portal.models import StoredFile
from qms_portal.scoping import ScopePaths
from qms_portal.text import validate_no_control_characters as no_ctrl

from .checklists import ChecklistItem, FindingClass
from .inspections import Inspection


class FindingStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("finding status", "Not remedied yet")  # "Mở" read as an instruction (issue 21)
    RESPONDED = "responded", _("Response submitted")
    ACCEPTED = "accepted", _("Accepted (closed)")
    REJECTED = "rejected", _("Not accepted")
    # Closed by the inspecting unit, with its reason, when no agency is left to answer: the agency was dissolved
    # without a successor (a merged agency's findings pass to its successor instead). Not remedied, so never
    # counted as accepted; no longer open, so never overdue.
    WITHDRAWN = "withdrawn", _("Closed without corrective action (agency dissolved)")


# The agency has to act on these (a response under review waits for the inspecting unit).
AWAITING_AGENCY = (FindingStatus.OPEN, FindingStatus.REJECTED)
# Nothing is owed any more: the corrective action was accepted, or the Sở closed the finding of a dissolved agency.
CLOSED_STATES = (FindingStatus.ACCEPTED, FindingStatus.WITHDRAWN)


# The one definition of a finding's state on a day (issue 13): open until its response is ACCEPTED, or until the
# Sở closes it for want of an agency (WITHDRAWN; either date is `closed_on`); overdue while open past its due date,
# whatever the response's state; closed late when accepted after its due date.
def finding_accepted_by(day: date) -> Q:
    return Q(status=FindingStatus.ACCEPTED, closed_on__isnull=False, closed_on__lte=day)


def finding_closed_by(day: date) -> Q:
    """Accepted, or closed without corrective action, on or before `day`."""
    return Q(status__in=CLOSED_STATES, closed_on__isnull=False, closed_on__lte=day)


def finding_open_on(day: date) -> Q:
    return ~finding_closed_by(day)


def finding_overdue_on(day: date) -> Q:
    """Open past its due date, once the record is signed (before that the agency has not been given it)."""
    return finding_open_on(day) & Q(record_signed=True, due_on__isnull=False, due_on__lt=day)


def finding_not_closed() -> Q:
    """Neither accepted nor closed without corrective action (written as two conditions, so that the partial
    indexes below, which say the same, match the queries that use it)."""
    return ~Q(status=FindingStatus.ACCEPTED) & ~Q(status=FindingStatus.WITHDRAWN)


def finding_to_act_on() -> Q:
    """Not closed, with a due date, of a signed record: the findings board's table by agency counts these, and
    its partial index holds them (one condition, so that the planner can match the two)."""
    return finding_not_closed() & Q(due_on__isnull=False, record_signed=True)


def findings_answered_by(agency_id: int) -> Q:
    """The one definition of "the agency of a finding" for that agency's staff: the findings it answers for
    (`Finding.responsible_agency`: its own inspections', and those of the agencies merged into it), once the
    inspection record is signed. Their scope (what they see: `Finding.scope_paths`) and what they may answer
    (`audits.actions.can_respond`, the services' `require_unit`) both read that field; the reminders and the
    findings board group by it."""
    return Q(responsible_agency_id=agency_id, record_signed=True)


def findings_answered_by_on(agency, day: date) -> Q:
    """The findings an agency answered for on `day`, for the figures of a report of that day: its own inspections',
    and those of an agency no longer there that day (`agencies.selectors.active_on`) whose findings it answers
    (`Finding.responsible_agency`: merged into it). An agency merged after `day` keeps its own findings on that
    day's report. `agency` is an id or an `OuterRef` to one (a report's row)."""
    return Q(agency=agency) | (Q(responsible_agency=agency) & ~active_on(day, through="agency"))


def finding_closed_late_by(day: date) -> Q:
    return finding_accepted_by(day) & Q(due_on__isnull=False, closed_on__gt=F("due_on"))


class FindingQuerySet(models.QuerySet):
    def overdue(self, today: date | None = None):
        return self.filter(finding_overdue_on(today or timezone.localdate()))

    def not_overdue(self, today: date | None = None):
        return self.exclude(pk__in=self.overdue(today).values("pk"))

    def with_overdue(self, today: date | None = None):
        today = today or timezone.localdate()
        return self.annotate(is_overdue=Case(
            When(finding_overdue_on(today), then=Value(True)), default=Value(False), output_field=BooleanField()))

    def signed_by(self, day: date):
        """The findings of inspection records signed on or before `day` (the agency's obligations start there)."""
        return self.filter(inspection__record__signed_on__isnull=False, inspection__record__signed_on__lte=day)


class Finding(models.Model):
    # The agency's obligations start when the inspection record is signed: before that it sees no finding.
    scope_paths = ScopePaths(province="province_id", agency=findings_answered_by)

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings",
                                   verbose_name=_("inspection"))
    # Copied from the inspection so that scope filters and boards need no join.
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="findings", verbose_name=_("agency"))
    # Who answers for it: the inspected agency (`agency`, which never changes: the record was signed with it), or,
    # once that agency is merged into another, the agency that continues it (DOMAIN.md §3: the successor takes
    # over what its predecessor owed). Set by `audits.services.finding_create` and moved by `findings_hand_over`
    # when a merger takes effect. The agency's scope, its right to answer, the reminders and the board read it.
    responsible_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="findings_to_answer", verbose_name=_("agency answering"),
        db_index=False)  # finding_responsible_idx leads with it
    number = models.PositiveSmallIntegerField(_("number"))
    checklist_item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("checklist item"))
    clause = models.CharField(_("clause of the standard"), max_length=40, blank=True, validators=[no_ctrl])
    classification = models.ForeignKey(FindingClass, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("classification"))
    description = models.TextField(_("description"), max_length=5000, validators=[no_ctrl])
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # The inspection record is signed (audits.services.record_sign sets it for its findings, which are fixed from
    # then on): the finding is the agency's to act on, it may be overdue and it is on the findings board. Kept on
    # the finding so that the board and the agency's scope need no join.
    record_signed = models.BooleanField(default=False, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["due_on", "inspection_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "number"], name="finding_unique_number"),
            models.CheckConstraint(name="finding_closed_iff_closed_state",
                                   condition=Q(status__in=["accepted", "withdrawn"], closed_on__isnull=False)
                                   | (~Q(status__in=["accepted", "withdrawn"]) & Q(closed_on__isnull=True))),
        ]
        indexes = [models.Index(fields=["province", "status", "due_on"]),
                   models.Index(fields=["agency", "status"]),
                   # An agency's own findings ("my findings", its dashboard, the API): its scope reads this field.
                   models.Index(fields=["responsible_agency", "status"], name="finding_responsible_idx"),
                   # The national findings board: the findings still open, in due-date order. Partial, so it stays
                   # small while the closed ones pile up over the years.
                   models.Index(fields=["due_on"], condition=finding_not_closed() & Q(record_signed=True),
                                name="finding_active_due_idx"),
                   # The board's table by agency (the agency answering): the open findings with a due date grouped
                   # by agency from the index alone (no visit of the table; `record_signed` is in the overdue
                   # count's filter).
                   models.Index(fields=["responsible_agency", "province"],
                                include=["status", "due_on", "closed_on", "record_signed"],
                                condition=finding_to_act_on(), name="finding_board_idx")]

    def __str__(self) -> str:
        return f"{_('Finding')} {self.number} · {self.agency}"

    def is_overdue_on(self, today: date | None = None) -> bool:
        """As `finding_overdue_on`: signed, not closed by `today` and due before it."""
        today = today or timezone.localdate()
        closed = self.status in CLOSED_STATES and self.closed_on is not None and self.closed_on <= today
        return self.record_signed and not closed and self.due_on is not None and self.due_on < today

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATES

    @property
    def handed_over(self) -> bool:
        """The inspected agency was merged into another, which answers for the finding now."""
        return self.responsible_agency_id != self.agency_id


class FindingEventKind(models.TextChoices):
    CREATED = "created", _("Recorded")
    UPDATED = "updated", _("Changed")
    DUE_DATE_SET = "due_date_set", _("Due date set")
    DUE_DATE_CHANGED = "due_date_changed", _("Due date changed")
    EVIDENCE_ADDED = "evidence_added", _("Evidence added")
    RESPONDED = "responded", _("Response submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")
    HANDED_OVER = "handed_over", _("Passed to the successor agency")
    WITHDRAWN = "withdrawn", _("Closed without corrective action")


# The events that move a due date once the record is signed, and the key of their data that holds the date they
# replaced (audits.services.findings writes it; the signed record prints it: audits.documents.dues_as_signed)
REPLACED_DUE = {FindingEventKind.DUE_DATE_CHANGED: "old", FindingEventKind.REJECTED: "old_due_on"}


class FindingEvent(models.Model):
    """The timeline of a finding: who did what, when, and why."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="events", verbose_name=_("finding"))
    kind = models.CharField(_("what"), max_length=20, choices=FindingEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("who"))
    at = models.DateTimeField(_("when"), default=timezone.now)
    reason = models.TextField(_("reason or note"), max_length=5000, blank=True)
    data = models.JSONField(default=dict, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("finding event")
        verbose_name_plural = _("finding events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%d/%m/%Y %H:%M}"


class ResponseOutcome(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


class FindingResponse(models.Model):
    """The agency's corrective-action report for one finding; a rejected response stays, a new one follows."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="responses",
                                verbose_name=_("finding"))
    cause = models.TextField(_("cause"), max_length=5000, blank=True, validators=[no_ctrl])
    action_taken = models.TextField(_("corrective action taken"), max_length=5000, validators=[no_ctrl])
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=10, choices=ResponseOutcome.choices,
                               default=ResponseOutcome.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("reviewed by"))
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    decision_reason = models.TextField(_("reviewer's note"), max_length=5000, blank=True, validators=[no_ctrl])

    class Meta:
        verbose_name = _("corrective-action response")
        verbose_name_plural = _("corrective-action responses")
        ordering = ["submitted_at", "pk"]


class EvidenceSide(models.TextChoices):
    AGENCY = "agency", _("Agency")
    INSPECTOR = "inspector", _("Inspection team")


class FindingEvidence(models.Model):
    """A file attached to a finding: the team's photos, or the agency's corrective-action evidence."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("finding"))
    response = models.ForeignKey(FindingResponse, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="evidence", verbose_name=_("response"))
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+", verbose_name=_("file"))
    side = models.CharField(_("from"), max_length=10, choices=EvidenceSide.choices)
    note = models.CharField(_("note"), max_length=255, blank=True, validators=[no_ctrl])
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    # Sent again with a later response: the evidence of a response that was not accepted, kept by the agency for its
    # next one. The same stored file (immutable, never copied); the earlier response keeps its own line.
    carried_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="carried_to", verbose_name=_("sent again from"))

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "pk"]


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    DUE_TODAY = "due_today", _("Due today")
    OVERDUE_DIGEST = "overdue_digest", _("Weekly overdue digest")
    REPORT_REQUEST = "report_request", _("Request to report")
    PLAN_RETURNED = "plan_returned", _("Inspection plan returned")
    RECORD_SIGNED = "record_signed", _("Inspection record signed")
    PLAN_SUBMITTED = "plan_submitted", _("Inspection plan submitted for approval")
    PLAN_APPROVED = "plan_approved", _("Inspection plan approved")
    INSPECTION_PLANNED = "inspection_planned", _("Inspection planned (to the agency)")


class ReminderLog(models.Model):
    """One line per reminder sent: the key makes a repeated beat run a no-op (one e-mail per person per digest)."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    key = models.CharField(max_length=120)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="+")
    email = models.EmailField(blank=True)
    finding_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="reminder_unique_key")]


class RejectionLetter(Printable):
    """The official letter (công văn) telling the agency why its corrective-action response was not accepted:
    numbered in the inspecting unit's register, rendered by the worker like the other documents (issue 14)."""

    scope_paths = ScopePaths(province="province_id", agency="agency_id")

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="rejection_letters",
                                verbose_name=_("finding"))
    response = models.OneToOneField(FindingResponse, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="rejection_letter", verbose_name=_("corrective-action response"))
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    issuer = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing body"))
    number = models.CharField(_("number"), max_length=50)
    issued_on = models.DateField(_("issued on"))
    reason = models.TextField(_("reason"), max_length=5000, validators=[no_ctrl])
    new_due_on = models.DateField(_("new due date"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("letter: response not accepted")
        verbose_name_plural = _("letters: responses not accepted")
        ordering = ["-issued_on", "-pk"]
