"""Which due legal updates to remind an agency of today (the e-mails are the agencies' daily digests, see
audits.services.reminders): when a change comes to apply to it, 30 days before the due date, and every week while
it is overdue. Returns each reminder with the key that makes it once-only."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from .models import DueLegalUpdate, DueStatus

DAYS_BEFORE = 30


@dataclass(frozen=True)
class LegalReminder:
    due: DueLegalUpdate
    reason: str  # "new", "due_soon" or "overdue"
    keys: tuple[str, ...]  # the row is sent when any of its keys is new (see audits.services.reminders)


def legal_reminders(*, today: date) -> dict[int, list[LegalReminder]]:
    """agency id -> its reminders for today, one query; the caller claims the keys before sending."""
    year, week, _ = today.isocalendar()
    open_dues = (DueLegalUpdate.objects.filter(status=DueStatus.PENDING, change__targets_done_at__isnull=False)
                 .filter(Q(created_at__date__gte=today - timedelta(days=7))
                         | Q(due_on__lte=today + timedelta(days=DAYS_BEFORE)))
                 .select_related("change", "agency").order_by("due_on", "pk"))
    by_agency: dict[int, list[LegalReminder]] = {}
    for due in open_dues:
        keys = [f"legal:new:{due.pk}"]
        reason = "new"
        if today <= due.due_on <= today + timedelta(days=DAYS_BEFORE):
            keys.append(f"legal:soon:{due.pk}")
            reason = "due_soon"
        elif due.due_on < today:
            keys.append(f"legal:overdue:{due.pk}:{year}-W{week:02d}")
            reason = "overdue"
        by_agency.setdefault(due.agency_id, []).append(LegalReminder(due=due, reason=reason, keys=tuple(keys)))
    return by_agency
