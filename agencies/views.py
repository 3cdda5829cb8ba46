"""HTML pages: thin views over the selectors."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from qms_portal.dates import short_date
from qms_portal.exports.views import export_response
from qms_portal.files import generated_file_response, stored_file_response
from qms_portal.forms import attempt
from qms_portal.panels import collect_panels
from qms_portal.queries import filtered, int_param, page_of, page_of_ids, text_param, year_param

from . import forms, imports, obligations_page, register, selectors, services
from .access import can, scope_of
from .filters import AgencyFilter
from .models import AgencyKind, Commune, ObligationLevel, Role, SuccessionKind
from .register_export import RegisterExporter
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
    # Two queries for the page: its 25 ids chosen and the matches counted in one scan of the agency table alone,
    # then those 25 with what the table shows; joining every match first made the national search grow with the
    # country.
    agency_filter = AgencyFilter(request.GET or None, queryset=selectors.agency_list_choosing(user=request.user))
    page = page_of_ids(request, filtered(agency_filter), 25)
    page.object_list = selectors.agency_rows(user=request.user, ids=list(page.object_list))
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
    # an agency's staff see their own agency only: its parent and units are named, linked only when in scope
    in_scope = selectors.agencies_in_scope(user=request.user)
    return render(request, "agencies/agency_detail.html", {
        "agency": agency,
        "parent_in_scope": agency.parent_id is not None and in_scope.filter(pk=agency.parent_id).exists(),
        "obligations": agency.obligations.order_by("-year")[:6],
        "children": agency.children.order_by("name")[:50],
        "children_in_scope": set(in_scope.filter(parent=agency).values_list("pk", flat=True)),
        "successions_in": agency.successions_in.select_related("predecessor"),
        "successions_out": agency.successions_out.select_related("successor"),
        "history": selectors.agency_history(agency=agency)[:20],
        "actions": selectors.agency_actions(request.user, agency),
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
    merge = forms.MergeForm(successors=selectors.successor_choices(user=request.user, agency=agency))
    if request.method == "POST" and attempt(form, lambda data: services.agency_deactivate(
            actor=request.user, agency=agency, reason=data["reason"])):
        messages.success(request, _("The agency was deactivated; its history stays readable."))
        return redirect("agencies:detail", agency.pk)
    return render(request, "agencies/agency_close.html", {"agency": agency, "form": form, "merge": merge})


@login_required
def agency_merge(request, pk: int):
    agency = selectors.agency_get(user=request.user, pk=pk)
    _require(request.user, "agency.deactivate")
    merge = forms.MergeForm(request.POST or None, successors=selectors.successor_choices(user=request.user,
                                                                                          agency=agency))
    recorded = []
    if request.method == "POST" and attempt(merge, lambda data: recorded.append(services.agency_succession_create(
            actor=request.user, predecessor=agency, kind=SuccessionKind.MERGER, **data))):
        succession = recorded[0]
        if succession.took_effect_at:
            messages.success(request, _("The merger was recorded and the agency closed."))
        else:
            messages.success(request, _("The merger was recorded: the agency closes on %(date)s.")
                             % {"date": short_date(succession.effective_date)})
        return redirect("agencies:detail", agency.pk)
    return render(request, "agencies/agency_close.html", {
        "agency": agency, "form": forms.DeactivateForm(), "merge": merge})


# --- yearly obligations -------------------------------------------------------------------------------------------


@login_required
def obligations_index(request):
    return redirect("agencies:obligations-year", timezone.localdate().year)


@login_required
@require_safe
def obligations_year(request, year: int):
    """GET only: its forms post to their own actions (obligations_page.OBLIGATIONS)."""
    ctx = obligations_page.context(request, year)
    if ctx.province is None:  # a national role chooses the province first
        return render(request, "agencies/obligations.html", obligations_page.base_context(ctx))
    return obligations_page.render_page(request, ctx, obligations_page.OBLIGATIONS.forms(ctx))


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
    return generated_file_response(content=imports.import_template(kind), name=name, kind="xlsx")


# --- the register of outgoing documents ------------------------------------------------------------------------


@login_required
def register_index(request):
    user = request.user
    _require(user, "register.read")
    if request.GET.get("format") == "xlsx":
        return export_response(request, RegisterExporter.kind)
    year, issuer_id = year_param(request.GET), int_param(request.GET, "issuer", minimum=1)
    q = text_param(request.GET, "q")
    entries = register.register_list(user=user, year=year, issuer_id=issuer_id, q=q)
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
