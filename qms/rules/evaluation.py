"""Judging agencies by the rules of `registry.py`: in SQL for pages, lists, filters, counts and exports (one
path), and in Python (`holds`, over the same predicates) only for facts kept as JSON; a test holds both equal
for every agency."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from types import SimpleNamespace
from typing import NamedTuple

from django.db import connection
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from agencies.models import Agency, AgencyKind
from qms_portal.numbers import percent

from .facts import DATE_FACTS, FACTS, fact_annotations
from .predicate import holds
from .registry import RULES, Rule


@dataclass(frozen=True)
class RuleResult:
    code: str
    label: str
    met: bool
    due_date: date | None
    reason: str
    next_step: str
    as_of: date | None = None


def verdict_expression(rule: Rule, *, as_of: date):
    return Case(When(rule.predicate(as_of), then=Value(True)), default=Value(False), output_field=BooleanField())


def with_compliance_facts(queryset: QuerySet[Agency], *, today: date | None = None) -> QuerySet[Agency]:
    """`queryset` annotated with every fact (`facts.FACTS`) and every verdict (`met_<code>`), as of `today`."""
    as_of = today or timezone.localdate()
    queryset = queryset.select_related("qms").annotate(**fact_annotations(as_of=as_of))
    return queryset.annotate(**{rule.verdict: verdict_expression(rule, as_of=as_of) for rule in RULES.values()})


def rules_not_met_filter(code: str) -> Q:
    """Agencies of a `with_compliance_facts` queryset that do not meet rule `code`."""
    return Q(**{RULES[code].verdict: False})


def rule_order(code: str) -> list[str]:
    """Order of a `with_compliance_facts` queryset by rule `code`: not met first, then by name."""
    return [RULES[code].verdict, "name"]


def facts_of(agency) -> dict:
    """The facts of an agency annotated by `with_compliance_facts`."""
    return {name: getattr(agency, name) for name in FACTS}


def facts_to_json(facts: Mapping) -> dict:
    return {name: value.isoformat() if isinstance(value, date) else value for name, value in facts.items()}


def facts_from_json(data: Mapping) -> dict:
    return {name: date.fromisoformat(data[name]) if name in DATE_FACTS and isinstance(data.get(name), str)
            else data.get(name) for name in FACTS}


def _result(rule: Rule, met: bool, facts: Mapping, as_of: date) -> RuleResult:
    reason, due = rule.explain(facts, as_of)
    return RuleResult(rule.code, str(rule.label), met, due, str(reason), "" if met else str(rule.next_step), as_of)


def evaluate(agency: Agency, *, today: date | None = None) -> list[RuleResult]:
    """Rule results of an agency annotated by `with_compliance_facts` (verdicts from SQL) as of the same date."""
    as_of = today or timezone.localdate()
    facts = facts_of(agency)
    return [_result(rule, getattr(agency, rule.verdict), facts, as_of) for rule in RULES.values()]


def evaluate_facts(facts: Mapping, *, as_of: date) -> list[RuleResult]:
    """Rule results from facts kept as data (e.g. with a checklist suggestion): the same predicates, read in
    Python by `predicate.holds`."""
    return [_result(rule, holds(rule.predicate(as_of), facts), facts, as_of) for rule in RULES.values()]


@lru_cache(maxsize=4)
def _judgement_sql(as_of: date) -> tuple[str, tuple]:
    """The SQL that judges the agencies whose ids are its last parameter (a list) as of `as_of`: every fact and
    verdict of `with_compliance_facts`, compiled once a day per process. Building and compiling the two dozen
    expressions is 20 ms of Python, several times what the database takes to answer for a page of agencies; they
    depend on the date alone."""
    judged = with_compliance_facts(Agency.objects.all(), today=as_of).values(
        "id", *FACTS, *(rule.verdict for rule in RULES.values()))
    sql, params = judged.query.sql_with_params()
    return f"SELECT * FROM ({sql}) judged WHERE judged.id = ANY(%s)", params


def judged(agency_ids: list[int], *, as_of: date) -> dict[int, SimpleNamespace]:
    """The facts and verdicts of these agencies (what `evaluate` reads), by id: one query."""
    sql, params = _judgement_sql(as_of)
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, list(agency_ids)))
        names = [column[0] for column in cursor.description]
        return {row[0]: SimpleNamespace(**dict(zip(names, row, strict=True))) for row in cursor.fetchall()}


def evaluate_agencies(agency_ids: list[int], *, today: date | None = None) -> list[tuple[Agency, list[RuleResult]]]:
    """(agency, rule results) for a short list of agencies (a page), in the order given: two queries, the
    agencies as shown (province, QMS record) and their judgement (`judged`)."""
    if not agency_ids:
        return []
    as_of = today or timezone.localdate()
    agencies = Agency.objects.select_related("province", "qms").in_bulk(agency_ids)
    verdicts = judged(agency_ids, as_of=as_of)
    return [(agencies[pk], evaluate(verdicts[pk], today=as_of)) for pk in agency_ids]


class AgencyRules(NamedTuple):
    """One agency of a list and whether it meets each rule (`met`, in the order of RULES), judged in SQL."""

    agency_id: int
    name: str
    kind: str
    stage: str
    edition: str | None
    met: tuple[bool, ...]


def rules_met(agencies: QuerySet[Agency]) -> list[AgencyRules]:
    """The verdicts of every agency of a `with_compliance_facts` queryset, in its order: one query."""
    verdicts = [rule.verdict for rule in RULES.values()]
    return [AgencyRules(pk, name, kind, stage, edition, tuple(met)) for pk, name, kind, stage, edition, *met
            in agencies.values_list("pk", "name", "kind", "stage", "edition", *verdicts)]


def summary_by_kind(rows: list[AgencyRules]) -> list[dict]:
    """Counts and percentages of agencies meeting each rule, by agency kind (in the order of AgencyKind), from the
    verdicts of each agency: the definition the kept counts of `qms.compliance_figures`, which the page shows, are
    held equal to (tests/qms/test_dashboard_overview.py)."""
    by_kind: dict[str, list[tuple[bool, ...]]] = defaultdict(list)
    for row in rows:
        by_kind[row.kind].append(row.met)
    return kind_summary({kind: (len(verdicts), tuple(map(sum, zip(*verdicts, strict=True))))
                         for kind, verdicts in by_kind.items()})


def kind_summary(counts: Mapping[str, tuple[int, Sequence[int]]]) -> list[dict]:
    """The summary of `summary_by_kind` from counts already made: {kind: (agencies, agencies meeting each rule in
    the order of RULES)}."""
    summary = []
    for kind, label in AgencyKind.choices:
        total, met = counts.get(kind, (0, ()))
        if not total:
            continue
        summary.append({
            "kind": kind, "label": label, "total": total,
            "rules": [{"code": code, "met": n, "percent": percent(n, total)}
                      for code, n in zip(RULES, met, strict=True)],
        })
    return summary


# An agency's legal-update states, the first that holds wins: the report's legal figures, the annex column and
# the compliance rule all read these (the rule is kept by every state but overdue, late and no_data).
LEGAL_STATES = ("overdue", "late", "pending", "on_time", "not_applicable", "none", "no_data")


def legal_status(facts: Mapping) -> str:
    """An agency's legal-update state as of the facts' date: overdue (a change not reflected past its 3 months),
    late (reflected after them, this year), pending (a change still within its 3 months, or a declaration awaiting
    the Sở), on_time (every change reflected in time), not_applicable (the Sở accepted that the changes do not
    apply), none (the register was in use and owed it nothing), or no_data (nothing recorded, no register)."""
    if facts["legal_overdue"]:
        return "overdue"
    if facts["legal_late"]:
        return "late"
    if facts.get("legal_pending"):
        return "pending"
    if facts.get("legal_on_time"):
        return "on_time"
    if facts.get("legal_not_applicable"):
        return "not_applicable"
    if facts["legal_recorded"] or facts.get("legal_register"):
        return "none" if not facts["legal_recorded"] else "on_time"
    return "no_data"
