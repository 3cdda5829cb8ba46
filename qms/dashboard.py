"""Dashboard panels of the QMS file: stage and edition by agency kind, coverage, audits and reviews."""

from collections import defaultdict
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.access import scope_of
from agencies.models import AgencyKind
from agencies.selectors import agencies_in_scope
from qms_portal.panels import chart_spec, figures_cached

from .compliance import fully_covered
from .models import Edition, InternalAudit, ManagementReview, QmsRecord, Stage

KIND_LABELS = dict(AgencyKind.choices)


def _link(**params) -> str:
    return f"{reverse('compliance')}?{urlencode({k: v for k, v in params.items() if v})}"


def qms_overview(*, user, today: date | None = None) -> dict:
    """Numbers per agency kind, in a constant number of queries whatever the number of agencies."""
    today = today or timezone.localdate()
    agencies = agencies_in_scope(user=user).filter(is_active=True)
    totals = dict(agencies.order_by().values_list("kind").annotate(n=Count("pk")))
    kinds = [kind for kind in AgencyKind.values if totals.get(kind)]
    stages: dict = defaultdict(dict)
    for kind, stage, n in (QmsRecord.objects.filter(agency__in=agencies).order_by()
                           .values_list("agency__kind", "stage").annotate(n=Count("pk"))):
        stages[kind][stage] = n
    for kind in kinds:  # agencies without a record yet have not started
        stages[kind][Stage.NOT_STARTED] = totals[kind] - sum(v for s, v in stages[kind].items()
                                                              if s != Stage.NOT_STARTED)
    editions: dict = defaultdict(dict)
    for kind, edition, n in (QmsRecord.objects.filter(agency__in=agencies).exclude(stage=Stage.NOT_STARTED)
                             .order_by().values_list("agency__kind", "edition").annotate(n=Count("pk"))):
        editions[kind][edition] = n

    def per_kind(model, **filters):
        rows = (model.objects.filter(qms__agency__in=agencies, **filters).order_by()
                .values_list("qms__agency__kind").annotate(n=Count("qms__agency", distinct=True)))
        return dict(rows)

    audits = per_kind(InternalAudit, held_on__year=today.year)
    reviews = per_kind(ManagementReview, held_on__year=today.year)
    covered = dict(fully_covered(agencies).order_by().values_list("kind").annotate(n=Count("pk")))
    return {"kinds": kinds, "totals": totals, "stages": stages, "editions": editions, "audits": audits,
            "reviews": reviews, "covered": covered, "year": today.year}


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def panels(request) -> list[dict]:
    scope = scope_of(request.user)
    if not (scope.is_provincial or scope.is_national):
        return []
    area = f"province:{scope.province_id}" if scope.is_provincial else "national"
    data = figures_cached(f"qms-overview:{area}", lambda: qms_overview(user=request.user))
    kinds = data["kinds"]
    labels = [KIND_LABELS[k] for k in kinds]
    stage_sets = [{"label": str(label), "data": [data["stages"][k].get(stage, 0) for k in kinds],
                   "links": [_link(kind=k, stage=stage) for k in kinds]} for stage, label in Stage.choices]
    edition_sets = [{"label": label, "data": [data["editions"][k].get(edition, 0) for k in kinds],
                     "links": [_link(kind=k) for k in kinds]} for edition, label in Edition.choices]
    activity = [
        ("coverage_complete", _("Every procedure covered"), data["covered"]),
        ("internal_audit", _("Internal audit this year"), data["audits"]),
        ("management_review", _("Management review this year"), data["reviews"]),
    ]
    activity_sets = [{"label": str(label), "data": [_percent(counts.get(k, 0), data["totals"][k]) for k in kinds],
                      "links": [_link(kind=k, rule=rule) for k in kinds]} for rule, label, counts in activity]
    rows = [{"kind": k, "label": KIND_LABELS[k], "total": data["totals"][k],
             "stages": [data["stages"][k].get(stage, 0) for stage in Stage.values],
             "stage_links": [_link(kind=k, stage=stage) for stage in Stage.values],
             "editions": [data["editions"][k].get(e, 0) for e in Edition.values],
             "activity": [(counts.get(k, 0), _percent(counts.get(k, 0), data["totals"][k]), _link(kind=k, rule=rule))
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
