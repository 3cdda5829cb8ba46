"""Compliance at a glance, computed from the QMS file (never typed in).

`with_compliance_facts` annotates any agency queryset with the few facts the rules need, in SQL, so a
province of 1,000 agencies costs the same number of queries as one agency. `evaluate` turns one
annotated agency into rule results.

`with_compliance_facts` runs eleven correlated subqueries per agency, and `evaluate` writes an explanation for
every rule: right for one file or a page of 50, too slow for a whole province or the nation (20,000 agencies
took seconds). `rules_met` gives only the verdicts of every agency of a list, from one grouped query per part of
the file; the compliance page counts and sorts with it and evaluates only the rows it shows.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, AgencyKind

from .models import (
    ActionStatus,
    Announcement,
    Edition,
    InternalAudit,
    InternalCorrectiveAction,
    LegalUpdate,
    ManagementReview,
    Procedure,
    Stage,
)

RULES = {
    "announced": _("Announced, and the announcement is valid"),
    "edition_2015": _("On the TCVN ISO 9001:2015 edition"),
    "coverage_complete": _("Every administrative procedure is covered by a work process"),
    "internal_audit": _("Internal audit held this calendar year"),
    "management_review": _("Management review held this calendar year"),
    "legal_updates": _("Legal changes reflected within 3 months"),
    "no_reannouncement_due": _("No re-announcement due"),
    "corrective_actions": _("No corrective action past its due date"),
}

NEXT_STEPS = {
    "announced": _("Record the announcement decision (and notify the Department of Science and Technology)."),
    "edition_2015": _("Move the system to TCVN ISO 9001:2015 and re-announce it."),
    "coverage_complete": _("Write work processes for the procedures that have none, or import the procedure list."),
    "internal_audit": _("Hold this year's internal audit and record it."),
    "management_review": _("Hold this year's management review and record it."),
    "legal_updates": _("Update the system for the legal documents listed and record the date."),
    "no_reannouncement_due": _("Issue a re-announcement decision and record it."),
    "corrective_actions": _("Close the overdue corrective actions or record their completion."),
}


@dataclass(frozen=True)
class RuleResult:
    code: str
    label: str
    met: bool
    due_date: date | None
    reason: str
    next_step: str


def _count(model, *, parent: str, outer: str, **filters):
    """Number of `model` rows whose `parent` is the outer row's `outer`, as a correlated subquery."""
    rows = (model.objects.filter(**{parent: OuterRef(outer)}, **filters).order_by().values(parent)
            .annotate(c=Count("pk")).values("c")[:1])
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _latest(model, field: str):
    return Subquery(model.objects.filter(qms=OuterRef("qms")).order_by(f"-{field}").values(field)[:1])


def with_compliance_facts(queryset: QuerySet[Agency], *, today: date | None = None) -> QuerySet[Agency]:
    today = today or timezone.localdate()
    year_start = date(today.year, 1, 1)
    qms = OuterRef("qms")
    return queryset.select_related("qms").annotate(
        valid_announcement=Exists(Announcement.objects.filter(qms=qms, edition=OuterRef("qms__edition"))),
        last_announcement_on=_latest(Announcement, "decision_date"),
        procedures_total=_count(Procedure, parent="agency", outer="pk", is_active=True),
        procedures_covered=_count(Procedure, parent="agency", outer="pk", is_active=True, covered=True),
        last_internal_audit_on=_latest(InternalAudit, "held_on"),
        last_review_on=_latest(ManagementReview, "held_on"),
        legal_overdue=_count(LegalUpdate, parent="qms", outer="qms", updated_on__isnull=True, due_on__lt=today),
        legal_late=_count(LegalUpdate, parent="qms", outer="qms", updated_on__gt=F("due_on"),
                          updated_on__gte=year_start),
        legal_next_due=Subquery(LegalUpdate.objects.filter(qms=qms, updated_on__isnull=True)
                                .order_by("due_on").values("due_on")[:1]),
        actions_overdue=_count(InternalCorrectiveAction, parent="qms", outer="qms", status=ActionStatus.OPEN,
                               due_on__lt=today),
        actions_next_due=Subquery(InternalCorrectiveAction.objects.filter(qms=qms, status=ActionStatus.OPEN)
                                  .order_by("due_on").values("due_on")[:1]),
    )


def _qms(agency: Agency):
    try:
        return agency.qms
    except Agency.qms.RelatedObjectDoesNotExist:
        return None


def evaluate(agency: Agency, *, today: date | None = None) -> list[RuleResult]:
    """Rule results for an agency annotated by `with_compliance_facts`."""
    today = today or timezone.localdate()
    year_end = date(today.year, 12, 31)
    qms = _qms(agency)
    stage = qms.stage if qms else Stage.NOT_STARTED
    edition = qms.edition if qms else None
    results = []

    def add(code, met, reason="", due=None):
        results.append(RuleResult(code, str(RULES[code]), met, due, str(reason), "" if met else str(NEXT_STEPS[code])))

    announced = bool(qms) and agency.valid_announcement and stage in (Stage.ANNOUNCED, Stage.MAINTAINING)
    if announced:
        add("announced", True, _("Last announcement on %(date)s.") % {"date": _fmt(agency.last_announcement_on)})
    elif agency.last_announcement_on and qms and not agency.valid_announcement:
        add("announced", False, _("The last announcement was made under another edition of the standard."))
    else:
        add("announced", False, _("No announcement has been recorded."))

    add("edition_2015", edition == Edition.ISO_2015,
        "" if edition == Edition.ISO_2015 else _("Still on TCVN ISO 9001:2008; the move was due by 30/06/2021.")
        if edition == Edition.ISO_2008 else _("The QMS has not been set up yet."))

    total, covered = agency.procedures_total, agency.procedures_covered
    add("coverage_complete", total > 0 and covered == total,
        _("%(covered)s of %(total)s procedures covered.") % {"covered": covered, "total": total}
        if total else _("No administrative procedure has been listed."))

    audit_on = agency.last_internal_audit_on
    audit_met = bool(audit_on) and audit_on.year == today.year
    add("internal_audit", audit_met,
        _("Last held on %(date)s.") % {"date": _fmt(audit_on)} if audit_on else _("Never held."),
        None if audit_met else year_end)

    review_on = agency.last_review_on
    review_met = bool(review_on) and review_on.year == today.year
    add("management_review", review_met,
        _("Last held on %(date)s.") % {"date": _fmt(review_on)} if review_on else _("Never held."),
        None if review_met else year_end)

    overdue, late = agency.legal_overdue, agency.legal_late
    if overdue:
        reason = _("%(n)s legal change(s) not yet reflected past the 3-month deadline.") % {"n": overdue}
    elif late:
        reason = _("%(n)s legal change(s) reflected late this year.") % {"n": late}
    else:
        reason = _("Every legal change was reflected in time.")
    add("legal_updates", not overdue and not late, reason, agency.legal_next_due)

    due = stage == Stage.REANNOUNCEMENT_DUE
    add("no_reannouncement_due", not due,
        (qms.reannouncement_reason or _("The scope, the edition or the agency changed.")) if due else "")

    add("corrective_actions", not agency.actions_overdue,
        _("%(n)s corrective action(s) past due.") % {"n": agency.actions_overdue} if agency.actions_overdue else "",
        agency.actions_next_due)
    return results


def _fmt(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def rules_not_met_filter(code: str) -> Q:
    """A SQL filter for "agencies that do not meet rule `code`", on a `with_compliance_facts` queryset."""
    today = timezone.localdate()
    return {
        "announced": ~Q(valid_announcement=True, qms__stage__in=[Stage.ANNOUNCED, Stage.MAINTAINING]),
        "edition_2015": ~Q(qms__edition=Edition.ISO_2015),
        "coverage_complete": Q(procedures_total=0) | Q(procedures_covered__lt=F("procedures_total")),
        "internal_audit": Q(last_internal_audit_on__isnull=True) | Q(last_internal_audit_on__year__lt=today.year),
        "management_review": Q(last_review_on__isnull=True) | Q(last_review_on__year__lt=today.year),
        "legal_updates": Q(legal_overdue__gt=0) | Q(legal_late__gt=0),
        "no_reannouncement_due": Q(qms__stage=Stage.REANNOUNCEMENT_DUE),
        "corrective_actions": Q(actions_overdue__gt=0),
    }[code]


def fully_covered(agencies: QuerySet[Agency]) -> QuerySet[Agency]:
    """The agencies meeting "coverage_complete": at least one active procedure and none uncovered. Two index
    probes per agency (the partial index procedure_uncovered_idx holds only the uncovered ones), cheaper than
    grouping every procedure of a province or of the country."""
    listed = Procedure.objects.filter(agency=OuterRef("pk"), is_active=True)
    return agencies.filter(Exists(listed), ~Exists(listed.filter(covered=False)))


# --- verdicts only, for many agencies at once -------------------------------------------------------------


class AgencyRules(NamedTuple):
    """One agency of a list and whether it meets each rule (`met`, in the order of RULES)."""

    agency_id: int
    name: str
    kind: str
    stage: str  # "" when the agency has no QMS record yet
    met: tuple[bool, ...]


def rules_met(agencies: QuerySet[Agency], *, today: date | None = None) -> list[AgencyRules]:
    """The verdicts of `evaluate` for every agency of `agencies`, in the queryset's order.

    Seven queries whatever the number of agencies: the agencies themselves, then one query per part of the
    file, each grouped by QMS (or agency) and filtered to the agencies of the list, whose results are sets to
    look the agency up in. No explanation is written (`evaluate` does that for the rows on screen); a test holds
    the verdicts equal to those of `evaluate`.
    """
    today = today or timezone.localdate()
    year_start, year_end = date(today.year, 1, 1), date(today.year, 12, 31)
    rows = list(agencies.values_list("pk", "name", "kind", "qms__pk", "qms__stage", "qms__edition"))
    agency_ids = agencies.values("pk")
    in_list = {"qms__agency__in": agency_ids}
    announced_under_edition = set(Announcement.objects.filter(edition=F("qms__edition"), **in_list)
                                  .order_by().values_list("qms_id", flat=True).distinct())
    covered = set(fully_covered(agencies).order_by().values_list("pk", flat=True))

    def held_this_year(model) -> set[int]:
        # evaluate(): the latest one is in this calendar year
        return set(model.objects.filter(**in_list).order_by().values("qms_id").annotate(last=Max("held_on"))
                   .filter(last__gte=year_start, last__lte=year_end).values_list("qms_id", flat=True))

    audited, reviewed = held_this_year(InternalAudit), held_this_year(ManagementReview)
    legal_behind = set(LegalUpdate.objects.filter(
        Q(updated_on__isnull=True, due_on__lt=today) | Q(updated_on__gt=F("due_on"), updated_on__gte=year_start),
        **in_list).order_by().values_list("qms_id", flat=True).distinct())
    actions_overdue = set(InternalCorrectiveAction.objects.filter(status=ActionStatus.OPEN, due_on__lt=today,
                                                                  **in_list)
                          .order_by().values_list("qms_id", flat=True).distinct())
    announced_stages = (Stage.ANNOUNCED, Stage.MAINTAINING)
    result = []
    for agency_id, name, kind, qms_id, stage, edition in rows:
        result.append(AgencyRules(agency_id, name, kind, stage or "", (
            qms_id in announced_under_edition and stage in announced_stages,  # announced
            edition == Edition.ISO_2015,  # edition_2015
            agency_id in covered,  # coverage_complete
            qms_id in audited,  # internal_audit
            qms_id in reviewed,  # management_review
            qms_id not in legal_behind,  # legal_updates
            stage != Stage.REANNOUNCEMENT_DUE,  # no_reannouncement_due
            qms_id not in actions_overdue,  # corrective_actions
        )))
    return result


def select_and_sort(rows: list[AgencyRules], *, failing: str | None = None, sort: str | None = None,
                    ) -> list[AgencyRules]:
    """Keep the agencies that do not meet rule `failing`; sort by a rule (not met first) or by stage, then by
    name; otherwise keep the list's order."""
    codes = list(RULES)
    if failing in RULES:
        index = codes.index(failing)
        rows = [row for row in rows if not row.met[index]]
    if sort in RULES:
        index = codes.index(sort)
        rows = sorted(rows, key=lambda row: (row.met[index], row.name))
    elif sort == "stage":
        rows = sorted(rows, key=lambda row: (row.stage, row.name))
    return rows


def summary_by_kind(rows: list[AgencyRules]) -> list[dict]:
    """Counts and percentages of agencies meeting each rule, by agency kind (in the order of AgencyKind)."""
    by_kind: dict[str, list[tuple[bool, ...]]] = defaultdict(list)
    for row in rows:
        by_kind[row.kind].append(row.met)
    summary = []
    for kind, label in AgencyKind.choices:
        if kind not in by_kind:
            continue
        total = len(by_kind[kind])
        summary.append({
            "kind": kind, "label": label, "total": total,
            "rules": [{"code": code, "met": met, "percent": round(100 * met / total)}
                      for code, met in zip(RULES, map(sum, zip(*by_kind[kind], strict=True)), strict=True)],
        })
    return summary


def evaluate_agencies(agency_ids: list[int], *, today: date | None = None) -> list[tuple[Agency, list[RuleResult]]]:
    """(agency, rule results) for a short list of agencies (a page), in the order given: one query."""
    if not agency_ids:
        return []
    queryset = with_compliance_facts(Agency.objects.filter(pk__in=agency_ids).select_related("province"),
                                     today=today)
    agencies = {agency.pk: agency for agency in queryset}
    return [(agencies[pk], evaluate(agencies[pk], today=today)) for pk in agency_ids]
