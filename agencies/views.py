"""HTML pages: thin views over the selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from qms_portal.forms import attempt
from qms_portal.panels import collect_panels
from qms_portal.queries import filtered, page_of

from . import forms, selectors, services
from .access import can, scope_of
from .filters import AgencyFilter
from .models import AgencyKind, Commune, ObligationLevel, Role, SuccessionKind
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
        "can_create": can(request.user, "agency.create"),
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
        "can_edit": can(request.user, "agency.update") and agency.is_active,
        "can_deactivate": can(request.user, "agency.deactivate") and agency.is_active,
        "kinds": AgencyKind,
        "levels": ObligationLevel,
    })


# --- add, edit (and move), deactivate, merge: the services the API calls ---------------------------------------


def _require(user, action: str) -> None:
    if not can(user, action):
        raise PermissionDenied


def _communes(province_id):
    return Commune.objects.current().filter(province_id=province_id).order_by("name") if province_id else []


@login_required
def agency_create(request):
    _require(request.user, "agency.create")
    scope = scope_of(request.user)
    parents = selectors.agency_parent_choices(user=request.user)
    form = forms.AgencyForm(request.POST or None, parents=parents, ask_province=not scope.province_id)
    created = {}

    def create(data):
        data = dict(data, province=data.get("province") or selectors.provinces_in_scope(user=request.user).get())
        created["agency"] = services.agency_create(actor=request.user, data=data)

    if request.method == "POST" and attempt(form, create):
        messages.success(request, _("The agency was added."))
        return redirect("agency-page", created["agency"].pk)
    return render(request, "agencies/agency_form.html", {
        "form": form, "title": _("Add an agency"), "communes": _communes(scope.province_id)})


@login_required
def agency_edit(request, pk: int):
    agency = selectors.agency_get(user=request.user, pk=pk)
    _require(request.user, "agency.update")
    parents = selectors.agency_parent_choices(user=request.user, province_id=agency.province_id).exclude(pk=pk)
    initial = {key: getattr(agency, key) for key in forms.AGENCY_FORM_FIELDS if key != "province"}
    form = forms.AgencyForm(request.POST or None, initial=initial, parents=parents, ask_province=False)
    if request.method == "POST" and attempt(form, lambda data: services.agency_update(
            actor=request.user, agency=agency, data=data, reason=_("Changed on the agency page"))):
        messages.success(request, _("The agency was saved."))
        return redirect("agency-page", agency.pk)
    return render(request, "agencies/agency_form.html", {
        "form": form, "agency": agency, "title": _("Edit the agency"), "communes": _communes(agency.province_id)})


@login_required
def agency_deactivate(request, pk: int):
    agency = selectors.agency_get(user=request.user, pk=pk)
    _require(request.user, "agency.deactivate")
    form = forms.DeactivateForm(request.POST or None)
    merge = forms.MergeForm(successors=selectors.agency_parent_choices(
        user=request.user, province_id=agency.province_id).exclude(pk=pk))
    if request.method == "POST" and attempt(form, lambda data: services.agency_deactivate(
            actor=request.user, agency=agency, reason=data["reason"])):
        messages.success(request, _("The agency was deactivated; its history stays readable."))
        return redirect("agency-page", agency.pk)
    return render(request, "agencies/agency_close.html", {"agency": agency, "form": form, "merge": merge})


@login_required
def agency_merge(request, pk: int):
    agency = selectors.agency_get(user=request.user, pk=pk)
    _require(request.user, "agency.deactivate")
    successors = selectors.agency_parent_choices(user=request.user, province_id=agency.province_id).exclude(pk=pk)
    merge = forms.MergeForm(request.POST or None, successors=successors)
    if request.method == "POST" and attempt(merge, lambda data: services.agency_succession_create(
            actor=request.user, predecessor=agency, kind=SuccessionKind.MERGER, **data)):
        messages.success(request, _("The merger was recorded and the agency closed."))
        return redirect("agency-page", agency.pk)
    return render(request, "agencies/agency_close.html", {
        "agency": agency, "form": forms.DeactivateForm(), "merge": merge})
