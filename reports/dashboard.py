"""Dashboard panels of the periodic reports (see qms_portal.panels).

- Agency users: the agency's next periodic reports.
- Province and national roles: the completeness of the agencies' reports in the recent reporting periods.
"""

from collections import defaultdict
from datetime import date

from django.db.models import Case, Count, F, FilteredRelation, Q, Value, When
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.access import can, scope_of
from agencies.dashboard_figures import shared_figures
from agencies.models import AgencyObligation, ObligationLevel
from agencies.selectors import active_on
from qms_portal.panels import chart_spec

from .models import AgencyReport, PeriodKind, period_as_of, period_as_of_sql
from .selectors import APPLIED_STAGES, current_periods, own_report_rows, percent, periods_in_scope

PERIODS = 6
KIND_LABELS = dict(PeriodKind.choices)


def _period_label(*, year: int, kind: str, title: str = "") -> str:
    """As `ReportingPeriod.label`."""
    return f"{title} ({year})" if kind == PeriodKind.AD_HOC else f"{KIND_LABELS[kind]} {year}"


def completeness_counts(*, periods: list[dict], today: date | None = None) -> dict[int, dict]:
    """Expected, on time, late and missing agency reports of each period of `periods` ({"id", "year",
    "province_id", "window_end", ...}, read from `periods_in_scope`): two queries whatever the number of periods and
    agencies. As on the period's page, the agencies are those of the period's province active on the period's date
    (`ReportingPeriod.as_of`, `agencies.selectors.active_on`).

    The rules are those of the completeness page (`selectors.period_agencies`, `is_expected`, `timeliness`), as SQL
    aggregates so that 20,000 agencies are not read into Python; the tests check that both give the same numbers.
    Expected: agency of the period's province active on the period's date whose obligation for the period's year is
    mandatory, or encouraged with a QMS applied; this depends on the period only through its year and date, so it
    is counted once per province and year, for each date. Received: expected and first submitted, on time by the
    end of the deadline day (portal time zone). Missing: expected minus received.
    """
    if not periods:
        return {}
    today = today or timezone.localdate()
    as_of = {p["id"]: period_as_of(p["window_end"], today) for p in periods}
    days = sorted(set(as_of.values()))  # a few dates (periods share their windows): one count for each
    expected = (Q(level=ObligationLevel.MANDATORY)
                | Q(level=ObligationLevel.ENCOURAGED, agency__qms__stage__in=APPLIED_STAGES))
    years = sorted({p["year"] for p in periods})  # also lets the planner skip the obligations of other years
    provinces = sorted({p["province_id"] for p in periods})
    per_year = {}
    for row in (AgencyObligation.objects.filter(expected, agency__province_id__in=provinces, year__in=years)
                .values("agency__province_id", "year")
                .annotate(**{f"n{i}": Count("pk", filter=active_on(day, through="agency"))
                             for i, day in enumerate(days)}).order_by()):
        for i, day in enumerate(days):
            per_year[row["agency__province_id"], row["year"], day] = row[f"n{i}"]
    # Each report is judged at its period's date (`period_as_of`, in SQL) by one condition for every date: the
    # periods' ids OR-ed with each date's condition made the planner expect a handful of rows and loop over the
    # periods for each report. Only the reports' period, agency and first submission are read, from the index of
    # the submitted ones (`agency_report_submitted_idx`; hence COUNT(*), not of the primary key).
    received = defaultdict(lambda: {"on_time": 0, "late": 0})
    reports = (AgencyReport.objects
               .filter(period_id__in=list(as_of), agency__province_id__in=provinces, first_submitted_at__isnull=False)
               .alias(as_of=period_as_of_sql(today, window_end="period__window_end"))
               .filter(active_on(F("as_of"), through="agency"))
               .annotate(the_obligation=FilteredRelation("agency__obligations", condition=Q(
                   agency__obligations__year=F("period__year"), agency__obligations__year__in=years)))
               .annotate(level=F("the_obligation__level"), submitted_on=TruncDate("first_submitted_at"))
               .filter(expected)
               .annotate(on_time=Case(When(submitted_on__lte=F("period__deadline"), then=Value(True)),
                                      default=Value(False)))
               .values("period_id", "agency__province_id", "on_time").annotate(n=Count("*")).order_by())
    province_of = {p["id"]: p["province_id"] for p in periods}
    for row in reports:  # an agency counts for the periods of its (current) province, as on the period's page
        if row["agency__province_id"] == province_of[row["period_id"]]:
            received[row["period_id"]]["on_time" if row["on_time"] else "late"] += row["n"]
    counts = {}
    for period in periods:
        n = per_year.get((period["province_id"], period["year"], as_of[period["id"]]), 0)
        on_time, late = received[period["id"]]["on_time"], received[period["id"]]["late"]
        counts[period["id"]] = {"expected": n, "on_time": on_time, "late": late, "missing": n - on_time - late}
    return counts


def _totals(rows) -> dict:
    total = {"expected": 0, "on_time": 0, "late": 0, "missing": 0}
    for row in rows:
        for key in total:
            total[key] += row[key]
    total["received"] = total["on_time"] + total["late"]
    total["received_percent"] = percent(total["received"], total["expected"])
    return total


def started_periods(*, user, today: date) -> list[dict]:
    """Every period of the user's scope whose window has started (ad hoc ones too), oldest first (by deadline), with
    its counts: a province's figures, shared by its dashboard and the nation's (`shared_figures`). Numbers, dates,
    codes and links, no labels (so that readers of any language share them)."""
    periods = list(periods_in_scope(user=user).filter(window_start__lte=today).order_by("deadline", "pk")
                   .values("id", "year", "kind", "title", "deadline", "window_end", "province_id",
                           "province__name"))
    counts = completeness_counts(periods=periods, today=today)
    return [{**period, "link": reverse("reports:period", args=[period["id"]]), **counts[period["id"]]}
            for period in periods]


def last_periods(started: list[dict]) -> list[dict]:
    """The province's last periods (`started_periods`), oldest first, with their totals."""
    return [{key: period[key] for key in ("year", "kind", "title", "deadline", "link")} | _totals([period])
            for period in started[-PERIODS:]]


def province_completeness(*, user, today: date) -> list[dict]:
    """The province's last periods whose window has started (ad hoc ones too), oldest first."""
    return last_periods(started_periods(user=user, today=today))


def regular_completeness(started: list[dict]) -> tuple[list[dict], list[dict]]:
    """The last regular periods (6-month, annual) of `started` (`started_periods` of one or more provinces) summed
    over the provinces, oldest first, and per province: the last are those whose latest deadline in any province
    is latest."""
    regular = [period for period in started if period["kind"] in (PeriodKind.SIX_MONTH, PeriodKind.ANNUAL)]
    last: dict = {}
    for period in regular:
        key = (period["year"], period["kind"])
        last[key] = max(last.get(key, period["deadline"]), period["deadline"])
    groups = sorted(last, key=lambda key: (-last[key].toordinal(), -key[0], key[1]))[:PERIODS][::-1]
    by_group, by_province = defaultdict(list), defaultdict(dict)
    for period in regular:
        key = (period["year"], period["kind"])
        if key in groups:
            by_group[key].append(period)
            by_province[period["province__name"]][key] = {**_totals([period]), "link": period["link"]}
    columns = []
    for year, kind in groups:
        anchor = f"completeness-{year}-{kind}"
        columns.append({"year": year, "kind": kind, "deadline": last[(year, kind)], "anchor": anchor,
                        "link": f"#{anchor}", **_totals(by_group[(year, kind)])})
    provinces = [{"name": name, "cells": [cells.get(group) for group in groups]}
                 for name, cells in sorted(by_province.items())]
    return columns, provinces


def national_completeness(*, user, today: date) -> tuple[list[dict], list[dict]]:
    """The last regular periods summed over the provinces of the user's scope, oldest first, and per province,
    computed over the whole scope at once (the dashboard adds up the provinces' `started_periods` instead)."""
    return regular_completeness(started_periods(user=user, today=today))


def completeness_panel(request) -> dict:
    today = timezone.localdate()
    scope = scope_of(request.user)
    national = scope.is_national
    # Shared by everyone with the same scope for DASHBOARD_CACHE_SECONDS; the period's page shows the moment.
    figures = shared_figures("report-completeness", user=request.user,
                             compute=lambda reader: started_periods(user=reader, today=today),
                             combine=lambda each: regular_completeness([p for started in each for p in started]))
    periods, provinces = figures if national else (last_periods(figures), [])
    periods = [{**p, "label": _period_label(year=p["year"], kind=p["kind"], title=p.get("title", ""))}
               for p in periods]
    links = [p["link"] for p in periods]
    chart = chart_spec(labels=[p["label"] for p in periods], stacked=True, datasets=[
        {"label": _("Missing"), "tone": "bad", "data": [p["missing"] for p in periods], "links": links},
        {"label": _("On time"), "tone": "good", "data": [p["on_time"] for p in periods], "links": links},
        {"label": _("Late"), "tone": "warn", "data": [p["late"] for p in periods], "links": links},
    ])
    return {"order": 50, "template": "reports/dashboard/completeness_panel.html",
            "context": {"reports_chart": chart, "periods": periods, "provinces": provinces, "national": national}}


def panels(request) -> list[dict]:
    scope = scope_of(request.user)
    if scope.is_provincial or scope.is_national:
        return [completeness_panel(request)] if can(request.user, "completeness.read") else []
    if not scope.is_agency:
        return []
    today = timezone.localdate()
    periods = list(current_periods(user=request.user, today=today).order_by("deadline")[:4])
    rows = own_report_rows(user=request.user, periods=periods, today=today)
    return [{"order": 30, "template": "reports/dashboard/agency_panel.html", "context": {"rows": rows}}]
