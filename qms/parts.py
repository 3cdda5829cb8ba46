"""The parts of the QMS file that are lists of records, described once for the API, the forms and the rules."""

import datetime
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
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

    def columns(self) -> list[tuple[str, str]]:
        """The fields the QMS file page shows in the part's table (the first four), each with its column header
        ("Loại", not "loại": verbose names are lowercase), in the active language."""
        return [(name, capfirst(self.model._meta.get_field(name).verbose_name)) for name in self.fields[:4]]

    def table(self, items) -> dict:
        """The part's table on the QMS file page: its `columns`, and each item with its cells, (header, value
        shown) in their order; built here rather than by a template tag a cell, which was a fifth of the page's
        time."""
        columns = self.columns()
        return {"columns": columns,
                "rows": [(item, [(label, shown(item, name)) for name, label in columns]) for item in items]}


def shown(obj, name: str):
    """A model field shown for people: choice labels, dd/mm/yyyy dates, Có/Không for booleans, — for nothing."""
    display = getattr(obj, f"get_{name}_display", None)
    value = display() if callable(display) else getattr(obj, name, "")
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.date):
        return format_html('<span class="nowrap">{}</span>', date_format(value, "SHORT_DATE_FORMAT"))
    return "—" if value in (None, "") else value


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
