"""The parts of the QMS file that are lists of records, described once for the API, the forms and the rules."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import (
    Announcement,
    Complaint,
    Improvement,
    InternalAudit,
    InternalCorrectiveAction,
    LegalUpdate,
    ManagementReview,
    Procedure,
    QmsDocument,
    Training,
)


@dataclass(frozen=True)
class Part:
    slug: str
    model: type
    fields: tuple[str, ...]
    title: str
    # Dates of things that happened: never in the future.
    past_dates: tuple[str, ...] = ()
    # The record belongs to the agency (procedures) rather than to its QMS.
    agency_owned: bool = False
    read_only_fields: tuple[str, ...] = field(default_factory=tuple)


PARTS: dict[str, Part] = {p.slug: p for p in [
    Part("announcements", Announcement,
         ("kind", "reason", "decision_number", "decision_date", "signer", "edition", "scope", "notification_number",
          "notification_date", "posted_at_office_on", "website_url"),
         _("Announcements"), past_dates=("decision_date", "notification_date", "posted_at_office_on")),
    Part("procedures", Procedure, ("code", "name", "field", "covered", "process_code", "is_active"),
         _("Administrative procedures"), agency_owned=True),
    Part("documents", QmsDocument, ("kind", "code", "title", "year", "issued_on", "approver", "status"),
         _("Documents"), past_dates=("issued_on",), read_only_fields=("edition",)),
    Part("legal-updates", LegalUpdate, ("legal_document", "effective_on", "updated_on", "note"),
         _("Legal updates"), past_dates=("updated_on",), read_only_fields=("due_on",)),
    Part("internal-audits", InternalAudit, ("held_on", "auditors", "nonconformities", "summary"),
         _("Internal audits"), past_dates=("held_on",)),
    Part("management-reviews", ManagementReview, ("held_on", "chair", "decisions"),
         _("Management reviews"), past_dates=("held_on",)),
    Part("corrective-actions", InternalCorrectiveAction,
         ("internal_audit", "description", "cause", "action", "owner", "due_on", "status", "done_on"),
         _("Corrective actions"), past_dates=("done_on",)),
    Part("complaints", Complaint, ("received_on", "summary", "resolved_on", "outcome"),
         _("Complaints"), past_dates=("received_on", "resolved_on")),
    Part("improvements", Improvement, ("done_on", "description"), _("Improvements"), past_dates=("done_on",)),
    Part("trainings", Training, ("held_on", "topic", "attendees"), _("Training sessions"), past_dates=("held_on",)),
]}
