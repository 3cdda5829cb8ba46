"""Dashboard panels of the QMS file: stage and edition by agency kind, coverage, audits and reviews."""

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from functools import cache
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from agencies.access import can, scope_of
from agencies.models import AgencyKind
from qms_portal.numbers import percent
from qms_portal.panels import chart_spec

from .compliance_figures import RULE_INDEX, Group, compliance_groups, shared_groups
from .models import Edition, Stage
from .rules import RULES, edition_of

KIND_LABELS = dict(AgencyKind.choices)
ACTIVITY = ("coverage_complete", "internal_audit", "management_review")  # rules of the activity chart


def compliance_links(user) -> Callable[..., str]:
    """`link(kind=..., stage=..., rule=...)`: the compliance page of those agencies, for those who may read it (not
    the province's administrator: no link rather than a link to a 403). The national panel asks for about 200
    links, most of them twice (a chart and its table): each is written once."""
    if not can(user, "compliance.read"):
        return lambda **params: ""
    page = reverse("qms:compliance")

    @cache
    def link(**params) -> str:
        return f"{page}?{urlencode({k: v for k, v in params.items() if v})}"

    return link


def qms_overview(*, user, today: date | None = None) -> dict:
    """Numbers per agency kind, from the verdicts of the compliance rules (`qms.rules`, in SQL, one query) as of
    `today`: the same figures as the compliance page for the same agencies and date."""
    today = today or timezone.localdate()
    return overview_of(compliance_groups(user=user, today=today), as_of=today)


def overview_of(groups: list[Group], *, as_of: date) -> dict:
    """The overview of the agencies of `groups` (`compliance_figures`): totals, stages and editions by kind, and
    how many meet each rule of the activity chart."""
    totals: dict = defaultdict(int)
    stages: dict = defaultdict(lambda: defaultdict(int))
    editions: dict = defaultdict(lambda: defaultdict(int))
    met: dict = {code: defaultdict(int) for code in ACTIVITY}
    for group in groups:
        kind, n = group.kind, group.agencies
        totals[kind] += n
        stages[kind][group.stage] += n
        if edition := edition_of(group.stage, group.edition):  # an agency that has not started is on none
            editions[kind][edition] += n
        for code in ACTIVITY:
            met[code][kind] += n if group.meets(RULE_INDEX[code]) else 0
    kinds = [kind for kind in AgencyKind.values if totals.get(kind)]
    plain = lambda mapping: {k: dict(v) for k, v in mapping.items()}  # noqa: E731
    return {"kinds": kinds, "totals": dict(totals), "stages": plain(stages), "editions": plain(editions),
            "met": plain(met), "year": as_of.year, "as_of": as_of}


def panels(request) -> list[dict]:
    scope = scope_of(request.user)
    if not (scope.is_provincial or scope.is_national):
        return []
    data = overview_of(shared_groups(user=request.user), as_of=timezone.localdate())
    link = compliance_links(request.user)  # each figure opens the compliance page of its agencies
    kinds = data["kinds"]
    labels = [KIND_LABELS[k] for k in kinds]
    stage_sets = [{"label": str(label), "data": [data["stages"].get(k, {}).get(stage, 0) for k in kinds],
                   "links": [link(kind=k, stage=stage) for k in kinds]} for stage, label in Stage.choices]
    edition_sets = [{"label": label, "data": [data["editions"].get(k, {}).get(edition, 0) for k in kinds],
                     "links": [link(kind=k) for k in kinds]} for edition, label in Edition.choices]
    activity = [(code, RULES[code].label, data["met"][code]) for code in ACTIVITY]
    activity_sets = [{"label": str(label), "data": [percent(counts.get(k, 0), data["totals"][k]) for k in kinds],
                      "links": [link(kind=k, rule=rule) for k in kinds]} for rule, label, counts in activity]
    rows = [{"kind": k, "label": KIND_LABELS[k], "total": data["totals"][k],
             "stages": [data["stages"].get(k, {}).get(stage, 0) for stage in Stage.values],
             "stage_links": [link(kind=k, stage=stage) for stage in Stage.values],
             "editions": [data["editions"].get(k, {}).get(e, 0) for e in Edition.values],
             "activity": [(counts.get(k, 0), percent(counts.get(k, 0), data["totals"][k]), link(kind=k, rule=rule))
                          for rule, _label, counts in activity]} for k in kinds]
    return [{
        "order": 10,
        "template": "qms/dashboard/qms_panel.html",
        "context": {
            "stage_chart": chart_spec(labels=labels, datasets=stage_sets, stacked=True, horizontal=True),
            "edition_chart": chart_spec(labels=labels, datasets=edition_sets, stacked=True, horizontal=True),
            "activity_chart": chart_spec(labels=labels, datasets=activity_sets, percent=True, horizontal=True),
            "rows": rows, "stage_labels": Stage.labels, "edition_labels": Edition.labels,
            "activity_labels": [label for _rule, label, _counts in activity], "year": data["year"],
        },
    }]
