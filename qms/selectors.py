"""Reads of the QMS file and of compliance, always through the agency scope filter."""

from datetime import date

from django.db.models import Count, Q, QuerySet, Window
from django.utils import timezone

from agencies.models import Agency, ObligationLevel
from agencies.selectors import LIST_ORDER, active_on, agencies_in_scope, with_obligation
from qms_portal.history import history_entries, recent_changes

from .models import QmsRecord, Stage
from .parts import PARTS
from .rules import RULES, current_stage, evaluate, judged, rule_order, rules_not_met_filter, with_compliance_facts


def qms_get(*, agency: Agency) -> QmsRecord:
    """The agency's QMS record, or an unsaved empty one (not started) when none was written yet: reading a file
    never writes; the first change creates the record (services.qms_for_agency)."""
    return QmsRecord.objects.filter(agency=agency).first() or QmsRecord(agency=agency)


def _history_sources(qms: QmsRecord) -> list[tuple[type, str, int | None]]:
    """(historical model, owner field, owner id) of the record and of each part of the file."""
    sources = [(QmsRecord.history.model, "id", qms.pk)]
    for part in PARTS.values():
        sources.append((part.model.history.model, *(("agency_id", qms.agency_id) if part.agency_owned
                                                     else ("qms_id", qms.pk))))
    return sources


def qms_history(*, qms: QmsRecord) -> list[dict]:
    """The newest changes of the record and of each part of the file, field by field (bounded; see history)."""
    return history_entries(*(model.objects.filter(**{owner: owner_id})
                             for model, owner, owner_id in _history_sources(qms)))


def qms_recent_changes(*, qms: QmsRecord, limit: int = 10) -> list[dict]:
    """The latest few changes across the whole file, in one query (the file page shows them)."""
    return recent_changes(*_history_sources(qms), limit=limit)


def part_items(*, agency: Agency, qms: QmsRecord, slug: str) -> QuerySet:
    part = PARTS[slug]
    if qms.pk is None and not part.agency_owned:
        return part.model.objects.none()
    items = part.model.objects.filter(**({"agency": agency} if part.agency_owned else {"qms": qms}))
    if slug in ("announcements",):
        items = items.select_related("decision_file")
    if slug == "documents":
        items = items.select_related("file")
    if slug == "corrective-actions":
        items = items.select_related("internal_audit")  # shown on each row: one query, not one per action
    return items


def part_first_items(*, agency: Agency, qms: QmsRecord, slug: str, limit: int) -> tuple[list, int]:
    """The first `limit` items of a part of the file, in the part's order, and the number of all its items, in one
    query (COUNT(*) OVER ()): the file page shows the first few of each part and links to the rest."""
    items = list(part_items(agency=agency, qms=qms, slug=slug).annotate(total=Window(Count("pk")))[:limit])
    return items, items[0].total if items else 0


def agency_compliance(*, agency: Agency, today: date | None = None):
    as_of = today or timezone.localdate()
    found = judged([agency.pk], as_of=as_of)
    if agency.pk not in found:
        raise Agency.DoesNotExist
    return evaluate(found[agency.pk], today=as_of)


def compliance_agencies(*, user, kind: str | None = None, province: int | None = None, mandatory_only: bool = False,
                        stage: str | None = None, today: date | None = None) -> QuerySet[Agency]:
    """The agencies in scope active on `today` (`active_on`, as `compliance_figures.compliance_groups`) that the
    compliance page's filters keep (all but the rule filter, which needs the verdicts), not judged. `province` is a
    province code; `mandatory_only` reads the obligation of `today`'s year."""
    today = today or timezone.localdate()
    queryset = agencies_in_scope(user=user).filter(active_on(today))
    if kind:
        queryset = queryset.filter(kind=kind)
    if province:
        queryset = queryset.filter(province__code=province)
    if mandatory_only:
        queryset = with_obligation(queryset, year=today.year).filter(obligation_level=ObligationLevel.MANDATORY)
    if stage == Stage.NOT_STARTED:
        queryset = queryset.filter(Q(qms__isnull=True) | Q(qms__stage=stage))
    elif stage:
        queryset = queryset.filter(qms__stage=stage)
    return queryset


def compliance_in_order(queryset: QuerySet[Agency], *, sort: str | None = None) -> QuerySet[Agency]:
    """Agencies of `compliance_agencies` in the page's order when no rule decides it: by province, kind and name,
    or by stage then name (`sort="stage"`)."""
    if sort == "stage":
        return queryset.annotate(stage=current_stage()).order_by("stage", "name", "pk")
    return queryset.order_by(*LIST_ORDER)


def compliance_ids(*, user, rule: str | None = None, sort: str | None = None, today: date | None = None,
                   **unjudged) -> tuple[QuerySet[Agency], bool]:
    """The agencies of the compliance filter in the list's order, for the page and the API to page by id, and
    whether they are judged. A rule that filters or orders the list needs its verdict for every agency of the
    filter (`compliance_list`; the count best comes with the page, in one pass); otherwise the agency table alone
    decides (a COUNT and a slice): the nation's list is not judged to show 50 agencies. `unjudged`: the other
    filters of `compliance_agencies`."""
    if rule in RULES or sort in RULES:
        return compliance_list(user=user, rule=rule, sort=sort, today=today, **unjudged), True
    return compliance_in_order(compliance_agencies(user=user, today=today, **unjudged), sort=sort), False


def compliance_list(*, user, rule: str | None = None, kind: str | None = None, province: int | None = None,
                    mandatory_only: bool = False, stage: str | None = None, sort: str | None = None,
                    today: date | None = None) -> QuerySet[Agency]:
    """Agencies in scope annotated with their compliance facts and verdicts (SQL, as of `today`), optionally
    only those failing `rule`; ordered by province, kind and name, or by rule `sort` (not met first) or stage."""
    today = today or timezone.localdate()
    queryset = compliance_agencies(user=user, kind=kind, province=province, mandatory_only=mandatory_only,
                                   stage=stage, today=today)
    queryset = with_compliance_facts(queryset.select_related("province"), today=today)
    if rule in RULES:
        queryset = queryset.filter(rules_not_met_filter(rule))
    if sort in RULES:
        return queryset.order_by(*rule_order(sort), "pk")
    if sort == "stage":
        return queryset.order_by("stage", "name", "pk")
    return queryset.order_by(*LIST_ORDER)
