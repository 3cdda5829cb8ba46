"""Reads of the QMS file and of compliance, always through the agency scope filter."""

from datetime import date
from functools import lru_cache
from types import SimpleNamespace

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from agencies.models import Agency
from agencies.selectors import agencies_in_scope, with_obligation
from qms_portal.history import history_entries, recent_changes

from .models import QmsRecord
from .parts import PARTS
from .rules import FACTS, RULES, evaluate, rule_order, rules_not_met_filter, with_compliance_facts


def qms_get(*, agency: Agency) -> QmsRecord:
    """The agency's QMS record, or an unsaved empty one (not started) when none was written yet: reading a file
    never writes; the first change creates the record (services.qms_for_agency)."""
    return QmsRecord.objects.filter(agency=agency).first() or QmsRecord(agency=agency)


def _histories(qms: QmsRecord) -> list[QuerySet]:
    histories = [qms.history.all() if qms.pk else QmsRecord.history.none()]
    for part in PARTS.values():
        owner = {"agency_id": qms.agency_id} if part.agency_owned else {"qms_id": qms.pk}
        histories.append(part.model.history.filter(**owner))
    return histories


def qms_history(*, qms: QmsRecord) -> list[dict]:
    """The newest changes of the record and of each part of the file, field by field (bounded; see history)."""
    return history_entries(*_histories(qms))


def qms_recent_changes(*, qms: QmsRecord, limit: int = 10) -> list[dict]:
    """The latest few changes across the whole file, in one query (the file page shows them)."""
    return recent_changes(*_histories(qms), limit=limit)


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


@lru_cache(maxsize=4)
def _judgement_sql(as_of: date) -> tuple[str, tuple]:
    """The SQL that judges one agency (its id the last parameter) as of `as_of`: every fact and verdict of
    `with_compliance_facts`, compiled once a day per process. Building and compiling the two dozen expressions is
    20 ms of Python, several times what the database takes to answer for one agency; they depend on the date
    alone."""
    judged = with_compliance_facts(Agency.objects.all(), today=as_of).values(
        "id", *FACTS, *(rule.verdict for rule in RULES.values()))
    sql, params = judged.query.sql_with_params()
    return f"SELECT * FROM ({sql}) judged WHERE judged.id = %s", params


def agency_compliance(*, agency: Agency, today: date | None = None):
    as_of = today or timezone.localdate()
    sql, params = _judgement_sql(as_of)
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, agency.pk))
        row = cursor.fetchone()
        if row is None:
            raise Agency.DoesNotExist
        judged = SimpleNamespace(**dict(zip([column[0] for column in cursor.description], row, strict=True)))
    return evaluate(judged, today=as_of)


def compliance_list(*, user, rule: str | None = None, kind: str | None = None, province: int | None = None,
                    mandatory_only: bool = False, stage: str | None = None, sort: str | None = None,
                    today: date | None = None) -> QuerySet[Agency]:
    """Agencies in scope annotated with their compliance facts and verdicts (SQL, as of `today`), optionally
    only those failing `rule`; ordered by province, kind and name, or by rule `sort` (not met first) or stage."""
    today = today or timezone.localdate()
    queryset = with_obligation(agencies_in_scope(user=user).filter(is_active=True), year=today.year)
    if kind:
        queryset = queryset.filter(kind=kind)
    if province:
        queryset = queryset.filter(province__code=province)
    if mandatory_only:
        queryset = queryset.filter(obligation_level="mandatory")
    if stage == "not_started":
        queryset = queryset.filter(Q(qms__isnull=True) | Q(qms__stage=stage))
    elif stage:
        queryset = queryset.filter(qms__stage=stage)
    queryset = with_compliance_facts(queryset.select_related("province"), today=today)
    if rule in RULES:
        queryset = queryset.filter(rules_not_met_filter(rule))
    if sort in RULES:
        return queryset.order_by(*rule_order(sort), "pk")
    if sort == "stage":
        return queryset.order_by("stage", "name", "pk")
    return queryset.order_by("province__name", "kind", "name")
