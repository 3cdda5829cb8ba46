"""Reads, always scoped to the user: agency < province < nation."""

from datetime import date

from django.db.models import BooleanField, Case, Exists, F, FilteredRelation, OuterRef, Q, QuerySet, When
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from qms_portal.dates import WORK_YEARS
from qms_portal.history import history_entries
from qms_portal.text import fold

from .access import can, in_scope, scope_of
from .models import (
    Agency,
    AgencyObligation,
    AgencySuccession,
    ObligationYear,
    ObligationYearState,
    Province,
    SuccessionKind,
)


def agencies_in_scope(*, user) -> QuerySet[Agency]:
    """The one scope filter for agencies: every list, count, export and file starts here."""
    return in_scope(Agency.objects.all(), user=user)


def provinces_in_scope(*, user) -> QuerySet[Province]:
    return in_scope(Province.objects.current(), user=user)


def with_obligation(queryset: QuerySet[Agency], *, year: int | None = None) -> QuerySet[Agency]:
    """Annotate `obligation_level` for `year` (None when the province has not set it).

    A LEFT JOIN on the agency's obligation row of that year (unique per agency and year, so no row is repeated),
    not a correlated subquery: at national scale the subquery ran once per agency and again for every aggregate
    that read it (the national dashboard took 0.9 s on 20,000 agencies; the join takes a few ms).
    """
    year = year or timezone.localdate().year
    alias = f"obligation_{year}"
    joined = queryset.annotate(**{alias: FilteredRelation("obligations", condition=Q(obligations__year=year))})
    return joined.annotate(obligation_level=F(f"{alias}__level"))


def active_on(day: date | F, *, through: str = "") -> Q:
    """Agencies active on `day`: the one definition of "the agency was there that day", so that a merger or a
    closing recorded later leaves a past period's figures and completeness as they were (DOMAIN.md §3: a merged
    agency's history stays readable).

    Open now, or closed after `day` (`Agency.closed_on`: a merger's effective date, or the day it was closed); and
    not merged into another agency on or before `day` (a merger whose day has come before the daily task closed
    the agency). An agency closed on a day nobody recorded counts as closed on any day. `through` is the path to
    the agency from the model queried ("agency" from an obligation or a report). No query of its own, and no
    lookup of the agencies' history: counts stay constant and cheap.

    `day` may also be `F(name)`, a date field or annotation of the rows queried (each report's period date, say):
    one condition for rows of several dates, instead of one per date OR-ed together, which the planner misjudges."""
    prefix = f"{through}__" if through else ""
    merged_by = OuterRef(day.name) if isinstance(day, F) else day
    mergers = AgencySuccession.objects.filter(predecessor=OuterRef(through or "pk"), kind=SuccessionKind.MERGER,
                                              effective_date__lte=merged_by)
    return (Q(**{f"{prefix}is_active": True}) | Q(**{f"{prefix}closed_on__gt": day})) & ~Exists(mergers)


def continuing() -> Q:
    """Agencies that continue: active, and neither merged nor being merged (a merger recorded with a later
    effective date) into another. Only these may be continued by a succession or continue another agency."""
    return Q(is_active=True) & ~Exists(AgencySuccession.objects.filter(predecessor=OuterRef("pk"),
                                                                       kind=SuccessionKind.MERGER))


def there_in_year(year: int) -> Q:
    """Agencies that owe an obligation for `year` (set, proposed, asked for before the year is confirmed): open now
    and there on the year's first day (`active_on`), so that an agency merged on 1 January by a merger recorded ahead
    is not proposed for the year it will not see; merged later in the year, it is there part of it and keeps one."""
    return Q(is_active=True) & active_on(date(year, 1, 1))


def merged_into(agency_id: int) -> int:
    """The agency that carries on `agency_id` today: itself, or the agency it was merged into by a merger that took
    effect (`services.succession_take_effect`), followed along a chain of mergers. What a merged agency still owed
    is owed by that agency (the findings of its inspections: audits' `Finding.responsible_agency`). One query a
    merger followed; a merger only ever joins an agency that continues, so the chain ends."""
    seen = {agency_id}
    while True:
        successor = (AgencySuccession.objects.filter(predecessor_id=agency_id, kind=SuccessionKind.MERGER,
                                                     took_effect_at__isnull=False)
                     .values_list("successor_id", flat=True).first())
        if successor is None or successor in seen:
            return agency_id
        seen.add(successor)
        agency_id = successor


def agency_list(*, user, year: int | None = None) -> QuerySet[Agency]:
    queryset = agencies_in_scope(user=user).select_related("province", "commune", "parent")
    return with_obligation(queryset, year=year).order_by("province__name", "kind", "name")


LIST_ORDER = ("province__name", "kind", "name", "pk")


def agency_list_choosing(*, user) -> QuerySet[Agency]:
    """The agencies of `agency_list` in the same order, to count, filter and choose one page from: no join that no
    filter or sort needs (AgencyFilter's obligation is an EXISTS probe), so that the national list counts and
    sorts thousands of search results on the agency table alone; `agency_rows` then loads the page's rows."""
    return agencies_in_scope(user=user).order_by(*LIST_ORDER)


def agency_rows(*, user, ids: list[int], year: int | None = None) -> list[Agency]:
    """The agencies of `ids` with what the list shows (province, commune, parent, obligation), in the order of
    `ids`: the second query of a page chosen from `agency_list_choosing`."""
    found = {agency.pk: agency for agency in agency_list(user=user, year=year).filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def agency_actions(user, agency: Agency) -> set[str]:
    """What the user may do now with an agency (edit or move it, deactivate or merge it): the page shows only these.
    An agency no longer active is history: nothing is done to it."""
    if not agency.is_active:
        return set()
    return {name for name, capability in (("edit", "agency.update"), ("deactivate", "agency.deactivate"))
            if can(user, capability)}


def agency_get(*, user, pk) -> Agency:
    """The agency if the user may see it; 404 otherwise, whether it exists or not."""
    return get_object_or_404(agency_list(user=user), pk=pk)


def agency_parent_choices(*, user, province_id: int | None = None) -> QuerySet[Agency]:
    """Active agencies in the user's scope (of one province when given): the choices of a parent or a successor."""
    queryset = agencies_in_scope(user=user).filter(is_active=True).select_related("province").order_by("name")
    return queryset.filter(province_id=province_id) if province_id else queryset


def successor_choices(*, user, agency: Agency) -> QuerySet[Agency]:
    """What `agency` may be merged into (the merge form): the agencies of its province in the user's scope that
    continue (`continuing`), itself excepted. The service checks the same."""
    return agency_parent_choices(user=user, province_id=agency.province_id).filter(continuing()).exclude(
        pk=agency.pk)


def search_agencies(queryset: QuerySet[Agency], text: str) -> QuerySet[Agency]:
    """Case- and diacritic-insensitive search: every word must occur in the name or short code."""
    for word in fold(text).split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def agency_history(*, agency: Agency) -> list[dict]:
    """Every recorded change of the agency and its obligations, newest first, as field-level diffs."""
    return history_entries(agency.history.all(), AgencyObligation.history.filter(agency_id=agency.pk))


# --- yearly obligations -----------------------------------------------------------------------------------------


def obligation_year_get(*, province_id: int, year: int) -> ObligationYear | None:
    return ObligationYear.objects.select_related("proposed_by", "confirmed_by").filter(
        province_id=province_id, year=year).first()


def obligations_page_url(*, user, province_id: int, year: int) -> str | None:
    """The obligations page of the province's `year`, where they are set and confirmed, if the user may open it:
    the page's capability and years, and the province: a province role's page is its own province's (none for
    another's), a national role names the province. None where the page would answer 403 or 404."""
    if not can(user, "obligation.read") or year not in WORK_YEARS:
        return None
    scope = scope_of(user)
    if scope.is_national:
        if not provinces_in_scope(user=user).filter(pk=province_id).exists():
            return None
        return reverse("agencies:obligations-year", args=[year]) + f"?province={province_id}"
    if scope.province_id != province_id:
        return None
    return reverse("agencies:obligations-year", args=[year])


def obligations_confirmed(*, province_id: int, year: int) -> bool:
    """Whether the province has confirmed who must apply ISO 9001 in `year` (the coverage check needs it)."""
    return ObligationYear.objects.filter(province_id=province_id, year=year,
                                         state=ObligationYearState.CONFIRMED).exists()


def obligation_rows(*, user, province_id: int, year: int) -> QuerySet[Agency]:
    """Every agency of the province in the user's scope, with `obligation_level` and `obligation_note` of `year`,
    `previous_level` of the year before and `in_year` (`there_in_year`: it owes one for `year`); active agencies
    first."""
    queryset = agencies_in_scope(user=user).filter(province_id=province_id).select_related("commune", "parent")
    queryset = with_obligation(queryset, year=year).annotate(obligation_note=F(f"obligation_{year}__note"))
    previous = f"obligation_{year - 1}"
    queryset = queryset.annotate(**{previous: FilteredRelation("obligations", condition=Q(obligations__year=year - 1))})
    return queryset.annotate(previous_level=F(f"{previous}__level"),
                             in_year=Case(When(there_in_year(year), then=True), default=False,
                                          output_field=BooleanField())).order_by("-is_active", "kind", "name")


def obligation_bulk_targets(*, user, province_id: int, kind: str | None = None, commune_id: int | None = None,
                            parent_id: int | None = None) -> QuerySet[Agency]:
    """The active agencies a bulk change applies to: of a kind, in a commune, directly under a parent (combined)."""
    queryset = agencies_in_scope(user=user).filter(province_id=province_id, is_active=True)
    if kind:
        queryset = queryset.filter(kind=kind)
    if commune_id:
        queryset = queryset.filter(commune_id=commune_id)
    if parent_id:
        queryset = queryset.filter(parent_id=parent_id)
    return queryset


def obligation_changes(*, user, province_id: int, year: int) -> dict[str, list]:
    """What `year` changes against the year before, for review before confirming: agencies still without an
    obligation, agencies new this year, levels that changed, and agencies not there that year (`there_in_year`:
    closed, or merged by its first day) that had one last year."""
    changes: dict[str, list] = {"unset": [], "added": [], "changed": [], "dropped": []}
    carried = 0
    for agency in obligation_rows(user=user, province_id=province_id, year=year):
        current, previous = agency.obligation_level, agency.previous_level
        if not agency.in_year:
            if previous:
                changes["dropped"].append(agency)
        elif current is None:
            changes["unset"].append(agency)
        elif previous is None:
            changes["added"].append(agency)
        elif previous != current:
            changes["changed"].append(agency)
        else:
            carried += 1
    changes["carried"] = carried
    return changes
