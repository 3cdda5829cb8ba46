"""The page of a year's obligations of a province and its actions: set one, set in bulk, propose, confirm.

GET only; each form posts to its own route (qms_portal.actions). A national role chooses the province with
`?province=<id>`, which the action URLs carry too.
"""

from types import SimpleNamespace

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qms_portal.actions import Action, ActionPage
from qms_portal.dates import WORK_YEARS
from qms_portal.queries import choice_param, int_param, page_of, text_param

from . import forms, selectors, services
from .access import can, scope_of
from .models import Agency, AgencyKind, Commune, ObligationLevel


def _province(request):
    """The province of the page: a province role's own; a national role chooses (?province=<id>)."""
    provinces = selectors.provinces_in_scope(user=request.user).order_by("name")
    scope = scope_of(request.user)
    if scope.province_id:
        return provinces.get(pk=scope.province_id), None
    wanted = int_param(request.GET, "province")
    return (get_object_or_404(provinces, pk=wanted) if wanted else None), provinces


def context(request, year: int):
    """The year and province of the page (404 outside the years, 403 for a role that may not read them)."""
    if not can(request.user, "obligation.read"):
        raise PermissionDenied
    if year not in WORK_YEARS:
        raise Http404
    province, provinces = _province(request)
    query = f"?province={province.pk}" if provinces and province else ""
    return SimpleNamespace(user=request.user, year=year, province=province, provinces=provinces, query=query,
                           here=reverse("agencies:obligations-year", args=[year]) + query)


def _load(request, year: int):
    ctx = context(request, year)
    if ctx.province is None:  # a national role acts on a province it names
        raise Http404
    return ctx


def _forms(ctx, bound=None, data=None, files=None):
    active = selectors.obligation_bulk_targets(user=ctx.user, province_id=ctx.province.pk)
    communes = Commune.objects.current().filter(province=ctx.province).order_by("name")
    parents = Agency.objects.filter(pk__in=active.exclude(parent__isnull=True).values("parent_id")).order_by("name")
    return {
        "set": forms.ObligationForm(data if bound == "set" else None, agencies=active, prefix="one"),
        "bulk": forms.ObligationBulkForm(data if bound == "bulk" else None, communes=communes, parents=parents,
                                         prefix="bulk"),
        "year": forms.YearActionForm(data if bound in ("propose", "confirm") else None),
    }


def base_context(ctx) -> dict:
    return {"year": ctx.year, "province": ctx.province, "provinces": ctx.provinces, "levels": ObligationLevel,
            "province_query": ctx.query, "actions": OBLIGATIONS.permitted(ctx.user)}


def render_page(request, ctx, bound_forms):
    user, province, year = ctx.user, ctx.province, ctx.year
    rows = selectors.obligation_rows(user=user, province_id=province.pk, year=year)
    kind = choice_param(request.GET, "kind", AgencyKind.values)
    if kind:
        rows = rows.filter(kind=kind)
    if q := text_param(request.GET, "q"):
        rows = selectors.search_agencies(rows, q)
    query = request.GET.copy()
    query.pop("page", None)
    year_form = bound_forms["year"]
    actions = OBLIGATIONS.permitted(user)
    locked = services.obligations_locked(user, province_id=province.pk, year=year)
    if locked:
        actions -= {"set", "bulk"}
    return render(request, "agencies/obligations.html", {
        **base_context(ctx), "actions": actions, "locked": locked,
        "year_row": selectors.obligation_year_get(province_id=province.pk, year=year),
        "changes": selectors.obligation_changes(user=user, province_id=province.pk, year=year),
        "page": page_of(request, rows, 50), "query": query.urlencode(),
        "single": bound_forms["set"], "bulk": bound_forms["bulk"],
        "year_errors": year_form.non_field_errors() if year_form.is_bound else [],
        "kinds": AgencyKind.choices, "kind": kind, "q": request.GET.get("q", ""),
    })


def _bulk(ctx, d):
    targets = selectors.obligation_bulk_targets(
        user=ctx.user, province_id=ctx.province.pk, kind=d["kind"] or None,
        commune_id=d["commune"].pk if d["commune"] else None, parent_id=d["parent"].pk if d["parent"] else None)
    return services.obligations_set_bulk(actor=ctx.user, province=ctx.province, year=ctx.year, agencies=targets,
                                         level=d["level"], note=d["note"])


OBLIGATIONS = ActionPage(
    name="obligations", path="obligations/<int:year>/", load=_load, forms=_forms, render=render_page,
    url=lambda ctx: ctx.here, can=can, actions=(
        Action("set", ("obligation.set",), ("set",),
               lambda ctx, d, f: services.obligation_set(actor=ctx.user, year=ctx.year, **d),
               lambda ctx, f, result: _("The obligation of %(name)s was saved.") % {
                   "name": f["set"].cleaned_data["agency"].name}),
        Action("bulk", ("obligation.set",), ("bulk",), lambda ctx, d, f: _bulk(ctx, d),
               lambda ctx, f, count: ngettext("%(count)d obligation was changed.",
                                              "%(count)d obligations were changed.", count) % {"count": count}),
        Action("propose", ("obligation.confirm",), ("year",), lambda ctx, d, f: services.obligations_propose(
            actor=ctx.user, province=ctx.province, year=ctx.year),
            lambda ctx, f, result: _("The obligations of %(year)d were proposed from the previous year; review the "
                                     "changes below and confirm them.") % {"year": ctx.year}),
        Action("confirm", ("obligation.confirm",), ("year",), lambda ctx, d, f: services.obligations_confirm(
            actor=ctx.user, province=ctx.province, year=ctx.year),
            lambda ctx, f, result: _("The obligations of %(year)d are confirmed.") % {"year": ctx.year}),
    ))
