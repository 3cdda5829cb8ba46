"""Counts for dashboards: aggregated in SQL, one query each, whatever the number of agencies."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .dashboard_figures import shared_figures
from .models import Agency, AgencyKind, ObligationLevel
from .selectors import active_on, agency_list


def _level_counts():
    return {
        "total": Count("id"),
        "mandatory": Count("id", filter=Q(obligation_level=ObligationLevel.MANDATORY)),
        "encouraged": Count("id", filter=Q(obligation_level=ObligationLevel.ENCOURAGED)),
        "not_applicable": Count("id", filter=Q(obligation_level=ObligationLevel.NOT_APPLICABLE)),
        "unset": Count("id", filter=Q(obligation_level__isnull=True)),
    }


def agency_counts_by_kind(queryset: QuerySet[Agency]) -> list[dict]:
    """The agencies of `queryset` there today (`active_on`, as the compliance page and the report count them) by
    kind and obligation."""
    rows = queryset.filter(active_on(timezone.localdate())).order_by().values("kind").annotate(**_level_counts())
    labels = dict(AgencyKind.choices)
    return sorted(({**row, "label": labels.get(row["kind"], row["kind"])} for row in rows),
                  key=lambda r: list(labels).index(r["kind"]) if r["kind"] in labels else 99)


def agency_counts_by_province(queryset: QuerySet[Agency]) -> list[dict]:
    rows = (queryset.filter(active_on(timezone.localdate())).order_by()
            .values("province__code", "province__name").annotate(**_level_counts()))
    return sorted(rows, key=lambda r: r["province__name"])


def national_counts(*, user, year: int) -> list[dict]:
    """Agencies and their obligation by province, for the national home page (shared figures, the provinces' rows
    put together)."""
    return shared_figures("agencies-by-province", user=user,
                          compute=lambda reader: agency_counts_by_province(agency_list(user=reader, year=year)),
                          combine=lambda each: sorted((row for rows in each for row in rows),
                                                      key=lambda row: row["province__name"]))
