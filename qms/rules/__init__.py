"""Compliance rules of the QMS file, each defined once (`registry.RULES`), judged as of a date.

- `facts`: the facts the rules read, as SQL annotations as of a date (and the legal-update source).
- `registry`: one `Rule` per rule: code, label, next step, predicate (`Q` over the facts), explanation.
- `predicate.holds`: the same `Q` read in Python (three-valued, like SQL).
- `evaluation`: annotate a queryset with facts and verdicts; results with explanations.
"""

from .evaluation import (
    LEGAL_STATES,
    AgencyRules,
    RuleResult,
    evaluate,
    evaluate_agencies,
    evaluate_facts,
    facts_from_json,
    facts_of,
    facts_to_json,
    judged,
    kind_summary,
    legal_status,
    rule_order,
    rules_met,
    rules_not_met_filter,
    summary_by_kind,
    with_compliance_facts,
)
from .facts import FACTS, current_stage, legal_update_filters, legal_updates_source
from .registry import ANNOUNCED_STAGES, RULES, STARTED_STAGES, Rule, edition_of

__all__ = [
    "ANNOUNCED_STAGES", "FACTS", "RULES", "STARTED_STAGES", "AgencyRules", "Rule", "RuleResult", "evaluate",
    "current_stage", "edition_of", "LEGAL_STATES", "evaluate_agencies", "evaluate_facts", "facts_from_json", "facts_of",
    "facts_to_json", "judged", "kind_summary", "legal_status",
    "legal_update_filters", "legal_updates_source", "rule_order", "rules_met", "rules_not_met_filter",
    "summary_by_kind", "with_compliance_facts",
]
