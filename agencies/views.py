"""HTML pages: thin views over the selectors."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from qms_portal.panels import collect_panels
from qms_portal.queries import filtered, page_of

from . import selectors
from .access import can, scope_of
from .filters import AgencyFilter
from .models import AgencyKind, ObligationLevel, Role
from .stats import agency_counts_by_kind, national_counts


@login_required
def home(request):
    scope = scope_of(request.user)
    year = timezone.localdate().year
    context = {"scope": scope, "role_label": Role(scope.role).label if scope.role else None, "year": year}
    if scope.is_agency:
        context["agency"] = selectors.agency_get(user=request.user, pk=scope.agency_id)
    elif scope.is_provincial:
        context["province"] = selectors.provinces_in_scope(user=request.user).first()
        context["by_kind"] = agency_counts_by_kind(selectors.agency_list(user=request.user, year=year))
    elif scope.is_national:
        context["by_province"] = national_counts(user=request.user, year=year)
    context["panels"] = collect_panels(request)
    context["charts"] = any("chart" in key for panel in context["panels"] for key in panel["context"])
    return render(request, "agencies/home.html", context)


@login_required
def agency_list(request):
    queryset = selectors.agency_list(user=request.user)
    agency_filter = AgencyFilter(request.GET or None, queryset=queryset)
    page = page_of(request, filtered(agency_filter), 25)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "agencies/agency_list.html", {
        "filter": agency_filter,
        "page": page,
        "query": query.urlencode(),
        "show_province": scope_of(request.user).is_national,
    })


@login_required
def agency_detail(request, pk: int):
    agency = selectors.agency_get(user=request.user, pk=pk)
    return render(request, "agencies/agency_detail.html", {
        "agency": agency,
        "obligations": agency.obligations.order_by("-year")[:6],
        "children": agency.children.order_by("name")[:50],
        "successions_in": agency.successions_in.select_related("predecessor"),
        "successions_out": agency.successions_out.select_related("successor"),
        "history": selectors.agency_history(agency=agency)[:20],
        "can_edit": can(request.user, "agency.update"),
        "kinds": AgencyKind,
        "levels": ObligationLevel,
    })
