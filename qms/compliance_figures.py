"""The compliance figures of a scope: its agencies counted in groups alike in province, kind, stage, edition,
obligation and the rules they meet, judged in SQL as of today (`qms.rules`, one query).

They are dashboard figures (`agencies.dashboard_figures.shared_figures`): kept per province and for the nation,
recomputed every minute by the worker, the nation's added up from its provinces'. The dashboard's QMS overview
and the compliance page's summary are both added up from them, whatever the page's filter, so the page never
judges every agency of the country by every rule: only its own 50, and, when a rule filters or orders the list,
that rule for the agencies of the filter.
"""

import sys
from datetime import date
from itertools import chain
from typing import NamedTuple

from django.db.models import Count
from django.utils import timezone

from agencies.dashboard_figures import shared_figures
from agencies.models import ObligationLevel
from agencies.selectors import agencies_in_scope, with_obligation

from .rules import RULES, kind_summary, with_compliance_facts

FIGURES = "qms-compliance"


class Group(NamedTuple):
    """The agencies of a scope alike in province (code), kind, stage, edition, obligation level this year and the
    rules they meet."""

    province: int
    kind: str
    stage: str
    edition: str | None
    obligation: str | None
    met: int  # a bit per rule, in the order of RULES: set when the group's agencies meet it
    agencies: int

    def meets(self, index: int) -> bool:
        return bool(self.met >> index & 1)

    def sort_key(self) -> tuple:
        return self.province, self.kind, self.stage, self.edition or "", self.obligation or "", self.met


RULE_INDEX = {code: index for index, code in enumerate(RULES)}


def compliance_groups(*, user, today: date | None = None) -> list[Group]:
    """The groups of the active agencies in `user`'s scope, judged as of `today`: one query, a hundred rows or so
    a province (4,000 for 20,000 agencies; kept, 70 KB)."""
    today = today or timezone.localdate()
    agencies = with_compliance_facts(
        with_obligation(agencies_in_scope(user=user).filter(is_active=True), year=today.year), today=today)
    verdicts = [rule.verdict for rule in RULES.values()]
    rows = (agencies.order_by().values_list("province__code", "kind", "stage", "edition", "obligation_level",
                                            *verdicts).annotate(agencies=Count("pk")))
    codes = _interned
    groups = [Group(province, codes(kind), codes(stage), codes(edition), codes(obligation),
                    sum(1 << index for index, met in enumerate(met) if met), count)
              for province, kind, stage, edition, obligation, *met, count in rows]
    return sorted(groups, key=Group.sort_key)


def _interned(code: str | None) -> str | None:
    """One string per code, so that the kept figures store each once."""
    return code and sys.intern(code)


def groups_added(many: list[list[Group]]) -> list[Group]:
    """The groups of several provinces together (no two provinces share a group)."""
    return sorted(chain.from_iterable(many), key=Group.sort_key)


def shared_groups(*, user) -> list[Group]:
    """`compliance_groups` of the user's scope as of today, as the dashboards keep them."""
    return shared_figures(FIGURES, user=user, combine=groups_added,
                          compute=lambda reader: compliance_groups(user=reader))


def compliance_summary(groups: list[Group], *, rule: str | None = None, kind: str | None = None,
                       province: int | None = None, mandatory_only: bool = False,
                       stage: str | None = None) -> list[dict]:
    """`rules.summary_by_kind` of the agencies `selectors.compliance_list` gives for the same filters (the agencies
    failing `rule`, when given), from their groups."""
    failing = RULE_INDEX[rule] if rule else None
    counts: dict[str, tuple[int, list[int]]] = {}
    for group in groups:
        if ((kind and group.kind != kind) or (province and group.province != province)
                or (mandatory_only and group.obligation != ObligationLevel.MANDATORY)
                or (stage and group.stage != stage) or (failing is not None and group.meets(failing))):
            continue
        total, met = counts.setdefault(group.kind, (0, [0] * len(RULES)))
        for index in range(len(RULES)):
            met[index] += group.agencies if group.meets(index) else 0
        counts[group.kind] = (total + group.agencies, met)
    return kind_summary(counts)
