"""The 3-month rule measured: the verdict of each due legal update as of a date, written once in SQL.

As of a date, a due update registered by then is
- not applicable: the Sở accepted the agency's declaration by then;
- on time / late: the QMS was updated by then, on or before / after the due date;
- awaiting: the agency declared it not applicable by then and the Sở had not decided;
- overdue: none of these and the due date had passed;
- pending: none of these and the due date had not passed.
"""

from datetime import date

from django.db.models import Case, CharField, Count, F, Q, QuerySet, TextChoices, Value, When
from django.utils.translation import gettext_lazy as _

from .models import DueStatus


class LegalVerdict(TextChoices):
    ON_TIME = "on_time", _("Updated on time")
    LATE = "late", _("Updated late")
    OVERDUE = "overdue", _("Overdue")
    PENDING = "pending", _("Not yet due")
    AWAITING = "awaiting", _("Declared not applicable, awaiting the Sở")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# Verdicts that break the rule: the agency did not update its QMS within 3 months.
FAILING = (LegalVerdict.OVERDUE, LegalVerdict.LATE)


def verdict_expression(as_of: date) -> Case:
    updated = Q(updated_on__isnull=False, updated_on__lte=as_of)
    return Case(
        When(status=DueStatus.NOT_APPLICABLE, decided_on__lte=as_of, then=Value(LegalVerdict.NOT_APPLICABLE.value)),
        When(updated & Q(updated_on__lte=F("due_on")), then=Value(LegalVerdict.ON_TIME.value)),
        When(updated, then=Value(LegalVerdict.LATE.value)),
        When(status__in=[DueStatus.CLAIMED, DueStatus.NOT_APPLICABLE], claimed_on__lte=as_of,
             then=Value(LegalVerdict.AWAITING.value)),
        When(due_on__lt=as_of, then=Value(LegalVerdict.OVERDUE.value)),
        default=Value(LegalVerdict.PENDING.value), output_field=CharField())


def with_verdicts(due_updates: QuerySet, *, as_of: date) -> QuerySet:
    """The due updates that existed on `as_of` (registered by then), each with its `verdict`."""
    return due_updates.filter(created_at__date__lte=as_of).annotate(verdict=verdict_expression(as_of))


def verdict_counts(due_updates: QuerySet, *, as_of: date) -> dict[str, int]:
    """How many due updates have each verdict (every verdict present, 0 when none): one query."""
    rows = with_verdicts(due_updates, as_of=as_of).order_by().values("verdict").annotate(n=Count("pk"))
    counts = dict.fromkeys(LegalVerdict.values, 0)
    counts.update({row["verdict"]: row["n"] for row in rows})
    return counts


def verdict_counts_by_agency(due_updates: QuerySet, *, as_of: date) -> dict[int, dict[str, int]]:
    """agency id -> verdict counts, for the agencies that have due updates: one query."""
    rows = (with_verdicts(due_updates, as_of=as_of).order_by().values("agency_id", "verdict")
            .annotate(n=Count("pk")))
    by_agency: dict[int, dict[str, int]] = {}
    for row in rows:
        by_agency.setdefault(row["agency_id"], dict.fromkeys(LegalVerdict.values, 0))[row["verdict"]] = row["n"]
    return by_agency


def agency_fails_rule(counts: dict[str, int] | None) -> bool:
    """An agency breaks the 3-month rule when an update it owed was made late or is overdue; an agency to which
    no change applied keeps it."""
    return bool(counts) and any(counts.get(v, 0) for v in FAILING)
