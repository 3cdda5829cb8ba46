"""The facts the compliance rules judge, as SQL annotations of an Agency queryset, as of a date.

Every fact reads only records dated on or before `as_of` (announcements by decision date, audits and reviews by
the day held, legal updates by effective date and update date, corrective actions by due and done dates), so a
past period judged again after later entries gives the same verdicts. The stage, the edition and the procedure
list are the file's current state: they carry no date.
"""

from datetime import date

from django.db.models import Count, Exists, F, IntegerField, Max, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Least

from ..models import (
    ActionStatus,
    Announcement,
    InternalAudit,
    InternalCorrectiveAction,
    LegalUpdate,
    ManagementReview,
    Procedure,
    Stage,
)

# Facts that are dates (stored as ISO strings when kept as JSON)
DATE_FACTS = frozenset({"last_announcement_on", "last_internal_audit_on", "last_review_on", "legal_next_due",
                        "actions_next_due"})


def current_stage():
    """The stage of an agency's file, "not started" when it has none (the fact `stage`, and the stage order of the
    compliance page)."""
    return Coalesce(F("qms__stage"), Value(Stage.NOT_STARTED))


def year_start(as_of: date) -> date:
    return date(as_of.year, 1, 1)


def legal_updates_source(*, as_of: date) -> QuerySet[LegalUpdate]:
    """The legal changes a QMS recorded itself in its file, as known on `as_of`."""
    return LegalUpdate.objects.filter(effective_on__lte=as_of)


def legal_update_filters(*, as_of: date) -> dict[str, Q]:
    """Each legal change recorded in a QMS file by its state on `as_of`: on time (reflected within 3 months of
    its effective date), late (reflected after that, this calendar year), overdue (not reflected and past that
    date), pending (not reflected yet)."""
    made = Q(updated_on__isnull=False, updated_on__lte=as_of)
    return {
        "on_time": made & Q(updated_on__lte=F("due_on")),
        "late": made & Q(updated_on__gt=F("due_on"), updated_on__gte=year_start(as_of)),
        "overdue": ~made & Q(due_on__lt=as_of),
        "pending": ~made,
    }


def legal_facts(*, as_of: date) -> dict:
    """The facts of the legal-update rule, as of `as_of`, from its two sources (the single place to change
    them): the changes the agency recorded in its QMS file (`legal_updates_source`), and the due updates of the
    province's legal-change register (qms.legal, issue 16), judged by the register's own verdicts
    (`qms.legal.verdicts.verdict_expression`): on time, late (this calendar year), overdue, and the due updates
    declared not applicable or awaiting the Sở, which keep the rule. `legal_register` says whether the register
    was in use for the agency's province on that date: then an agency owed nothing had no change to reflect
    (it keeps the rule); otherwise an agency that recorded nothing is "no data"."""
    from ..legal.models import DueLegalUpdate, LegalChange
    from ..legal.verdicts import LegalVerdict, with_verdicts

    own = legal_updates_source(as_of=as_of)
    states = legal_update_filters(as_of=as_of)
    dues = with_verdicts(DueLegalUpdate.objects.all(), as_of=as_of)

    def due(*verdicts, **filters):
        return _count(dues.filter(verdict__in=verdicts, **filters), parent="agency", outer="pk")

    def mine(state=None):
        return _count(own.filter(states[state]) if state else own, parent="qms", outer="qms")

    own_next = _earliest(own.filter(states["pending"]), "due_on")
    due_next = Subquery(dues.filter(agency=OuterRef("pk"), verdict=LegalVerdict.PENDING).order_by("due_on")
                        .values("due_on")[:1])
    register = LegalChange.objects.filter(Q(province__isnull=True) | Q(province=OuterRef("province")),
                                          created_at__date__lte=as_of)
    return {
        "legal_recorded": mine() + _count(dues, parent="agency", outer="pk"),
        "legal_on_time": mine("on_time") + due(LegalVerdict.ON_TIME),
        "legal_late": mine("late") + due(LegalVerdict.LATE, updated_on__gte=year_start(as_of)),
        "legal_overdue": mine("overdue") + due(LegalVerdict.OVERDUE),
        "legal_pending": _count(own.filter(states["pending"] & Q(due_on__gte=as_of)), parent="qms", outer="qms")
        + due(LegalVerdict.PENDING, LegalVerdict.AWAITING),
        "legal_not_applicable": due(LegalVerdict.NOT_APPLICABLE),
        "legal_register": Exists(register),
        "legal_next_due": Least(Coalesce(own_next, due_next), Coalesce(due_next, own_next)),  # NULL-safe
    }


def _count(queryset: QuerySet, *, parent: str, outer: str):
    rows = (queryset.filter(**{parent: OuterRef(outer)}).order_by().values(parent)
            .annotate(c=Count("pk")).values("c")[:1])
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _latest(queryset: QuerySet, field: str):
    rows = queryset.filter(qms=OuterRef("qms")).order_by().values("qms").annotate(v=Max(field)).values("v")[:1]
    return Subquery(rows)


def _earliest(queryset: QuerySet, field: str):
    rows = queryset.filter(qms=OuterRef("qms")).order_by().values("qms").annotate(v=Min(field)).values("v")[:1]
    return Subquery(rows)


def fact_annotations(*, as_of: date) -> dict:
    """{fact name: SQL expression} over Agency, every record judged as of `as_of`."""
    actions = InternalCorrectiveAction.objects.filter(Q(status=ActionStatus.OPEN) | Q(done_on__gt=as_of))
    announcements = Announcement.objects.filter(decision_date__lte=as_of)
    return {
        "stage": current_stage(),
        "edition": F("qms__edition"),
        "reannouncement_reason": F("qms__reannouncement_reason"),
        "valid_announcement": Exists(announcements.filter(qms=OuterRef("qms"), edition=OuterRef("qms__edition"))),
        "last_announcement_on": _latest(announcements, "decision_date"),
        "procedures_total": _count(Procedure.objects.filter(is_active=True), parent="agency", outer="pk"),
        "procedures_covered": _count(Procedure.objects.filter(is_active=True, covered=True), parent="agency",
                                     outer="pk"),
        # counted by the partial index `procedure_uncovered_idx`, mostly none: the coverage rule reads it instead
        # of comparing the two counts above, which made PostgreSQL count every agency's procedures three times
        "procedures_uncovered": _count(Procedure.objects.filter(is_active=True, covered=False), parent="agency",
                                       outer="pk"),
        "last_internal_audit_on": _latest(InternalAudit.objects.filter(held_on__lte=as_of), "held_on"),
        "last_review_on": _latest(ManagementReview.objects.filter(held_on__lte=as_of), "held_on"),
        **legal_facts(as_of=as_of),
        "actions_overdue": _count(actions.filter(due_on__lt=as_of), parent="qms", outer="qms"),
        "actions_next_due": _earliest(actions, "due_on"),
    }


FACTS = ("stage", "edition", "reannouncement_reason", "valid_announcement", "last_announcement_on",
         "procedures_total", "procedures_covered", "procedures_uncovered", "last_internal_audit_on", "last_review_on",
         "legal_recorded", "legal_on_time", "legal_late", "legal_overdue", "legal_pending", "legal_not_applicable",
         "legal_register", "legal_next_due", "actions_overdue", "actions_next_due")
