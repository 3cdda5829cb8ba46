"""HTML pages of the QMS file and of the province's compliance view."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies import selectors
from agencies.access import can, require, scope_of
from agencies.models import AgencyKind
from qms_portal.exports.views import export_response
from qms_portal.forms import add_service_errors, message_form_errors
from qms_portal.queries import int_param, page_of, page_of_ids

from . import services
from .compliance_export import ComplianceExporter
from .compliance_figures import compliance_summary, shared_groups
from .compliance_query import compliance_params
from .forms import PART_FORMS, ImportForm, QmsHeadForm, QmsOfficerForm, StageForm, UploadForm
from .legal.views import legal_context
from .models import InternalAudit, Stage
from .parts import PARTS
from .procedure_import import procedures_import
from .rules import RULES, evaluate_agencies
from .selectors import (
    agency_compliance,
    compliance_ids,
    part_first_items,
    part_items,
    qms_get,
    qms_history,
    qms_recent_changes,
)

FILE_FIELDS = {"announcements": "decision_file", "documents": "file"}
# The file page shows the first few items of each part and links to the part's own list, paged.
FILE_PAGE_ITEMS = 10
PART_PAGE_ITEMS = 50


def _agency_and_qms(request, pk):
    agency = selectors.agency_get(user=request.user, pk=pk)
    return agency, qms_get(agency=agency)


@login_required
def qms_file(request, pk: int):
    agency, qms = _agency_and_qms(request, pk)
    sections = []
    for slug, part in PARTS.items():
        items, total = part_first_items(agency=agency, qms=qms, slug=slug, limit=FILE_PAGE_ITEMS)
        sections.append({"part": part, "total": total, "more": total - len(items), **part.table(items)})
    return render(request, "qms/file.html", {
        "agency": agency, "qms": qms, "sections": sections,
        "rules": agency_compliance(agency=agency),
        "history": qms_recent_changes(qms=qms, limit=10),
        "can_edit": can(request.user, "qms.edit"),
        "can_approve": can(request.user, "qms.approve"),
        "stage_form": StageForm(initial={"stage": qms.stage}),
        "import_form": ImportForm(),
        "stages": Stage,
        **legal_context(request.user, agency),
    })


@login_required
def qms_part_list(request, pk: int, part: str):
    """Every item of one part of the file, paged: the file page shows only the first few of each."""
    agency, qms = _agency_and_qms(request, pk)
    part_def = PARTS.get(part)
    if part_def is None:
        raise Http404
    page = page_of(request, part_items(agency=agency, qms=qms, slug=part), PART_PAGE_ITEMS)
    return render(request, "qms/part_list.html", {
        "agency": agency, "part": part_def, "page": page, **part_def.table(page.object_list),
        "can_edit": can(request.user, "qms.edit"), "import_form": ImportForm(),
    })


@login_required
def qms_history_page(request, pk: int):
    agency, qms = _agency_and_qms(request, pk)
    return render(request, "qms/history.html", {"agency": agency, "qms": qms, "history": qms_history(qms=qms)})


def _require_edit(request, capability="qms.edit"):
    try:
        require(request.user, capability)
    except PermissionDenied:
        raise PermissionDenied(_("Your role does not allow this action.")) from None


@login_required
def qms_record_edit(request, pk: int, who: str):
    agency, qms = _agency_and_qms(request, pk)
    if who not in ("officer", "head"):
        raise Http404
    _require_edit(request, "qms.approve" if who == "head" else "qms.edit")
    form_class = QmsHeadForm if who == "head" else QmsOfficerForm
    form = form_class(request.POST or None, instance=qms)
    if request.method == "POST" and form.is_valid():
        data = {key: form.cleaned_data[key] for key in form.fields}
        try:
            services.qms_update(actor=request.user, qms=qms, data=data,
                                    version=int_param(request.POST, "version"))  # absent: no check
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The QMS record was saved."))
            return redirect("qms:file", pk=agency.pk)
    return render(request, "qms/record_form.html", {
        "agency": agency, "qms": qms, "form": form, "version": qms.version,
        "title": _("Approval and confirmation by the head") if who == "head" else _("The QMS record"),
    })


@login_required
@require_POST
def qms_stage_change(request, pk: int):
    agency, qms = _agency_and_qms(request, pk)
    _require_edit(request)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.qms_update(actor=request.user, qms=qms, data={"stage": form.cleaned_data["stage"]},
                                    reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            stage = Stage(form.cleaned_data["stage"]).label
            messages.success(request, _("The stage is now: %(stage)s.") % {"stage": stage})
    else:
        messages.error(request, _("Choose a valid stage."))
    return redirect("qms:file", pk=agency.pk)


@login_required
def qms_part_form(request, pk: int, part: str, item_pk: int | None = None):
    agency, qms = _agency_and_qms(request, pk)
    part_def = PARTS.get(part)
    if part_def is None:
        raise Http404
    obj = get_object_or_404(part_items(agency=agency, qms=qms, slug=part), pk=item_pk) if item_pk else None
    list_page = int_param(request.GET, "list", minimum=1)
    back = _part_back(agency, part, list_page=list_page)
    can_edit = can(request.user, "qms.edit")
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("Your role does not allow this action."))
    form = PART_FORMS[part](request.POST or None, instance=obj)
    if part == "corrective-actions":
        # a file not yet written (no change saved since the agency was added) has no internal audit to list
        form.fields["internal_audit"].queryset = (qms.internal_audits.all() if qms.pk
                                                  else InternalAudit.objects.none())
    upload_form = UploadForm() if obj and part in FILE_FIELDS else None
    if request.method == "POST" and form.is_valid():
        data = {key: form.cleaned_data[key] for key in form.fields}
        try:
            if obj is None:
                obj = services.qms_part_create(actor=request.user, agency=agency, part=part_def, data=data)
            else:
                services.qms_part_update(actor=request.user, obj=obj, part=part_def, data=data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            if part in FILE_FIELDS and item_pk is None:
                return redirect(_part_edit(agency, part, obj.pk, list_page=list_page))
            return redirect(back)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "qms/part_form.html", {
        "agency": agency, "part": part_def, "form": form, "obj": obj, "upload_form": upload_form,
        "file": getattr(obj, FILE_FIELDS.get(part, ""), None) if obj else None, "can_edit": can_edit,
        "back": back, "list_page": list_page,
    })


def _part_edit(agency, part: str, item_pk: int, *, list_page: int | None) -> str:
    """The form of an item, still knowing the page of the part's list it was opened from."""
    query = f"?list={list_page}" if list_page else ""
    return f"{reverse('qms:part-edit', args=[agency.pk, part, item_pk])}{query}"


def _part_back(agency, part: str, *, list_page: int | None) -> str:
    """Where the form of an item goes back to: the page of the part's list it was opened from (?list=N), or the
    part's section of the file page."""
    if list_page is None:
        return f"{reverse('qms:file', args=[agency.pk])}#{part}"
    query = f"?page={list_page}" if list_page > 1 else ""
    return f"{reverse('qms:part-list', args=[agency.pk, part])}{query}#{part}"


@login_required
@require_POST
def qms_part_upload(request, pk: int, part: str, item_pk: int):
    agency, qms = _agency_and_qms(request, pk)
    if part not in FILE_FIELDS:
        raise Http404
    obj = get_object_or_404(part_items(agency=agency, qms=qms, slug=part), pk=item_pk)
    _require_edit(request)
    list_page = int_param(request.GET, "list", minimum=1)  # read before the file is attached: a 400 attaches nothing
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.qms_part_attach_file(actor=request.user, obj=obj, field=FILE_FIELDS[part],
                                              uploaded=form.cleaned_data["file"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The file was uploaded."))
    else:
        message_form_errors(request, form, missing=_("Choose a file to upload."))
    return redirect(_part_edit(agency, part, obj.pk, list_page=list_page))


@login_required
@require_POST
def procedure_import_view(request, pk: int):
    agency, _qms = _agency_and_qms(request, pk)
    _require_edit(request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        message_form_errors(request, form, missing=_("Choose a file to import."))
        return redirect("qms:file", pk=agency.pk)
    try:
        job = procedures_import(actor=request.user, agency=agency, uploaded=form.cleaned_data["file"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("qms:file", pk=agency.pk)
    return redirect("imports:job", pk=job.pk)


def _compliance_filters(request) -> dict:
    require(request.user, "compliance.read")
    return compliance_params(request.GET)


@login_required
def compliance_view(request):
    """The agencies of the filter, 50 a page, each explained rule by rule, under a summary by kind added up from the
    scope's compliance figures, which the dashboards keep (`qms.compliance_figures`). Only the page's agencies are
    judged by every rule; when a rule filters or orders the list, that rule's verdict alone is computed for every
    agency of the filter (`compliance_ids`): the nation's page does not judge 20,000 agencies."""
    filters = _compliance_filters(request)
    agencies, judged = compliance_ids(user=request.user, **filters)
    page = page_of_ids(request, agencies, 50, one_pass=judged)
    ids = page.object_list
    summary = compliance_summary(shared_groups(user=request.user, province=filters["province"]), rule=filters["rule"],
                                 kind=filters["kind"], mandatory_only=filters["mandatory_only"], stage=filters["stage"])
    total = page.paginator.count
    page.object_list = evaluate_agencies(ids, today=filters["today"])
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "qms/compliance.html", {
        "page": page, "rules": {code: rule.label for code, rule in RULES.items()}, "rule": filters["rule"],
        "kind": filters["kind"], "kinds": AgencyKind.choices,
        "stage": filters["stage"], "stages": Stage.choices,
        "summary": summary, "query": query.urlencode(), "total": total,
        "show_province": scope_of(request.user).is_national, "mandatory": filters["mandatory_only"],
        "sort": filters["sort"], "as_of": filters["today"],
    })


@login_required
def compliance_export(request):
    """The same agencies, filter and order as the page, every one of them, with their verdicts: a province's list at
    once, the nation's from the worker (qms.compliance_export.ComplianceExporter)."""
    return export_response(request, ComplianceExporter.kind)
