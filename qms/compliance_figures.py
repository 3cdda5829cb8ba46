"""The compliance figures of a scope: its agencies counted in groups alike in kind, stage, edition, obligation
and the rules they meet, judged in SQL as of today (`qms.rules`, one query).

They are dashboard figures (`agencies.dashboard_figures.shared_figures`): kept per province and for the nation,
recomputed every minute by the worker, the nation's added up from its provinces'. The dashboard's QMS overview
and the compliance page's summary are both added up from them, whatever the page's filter, so the page never
judges every agency of the country by every rule: only its own 50, and, when a rule filters or orders the list,
that rule for the agencies of the filter.
"""

import sys
import zlib
from collections import Counter
from datetime import date
from typing import NamedTuple

from django.db.models import Count
from django.utils import timezone

from agencies.dashboard_figures import province_figures, shared_figures
from agencies.models import ObligationLevel, Province
from agencies.selectors import active_on, agencies_in_scope, with_obligation

from .rules import RULES, kind_summary, with_compliance_facts

RULE_INDEX = {code: index for index, code in enumerate(RULES)}


class Group(NamedTuple):
    """The agencies of a scope alike in kind, stage, edition, obligation level this year and the rules they meet."""

    kind: str
    stage: str
    edition: str | None
    obligation: str | None
    met: int  # a bit per rule, in the order of RULES: set when the group's agencies meet it
    agencies: int

    def meets(self, index: int) -> bool:
        return bool(self.met >> index & 1)


# The key names the shape of the kept groups (their fields and the rules of their bits), so that the processes of
# a new release never read groups an earlier release kept in another shape, nor the other way round.
FIGURES = f"qms-compliance-{zlib.crc32(' '.join((*Group._fields, *RULES)).encode()):08x}"


def compliance_groups(*, user, today: date | None = None, province: int | None = None) -> list[Group]:
    """The groups of the agencies in `user`'s scope active on `today` (`active_on`: a merger whose day has come is
    out, as in the report and the completeness, even before the beat task closed the agency), of the province with
    code `province` if given, judged as of `today`: one query, about a hundred rows a province, 600 for the nation
    (kept, 13 KB)."""
    today = today or timezone.localdate()
    agencies = agencies_in_scope(user=user).filter(active_on(today))
    if province:
        agencies = agencies.filter(province__code=province)
    agencies = with_compliance_facts(with_obligation(agencies, year=today.year), today=today)
    verdicts = [rule.verdict for rule in RULES.values()]
    rows = (agencies.order_by().values_list("kind", "stage", "edition", "obligation_level", *verdicts)
            .annotate(agencies=Count("pk")))
    return [Group(_interned(kind), _interned(stage), _interned(edition), _interned(obligation),
                  sum(1 << index for index, met in enumerate(met) if met), count)
            for kind, stage, edition, obligation, *met, count in rows]


def _interned(code: str | None) -> str | None:
    """One string per code, so that the kept figures store each once."""
    return code and sys.intern(code)


def groups_added(many: list[list[Group]]) -> list[Group]:
    """The groups of several provinces together: alike groups of different provinces make one."""
    counts: Counter = Counter()
    for groups in many:
        for group in groups:
            counts[group[:-1]] += group.agencies
    return [Group(*alike, agencies) for alike, agencies in counts.items()]


def shared_groups(*, user, province: int | None = None) -> list[Group]:
    """`compliance_groups` of the user's scope (of one of its provinces, by code) as of today, as the dashboards
    keep them; computed here for a province the reader does not read whole (its own scope has none of it)."""
    def compute(reader):
        return compliance_groups(user=reader)

    if not province:
        return shared_figures(FIGURES, user=user, combine=groups_added, compute=compute)
    province_id = Province.objects.filter(code=province).values_list("pk", flat=True).first()
    kept = province_figures(FIGURES, user=user, province_id=province_id, compute=compute) if province_id else None
    return compliance_groups(user=user, province=province) if kept is None else kept


def compliance_summary(groups: list[Group], *, rule: str | None = None, kind: str | None = None,
                       mandatory_only: bool = False, stage: str | None = None) -> list[dict]:
    """`rules.summary_by_kind` of the agencies `selectors.compliance_list` gives for the same filters (the agencies
    failing `rule`, when given) from their groups; the province filter chooses the groups (`shared_groups`)."""
    failing = RULE_INDEX[rule] if rule else None
    counts: dict[str, tuple[int, list[int]]] = {}
    for group in groups:
        if ((kind and group.kind != kind) or (mandatory_only and group.obligation != ObligationLevel.MANDATORY)
                or (stage and group.stage != stage) or (failing is not None and group.meets(failing))):
            continue
        total, met = counts.get(group.kind, (0, [0] * len(RULES)))
        for index in range(len(RULES)):
            if group.meets(index):
                met[index] += group.agencies
        counts[group.kind] = (total + group.agencies, met)
    return kind_summary(counts)
