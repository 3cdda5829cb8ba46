"""HTML pages: thin views over the selectors."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qms_portal.files import stored_file_response
from qms_portal.forms import attempt
from qms_portal.panels import collect_panels
from qms_portal.queries import choice_param, filtered, int_param, page_of, year_param
from qms_portal.uploads import MIME_TYPES

from . import forms, imports, register, selectors, services
from .access import can, scope_of
from .filters import AgencyFilter
from .models import Agency, AgencyKind, Commune, ObligationLevel, Role, SuccessionKind
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
        return redirect("agencies:detail", created["agency"].pk)
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
        return redirect("agencies:detail", agency.pk)
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
        return redirect("agencies:detail", agency.pk)
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
        return redirect("agencies:detail", agency.pk)
    return render(request, "agencies/agency_close.html", {
        "agency": agency, "form": forms.DeactivateForm(), "merge": merge})


# --- yearly obligations -------------------------------------------------------------------------------------------


def _obligation_province(request):
    """The province of the page: a province role's own; a national role chooses (?province=<id>)."""
    provinces = selectors.provinces_in_scope(user=request.user).order_by("name")
    scope = scope_of(request.user)
    if scope.province_id:
        return provinces.get(pk=scope.province_id), None
    wanted = int_param(request.GET, "province")
    return (get_object_or_404(provinces, pk=wanted) if wanted else None), provinces


@login_required
def obligations_index(request):
    return redirect("agencies:obligations-year", timezone.localdate().year)


@login_required
def obligations_year(request, year: int):
    user = request.user
    _require(user, "obligation.read")
    if not 2014 <= year <= 2100:
        raise Http404
    province, provinces = _obligation_province(request)
    context = {"year": year, "province": province, "provinces": provinces, "levels": ObligationLevel,
               "can_set": can(user, "obligation.set"), "can_confirm": can(user, "obligation.confirm")}
    if province is None:
        return render(request, "agencies/obligations.html", context)
    here = f"{reverse('agencies:obligations-year', args=[year])}?province={province.pk}" if provinces else \
        reverse("agencies:obligations-year", args=[year])
    active = selectors.obligation_bulk_targets(user=user, province_id=province.pk)
    communes = Commune.objects.current().filter(province=province).order_by("name")
    parents = Agency.objects.filter(pk__in=active.exclude(parent__isnull=True).values("parent_id")).order_by("name")
    post = request.POST if request.method == "POST" else None
    action = post.get("action") if post else None
    single = forms.ObligationForm(post if action == "set" else None, agencies=active, prefix="one")
    bulk = forms.ObligationBulkForm(post if action == "bulk" else None, communes=communes, parents=parents,
                                    prefix="bulk")
    year_form = forms.YearActionForm(post if action in ("propose", "confirm") else None)
    done = None
    if action == "set":
        _require(user, "obligation.set")
        if attempt(single, lambda d: services.obligation_set(actor=user, year=year, **d)):
            done = _("The obligation of %(name)s was saved.") % {"name": single.cleaned_data["agency"].name}
    elif action == "bulk":
        _require(user, "obligation.set")
        changed = {}

        def apply(d):
            targets = selectors.obligation_bulk_targets(
                user=user, province_id=province.pk, kind=d["kind"] or None,
                commune_id=d["commune"].pk if d["commune"] else None, parent_id=d["parent"].pk if d["parent"] else None)
            changed["count"] = services.obligations_set_bulk(actor=user, province=province, year=year,
                                                             agencies=targets, level=d["level"], note=d["note"])
        if attempt(bulk, apply):
            done = ngettext("%(count)d obligation was changed.", "%(count)d obligations were changed.",
                            changed["count"]) % {"count": changed["count"]}
    elif action in ("propose", "confirm"):
        _require(user, "obligation.confirm")
        service = services.obligations_propose if action == "propose" else services.obligations_confirm
        if attempt(year_form, lambda d: service(actor=user, province=province, year=year)):
            done = _("The obligations of %(year)d were proposed from the previous year; review the changes below "
                     "and confirm them.") if action == "propose" else _("The obligations of %(year)d are confirmed.")
            done = done % {"year": year}
    elif post is not None:
        raise Http404
    if done:
        messages.success(request, done)
        return redirect(here)
    rows = selectors.obligation_rows(user=user, province_id=province.pk, year=year)
    kind = choice_param(request.GET, "kind", AgencyKind.values)
    if kind:
        rows = rows.filter(kind=kind)
    if request.GET.get("q"):
        rows = selectors.search_agencies(rows, request.GET["q"])
    query = request.GET.copy()
    query.pop("page", None)
    context.update({
        "year_row": selectors.obligation_year_get(province_id=province.pk, year=year),
        "changes": selectors.obligation_changes(user=user, province_id=province.pk, year=year),
        "page": page_of(request, rows, 50), "query": query.urlencode(), "here": here, "single": single,
        "bulk": bulk, "year_errors": year_form.non_field_errors() if year_form.is_bound else [],
        "kinds": AgencyKind.choices, "kind": kind, "q": request.GET.get("q", ""),
    })
    return render(request, "agencies/obligations.html", context)


# --- bulk import -------------------------------------------------------------------------------------------------


@login_required
def agency_import(request):
    """Upload a file of agencies or obligations: a check first (the job's page shows the per-row report and the
    button to import), the templates to fill in."""
    _require(request.user, "agency.create")
    scope = scope_of(request.user)
    kinds = [(i.kind, i.label) for i in imports.province_importers() if can(request.user, i.action)]
    form = forms.ImportForm(request.POST or None, request.FILES or None, ask_province=not scope.province_id,
                            kinds=kinds)
    job = {}

    def check(data):
        province = data.get("province") or selectors.provinces_in_scope(user=request.user).get()
        job["job"] = imports.agencies_import(actor=request.user, kind=data["kind"], province=province,
                                             uploaded=data["file"], apply=False)

    if request.method == "POST" and attempt(form, check):
        return redirect("imports:job", pk=job["job"].pk)
    return render(request, "agencies/import.html", {"form": form, "kinds": kinds,
                                                    "inline_max": settings.IMPORT_INLINE_MAX_ROWS})


@login_required
def agency_import_template(request, kind: str):
    if kind not in {i.kind for i in imports.province_importers()}:
        raise Http404
    name = "mau-nhap-" + kind.split(".")[-1].replace("_", "-") + ".xlsx"
    response = HttpResponse(imports.import_template(kind), content_type=MIME_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- the register of outgoing documents ------------------------------------------------------------------------


@login_required
def register_index(request):
    user = request.user
    _require(user, "register.read")
    year, issuer_id = year_param(request.GET), int_param(request.GET, "issuer", minimum=1)
    q = request.GET.get("q", "")[:100]
    entries = register.register_list(user=user, year=year, issuer_id=issuer_id, q=q)
    if request.GET.get("format") == "xlsx":
        content = register.register_workbook(entries)
        response = HttpResponse(content,
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="so-van-ban-di-{timezone.localdate():%Y%m%d}.xlsx"'
        return response
    query = request.GET.copy()
    query.pop("page", None)
    export = request.GET.copy()
    export.pop("page", None)
    export["format"] = "xlsx"
    return render(request, "agencies/register.html", {
        "page": page_of(request, entries, 50),
        "gaps": register.register_gaps(register.register_list(user=user, year=year, issuer_id=issuer_id)),
        "years": register.register_years(user=user), "issuers": register.register_issuers(user=user),
        "year": year, "issuer_id": issuer_id, "q": q, "query": query.urlencode(), "export": export.urlencode(),
    })


@login_required
def register_entry(request, pk: int):
    _require(request.user, "register.read")
    entry = register.register_get(user=request.user, pk=pk)
    return _register_entry_page(request, entry)


def _register_entry_page(request, entry, *, withdraw_form=None, signed_form=None, status=200):
    return render(request, "agencies/register_entry.html", {
        "entry": entry, "withdraw_form": withdraw_form or forms.RegisterWithdrawForm(),
        "signed_form": signed_form or forms.SignedPdfForm(),
        "can_keep": can(request.user, "register.keep") and entry.status != "withdrawn",
    }, status=status)


@login_required
def register_withdraw(request, pk: int):
    if request.method != "POST":
        return redirect("agencies:register-entry", pk)
    _require(request.user, "register.read")
    entry = register.register_get(user=request.user, pk=pk)
    register.register_require_keeper(request.user, entry)
    form = forms.RegisterWithdrawForm(request.POST)
    if attempt(form, lambda d: register.register_withdraw(actor=request.user, entry=entry, reason=d["reason"])):
        messages.success(request, _("%(number)s was withdrawn; its number stays in the register.") % {
            "number": str(entry)})
        return redirect("agencies:register-entry", pk)
    return _register_entry_page(request, entry, withdraw_form=form, status=400)


@login_required
def register_file(request, pk: int):
    """The file of a register line as the portal printed it (the draft PDF, before the signed one is uploaded)."""
    _require(request.user, "register.read")
    entry = register.register_get(user=request.user, pk=pk)
    if not entry.current_file_id:
        raise Http404
    return stored_file_response(entry.current_file)


@login_required
def register_signed(request, pk: int):
    """GET: download the stored signed PDF; POST: upload it (validated, then stored for good)."""
    _require(request.user, "register.read")
    entry = register.register_get(user=request.user, pk=pk)
    if request.method != "POST":
        if not entry.signed_file_id:
            raise Http404
        return stored_file_response(entry.signed_file)
    register.register_require_keeper(request.user, entry)
    form = forms.SignedPdfForm(request.POST, request.FILES)
    done = {}

    def upload(d):
        done["upload"] = register.register_signed_upload(actor=request.user, entry=entry, uploaded=d["file"])

    if attempt(form, upload):
        messages.success(request, _("The signed version of %(number)s is stored: signed by %(signer)s.") % {
            "number": str(entry), "signer": done["upload"].check.signer_name})
        for warning in done["upload"].warnings:
            messages.warning(request, warning)
        return redirect("agencies:register-entry", pk)
    return _register_entry_page(request, entry, signed_form=form, status=409 if getattr(form, "conflict", None)
                                else 400)
